"""Event logs in DuckDB: the SQL rule equals the pandas reference, on random logs and on files of every shape
(CSV, Parquet, folders, globs, lists), with messages naming the file and row; memory limits; the command line."""

from __future__ import annotations

import csv
import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import valuechain as vc
from tests.conftest import DATA
from tests.eventlog_reference import handoffs_from_events
from valuechain.cli import main
from valuechain.eventlog import duck, read_log

LOGS = DATA.parent / "tests" / "data" / "bad" / "logs"
TEAMS = ["X", "Y", "Z", "Caf\u00e9", "b"]


def reference(events: pd.DataFrame, outcomes=None, customer="customer"):
    """What the pandas rule gives for these events (``read_log``'s columns)."""
    return handoffs_from_events(events, outcomes, customer)


def assert_same(chain: vc.Chain, expected) -> None:
    """The chain from_log built equals the reference: hand-offs, parties and what the log adds."""
    handoffs, parties, extra = expected
    got = chain.handoffs[handoffs.columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, handoffs, check_dtype=False)
    assert chain.parties["id"].tolist() == parties["id"].tolist()
    log = chain.log
    assert (log.cases, log.events) == (extra.cases, extra.events)
    pd.testing.assert_frame_equal(log.ping_pong, extra.ping_pong, check_dtype=False, check_index_type=False)
    pd.testing.assert_frame_equal(log.stuck, extra.stuck, check_dtype=False, check_index_type=False)
    pd.testing.assert_frame_equal(log.slowest, extra.slowest, check_dtype=False)


@st.composite
def raw_logs(draw):
    """A log as written: few cases, teams and times, so that ties, ping-pong and stuck cases are common."""
    n = draw(st.integers(1, 40))
    cells = st.lists(st.integers(0, 40), min_size=n, max_size=n)
    minutes = draw(cells)
    log = pd.DataFrame(
        {
            "case": [f"c{i % 6}" for i in draw(cells)],
            "activity": [["a", "b", "c", "done"][i % 4] for i in draw(cells)],
            "team": [TEAMS[i % len(TEAMS)] for i in draw(cells)],
            # quarter hours: waits such as 0.125 hours, where rounding half to even matters
            "timestamp": [
                f"2026-01-0{1 + m // 20} {9 + (m % 20) // 4:02d}:{(m % 4) * 15 // 2:02d}:30" for m in minutes
            ],
        }
    )
    outcomes = draw(st.one_of(st.none(), st.sets(st.sampled_from(["a", "b", "c", "done", "none"]), max_size=2)))
    return log, (sorted(outcomes) if outcomes is not None else None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw_logs(), st.integers(1, 3))
