"""Event logs: the handover rule against a plain per-case loop, orderings, zones, outcomes, people, errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import os
import time
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import valuechain as vc
from tests.conftest import DATA, REAL, SHARED
from tests.eventlog_reference import handoffs_from_events
from valuechain.cli import main
from valuechain.eventlog import pseudonym, read_log

LOG = SHARED / "acceptance" / "logs" / "running-example.csv"
EXAMPLE = REAL / "running-example-handover"


def oracle(events: pd.DataFrame, outcomes, customer="customer") -> dict:
    """The handover rule as a plain loop over cases and events."""
    found = defaultdict(lambda: {"cases": set(), "handovers": 0, "waits": []})
    for case, rows in events.reset_index(drop=True).reset_index().groupby("case", sort=False):
        rows = rows.sort_values(["time", "index"])
        listed = list(rows.itertuples())
        for before, after in itertools.pairwise(listed):
            if before.team != after.team:
                entry = found[(before.team, after.team, before.activity)]
                entry["cases"].add(case)
                entry["handovers"] += 1
                entry["waits"].append((after.time - before.time) / pd.Timedelta(hours=1))
        last = listed[-1]
        if outcomes is None or last.activity in outcomes:
            entry = found[(last.team, customer, last.activity)]
            entry["cases"].add(case)
            entry["handovers"] += 1
    return {
        key: (
            len(v["cases"]),
            v["handovers"],
            round(float(np.median(v["waits"])), 2) if v["waits"] else None,
            round(float(np.quantile(v["waits"], 0.9)), 2) if v["waits"] else None,
        )
        for key, v in found.items()
    }


def as_dict(handoffs: pd.DataFrame) -> dict:
    return {
        (s, t, d): (c, h, None if pd.isna(m) else m, None if pd.isna(p) else p)
        for s, t, d, c, h, m, p in handoffs[
            ["source", "target", "deliverable", "cases", "handovers", "median_wait_hours", "p90_wait_hours"]
        ].itertuples(index=False)
    }


@st.composite
def logs(draw):
    n = draw(st.integers(1, 40))
    events = pd.DataFrame(
        {
            "case": draw(st.lists(st.sampled_from(["c1", "c2", "c3", "c4", "c5"]), min_size=n, max_size=n)),
            "activity": draw(st.lists(st.sampled_from(["a", "b", "c", "done"]), min_size=n, max_size=n)),
            "team": draw(st.lists(st.sampled_from(["X", "Y", "Z"]), min_size=n, max_size=n)),
            # few distinct times, so ties are common
            "time": pd.to_datetime(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), unit="h", utc=True),
        }
    )
    outcomes = draw(st.one_of(st.none(), st.sets(st.sampled_from(["a", "b", "c", "done"]), max_size=2)))
    return events, outcomes


@given(logs(), st.randoms(use_true_random=False))
def test_the_handover_rule_matches_a_plain_loop(log, random):
    events, outcomes = log
    handoffs, parties, extra = handoffs_from_events(events, outcomes)
    assert as_dict(handoffs) == oracle(events, outcomes)
    assert set(parties["id"]) == set(events["team"]) | {"customer"}
    assert extra.cases == events["case"].nunique() and extra.events == len(events)


def test_shuffled_rows_give_the_same_hand_offs_when_times_differ():
    events, _ = read_log(DATA / "order-to-delivery" / "events.csv")
    shuffled = events.sample(frac=1, random_state=3)
    a = handoffs_from_events(events, ["deliver order"])[0]
    b = handoffs_from_events(shuffled, ["deliver order"])[0]
    pd.testing.assert_frame_equal(a, b)


def test_ties_keep_file_order():
    log = pd.DataFrame(
        {"case": ["1", "1", "1"], "activity": ["first", "second", "third"], "team": ["A", "B", "C"],
         "timestamp": ["2026-01-01 10:00"] * 3}
    )  # fmt: skip
    chain = vc.from_log(log)
    assert set(zip(chain.handoffs["source"], chain.handoffs["target"])) == {("A", "B"), ("B", "C"), ("C", "customer")}


def test_time_zones_are_converted_and_zone_less_times_taken_as_utc_with_a_warning():
    log = pd.DataFrame(
        {
            "case": ["1", "1", "1"],
            "activity": ["a", "b", "c"],
            "team": ["Oslo", "London", "Tokyo"],
            # 09:30 in Oslo (+01:00) is 08:30 UTC: before London's 09:00 UTC, after Tokyo's 17:00+09:00 (08:00 UTC)
            "timestamp": ["2026-01-05 09:30:00+01:00", "2026-01-05 09:00:00", "2026-01-05 17:00:00+09:00"],
        }
    )
    events, warnings = read_log(log)
    assert [str(t) for t in events["time"]] == [
        "2026-01-05 08:30:00+00:00", "2026-01-05 09:00:00+00:00", "2026-01-05 08:00:00+00:00"
    ]  # fmt: skip
    assert len(warnings) == 1 and "taken as UTC" in warnings[0].message and warnings[0].row == 3
    chain = vc.from_log(log)
    pairs = list(zip(chain.handoffs["source"], chain.handoffs["target"], chain.handoffs["deliverable"]))
    assert ("Tokyo", "Oslo", "c") in pairs and ("Oslo", "London", "a") in pairs
    assert any("taken as UTC" in w.message for w in chain.warnings)


def test_outcomes_decide_which_cases_reach_the_customer():
    chain = vc.from_log(DATA / "order-to-delivery" / "events.csv", outcomes=["deliver order"])
    to_customer = chain.handoffs[chain.handoffs["target"] == "customer"]
    assert set(to_customer["deliverable"]) == {"deliver order"}
    assert chain.analyze().orphans["id"].tolist() == ["Review board"]
    stuck = chain.log.stuck.set_index("team")["cases"].to_dict()
    assert stuck == {"Review board": 5, "Sales": 4}
    assert chain.log.ping_pong.values.tolist() == [["Credit", "Sales", 13]]
    every = vc.from_log(DATA / "order-to-delivery" / "events.csv")  # no outcome named: every case does
    assert every.analyze().orphans.empty
    unknown = vc.from_log(DATA / "order-to-delivery" / "events.csv", outcomes=["deliverd order"])
    assert any("no event has the activity 'deliverd order'" in w.message for w in unknown.warnings)


def test_a_person_in_two_teams_and_one_event_cases():
    log = pd.DataFrame(
        {
            "case:concept:name": ["1", "1", "2"],
            "concept:name": ["draft", "approve", "solo"],
            "org:resource": ["Ann", "Ann", "Bob"],
            "org:group": ["Drafting", "Approvals", "Drafting"],
            "time:timestamp": ["2026-01-01T09:00:00Z", "2026-01-01T10:00:00Z", "2026-01-02T09:00:00Z"],
        }
    )
    chain = vc.from_log(log)  # teams come from org:group, not the person
    assert set(zip(chain.handoffs["source"], chain.handoffs["target"], chain.handoffs["deliverable"])) == {
        ("Drafting", "Approvals", "draft"),
        ("Approvals", "customer", "approve"),
        ("Drafting", "customer", "solo"),  # a one-event case hands straight to the customer
    }


def test_team_map_and_pseudonymised_people():
    log = pd.DataFrame(
        {"case": ["1", "1", "1"], "activity": ["a", "b", "c"], "resource": ["Pete", "Sue", "Mike"],
         "timestamp": ["2026-01-01 09:00", "2026-01-01 10:00", "2026-01-01 11:00"]}
    )  # fmt: skip
    mapped = vc.from_log(log, team_map={"Pete": "Intake", "Sue": "Intake", "Mike": "Payments"})
    assert set(zip(mapped.handoffs["source"], mapped.handoffs["target"])) == {("Intake", "Payments"),
                                                                              ("Payments", "customer")}  # fmt: skip
    with pytest.raises(vc.InputError, match="'Mike' \\(first in row 4 of the log\\) is not in the team map") as err:
        vc.from_log(log, team_map={"Pete": "Intake", "Sue": "Intake"})
    assert [p.code for p in err.value.problems] == ["bad_log"]
    hidden = vc.from_log(log, pseudonymise=True)
    written = hidden.handoffs.to_csv() + hidden.parties.to_csv()
    assert "Pete" not in written and "Mike" not in written and pseudonym("Pete") in written


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [("team", "", "no team in this event"), ("timestamp", "yesterday-ish", "cannot read the time 'yesterday-ish'")],
)
def test_broken_events_name_row_and_column(column, value, words):
    log = pd.DataFrame(
        {"case": ["1", "1"], "activity": ["a", "b"], "team": ["A", "B"], "timestamp": ["2026-01-01", "2026-01-02"]}
    )
    log.loc[1, column] = value
    with pytest.raises(vc.InputError) as err:
        vc.from_log(log)
    [problem] = err.value.problems
    assert words in problem.message and problem.row == 3 and problem.column == column


def test_a_log_without_a_team_column_says_which_headers_it_has():
    with pytest.raises(vc.InputError) as err:
        vc.from_log(pd.DataFrame({"case": ["1"], "activity": ["a"], "when": ["2026-01-01"]}))
    messages = [p.message for p in err.value.problems]
    assert any(m.startswith("no team column (the headers are 'case', 'activity', 'when')") for m in messages)
    assert any(m.startswith("no time column") for m in messages)


def test_running_example_matches_the_independent_hand_offs():
    if not LOG.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {LOG}")
        pytest.skip(f"{LOG} is not here (it lives in ../shared)")
    chain = vc.from_log(LOG, customer="CUSTOMER")
    expected = pd.read_csv(EXAMPLE / "handoffs.csv", dtype=str)
    assert set(zip(chain.handoffs["source"], chain.handoffs["target"])) == set(
        zip(expected["source"], expected["target"])
    )
    # checked by hand: cases 2, 3 and 4 each end with Sara's "decide" going to Ellen, who pays or rejects
    rows = chain.handoffs.set_index(["source", "target", "deliverable"])
    assert tuple(rows.loc[("Sara", "Ellen", "decide"), ["cases", "handovers"]]) == (3, 3)
    # case 5: Sara's first "reinitiate request" goes to Ellen, the second to Sue; case 3's to Sean
    assert tuple(rows.loc[("Sara", "Ellen", "reinitiate request"), ["cases", "handovers"]]) == (1, 1)
    # cases 5 and 6 end with Sara's "decide" going to Mike
    assert tuple(rows.loc[("Sara", "Mike", "decide"), ["cases", "handovers"]]) == (2, 2)
    found = chain.analyze()
    assert found.summary["orphans"] == 0 and found.summary["loops"] == 1 and found.summary["mutual_pairs"] == 7


def test_from_log_command(tmp_path):
    out, parties = tmp_path / "h.csv", tmp_path / "p.csv"
    result = CliRunner().invoke(
        main,
        ["from-log", str(DATA / "order-to-delivery" / "events.csv"), "--outcome", "deliver order",
         "-o", str(out), "--parties-output", str(parties)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "9 cases never reach an outcome" in result.output
    analysed = CliRunner().invoke(main, ["analyze", str(out), "-p", str(parties), "--format", "json"])
    assert analysed.exit_code == 0
    bad = CliRunner().invoke(main, ["from-log", str(DATA / "restaurant" / "handoffs.csv"), "-o", str(out)])
    assert bad.exit_code == 2 and "no case column" in bad.output


def xes_event(activity: str, team: str, transition: str, time: str) -> str:
    return (
        f'<event><string key="concept:name" value="{activity}"/><string key="org:group" value="{team}"/>'
        f'<string key="lifecycle:transition" value="{transition}"/>'
        f'<date key="time:timestamp" value="2026-01-01T{time}:00+01:00"/></event>'
    )


XES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" xmlns="http://www.xes-standard.org/">'
    '<trace><string key="concept:name" value="A1"/>'
    + xes_event("order", "Sales", "start", "08:00")
    + xes_event("order", "Sales", "complete", "09:00")
    + xes_event("ship", "Depot", "start", "10:00")  # left out: only complete events count
    + xes_event("ship", "Depot", "complete", "12:00")
    + "</trace></log>"
)


def test_xes_logs_are_read_complete_events_only(write):
    chain = vc.from_log(write("log.xes", XES))
    rows = chain.handoffs.set_index(["source", "target", "deliverable"])
    assert sorted(rows.index) == [("Depot", "customer", "ship"), ("Sales", "Depot", "order")]
    assert rows.loc[("Sales", "Depot", "order"), "median_wait_hours"] == 3.0  # 09:00 to 12:00, not to 10:00
    bomb = XES.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x "x">]>')
    with pytest.raises(vc.InputError, match="declares entities"):
        vc.from_log(write("bomb.xes", bomb))


def test_the_report_shows_waiting_times_from_a_log():
    from valuechain.report import render

    chain = vc.from_log(DATA / "order-to-delivery" / "events.csv", outcomes=["deliver order"])
    text = render(chain, "md").decode()
    assert "## Waiting times on the way to the customer (from the event log)" in text
    assert "| Quality | Billing | inspect | 16 | 18.87 | 26.17 |" in text
    assert "| Review board | 5 | file review |" in text


# --- the corpus of broken and unusual logs (tests/data/bad/logs): library, command line, dashboard ----------

LOGS = DATA.parent / "tests" / "data" / "bad" / "logs"
LOG_MANIFEST = list(csv.DictReader((LOGS / "MANIFEST.csv").open(encoding="utf-8")))


def log_cases() -> list:
    return [pytest.param(row, id=row["log"]) for row in LOG_MANIFEST]


def options(row: dict) -> dict:
    found = {}
    if row["time_format"]:
        found["time_format"] = row["time_format"]
    if row["outcomes"]:
        found["outcomes"] = row["outcomes"].split(";")
    return found


def test_the_log_corpus_is_written_from_its_generator():
    from tests.data.bad.logs.make_logs import CASES

    assert [row["log"] for row in LOG_MANIFEST] == list(CASES)
    for name, (content, *_) in CASES.items():
        assert (LOGS / name).read_bytes() == (content if isinstance(content, bytes) else content.encode("utf-8"))


@pytest.mark.parametrize("row", log_cases())
def test_log_corpus_library(row):
    path = LOGS / row["log"]
    if row["expect"] == "error":
        with pytest.raises(vc.InputError) as err:
            vc.from_log(path, **options(row))
        problems = err.value.problems
        assert len(err.value.errors) == 1, [str(p) for p in problems]  # one clear message
        [problem] = err.value.errors
        assert row["message"].lower() in (problem.message + "; " + problem.hint).lower(), str(problem)
        assert problem.file.endswith(row["log"]) and problem.row is not None, str(problem)
        assert "table" not in problem.file
        return
    chain = vc.from_log(path, **options(row))
    assert all(w.file.endswith(row["log"]) and "table" not in w.file for w in chain.warnings)
    if row["expect"] == "warning":
        assert any(row["message"] in w.message for w in chain.warnings), [str(w) for w in chain.warnings]
    else:
        assert chain.warnings == []
    if path.suffix == ".csv":  # no event dropped
        assert chain.log.events == len(pd.read_csv(path, dtype=str))


@pytest.mark.parametrize("row", log_cases())
def test_log_corpus_command_line(row, tmp_path):
    out, parties = tmp_path / "h.csv", tmp_path / "p.csv"
    args = ["from-log", str(LOGS / row["log"]), "-o", str(out), "--parties-output", str(parties)]
    args += ["--time-format", row["time_format"]] if row["time_format"] else []
    for outcome in options(row).get("outcomes", []):
        args += ["--outcome", outcome]
    result = CliRunner().invoke(main, args)
    assert "Traceback" not in result.output and "unexpected error" not in result.output, result.output
    if row["expect"] == "error":
        assert result.exit_code == 2, result.output
        assert "error:" in result.output and row["message"] in result.output
        assert not out.exists()
    else:
        assert result.exit_code == 0, result.output
        assert "error:" not in result.output and out.exists()
        analysed = CliRunner().invoke(main, ["analyze", str(out), "-p", str(parties)])
        assert analysed.exit_code == 0, analysed.output


@pytest.mark.parametrize("row", log_cases())
def test_log_corpus_dashboard(row):
    """The dashboard has no time format to give: cases run with one have their own expectation there."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(DATA.parent / "app.py"), default_timeout=120).run()
    at.radio(key="source").set_value("Event log").run()
    at.file_uploader(key="log").upload(row["log"], (LOGS / row["log"]).read_bytes(), "application/octet-stream")
    at.run()
    for outcome in options(row).get("outcomes", []):
        at.multiselect(key="outcomes").select(outcome).run()
    assert not at.exception, [e.message for e in at.exception]
    if row["dashboard"] == "error":
        assert at.error, "an error is shown"
        if not row["time_format"]:
            errors = dashboard_table(at, "errors")
            assert len(errors) == 1 and row["message"].lower() in " ".join(errors.astype(str).values[0]).lower()
    else:
        assert not at.error, [e.value for e in at.error]
        assert any(m.label == "Orphaned teams" for m in at.metric)


