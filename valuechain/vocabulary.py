"""Every word a person reads about a finding, defined once.

The command line, the dashboard, the report and the figures all take their
words from here, so a reason's title, a column's label or a colour changes in
one place and every front end follows. Machines read the codes (the JSON
contract, exports, tables written for re-reading); people read the words.

* :class:`Reason`: why an orphan has no line of sight (code, title,
  sentence, short label, next step, colour and shape);
* :class:`Status`: the other ways a party is drawn (customer, connected...);
* :class:`Handoff`: the kinds of hand-off line;
* :class:`Finding`: the four kinds of finding, singular and plural;
* :class:`Decision` and :class:`DecisionStatus`: what leaders decided about a finding, and what became of it;
* :data:`COLUMNS` and :data:`FACTS`: the label and format of every column of a
  table shown to a person, and of every count of a summary;
* :func:`readable`: a table with its columns labelled and its values in words.

Examples
--------
>>> from valuechain.vocabulary import Reason, label, readable
>>> Reason("dead_end").title, Reason.DEAD_END.sentence
('Dead end', 'delivers to nobody')
>>> label("share_connected")
'Share with line of sight'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import pandas as pd

#: Okabe and Ito's palette, safe for colour-blind readers; every status has a shape of its own too, so a grey
#: print still tells them apart.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}


class Reason(StrEnum):
    """Why an orphaned team has no line of sight, in the order the reasons are tried (docs/FINDINGS.md).

    Each member is its code (a ``str``: ``Reason.DEAD_END == "dead_end"``) and carries its words and looks.

    Attributes
    ----------
    title : str
        A short title, for tables, filters and legends ("Dead end").
    sentence : str
        The end of a sentence about the team ("Archives delivers to nobody").
    short : str
        A few lower-case words, for tight spaces such as a rolled-up unit's label.
    next_step : str
        What a leader does about it.
    colour, shape : str
        How an orphan with this reason is drawn (a hex colour, a Plotly marker symbol).

    Examples
    --------
    >>> [r.title for r in Reason][:2]
    ['Preference only', 'Dead end']
    >>> Reason.CLOSED_LOOP.legend
    'Orphan: only delivers within a loop that never reaches the customer'
    """

    PREFERENCE_ONLY = (
        "preference_only",
        "Preference only",
        "reaches the customer only through hand-offs marked non-essential",
        "preference only",
        "Confirm with whoever asks for the work that it is essential, or stop it.",
        PALETTE["orange"],
        "square",
    )
    DEAD_END = (
        "dead_end",
        "Dead end",
        "delivers to nobody",
        "dead end",
        "Find who uses the output, or retire it.",
        PALETTE["vermillion"],
        "x",
    )
    CLOSED_LOOP = (
        "closed_loop",
        "Closed loop",
        "only delivers within a loop that never reaches the customer",
        "closed loop",
        "Replace the loop with an agreed service partnership that reaches the customer.",
        PALETTE["purple"],
        "hexagon",
    )
    SERVES_OUTSIDE_ONLY = (
        "serves_outside_only",
        "Serves outside parties only",
        "works only for outside parties (suppliers, regulators...), directly or through other teams, "
        "never for a customer",
        "serves outside only",
        "Check what the outside party's demand does for the customer (a licence to operate, say) and record "
        "that hand-off, or reduce the work to what the outside party requires.",
        PALETTE["sky blue"],
        "triangle-down",
    )
    FEEDS_ORPHANS = (
        "feeds_orphans",
        "Feeds other orphans",
        "delivers only to teams that have no line of sight themselves",
        "feeds orphans",
        "Follow the chain to where it breaks, and fix it there.",
        PALETTE["yellow"],
        "square-x",
    )

    title: str  # type: ignore[assignment]  # the words, not str.title
    sentence: str
    short: str
    next_step: str
    colour: str
    shape: str

    def __new__(cls, code: str, *words: str) -> Reason:
        member = str.__new__(cls, code)
        member._value_ = code
        member.title, member.sentence, member.short, member.next_step, member.colour, member.shape = words
        return member

    @property
    def code(self) -> str:
        """The code machines read (``"dead_end"``)."""
        return self.value

    @property
    def legend(self) -> str:
        """The words of a figure's legend entry."""
        return f"Orphan: {self.sentence}"


