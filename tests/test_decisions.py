"""Review decisions (issue 17): reading and validating a decisions file, matching decisions to findings,
their statuses by the day of the review, and the JSON contract's fields."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import valuechain as vc
from tests.conftest import DATA
from tests.test_findings_oracle import orgs
from valuechain.cli import main
from valuechain.decisions import read_decisions, review, to_csv
from valuechain.problems import Code, InputError

RESTAURANT = (DATA / "restaurant" / "handoffs.csv", DATA / "restaurant" / "parties.csv")


def restaurant(**kwargs):
    return vc.load(RESTAURANT[0], parties=RESTAURANT[1], **kwargs)


def rows(*items: tuple) -> pd.DataFrame:
    """Decision rows: (finding, id, decision[, due])."""
    table = [(*item, *([""] * (4 - len(item)))) for item in items]
    return pd.DataFrame(table, columns=["finding", "id", "decision", "due"])


def problems_of(table, parties=("a", "b", "c"), **kwargs):
    with pytest.raises(InputError) as err:
        read_decisions(table, list(parties), **kwargs)
    return err.value.problems


def test_each_kind_of_finding_is_matched():
    chain = restaurant(
        decisions=rows(
            ("orphan", "bookkeeping", "accept"),
            ("loop", "kitchen;floor", "partner"),
            ("Mutual pair", "floor ; kitchen", "Partner"),
            ("single_point_of_failure", "floor", "redundancy"),
        ),
        as_of="2026-03-31",
    )
    out = chain.analyze().to_dict()
    assert out["orphans"][0]["decision"]["decision"] == "accept"
    assert out["orphans"][1]["decision"] is None
    assert out["loops"][0]["decision"]["decision"] == "partner"
    assert out["mutual_pairs"] == [{"members": ["floor", "kitchen"], "decision": out["mutual_pairs"][0]["decision"]}]
    assert out["mutual_pairs"][0]["decision"]["finding"] == "mutual_pair"
    assert [s["decision"] for s in out["single_points_of_failure"]][1] is None
    counts = {k: out["summary"][k] for k in ("decided", "accepted", "overdue", "undecided")}
    assert counts == {"decided": 4, "accepted": 1, "overdue": 0, "undecided": 2}
    assert out["decisions"] == {"done": [], "stale": [], "overdue": [], "party_removed": []}


def test_a_loop_is_matched_by_shared_members():
    found = restaurant(decisions=rows(("loop", "kitchen;dishwash", "partner"))).analyze()
    assert found.review is not None
    assert found.review.decision("loop", ["floor", "kitchen"])["id"] == "dishwash;kitchen"


def test_without_decisions_the_json_is_unchanged():
    plain = restaurant().analyze().to_dict()
    assert "decisions" not in plain and "decided" not in plain["summary"]
    assert plain["mutual_pairs"] == [["floor", "kitchen"]]
    assert "decision" not in plain["orphans"][0]
    with_none = restaurant(as_of="2026-01-01").analyze().to_dict()
    assert json.dumps(with_none) == json.dumps(plain)


@pytest.mark.parametrize(
    ("due", "as_of", "status"),
    [("2026-01-31", "2026-03-31", "overdue"), ("2026-03-31", "2026-03-31", None), ("2999-12-31", "2026-03-31", None)],
)
def test_overdue_against_the_day_of_the_review(due, as_of, status):
    found = restaurant(decisions=rows(("orphan", "marketing", "stop", due)), as_of=as_of).analyze()
    assert found.summary.overdue == (1 if status else 0)
    assert len(found.to_dict()["decisions"]["overdue"]) == (1 if status else 0)


def test_as_of_given_to_analyze_wins():
    chain = restaurant(decisions=rows(("orphan", "marketing", "stop", "2026-06-30")), as_of="2026-01-01")
    assert chain.analyze().summary.overdue == 0
    assert chain.analyze(as_of=dt.date(2026, 7, 1)).summary.overdue == 1


def test_done_stale_and_party_removed():
    old = restaurant()
    decisions = rows(("orphan", "kitchen", "connect"), ("orphan", "bar", "accept"), ("orphan", "ghost", "stop"))
    # 'ghost' is a party of the previous version only
    parties = pd.read_csv(RESTAURANT[1])
    parties = pd.concat([parties, pd.DataFrame([{"id": "ghost", "name": "Ghost", "kind": "team"}])])
    previous = vc.load(pd.read_csv(RESTAURANT[0]), parties=parties)
    chain = old.with_decisions(decisions, previous=previous, as_of="2026-01-01")
    statuses = chain.analyze().to_dict()["decisions"]
    assert [r["id"] for r in statuses["done"]] == ["kitchen"]
    assert [r["id"] for r in statuses["stale"]] == ["bar"]
    assert [r["id"] for r in statuses["party_removed"]] == ["ghost"]


def test_every_validation_error_names_file_row_and_column():
    found = problems_of(
        pd.DataFrame(
            {
                "finding": ["orphn", "orphan", "orphan", "loop", "orphan", "mutual_pair"],
                "id": ["a", "aa", "b", "a", "b", "a;b;c"],
                "decision": ["accept", "acept", "stop", "partner", "connect", "partner"],
                "due": ["", "", "2026-02-30", "", "", ""],
            }
        )
    )
    by_row = {(p.row, p.code): p for p in found}
    assert "did you mean 'orphan'" in by_row[(2, Code.BAD_DECISION)].hint
    assert by_row[(2, Code.BAD_DECISION)].column == "finding"
    assert "did you mean 'accept'" in by_row[(3, Code.BAD_DECISION)].hint
    assert "did you mean 'a'" in by_row[(3, Code.UNKNOWN_PARTY)].hint
    assert by_row[(4, Code.BAD_VALUE)].column == "due"
    assert (5, Code.BAD_DECISION) in by_row  # a loop of one member
    assert "row 4" in by_row[(6, Code.DUPLICATE)].message
    assert (7, Code.BAD_DECISION) in by_row  # a pair of three
    assert all(p.file == "decisions table" for p in found)


def test_headers_are_read_like_every_table():
    table = pd.DataFrame({"Finding Kind": ["orphan"], "Party": ["a"], "Action": ["accept"], "Deadline": ["2999-1-2"]})
    read = read_decisions(table, ["a"])
    assert read.table.loc[2, "due"] == dt.date(2999, 1, 2)
    mapped = read_decisions(pd.DataFrame({"what": ["orphan"], "id": ["a"], "decision": ["stop"]}), ["a"],
                            columns={"finding": "what"})  # fmt: skip
    assert mapped.table.loc[2, "finding"] == "orphan"


def test_a_missing_column_is_an_error():
    found = problems_of(pd.DataFrame({"finding": ["orphan"], "id": ["a"]}))
    assert found[0].code == Code.MISSING_COLUMN


def test_round_trip_of_the_written_file(tmp_path):
    first = read_decisions(rows(("loop", "b;a", "partner", "2999-12-31"), ("orphan", "c", "accept")), ["a", "b", "c"])
    path = tmp_path / "decisions.csv"
    path.write_text(to_csv(first))
    again = read_decisions(path, ["a", "b", "c"])
    assert again.table.drop(columns="members").equals(first.table.drop(columns="members"))


def test_a_bad_as_of_is_an_input_error():
    with pytest.raises(InputError):
        restaurant(decisions=rows(("orphan", "marketing", "stop")), as_of="yesterday").analyze()


@given(st.sampled_from(["restaurant", "midsize"]))
def test_accepting_everything_leaves_nothing_undecided_and_the_findings_unchanged(sample):
    chain = vc.load(DATA / sample / "handoffs.csv", parties=DATA / sample / "parties.csv")
    found = chain.analyze()
    items = [("orphan", i, "accept") for i in found.orphans["id"]]
    items += [("loop", ";".join(m), "accept") for m in found.loops["members"]]
    items += [("mutual_pair", f"{a};{b}", "accept") for a, b in zip(found.mutual_pairs["a"], found.mutual_pairs["b"])]
    items += [("single_point_of_failure", i, "accept") for i in found.single_points_of_failure["id"]]
    decided = review(found, read_decisions(rows(*items), chain.parties["id"]), "2026-01-01")
    assert decided.summary.undecided == 0 and decided.summary.overdue == 0
    assert decided.summary.accepted == decided.summary.decided == len(items)
    assert decided.orphans.equals(found.orphans) and decided.loops.equals(found.loops)
    assert {k: v for k, v in decided.summary.items() if k in dict(found.summary)} == dict(found.summary)


def _accept_every_finding(found) -> pd.DataFrame:
    items = [("orphan", i, "accept") for i in found.orphans["id"]]
    items += [("loop", ";".join(m), "accept") for m in found.loops["members"]]
    items += [("mutual_pair", f"{a};{b}", "accept") for a, b in zip(found.mutual_pairs["a"], found.mutual_pairs["b"])]
    items += [("single_point_of_failure", i, "accept") for i in found.single_points_of_failure["id"]]
    return rows(*items) if items else pd.DataFrame(columns=["finding", "id", "decision", "due"])


def _without_decisions(out: dict) -> dict:
    """The JSON of ``analyze --decisions`` as it is without: no decision fields, pairs as lists."""
    out = {k: v for k, v in out.items() if k != "decisions"}
    out["summary"] = {k: v for k, v in out["summary"].items() if k not in ("decided", "accepted", "overdue",
                                                                            "undecided")}  # fmt: skip
    for key in ("orphans", "loops", "single_points_of_failure"):
        out[key] = [{k: v for k, v in item.items() if k != "decision"} for item in out[key]]
    out["mutual_pairs"] = [item["members"] for item in out["mutual_pairs"]]
    return out


@given(orgs(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_with_every_finding_accepted_fail_on_undecided_passes_and_the_findings_are_unchanged(org, as_of):
    """Issue 17's property, on random orgs through the command line: every finding decided ``accept`` (no due
    date), on any review day, leaves nothing undecided or overdue, so ``--fail-on undecided`` exits 0, and the
    JSON is the JSON without decisions plus the decision fields."""
    import tempfile
    from pathlib import Path

    parties, handoffs = org
    found = vc.load(handoffs, parties=parties).analyze()
    with tempfile.TemporaryDirectory() as folder:
        paths = {name: Path(folder) / f"{name}.csv" for name in ("handoffs", "parties", "decisions")}
        handoffs.to_csv(paths["handoffs"], index=False)
        parties.to_csv(paths["parties"], index=False)
        _accept_every_finding(found).to_csv(paths["decisions"], index=False)
        args = ("analyze", paths["handoffs"], "-p", paths["parties"], "--format", "json")
        plain = cli(*args)
        decided = cli(*args, "--decisions", paths["decisions"], "--as-of", as_of.isoformat(), "--fail-on",
                      "undecided")  # fmt: skip
    assert plain.exit_code == 0, plain.output
    assert decided.exit_code == 0, decided.output
    out = json.loads(decided.stdout)
    s = out["summary"]
    assert s["undecided"] == s["overdue"] == 0 and s["accepted"] == s["decided"] == len(_accept_every_finding(found))
    assert _without_decisions(out) == json.loads(plain.stdout)
    assert all(item["decision"]["decision"] == "accept" for key in ("orphans", "loops", "mutual_pairs",
               "single_points_of_failure") for item in out[key])  # fmt: skip


# --- the command line ------------------------------------------------------------------------------------------------

MIDSIZE = ("data/midsize/handoffs.csv", "-p", "data/midsize/parties.csv")
REORGANISED = ("data/midsize-reorganised/handoffs.csv", "data/midsize-reorganised/parties.csv")
SAMPLE = str(DATA / "midsize" / "decisions.csv")


def cli(*args: str):
    from click.testing import CliRunner

    from valuechain.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def test_analyze_with_decisions_says_what_is_accepted():
    result = cli("analyze", *MIDSIZE, "--decisions", SAMPLE, "--as-of", "2026-04-01")
    assert result.exit_code == 0, result.output
    assert "22 orphaned teams: 3 accepted by design, 19 to act on" in result.stdout
    assert "Findings as of 2026-04-01: 11 decided (0 overdue), 51 to decide" in result.stdout  # as the brief says
    out = json.loads(
        cli("analyze", *MIDSIZE, "--decisions", SAMPLE, "--as-of", "2026-04-01", "--format", "json").stdout
    )
    assert {k: out["summary"][k] for k in ("decided", "accepted", "overdue")} == {"decided": 11, "accepted": 3,
                                                                                  "overdue": 0}  # fmt: skip
    assert out["summary"]["undecided"] == 22 + 8 + 10 + 22 - 11
    assert all(isinstance(p, dict) for p in out["mutual_pairs"])


def test_without_decisions_the_command_line_json_is_unchanged():
    plain = cli("analyze", *MIDSIZE, "--format", "json").stdout
    dated = cli("analyze", *MIDSIZE, "--format", "json", "--as-of", "2026-04-01").stdout
    assert plain == dated and '"decision' not in plain


def test_fail_on_undecided():
    failed = cli("analyze", *MIDSIZE, "--decisions", SAMPLE, "--as-of", "2026-07-01", "--fail-on", "undecided",
                 "--fail-on", "orphans", "--format", "json")  # fmt: skip
    assert failed.exit_code == 1
    # a CI log says why: the JSON on stdout stays JSON
    assert failed.stderr.strip().splitlines()[-1] == (
        "valuechain: exit 1, --fail-on met: 51 findings undecided, 4 overdue; 22 orphaned teams"
    )
    json.loads(failed.stdout)
    assert cli("analyze", *MIDSIZE, "--fail-on", "undecided").exit_code == 1
    assert (
        cli("analyze", *MIDSIZE, "--decisions", SAMPLE, "--fail-on", "orphans", "--as-of", "2026-01-01").exit_code == 1
    )


def test_fail_on_undecided_passes_when_everything_is_accepted(tmp_path):
    chain = vc.load(DATA / "restaurant" / "handoffs.csv", parties=DATA / "restaurant" / "parties.csv")
    found = chain.analyze()
    items = [("orphan", i, "accept") for i in found.orphans["id"]]
    items += [("loop", ";".join(m), "accept") for m in found.loops["members"]]
    items += [("mutual_pair", f"{a};{b}", "accept") for a, b in zip(found.mutual_pairs["a"], found.mutual_pairs["b"])]
    items += [("single_point_of_failure", i, "accept") for i in found.single_points_of_failure["id"]]
    path = tmp_path / "decisions.csv"
    rows(*items).to_csv(path, index=False)
    args = ("analyze", DATA / "restaurant" / "handoffs.csv", "-p", DATA / "restaurant" / "parties.csv")
    assert cli(*args, "--decisions", path, "--fail-on", "undecided").exit_code == 0


def test_check_validates_the_decisions(tmp_path):
    ok = cli("check", *MIDSIZE, "--decisions", SAMPLE)
    assert ok.exit_code == 0 and "11 decisions" in ok.stdout
    bad = tmp_path / "decisions.csv"
    bad.write_text("finding,id,decision,due\norphan,sales-crn,conect,someday\n")
    result = cli("check", *MIDSIZE, "--decisions", bad)
    assert result.exit_code == 2
    assert "row 2, column 'id': 'sales-crn' is no party; did you mean 'sales-crm'?" in result.stderr
    assert "did you mean 'connect'?" in result.stderr and "'someday' is not a date" in result.stderr


def test_analyze_and_check_take_last_reviews_org_so_a_team_that_left_is_no_error():
    """A quarter's org checked in CI against last quarter's decisions: a team that has left since is listed as
    such with --previous, as diff, report and brief list it, instead of refused as no party."""
    earlier = ("--previous", MIDSIZE[0], "--previous-parties", MIDSIZE[2])
    refused = cli("check", REORGANISED[0], "-p", REORGANISED[1], "--decisions", SAMPLE)
    assert refused.exit_code == 2 and "'mf-lean' is no party" in refused.stderr
    assert "--previous of the other commands" in refused.stderr
    checked = cli("check", REORGANISED[0], "-p", REORGANISED[1], "--decisions", SAMPLE, *earlier)
    assert checked.exit_code == 0, checked.output
    args = ("analyze", REORGANISED[0], "-p", REORGANISED[1], "--decisions", SAMPLE, "--as-of", "2026-07-01")
    result = cli(*args, *earlier, "--format", "json", "--fail-on", "undecided")
    assert result.exit_code == 1, result.output  # findings to decide, one overdue
    statuses = {k: [r["id"] for r in v] for k, v in json.loads(result.stdout)["decisions"].items()}
    assert statuses == {"done": ["hr-wellbeing", "it-legacy"], "stale": ["fin-tax"], "overdue": ["sales-crm"],
                        "party_removed": ["mf-lean"]}  # fmt: skip


def test_last_reviews_org_is_refused_where_it_would_be_read_for_nothing(tmp_path):
    without = cli("analyze", *MIDSIZE, "--previous", MIDSIZE[0])
    assert without.exit_code == 2 and "--previous is read only with --decisions" in without.stderr
    alone = cli("check", *MIDSIZE, "--decisions", SAMPLE, "--previous-parties", MIDSIZE[2])
    assert alone.exit_code == 2 and "--previous-parties needs --previous" in alone.stderr
    brief = cli("brief", *MIDSIZE, "--previous-parties", MIDSIZE[2], "-o", tmp_path / "brief.html")
    assert brief.exit_code == 2 and "--previous-parties needs --previous" in brief.stderr  # it was left unread
    assert not (tmp_path / "brief.html").exists()


def test_last_reviews_parties_alone_are_refused_naming_the_option_given():
    """--previous-parties without --previous (and without --decisions) is told what it needs, not about --previous,
    which was not given."""
    alone = cli("analyze", *MIDSIZE, "--previous-parties", MIDSIZE[2])
    assert alone.exit_code == 2 and "--previous-parties needs --previous" in alone.stderr, alone.stderr
    checked = cli("check", *MIDSIZE, "--previous-parties", MIDSIZE[2])
    assert checked.exit_code == 2 and "--previous-parties needs --previous" in checked.stderr, checked.stderr


def test_every_command_that_reads_decisions_says_their_warnings_and_last_reviews(tmp_path):
    """A warning about the decisions file (read as cp1252) or last review's org is said by every command that reads
    them, as check says it: analyze, report and brief said nothing."""
    decisions = tmp_path / "decisions.csv"
    decisions.write_bytes(b"finding,id,decision,note\norphan,sales-crm,connect,caf\xe9\n")
    previous = tmp_path / "before.csv"
    previous.write_bytes(Path(MIDSIZE[0]).read_bytes() + b"sc-inbound,sc-warehouse,caf\xe9,yes\n")
    earlier = ("--previous", previous, "--previous-parties", MIDSIZE[2])
    versions = (MIDSIZE[0], "--old-parties", MIDSIZE[2], "--new-parties", MIDSIZE[2])
    runs = {
        "check": cli("check", *MIDSIZE, "--decisions", decisions, *earlier),
        "analyze": cli("analyze", *MIDSIZE, "--decisions", decisions, *earlier),
        "report": cli("report", *MIDSIZE, "--decisions", decisions, *earlier, "-o", tmp_path / "report.md"),
        "brief": cli("brief", *MIDSIZE, "--decisions", decisions, *earlier, "-o", tmp_path / "brief.html"),
        "whatif": cli("whatif", *MIDSIZE, "--decisions", decisions),
        "diff": cli("diff", previous, *versions, "--decisions", decisions),
    }
    for command, result in runs.items():
        assert result.exit_code == 0, (command, result.output)
        said = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        assert any("decisions.csv: the file is not UTF-8" in line for line in said), (command, said)
        if command not in ("whatif", "diff"):
            assert any("before.csv" in line for line in said), (command, said)


def test_a_bad_as_of_is_a_usage_error():
    result = cli("analyze", *MIDSIZE, "--as-of", "31/12/2026")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_diff_lists_decisions_done_overdue_stale_and_removed():
    args = ("diff", MIDSIZE[0], REORGANISED[0], "--old-parties", MIDSIZE[2], "--new-parties", REORGANISED[1])
    result = cli(*args, "--decisions", SAMPLE, "--as-of", "2026-07-01", "--format", "json")
    assert result.exit_code == 0, result.output
    statuses = {k: [r["id"] for r in v] for k, v in json.loads(result.stdout)["decisions"].items()}
    assert statuses == {"done": ["hr-wellbeing", "it-legacy"], "stale": ["fin-tax"], "overdue": ["sales-crm"],
                        "party_removed": ["mf-lean"]}  # fmt: skip
    text = cli(*args, "--decisions", SAMPLE, "--as-of", "2026-07-01").stdout
    assert "Decisions as of 2026-07-01: 2 done, 1 stale, 1 overdue, 1 whose party left" in text


# --- the brief and the report ----------------------------------------------------------------------------------------


def quarter():
    old = vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv")
    new = vc.load(DATA / "midsize-reorganised" / "handoffs.csv", parties=DATA / "midsize-reorganised" / "parties.csv")
    return old, new, new.with_decisions(SAMPLE, previous=old, as_of="2026-07-01")


def test_the_brief_lists_only_what_is_undecided_or_overdue():
    from valuechain.report.brief import brief

    old, new, decided = quarter()
    plain, page = brief(new, old, figure=False), brief(decided, old, figure=False)
    assert "Central warehouse" in plain.decisions[0].title
    assert not any("Central warehouse" in d.title for d in page.decisions)  # redundancy, due at the end of 2026
    orphans = {name for d in page.decisions if d.finding.value == "orphan" for name in d.teams}
    names = dict(zip(new.parties["id"], new.parties["name"]))
    assert names["sales-crm"] in orphans  # overdue
    assert not {names["hr-payroll"], names["mf-ehs"], names["lc-policy"]} & orphans  # accepted, not yet due
    assert "9 are orphaned: 2 accepted by design, 7 to act on." in page.headline  # as issue 17's honest headline
    assert page.headline.endswith("Findings as of 2026-07-01: 7 decided (1 overdue), 51 to decide.")


def test_the_briefs_things_to_decide_say_which_are_overdue():
    """A decided finding is on the brief's list only when overdue: the list says so, with its decision and due date,
    so the reader knows why it is back."""
    from valuechain.report.brief import brief

    old, new, decided = quarter()
    page = brief(decided, old, figure=False)
    lines = [line for d in page.decisions for line in d.lines]
    assert "Sales: CRM administration (overdue: connect, due 2026-06-30)" in lines
    assert not any("overdue" in line for line in (line for d in brief(new, old, figure=False).decisions
                                                  for line in d.lines))  # fmt: skip
    late = pd.DataFrame({"finding": ["single_point_of_failure", "loop"], "id": ["mf-qc", "mf-qc;sc-warehouse"],
                         "decision": ["redundancy", "partner"], "due": ["2026-03-31", "2026-04-30"]})  # fmt: skip
    late = new.with_decisions(late, as_of="2026-07-01")
    titles = [d.title for d in brief(late, old, figure=False).decisions]
    assert "Quality control (Manufacturing): 19 teams hang on it (overdue: redundancy, due 2026-03-31)" in titles
    assert any(t.startswith("A loop of 6 teams") and t.endswith("(overdue: partnership, due 2026-04-30)")
               for t in titles), titles  # fmt: skip
    assert "CRM administration" in page.orphans_named  # the names themselves stay names


def test_the_briefs_decisions_name_a_loop_as_one_finding():
    from valuechain.report.brief import _review

    old, new, _ = quarter()
    late = new.with_decisions(SAMPLE, previous=old, as_of="2026-10-01")
    [overdue] = [line for line in _review(late, old) if line.startswith("Overdue")]
    assert ("the loop of Board secretariat, Strategy office, Controlling and Management reporting (partnership, CEO, "
            "due 2026-09-30)") in overdue  # fmt: skip
    assert "Board secretariat and Strategy office and" not in overdue


def test_the_report_has_a_decisions_section():
    from valuechain.report.content import sections

    old, _, decided = quarter()
    shown = {s.key: s for s in sections(decided, old, figures=False)}
    assert "decisions" in shown
    assert "9 orphaned teams: 2 accepted by design, 7 to act on." in shown["decisions"].paragraphs
    table = shown["decisions"].tables[0].shown()
    assert table.iloc[0]["Id"] == "sales-crm" and table.iloc[0]["Decision"] == "Connect"
    assert "decisions" not in {s.key for s in sections(old, figures=False)}


def test_the_reports_what_changed_section_lists_decisions_done_overdue_and_stale():
    """Issue 17: "the report's 'what changed' section lists decisions done, overdue and stale", not only the
    Decisions section."""
    from valuechain.report.content import sections

    old, _, decided = quarter()
    changes = {s.key: s for s in sections(decided, old, figures=False)}["changes"]
    assert "Decisions since the previous review: 2 done, 1 stale, 1 overdue, 1 whose party left." in changes.paragraphs
    [table] = [t for t in changes.tables if t.caption == "What became of the decisions"]
    shown = table.shown()
    assert shown["Id"].tolist() == ["sales-crm", "hr-wellbeing", "it-legacy", "fin-tax", "mf-lean"]
    assert "Decided, finding still there" not in set(shown["What became of it"])
    old_only = {
        s.key: s
        for s in sections(
            vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv"), old, figures=False
        )
    }
    assert not any("Decisions" in p for p in old_only["changes"].paragraphs)


def test_a_decisions_sheet_of_a_workbook(tmp_path):
    path = tmp_path / "review.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
        rows(("orphan", "marketing", "accept", "2999-12-31")).to_excel(writer, sheet_name="Decisions", index=False)
    found = restaurant(decisions=path, as_of="2026-01-01").analyze()
    assert found.summary.accepted == 1


def test_two_rows_on_one_loop_are_refused_not_done():
    """Loops never share members (each is a strongly connected part of the org): two rows sharing members name
    one loop, and the second is refused (it was once reported done while its loop was still there)."""
    with pytest.raises(vc.InputError) as err:
        restaurant(decisions=rows(("loop", "kitchen;dishwash", "partner"), ("loop", "floor;kitchen", "merge")))
    (problem,) = err.value.problems
    assert (problem.row, problem.code, problem.column) == (3, vc.Code.DUPLICATE, "id")
    assert "already in row 2" in problem.message
    assert "name one loop" in problem.hint


def test_a_second_row_on_one_orphan_is_refused_without_a_word_on_loops():
    with pytest.raises(vc.InputError) as err:
        restaurant(decisions=rows(("orphan", "marketing", "accept"), ("orphan", "marketing", "stop")))
    (problem,) = err.value.problems
    assert (problem.row, problem.code, problem.hint) == (3, vc.Code.DUPLICATE, "keep one row per finding")


def test_two_rows_naming_parts_of_one_loop_are_refused_not_done():
    """Two loop rows that share no member but name parts of one loop of the org decide that loop twice: refused
    as a duplicate (the second was reported done while its loop was still there)."""
    decisions = pd.DataFrame({"finding": ["loop", "loop"], "decision": ["partner", "stop"],
                              "id": ["ex-board;ex-strategy", "fin-reporting;fin-controlling"]})  # fmt: skip
    with pytest.raises(vc.InputError) as err:
        vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv", decisions=decisions)
    [problem] = err.value.problems
    assert (problem.row, problem.column, problem.code) == (3, "id", Code.DUPLICATE)
    assert "row 2" in problem.message
    assert "'ex-board', 'ex-strategy', 'fin-controlling', 'fin-reporting'" in problem.message
    # two loops decided apart that have merged since are no mistake in the file: the hint says how to say so
    assert "merged since" in problem.hint and "--previous" in problem.hint
    one = decisions.iloc[:1]  # one row on part of the loop still decides the whole loop
    found = vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv", decisions=one,
                    as_of="2026-01-01").analyze()  # fmt: skip
    assert found.summary.decided == 1 and not any(found.review.statuses.values())


def test_last_reviews_org_may_be_given_by_its_party_ids():
    """with_decisions(previous=) takes last review's party ids as it takes its org (the dashboard holds only the
    ids of last review's parties): a party that left is listed as such, two rows on one loop stay open."""
    decisions = pd.DataFrame({"finding": ["loop", "loop", "orphan"], "decision": ["partner", "stop", "connect"],
                              "id": ["ex-board;ex-strategy", "fin-reporting;fin-controlling", "gone"]})  # fmt: skip
    chain = vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv")
    by_ids = chain.with_decisions(decisions, previous=[*chain.parties["id"], "gone"], as_of="2026-01-01").analyze()
    assert [r["id"] for r in by_ids.review.statuses["party_removed"]] == ["gone"]
    assert by_ids.summary.decided == 1 and by_ids.review.statuses["done"] == []