def dashboard_table(at, key: str) -> pd.DataFrame:
    from tests.test_app import frame

    return frame(at, key)


# --- what each case is about ---------------------------------------------------------------------------------


def times(name: str, **kwargs) -> list[str]:
    events, _ = read_log(LOGS / name, **kwargs)
    return [str(t) for t in events["time"]]


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        ("day-first.csv", {}, ["2026-01-05 09:00", "2026-01-13 10:00", "2026-01-06 08:00", "2026-01-06 09:30"]),
        ("day-first-dotted-date-only.csv", {}, ["2026-01-05 00:00", "2026-01-13 00:00", "2026-01-06 00:00",
                                                "2026-01-07 00:00"]),
        ("day-first-two-digit-year.csv", {}, ["2026-01-05 09:00", "2026-01-13 10:00", "2026-01-06 08:00",
                                              "2026-01-06 09:30"]),
        ("month-first-am-pm.csv", {}, ["2026-01-05 09:00", "2026-01-13 22:00", "2026-01-06 08:00",
                                       "2026-01-06 09:30"]),
        ("text-months.csv", {}, ["2026-01-05 09:00", "2026-01-13 10:00", "2026-01-06 08:00", "2026-01-06 09:30"]),
        ("ambiguous-dates-with-format.csv", {"time_format": "%d/%m/%Y %H:%M"},
         ["2026-01-05 09:00", "2026-01-06 10:00", "2026-01-07 08:00", "2026-01-08 09:30"]),
    ],
)  # fmt: skip
def test_a_date_column_is_read_one_way(name, kwargs, expected):
    assert times(name, **kwargs) == [f"{t}:00+00:00" for t in expected]


