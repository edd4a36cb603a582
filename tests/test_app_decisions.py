"""Review decisions in the dashboard (issue 17, point 5), driven headless with Streamlit's AppTest: a decisions
file beside the org, a decision column in every findings table, the headline and the brief following at once, the
download read back, and the decisions kept to their own session."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

import valuechain as vc
from tests.conftest import DATA
from tests.test_app import assert_clean, frame, metric, open_tab, read, start
from valuechain.cli import main as cli
from valuechain.decisions import read_decisions, to_csv
from valuechain.report.brief import brief
from valuechain.vocabulary import DecisionStatus, label

MIDSIZE = DATA / "midsize"
REVIEW_DAY = dt.date(2026, 7, 1)
#: The editable table of each kind of finding: its tab, its key, and a finding in it (its row in the table).
TABLES = {
    "orphan": ("Orphans", "orphans"),
    "loop": ("Loops and mutual pairs", "loops"),
    "mutual_pair": ("Loops and mutual pairs", "mutual"),
    "single_point_of_failure": ("Single points of failure", "spof"),
}


def editor_key(at: AppTest, table: str) -> str:
    """The key the table's editor has now (it carries a version that moves on after each edit)."""
    keys = [e.key for e in at.data_editor if e.key.startswith(f"decide-{table}-")]
    assert len(keys) == 1, [e.key for e in at.data_editor]
    return keys[0]


def decide(at: AppTest, table: str, row: int, **cells: object) -> AppTest:
    """Edit the decision columns of one row of a findings table, as a person does in the grid."""
    edits = {"edited_rows": {row: {label(k): v for k, v in cells.items()}}, "added_rows": [], "deleted_rows": []}
    at.session_state[editor_key(at, table)] = edits
    return at.run()


def grid(at: AppTest, table: str) -> pd.DataFrame:
    return next(e for e in at.data_editor if e.key.startswith(f"decide-{table}-")).value


def rows(at: AppTest) -> pd.DataFrame:
    return at.session_state["decisions"][at.session_state["decisions-for"]]["rows"]


def with_sample_decisions(at: AppTest, sample: str = "midsize") -> AppTest:
    if sample != "midsize":
        at.selectbox(key="sample").select(sample).run()
    at.checkbox(key="sample-decisions").check()
    at.date_input(key="as-of").set_value(REVIEW_DAY)
    return at.run()


def counts(at: AppTest) -> tuple[str, str, str, str]:
    return tuple(metric(at, label) for label in ("Findings to decide", "Decisions overdue", "Accepted by design",
                                                 "Findings decided"))  # type: ignore[return-value]  # fmt: skip


def test_without_decisions_the_page_and_downloads_are_as_before():
    at = start()
    assert_clean(at)
    assert not [m for m in at.metric if m.label == "Findings to decide"]
    assert "decisions" in at.session_state and rows(at).empty
    assert at.session_state["decisions"][at.session_state["decisions-for"]]["version"] == 0


def test_the_samples_decisions_give_the_honest_headline():
    at = with_sample_decisions(start())
    assert_clean(at)
    # 62 findings (22 orphans, 8 loops, 10 pairs, 22 single points of failure); 11 decided; 3 accepted;
    # the four due on 2026-06-30 are overdue on 2026-07-01
    assert counts(at) == ("51", "4", "3", "11")
    captions = [c.value for c in at.caption]
    assert any("22 orphaned teams: 3 accepted by design, 19 to act on" in c for c in captions), captions
    assert metric(at, "Orphaned teams") == "22"  # accepted findings are never hidden
    statuses = frame(at, "decision-statuses")
    assert statuses[label("status")].value_counts()[DecisionStatus.OVERDUE.label] == 4