def test_two_rows_on_one_large_loop_name_its_first_members_not_all():
    """The duplicate's message names the loop by its first members and how many more (a loop of hundreds of
    teams was written out whole), each id quoted as every message quotes ids."""
    ids = [f"team-{i:03}" for i in range(300)]
    handoffs = pd.DataFrame({"source": ids, "target": ids[1:] + ids[:1]})
    parties = pd.DataFrame({"id": [*ids, "c"], "kind": ["team"] * 300 + ["external_customer"]})
    decisions = pd.DataFrame({"finding": ["loop", "loop"], "decision": ["partner", "stop"],
                              "id": ["team-000;team-001", "team-100;team-101"]})  # fmt: skip
    with pytest.raises(vc.InputError) as err:
        vc.load(handoffs, parties=parties, decisions=decisions)
    [problem] = err.value.problems
    assert "'team-000', 'team-001'" in problem.message and "and 288 more" in problem.message
    assert len(problem.message) < 300


def test_loops_decided_apart_that_merge_stay_open_not_done():
    """A change that merges two decided loops completes neither: both decisions stay open on the merged loop (in a
    what-if, and with a previous version), never done and never an error about the file."""
    decisions = pd.DataFrame({"finding": ["loop", "loop"], "id": ["pd-elec;pd-firmware", "pd-mech;pd-testlab"],
                              "decision": ["partner", "stop"], "due": ["", "2026-03-31"]})  # fmt: skip
    chain = vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv", decisions=decisions,
                    as_of="2026-07-01")  # fmt: skip
    merged = chain.whatif(add_handoffs=[("pd-firmware", "pd-mech"), ("pd-testlab", "pd-elec")])
    after = merged.after.review
    assert ("loop", ("pd-elec", "pd-firmware", "pd-mech", "pd-testlab")) in after.matched
    assert after.statuses["done"] == [] and [r["id"] for r in after.statuses["overdue"]] == ["pd-mech;pd-testlab"]
    assert merged.after.summary.decided == 1