def test_day_first_decides_for_the_whole_column_and_waits_follow():
    """Before: pandas' format="mixed" read '05/01/2026' as 1 May and '13/01/2026' as 13 January, cell by cell."""
    chain = vc.from_log(LOGS / "day-first.csv")
    rows = chain.handoffs.set_index(["source", "target", "deliverable"])
    assert sorted(rows.index) == [("Depot", "customer", "ship"), ("Sales", "Depot", "order")]
    assert rows.loc[("Sales", "Depot", "order"), "median_wait_hours"] == (193 + 1.5) / 2  # 8 days 1 h, and 1.5 h


def test_iso_and_numeric_dates_in_one_column_are_both_read():
    log = pd.DataFrame(
        {"case": ["1", "1", "1"], "activity": ["a", "b", "c"], "team": ["A", "B", "C"],
         "timestamp": ["2026-01-04T08:00:00", "05/01/2026 09:00", "13/01/2026 10:00"]}
    )  # fmt: skip
    events, _ = read_log(log)
    assert [str(t) for t in events["time"]] == [
        "2026-01-04 08:00:00+00:00", "2026-01-05 09:00:00+00:00", "2026-01-13 10:00:00+00:00"
    ]  # fmt: skip


def test_ambiguous_dates_are_refused_with_the_formats_to_give():
    with pytest.raises(vc.InputError) as err:
        vc.from_log(LOGS / "ambiguous-dates.csv")
    [problem] = err.value.problems
    assert (problem.row, problem.column, problem.code) == (2, "timestamp", "time_format")
    assert "'05/01/2026 09:00' is 5 January or May 1" in problem.message and "none decides" in problem.message
    assert '--time-format "%d/%m/%Y %H:%M" (day-first) or "%m/%d/%Y %H:%M" (month-first)' in problem.hint
    assert 'time_format="%d/%m/%Y %H:%M" in Python' in problem.hint