class Status(StrEnum):
    """How a party that is not an orphan with a reason is drawn: its legend, colour and shape.

    Examples
    --------
    >>> Status.CUSTOMER.legend, Status.CUSTOMER.shape
    ('External customer', 'star')
    """

    CUSTOMER = ("customer", "External customer", PALETTE["black"], "star")
    CONNECTED = ("connected", "Team that reaches the customer", PALETTE["blue"], "circle")
    OUTSIDE = ("outside", "Outside party (supplier, regulator...)", PALETTE["grey"], "diamond")
    OTHER = ("other", "Other party with no line of sight", "#BBBBBB", "circle-open")

    legend: str
    colour: str
    shape: str

    def __new__(cls, code: str, *words: str) -> Status:
        member = str.__new__(cls, code)
        member._value_ = code
        member.legend, member.colour, member.shape = words
        return member


def look(code: str) -> Status | Reason:
    """The drawing status or orphan reason with this code, which knows its legend, colour and shape.

    Examples
    --------
    >>> look("dead_end").colour, look("customer").colour
    ('#D55E00', '#000000')
    """
    return Reason(code) if code in Reason._value2member_map_ else Status(code)


#: Every drawing status, in legend order: customers, connected teams, outside parties, each reason, the rest.
LOOKS: tuple[Status | Reason, ...] = (Status.CUSTOMER, Status.CONNECTED, Status.OUTSIDE, *Reason, Status.OTHER)


class Handoff(StrEnum):
    """The kinds of hand-off line: legend, colour and dash.

    Examples
    --------
    >>> Handoff.PREFERENCE.dash
    'dash'
    """

    ESSENTIAL = ("essential", "Essential hand-off", "#7F7F7F", "solid")
    PREFERENCE = ("preference", "Preference (non-essential) hand-off", "#B0B0B0", "dash")
    LOOP = ("loop", "Hand-off within a loop", PALETTE["purple"], "solid")
    LOOP_PREFERENCE = (
        "loop_preference",
        "Preference (non-essential) hand-off within a loop",
        PALETTE["purple"],
        "dash",
    )

    legend: str
    colour: str
    dash: str

    def __new__(cls, code: str, *words: str) -> Handoff:
        member = str.__new__(cls, code)
        member._value_ = code
        member.legend, member.colour, member.dash = words
        return member


class Kind(StrEnum):
    """The kinds of party (the parties table's ``kind`` column, docs/FORMATS.md): one of them, several of them.

    Examples
    --------
    >>> Kind("vendor_partner").one, Kind.GOVERNMENT_AGENCY.plural
    ('Vendor partner', 'government agencies')
    """

    TEAM = ("team", "Team", "teams")
    EXTERNAL_CUSTOMER = ("external_customer", "External customer", "other customers")
    SUPPLIER = ("supplier", "Supplier", "suppliers")
    VENDOR_PARTNER = ("vendor_partner", "Vendor partner", "vendor partners")
    REGULATOR = ("regulator", "Regulator", "regulators")
    GOVERNMENT_AGENCY = ("government_agency", "Government agency", "government agencies")
    COMMUNITY = ("community", "Community", "community parties")

    one: str
    plural: str

    def __new__(cls, code: str, *words: str) -> Kind:
        member = str.__new__(cls, code)
        member._value_ = code
        member.one, member.plural = words
        return member


#: What became of a party in a newer version (the ``now`` column of changes), besides its kind.
NOW = {"removed": "Removed", "customer": "External customer"}

#: A kind of party as the heading of its parties taken together (a row of the department matrix, a box of the
#: flow): "Suppliers", "External customers"; teams there are the ones no department holds.
KIND_GROUPS: dict[str, str] = {
    **{kind.value: kind.plural.capitalize() for kind in Kind},
    Kind.TEAM.value: "Teams with no department",
    Kind.EXTERNAL_CUSTOMER.value: "External customers",
}


