"""Reading CSV, Excel and DataFrames: delimiters, encodings, headers, ids, blank rows."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pytest

import valuechain as vc
from tests.conftest import frame
from valuechain.problems import Code

HANDOFFS = "source,target,deliverable\nkitchen,floor,dishes\nfloor,diners,meal\n"
PARTIES = "id,name,kind\nkitchen,Kitchen,team\nfloor,Floor,team\ndiners,Diners,external_customer\n"


def edges(chain: vc.Chain) -> list[tuple[str, str]]:
    return list(zip(chain.handoffs["source"], chain.handoffs["target"]))


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_delimiters_and_line_endings(write, sep, newline):
    h = write("h.csv", HANDOFFS.replace(",", sep).replace("\n", newline))
    p = write("p.csv", PARTIES.replace(",", sep).replace("\n", newline))
    chain = vc.load(h, parties=p)
    assert edges(chain) == [("kitchen", "floor"), ("floor", "diners")]
    assert chain.handoffs["deliverable"].tolist() == ["dishes", "meal"]
    assert chain.parties["name"].tolist() == ["Kitchen", "Floor", "Diners"]


@pytest.mark.parametrize("bom,encoding", [(codecs.BOM_UTF8, "utf-8"), (b"", "utf-8"), (b"", "utf-16")])
def test_utf8_with_or_without_bom_and_utf16(write, bom, encoding):
    text = "source;target\nCafé;Kunden\n"
    data = bom + text.encode(encoding)
    chain = vc.load(write("h.csv", data), customers=["Kunden"])
    assert chain.handoffs["source"].tolist() == ["Café"]
    assert chain.warnings == []


def test_other_encodings_are_detected_with_a_warning(write):
    text = "source,target,deliverable\n" + "".join(
        f"Réception,Clients,clés et reçus pour l'hôtel {i}\n" for i in range(3)
    )
    chain = vc.load(write("h.csv", text.encode("cp1252")), customers=["Clients"])
    assert chain.handoffs["source"].iloc[0] == "Réception"
    assert "reçus" in chain.handoffs["deliverable"].iloc[0]
    [w] = chain.warnings
    assert w.severity == "warning" and "not UTF-8" in w.message and w.file.endswith("h.csv")


def test_ids_stay_strings(write):
    h = write("h.csv", "source,target\n007,NA\nNULL,TRUE\n1.50,NA\n")
    chain = vc.load(h, customers=["NA"])
    assert chain.handoffs["source"].tolist() == ["007", "NULL", "1.50"]
    assert chain.handoffs["target"].tolist() == ["NA", "TRUE", "NA"]
    assert set(chain.graph.nodes) == {"007", "NA", "NULL", "TRUE", "1.50"}


def test_ids_are_trimmed_and_nfc_normalised_but_case_sensitive(write):
    h = write("h.csv", "source,target\n  Cafe\u0301 ,shop\ncafé,shop\nTEST,shop\ntest,shop\n")
    chain = vc.load(h, customers=["shop"])
    assert chain.handoffs["source"].tolist() == ["Café", "café", "TEST", "test"]
    assert len(chain.parties) == 5


def test_header_synonyms_case_spaces_and_underscores(write):
    h = write("h.csv", "FROM,Receiver,Work_Product,CRITICAL,cost centre\na,b,x,No,42\n")
    chain = vc.load(h, customers=["b"])
    row = chain.handoffs.iloc[0]
    assert (row["source"], row["target"], row["deliverable"], bool(row["essential"])) == ("a", "b", "x", False)
    assert row["cost centre"] == "42"  # an extra column, kept as written


def test_party_header_synonyms_and_extra_columns(write):
    h = write("h.csv", "source,target\na,b\n")
    p = write(
        "p.csv", "Party ID,Display-Name,Party Type,Department,Location\na,Alpha,,Ops,Oslo\nb,Beta,External Customer,,\n"
    )
    chain = vc.load(h, parties=p)
    assert chain.parties.to_dict("list") | {} == {
        **chain.parties.to_dict("list"),
        "id": ["a", "b"],
        "name": ["Alpha", "Beta"],
        "kind": ["team", "external_customer"],
        "group": ["Ops", None],
        "Location": ["Oslo", ""],
    }
    assert chain.graph.nodes["a"]["Location"] == "Oslo"


def test_canonical_header_wins_over_a_synonym(write):
    h = write("h.csv", "from,source,target\nx,a,b\n")
    chain = vc.load(h, customers=["b"])
    assert chain.handoffs["source"].tolist() == ["a"]
    assert chain.handoffs["from"].tolist() == ["x"]


def test_essential_values(write):
    values = ["yes", "No", "TRUE", "false", "y", "N", "1", "0", "", " Yes "]
    rows = "".join(f"a{i},c,{v}\n" for i, v in enumerate(values))
    chain = vc.load(write("h.csv", "source,target,essential\n" + rows), customers=["c"])
    assert chain.handoffs["essential"].tolist() == [True, False, True, False, True, False, True, False, True, True]


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(write):
    h = write("h.csv", "source,target\n\na,c\n , \n,,\nb,c\n")
    chain = vc.load(h, customers=["c"])
    assert edges(chain) == [("a", "c"), ("b", "c")]
    assert chain.handoffs.index.tolist() == [3, 6]


def test_quoted_cells_with_delimiters_and_newlines(write):
    h = write("h.csv", 'source,target,deliverable\na,c,"pens, medium point"\nb,c,"two\nlines"\n')
    chain = vc.load(h, customers=["c"])
    assert chain.handoffs["deliverable"].tolist() == ["pens, medium point", "two\nlines"]
    assert chain.handoffs.index.tolist() == [2, 3]


def test_trailing_empty_columns_are_ignored(write):
    chain = vc.load(write("h.csv", "source,target,,\na,c,,\n"), customers=["c"])
    assert list(chain.handoffs.columns) == ["source", "target", "deliverable", "essential"]


def test_a_column_without_a_header_is_kept_with_a_warning(write):
    chain = vc.load(write("h.csv", "source,target,\na,c,note\n"), customers=["c"])
    assert chain.handoffs["column C"].tolist() == ["note"]
    assert any("no header" in w.message for w in chain.warnings)


def test_parties_inferred_from_handoffs_as_teams():
    chain = vc.load(frame([("a", "b"), ("b", "c")], "source,target"), customers=["c"])
    assert chain.parties[["id", "kind"]].values.tolist() == [["a", "team"], ["b", "team"], ["c", "external_customer"]]


def test_dataframes_with_numbers_and_missing_values():
    h = pd.DataFrame({"source": [7, 8], "target": ["c", "c"], "essential": [True, None]})
    chain = vc.load(h, customers=["c"])
    assert chain.handoffs["source"].tolist() == ["7", "8"]
    assert chain.handoffs["essential"].tolist() == [True, True]


def test_excel_workbook_with_both_sheets(tmp_path):
    path = tmp_path / "org.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"Source": ["007", "b"], "Target": ["b", "c"], "Essential": ["yes", "no"]}).to_excel(
            xl, sheet_name="Handoffs", index=False
        )
        pd.DataFrame(
            {"id": ["007", "b", "c"], "kind": ["team", "team", "external_customer"], "headcount": [3, 4, None]}
        ).to_excel(xl, sheet_name="parties", index=False)
    chain = vc.load(path)
    assert edges(chain) == [("007", "b"), ("b", "c")]
    assert chain.customers == ["c"]
    assert chain.parties["headcount"].tolist()[:2] == [3.0, 4.0]
    assert chain.analyze().summary["total_headcount"] == 7


def test_excel_one_workbook_per_table_and_numeric_cells(tmp_path):
    h, p = tmp_path / "h.xlsx", tmp_path / "p.xlsx"
    pd.DataFrame({"from": [7, 8], "to": ["c", "c"]}).to_excel(h, index=False, sheet_name="Sheet1")
    pd.DataFrame({"id": [7, 8, "c"], "kind": ["", "", "external_customer"]}).to_excel(p, index=False)
    chain = vc.load(h, parties=p)
    assert edges(chain) == [("7", "c"), ("8", "c")]


def test_excel_rows_are_numbered_as_excel_shows_them(tmp_path):
    path = tmp_path / "h.xlsx"
    pd.DataFrame({"source": ["a", None, "b"], "target": ["c", None, "zz"]}).to_excel(path, index=False)
    with pytest.raises(vc.InputError) as err:
        vc.load(path, parties=pd.DataFrame({"id": ["a", "b", "c"], "kind": ["", "", "external_customer"]}))
    [problem] = err.value.errors
    assert (problem.row, problem.column) == (4, "target")
    assert problem.file.endswith("h.xlsx [Sheet1]")


def test_rows_with_extra_empty_cells_are_read(write):
    chain = vc.load(write("h.csv", "source,target\na,c,,\nb,c\n"), customers=["c"])
    assert edges(chain) == [("a", "c"), ("b", "c")]


def test_every_row_with_extra_cells_is_reported(write):
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h.csv", "source,target\na,c,x\nb,c\nd,c,y,z\n"), customers=["c"])
    assert [(p.row, p.message) for p in err.value.errors] == [
        (2, "this row has 3 cells but the header has 2"),
        (4, "this row has 4 cells but the header has 2"),
    ]


def test_uploaded_workbook_with_both_sheets(tmp_path):
    import io

    path = tmp_path / "org.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"source": ["a"], "target": ["c"]}).to_excel(xl, sheet_name="handoffs", index=False)
        pd.DataFrame({"id": ["a", "c"], "kind": ["team", "external_customer"]}).to_excel(
            xl, sheet_name="parties", index=False
        )
    upload = io.BytesIO(path.read_bytes())
    upload.name = "org.xlsx"
    chain = vc.load(upload)
    assert chain.customers == ["c"] and edges(chain) == [("a", "c")]


def test_uploaded_csv_files():
    import io

    h, p = io.BytesIO(b"from;to\na;c\n"), io.BytesIO("id,kind\na,\nc,external customer\n".encode("utf-16"))
    h.name, p.name = "handoffs.csv", "parties.csv"
    chain = vc.load(h, parties=p)
    assert chain.customers == ["c"] and edges(chain) == [("a", "c")]


# --- issue 14: Excel read exactly (point 5) -------------------------------------------------

from tests.data.bad import cases_read as books  # noqa: E402  (workbooks built with openpyxl)
from valuechain.io import read as reader  # noqa: E402


def test_a_hidden_sheet_is_never_read_in_place_of_a_visible_one(write):
    chain = vc.load(write("h.xlsx", books.hidden_sheet_first()), customers=["diners"])
    assert edges(chain) == [("kitchen", "floor"), ("floor", "diners")]
    [w] = chain.warnings
    assert (w.message, w.hint) == (
        "read sheet 'Current' (the first visible sheet) as the hand-offs",
        "name the sheet 'handoffs' to choose",
    )
    assert w.file.endswith("h.xlsx")


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_the_named_sheet_is_read_and_a_visible_one_wins_over_a_hidden_one(write, state):
    rows = {"Handoffs ": [["source", "target"], ["a", "c"]], "handoffs": [["source", "target"], ["old", "c"]]}
    chain = vc.load(write("h.xlsx", books.workbook(rows, hidden={"handoffs": state})), customers=["c"])
    assert edges(chain) == [("a", "c")] and chain.warnings == []
    only_hidden = books.workbook({"Notes": [["x"]], "handoffs": rows["handoffs"]}, hidden={"handoffs": state})
    chain = vc.load(write("h2.xlsx", only_hidden), customers=["c"])
    assert edges(chain) == [("old", "c")]
    assert [w.message for w in chain.warnings] == [
        "the sheet 'handoffs' is hidden; it was read as the hand-offs because of its name"
    ]


def test_one_sheet_gives_no_warning_and_every_sheet_hidden_is_an_error(write):
    chain = vc.load(write("h.xlsx", books.workbook({"Export": [["source", "target"], ["a", "c"]]})), customers=["c"])
    assert chain.warnings == []
    import io
    import zipfile

    # Excel and openpyxl never save such a workbook: hide the last visible sheet in its XML
    book = books.workbook({"A": [["source", "target"], ["a", "c"]], "B": [["x"]]}, hidden={"A": "hidden"})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            xml = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                xml = xml.replace(b'state="visible"', b'state="veryHidden"')
            dst.writestr(item, xml)
    hidden = out.getvalue()
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h2.xlsx", hidden), customers=["c"])
    assert [p.message for p in err.value.problems] == ["every sheet of the workbook is hidden"]


def test_excel_error_cells_are_errors_naming_the_cell_and_the_value(write):
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h.xlsx", books.error_cells()), customers=["diners"])
    found = [(p.severity, p.row, p.column, p.message) for p in err.value.problems]
    assert found == [
        ("error", 3, "target", "cell B3 holds the Excel error #N/A"),
        ("error", 4, "source", "cell A4 holds the Excel error #REF!"),
        ("error", 4, "target", "cell B4 holds the Excel error #DIV/0!"),
    ]
    assert all(p.file.endswith("h.xlsx [handoffs]") for p in err.value.problems)


@pytest.mark.parametrize("code", ["#NAME?", "#NULL!", "#NUM!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA"])
def test_every_excel_error_value_is_an_error(write, code):
    import io
    import zipfile

    # openpyxl writes only the codes it knows as errors: put the code in the sheet's XML by hand
    book = books.workbook({"handoffs": [["source", "target"], ["a", "c"]]})
    typed = b'<c r="B2" t="inlineStr"><is><t>c</t></is></c>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            xml = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                assert typed in xml
                xml = xml.replace(typed, f'<c r="B2" t="e"><v>{code}</v></c>'.encode())
            dst.writestr(item, xml)
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h.xlsx", out.getvalue()), customers=["c"])
    [p] = err.value.problems
    assert (p.row, p.column, p.message) == (2, "target", f"cell B2 holds the Excel error {code}")


def test_a_formula_whose_result_was_never_saved_is_an_error(write):
    book = books.workbook({"handoffs": [["source", "target"], ["a", "c"], ["b", "=B2"]]})
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h.xlsx", book), customers=["c"])
    [p] = err.value.problems
    assert (p.row, p.column, p.message) == (3, "target", "cell B3 holds a formula (=B2) whose result was never saved")
    assert "save it" in p.hint


def test_numbers_are_read_as_excel_shows_them_where_the_format_pads_or_fixes_decimals(write):
    import datetime as dt

    rows = [
        ["source", "target", "cost", "flag", "when", "code", "long"],
        [7, "c", 1200, True, dt.datetime(2026, 1, 2), 7, 1234567890123456789],  # saved as a float, like Excel
        [1.5, "c", 0.1 + 0.2, False, dt.datetime(2026, 1, 2, 9, 30), 12, 2**53],
        [42, "c", 2.5, True, None, None, 1e15 - 1],
    ]
    formats = {
        ("handoffs", "A2"): "000",
        ("handoffs", "A3"): "0.00",
        ("handoffs", "A4"): "#,##0",
        ("handoffs", "C2"): "#,##0",
        ("handoffs", "C4"): "0",
        ("handoffs", "E2"): "d-mmm",
        ("handoffs", "F2"): '"ID-"000',
        ("handoffs", "F3"): '"ID-"000',
    }
    raw = reader.read_table(write("h.xlsx", books.workbook({"handoffs": rows}, formats=formats)), "handoffs")
    assert raw.frame.to_dict("list") == {
        "source": ["007", "1.50", "42"],
        "target": ["c", "c", "c"],
        "cost": ["1200", "0.3", "3"],
        "flag": ["TRUE", "FALSE", "TRUE"],
        "when": ["2026-01-02", "2026-01-02 09:30:00", ""],
        "code": ["7", "12", ""],
        "long": ["1234567890123457024", "9007199254740992", "999999999999999"],
    }
    assert [(p.severity, p.row, p.column, p.message) for p in raw.problems] == [
        # 42 formatted #,##0 (A4) shows as read: no warning
        (
            "warning",
            2,
            "cost",
            "cell C2 holds a number that Excel shows as '1,200' with the format '#,##0'; it is read as 1200",
        ),
        ("warning", 2, "when", "this column holds dates (cell E2 is read as 2026-01-02)"),
        (
            "warning",
            2,
            "code",
            "cell F2 holds a number that Excel shows as 'ID-007' with the format '\"ID-\"000'; it is read as 7",
        ),
        ("warning", 2, "long", "cell G2 holds the number 1234567890123457024, longer than the 15 digits Excel keeps"),
    ]


def test_excel_blank_rows_before_the_header_keep_the_sheet_row_numbers(write):
    raw = reader.read_table(write("h.xlsx", books.header_on_row_three()), "handoffs")
    assert list(raw.frame.index) == [4, 5] and list(raw.frame.columns) == ["source", "target"]
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h2.xlsx", books.repeated_header_below_blank_rows()), customers=["diners"])
    assert [(p.row, p.message) for p in err.value.problems] == [
        (5, "row 5 repeats the header row; two files pasted together? delete it")
    ]


# --- issue 14: sizes (point 11) -------------------------------------------------------------


def test_a_value_in_column_xfd_is_refused_at_once(write):
    import time

    path = write("h.xlsx", books.far_column(rows=3000))
    started = time.perf_counter()
    with pytest.raises(vc.InputError) as err:
        vc.load(path, customers=["diners"])
    assert time.perf_counter() - started < 5  # 26 s and 981 MB before, for 9 KB
    [p] = err.value.problems
    assert p.message == (
        "the sheet 'handoffs' declares 16,384 columns (cell XFD4 holds a value); "
        "a table wider than 1,000 columns is not read"
    )
    assert p.file.endswith("h.xlsx [handoffs]")


def test_a_sheet_of_too_many_cells_is_refused(write, monkeypatch):
    monkeypatch.setattr(reader, "EXCEL_MAX_CELLS", 50)
    rows = [["source", "target", "note"]] + [[f"t{i}", "c", "x"] for i in range(30)]
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h.xlsx", books.workbook({"handoffs": rows})), customers=["c"])
    [p] = err.value.problems
    assert p.message == "the sheet 'handoffs' holds more than 50 cells (17 rows of 3 columns so far)"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(write, monkeypatch):
    import tracemalloc

    path = write("h.xlsx", books.zip_bomb(padding=30_000_000))
    tracemalloc.start()
    with pytest.raises(vc.InputError) as err:
        vc.load(path, customers=["diners"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000  # nothing unpacked
    [p] = err.value.problems
    assert p.message.startswith("the workbook's part 'xl/worksheets/sheet1.xml' unpacks to 30 MB from ")
    assert p.message.endswith("over 100 times its size (a zip bomb?)")
    monkeypatch.setattr(reader, "ZIP_MAX_UNPACKED", 1000)
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h2.xlsx", books.error_cells()), customers=["diners"])
    assert err.value.problems[0].message.endswith("MB (more than 0 MB are not read)")
    assert reader.workbook_sheets(path) == []  # a refused workbook's sheet names are not read either


def test_a_csv_of_50000_columns_is_read_in_seconds(write):
    import time

    width = 50_000
    header = ",".join(["source", "target"] + [f"c{i}" for i in range(width - 2)])
    row = ",".join(["a", "c"] + ["x"] * (width - 2))
    path = write("h.csv", f"{header}\n{row}\n{row}\n")
    started = time.perf_counter()
    raw = reader.read_table(path, "handoffs")
    assert time.perf_counter() - started < 3  # 7.6 s alone (22 s on a busy machine) before
    assert raw.frame.shape == (2, width) and list(raw.frame.index) == [2, 3]
    assert raw.frame["c49997"].tolist() == ["x", "x"]


def test_a_wide_csv_with_a_stray_quote_or_a_long_row_says_so(write):
    header = ",".join(f"c{i}" for i in range(2000))
    with pytest.raises(vc.InputError) as err:
        reader.read_table(write("h.csv", header + '\n"open,' + "x," * 1998 + "\n"), "handoffs")
    assert [p.message for p in err.value.problems] == ["a quoted value is never closed"]
    with pytest.raises(vc.InputError) as err:
        reader.read_table(write("h2.csv", header + "\n" + "x," * 2000 + "y\n"), "handoffs")
    assert [(p.row, p.message) for p in err.value.problems] == [(2, "this row has 2001 cells but the header has 2000")]


def _load_in_a_process(path: str) -> str:
    """vc.load(path) in a child process, killed after 60 s: a regression cannot hang the suite."""
    import subprocess
    import sys

    code = (
        "import sys, valuechain as vc\ntry:\n    vc.load(sys.argv[1])\nexcept vc.InputError as err:\n    print(err)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_dev_zero_is_refused(tmp_path):
    assert _load_in_a_process("/dev/zero") == (
        "1 problem in the input:\n"
        "  /dev/zero: this is not a regular file (a device, a pipe or a socket); give a file saved on disk"
    )


def test_a_named_pipe_is_refused(tmp_path):
    import os

    fifo = tmp_path / "handoffs.csv"
    os.mkfifo(fifo)
    assert _load_in_a_process(str(fifo)) == (
        f"1 problem in the input:\n  {fifo}: this is not a regular file (a device, a pipe or a socket); "
        "give a file saved on disk"
    )


def test_a_memory_error_becomes_a_message_naming_the_file(write, monkeypatch):
    def no_memory(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(reader, "_from_csv", no_memory)
    monkeypatch.setattr(reader, "_from_excel", no_memory)
    for name in ("h.csv", "h.xlsx"):
        with pytest.raises(vc.InputError) as err:
            vc.load(write(name, HANDOFFS), customers=["diners"])
        [p] = err.value.problems
        assert p.file.endswith(name) and p.message.startswith("there is not enough memory to read this file (")
        assert name in str(err.value)


# --- issue 14: repeated header and blank lines (point 7) ------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "\n\nsource,target\na,c\n\nb,c\n",  # pandas' reader (a blank line inside)
        "\n\nsource,target\na,c\nb,c\n",  # Arrow's reader
        "\r\n ,\r\nsource,target\r\na,c\r\nb,c\r\n",  # CRLF, a line of a delimiter and a space
        '\n\nsource,target\na,c\n"b",c\n"',  # odd quotes: pandas' reader
    ],
)
def test_blank_lines_before_the_header_are_skipped_and_rows_keep_their_numbers(write, content):
    if content.endswith('"'):
        with pytest.raises(vc.InputError) as err:
            vc.load(write("h.csv", content), customers=["c"])
        assert [(p.row, p.message) for p in err.value.problems] == [(6, "a quoted value is never closed")]
        return
    chain = vc.load(write("h.csv", content), customers=["c"])
    assert edges(chain) == [("a", "c"), ("b", "c")]
    expected = [4, 6] if "\n\nb" in content else [4, 5]
    assert chain.handoffs.index.tolist() == expected


def test_a_header_on_line_3_names_its_rows_as_a_spreadsheet_does(write):
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h.csv", "\n\nsource,target\na,c\n,c\n"), customers=["c"])
    assert [(p.row, p.column) for p in err.value.errors] == [(5, "source")]
    latin = "\n\nsource;target\ncafé;c\n;c\n".encode("cp1252")
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h2.csv", latin), customers=["c"])
    assert [(p.row, p.column) for p in err.value.errors] == [(5, "source")]


@pytest.mark.parametrize(
    "content,row",
    [
        (HANDOFFS + HANDOFFS, 4),  # Arrow's reader
        (HANDOFFS + "\n" + HANDOFFS, 5),  # pandas' reader
        (HANDOFFS + "\ufeff" + HANDOFFS, 4),  # two UTF-8 files with a BOM each
        (HANDOFFS + " Source , TARGET ,deliverable\n", 4),  # case and spaces differ: still the header
        (HANDOFFS + "SOURCE,TARGET,Deliverable\n", 4),
        (HANDOFFS + "source team,Target-Team,deliverable\n", 4),  # a trailing team word, punctuation
        (HANDOFFS + "\uff33\uff2f\uff35\uff32\uff23\uff25,target,deliverable\n", 4),  # full-width letters
        (HANDOFFS + "Source,diners,x\n", None),  # the first cell alone: an id row (kept)
        (HANDOFFS.encode("cp1252") + "caf\xe9,diners,x\n".encode("cp1252") + HANDOFFS.encode("cp1252"), 5),
    ],
)
def test_a_row_repeating_the_header_is_an_error(write, content, row):
    path = write("h.csv", content)
    if row is None:
        raw = reader.read_table(path, "handoffs")
        assert raw.frame["source"].tolist()[-1] == "Source"
        return
    with pytest.raises(vc.InputError) as err:
        vc.load(path, customers=["diners"])
    assert [(p.severity, p.row, p.message) for p in err.value.errors] == [
        ("error", row, f"row {row} repeats the header row; two files pasted together? delete it")
    ]


# --- issue 14: encodings (point 15) ---------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-32"])
def test_utf16_and_utf32_without_a_bom_are_read(write, codec):
    text = "source;target;deliverable\nCafé;Kunden;Brötchen 🥐\nÜbersee;Kunden;x\n"
    chain = vc.load(write("h.csv", text.encode(codec)), customers=["Kunden"])
    assert chain.handoffs["source"].tolist() == ["Café", "Übersee"]
    assert chain.handoffs["deliverable"].tolist() == ["Brötchen 🥐", "x"]
    assert chain.warnings == []


def test_binary_data_stays_refused_and_messages_hold_no_nul(write):
    for data in (bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x81", b"ab\x00\x00" * 3):
        with pytest.raises(vc.InputError) as err:
            vc.load(write("h.csv", data), customers=["c"])
        assert "\x00" not in str(err.value)
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h2.csv", b"source,target\na,b\nc,d\x00\n"), customers=["c"])
    [p] = err.value.problems
    assert p.message == "this is not a text table: line 3 holds a NUL byte"
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h2.csv", b"source,tar\x1bget,tar\x1bget\na,b,c\n"), customers=["c"])
    [p] = err.value.problems
    assert (p.message, p.column) == ("two columns have the header 'tar\\x1bget' (columns B and C)", "tar\\x1bget")
    assert "\x1b" not in str(err.value)
    with pytest.raises(vc.InputError) as err:
        reader.read_table(write("h3.csv", "a,b\n1,2\n"), "handoffs").renamed({"source": "x\x1b[2J"})
    assert "\x1b" not in str(err.value) and "x\\x1b[2J" in str(err.value)


@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_excels_sep_line_names_the_delimiter_and_is_not_a_row(write, sep):
    other = ";" if sep == "," else ","  # a cell holding another delimiter: one cell only if sep= is obeyed
    content = f"sep={sep}\r\nsource{sep}target\r\na{other}b{sep}c\r\n{sep}c\r\n"
    raw = reader.read_table(write("h.csv", content), "handoffs")
    assert raw.frame.to_dict("list") == {"source": [f"a{other}b", ""], "target": ["c", "c"]}
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h.csv", content), customers=["c"])
    assert [(p.row, p.column, p.message) for p in err.value.errors] == [(3, "source", "the source id is empty")]


def _with_sheet_xml(sheet_xml: str, shared_xml: str | None = None) -> bytes:
    """An openpyxl workbook whose one sheet's XML (and shared strings) are replaced by hand-written ones."""
    import io
    import zipfile

    book = books.workbook({"handoffs": [["x"]]})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            xml = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                xml = sheet_xml.encode()
            elif shared_xml and item.filename == "[Content_Types].xml":
                part = (
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                )
                xml = xml.replace(b"</Types>", part.encode() + b"</Types>")
            elif shared_xml and item.filename == "xl/_rels/workbook.xml.rels":
                rel = (
                    '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
                )
                xml = xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            dst.writestr(item, xml)
        if shared_xml:
            dst.writestr("xl/sharedStrings.xml", shared_xml)
    return out.getvalue()


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_a_sheet_as_excel_writes_it_is_read_cell_by_cell(write):
    """Shared strings (rich text, phonetic runs), a namespace prefix, cells without references, Booleans,
    ISO dates, formula results of every type: what Excel shows, row numbers as in the sheet."""
    shared = (
        f'<sst xmlns="{MAIN}"><si><t>source</t></si><si><t>target</t></si><si><t>kitchen</t></si>'
        '<si><r><t>fl</t></r><r><rPr><b/></rPr><t>oor</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si></sst>'
    )
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1:C6"/><x:sheetData>'
        '<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c><x:v>7</x:v></x:c></x:row>'
        '<x:row r="3"><x:c r="A3" t="s"><x:v>2</x:v></x:c><x:c r="B3" t="s"><x:v>3</x:v></x:c>'
        '<x:c r="C3" t="b"><x:v>1</x:v></x:c></x:row>'
        '<x:row><x:c r="A4" t="str"><x:f>A3&amp;"!"</x:f><x:v>kitchen!</x:v></x:c>'
        '<x:c r="B4" t="inlineStr"><x:is><x:t xml:space="preserve"> dining room </x:t></x:is></x:c>'
        '<x:c r="C4" t="d"><x:v>2026-01-05T09:30:00</x:v></x:c></x:row>'
        '<x:row r="6"><x:c r="A6" t="str"><x:f>""</x:f><x:v></x:v></x:c><x:c r="B6"><x:v>1E3</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    raw = reader.read_table(write("h.xlsx", _with_sheet_xml(sheet, shared)), "handoffs")
    assert list(raw.frame.columns) == ["source", "target", "7"]
    assert raw.frame.to_dict("index") == {
        3: {"source": "kitchen", "target": "floor", "7": "TRUE"},
        4: {"source": "kitchen!", "target": " dining room ", "7": "2026-01-05 09:30:00"},
        6: {"source": "", "target": "1000", "7": ""},
    }