def test_duckdb_equals_the_pandas_rule_on_random_logs_as_frames_csv_and_parquet(tmp_path, log_and_outcomes, parts):
    log, outcomes = log_and_outcomes
    events, _ = read_log(log)
    expected = reference(events, outcomes)
    assert_same(vc.from_log(log, outcomes=outcomes), expected)
    # the same log in files: one CSV, and Parquet split into parts (file order, then row order, breaks ties)
    path = tmp_path / "log.csv"
    log.to_csv(path, index=False)
    assert_same(vc.from_log(path, outcomes=outcomes), expected)
    folder = tmp_path / f"parts-{parts}"
    folder.mkdir(exist_ok=True)
    size = -(-len(log) // parts)
    for i in range(parts):
        pq.write_table(pa.Table.from_pandas(log.iloc[i * size : (i + 1) * size], preserve_index=False),
                       folder / f"part-{i}.parquet")  # fmt: skip
    assert_same(vc.from_log(folder, outcomes=outcomes), expected)
    assert_same(vc.from_log(str(folder / "part-*.parquet"), outcomes=outcomes), expected)
    listed = sorted(folder.glob("*.parquet"))
    assert_same(vc.from_log(listed, outcomes=outcomes, memory_limit="200MB"), expected)


OK_LOGS = [
    row["log"] for row in csv.DictReader((LOGS / "MANIFEST.csv").open(encoding="utf-8")) if row["expect"] != "error"
]


@pytest.mark.parametrize("name", OK_LOGS)
def test_every_readable_log_of_the_corpus_gives_what_the_pandas_rule_gives(name):
    options = {"outcomes": ["order"]} if name == "one-team-only.csv" else {}
    if name == "case-and-activity-nfc.csv":
        options = {"outcomes": ["livr\u00e9"]}
    if name == "ambiguous-dates-with-format.csv":
        options["time_format"] = "%d/%m/%Y %H:%M"
    events, _ = read_log(LOGS / name, time_format=options.get("time_format"))
    assert_same(vc.from_log(LOGS / name, **options), reference(events, options.get("outcomes")))


def test_csv_logs_go_through_duckdb_unless_blank_lines_or_utf16_need_the_table_reader(tmp_path):
    plain = LOGS / "day-first.csv"
    assert duck.duckdb_reads_csv(plain)
    blank = tmp_path / "blank.csv"
    blank.write_bytes(plain.read_bytes().replace(b"\n", b"\n\n", 1))
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(plain.read_text(encoding="utf-8").encode("utf-16"))
    assert not duck.duckdb_reads_csv(blank) and not duck.duckdb_reads_csv(utf16)
    expected = vc.from_log(plain).handoffs
    for path in (blank, utf16):  # read by the table reader, then the same rule
        pd.testing.assert_frame_equal(vc.from_log(path).handoffs, expected)


def write_parquet(path, **columns) -> None:
    pq.write_table(pa.table(columns), path)


def test_problems_in_parquet_files_name_the_file_and_the_record(tmp_path):
    good = {"case": ["1", "1"], "activity": ["a", "b"], "team": ["A", "B"],
            "timestamp": ["2026-01-01 09:00", "2026-01-01 10:00"]}  # fmt: skip
    write_parquet(tmp_path / "a.parquet", **good)
    write_parquet(tmp_path / "b.parquet", **{**good, "team": ["A", " "]})
    with pytest.raises(vc.InputError) as err:
        vc.from_log(tmp_path)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(tmp_path / "b.parquet"), 2, "team")
    assert problem.message == "no team in this event"
    write_parquet(tmp_path / "b.parquet", **{**good, "timestamp": ["2026-01-01 09:00", "2500-01-01 10:00"]})
    with pytest.raises(vc.InputError) as err:
        vc.from_log(str(tmp_path / "*.parquet"))
    [problem] = err.value.problems
    assert (problem.file, problem.row) == (str(tmp_path / "b.parquet"), 2) and "in the year 2500" in problem.message


def test_parquet_timestamps_and_numbers_are_read_as_they_are_typed(tmp_path):
    times = pd.to_datetime(["2026-01-01 09:00", "2026-01-01 10:30", "2026-01-01 10:30"]).as_unit("us")
    write_parquet(tmp_path / "typed.parquet", case=[7, 7, 7], activity=["a", "b", "c"], team=["A", "B", "C"],
                  time=pa.array(times))  # fmt: skip
    chain = vc.from_log(tmp_path / "typed.parquet")
    rows = chain.handoffs.set_index(["source", "target"])
    assert rows.loc[("A", "B"), "median_wait_hours"] == 1.5 and rows.loc[("B", "C"), "median_wait_hours"] == 0
    assert chain.warnings == [] and chain.log.cases == 1


