"""Parquet tables for orgs (issue 19, point 3): read like CSV, record numbers as rows; hostile files refused
with one clear message each."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import valuechain as vc
import valuechain.io.parquet as parquet
from valuechain.cli import main

HANDOFFS = {"source": ["kitchen", "floor"], "target": ["floor", "diners"], "deliverable": ["dishes", "meal"]}
PARTIES = {"id": ["kitchen", "floor", "diners"], "kind": ["team", "team", "external_customer"]}


def parquet_bytes(table: pa.Table | dict, **options) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table if isinstance(table, pa.Table) else pa.table(table), buffer, **options)
    return buffer.getvalue()


def problems(path, parties=None) -> list[vc.Problem]:
    with pytest.raises(vc.InputError) as caught:
        vc.load(path, parties=parties, customers=None if parties else ["diners"])
    return caught.value.problems


def test_load_reads_parquet_like_csv(write):
    h = write("handoffs.parquet", parquet_bytes(HANDOFFS))
    p = write("parties.parquet", parquet_bytes(PARTIES))
    chain = vc.load(h, parties=p)
    from_csv = vc.load(
        write("h.csv", "source,target,deliverable\nkitchen,floor,dishes\nfloor,diners,meal\n"),
        parties=write("p.csv", "id,kind\nkitchen,team\nfloor,team\ndiners,external_customer\n"),
    )
    assert chain.customers == ["diners"]
    assert chain.handoffs.to_dict("index") == from_csv.handoffs.to_dict("index")
    assert list(chain.handoffs.index) == [2, 3]  # record numbers as rows: the header is row 1
    assert chain.analyze().to_dict() == from_csv.analyze().to_dict()


def test_messages_name_the_record_as_a_row_and_the_column(write):
    h = write("handoffs.parquet", parquet_bytes({"source": ["kitchen", "floor"], "target": ["flor", "diners"]}))
    p = write("parties.parquet", parquet_bytes(PARTIES))
    [problem] = problems(h, p)
    assert problem.file.endswith("handoffs.parquet") and problem.row == 2
    assert "did you mean 'floor'" in problem.hint


def test_numbers_booleans_dates_and_missing_values_become_text(write):
    table = pa.table(
        {
            "source": ["kitchen", "floor"],
            "target": ["floor", "diners"],
            "essential": [True, None],
            "volume": [3, None],
            "share": [1.0, float("nan")],
            "since": pa.array([0, 86_400], pa.int64()).cast(pa.timestamp("s")),
        }
    )
    chain = vc.load(write("h.parquet", parquet_bytes(table)), customers=["diners"])
    rows = chain.handoffs.to_dict("records")
    assert [r["essential"] for r in rows] == [True, True]  # blank = yes, as in CSV
    assert [(r["volume"], r["share"], r["since"]) for r in rows] == [("3", "1", "1970-01-01"), ("", "", "1970-01-02")]


def test_ids_stay_strings_and_are_cleaned_as_in_csv(write):
    table = {"source": ["  Cafe\u0301 ", "007"], "target": ["shop", "shop"]}
    chain = vc.load(write("h.parquet", parquet_bytes(table)), customers=["shop"])
    assert chain.handoffs["source"].tolist() == ["Café", "007"]


def test_dictionary_encoded_text_and_several_row_groups(write):
    n = 5_000
    table = pa.table(
        {
            "source": pa.array([f"t{i}" for i in range(n)]).dictionary_encode(),
            "target": pa.array(["diners"] * n).dictionary_encode(),
        }
    )
    chain = vc.load(write("h.parquet", parquet_bytes(table, row_group_size=700)), customers=["diners"])
    assert len(chain.handoffs) == n and chain.handoffs.index[-1] == n + 1


def test_the_command_line_reads_parquet(write):
    h = write("handoffs.parquet", parquet_bytes(HANDOFFS))
    p = write("parties.parquet", parquet_bytes(PARTIES))
    result = CliRunner().invoke(main, ["analyze", str(h), "--parties", str(p), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["parties"] == 3


def test_the_command_line_reports_a_bad_parquet_file_without_a_traceback(write):
    h = write("handoffs.parquet", b"source,target\nkitchen,diners\n")
    result = CliRunner().invoke(main, ["analyze", str(h), "--customer", "diners"])
    assert result.exit_code == 2
    assert "this is not a Parquet file" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "table, words",
    [
        (pa.table({"source": [[1], [2]], "target": ["a", "b"]}), "the column 'source' holds lists, structs or maps"),
        (pa.table({"source": [{"x": 1}], "target": ["a"]}), "holds lists, structs or maps (struct<x: int64>)"),
        (pa.table({"source": [b"\x00\x01"], "target": ["a"]}), "the column 'source' holds bytes"),
        (pa.table({"source": pa.array([1], pa.time32("s")), "target": ["a"]}), "holds times of day or durations"),
        (pa.table({"source": ["a\x00b"], "target": ["c"]}), "the column 'source' holds a NUL character"),
    ],
    ids=["list", "struct", "binary", "time", "nul"],
)
def test_a_column_that_is_not_text_is_refused_by_name(write, table, words):
    [problem] = problems(write("h.parquet", parquet_bytes(table)))
    assert words in problem.message and problem.file.endswith("h.parquet")


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "the file is empty"),
        (b"source,target\nkitchen,diners\n", "this is not a Parquet file"),
        (b"PAR1" + b"\x00" * 64 + b"PAR1", "the Parquet file cannot be read"),
        (b"PAR1" + b"\xff" * 64 + b"PAR1", "the Parquet file cannot be read"),
    ],
    ids=["empty", "csv-named-parquet", "zeros", "bad-footer"],
)
def test_a_file_that_is_not_parquet_gets_one_message(write, content, words):
    [problem] = problems(write("h.parquet", content))
    assert words in problem.message


def test_a_damaged_parquet_file_gets_one_message(write):
    data = bytearray(parquet_bytes({"source": ["kitchen"] * 100, "target": ["diners"] * 100}))
    data[8:40] = b"\xff" * 32  # the first page's header and data
    [problem] = problems(write("h.parquet", bytes(data)))
    assert "cannot be read" in problem.message


def test_a_parquet_file_with_another_suffix_is_read_as_parquet(write):
    chain = vc.load(write("h.csv", parquet_bytes(HANDOFFS)), customers=["diners"])
    assert chain.handoffs["source"].tolist() == ["kitchen", "floor"]


def test_an_empty_table_and_a_header_only_table(write):
    [problem] = problems(write("h.parquet", parquet_bytes(pa.table({}))))
    assert "the file is empty" in problem.message
    header_only = parquet_bytes(pa.table({"source": pa.array([], pa.string()), "target": pa.array([], pa.string())}))
    from_csv = problems(write("h.csv", "source,target\n"))
    assert [p.message for p in problems(write("h.parquet", header_only))] == [p.message for p in from_csv]


def test_text_that_expands_past_the_bound_is_refused_before_it_is_expanded(write, monkeypatch):
    monkeypatch.setattr(parquet, "PARQUET_MAX_BYTES", 20 << 20)
    long = "x" * (1 << 20)
    data = parquet_bytes(pa.table({"source": [long] * 50, "target": ["diners"] * 50}), compression="zstd")
    assert len(data) < 100_000  # a small file: the value is stored once, in the column's dictionary
    [problem] = problems(write("h.parquet", data))
    assert problem.code == "too_large" and "expand to more than" in problem.message


def test_a_file_declaring_too_much_data_is_refused_from_its_description(write, monkeypatch):
    monkeypatch.setattr(parquet, "PARQUET_MAX_BYTES", 1 << 20)
    data = parquet_bytes(pa.table({"source": [f"t{i:07d}" for i in range(200_000)], "target": ["d"] * 200_000}))
    [problem] = problems(write("h.parquet", data))
    assert problem.code == "too_large" and "unpacks to" in problem.message


def test_huge_row_groups_and_too_many_cells_are_refused(write, monkeypatch):
    monkeypatch.setattr(parquet, "PARQUET_MAX_CELLS", 1_000)
    data = parquet_bytes(pa.table({"source": ["a"] * 600, "target": ["b"] * 600}), row_group_size=1 << 20)
    [problem] = problems(write("h.parquet", data))
    assert problem.code == "too_large" and "600 records of 2 columns" in problem.message


def test_too_many_columns_are_refused(write):
    data = parquet_bytes(pa.table({f"c{i}": ["x"] for i in range(parquet.PARQUET_MAX_COLUMNS + 1)}))
    [problem] = problems(write("h.parquet", data))
    assert problem.code == "too_large" and "1,001 columns" in problem.message


def test_duplicate_and_blank_column_names_are_reported_as_for_csv(write):
    table = pa.Table.from_arrays(
        [pa.array(["a"]), pa.array(["b"]), pa.array(["c"])], names=["source", "target", "source"]
    )
    [problem] = problems(write("h.parquet", parquet_bytes(table)))
    assert "two columns have the header 'source'" in problem.message and problem.row == 1