def test_a_loop_whose_members_changed_is_matched_by_shared_members():
    found = restaurant(decisions=rows(("loop", "kitchen;dishwash", "partner"))).analyze()
    assert found.review is not None
    assert found.review.decision("loop", ["floor", "kitchen"])["decision"] == "partner"
    assert found.review.statuses["done"] == []


def test_a_party_id_holding_a_semicolon_is_one_party():
    table = pd.DataFrame({"source": ["a", "x;y"], "target": ["x;y", "c"]})  # a hangs on x;y
    chain = vc.load(table, customers=["c"], decisions=rows(("single_point_of_failure", "x;y", "redundancy")))
    assert chain.analyze().review.decision("single_point_of_failure", ["x;y"])["decision"] == "redundancy"


def test_blank_owners_and_notes_stay_empty_in_json_report_and_brief(tmp_path):
    """A file where some rows give an owner or a note and others do not (the usual case)."""
    from valuechain.jsonable import to_json

    decisions = rows(("orphan", "marketing", "stop"), ("loop", "floor;kitchen", "partner"))
    decisions["owner"] = ["CMO", ""]
    decisions["note"] = ["", "one partnership"]
    chain = restaurant(decisions=decisions, as_of="2026-01-01")
    text = to_json(chain.analyze().to_dict())
    assert "NaN" not in text
    out = json.loads(text)
    assert out["orphans"][[o["id"] for o in out["orphans"]].index("marketing")]["decision"]["note"] is None
    for name in ("report.md", "report.html", "brief.html"):
        path = chain.brief(tmp_path / name) if name.startswith("brief") else chain.report(tmp_path / name)
        assert path.stat().st_size > 0


