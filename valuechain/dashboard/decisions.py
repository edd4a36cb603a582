"""Review decisions in the dashboard: last review's decisions file beside the org, a decision column (with owner,
due date and note) in each findings table, and the headline, brief and downloads following the decisions at once.

The decisions live in the session (``st.session_state``), never in a cache shared between sessions: an org and
its decisions uploaded in one browser tab never reach another. The library does the work
(:mod:`valuechain.decisions`); this module lays it out.

How an edit flows: each findings table is a ``st.data_editor`` whose key carries a version number. An edited cell
reruns the page; :func:`apply`, which runs before anything is drawn, folds the pending edits of every table into
the decision rows (:func:`valuechain.decisions.set_decision`) and moves the version on, so every table is drawn
afresh from the rows, and the headline above the tabs already counts the new decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import streamlit as st

from valuechain.dashboard import state
from valuechain.dashboard.problems import problem_table, problems_table
from valuechain.dashboard.state import DATA, Results, as_file, decided, problems_or
from valuechain.dashboard.widgets import fact, plain, shown, table
from valuechain.decisions import (
    DECISION_COLUMNS,
    decision_rows,
    finding_members,
    read_decisions,
    read_usable,
    same_loop_rows,
    set_decision,
    to_csv,
    with_decision_columns,
)
from valuechain.io import named_ids
from valuechain.problems import Problem
from valuechain.vocabulary import COLUMNS, FACTS, Decision, Finding, counted, label

#: The session's decisions, per org and decisions file: ``{(org, file): {"for": that key, "rows": DataFrame,
#: "problems": [...], "version": int, "shown": {editor key: (finding, members of each row shown, their decision
#: columns)}, ...}}`` (see :func:`current`).
KEY = "decisions"
#: Which of the session's decisions are the page's now (the key of :data:`KEY`'s dict).
CURRENT = "decisions-for"
#: Orgs (with their decisions files) whose decisions a session keeps, the most recent.
KEPT = 8
#: The file a sample's decisions are in, and the name a download gets.
FILE = "decisions.csv"
UPLOAD_TYPES = ["csv", "txt", "tsv", "xlsx"]
#: A sample's earlier version, whose teams its decisions may name (the reverse of ``state.LATER``).
EARLIER = {later: earlier for earlier, later in state.LATER.items()}


@dataclass(frozen=True)
class ReviewInput:
    """What the sidebar's review part was given: the decisions file (its bytes and name) and the day of the review."""

    file: tuple[bytes, str] | None
    as_of: dt.date
    previous: tuple[bytes, str] | None = None  # last review's parties (or hand-offs): ids of teams that left


def choose(sample: str | None) -> ReviewInput:
    """The sidebar's **Review decisions**: a decisions file (a sample's own, or an upload) and the review day.

    Call it inside ``st.sidebar``.
    """
    with st.expander("Review decisions", expanded=False):
        file = None
        earlier = EARLIER.get(sample or "")
        own = [DATA / name / FILE for name in (sample, earlier) if name and (DATA / name / FILE).is_file()]
        if own and st.checkbox(
            f"Start from the sample's decisions ({own[0].parent.name}/{FILE})", key="sample-decisions"
        ):
            file = (own[0].read_bytes(), FILE)
        upload = st.file_uploader(
            "Last review's decisions (CSV or Excel, optional)",
            type=UPLOAD_TYPES,
            key="decisions-file",
            help="One row per decision: finding, id, decision, and optionally owner, due and note. Or decide in "
            "the tables of the findings and download the file.",
        )
        if upload is not None:
            file = (upload.getvalue(), upload.name)
        previous = ((DATA / earlier / "parties.csv").read_bytes(), "parties.csv") if earlier else None
        before = st.file_uploader(
            "Last review's parties or hand-offs (optional: decisions on teams that left are then recognised)",
            type=UPLOAD_TYPES,
            key="decisions-previous",
        )
        if before is not None:
            previous = (before.getvalue(), before.name)
        state.refuse_if_too_large([upload, before])
        as_of = st.date_input(
            "Review day (decides which decisions are overdue)",
            value=dt.date.today(),
            min_value=dt.date(1900, 1, 1),
            max_value=dt.date(2999, 12, 31),
            key="as-of",
        )
    return ReviewInput(file, as_of if isinstance(as_of, dt.date) else dt.date.today(), previous)