def test_dates_written_both_ways_name_a_row_of_each():
    with pytest.raises(vc.InputError) as err:
        vc.from_log(LOGS / "day-and-month-first.csv")
    [problem] = err.value.problems
    assert problem.message == (
        "the dates are written both day-first (row 3: '13/01/2026 10:00') and month-first (row 4: '01/14/2026 08:00')"
    )


@pytest.mark.parametrize(
    ("name", "kwargs", "row", "value", "year"),
    [
        ("year-2500.csv", {}, 3, "2500-01-05 10:00", 2500),
        ("year-1600.csv", {}, 2, "1600-01-05 09:00", 1600),
        ("year-2500-day-first.csv", {}, 3, "13/01/2500 10:00", 2500),
        ("year-2500-with-format.csv", {"time_format": "%Y-%m-%d %H:%M"}, 3, "2500-01-05 10:00", 2500),
        ("year-2500.xes", {}, 3, "2500-01-05T10:00:00+01:00", 2500),
    ],
)
def test_years_nanoseconds_cannot_hold_are_errors_not_another_century(name, kwargs, row, value, year):
    """Before: 2500-01-05 became 1915-06-14 (nanoseconds wrapped) and the wait was 969,094 hours."""
    with pytest.raises(vc.InputError) as err:
        vc.from_log(LOGS / name, **kwargs)
    [problem] = err.value.problems
    assert (problem.row, problem.message) == (
        row, f"the time '{value}' is in the year {year}: times must lie between 1677-09-22 and 2262-04-11 "
        "(what nanosecond timestamps hold)"
    )  # fmt: skip


