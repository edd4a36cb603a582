"""Review decisions: what leaders decided about each finding, and what became of it by the day of the review.

A decisions file (CSV or an Excel sheet ``decisions``) holds one row per decision: ``finding`` (``orphan``,
``loop``, ``mutual_pair``, ``single_point_of_failure``), ``id`` (the party; for a loop or a pair its members
separated by ``;``), ``decision`` (:class:`valuechain.vocabulary.Decision`), optional ``owner``, ``due`` (a date,
any year) and ``note``. Headers are read like every other table's (synonyms, ``--column``).

Each row is matched to a finding of the chain: an orphan or a single point of failure by its id, a mutual pair
by its two members, a loop as diffs match loops, by shared members (the same members first, else the loop sharing
the most). Then each row has a status (:class:`valuechain.vocabulary.DecisionStatus`): ``open`` (its finding is
there), ``overdue`` (its finding is there and ``due`` is before ``as_of``), ``done`` (its finding is gone),
``stale`` (an ``accept`` whose finding is gone: the row can go) or ``party_removed`` (a member is only in the
previous version of the org).

Examples
--------
>>> import pandas as pd
>>> import valuechain as vc
>>> rows = pd.DataFrame({"finding": ["orphan", "loop"], "id": ["bookkeeping", "floor;kitchen"],
...                      "decision": ["accept", "partner"], "due": ["", "2026-01-31"]})
>>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv", decisions=rows,
...                 as_of="2026-03-31")
>>> s = chain.analyze().summary
>>> s.decided, s.accepted, s.overdue, s.undecided
(2, 1, 1, 4)
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import gc
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from valuechain.io.columns import match_columns, resolve_mapping, unmapped_hints
from valuechain.io.read import RawTable, TableSource, read_table
from valuechain.io.validate import clean_ids, invisible_characters
from valuechain.problems import FORMULA_STARTS, Code, InputError, Problem, closest, listing, shown
from valuechain.vocabulary import Decision, DecisionStatus, Finding, accepted_and_to_act_on

if TYPE_CHECKING:
    from valuechain.analysis import Findings, Summary

__all__ = [
    "DECISION_COLUMNS",
    "DECISION_FIELDS",
    "Decisions",
    "Review",
    "decision_rows",
    "finding_members",
    "parse_decisions",
    "read_decisions",
    "read_usable",
    "review",
    "same_loop_rows",
    "set_decision",
    "to_csv",
    "with_decision_columns",
]

#: Accepted headers per field of a decisions file; the first is canonical.
DECISION_FIELDS: dict[str, tuple[str, ...]] = {
    "finding": ("finding", "finding kind", "kind of finding"),
    "id": ("id", "party", "members", "party id", "team id"),
    "decision": ("decision", "action", "verdict"),
    "owner": ("owner", "responsible", "who"),
    "due": ("due", "due date", "deadline"),
    "note": ("note", "notes", "comment", "comments"),
}
#: The fields of a decision row, in the order JSON and CSV write them.
ROW_FIELDS = tuple(DECISION_FIELDS)
#: How many distinct misspelt words get a "did you mean" (finding each is the costly part of a message).
SUGGESTIONS = 50
#: The free-text fields: written with a leading ``'`` where a spreadsheet would take them for formulas.
TEXT_FIELDS = ("owner", "note")
#: The fields a person records beside a finding (the dashboard's editable columns), in order.
DECISION_COLUMNS = ("decision", "owner", "due", "note")
#: A finding as a file may name it: its code, its JSON key, or its words (as the report's Decisions sheet writes).
_FINDINGS = (
    {f.value: f for f in Finding}
    | {f.key: f for f in Finding}
    | {re.sub(r"[\s\-]+", "_", words.lower()): f for f in Finding for words in (f.one, f.plural)}
)
#: A decision by its code or its words ("Accepted by design").
_DECISIONS = {d.value: d.value for d in Decision} | {d.label.lower(): d.value for d in Decision}
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
#: How a due date is asked for.
DATE_HINT = "write the date as YYYY-MM-DD (any year from 0001 to 9999)"


@dataclass(frozen=True)
class Decisions:
    """A validated decisions table.

    Attributes
    ----------
    label : str
        How messages name the file.
    table : pandas.DataFrame
        ``finding``, ``id`` (as written, cleaned), ``members`` (tuple of ids, sorted), ``decision``, ``owner``,
        ``due`` (a :class:`datetime.date` or None), ``note``; the index is the spreadsheet row.
    warnings : list of Problem
    id_column : str or None
        The header of the file's id column (messages name it).
    """

    label: str
    table: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)
    id_column: str | None = None


def read_decisions(
    source: TableSource | Decisions,
    parties: Iterable[str],
    *,
    previous: Iterable[str] | None = None,
    columns: dict[str, str] | None = None,
) -> Decisions:
    """Read and validate a decisions file against the ids of ``parties`` (and of a ``previous`` version).

    Raises
    ------
    InputError
        With every problem of every row (file, row, column, "did you mean").

    Examples
    --------
    >>> rows = pd.DataFrame({"Finding": ["orphn"], "Party": ["a"], "Action": ["accept"]})
    >>> try:
    ...     read_decisions(rows, ["a", "b"])
    ... except InputError as err:
    ...     print(err.problems[0])
    decisions table, row 2, column 'Finding': unknown finding 'orphn'; did you mean 'orphan'? ...
    """
    if isinstance(source, Decisions):
        return source
    raw = read_table(source, "decisions")
    chosen = _chosen_headers(raw, columns or {})
    table, problems = parse_decisions(raw, parties, previous=previous, chosen=chosen)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return Decisions(raw.label, table, problems, _id_header(raw, chosen))


def _id_header(raw: RawTable, chosen: dict[str, str]) -> str | None:
    """The header of the decisions file's id column (None when it has none)."""
    mapping, _ = match_columns(raw, DECISION_FIELDS, (), chosen)
    return mapping.get("id")