def test_the_headline_agrees_with_the_library_and_the_json_download_with_the_command_line():
    at = with_sample_decisions(start())
    chain = vc.load(MIDSIZE / "handoffs.csv", parties=MIDSIZE / "parties.csv", decisions=MIDSIZE / "decisions.csv",
                    as_of=REVIEW_DAY)  # fmt: skip
    s = chain.analyze().summary
    assert counts(at) == tuple(str(s[k]) for k in ("undecided", "overdue", "accepted", "decided"))
    made = at.session_state["decided"][3]
    args = ["analyze", str(MIDSIZE / "handoffs.csv"), "-p", str(MIDSIZE / "parties.csv"), "--decisions",
            str(MIDSIZE / "decisions.csv"), "--as-of", REVIEW_DAY.isoformat(), "--format", "json"]  # fmt: skip
    expected = CliRunner().invoke(cli, args).output
    assert json.loads(made.json) == json.loads(expected)


def test_a_quarterly_review_of_the_reorganised_org_with_last_quarters_decisions():
    """The reorganised sample offers the decisions of its earlier version, and knows its teams that left."""
    at = with_sample_decisions(start(), "midsize-reorganised")
    assert_clean(at)
    statuses = frame(at, "decision-statuses")[label("status")].value_counts().to_dict()
    before = vc.load(MIDSIZE / "handoffs.csv", parties=MIDSIZE / "parties.csv")
    later = DATA / "midsize-reorganised"
    chain = vc.load(later / "handoffs.csv", parties=later / "parties.csv").with_decisions(
        MIDSIZE / "decisions.csv", previous=before, as_of=REVIEW_DAY
    )
    expected = {DecisionStatus(k).label: len(v) for k, v in chain.analyze().review.statuses.items() if v}
    assert {k: statuses[k] for k in expected} == expected
    assert expected[DecisionStatus.DONE.label] >= 2 and expected[DecisionStatus.STALE.label] == 1
    assert expected[DecisionStatus.PARTY_REMOVED.label] == 1 and expected[DecisionStatus.OVERDUE.label] == 1


@pytest.mark.parametrize("finding", list(TABLES))
def test_deciding_in_a_table_moves_the_headline_at_once(finding):
    tab, key = TABLES[finding]
    at = open_tab(start(), tab)
    first = grid(at, key).iloc[0]
    at = decide(at, key, 0, decision="investigate", owner="COO", due="2027-03-31", note="look again")
    assert_clean(at)
    assert counts(at) == ("61", "0", "0", "1")
    (row,) = rows(at).to_dict("records")
    assert (row["finding"], row["decision"], row["owner"], row["due"], row["note"]) == (
        finding, "investigate", "COO", dt.date(2027, 3, 31), "look again")  # fmt: skip
    shown = grid(at, key).iloc[0]
    assert (shown[label("decision")], shown[label("owner")]) == ("investigate", "COO")
    assert shown.drop(labels=[label(c) for c in ("decision", "owner", "due", "note")]).equals(
        first.drop(labels=[label(c) for c in ("decision", "owner", "due", "note")])
    )


def test_a_loop_decided_in_the_table_names_its_members_and_reads_back():
    at = open_tab(start(), "Loops and mutual pairs")
    at = decide(at, "loops", 1, decision="partner")
    made = at.session_state["decided"][3]
    loop = made.found.to_dict()["loops"][1]
    assert loop["decision"]["decision"] == "partner"
    assert loop["decision"]["id"] == ";".join(sorted(loop["members"]))


def test_an_overdue_decision_is_counted_against_the_review_day():
    at = open_tab(start(), "Orphans")
    at.date_input(key="as-of").set_value(REVIEW_DAY).run()
    at = decide(at, "orphans", 0, decision="stop", due="2026-06-30")
    assert counts(at) == ("61", "1", "0", "1")
    at.date_input(key="as-of").set_value(dt.date(2026, 6, 30)).run()
    assert counts(at) == ("61", "0", "0", "1")  # due that day: not yet overdue


def test_accepting_a_team_takes_it_off_the_briefs_things_to_decide():
    at = open_tab(start(), "Orphans")
    team = grid(at, "orphans").iloc[0]
    before = brief(at.session_state["decided"][3].chain if "decided" in at.session_state else vc.load(
        MIDSIZE / "handoffs.csv", parties=MIDSIZE / "parties.csv"), figure=False)  # fmt: skip
    assert team[label("name")] in before.orphans_named
    at = decide(at, "orphans", 0, decision="accept")
    after = brief(at.session_state["decided"][3].chain, figure=False)
    assert team[label("name")] not in after.orphans_named
    assert counts(at)[2] == "1"