def test_the_edges_of_what_nanoseconds_hold_are_read():
    log = pd.DataFrame(
        {"case": ["1", "1"], "activity": ["a", "b"], "team": ["A", "B"],
         "timestamp": ["1677-09-22 00:00", "2262-04-11 00:00"]}
    )  # fmt: skip
    events, _ = read_log(log)
    assert [t.year for t in events["time"]] == [1677, 2262]


@pytest.mark.parametrize(
    ("name", "time_format", "words"),
    [
        ("format-bad-directive.csv", "%Q", "'%Q' is not a time format that can be used ('Q' is a bad directive"),
        ("format-does-not-match.csv", "%Y-%m-%d",
         "the time '05/01/2026 09:00' does not match the time format '%Y-%m-%d'; 3 more rows do not match either"),
        ("format-without-year.csv", "%d/%m %H:%M", "the time format '%d/%m %H:%M' has no year"),
    ],
)  # fmt: skip
def test_a_bad_time_format_is_one_error_naming_the_option_and_a_row(name, time_format, words, tmp_path):
    """Before: '%Q' raised pandas' ValueError (the CLI said "unexpected error"); '%d/%m %H:%M' read 1900."""
    with pytest.raises(vc.InputError) as err:
        vc.from_log(LOGS / name, time_format=time_format)
    [problem] = err.value.problems
    assert words in problem.message and (problem.row, problem.column) == (2, "timestamp")
    assert "--time-format (time_format= in Python, Time format in the dashboard's sidebar)" in problem.hint
    result = CliRunner().invoke(main, ["from-log", str(LOGS / name), "--time-format", time_format,
                                       "-o", str(tmp_path / "h.csv")])  # fmt: skip
    assert result.exit_code == 2 and f"row 2, column 'timestamp': {words}" in result.output
    assert "--time-format" in result.output and "Traceback" not in result.output