def test_a_sheet_declaring_entities_is_refused(write):
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    with pytest.raises(vc.InputError) as err:
        reader.read_table(write("h.xlsx", _with_sheet_xml(sheet)), "handoffs")
    [p] = err.value.problems
    assert p.message.startswith("the sheet 'handoffs' cannot be read (")
    assert "entit" in p.message or "document type" in p.message


def test_a_dataframe_with_blank_column_names_has_an_empty_header_row():
    with pytest.raises(vc.InputError) as err:
        reader.read_table(pd.DataFrame([["source", "target"], ["a", "c"]], columns=["", " "]), "handoffs")
    assert [(p.row, p.message) for p in err.value.problems] == [(1, "the header row is empty")]


@pytest.mark.parametrize(
    ("columns", "cells", "where"),
    [
        (["source", "target"], [["a", "c"], ["b" + chr(0xD800), "c"]], (3, "source")),
        (["source", "target" + chr(0xDFFF)], [["a", "c"]], (1, "column B")),
    ],
)
def test_a_dataframe_holding_half_a_character_is_refused_naming_the_cell(columns, cells, where):
    frame = pd.DataFrame(np.array(cells, dtype=object), columns=pd.Index(columns, dtype=object), dtype=object)
    with pytest.raises(vc.InputError) as err:
        vc.load(frame, customers=["c"])
    [p] = err.value.problems
    assert (p.row, p.column, p.code) == (*where, Code.BAD_VALUE)
    assert "half of a character" in p.message and "decode" in p.hint