def test_clearing_a_decision_removes_its_row():
    at = decide(open_tab(start(), "Orphans"), "orphans", 2, decision="merge", owner="CIO")
    assert len(rows(at)) == 1
    at = decide(at, "orphans", 2, decision=None)
    assert_clean(at)
    assert rows(at).empty and counts(at) == ("62", "0", "0", "0")  # still reviewing: the counts stay


def test_the_downloaded_decisions_read_back_the_same():
    """Round trip: what the dashboard writes is a decisions file it (and the command line) reads back alike."""
    at = with_sample_decisions(start())
    at = open_tab(at, "Orphans")
    at = decide(at, "orphans", 1, decision="accept", owner="@coo", note='=HYPERLINK("x") quotes " and, commas;')
    written = to_csv(rows(at))
    assert '\'@coo,,"\'=HYPERLINK(""x"") quotes "" and, commas;"' in written  # safe in a spreadsheet
    shown = counts(at)
    again = start()
    again.file_uploader(key="decisions-file").upload("decisions.csv", written.encode("utf-8"), "text/csv").run()
    again.date_input(key="as-of").set_value(REVIEW_DAY).run()
    assert_clean(again)
    assert to_csv(rows(again)) == written and counts(again) == shown
    assert rows(again)["note"].iloc[-1].startswith("=HYPERLINK")  # read back as it was written
    chain = vc.load(MIDSIZE / "handoffs.csv", parties=MIDSIZE / "parties.csv")
    assert to_csv(read_decisions(io.BytesIO(written.encode()), chain.parties["id"])) == written


def test_wrong_rows_of_a_decisions_file_are_named_and_the_others_used():
    text = (MIDSIZE / "decisions.csv").read_text().replace("orphan,mf-lean,stop", "orphan,mf-laen,stoop", 1)
    at = start()
    at.file_uploader(key="decisions-file").upload("q2-decisions.xlsx.csv", text.encode(), "text/csv").run()
    assert not at.exception
    assert any("q2-decisions.xlsx.csv: 2 problems to fix" in read(w.value) for w in at.warning)
    problems = frame(at, "decision-problems")
    assert set(problems[label("row")]) == {8}
    assert set(problems[label("column")]) == {"id", "decision"}
    assert any("did you mean 'mf-lean'" in h for h in problems[label("hint")])
    assert metric(at, "Findings decided") == "10"  # the other ten rows are used


def test_two_rows_on_parts_of_one_loop_are_named_and_the_first_used():
    text = "finding,id,decision\nloop,ex-board;ex-strategy,partner\nloop,fin-reporting;fin-controlling,stop\n"
    at = start()
    at.file_uploader(key="decisions-file").upload("loops.csv", text.encode(), "text/csv").run()
    assert not at.exception
    assert any("loops.csv: 1 problem to fix" in read(w.value) for w in at.warning)
    problems = frame(at, "decision-problems")
    assert set(problems[label("row")]) == {3} and "row 2 decide one loop" in problems[label("message")].iloc[0]
    assert metric(at, "Findings decided") == "1"


def test_two_rows_on_one_loop_with_last_reviews_parties_stay_open_as_in_python_and_the_command_line():
    """Given last review's org, two rows on one loop of this org may be loops decided apart that have merged
    since: with_decisions(previous=) and --previous keep both open on the merged loop, and so does the dashboard
    (it named the second a duplicate and left it out)."""
    text = "finding,id,decision\nloop,ex-board;ex-strategy,partner\nloop,fin-reporting;fin-controlling,stop\n"
    chain = vc.load(MIDSIZE / "handoffs.csv", parties=MIDSIZE / "parties.csv")
    in_python = chain.with_decisions(pd.read_csv(io.StringIO(text)), previous=chain).analyze()
    at = start()
    at.file_uploader(key="decisions-file").upload("loops.csv", text.encode(), "text/csv")
    at.file_uploader(key="decisions-previous").upload(
        "lastparties.csv", (MIDSIZE / "parties.csv").read_bytes(), "text/csv"
    ).run()
    assert not at.exception
    assert not any("problem" in read(w.value) for w in at.warning), [read(w.value) for w in at.warning]
    assert metric(at, "Findings decided") == f"{in_python.summary.decided:,}" == "1"
    assert len(rows(at)) == 2  # both rows kept (downloaded as they came)