def test_globs_folders_and_lists_that_find_nothing_say_so(tmp_path):
    with pytest.raises(vc.InputError, match=r"no \.csv or \.parquet file matches"):
        vc.from_log(str(tmp_path / "*.parquet"))
    with pytest.raises(vc.InputError, match=r"the folder holds no \.csv or \.parquet file"):
        vc.from_log(tmp_path)
    (tmp_path / "a.csv").write_text("case,activity,team,timestamp\n1,a,A,2026-01-01\n")
    write_parquet(tmp_path / "b.parquet", case=["1"], activity=["a"], team=["A"], timestamp=["2026-01-01"])
    with pytest.raises(vc.InputError, match="both CSV and Parquet"):
        vc.from_log(tmp_path)
    with pytest.raises(vc.InputError, match="the file does not exist"):
        vc.from_log([tmp_path / "a.csv", tmp_path / "missing.csv"])
    for twice in ([tmp_path / "a.csv", str(tmp_path / "*.csv")], [tmp_path / "a.csv", tmp_path / "." / "a.csv"]):
        with pytest.raises(vc.InputError, match=r"this file is named twice .*: its events would count twice"):
            vc.from_log(twice)
    (tmp_path / "folder.csv").mkdir()  # a glob leaves out folders, as a folder's files do
    assert vc.from_log(str(tmp_path / "*.csv")).log.events == 1
    os.mkfifo(tmp_path / "pipe.csv")  # read, it would never end
    with pytest.raises(vc.InputError, match=r"this is not a regular file \(a device, a pipe or a socket\)"):
        vc.from_log([tmp_path / "a.csv", tmp_path / "pipe.csv"])


def test_ties_keep_file_order_across_files(tmp_path):
    (tmp_path / "1.csv").write_text("case,activity,team,timestamp\n1,first,A,2026-01-01 10:00\n")
    (tmp_path / "2.csv").write_text("case,activity,team,timestamp\n1,second,B,2026-01-01 10:00\n"
                                    "1,third,C,2026-01-01 10:00\n")  # fmt: skip
    chain = vc.from_log([tmp_path / "1.csv", tmp_path / "2.csv"])
    assert set(zip(chain.handoffs["source"], chain.handoffs["target"])) == {("A", "B"), ("B", "C"), ("C", "customer")}
    reverse = vc.from_log([tmp_path / "2.csv", tmp_path / "1.csv"])
    assert set(zip(reverse.handoffs["source"], reverse.handoffs["target"])) == {
        ("B", "C"), ("C", "A"), ("A", "customer")
    }  # fmt: skip


def test_long_lists_are_capped_and_counted(monkeypatch):
    rows = []
    for i in range(12):  # 12 pairs of teams bounce a case each; 12 teams hold a stuck case each
        rows += [(f"p{i}", "a", f"T{i:02d}", "2026-01-01 09:00"), (f"p{i}", "b", f"U{i:02d}", "2026-01-01 10:00"),
                 (f"p{i}", "c", f"T{i:02d}", "2026-01-01 11:00")]  # fmt: skip
    log = pd.DataFrame(rows, columns=["case", "activity", "team", "timestamp"])
    monkeypatch.setattr(duck, "KEPT", 5)
    chain = vc.from_log(log, outcomes=["done"])
    assert len(chain.log.ping_pong) == 5 and chain.log.more_ping_pong == 7
    assert len(chain.log.stuck) == 5 and chain.log.more_stuck == 7 and chain.log.never_reached == 12
    from valuechain.text import render_log

    assert "12 cases never reach an outcome" in render_log(chain.log)


def test_approximate_waits_are_said_in_the_result():
    exact = vc.from_log(DATA / "order-to-delivery" / "events.csv")
    rough = vc.from_log(DATA / "order-to-delivery" / "events.csv", approximate_waits=True)
    assert exact.log.waits == "exact" and rough.log.waits == "approximate_duckdb"
    both = exact.handoffs.merge(rough.handoffs, on=["source", "target", "deliverable"])
    timed = both["median_wait_hours_x"].notna()
    assert (abs(both["median_wait_hours_x"] - both["median_wait_hours_y"])[timed] <= 0.05 * both[
        "median_wait_hours_x"][timed].abs().max()).all()  # fmt: skip
    from valuechain.text import render_log
    from valuechain.vocabulary import WAITS

    assert WAITS["approximate_duckdb"] in render_log(rough.log)