def _chosen_headers(raw: RawTable, columns: dict[str, str]) -> dict[str, str]:
    """The headers chosen for the decisions' fields. ``id`` is the one field the decisions file shares with the
    parties table: its chosen header is used where the decisions file has it too, and otherwise its id column is
    found by its usual headers (a decisions file the dashboard wrote says ``id``)."""
    own = {k: v for k, v in columns.items() if k != "id"}
    chosen = resolve_mapping(raw, own) if own else {}
    if "id" in columns:
        with contextlib.suppress(InputError):  # the file has no such header
            chosen.update(resolve_mapping(raw, {"id": columns["id"]}))
    return chosen


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a loop makes plain objects for each decision (none in a cycle).

    In the process of a large org, each of the collector's full passes walks millions of objects: a third of
    the time of reading 243,000 decisions beside a million parties. Only around such loops: pandas objects made
    while it is paused (they hold cycles) would stay in memory until it runs again.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse_decisions(
    raw: RawTable,
    parties: Iterable[str],
    *,
    previous: Iterable[str] | None = None,
    chosen: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a raw decisions table: every problem of every row, with file, row and column.

    Examples
    --------
    >>> raw = read_table(pd.DataFrame({"finding": ["loop"], "id": ["b; a"], "decision": ["Partner"],
    ...                                "due": ["2999-01-31"]}), "decisions")
    >>> table, problems = parse_decisions(raw, ["a", "b"])
    >>> table.loc[2, "members"], table.loc[2, "decision"], table.loc[2, "due"], problems
    (('a', 'b'), 'partner', datetime.date(2999, 1, 31), [])
    """
    label, frame = raw.label, raw.frame
    mapping, problems = match_columns(raw, DECISION_FIELDS, ("finding", "id", "decision"), chosen)
    if any(p.severity == "error" for p in problems):
        return pd.DataFrame(columns=[*ROW_FIELDS, "members"]), raw.problems + problems
    ids = set(parties)
    older = set(previous or ()) - ids
    rows: list[dict[str, Any]] = []
    first: dict[tuple[str, tuple[str, ...]], int] = {}
    # every column read at once; the loop below sees plain lists (a decisions file of 100,000 rows in a second)
    text = {name: frame[header].astype(str).str.strip().tolist() for name, header in mapping.items()}
    whole = clean_ids(pd.Series(frame[mapping["id"]].astype(str).to_numpy())).tolist()  # a party id may hold ;
    split = pd.Series(frame[mapping["id"]].astype(str).to_numpy()).str.split(";").explode()
    named: list[list[str]] = [[] for _ in range(len(frame))]
    for position, member in zip(split.index.tolist(), clean_ids(split).tolist()):
        if member:
            named[position].append(member)
    guesses: dict[tuple[str, str], list[str]] = {}
    loop_row: dict[str, int] = {}  # each member of a loop decided so far -> its row

    def guess(word: str, among: list[str] | None = None) -> list[str]:
        """The closest of ``among`` (default: the party ids), for the first words only: a file of typos costs
        seconds, not minutes."""
        key = (word, among[0] if among else "")
        if key not in guesses:
            if among is None and len(guesses) < SUGGESTIONS and not party_ids:
                party_ids.extend(sorted(ids))  # a million ids take a second to sort: only for a typo
            guesses[key] = closest(word, party_ids if among is None else among) if len(guesses) < SUGGESTIONS else []
        return guesses[key]

    party_ids: list[str] = []
    kinds_read: dict[str, str] = {}  # a finding cell as written -> its code (a file repeats a few words)
    dates_read: dict[str, dt.date | None] = {}

    findings, decisions = [f.value for f in Finding], [d.value for d in Decision]
    with _collector_paused():  # the rows' plain objects: no cycles to collect
        for position, n in enumerate(int(r) for r in frame.index):
            cells = {name: values[position] for name, values in text.items()}

            def error(message: str, hint: str, field_name: str, code: Code = Code.BAD_DECISION) -> None:
                problems.append(Problem.error(label, message, hint, row=n, column=mapping.get(field_name), code=code))  # noqa: B023

            kind_text = kinds_read.get(cells["finding"])
            if kind_text is None:
                kind_text = kinds_read[cells["finding"]] = re.sub(r"[\s\-]+", "_", cells["finding"].lower())
            kind = _FINDINGS.get(kind_text)
            if not kind_text:
                error("the finding is empty", f"write one of {', '.join(findings)}", "finding", Code.EMPTY_CELL)
            elif kind is None:
                hint = _did_you_mean(guess(kind_text, findings)) + f"findings are {', '.join(findings)}"
                error(f"unknown finding '{shown(cells['finding'])}'", hint, "finding")
            decision_text = _DECISIONS.get(cells["decision"].lower(), cells["decision"].lower())
            if not decision_text:
                error("the decision is empty", f"write one of {', '.join(decisions)}", "decision", Code.EMPTY_CELL)
            elif decision_text not in decisions:
                hint = _did_you_mean(guess(decision_text, decisions)) + f"decisions are {', '.join(decisions)}"
                error(f"unknown decision '{shown(cells['decision'])}'", hint, "decision")
            members = tuple(sorted(dict.fromkeys(named[position])))
            one = kind in (Finding.ORPHAN, Finding.SINGLE_POINT_OF_FAILURE)
            if one and len(members) > 1 and (whole[position] in ids or whole[position] in older):
                members = (whole[position],)  # the id of one party, a semicolon and all
            for name in TEXT_FIELDS:  # a cell neutralised for spreadsheets ('=...) reads back as it was written
                if name in cells and cells[name].startswith("'") and cells[name][1:].startswith(FORMULA_STARTS):
                    cells[name] = cells[name][1:]
            if not members:
                error("the id is empty", "write the party's id (for a loop or a pair, its members separated by ';')",
                      "id", Code.EMPTY_CELL)  # fmt: skip
            elif kind in (Finding.ORPHAN, Finding.SINGLE_POINT_OF_FAILURE) and len(members) != 1:
                error(f"a {kind.one.lower()} is one party, not {len(members)}", "write one id", "id")
            elif kind is Finding.MUTUAL_PAIR and len(members) != 2:
                error(f"a mutual pair has two members, not {len(members)}", "write the two ids separated by ';'", "id")
            elif kind is Finding.LOOP and len(members) < 2:
                error("a loop has two members or more", "write its members separated by ';'", "id")
            for member in members:
                if member not in ids and member not in older:
                    hint = _did_you_mean(guess(member)) + (
                        "write an id of the parties table (for a party that has left the org since the decision, "
                        "give last review's org too: the older version of diff, --previous of the other commands, "
                        "previous= in Python, or last review's parties in the dashboard)"
                    )
                    error(f"'{shown(member)}' is no party", hint, "id", Code.UNKNOWN_PARTY)
            due: dt.date | None = None
            if cells.get("due"):
                if cells["due"] not in dates_read:
                    dates_read[cells["due"]] = _date(cells["due"])
                due = dates_read[cells["due"]]
                if due is None:
                    error(f"'{shown(cells['due'])}' is not a date", DATE_HINT, "due", Code.BAD_VALUE)
            if kind is not None and members:
                key = (kind.value, members)
                # loops never share members (each is a strongly connected part of the org): rows that do name one
                same = first.get(key) or (
                    next((loop_row[m] for m in members if m in loop_row), None) if kind is Finding.LOOP else None
                )
                if same is not None:
                    keep = "keep one row per finding" + (
                        " (rows whose members overlap name one loop: loops never share members)"
                        if kind is Finding.LOOP else ""
                    )  # fmt: skip
                    error(f"a decision on this {kind.one.lower()} is already in row {same}", keep, "id", Code.DUPLICATE)
                else:
                    first[key] = n
                    if kind is Finding.LOOP:
                        loop_row.update(dict.fromkeys(members, n))
            rows.append(
                {
                    "finding": kind.value if kind is not None else kind_text,
                    "id": ";".join(members),
                    "decision": decision_text,
                    "owner": cells.get("owner") or None,
                    "due": due,
                    "note": cells.get("note") or None,
                    "members": members,
                    "row": n,
                }
            )
    # an id that looks like a party's but holds an invisible or look-alike character says so, as tables do
    problems += invisible_characters(frame[mapping["id"]].astype(str), label, mapping["id"])
    problems += unmapped_hints(raw, mapping, "decisions")
    problems.sort(key=lambda p: (p.row or 0, p.severity))
    # object columns: an empty owner or note stays None (pandas would make text columns read NaN for it)
    table = pd.DataFrame(rows, columns=[*ROW_FIELDS, "members", "row"], dtype=object)
    table.index = pd.Index(table.pop("row").astype("int64"), name="row")
    return table, raw.problems + problems


def _did_you_mean(guess: list[str]) -> str:
    return f"did you mean '{guess[0]}'? " if guess else ""


def _date(text: str) -> dt.date | None:
    """A due date written ``YYYY-MM-DD`` (as Excel dates are read), any year; None when it is not one.

    Examples
    --------
    >>> _date("2999-12-31"), _date("2026-02-30"), _date("31/12/2026")
    (datetime.date(2999, 12, 31), None, None)
    """
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


# --- the review --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """Decisions matched to findings on the day ``as_of``.

    Attributes
    ----------
    as_of : datetime.date
    matched : dict
        ``(finding, members)`` of each finding that has a decision -> the decision's row (its fields).
    statuses : dict
        ``done``, ``stale``, ``overdue``, ``party_removed``: the rows (their fields) with that status.
    """

    as_of: dt.date
    matched: dict[tuple[str, tuple[str, ...]], dict[str, Any]]
    statuses: dict[str, list[dict[str, Any]]]
    overdue_keys: frozenset[tuple[str, tuple[str, ...]]] = frozenset()

    def decision(self, finding: str, members: Iterable[str]) -> dict[str, Any] | None:
        """The decision row of a finding (its fields), or None when it is undecided."""
        return self.matched.get((finding, tuple(sorted(members))))

    def to_decide(self, finding: str, members: Iterable[str]) -> bool:
        """Whether a finding is still to decide: it has no decision, or its decision is overdue."""
        key = (finding, tuple(sorted(members)))
        return key not in self.matched or key in self.overdue_keys

    def accepted(self, finding: str) -> int:
        """How many findings of this kind are accepted by design."""
        return sum(1 for (kind, _), row in self.matched.items() if kind == finding and row["decision"] == "accept")

    def headlines(self, counts: dict[str, int]) -> list[str]:
        """The honest headlines: per kind of finding present, how many are accepted by design and how many to
        act on (``counts``: the number of each kind, by its code); then the decisions' statuses.

        Examples
        --------
        >>> r = Review(dt.date(2026, 3, 31), {("orphan", ("a",)): {"decision": "accept"}}, {"done": [{}]})
        >>> r.headlines({"orphan": 22, "loop": 0})
        ['22 orphaned teams: 1 accepted by design, 21 to act on', 'Decisions as of 2026-03-31: 1 done']
        """
        lines = []
        for finding in Finding:
            n = counts.get(finding.value, 0)
            if n:
                accepted = self.accepted(finding.value)
                lines.append(f"{finding.counted(n)}: {accepted_and_to_act_on(accepted, n)}")
        lines.append(f"Decisions as of {self.as_of.isoformat()}: {self._what_became_of_them()}")
        return lines

    def in_hand(self) -> list[dict[str, Any]]:
        """The decisions whose finding is still there and not overdue (their rows' fields), in file order.

        Examples
        --------
        >>> r = Review(dt.date(2026, 3, 31), {("orphan", ("a",)): {"decision": "stop"}}, {})
        >>> r.in_hand()
        [{'decision': 'stop'}]
        """
        return [row for key, row in self.matched.items() if key not in self.overdue_keys]

    def tally(self, summary: Summary) -> str:
        """The findings decided (how many overdue) and to decide on the review's day, from the reviewed summary.

        Examples
        --------
        >>> import valuechain as vc
        >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
        >>> found = chain.with_decisions("data/midsize/decisions.csv", as_of="2026-07-01").analyze()
        >>> found.review.tally(found.summary)
        'Findings as of 2026-07-01: 11 decided (4 overdue), 51 to decide'
        """
        return (
            f"Findings as of {self.as_of.isoformat()}: {int(summary.decided or 0):,} decided "
            f"({int(summary.overdue or 0):,} overdue), {int(summary.undecided or 0):,} to decide"
        )

    def since(self) -> str:
        """What became of the decisions since they were taken, in one sentence (the report's "what changed").

        Examples
        --------
        >>> Review(dt.date(2026, 3, 31), {}, {"done": [{}, {}], "stale": [{}]}).since()
        'Decisions since the previous review: 2 done, 1 stale.'
        """
        return f"Decisions since the previous review: {self._what_became_of_them()}."

    def _what_became_of_them(self) -> str:
        """How many decisions are done, stale, overdue and whose party left: "2 done, 1 stale"."""
        said = [f"{len(rows):,} {DecisionStatus(status).short}" for status, rows in self.statuses.items() if rows]
        return ", ".join(said) if said else "none done, overdue or stale"

    def table(self, *, still_open: bool = True) -> pd.DataFrame:
        """Every decision in words, overdue first, then done, stale, whose party left, and those still open
        (unless ``still_open`` is False: then only what became of decisions):
        ``status``, ``finding``, ``id``, ``decision``, ``owner``, ``due``, ``note`` (for reports).

        Examples
        --------
        >>> row = {"finding": "orphan", "id": "a", "decision": "connect", "owner": None, "due": None, "note": None}
        >>> Review(dt.date(2026, 3, 31), {}, {"done": [row]}).table()[["status", "finding", "decision"]].values.tolist()
        [['Done: the finding is gone', 'Orphaned team', 'Connect']]
        """
        rows: list[tuple[str, dict[str, Any]]] = []
        for status in ("overdue", "done", "stale", "party_removed"):
            rows += [(status, row) for row in self.statuses.get(status, [])]
        if still_open:
            rows += [("open", row) for row in self.in_hand()]
        return pd.DataFrame(
            [
                {
                    "status": DecisionStatus(status).label,
                    "finding": Finding(row["finding"]).one,
                    "id": row["id"],
                    "decision": Decision(row["decision"]).label,
                    "owner": row["owner"] or "",
                    "due": row["due"] or "",
                    "note": row["note"] or "",
                }
                for status, row in rows
            ],
            columns=["status", "finding", "id", "decision", "owner", "due", "note"],
        )

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """The JSON contract's ``decisions`` object."""
        return {status: list(rows) for status, rows in self.statuses.items()}


def _fields(row: Mapping[str, Any]) -> dict[str, Any]:
    due = row["due"]
    return {
        "finding": row["finding"],
        "id": row["id"],
        "decision": row["decision"],
        "owner": _text(row["owner"]),
        "due": due.isoformat() if isinstance(due, dt.date) else None,
        "note": _text(row["note"]),
    }


def review(
    findings: Findings,
    decisions: Decisions,
    as_of: dt.date | str | None = None,
    *,
    parties: Iterable[str] | None = None,
) -> Findings:
    """``findings`` with each finding's decision, the decisions' statuses and the summary's decision counts.

    ``as_of`` (default today) decides what is overdue; ``parties`` are the org's ids (default: the findings').
    The findings themselves are unchanged.
    """
    day = _as_of(as_of)
    ids = set(parties) if parties is not None else set(findings.parties["id"].tolist())
    tables = {
        Finding.ORPHAN: findings.orphans,
        Finding.SINGLE_POINT_OF_FAILURE: findings.single_points_of_failure,
        Finding.MUTUAL_PAIR: findings.mutual_pairs,
        Finding.LOOP: findings.loops,
    }
    present = {kind.value: finding_members(kind.value, table) for kind, table in tables.items()}
    matched: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    overdue: set[tuple[str, tuple[str, ...]]] = set()
    statuses: dict[str, list[dict[str, Any]]] = {s: [] for s in ("done", "stale", "overdue", "party_removed")}
    table = decisions.table
    targets = _targets(table, present, merged=True)
    names = ("finding", "id", "members", "decision", "owner", "due", "note")
    records = (dict(zip(names, values)) for values in zip(*(table[name].tolist() for name in names)))
    with _collector_paused():
        for target, row in zip(targets, records):  # plain dicts: a pandas row per decision cost 50 µs each
            kind, members = row["finding"], tuple(row["members"])
            fields = _fields(row)
            if target is not None:
                key = (kind, target)
                matched.setdefault(key, fields)
                if isinstance(row["due"], dt.date) and row["due"] < day:
                    statuses[DecisionStatus.OVERDUE.value].append(fields)
                    overdue.add(key)
            elif any(m not in ids for m in members):
                statuses[DecisionStatus.PARTY_REMOVED.value].append(fields)
            elif row["decision"] == Decision.ACCEPT.value:
                statuses[DecisionStatus.STALE.value].append(fields)
            else:
                statuses[DecisionStatus.DONE.value].append(fields)
    total = sum(len(keys) for keys in present.values())
    decided = len(matched)
    summary = replace(
        findings.summary,
        decided=decided,
        accepted=sum(1 for f in matched.values() if f["decision"] == Decision.ACCEPT.value),
        overdue=len(overdue),
        undecided=total - decided,
    )
    # a copy, not dataclasses.replace: replace reads every field, and reading distance or reaches builds their
    # dicts (a million entries in a large org), which the JSON writer does without
    reviewed = copy.copy(findings)
    reviewed.summary, reviewed.review = summary, Review(day, matched, statuses, frozenset(overdue))
    return reviewed


def _targets(
    table: pd.DataFrame, present: dict[str, list[tuple[str, ...]]], *, merged: bool = False
) -> list[tuple[str, ...] | None]:
    """The finding (its members) each row of a decisions table decides, None where its finding is gone.

    An orphan, a single point of failure or a pair by its members; a loop by its members, else, as diffs match
    loops, one to one, the loop sharing the most members that no other row decides (the first, the largest, on a
    tie). With ``merged``, a loop row left without one takes the loop sharing its members that another row
    decides (loops decided apart that have merged since: still there, not done). Loops never share members, so
    each member names its loop: linear in the rows' members.
    """
    sets = {kind: set(keys) for kind, keys in present.items()}
    kinds = table["finding"].tolist()
    targets: list[tuple[str, ...] | None] = [
        members if members in sets[kind] else None for kind, members in zip(kinds, table["members"])
    ]
    loop = Finding.LOOP.value
    order = {each: i for i, each in enumerate(present[loop])}
    where = {member: each for each in present[loop] for member in each}
    taken: set[tuple[str, ...]] = {t for t, kind in zip(targets, kinds) if t is not None and kind == loop}
    for i, (kind, members) in enumerate(zip(kinds, table["members"])):
        if targets[i] is None and kind == loop:
            shared = Counter(where[m] for m in members if m in where and where[m] not in taken)
            if shared:
                found = max(shared, key=lambda each: (shared[each], -order[each]))
                targets[i] = found
                taken.add(found)
    if merged:
        for i, (kind, members) in enumerate(zip(kinds, table["members"])):
            if targets[i] is None and kind == loop:
                targets[i] = next((where[m] for m in members if m in where and where[m] in taken), None)
    return targets


def _same_loop(
    decisions: Decisions, loops: list[tuple[str, ...]], targets: list[tuple[str, ...] | None]
) -> list[Problem]:
    """An error for each loop row left without a loop while a loop sharing its members is decided by another row:
    the two rows decide one loop (both name part of it)."""
    table = decisions.table
    decided_by = {
        target: int(row)
        for target, kind, row in zip(targets, table["finding"], table.index)
        if target is not None and kind == Finding.LOOP.value
    }
    where = {member: each for each in loops if each in decided_by for member in each}
    problems = []
    for target, kind, members, row in zip(targets, table["finding"], table["members"], table.index):
        if target is not None or kind != Finding.LOOP.value:
            continue
        loop = next((where[m] for m in members if m in where), None)
        if loop is not None:
            message = f"this row and row {decided_by[loop]} decide one loop ({listing(list(loop), 12)})"
            hint = (
                "keep one row per loop (both rows name part of it); if they were two loops when decided, merged "
                "since, give last review's org too (--previous, previous= in Python, or last review's parties in the "
                "dashboard): both then stay open on it"
            )
            problems.append(Problem.error(decisions.label, message, hint, row=int(row), column=decisions.id_column,
                                          code=Code.DUPLICATE))  # fmt: skip
    return problems


def same_loop_rows(findings: Findings, decisions: Decisions) -> list[Problem]:
    """An error for each row of ``decisions`` that decides a loop of ``findings`` another row decides already.

    :func:`read_decisions` refuses two rows sharing a member of a loop; two rows that name different parts of
    one loop of the org are told only against the org's loops. (Against a previous version, loops decided apart
    may have merged since: :func:`review` keeps both decisions open on the merged loop.)

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> rows = pd.DataFrame({"finding": ["loop", "loop"], "id": ["ex-board;ex-strategy", "fin-reporting;fin-audit"],
    ...                      "decision": ["partner", "stop"]})
    >>> [p.message for p in same_loop_rows(chain.analyze(), read_decisions(rows, chain.parties["id"]))]
    ["this row and row 2 decide one loop ('ex-board', 'ex-strategy', 'fin-controlling', 'fin-reporting')"]
    """
    loops = finding_members(Finding.LOOP.value, findings.loops)
    present: dict[str, list[tuple[str, ...]]] = {kind.value: [] for kind in Finding} | {Finding.LOOP.value: loops}
    table = decisions.table[decisions.table["finding"] == Finding.LOOP.value]
    if len(table) < 2:
        return []
    only = replace(decisions, table=table)
    return _same_loop(only, loops, _targets(table, present))


def _as_of(as_of: dt.date | str | None) -> dt.date:
    """The day of the review: a date, ISO text, or None for today.

    Examples
    --------
    >>> _as_of("2026-03-31")
    datetime.date(2026, 3, 31)
    """
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    day = _date(str(as_of))
    if day is None:
        hint = DATE_HINT
        raise InputError([Problem.error("as_of", f"'{shown(as_of)}' is not a date", hint, code=Code.BAD_OPTION)])
    return day


def to_csv(decisions: Decisions | pd.DataFrame) -> str:
    """The decisions (or their rows, :func:`decision_rows`) as a decisions file (CSV) that reads back the same.

    Examples
    --------
    >>> d = read_decisions(pd.DataFrame({"finding": ["loop"], "id": ["b;a"], "decision": ["partner"],
    ...                                  "note": ["=1+1 is two"]}), ["a", "b"])
    >>> print(to_csv(d).strip())
    finding,id,decision,owner,due,note
    loop,a;b,partner,,,'=1+1 is two
    >>> import io
    >>> read_decisions(io.BytesIO(to_csv(d).encode()), ["a", "b"]).table["note"].tolist()
    ['=1+1 is two']
    """
    rows = decisions.table if isinstance(decisions, Decisions) else decisions
    table = rows[list(ROW_FIELDS)].copy()
    table["due"] = [d.isoformat() if isinstance(d, dt.date) else "" for d in table["due"]]
    for name in TEXT_FIELDS:  # safe to open in a spreadsheet; read back as written (parse_decisions)
        table[name] = [f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in table[name]]
    return str(table.to_csv(index=False))


# --- deciding beside the findings (the dashboard) -------------------------------------------------------------


def finding_members(finding: str, table: pd.DataFrame) -> list[tuple[str, ...]]:
    """The members of each finding of a findings table (as :mod:`valuechain.explain` makes them), the key its
    decision is matched by: ``(id,)`` for an orphan or a single point of failure, ``(a, b)`` for a mutual pair,
    the loop's members for a loop.

    Examples
    --------
    >>> finding_members("mutual_pair", pd.DataFrame({"a": ["x"], "b": ["w"]}))
    [('w', 'x')]
    """
    if finding == Finding.LOOP.value:
        return [tuple(sorted(map(str, m))) for m in table["members"]]
    if finding == Finding.MUTUAL_PAIR.value:
        return [tuple(sorted((str(a), str(b)))) for a, b in zip(table["a"], table["b"])]
    return [(str(i),) for i in table["id"]]


def with_decision_columns(table: pd.DataFrame, finding: str, review: Review | None) -> pd.DataFrame:
    """A findings table with each finding's ``decision`` (its code, None when undecided), ``owner``, ``due`` (a date
    or None) and ``note`` (text, empty when not given): the columns a person fills in to decide.

    Examples
    --------
    >>> r = Review(dt.date(2026, 3, 31), {("orphan", ("a",)): {"decision": "stop", "owner": "CFO",
    ...            "due": "2026-06-30", "note": None}}, {})
    >>> with_decision_columns(pd.DataFrame({"id": ["a", "b"]}), "orphan", r).values.tolist()
    [['a', 'stop', 'CFO', datetime.date(2026, 6, 30), ''], ['b', None, '', None, '']]
    """
    rows = [
        review.decision(finding, members) if review is not None else None for members in finding_members(finding, table)
    ]
    out = table.copy()
    for name in DECISION_COLUMNS:
        values = [row.get(name) if row else None for row in rows]
        if name == "due":
            values = [_date(v) if isinstance(v, str) else v for v in values]
        elif name != "decision":  # text a person types: empty, not missing
            values = [v or "" for v in values]
        out[name] = pd.Series(values, index=out.index, dtype=object)
    return out


def decision_rows(decisions: Decisions | None) -> pd.DataFrame:
    """The rows of a decisions table (``finding``, ``id``, ``decision``, ``owner``, ``due``, ``note``) to edit
    and read back (:func:`set_decision`); an empty table without decisions.

    Examples
    --------
    >>> d = read_decisions(pd.DataFrame({"finding": ["orphan"], "id": ["a"], "decision": ["accept"]}), ["a"])
    >>> decision_rows(d).values.tolist(), list(decision_rows(None).columns)
    ([['orphan', 'a', 'accept', None, None, None]], ['finding', 'id', 'decision', 'owner', 'due', 'note'])
    """
    if decisions is None:
        return pd.DataFrame(columns=list(ROW_FIELDS), dtype=object)
    return decisions.table[list(ROW_FIELDS)].reset_index(drop=True).astype(object)


def set_decision(
    rows: pd.DataFrame,
    finding: str,
    members: Iterable[str],
    values: dict[str, Any],
    review: Review | None = None,
) -> pd.DataFrame:
    """``rows`` (:func:`decision_rows`) with the decision on one finding set to ``values`` (``decision``,
    ``owner``, ``due``, ``note``; ``decision`` None or empty removes the row).

    The row changed is the one ``review`` matched to the finding (a loop's row may name its members of last
    quarter), else the one naming exactly ``members``; a finding with no row gets one.

    Examples
    --------
    >>> rows = set_decision(decision_rows(None), "loop", ["b", "a"], {"decision": "partner", "owner": "CEO"})
    >>> rows.values.tolist()
    [['loop', 'a;b', 'partner', 'CEO', None, None]]
    >>> set_decision(rows, "loop", ["a", "b"], {"decision": None}).empty
    True
    """
    members = tuple(sorted(str(m) for m in members))
    matched = review.decision(finding, members) if review is not None else None
    wanted = (finding, matched["id"] if matched else ";".join(members))
    hit = [i for i, key in enumerate(zip(rows["finding"], rows["id"])) if key == wanted]
    kept = rows.drop(index=rows.index[hit]).reset_index(drop=True)
    decision = values.get("decision")
    if decision is None or (isinstance(decision, str) and not decision.strip()) or pd.isna(decision):
        return kept
    row = {
        "finding": finding,
        "id": wanted[1],
        "decision": str(decision),
        "owner": _text(values.get("owner")),
        "due": _due(values.get("due")),
        "note": _text(values.get("note")),
    }
    at = hit[0] if hit else len(kept)  # an edited row keeps its place in the file
    new = pd.DataFrame([row], columns=list(ROW_FIELDS), dtype=object)
    return pd.concat([kept.iloc[:at], new, kept.iloc[at:]], ignore_index=True)


def _due(value: Any) -> dt.date | None:
    """A due date from an editor's cell: a date, a timestamp or ISO text; None when empty.

    Examples
    --------
    >>> _due(pd.Timestamp("2026-06-30")), _due("2999-01-31T00:00:00"), _due(pd.NaT), _due("")
    (datetime.date(2026, 6, 30), datetime.date(2999, 1, 31), None, None)
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _date(str(value).strip()[:10])


def _text(value: Any) -> str | None:
    """A cell as text, None when empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def read_usable(
    source: TableSource,
    parties: Iterable[str],
    *,
    previous: Iterable[str] | None = None,
    columns: dict[str, str] | None = None,
) -> tuple[Decisions | None, list[Problem]]:
    """Read a decisions file keeping the rows that are right: the :class:`Decisions` of those rows (None when the
    file cannot be read at all) and every problem, the rows left out named by theirs.

    The command line refuses a file with any wrong row (:func:`read_decisions`); the dashboard shows the wrong
    rows and goes on with the others.

    Examples
    --------
    >>> rows = pd.DataFrame({"finding": ["orphan", "orphan"], "id": ["a", "zz"], "decision": ["accept", "stop"]})
    >>> decisions, problems = read_usable(rows, ["a"])
    >>> decisions.table["id"].tolist(), [(p.row, p.code.value) for p in problems]
    (['a'], [(3, 'unknown_party')])
    """
    try:
        raw = read_table(source, "decisions")
        chosen = _chosen_headers(raw, columns or {})
    except InputError as err:
        return None, list(err.problems)
    table, problems = parse_decisions(raw, parties, previous=previous, chosen=chosen)
    wrong = {p.row for p in problems if p.severity == "error"}
    if None in wrong:  # the file as a whole (a missing column): no row can be used
        return None, problems
    warnings = [p for p in problems if p.severity != "error"]
    return Decisions(raw.label, table[~table.index.isin(wrong)], warnings, _id_header(raw, chosen)), problems