class Finding(StrEnum):
    """The four kinds of finding: the JSON contract's key, one of them, several of them.

    Examples
    --------
    >>> Finding.MUTUAL_PAIR.plural, Finding("single_point_of_failure").one
    ('Mutual pairs', 'Single point of failure')
    """

    ORPHAN = ("orphan", "orphans", "Orphaned team", "Orphaned teams")
    LOOP = ("loop", "loops", "Loop", "Loops")
    MUTUAL_PAIR = ("mutual_pair", "mutual_pairs", "Mutual pair", "Mutual pairs")
    SINGLE_POINT_OF_FAILURE = (
        "single_point_of_failure",
        "single_points_of_failure",
        "Single point of failure",
        "Single points of failure",
    )

    key: str
    one: str
    plural: str

    def __new__(cls, code: str, *words: str) -> Finding:
        member = str.__new__(cls, code)
        member._value_ = code
        member.key, member.one, member.plural = words
        return member

    def counted(self, n: int) -> str:
        """``"1 loop"``, ``"3 loops"``: the number and the lower-case words.

        Examples
        --------
        >>> Finding.ORPHAN.counted(1), Finding.LOOP.counted(0)
        ('1 orphaned team', '0 loops')
        """
        return f"{n:,} {(self.one if n == 1 else self.plural).lower()}"


def _change_words() -> dict[str, str]:
    orphans, loops = Finding.ORPHAN.plural, Finding.LOOP.plural
    pairs, spofs = Finding.MUTUAL_PAIR.plural, Finding.SINGLE_POINT_OF_FAILURE.plural
    return {  # in the order of FindingChanges' tables
        "new_orphans": f"New {orphans.lower()}",
        "resolved_orphans": f"Resolved {orphans.lower()}",
        "removed_orphans": f"{orphans} that left the org (removed, or no longer a team)",
        "new_loops": f"New {loops.lower()}",
        "resolved_loops": f"Resolved {loops.lower()}",
        "removed_loops": f"{loops} gone with a member that left the org",
        "changed_loops": f"{loops} whose members changed",
        "new_mutual_pairs": f"New {pairs.lower()}",
        "resolved_mutual_pairs": f"Resolved {pairs.lower()}",
        "removed_mutual_pairs": f"{pairs} gone with a party that left the org",
        "new_single_points_of_failure": f"New {spofs.lower()}",
        "resolved_single_points_of_failure": f"Resolved {spofs.lower()} (the teams behind them have another way now)",
        "lost_single_points_of_failure": f"{spofs} lost with their teams (a loss, not an improvement)",
        "removed_single_points_of_failure": f"{spofs} gone with their party",
        "distance_changes": "Teams whose distance to the customer changed (hand-offs to the nearest customer)",
    }


#: Each kind of change between two versions' findings (the keys of ``FindingChanges.counts()``), in words.
CHANGES: dict[str, str] = _change_words()


Format = Literal["text", "count", "number", "share", "yes_no", "list", "reason", "kind"]


@dataclass(frozen=True)
class Column:
    """A column or a count as a person reads it.

    Parameters
    ----------
    code : str
        The name machines use (a DataFrame column, a JSON key).
    label : str
        What a person reads as its heading.
    format : str
        How its values read: ``text``, ``count`` (a whole number), ``number``,
        ``share`` (0 to 1, shown as a percentage), ``yes_no``, ``list`` (joined
        with commas), ``reason`` (a :class:`Reason` code, shown as its title) or ``kind`` (a
        :class:`Kind` code, or what became of a party: :data:`NOW`).
    help : str
        A sentence for a tooltip (may be empty).
    """

    code: str
    label: str
    format: Format = "text"
    help: str = ""

    def text(self, value: Any) -> str:
        """One value in words.

        Examples
        --------
        >>> COLUMNS["share_connected"].text(0.4286), COLUMNS["connected"].text(True), COLUMNS["teams"].text(12000)
        ('43%', 'yes', '12,000')
        """
        return _TEXT[self.format](value)


def _missing(value: Any) -> bool:
    if isinstance(value, list | tuple | set):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _number(value: Any) -> str:
    if isinstance(value, str):  # a column of names under a count's code (spof_details' teams) reads as it is
        return value
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def _whole(values: pd.Series) -> bool:
    """Numbers that are all whole (missing ones aside), so that they read as integers."""
    if not pd.api.types.is_float_dtype(values):
        return False
    present = values.dropna()
    return bool(((present % 1) == 0).all()) and bool((present.abs() < 2**53).all())


def _guard(form: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: "" if _missing(value) else form(value)


_TEXT: dict[str, Callable[[Any], str]] = {
    "text": _guard(str),
    "count": _guard(_number),
    "number": _guard(_number),
    "share": _guard(lambda v: f"{float(v):.0%}"),
    "yes_no": _guard(lambda v: "yes" if bool(v) else "no"),
    "list": _guard(lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple | set) else str(v)),
    "reason": _guard(lambda v: Reason(v).title if v in Reason._value2member_map_ else str(v)),
    "kind": _guard(lambda v: Kind(v).one if v in Kind._value2member_map_ else NOW.get(v, str(v))),
}