def apply(results: Results, review: ReviewInput, org: tuple[Any, ...]) -> Results:
    """The results with the session's decisions (the file's, then every edit made in the tables).

    ``org`` says which org the decisions are for (the sidebar's signature): another org, or another decisions
    file, has decisions of its own; going back to an org finds its decisions as they were left (the last
    :data:`KEPT` in a session). Without a file and before any decision is made, the results are returned
    unchanged (the downloads are then those of the command line without ``--decisions``).
    """
    file_key = (
        tuple((f[1], len(f[0]), hash(f[0])) for f in (review.file, review.previous) if f) if review.file else None
    )
    kept: dict[tuple[Any, ...], dict[str, Any]] = st.session_state.setdefault(KEY, {})
    session = kept.pop((org, file_key), None)  # taken out and put back: the most recent is last
    if session is None:
        rows, older, problems = _from_file(results, review.file, review.previous)
        session = {"for": (org, file_key), "rows": rows, "older": older, "problems": problems, "version": 0,
                   "shown": {}, "edited": False}  # fmt: skip
    kept[(org, file_key)] = session
    while len(kept) > KEPT:
        kept.pop(next(iter(kept)))
    st.session_state[CURRENT] = (org, file_key)
    if session["problems"]:
        _show_problems(session["problems"], review, len(session["rows"]))
    _fold_edits(session, results, review.as_of)
    if review.file is None and session["rows"].empty and not session["edited"]:
        return results
    return _decided(results, session, review.as_of)


def current() -> dict[str, Any]:
    """The decisions of the org on the page: ``rows`` (:func:`valuechain.decisions.decision_rows`), ``problems``,
    ``older`` (last review's ids), ``version`` and ``shown`` (the editors drawn), ``edited``; empty before any."""
    out: dict[str, Any] = st.session_state.get(KEY, {}).get(st.session_state.get(CURRENT), {})
    return out


def _from_file(
    results: Results, file: tuple[bytes, str] | None, previous: tuple[bytes, str] | None
) -> tuple[pd.DataFrame, list[str], list[Problem]]:
    """The rows of the decisions file that are right, the ids of last review's org, and every problem (of last
    review's parties too: unreadable, they are left out and the decisions read without them)."""
    if file is None:
        return decision_rows(None), [], []
    older: list[str] = []
    unread: list[Problem] = []
    if previous is not None:
        raw = state.read_raw(*previous, "parties")
        if isinstance(raw, list):
            unread = raw
        else:
            older = named_ids(raw, raw)  # its ids as a parties table, else the hand-offs' sources and targets
    read, problems = read_usable(as_file(*file), results.parties, previous=older)
    # rows that name parts of one loop of the org: the first is used, the others named; with last review's org,
    # loops decided apart may have merged since, and both stay open on the merged loop (as with_decisions does)
    if read is not None and not older:
        same = same_loop_rows(results.found, read)
        if same:
            left_out = [p.row for p in same]
            read = replace(read, table=read.table[~read.table.index.isin(left_out)])
            problems = sorted(problems + same, key=lambda p: (p.row or 0, p.severity))
    return decision_rows(read), older, unread + problems


def _show_problems(problems: list[Problem], review: ReviewInput, rows: int) -> None:
    """What is wrong with the decisions file (and last review's parties), and what is used all the same."""
    decisions_file = review.file[1] if review.file else FILE
    for name in dict.fromkeys(p.file for p in problems):
        errors = [p for p in problems if p.file == name and p.severity == "error"]
        if not errors:
            continue
        if review.previous is not None and name == review.previous[1] and name != decisions_file:
            said = "cannot be read, so decisions on teams that have left the org are not recognised"
        elif rows:
            said = f"{counted(len(errors), 'problem')} to fix; the rows they name are left out, the others are used"
        else:
            said = f"{counted(len(errors), 'problem')} to fix; no decision is read from it"
        st.warning(f"{plain(name)}: {said}. Fix it and upload it again.")
    wrong = any(p.severity == "error" for p in problems)
    with st.expander(f"Problems in {plain(decisions_file)}", expanded=wrong):
        problem_table(problems_table(problems), key="decision-problems")


def _fold_edits(session: dict[str, Any], results: Results, as_of: dt.date) -> None:
    """Apply the edits pending in the tables drawn last time to the rows; then draw every table afresh."""
    rows, changed = session["rows"], False
    review = _decided(results, session, as_of).found.review if not rows.empty else None
    for key, (finding, members, before) in session["shown"].items():
        edits = st.session_state.get(key)
        for row, cells in (edits or {}).get("edited_rows", {}).items():
            values = {**before[int(row)], **{_code(name): value for name, value in cells.items()}}
            rows = set_decision(rows, finding, members[int(row)], values, review)
            changed = True
    if changed:
        for key in session["shown"]:
            st.session_state.pop(key, None)
        session["rows"], session["version"], session["shown"] = rows, session["version"] + 1, {}
        session["edited"] = True


