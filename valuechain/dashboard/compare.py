"""The Compare tab: the org against a newer version of it (the sample's, or uploaded), read with the sidebar's
column mapping and customers: what was added, removed and changed, and what it did to the findings."""

from __future__ import annotations

import streamlit as st

from valuechain.dashboard import state
from valuechain.dashboard.problems import named_files, problem_table, problems_table, unreadable
from valuechain.dashboard.sidebar import TABLES, Input, choose_columns
from valuechain.dashboard.state import Results
from valuechain.dashboard.widgets import lost_metric, spof_tables, table
from valuechain.io import RawTable
from valuechain.io.graphs import is_graph_file
from valuechain.problems import Problem
from valuechain.scenarios.changes import lost_single_points_explained
from valuechain.scenarios.diff import Diff
from valuechain.vocabulary import CHANGES

Later = tuple[bytes, str, bytes | None, str | None]  # the newer hand-offs and parties: bytes and name each


def newer_columns(later: Later, columns: dict[str, str]) -> tuple[dict[str, str], list[str], list[Problem]]:
    """The column mapping for a newer version: the sidebar's, where its headers are there, and choices made here.

    Returns the mapping, the required fields still without a column, and the problems of a file that cannot
    be read as a table (empty when both can).
    """
    data_h, name_h, data_p, name_p = later
    if is_graph_file(name_h):
        return {}, [], []
    files = [("handoffs", data_h, name_h)] + ([("parties", data_p, name_p or "parties.csv")] if data_p else [])
    tables = [(state.read_raw(data, name, kind), kind, (name, len(data), hash(data))) for kind, data, name in files]
    problems = [p for raw, *_ in tables if isinstance(raw, list) for p in raw]
    if problems:
        return {}, [], problems
    mapping: dict[str, str] = {}
    missing: list[str] = []
    for raw, kind, file in tables:
        assert isinstance(raw, RawTable)  # the lists of problems returned above
        fields, _ = TABLES[kind]
        preset = {f: h for f, h in columns.items() if f in fields and h in raw.frame.columns}
        fresh_for = (file, tuple(sorted(preset.items())))  # another file or another sidebar mapping: choose afresh
        chosen, still = choose_columns(raw, kind, "later-column", preset, "Columns of the newer {}", fresh_for)
        mapping.update(chosen)
        missing += still
    return mapping, missing, []


def newer_version(given: Input) -> Later | None:
    """The sample's newer version (when it has one and it is wanted), else the files uploaded here, or None."""
    later_name = state.LATER.get(given.sample) if given.sample else None
    if later_name and st.checkbox(f"Use the sample's newer version ({later_name})", value=True, key="use-later"):
        folder = state.DATA / later_name
        h, p = (folder / "handoffs.csv").read_bytes(), (folder / "parties.csv").read_bytes()
        return h, "handoffs.csv", p, "parties.csv"
    new_h = st.file_uploader("Newer hand-offs", type=state.UPLOAD_TYPES, key="later-handoffs")
    new_p = st.file_uploader("Newer parties (optional)", type=state.UPLOAD_TYPES, key="later-parties")
    state.refuse_if_too_large([new_h, new_p])
    if new_h is None:
        return None
    return new_h.getvalue(), new_h.name, new_p.getvalue() if new_p else None, new_p.name if new_p else None


def render(results: Results, given: Input) -> None:
    """The Compare tab."""
    st.caption("Compare with a newer version of the org: what was added, removed and changed, and what it did.")
    later = newer_version(given)
    if later is None:
        return
    later_columns, later_missing, problems = newer_columns(later, given.columns)
    if problems:
        sentence = "The newer version cannot be read as a table. Fix it and upload it again:"
        unreadable(problems, sentence, "later-problems")
        return
    if later_missing:
        st.info("Say which columns of the newer version hold what, above; the comparison follows.")
        return
    compared = state.compare(
        results,
        given.signature,
        *later,
        columns=tuple(sorted(later_columns.items())),
        customers=tuple(given.customers),
        primary=tuple(given.primary),
    )
    if isinstance(compared, list):
        later_problems = problems_table(compared)
        newer = named_files(later_problems, {later[1], later[3] or ""}, "")
        st.error(f"The newer version{f' ({newer})' if newer else ''} cannot be analysed:")
        problem_table(later_problems.drop(columns="severity"), key="later-problems")
        return
    d, picture = compared
    for note in d.notes:
        st.warning(note)
    show(d)
    st.plotly_chart(picture, width="stretch", key="diff-figure")
    tables(d)


def show(d: Diff) -> None:
    """The counts of what changed."""
    lost = lost_single_points_explained(d.changes)
    c = st.columns(5 if len(lost) else 4)
    c[0].metric("Parties added / removed", f"{len(d.parties_added)} / {len(d.parties_removed)}")
    c[1].metric("Hand-offs added / removed", f"{len(d.handoffs_added)} / {len(d.handoffs_removed)}")
    c[2].metric(CHANGES["resolved_orphans"], len(d.changes.resolved_orphans))
    c[3].metric(CHANGES["new_orphans"], len(d.changes.new_orphans))
    if len(lost):
        lost_metric(c[4], lost)


def tables(d: Diff) -> None:
    """Each table of changes under its heading, when it has rows."""
    for title, frame, key in (
        ("Orphans resolved", d.changes.resolved_orphans, "diff-resolved"),
        ("New orphans", d.changes.new_orphans, "diff-new"),
        ("Orphans removed (not resolved)", d.changes.removed_orphans, "diff-removed"),
        ("Parties added", d.parties_added, "diff-parties-added"),
        ("Parties removed", d.parties_removed, "diff-parties-removed"),
        ("Parties changed", d.parties_changed, "diff-parties-changed"),
        ("Hand-offs added", d.handoffs_added, "diff-handoffs-added"),
        ("Hand-offs removed", d.handoffs_removed, "diff-handoffs-removed"),
    ):
        if len(frame):
            st.markdown(f"**{title}** ({len(frame)})")
            table(frame, key=key)
    spof_tables(d.changes, "diff")