@pytest.mark.parametrize(
    "content",
    [
        "Source,Target\na,b\nSOURCE,TARGET\nb,cust\n",
        "From Team,To Team\na,b\nfrom team,to team\nb,cust\n",
        "From Team,To Team\na,b\nFROM,to\nb,cust\n",  # the team word dropped
        "Quelle;Ziel;Straße\na;b;x\nquelle;ziel;STRASSE\nb;cust;y\n",  # \u00df case-folds to ss
    ],
)
def test_a_header_repeated_in_another_case_or_spelling_is_an_error(write, content):
    with pytest.raises(vc.InputError) as err:
        reader.read_table(write("h.csv", content), "handoffs")
    assert [(p.row, p.message) for p in err.value.errors] == [
        (3, "row 3 repeats the header row; two files pasted together? delete it")
    ]
    book = books.workbook({"handoffs": [line.split(";" if ";" in line else ",") for line in content.splitlines()]})
    with pytest.raises(vc.InputError) as err:
        reader.read_table(write("h.xlsx", book), "handoffs")
    assert [p.row for p in err.value.errors] == [3]


def test_cells_longer_than_pythons_csv_limit_are_read(write):
    long = "h" * 200_000
    raw = reader.read_table(write("h.csv", f"source,target,{long}\na,b,1\nb,cust,2\n"), "handoffs")
    assert list(raw.frame.columns) == ["source", "target", long] and raw.frame.index.tolist() == [2, 3]
    for content in (f"source,target\n{'a' * 200_000},b\nb,cust,zz\n", f"source;target\n{'a' * 200_000};b\nb;cust;zz\n"):
        for data in (content, content.encode("utf-16")):  # UTF-8 and decoded text
            with pytest.raises(vc.InputError) as err:
                reader.read_table(write("h.csv", data), "handoffs")
            assert [(p.row, p.message) for p in err.value.errors] == [(3, "this row has 3 cells but the header has 2")]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_lines_below_a_sep_line_keep_their_row_numbers(write, newline):
    """Excel shows no row for the sep= line, but shows the blank lines below it: the header is on row 3."""
    content = newline.join(["sep=;", "", "", "source;target", "a;", ";c", ""])
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h.csv", content), customers=["c"])
    assert [(p.row, p.column) for p in err.value.errors] == [(4, "target"), (5, "source")]
    assert reader.read_table(write("h.csv", content.replace("a;", "a;b")), "handoffs").frame.index.tolist() == [4, 5]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        "来源,目标\n销售部门,客户服务部门\n客户服务部门,客户\n",  # too few NUL bytes to tell by them
        "источник;цель\nПродажи;Поддержка\nПоддержка;Клиенты\n",  # valid UTF-8 (every byte below 0x80)
        "来源\t目标\r\n销售部门\t客户",  # tabs, CRLF, no final line end
    ],
)
def test_mostly_non_latin_utf16_without_a_bom_is_read(write, codec, text):
    raw = reader.read_table(write("h.csv", text.encode(codec)), "handoffs")
    lines = [line.split("\t" if "\t" in text else "," if "," in text else ";") for line in text.splitlines()]
    assert raw.frame.to_dict("list") == {h: [row[i] for row in lines[1:]] for i, h in enumerate(lines[0])}
    assert raw.problems == []


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_nul_in_utf16_or_utf32_text_is_reported_with_its_line(write, codec):
    with pytest.raises(vc.InputError) as err:
        reader.read_table(write("h.csv", "source;target\na;b\nc;d\x00e\n".encode(codec)), "handoffs")
    assert [p.message for p in err.value.problems] == ["this is not a text table: line 3 holds a NUL byte"]