def test_too_many_times_that_are_not_iso_ask_for_a_format_which_reads_them_in_sql(tmp_path, monkeypatch):
    path = tmp_path / "day-first.csv"
    rows = [f"{i // 2},{'ab'[i % 2]},{'XY'[i % 2]},{1 + i % 28:02d}/01/2026 {i % 24:02d}:00" for i in range(40)]
    path.write_text("case,activity,team,timestamp\n" + "\n".join(rows) + "\n")
    monkeypatch.setattr(duck, "OTHER_TIMES", 10)
    with pytest.raises(vc.InputError) as err:
        vc.from_log(path)
    [problem] = err.value.problems
    assert problem.message.startswith("40 different times are not written as ISO 8601 (the first: '01/01/2026 00:00')")
    assert (problem.row, problem.column) == (2, "timestamp") and "--time-format" in problem.hint
    chain = vc.from_log(path, time_format="%d/%m/%Y %H:%M")
    events, _ = read_log(path, time_format="%d/%m/%Y %H:%M")
    assert_same(chain, reference(events))


def test_a_memory_limit_duckdb_cannot_use_is_an_option_error():
    with pytest.raises(vc.OptionError, match="the memory limit 'lots' cannot be used"):
        vc.from_log(DATA / "order-to-delivery" / "events.csv", memory_limit="lots")


def test_the_whitespace_trimmed_is_what_str_strip_trims():
    assert "".join(c for c in map(chr, range(0x110000)) if c.isspace()) == duck.WHITESPACE