def test_due_dates_with_a_time_and_the_year_range():
    from valuechain.decisions import _date

    assert _date("2026-06-30 13:30:00") == dt.date(2026, 6, 30)
    assert _date("0001-01-01") == dt.date(1, 1, 1) and _date("9999-12-31") == dt.date(9999, 12, 31)
    with pytest.raises(vc.InputError) as err:
        restaurant(decisions=rows(("orphan", "marketing", "stop", "99999-01-01")))
    assert "0001 to 9999" in err.value.problems[0].hint


def test_an_empty_finding_or_decision_says_it_is_empty():
    with pytest.raises(vc.InputError) as err:
        restaurant(decisions=rows(("", "marketing", "stop"), ("orphan", "marketing", "")))
    said = [(p.row, p.code, p.message) for p in err.value.problems]
    assert (2, vc.Code.EMPTY_CELL, "the finding is empty") in said
    assert (3, vc.Code.EMPTY_CELL, "the decision is empty") in said


@functools.cache
def _midsize() -> vc.Chain:
    return vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv")


@given(
    st.data(),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2999, 12, 31)),
)
def test_every_decision_is_accounted_for_once(data, as_of):
    """Whatever is decided: decided + undecided is every finding, each row is open, overdue, done, stale or
    party_removed, and the findings themselves are unchanged."""
    chain = _midsize()
    found = chain.analyze()
    candidates = [("orphan", i) for i in found.orphans["id"]]
    candidates += [("loop", ";".join(m)) for m in found.loops["members"]]
    candidates += [("mutual_pair", f"{a};{b}") for a, b in zip(found.mutual_pairs["a"], found.mutual_pairs["b"])]
    candidates += [("single_point_of_failure", i) for i in found.single_points_of_failure["id"]]
    candidates += [("orphan", "sc-warehouse"), ("single_point_of_failure", "hr-wellbeing")]  # no such finding
    chosen = data.draw(st.lists(st.sampled_from(candidates), unique=True, max_size=20))
    decisions = [data.draw(st.sampled_from(["connect", "merge", "stop", "partner", "redundancy", "accept",
                                            "investigate"])) for _ in chosen]  # fmt: skip
    dues = [data.draw(st.one_of(st.just(""), st.dates().map(dt.date.isoformat))) for _ in chosen]
    table = rows(*[(f, i, d, due) for (f, i), d, due in zip(chosen, decisions, dues)])
    decided = review(found, read_decisions(table, chain.parties["id"]), as_of)
    s, r = decided.summary, decided.review
    assert r is not None
    total = s.orphans + s.loops + s.mutual_pairs + s.single_points_of_failure
    assert s.decided + s.undecided == total
    assert s.accepted <= s.decided and s.overdue <= s.decided
    gone = sum(len(r.statuses[k]) for k in ("done", "stale", "party_removed"))
    assert s.decided + gone == len(chosen)
    assert decided.orphans.equals(found.orphans) and decided.single_points_of_failure.equals(
        found.single_points_of_failure
    )