def test_a_time_with_no_date_is_not_taken_as_today():
    with pytest.raises(vc.InputError) as err:
        vc.from_log(LOGS / "time-without-date.csv")
    [problem] = err.value.problems
    assert (problem.row, problem.message) == (3, "the time '10:00' has no date (or no year)")


def test_ids_equal_after_nfc_are_one_team_case_and_activity():
    """Before: 'Cafe' + U+0301 and 'Caf\u00e9' were two teams, and the parties table refused the second."""
    chain = vc.from_log(LOGS / "team-nfc.csv")
    assert chain.parties["id"].tolist() == ["Caf\u00e9", "Till", "customer"]
    assert set(zip(chain.handoffs["source"], chain.handoffs["target"], chain.handoffs["deliverable"])) == {
        ("Caf\u00e9", "Till", "order"), ("Till", "Caf\u00e9", "pay"), ("Caf\u00e9", "customer", "serve"),
        ("Caf\u00e9", "customer", "order"),
    }  # fmt: skip
    both = vc.from_log(LOGS / "case-and-activity-nfc.csv", outcomes=["livr\u00e9"])
    assert both.log.cases == 1 and both.warnings == []
    assert ("Depot", "customer", "livr\u00e9") in set(
        zip(both.handoffs["source"], both.handoffs["target"], both.handoffs["deliverable"])
    )
    mapped = vc.from_log(
        pd.DataFrame({"case": ["1", "1"], "activity": ["a", "b"], "resource": ["Jose\u0301", "Ann"],
                      "timestamp": ["2026-01-01 09:00", "2026-01-01 10:00"]}),
        team_map={"Jos\u00e9": "Intake", "Ann": "Payments"},
    )  # fmt: skip
    assert set(mapped.handoffs["source"]) == {"Intake", "Payments"}


def test_problems_in_a_log_name_the_log_its_row_and_column():
    """Before: 'handoffs table, row 3, column 'source'' and 'parties table, row 3' (tables the user never saw)."""
    with pytest.raises(vc.InputError) as err:
        vc.from_log(LOGS / "team-invisible.csv")
    [problem] = err.value.problems
    assert problem.file == str(LOGS / "team-invisible.csv") and (problem.row, problem.column) == (5, "team")
    assert problem.message == "the id 'Depot' holds an invisible character (U+200B ZERO WIDTH SPACE)"
    with pytest.raises(vc.InputError) as err:
        vc.from_log(LOGS / "team-is-customer.csv")
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(LOGS / "team-is-customer.csv"), 3, "team")
    assert problem.message == "the team 'customer' has the customer's id"
    many = pd.DataFrame(
        {"case": ["1", "1", "2"], "activity": ["a", "b", "c"], "team": ["A", "B\u200b", "B\u200b"],
         "timestamp": ["2026-01-01 09:00", "2026-01-01 10:00", "2026-01-01 11:00"]}
    )  # fmt: skip
    with pytest.raises(vc.InputError) as err:
        vc.from_log(many)
    [problem] = err.value.problems
    assert (problem.file, problem.row) == ("events table", 3) and "1 more events have this team" in problem.message


def test_a_log_with_no_hand_offs_says_so_of_the_log():
    log = pd.DataFrame({"case": ["1", "1"], "activity": ["a", "b"], "team": ["A", "A"],
                        "timestamp": ["2026-01-01 09:00", "2026-01-01 10:00"]})  # fmt: skip
    chain = vc.from_log(log, outcomes=["c"])
    assert [(w.file, w.message) for w in chain.warnings] == [
        ("events table", "no event has the activity 'c' (named as an outcome)"),
        ("events table", "the log gives no hand-offs: no case changes team or ends with an outcome"),
    ]