def test_from_log_command_reads_a_quoted_glob_and_several_paths_with_a_memory_limit(tmp_path):
    log = pd.read_csv(DATA / "order-to-delivery" / "events.csv", dtype=str)
    half = len(log) // 2
    log.iloc[:half].to_parquet(tmp_path / "events-1.parquet", index=False)
    log.iloc[half:].to_parquet(tmp_path / "events-2.parquet", index=False)
    out = tmp_path / "h.csv"
    expected = vc.from_log(DATA / "order-to-delivery" / "events.csv", outcomes=["deliver order"]).handoffs
    for paths in ([str(tmp_path / "events-*.parquet")], [str(tmp_path / "events-1.parquet"),
                                                         str(tmp_path / "events-2.parquet")]):  # fmt: skip
        result = CliRunner().invoke(
            main, ["from-log", *paths, "--outcome", "deliver order", "--memory-limit", "500MB", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert "9 cases never reach an outcome" in result.output
        written = pd.read_csv(out)
        assert len(written) == len(expected) and written["cases"].sum() == expected["cases"].sum()
    bad = CliRunner().invoke(main, ["from-log", str(tmp_path / "events-1.parquet"), "--memory-limit", "lots",
                                    "-o", str(out)])  # fmt: skip
    assert bad.exit_code == 2 and "the memory limit 'lots' cannot be used" in bad.output, bad.output


def test_a_csv_duckdb_cannot_read_is_read_by_the_table_reader_with_its_messages(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("case,activity,team,timestamp\n1,a,A,2026-01-01 09:00\n1,b,B,2026-01-01 10:00,extra,more\n")
    with pytest.raises(vc.InputError) as err:
        vc.from_log(ragged)
    with pytest.raises(vc.InputError) as table_reader:
        read_log(ragged)
    assert [str(p) for p in err.value.problems] == [str(p) for p in table_reader.value.problems]
    assert not any("DuckDB" in str(p) for p in err.value.problems)


@pytest.mark.parametrize(
    "cell",
    ["2026-01-05 09:00+0100", "2026-01-05T09:00:00Z", "2026-01-05T09:00:00.123456-05:30", "2026-01-05",
     "2026-01-05 24:00", "2026-02-30 10:00", "2026-01-05T09:00:60", "2026-01-05T09:00:00.123456789+01:00",
     "2026-1-5 9:00", "5 January 2026 09:00"],
)  # fmt: skip
def test_a_time_reads_in_a_csv_as_in_a_table(tmp_path, cell):
    """Read by DuckDB in SQL or, when not plain ISO 8601, the pandas way: the same time or the same error."""
    frame = pd.DataFrame({"case": ["1", "1"], "activity": ["a", "b"], "team": ["A", "B"],
                          "timestamp": ["2026-01-01 00:00+00:00", cell]})  # fmt: skip
    path = tmp_path / "log.csv"
    frame.to_csv(path, index=False)
    try:
        events, _ = read_log(frame)
    except vc.InputError as expected:
        with pytest.raises(vc.InputError) as err:
            vc.from_log(path)
        assert [p.message for p in err.value.problems] == [p.message for p in expected.problems]
        return
    assert_same(vc.from_log(path), reference(events))


def test_parquet_headers_with_quotes_and_spaces_are_named_as_written(tmp_path):
    path = tmp_path / "odd.parquet"
    write_parquet(path, **{'case "id"': ["1", "1"], "activity": ["a", "b"], " team ": ["A", "B"],
                           'the "time"': ["2026-01-01 09:00", "soon"]})  # fmt: skip
    with pytest.raises(vc.InputError) as err:
        vc.from_log(path, case='case "id"', time='the "time"')
    [problem] = err.value.problems
    assert (problem.row, problem.column, problem.message) == (2, 'the "time"', "cannot read the time 'soon'")


def test_from_log_never_overwrites_a_file_a_glob_or_folder_reads(tmp_path):
    log = "case,activity,team,timestamp\n1,a,A,2026-01-01 09:00\n1,b,B,2026-01-01 10:00\n"
    (tmp_path / "a.csv").write_text(log)
    (tmp_path / "b.csv").write_text(log)
    for source, output in ((str(tmp_path / "*.csv"), "a.csv"), (str(tmp_path), "b.csv")):
        result = CliRunner().invoke(main, ["from-log", source, "-o", str(tmp_path / output)])
        assert result.exit_code == 2 and "writing it would destroy the input" in result.output, result.output
        assert (tmp_path / output).read_text() == log
    paths = [str(tmp_path / "a.csv"), str(tmp_path / "b*.csv")]
    outputs = ["-o", str(tmp_path / "h.csv"), "--parties-output", str(tmp_path / "b.csv")]
    result = CliRunner().invoke(main, ["from-log", *paths, *outputs])
    assert result.exit_code == 2 and "'--parties-output'" in result.output, result.output
    assert (tmp_path / "b.csv").read_text() == log


def test_duckdb_out_of_memory_or_a_temp_folder_it_cannot_use_is_one_clear_message(tmp_path):
    path = DATA / "order-to-delivery" / "events.csv"
    with pytest.raises(vc.OptionError, match=r"more memory than the limit '1KB'.*give a larger --memory-limit"):
        vc.from_log(path, memory_limit="1KB")
    result = CliRunner().invoke(main, ["from-log", str(path), "--memory-limit", "0%", "-o", str(tmp_path / "h.csv")])
    assert result.exit_code == 2 and "give a larger --memory-limit" in result.output, result.output
    assert "unexpected error" not in result.output
    blocked = tmp_path / "file"
    blocked.write_text("")
    n = 200_000  # enough to spill under 20MB
    times = pd.date_range("2026-01-01", periods=n, freq="s").as_unit("us")
    events = pd.DataFrame({"case": [f"c{i % 5000}" for i in range(n)], "activity": "a",
                           "team": [f"t{i % 7}" for i in range(n)], "timestamp": times})  # fmt: skip
    events.to_parquet(tmp_path / "big.parquet", index=False)
    with pytest.raises(vc.OptionError, match=r"cannot write its temporary files in .*file.sub.*--temp-directory"):
        vc.from_log(tmp_path / "big.parquet", memory_limit="20MB", temp_directory=blocked / "sub")


def test_a_damaged_parquet_file_is_said_to_be_damaged_not_a_time_format(tmp_path):
    path = tmp_path / "damaged.parquet"
    n = 20_000
    times = [f"2026-01-01 10:{i % 60:02d}" for i in range(n)]
    table = pa.table({"case": [f"c{i % 100}" for i in range(n)], "activity": ["a"] * n,
                      "team": [f"t{i % 7}" for i in range(n)], "time": times})  # fmt: skip
    pq.write_table(table, path, use_dictionary=False)  # plain pages: damage lands in the data, past the footer
    data = bytearray(path.read_bytes())
    for k in range(1000, len(data) // 2, 997):
        data[k] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(vc.InputError) as err:
        vc.from_log(path)
    [problem] = err.value.problems
    assert problem.file == str(path) and "cannot read the log" in problem.message and "format" not in problem.message
    with pytest.raises(vc.InputError) as err:
        vc.from_log(path, time_format="%Y-%m-%d %H:%M")
    assert [p.message for p in err.value.problems] == [problem.message]


def test_a_csv_with_old_mac_line_ends_is_read_by_the_table_reader(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_text("case,activity,team,timestamp\r1,a,A,2026-01-01 09:00\r1,b,B,2026-01-01 10:00\r")
    chain = vc.from_log(path)
    assert chain.log.events == 2 and chain.handoffs["source"].tolist() == ["A", "B"]


@pytest.mark.parametrize(
    ("column", "words"),
    [(pa.array([["A"], ["B"]]), "lists, structs or maps"), (pa.array([{"x": "A"}, {"x": "B"}]), "lists, structs"),
     (pa.array([[("k", "A")], [("k", "B")]], pa.map_(pa.string(), pa.string())), "or maps"),
     (pa.array([b"A", b"B"]), "bytes")],
)  # fmt: skip
def test_a_parquet_log_column_that_is_not_text_is_refused_as_for_an_org(tmp_path, column, words):
    path = tmp_path / "log.parquet"
    pq.write_table(pa.table({"case": ["1", "1"], "activity": ["a", "b"], "team": column,
                             "time": ["2026-01-01 09:00", "2026-01-01 10:00"]}), path)  # fmt: skip
    with pytest.raises(vc.InputError) as err:
        vc.from_log(path)
    [problem] = err.value.problems
    assert (problem.file, problem.column) == (str(path), "team") and words in problem.message


def test_a_parquet_log_with_two_columns_of_one_name_is_refused_as_a_csv_is(tmp_path):
    path = tmp_path / "log.parquet"
    table = pa.table([pa.array(["1", "1"]), pa.array(["a", "b"]), pa.array(["A", "B"]),
                      pa.array(["2026-01-01 09:00", "2026-01-01 10:00"]), pa.array(["2", "2"])],
                     names=["case", "activity", "team", "time", "case"])  # fmt: skip
    pq.write_table(table, path)
    with pytest.raises(vc.InputError) as err:
        vc.from_log(path)
    assert any("two columns have the header 'case'" in p.message for p in err.value.problems), err.value.problems


def test_floats_in_a_parquet_log_read_as_in_a_parquet_table_nan_is_a_blank_cell(tmp_path):
    path = tmp_path / "log.parquet"
    pq.write_table(pa.table({"case": [1.0, 1.0, 1.0], "activity": ["a", "b", "c"], "team": [float("nan"), 2.0, None],
                             "time": ["2026-01-01 09:00", "2026-01-01 10:00", "2026-01-01 11:00"]}), path)  # fmt: skip
    with pytest.raises(vc.InputError) as err:
        vc.from_log(path)
    found = [(p.row, p.column, p.message) for p in err.value.problems]
    assert found == [(1, "team", "no team in this event"), (3, "team", "no team in this event")]
    pq.write_table(pa.table({"case": [1.0, 1.0], "activity": ["a", "b"], "team": [2.0, 2.5],
                             "time": ["2026-01-01 09:00", "2026-01-01 10:00"]}), path)  # fmt: skip
    chain = vc.from_log(path)
    assert chain.handoffs[["source", "target"]].values.tolist() == [["2", "2.5"], ["2.5", "customer"]]


def test_a_parquet_file_without_a_column_the_others_have_is_refused_as_csv_files_with_other_headers_are(tmp_path):
    good = {"case": ["1", "1"], "activity": ["a", "b"], "team": ["A", "B"],
            "timestamp": ["2026-01-01 09:00", "2026-01-01 10:00"]}  # fmt: skip
    write_parquet(tmp_path / "a.parquet", **good)
    write_parquet(tmp_path / "b.parquet", **{k: v for k, v in good.items() if k != "team"})
    with pytest.raises(vc.InputError) as err:
        vc.from_log(tmp_path)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(tmp_path / "b.parquet"), 1, "team")
    assert problem.message == "the file has no 'team' column (the team), which other files of the log have"
    write_parquet(tmp_path / "b.parquet", **dict(reversed(good.items())), extra=["x", "y"])  # other order: read
    assert vc.from_log(tmp_path).log.events == 4


def test_a_file_of_a_parquet_log_that_is_empty_or_not_parquet_is_named_with_what_to_do(tmp_path):
    write_parquet(tmp_path / "a.parquet", case=["1"], activity=["a"], team=["A"], timestamp=["2026-01-01"])
    data = (tmp_path / "a.parquet").read_bytes()
    for content, words in ((b"", "the file is empty"), (b"case,activity\n1,a\n", "this is not a Parquet file"),
                           (data[: len(data) // 2], "this is not a Parquet file")):  # fmt: skip
        (tmp_path / "b.parquet").write_bytes(content)
        with pytest.raises(vc.InputError) as err:
            vc.from_log(str(tmp_path / "*.parquet"))
        [problem] = err.value.problems
        assert problem.file == str(tmp_path / "b.parquet") and problem.message.startswith(words)


def test_an_empty_csv_among_several_is_said_to_be_empty(tmp_path):
    (tmp_path / "a.csv").write_text("case,activity,team,timestamp\n1,a,A,2026-01-01\n")
    (tmp_path / "b.csv").write_text("")
    with pytest.raises(vc.InputError) as err:
        vc.from_log(tmp_path)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.message) == (str(tmp_path / "b.csv"), 1, "the file is empty")
    (tmp_path / "b.csv").write_text("case,activity,team,timestamp\n\n1,b,B,2026-01-02\n")  # the second file
    with pytest.raises(vc.InputError) as err:
        vc.from_log(tmp_path)
    [problem] = err.value.problems
    assert problem.file == str(tmp_path / "b.csv") and problem.message.startswith("this CSV has blank lines")


def test_a_file_or_folder_whose_name_looks_like_a_glob_is_read_as_named(tmp_path):
    folder = tmp_path / "events [2026]"
    folder.mkdir()
    write_parquet(folder / "it's, [a] log.parquet", case=["1", "1"], activity=["a", "b"], team=["A", "B"],
                  timestamp=["2026-01-01 09:00", "2026-01-01 10:00"])  # fmt: skip
    for named in (folder / "it's, [a] log.parquet", folder, [str(folder / "it's, [a] log.parquet")]):
        assert vc.from_log(named).log.events == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [("1,b,B,2026-01-02,extra", "this row has 5 cells but the header has 4"),
     ("1,b,B", "this row has 3 cells but the header has 4"),
     ('1,"b,B,2026-01-02\n2,a,A,2026-01-03', "a quote opened in this row is never closed")],
)  # fmt: skip
def test_a_bad_row_in_one_csv_of_several_names_the_file_and_the_row(tmp_path, row, message):
    (tmp_path / "a.csv").write_text("case,activity,team,timestamp\n1,a,A,2026-01-01\n")
    (tmp_path / "b.csv").write_text(f"case,activity,team,timestamp\n1,a,A,2026-01-01\n{row}\n")
    with pytest.raises(vc.InputError) as err:
        vc.from_log(tmp_path)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.message) == (str(tmp_path / "b.csv"), 3, message)