def _sheet(*rows: str) -> str:
    """A sheet's XML: the header source, target on row 1, then ``rows`` (each a ``<row>`` element's cells)."""
    header = "".join(
        f'<c r="{r}1" t="inlineStr"><is><t>{h}</t></is></c>' for r, h in (("A", "source"), ("B", "target"))
    )
    header = f'<row r="1">{header}</row>'
    body = "".join(f'<row r="{n}">{cells}</row>' for n, cells in enumerate(rows, start=2))
    return f'<worksheet xmlns="{MAIN}"><sheetData>{header}{body}</sheetData></worksheet>'


A2 = '<c r="A2" t="inlineStr"><is><t>kitchen</t></is></c>'


@pytest.mark.parametrize("formula", ['<c r="B2" t="str"><f>IF(A2="","x","floor")</f></c>', '<c r="B2"><f>A2</f></c>'])
def test_a_text_formula_whose_result_was_never_saved_is_an_error(write, formula):
    with pytest.raises(vc.InputError) as err:
        reader.read_table(write("h.xlsx", _with_sheet_xml(_sheet(A2 + formula))), "handoffs")
    [p] = err.value.problems
    assert (p.row, p.column) == (2, "target") and "whose result was never saved" in p.message and "cell B2" in p.message


def test_a_text_formula_saved_empty_is_an_empty_cell(write):
    """Excel writes an empty text result (=IF(A2="","","x")) as <v></v>: a saved result, read as empty."""
    raw = reader.read_table(
        write("h.xlsx", _with_sheet_xml(_sheet(A2 + '<c r="B2" t="str"><f>""</f><v></v></c>'))), "handoffs"
    )
    assert raw.frame.to_dict("index") == {2: {"source": "kitchen", "target": ""}}