def test_the_customer_id_is_checked_like_an_id():
    log = pd.DataFrame({"case": ["1"], "activity": ["a"], "team": ["A"], "timestamp": ["2026-01-01 09:00"]})
    assert vc.from_log(log, customer=" Cliente\u0301 ").customers == ["Client\u00e9"]
    for customer, words in (("  ", "the customer id is empty"), ("cust\u200bomer", "invisible character")):
        with pytest.raises(vc.InputError, match=words):
            vc.from_log(log, customer=customer)


def test_formula_like_ids_come_back_exact_from_from_log(tmp_path):
    """Before: from-log wrote "'-ops" (neutralised for spreadsheets), and analyze then reported "'-ops"."""
    out, parties = tmp_path / "h.csv", tmp_path / "p.csv"
    result = CliRunner().invoke(
        main, ["from-log", str(LOGS / "formula-like-teams.csv"), "-o", str(out), "--parties-output", str(parties)]
    )
    assert result.exit_code == 0, result.output
    assert (
        f"warning: {out} and {parties}: 4 ids or activities start with =, +, -, @, a tab or a carriage return "
        "('+finance', '-ops', '@support', '=bill'); they are written exactly, as the file is meant for valuechain; "
        "a spreadsheet may read those cells as formulas"
    ) in " ".join(result.output.split())
    assert out.read_text().splitlines()[2] == "-ops,@support,order,True,1,1,1.0,1.0"
    analysed = CliRunner().invoke(main, ["analyze", str(out), "-p", str(parties), "--format", "json"])
    assert analysed.exit_code == 0, analysed.output
    found = json.loads(analysed.output)
    assert set(found["distance"]) == {"-ops", "@support", "+finance", "customer"}
    plain = CliRunner().invoke(main, ["from-log", str(LOGS / "day-first.csv"), "-o", str(out)])
    assert plain.exit_code == 0 and "warning:" not in plain.output


def test_a_large_day_first_log_is_read_in_seconds(tmp_path):
    from tests.data.bad.logs.make_logs import large_day_first

    path = tmp_path / "large.csv"
    path.write_text(large_day_first(200_000))
    start = time.perf_counter()
    events, _ = read_log(path)
    elapsed = time.perf_counter() - start
    assert str(events["time"].iloc[0]) == "2026-01-01 09:00:00+00:00"
    assert str(events["time"].iloc[2 * 28]) == "2026-05-01 09:28:00+00:00"  # case 28: 01/05, day-first: 1 May
    assert elapsed < 20, elapsed


# --- properties: a date column is read one way, and only InputError comes out ---------------------------------

#: Clocks after the date: their strftime format, and how a cell is written with it.
CLOCKS = {
    "": "",
    " %H:%M": " {:%H:%M}",
    " %H:%M:%S": " {:%H:%M:%S}",
    " %I:%M %p": " {:%I:%M %p}",
    "T%H:%M": "T{:%H:%M}",
}


@st.composite
def numeric_dates(draw):
    """Times written with numbers only, all day-first or all month-first, with one separator and one clock."""
    stamps = draw(
        st.lists(st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2060, 12, 31)), min_size=1,
                 max_size=25)
    )  # fmt: skip
    stamps = [s.replace(microsecond=0) for s in stamps]
    day_first, sep, clock = draw(st.booleans()), draw(st.sampled_from("/.-")), draw(st.sampled_from(sorted(CLOCKS)))
    year = "{:%y}" if draw(st.booleans()) else "{:%Y}"  # two-digit years: 1970-2060 read back as written
    cells = [
        sep.join((f"{s:%d}", f"{s:%m}") if day_first else (f"{s:%m}", f"{s:%d}")) + sep + year.format(s)
        + CLOCKS[clock].format(s)
        for s in stamps
    ]  # fmt: skip
    if "S" not in clock:
        stamps = [s.replace(second=0) for s in stamps]
    if not clock:
        stamps = [s.replace(hour=0, minute=0) for s in stamps]
    return stamps, cells, day_first


@given(numeric_dates())
def test_numeric_dates_are_read_one_way_or_refused_as_ambiguous(case):
    stamps, cells, day_first = case
    log = pd.DataFrame({"case": "1", "activity": "a", "team": "A", "timestamp": cells})
    first = [s.day if day_first else s.month for s in stamps]
    second = [s.month if day_first else s.day for s in stamps]
    decided = any(f > 12 or s > 12 for f, s in zip(first, second))
    ambiguous = any(f != s for f, s in zip(first, second))
    if not decided and ambiguous:
        with pytest.raises(vc.InputError, match="none decides"):
            read_log(log)
        return
    events, _ = read_log(log)
    assert [t.to_pydatetime().replace(tzinfo=None) for t in events["time"]] == stamps