def _columns(*columns: Column) -> dict[str, Column]:
    return {c.code: c for c in columns}


#: Every column of a table shown to a person, by code.
COLUMNS: dict[str, Column] = _columns(
    # parties
    Column("id", "Id"),
    Column("name", "Name"),
    Column("kind", "Kind", "kind"),
    Column("group", "Department"),
    Column("primary", "Primary customer", "yes_no"),
    Column("headcount", "Headcount", "number"),
    Column("cost", "Cost", "number"),
    Column("row", "Row", "count", "The row in the file, as a spreadsheet numbers it."),
    Column("source_file", "Model file", "text", "The process model (BPMN) the party was read from."),
    # hand-offs
    Column("source", "From"),
    Column("target", "To"),
    Column("deliverable", "Deliverable"),
    Column("essential", "Essential", "yes_no"),
    # findings
    Column("connected", "Reaches the customer", "yes_no"),
    Column("distance", "Hand-offs to the customer", "count"),
    Column("reason", "Reason", "reason", "Why the team has no line of sight to the customer."),
    Column("why", "Why"),
    Column("delivers", "Delivers to"),
    Column("loop", "Loop", "count"),
    Column("members", "Members", "list"),
    Column("names", "Names", "list"),
    Column("size", "Parties in the loop", "count"),
    Column("handoffs", "Hand-offs", "count"),
    Column("flows", "What is handed to whom"),
    Column("a", "Team A"),
    Column("b", "Team B"),
    Column("a_to_b", "A delivers to B"),
    Column("b_to_a", "B delivers to A"),
    Column("dependents", "Teams that hang on it", "count"),
    Column("teams", "Teams", "count"),
    # departments
    Column("orphans", "Orphaned teams", "count"),
    Column("share_connected", "Share with line of sight", "share"),
    Column("line_of_sight", "Any team reaches the customer", "yes_no"),
    Column("orphan_headcount", "Headcount in orphaned teams", "number"),
    Column("orphan_cost", "Cost of orphaned teams", "number"),
    # what-if and changes
    Column("teams_cut_off", "Teams cut off", "count", "Teams that would lose their line of sight without it."),
    Column("reason_before", "Reason before", "reason"),
    Column("now", "Now", "kind"),
    Column("before", "Before"),
    Column("after", "After"),
    Column("joined", "Joined", "list"),
    Column("left", "Left", "list"),
    Column("field", "Field"),
    Column("essential_before", "Essential before", "yes_no"),
    Column("essential_after", "Essential after", "yes_no"),
    # problems in the input (the dashboard's problems table)
    Column("severity", "Severity"),
    Column("file", "File"),
    Column("column", "Column"),
    Column("message", "Problem"),
    Column("hint", "How to fix"),
    # event logs
    Column("team", "Team"),
    Column("cases", "Cases", "count"),
    Column("handovers", "Hand-overs", "count"),
    Column("median_wait_hours", "Median wait (hours)", "number"),
    Column("p90_wait_hours", "Slowest tenth waits (hours)", "number", "90% of the hand-overs wait less than this."),
    Column("last_activity", "Last activity"),
    # review decisions (valuechain.decisions): values already in words
    Column("finding", "Finding"),
    Column("decision", "Decision"),
    Column("status", "What became of it"),
    Column("owner", "Owner"),
    Column("due", "Due"),
    Column("note", "Note"),
)

