"""One vocabulary: every word a person reads is defined once, and every front end follows it."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

import valuechain as vc
from tests.conftest import DATA, SAMPLES
from valuechain.explain import loop_details, mutual_details, orphan_details, spof_details
from valuechain.report import render
from valuechain.report.tables import findings_tables
from valuechain.vocabulary import (
    COLUMNS,
    DEPARTMENT_COLUMNS,
    FACTS,
    LOOKS,
    Finding,
    Handoff,
    Reason,
    Status,
    label,
    look,
    readable,
)


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def test_every_reason_has_its_words_colour_and_shape():
    assert [r.value for r in Reason] == list(vc.REASONS)  # in the order the analysis applies them
    for reason in Reason:
        assert all(getattr(reason, a).strip() for a in ("title", "sentence", "short", "next_step", "colour", "shape"))
        assert reason.code == reason and Reason(reason.code) is reason and look(reason.code) is reason
        assert reason.legend == f"Orphan: {reason.sentence}"
        assert reason.next_step.endswith(".") and not reason.sentence.endswith(".")
    assert len({r.title for r in Reason}) == len({r.short for r in Reason}) == len(Reason)
    # every status drawn is told apart by its colour and, in a grey print, by its shape
    assert len({x.colour.upper() for x in LOOKS}) == len({x.shape for x in LOOKS}) == len(LOOKS)
    assert set(LOOKS) == {*Status, *Reason} and all(x.legend for x in LOOKS)
    assert len({h.legend for h in Handoff}) == len(Handoff) and all(h.dash for h in Handoff)
    assert {f.key for f in Finding} == {"orphans", "loops", "mutual_pairs", "single_points_of_failure"}
    assert set(FACTS) >= {"parties", "teams", "handoffs", "connected", *(f.key for f in Finding)}


def library_tables(chain: vc.Chain, name: str) -> dict[str, pd.DataFrame]:
    """Every table the library makes of ``chain``: findings, their details, roll-up, ranking, changes."""
    found = chain.analyze()
    tables = {
        "parties": found.parties,
        "orphans": found.orphans,
        "loops": found.loops,
        "mutual pairs": found.mutual_pairs,
        "single points of failure": found.single_points_of_failure,
        "orphan details": orphan_details(chain),
        "loop details": loop_details(chain),
        "mutual details": mutual_details(chain),
        "spof details": spof_details(chain),
        "ranked parties": chain.rank().parties,
        "ranked hand-offs": chain.rank().handoffs,
    }
    if chain.parties["group"].notna().any():
        rolled = chain.rollup()
        tables |= {"departments": rolled.departments, "department loops": rolled.loops}
        tables["department pairs"] = rolled.mutual_pairs
    team = chain.parties.loc[chain.arrays.is_team, "id"].iloc[0]
    changes = chain.whatif(remove=[team]).changes
    tables |= {f"what-if {k}": getattr(changes, k) for k in changes.counts()}
    if name == "midsize-reorganised":
        diff = load("midsize").diff(chain)
        for k in ("parties_added", "parties_removed", "parties_changed", "handoffs_added", "handoffs_removed"):
            tables[f"diff {k}"] = getattr(diff, k)
        tables["diff handoffs_changed"] = diff.handoffs_changed
    return tables


@pytest.mark.parametrize("name", SAMPLES)
def test_every_column_of_the_librarys_tables_has_a_label(name):
    chain = load(name)
    user = {*chain.parties.columns, *chain.handoffs.columns}
    for table_name, table in library_tables(chain, name).items():
        unknown = [c for c in table.columns if c not in COLUMNS and c not in user]
        assert unknown == [], f"{table_name}: {unknown} have no label in valuechain.vocabulary.COLUMNS"
        read_as = DEPARTMENT_COLUMNS if table_name == "departments" else None
        for text in (True, False):
            shown = readable(table, text=text, read_as=read_as)  # never fails on a library table
            assert list(shown.columns) == [
                (read_as or {}).get(c, COLUMNS.get(c)).label if c in COLUMNS else c for c in table.columns
            ]
        if "reason" in table.columns and len(table):
            assert set(readable(table)["Reason"].dropna()) <= {r.title for r in Reason} | {""}


def test_the_event_logs_tables_have_labels():
    chain = vc.from_log(DATA / "order-to-delivery" / "events.csv", outcomes=["deliver order"])
    assert chain.log is not None
    for table in (chain.log.ping_pong, chain.log.stuck, chain.log.slowest):
        assert [c for c in table.columns if c not in COLUMNS] == []
        assert readable(table).shape == table.shape


def test_a_departments_connected_counts_teams():
    departments = load("software-services").rollup().departments
    shown = readable(departments, read_as=DEPARTMENT_COLUMNS)
    assert shown[FACTS["connected"].label].tolist() == ["1", "4", "2"]
    assert readable(pd.DataFrame({"connected": [True]}))[label("connected")].tolist() == ["yes"]


def test_the_reports_workbook_has_one_header_per_column():
    for sheet, table in findings_tables(load("midsize")).items():
        assert len(set(table.columns)) == len(table.columns), sheet


def test_a_reasons_words_change_in_one_place(monkeypatch):
    """Change a reason's words and colour in valuechain.vocabulary: the report, the figure and the command
    line all say the new words, and the old ones nowhere."""
    old = Reason.DEAD_END
    before = {"title": old.title, "sentence": old.sentence, "next_step": old.next_step, "colour": old.colour}
    new = {"title": "XYZ-TITLE", "sentence": "xyz-sentence", "next_step": "XYZ-NEXT-STEP.", "colour": "#123456"}
    for attribute, words in new.items():
        monkeypatch.setattr(Reason.DEAD_END, attribute, words)
    chain = load("software-services")  # knowledge is a dead end, and legal delivers only to it
    assert "dead_end" in set(chain.analyze().orphans["reason"])

    markdown = render(chain, "md").decode()
    html = render(chain, "html").decode()
    for page in (markdown, html):
        assert "XYZ-TITLE (1): the team xyz-sentence. Next step: XYZ-NEXT-STEP." in page
        assert "Knowledge management xyz-sentence" in page  # the orphan's own sentence
        assert "which xyz-sentence" in page  # and the sentence of the team that feeds it
        for words in ("title", "sentence", "next_step"):
            assert before[words] not in page, words
    assert "| Knowledge management | knowledge | XYZ-TITLE |" in markdown

    fig = chain.plot()
    [dead] = [t for t in fig.data if t.meta == "parties" and "knowledge" in t.customdata]
    assert dead.name == "Orphan: xyz-sentence" and dead.marker.color == "#123456"
    assert all("Orphan: xyz-sentence" in text for text in dead.hovertext)
    for trace in fig.data:
        assert before["sentence"] not in (trace.name or "")
        assert before["colour"] not in str(trace.marker.color if "marker" in trace else "")
        assert not any(before["sentence"] in str(text) for text in _list(trace.hovertext))
    focus = chain.plot(focus="knowledge").layout.title.subtitle.text
    assert "(xyz-sentence)" in focus and before["sentence"] not in focus

    from valuechain.cli import main as cli

    sample = [str(DATA / "software-services" / "handoffs.csv"), "-p", str(DATA / "software-services" / "parties.csv")]
    result = CliRunner().invoke(cli, ["analyze", *sample, "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "XYZ-TITLE" in result.output and "xyz-sentence" in result.output
    assert before["title"] not in result.output and before["sentence"] not in result.output


def _list(values) -> list:
    return [] if values is None else list(values)


def test_a_reasons_words_change_in_one_place_in_the_dashboard(monkeypatch):
    """The dashboard follows the vocabulary too: the overview's count by reason, the Orphans tab's filter and
    table say a reason's new title and sentence, and the old ones nowhere."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP, frame, open_tab

    old_title, old_sentence = Reason.DEAD_END.title, Reason.DEAD_END.sentence
    monkeypatch.setattr(Reason.DEAD_END, "title", "XYZ-TITLE")
    monkeypatch.setattr(Reason.DEAD_END, "sentence", "xyz-sentence")
    st.cache_data.clear()  # results of an earlier test in this process keep the words they were made with
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.selectbox(key="sample").select("software-services").run()
    assert not at.exception, [e.message for e in at.exception]
    by_reason = " ".join(c.value for c in at.caption)
    assert "XYZ-TITLE: 1" in by_reason and old_title not in by_reason

    at = open_tab(at, "Orphans")
    reasons = at.multiselect(key="orphan-reasons")
    assert "XYZ-TITLE" in reasons.options and old_title not in reasons.options
    orphans = frame(at, "orphans")
    knowledge = orphans[orphans[label("id")] == "knowledge"].iloc[0]
    assert knowledge[label("reason")] == "XYZ-TITLE"
    assert "xyz-sentence" in knowledge[label("why")]
    shown = orphans.map(str).to_numpy().ravel()  # every cell as text, the empty decisions too
    assert not any(old_title == cell or old_sentence in cell for cell in shown)
    st.cache_data.clear()  # and the next test sees the real words again
    st.cache_resource.clear()