def _code(name: str) -> str:
    """The code of a decision column from its label (the editor reports edits by the label it shows)."""
    return next((code for code in DECISION_COLUMNS if label(code) == name), name)


def _decided(results: Results, session: dict[str, Any], as_of: dt.date) -> Results:
    """The results with the session's decision rows, made once per rows and day in this session."""
    text = to_csv(session["rows"])
    made = st.session_state.get("decided")
    if made is None or made[0] is not results or made[1:3] != (text, as_of):
        file = as_file(text.encode("utf-8"), FILE)
        read = problems_or(read_decisions, file, results.parties, previous=session["older"])
        older = session["older"] or None
        chain = read if isinstance(read, list) else results.chain.with_decisions(read, as_of=as_of, previous=older)
        if isinstance(chain, list):  # cannot happen: the rows were read or made valid; say so if it does
            st.error("The decisions could not be applied: " + "; ".join(str(p) for p in chain))
            return results
        made = (results, text, as_of, decided(results, chain))
        st.session_state["decided"] = made
    out: Results = made[3]
    return out


def editor(
    results: Results,
    frame: pd.DataFrame,
    finding: Finding,
    key: str,
    hide: tuple[str, ...] = (),
    lead: tuple[str, ...] = (),
) -> None:
    """A findings table with its decision, owner, due date and note editable (every other column read-only).

    ``frame`` is the table as :mod:`valuechain.explain` makes it (its member columns are needed to match the
    decisions; ``hide`` leaves some out of sight). The decision columns come after the columns ``lead`` names
    (default: the first two, which say what the finding is).
    """
    session = current()
    table = with_decision_columns(frame, finding.value, results.found.review)
    members = finding_members(finding.value, frame)
    before = table[list(DECISION_COLUMNS)].to_dict("records")
    version_key = f"decide-{key}-{session['version']}"
    session["shown"][version_key] = (finding.value, members, before)
    labelled, config = shown(table.drop(columns=list(hide)))
    config.update(_decision_config())
    editable = [label(code) for code in DECISION_COLUMNS]
    rest = [c for c in labelled.columns if c not in editable]
    first = [label(code) for code in lead] or rest[:2]
    rest = first + [c for c in rest if c not in first]
    st.caption(
        "Decide in the table: pick a decision first, then its owner, due date and note (a row without a decision "
        "is not kept). Download the decisions for the next review under Downloads."
    )
    with st.container(key=f"table-{key}"):
        st.data_editor(
            labelled,
            key=version_key,
            hide_index=True,
            width="stretch",
            column_config=config,
            # what the finding is (its first two columns), then what was decided, then the rest
            column_order=[*first, *editable, *rest[len(first) :]],
            disabled=rest,
            placeholder="",  # an undecided finding shows an empty cell, not "None"
        )


def _decision_config() -> dict[str, Any]:
    """The editable columns: the decision picked from the list, the due date from a calendar, owner and note."""
    return {
        label("decision"): st.column_config.SelectboxColumn(
            label("decision"),
            width="medium",
            options=[d.value for d in Decision],
            format_func=lambda code: Decision(str(code)).label,
            help="What was decided: " + "; ".join(f"{d.label}: {d.sentence}" for d in Decision),
        ),
        label("owner"): st.column_config.TextColumn(label("owner"), help=COLUMNS["owner"].help or None),
        label("due"): st.column_config.DateColumn(
            label("due"), format="YYYY-MM-DD", min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)
        ),
        label("note"): st.column_config.TextColumn(label("note"), width="medium"),
    }


def headline(results: Results) -> None:
    """The honest headline under the counts: per kind of finding, how many are accepted and how many to act on,
    and what became of last review's decisions."""
    review = results.found.review
    if review is None:
        return
    s = results.found.summary
    cells = st.columns(4)
    for cell, code in zip(cells, ("undecided", "overdue", "accepted", "decided")):
        cell.metric(fact(code), s[code], help=FACTS[code].help)
    lines = review.headlines({f.value: int(s[f.key]) for f in Finding})
    st.caption("  \n".join(lines))


def statuses(results: Results) -> None:
    """What became of last review's decisions (done, overdue, stale, party left, still open), in a table."""
    review = results.found.review
    if review is None or not (review.matched or any(review.statuses.values())):
        return
    with st.expander("What became of the decisions", expanded=bool(review.statuses.get("overdue"))):
        table(review.table(), key="decision-statuses")


def download(results: Results) -> bytes:
    """The session's decisions as a decisions file (CSV) that reads back the same."""
    rows = current().get("rows")
    return to_csv(rows if rows is not None else decision_rows(results.chain.decisions)).encode("utf-8")