#: Every count of a summary (:class:`valuechain.analysis.Summary`), by its JSON key: a short label for a metric
#: and, as help, the full sentence for a report.
FACTS: dict[str, Column] = _columns(
    Column("parties", "Parties", "count", "Parties (teams and outside parties, customers included)"),
    Column("teams", "Teams", "count", "Teams"),
    Column("handoffs", "Hand-offs", "count", "Hand-offs (distinct pairs, self hand-offs left out)"),
    Column("connected", "Teams with line of sight", "count", "Teams with a line of sight to the customer"),
    Column("orphans", "Orphaned teams", "count", "Orphaned teams (no line of sight)"),
    Column("loops", "Loops", "count", "Loops"),
    Column("mutual_pairs", "Mutual pairs", "count", "Mutual pairs"),
    Column("single_points_of_failure", "Single points of failure", "count", "Single points of failure"),
    Column("orphan_headcount", "People in orphaned teams", "number", "People in orphaned teams"),
    Column("total_headcount", "People in all teams", "number", "People in all teams"),
    Column("orphan_cost", "Cost of orphaned teams", "number", "Cost of orphaned teams"),
    Column("total_cost", "Cost of all teams", "number", "Cost of all teams"),
    Column("decided", "Findings decided", "count", "Findings with a decision"),
    Column("accepted", "Accepted by design", "count", "Findings accepted by design"),
    Column("overdue", "Decisions overdue", "count", "Findings whose decision is past its due date"),
    Column("undecided", "Findings to decide", "count", "Findings with no decision yet"),
)