def test_the_excel_report_has_a_decisions_sheet_written_safely():
    from valuechain.report.tables import findings_tables

    table = rows(("orphan", "marketing", "accept", "2999-12-31"))
    table["owner"] = ["=HYPERLINK(1)"]
    sheets = findings_tables(restaurant(decisions=table, as_of="2026-01-01"))
    assert list(sheets)[5] == "Decisions"
    assert sheets["Decisions"].iloc[0]["Decision"] == "Accepted by design"
    assert "Decisions" not in findings_tables(restaurant())


def test_whatif_with_decisions_says_which_the_change_completes():
    from click.testing import CliRunner

    from valuechain.cli import main

    org = ["data/midsize/handoffs.csv", "-p", "data/midsize/parties.csv", "--decisions", "data/midsize/decisions.csv",
           "--as-of", "2026-07-01", "--add-handoff", "sales-crm", "sales-b2b"]  # fmt: skip
    result = CliRunner().invoke(main, ["whatif", *org, "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [row["id"] for row in out["decisions_after"]["done"]] == ["sales-crm"]
    assert out["summary_before"]["overdue"] == 4 and out["summary_after"]["overdue"] == 3
    text = CliRunner().invoke(main, ["whatif", *org]).output
    assert "Done: the finding is gone: orphaned team sales-crm (connect)" in text
    plain = CliRunner().invoke(main, ["whatif", *org[:3], *org[-3:], "--format", "json"])
    assert "decisions_after" not in json.loads(plain.output)  # without --decisions, as before


def test_a_large_decisions_file_of_typos_is_read_in_linear_time():
    """100,000 rows, a third naming no party: every wrong row named, "did you mean" for the first words only.
    (It took 40 s when each row built its own Series and looked for the closest id; now about 3 s.)"""
    import io

    from valuechain.decisions import read_usable

    ids = [f"team-{i}" for i in range(200)]
    n = 100_000
    table = pd.DataFrame({"finding": "orphan", "id": [ids[i % 200] + ("x" if i % 3 == 0 else "") for i in range(n)],
                          "decision": "accept"})  # fmt: skip
    file = io.BytesIO(table.to_csv(index=False).encode())
    file.name = "big.csv"
    read, problems = read_usable(file, ids)
    unknown = [p for p in problems if p.code == vc.Code.UNKNOWN_PARTY]
    assert len(unknown) == len(range(0, n, 3)) and unknown[0].row == 2
    assert "did you mean 'team-0'" in unknown[0].hint
    assert len(read.table) == 200  # the other rows repeat these 200 decisions: duplicates, named too


class CountedLoops(list):
    """The org's loops, counting how often they are gone through."""

    gone_through = 0

    def __iter__(self):
        CountedLoops.gone_through += 1
        return super().__iter__()


def test_matching_loop_rows_to_many_loops_goes_through_the_loops_once():
    """2,000 two-team loops and 1,000 rows each naming parts of two of them: each row is matched through the loop
    of each member, not by going through every loop (20,000 loops and 10,000 rows took about 30 s so; the loops
    are gone through a fixed number of times whatever the rows)."""
    from valuechain.decisions import _targets
    from valuechain.vocabulary import Finding

    n = 2_000
    ids = [f"p{i}" for i in range(2 * n)]
    parties = pd.DataFrame({"id": [*ids, "c"], "kind": ["team"] * (2 * n) + ["external_customer"]})
    evens, odds = ids[0::2], ids[1::2]
    handoffs = pd.DataFrame({"source": evens + odds, "target": odds + evens})
    chain = vc.load(handoffs, parties=parties)
    rows = pd.DataFrame(
        {"finding": "loop", "decision": "stop", "id": [f"p{4 * i};p{4 * i + 2}" for i in range(n // 2)]}
    )
    found = chain.with_decisions(rows, as_of="2026-01-01", previous=chain).analyze()
    assert found.summary.decided == n // 2 and found.summary.undecided == 4 * n - n // 2  # orphans, loops and pairs
    assert found.review.decision("loop", ["p0", "p1"])["id"] == "p0;p2"  # the first loop sharing most members
    table = chain.with_decisions(rows, previous=chain).decisions.table
    loops = CountedLoops(tuple(sorted(m)) for m in chain.analyze().loops["members"])
    present = {kind.value: [] for kind in Finding} | {Finding.LOOP.value: loops}
    CountedLoops.gone_through = 0
    targets = _targets(table, present, merged=True)
    assert targets[:2] == [("p0", "p1"), ("p4", "p5")]
    assert CountedLoops.gone_through <= 3, f"the loops gone through {CountedLoops.gone_through:,} times"


def test_the_reports_workbook_reads_back_as_the_decisions_file(tmp_path):
    """The report's Decisions sheet writes findings and decisions in words ("Orphaned team", "Accepted by
    design"); a leader who edits it there gives it back as the next review's decisions file."""
    chain = _midsize().with_decisions(DATA / "midsize" / "decisions.csv", as_of="2026-07-01")
    book = chain.report(tmp_path / "review.xlsx")
    again = _midsize().with_decisions(book, as_of="2026-07-01")
    assert again.analyze().summary == chain.analyze().summary
    assert again.analyze().to_dict()["decisions"] == chain.analyze().to_dict()["decisions"]


def test_an_id_with_an_invisible_or_look_alike_character_says_which():
    with pytest.raises(vc.InputError) as err:
        restaurant(decisions=rows(("orphan", "marketing\u200b", "stop")))
    said = [p for p in err.value.problems if p.code == vc.Code.SUSPICIOUS_TEXT]
    assert said and "U+200B" in said[0].message and said[0].row == 2


def test_the_id_header_chosen_for_the_parties_is_the_decisions_files_too_where_it_has_it(tmp_path):
    parties = pd.read_csv(RESTAURANT[1]).rename(columns={"id": "Team code"})
    parties.to_csv(tmp_path / "parties.csv", index=False)
    decided = pd.DataFrame({"finding": ["orphan"], "Team code": ["dishwash"], "party": ["kitchen"],
                            "decision": ["accept"]})  # fmt: skip
    decided.to_csv(tmp_path / "decisions.csv", index=False)
    by_code = vc.load(RESTAURANT[0], parties=tmp_path / "parties.csv", columns={"id": "Team code"},
                      decisions=tmp_path / "decisions.csv")  # fmt: skip
    assert by_code.decisions.table["id"].tolist() == ["dishwash"]  # the chosen header, not 'party'
    # a decisions file without that header finds its id column by its usual headers, as the dashboard writes it
    decided.drop(columns="Team code").to_csv(tmp_path / "decisions.csv", index=False)
    by_synonym = vc.load(RESTAURANT[0], parties=tmp_path / "parties.csv", columns={"id": "Team code"},
                         decisions=tmp_path / "decisions.csv")  # fmt: skip
    assert by_synonym.decisions.table["id"].tolist() == ["kitchen"]
    result = CliRunner().invoke(main, ["analyze", str(RESTAURANT[0]), "--parties", str(tmp_path / "parties.csv"),
                                       "--column", "id=Team code", "--decisions", str(tmp_path / "decisions.csv"),
                                       "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decisions"]


def test_reading_and_reviewing_leave_the_cycle_collector_as_they_found_it():
    """Both pause Python's cycle collector for their loop over the rows (speed), and give it back as it was."""
    import gc

    chain = vc.load(RESTAURANT[0], parties=RESTAURANT[1])
    bad = pd.DataFrame({"finding": ["orphan"], "id": ["nobody"], "decision": ["stop"]})
    for enabled in (True, False):
        gc.enable() if enabled else gc.disable()
        try:
            with pytest.raises(InputError):
                chain.with_decisions(bad)
            assert gc.isenabled() is enabled
            reviewed = chain.with_decisions(rows(("orphan", "bookkeeping", "accept")))
            assert reviewed.analyze().summary["accepted"] == 1
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