def test_decisions_stay_in_their_session():
    """An org's decisions uploaded and edited in one session never reach another (the caches are shared)."""
    first = with_sample_decisions(start())
    first = decide(open_tab(first, "Orphans"), "orphans", 0, decision="accept")
    assert metric(first, "Findings decided") == "12"
    second = open_tab(start(), "Orphans")
    assert_clean(second)
    assert not [m for m in second.metric if m.label == "Findings decided"]
    assert rows(second).empty
    assert grid(second, "orphans")[label("decision")].isna().all()
    assert metric(first, "Findings decided") == "12"  # and the first session keeps its own


def test_another_org_has_decisions_of_its_own_and_going_back_finds_them():
    at = decide(open_tab(start(), "Orphans"), "orphans", 0, decision="accept")
    at.selectbox(key="sample").select("restaurant").run()
    assert_clean(at)
    assert rows(at).empty and not [m for m in at.metric if m.label == "Findings decided"]
    at.selectbox(key="sample").select("midsize").run()
    assert_clean(at)
    assert len(rows(at)) == 1 and metric(at, "Findings decided") == "1"


def test_the_decisions_download_is_offered():
    at = open_tab(start(), "Downloads")
    assert "Decisions (CSV, to upload next review)" in {b.label for b in at.get("download_button")}


def test_a_whatif_with_decisions_says_which_it_completes_and_stays_in_its_session():
    """The what-if of a session with decisions carries them (what the change would complete); another session's
    same what-if does not (the analysed org is cached for every session, its decided copies are not)."""
    from valuechain.dashboard.state import decided

    first = with_sample_decisions(start())
    base = first.session_state["decided"][0]
    mine = first.session_state["decided"][3]
    scenario, _ = mine.whatif((), (), (("sales-crm", "sales-b2b"),))
    assert [r["id"] for r in scenario.to_dict()["decisions_after"]["done"]] == ["sales-crm"]
    plain, _ = base.whatif((), (), (("sales-crm", "sales-b2b"),))
    assert "decisions_after" not in plain.to_dict()
    again = decided(base, mine.chain)
    assert ("whatif", (), (), (("sales-crm", "sales-b2b"),)) not in again._figures


def test_an_unreadable_decisions_file_says_nothing_is_used():
    at = start()
    at.file_uploader(key="decisions-file").upload("decisions.csv", b"\x00\x01\x02 binary", "text/csv").run()
    assert not at.exception
    assert any("no decision is read from it" in read(w.value) for w in at.warning), [w.value for w in at.warning]


def test_unreadable_last_review_parties_are_named_and_the_decisions_read_without_them():
    at = start()
    at.file_uploader(key="decisions-file").upload("decisions.csv", (MIDSIZE / "decisions.csv").read_bytes(), "text/csv")
    at.file_uploader(key="decisions-previous").upload("lastparties.csv", b"", "text/csv").run()
    assert not at.exception
    said = [read(w.value) for w in at.warning]
    assert any(w.startswith("lastparties.csv: cannot be read") for w in said), said
    assert metric(at, "Findings decided") == "11"  # the decisions themselves are used


def test_every_cached_result_is_said_to_follow_the_decisions_or_not():
    """A cached property of Results that is neither remade for decisions nor declared shared would be copied
    from the undecided results, which serve every session: say which it is."""
    from functools import cached_property

    from valuechain.dashboard.state import DECIDED, SHARED, Results

    cached = {name for name, value in vars(Results).items() if isinstance(value, cached_property)}
    assert cached == (set(DECIDED) - {"found"}) | set(SHARED)