#: The codes the roll-up's table of departments (``Rollup.departments``) reads otherwise: ``connected`` counts
#: the teams with line of sight there (elsewhere it says whether one team has it). Pass as ``read_as``.
DEPARTMENT_COLUMNS: dict[str, Column] = _columns(
    Column("connected", FACTS["connected"].label, "count", FACTS["connected"].help),
)


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun, singular or plural (``many``, else ``one`` + "s"): never "team(s)".

    Examples
    --------
    >>> counted(1, "team"), counted(12000, "case"), counted(2, "party", "parties")
    ('1 team', '12,000 cases', '2 parties')
    """
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def percent(part: float, whole: float) -> str:
    """``part`` as a whole percentage of ``whole`` (``"0%"`` of nothing).

    Examples
    --------
    >>> percent(22, 75), percent(0, 0)
    ('29%', '0%')
    """
    return f"{round(100 * part / whole)}%" if whole else "0%"


def amount(value: float) -> str:
    """A headcount or a cost in a sentence: thousands separated, one decimal only where it has one.

    Examples
    --------
    >>> amount(4692000.0), amount(2.5)
    ('4,692,000', '2.5')
    """
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def label(code: str) -> str:
    """A column's label; a code the vocabulary does not know (a user's own column) stays as it is.

    Examples
    --------
    >>> label("teams_cut_off"), label("Cost centre")
    ('Teams cut off', 'Cost centre')
    """
    column = COLUMNS.get(code)
    return column.label if column else code


def readable(
    table: pd.DataFrame,
    *,
    text: bool = True,
    columns: Iterable[str] | None = None,
    read_as: Mapping[str, Column] | None = None,
) -> pd.DataFrame:
    """``table`` as a person reads it: columns labelled, reasons as titles, yes/no, lists joined.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of the library (its columns are codes of :data:`COLUMNS`); other columns (the user's own) keep
        their names and values.
    text : bool
        Every known value as text (for a terminal, Markdown or HTML); with ``False``, numbers and shares stay
        numbers (for Excel and the dashboard, which format them themselves).
    columns : iterable of str, optional
        Only these columns, in this order.
    read_as : mapping of str to Column, optional
        Codes this table reads otherwise than :data:`COLUMNS` (:data:`DEPARTMENT_COLUMNS`: a department's
        ``connected`` counts teams).

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["x"], "reason": ["dead_end"], "share_connected": [0.5], "members": [["a", "b"]]})
    >>> readable(t).to_dict("records")
    [{'Id': 'x', 'Reason': 'Dead end', 'Share with line of sight': '50%', 'Members': 'a, b'}]
    >>> readable(t, text=False)["Share with line of sight"].tolist()
    [0.5]
    >>> readable(pd.DataFrame({"connected": [3]}), read_as=DEPARTMENT_COLUMNS).to_dict("records")
    [{'Teams with line of sight': '3'}]
    """
    known = {**COLUMNS, **(read_as or {})}
    if columns is not None:
        table = table[list(columns)]
    out = {}
    for i, code in enumerate(table.columns):
        column = known.get(code)
        values = table.iloc[:, i]
        if column is not None and (text or column.format in ("yes_no", "list", "reason", "kind")):
            values = values.map(column.text).astype(object)
        elif column is not None and column.format in ("count", "number") and _whole(values):
            values = values.astype("Int64")  # 2 people, not 2.0, in a spreadsheet
        out[i] = values
    frame = pd.DataFrame(out, index=table.index)
    frame.columns = [known[code].label if code in known else code for code in table.columns]
    return frame


#: What a leader does about a finding that is not an orphan (an orphan's next step is its :class:`Reason`'s).
FINDING_NEXT_STEP: dict[Finding, str] = {
    Finding.SINGLE_POINT_OF_FAILURE: "Give the teams behind it a second way to the customer, or a deputy and a "
    "fallback for it.",
    Finding.LOOP: "Agree one service partnership for the loop: who serves whom, what reaches the external customer, "
    "and who answers for it.",
    Finding.MUTUAL_PAIR: "Agree one service partnership for the pair: who serves whom, and what reaches the external "
    "customer.",
}


class Decision(StrEnum):
    """What leaders decided about a finding (a decisions file's ``decision``): its code, words and what it asks.

    Examples
    --------
    >>> Decision("accept").label, Decision.REDUNDANCY.sentence
    ('Accepted by design', 'back up the single point of failure')
    """

    CONNECT = ("connect", "Connect", "give it a path to the customer")
    MERGE = ("merge", "Merge", "merge it into another team")
    STOP = ("stop", "Stop", "stop the work")
    PARTNER = ("partner", "Partnership", "turn the loop or pair into a service partnership")
    REDUNDANCY = ("redundancy", "Redundancy", "back up the single point of failure")
    ACCEPT = ("accept", "Accepted by design", "right by design: nothing to change")
    INVESTIGATE = ("investigate", "Investigate", "find out before deciding")

    label: str
    sentence: str

    def __new__(cls, code: str, *words: str) -> Decision:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label, member.sentence = words
        return member


def accepted_and_to_act_on(accepted: int, found: int) -> str:
    """How many of ``found`` findings of one kind are accepted by design, and how many are left to act on (the
    honest headline's words, in the brief, the report and the dashboard).

    Examples
    --------
    >>> accepted_and_to_act_on(2, 9)
    '2 accepted by design, 7 to act on'
    """
    return f"{accepted:,} {Decision.ACCEPT.label.lower()}, {found - accepted:,} to act on"


class DecisionStatus(StrEnum):
    """What became of a decision by the day of the review (``as_of``): its code and words.

    Examples
    --------
    >>> DecisionStatus("stale").label
    'Accepted, but the finding is gone: the row can go'
    """

    OPEN = ("open", "Decided, finding still there", "open")
    DONE = ("done", "Done: the finding is gone", "done")
    STALE = ("stale", "Accepted, but the finding is gone: the row can go", "stale")
    OVERDUE = ("overdue", "Overdue: past its due date and the finding is still there", "overdue")
    PARTY_REMOVED = ("party_removed", "Its party left the org", "whose party left")

    label: str
    short: str

    def __new__(cls, code: str, *words: str) -> DecisionStatus:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label, member.short = words
        return member


@dataclass(frozen=True)
class BriefWords:
    """The headings and fixed words of the one-page brief (:mod:`valuechain.report.brief`).

    Examples
    --------
    >>> BRIEF.decide
    'Things to decide, most teams first: orphaned teams, single points of failure, loops'
    """

    title: str = "Value chain brief"
    decide: str = "Things to decide, most teams first: orphaned teams, single points of failure, loops"
    chain: str = "The chain: customers on the right, each column one hand-off further away"
    improved: str = "What improved since the previous version"
    worse: str = "What got worse since the previous version"
    review: str = "What became of the decisions"
    next_step: str = "Next step"
    nothing_to_decide: str = (
        "Every team reaches the customer, no party is a single point of failure and no loop needs a partnership: "
        "nothing to decide."
    )
    no_change: str = "No change in orphaned teams, single points of failure or loops."
    no_department: str = "No department"
    orphaned: str = "A team is orphaned when none of its essential hand-offs leads to the external customer."
    details: str = "The full report (valuechain report) lists every finding."
    not_here: str = "Not on this page, in the full report"
    download: str = "One-page brief"


BRIEF = BriefWords()


#: How an event log's median and 90th-percentile waits were computed (:attr:`valuechain.eventlog.LogFindings.waits`).
WAITS: dict[str, str] = {
    "exact": "exact",
    "approximate_duckdb": (
        "approximate: DuckDB's approx_quantile (a T-Digest sketch per hand-off) gives waits within about 1% of "
        "the exact rank"
    ),
    "approximate_spark": (
        "approximate: Spark's percentile_approx (accuracy 10,000) gives waits within 1/10,000 of the exact rank"
    ),
}