@pytest.mark.parametrize(
    "cells,message",
    [
        (
            A2 + '<c r="2" t="inlineStr"><is><t>floor</t></is></c>',
            "has a cell on row 2 whose reference '2' names no column",
        ),
        (A2 + '<c r="A2" t="inlineStr"><is><t>ghost</t></is></c>', "lists cell A2 twice"),
        (A2 + '<c r="B2" t="inlineStr"><is><t>floor</t></is></c><c r="b2"><v>1</v></c>', "lists cell B2 twice"),
    ],
)
def test_a_cell_without_a_column_or_listed_twice_is_refused(write, cells, message):
    with pytest.raises(vc.InputError) as err:
        reader.read_table(write("h.xlsx", _with_sheet_xml(_sheet(cells))), "handoffs")
    [p] = err.value.problems
    assert p.row == 2 and p.message.startswith("the sheet 'handoffs' ") and message in p.message


@pytest.mark.parametrize(
    "value,code,read,message",
    [
        (123456789, "000-00-0000", "123456789", "shows as '123-45-6789' with the format '000-00-0000'"),
        (-5, "000;(000)", "-5", "shows as '(005)' with the format '000;(000)'"),
        (5, "000;(000)", "005", None),  # the first section pads: read as shown
        (-5, "0;-0", "-5", None),  # the negative section shows the sign as read
        (0.5, "0%", "0.5", "shows as '50%' with the format '0%'"),
        (0.5, "# ?/?", "0.5", "shows with the format '# ?/?'"),  # a fraction: not worked out, still warned
        (1234.5, "#,##0.00", "1234.5", "shows as '1,234.50' with the format '#,##0.00'"),
        (1234567, "#,##0", "1234567", "shows as '1,234,567' with the format '#,##0'"),
        (1234, "0.0E+00", "1234", "shows with the format '0.0E+00'"),
        (5, "[>100]000;0.0", "5", "shows with the format '[>100]000;0.0'"),  # was read with the first section: 005
        (500, "[>100]000;0.0", "500", "shows with the format '[>100]000;0.0'"),
        (0, '0;-0;"none"', "0", "shows as 'none' with the format '0;-0;\"none\"'"),
    ],
)
def test_number_formats_that_change_what_is_shown_are_warned_about(write, value, code, read, message):
    book = books.workbook(
        {"handoffs": [["source", "target", "n"], ["a", "c", value]]}, formats={("handoffs", "C2"): code}
    )
    raw = reader.read_table(write("h.xlsx", book), "handoffs")
    assert raw.frame["n"].tolist() == [read]
    if message is None:
        assert raw.problems == []
        return
    [p] = raw.problems
    assert (p.severity, p.row, p.column) == ("warning", 2, "n")
    assert p.message == f"cell C2 holds a number that Excel {message}; it is read as {read}"


def test_a_number_beyond_floats_with_a_format_is_read_as_written():
    """<v>1E999</v> is infinity to Python: no format is worked out for it (a padding format stopped the sheet)."""
    for code in ("000", "#,##0.00"):
        formats = reader._NumberFormats(None)
        formats.cache[1] = code
        notes = {}
        assert formats.text(float("inf"), 1, notes, 2, 1) == "inf" and notes == {}


def test_the_options_of_the_readers_are_keyword_only(write):
    import inspect

    for function, positional in ((reader.read_table, ["source", "table"]), (reader.read_bytes, ["source"])):
        parameters = inspect.signature(function).parameters.values()
        assert [p.name for p in parameters if p.kind is not p.KEYWORD_ONLY] == positional, function.__name__
    path = write("h.csv", "a,b\n1,2\n")
    assert reader.read_table(path, "handoffs", label="mine").label == "mine"
    assert reader.read_bytes(path, default_name="x.csv") == (str(path), b"a,b\n1,2\n")