DIRECTIVES = st.sampled_from(
    ["%Y", "%y", "%m", "%d", "%H", "%M", "%S", "%z", "%b", "%p", "%Q", "%", "-", "/", " ", "T"]
)


@given(
    st.lists(st.text(alphabet="0123456789/-.: TZAPMJanb+", max_size=22), min_size=1, max_size=6),
    st.one_of(st.none(), st.lists(DIRECTIVES, max_size=8).map("".join)),
)
def test_any_time_column_and_any_time_format_give_times_or_an_input_error(cells, time_format):
    """Whatever the cells and the format: times within what nanoseconds hold, or InputError naming the column."""
    log = pd.DataFrame({"case": "1", "activity": "a", "team": "A", "timestamp": cells})
    try:
        events, _ = read_log(log, time_format=time_format)
    except vc.InputError as err:
        assert err.problems and all(p.file == "events table" for p in err.problems)
        assert any(p.column == "timestamp" for p in err.problems), [str(p) for p in err.problems]
        return
    assert events["time"].notna().all()
    earliest, latest = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
    assert ((events["time"] >= earliest) & (events["time"] <= latest)).all()


def test_the_handover_rule_refuses_times_nanoseconds_cannot_hold_instead_of_wrapping():
    events = pd.DataFrame(
        {"case": ["1", "1"], "activity": ["a", "b"], "team": ["A", "B"],
         "time": pd.to_datetime(["2026-01-01 09:00", "2500-01-01 10:00"], utc=True)}
    )  # fmt: skip
    with pytest.raises(ValueError, match="Out of bounds nanosecond timestamp: 2500-01-01 10:00:00"):
        handoffs_from_events(events)


def test_invisible_characters_are_found_in_mapped_and_pseudonymised_teams():
    log = pd.DataFrame(
        {"case": ["1", "1", "1"], "activity": ["a", "b", "c"], "resource": ["Pete", "Sue\u2060", "Mike"],
         "timestamp": ["2026-01-01 09:00", "2026-01-01 10:00", "2026-01-01 11:00"]}
    )  # fmt: skip
    with pytest.raises(vc.InputError) as err:
        vc.from_log(log, pseudonymise=True)  # before the names become codes, which would hide the character
    [problem] = err.value.problems
    assert (problem.row, problem.column) == (3, "resource") and "(U+2060 WORD JOINER)" in problem.message
    with pytest.raises(vc.InputError) as err:
        vc.from_log(log.assign(resource=["Pete", "Sue", "Mike"]),
                    team_map={"Pete": "Intake", "Sue": "Intake\u200b", "Mike": "Payments"})  # fmt: skip
    [problem] = err.value.problems
    assert problem.row == 3 and problem.message.endswith("(U+200B ZERO WIDTH SPACE) (the team map gives it)")


def test_more_unreadable_times_than_are_listed_are_counted():
    rows = "".join(f"{i},a,{'T' + str(i % 2)},not a time {i}\n" for i in range(300))
    with pytest.raises(vc.InputError) as err:
        vc.from_log(io.BytesIO(("case,activity,team,timestamp\n" + rows).encode()))
    messages = [p.message for p in err.value.problems]
    assert len(messages) == 201 and messages[-1] == "100 more events with no time or one that cannot be read"


@pytest.mark.parametrize(
    ("xes", "words"),
    [
        (b'<log xes.version="1.0"></log>', "the XES log holds no traces"),
        (
            b'<log><trace><string key="concept:name" value="1"/></trace></log>',
            "the XES log holds traces with no events",
        ),
    ],
)
def test_an_xes_log_without_events_says_so(tmp_path, xes, words):
    path = tmp_path / "empty.xes"
    path.write_bytes(xes)
    with pytest.raises(vc.InputError) as err:
        vc.from_log(path)
    assert [p.message for p in err.value.problems] == [words]


def test_the_options_of_reading_a_log_are_keyword_only():
    import inspect

    for function, first in ((vc.from_log, "source"), (read_log, "source")):
        parameters = inspect.signature(function).parameters.values()
        assert [p.name for p in parameters if p.kind is not p.KEYWORD_ONLY] == [first], function.__name__
    with pytest.raises(TypeError, match="positional"):
        vc.from_log(LOG, ["deliver order"])  # type: ignore[misc]
