"""The findings as text for a terminal, in the words of :mod:`valuechain.vocabulary`.

What the command line prints as tables: the findings, the roll-up, the
what-if ranking, the changes of a what-if or a diff, the tables of an event
log. Every heading and value a person reads comes from the vocabulary
(:func:`~valuechain.vocabulary.readable`, :data:`~valuechain.vocabulary.FACTS`,
:class:`~valuechain.vocabulary.Reason`, :class:`~valuechain.vocabulary.Finding`),
never a code (``teams_cut_off``, ``reason_before``, ``serves_outside_only``).

One truncation rule: a table shows its first :data:`SHOWN` rows, then says
how many more there are (:func:`more`). Cells are escaped for a terminal
(:func:`~valuechain.terminal.printable`) before pandas measures them, so a
name holding a control character does not shift its row; the text is meant to
be written with :func:`valuechain.terminal.echo`.

Examples
--------
>>> import valuechain as vc
>>> found = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv").analyze()
>>> print(render_findings(found).split("Loops")[0])  # doctest: +NORMALIZE_WHITESPACE
valuechain
Customers: diners
10 parties (7 teams), 10 hand-offs between them
Line of sight: 5 of 7 teams reach the customer along essential hand-offs
<BLANKLINE>
Orphaned teams: no line of sight to the customer (2)
           Id        Name  Department                      Reason
  bookkeeping Bookkeeping Back office Serves outside parties only
    marketing   Marketing Back office             Preference only
  Reasons:
    Preference only: reaches the customer only through hand-offs marked non-essential
    Serves outside parties only: works only for outside parties (suppliers, regulators...), directly or through
    other teams, never for a customer
<BLANKLINE>
<BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from valuechain._version import __version__
from valuechain.terminal import printable
from valuechain.vocabulary import (
    CHANGES,
    COLUMNS,
    FACTS,
    WAITS,
    Decision,
    DecisionStatus,
    Finding,
    Reason,
    counted,
    label,
    readable,
)

if TYPE_CHECKING:
    from valuechain.analysis import Findings
    from valuechain.decisions import Review
    from valuechain.eventlog import LogFindings
    from valuechain.scenarios.changes import FindingChanges
    from valuechain.scenarios.diff import Diff
    from valuechain.scenarios.rollup import Rollup
    from valuechain.scenarios.whatif import Ranking, Scenario

#: Rows of a table shown on a terminal; the rest are counted (:func:`more`).
SHOWN = 50
#: Members of a list cell (a loop's members) shown before the rest are counted.
MEMBERS_SHOWN = 8
#: Where every row of a cut table can be had.
JSON_FOR_ALL = "use --format json for all"


def more(hidden: int, hint: str | None = JSON_FOR_ALL) -> str:
    """The line under a table cut at :data:`SHOWN` rows: how many more there are, and where to see them.

    Examples
    --------
    >>> more(1250)
    '  ... and 1,250 more (use --format json for all)'
    >>> more(3, hint=None)
    '  ... and 3 more'
    """
    return f"  ... and {hidden:,} more" + (f" ({hint})" if hint else "")


def listed(cell: Any) -> Any:
    """A list cell (a loop's members) as one text, the first :data:`MEMBERS_SHOWN` named and the rest counted.

    Any other cell is returned as it is.

    Examples
    --------
    >>> listed(["floor", "kitchen"])
    'floor, kitchen'
    >>> listed([f"t{i}" for i in range(10)])
    't0, t1, t2, t3, t4, t5, t6, t7, ... (10)'
    >>> listed(3)
    3
    """
    if not isinstance(cell, list | tuple | np.ndarray):
        return cell
    items = [str(item) for item in cell]
    if len(items) <= MEMBERS_SHOWN:
        return ", ".join(items)
    return ", ".join(items[:MEMBERS_SHOWN]) + f", ... ({len(items)})"


def words(table: pd.DataFrame, *, counts: Iterable[str] = (), headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A library table as a person reads it: :func:`~valuechain.vocabulary.readable`, list cells shortened.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of the library (columns are codes of :data:`~valuechain.vocabulary.COLUMNS`; the user's own
        columns keep their names and values).
    counts : iterable of str
        Columns that hold a count of a summary rather than the party's own value (a roll-up's ``connected`` is
        a number of teams, not yes or no): read with :data:`~valuechain.vocabulary.FACTS`.
    headers : mapping of str to str, optional
        A heading for a column other than its label (a roll-up's ``group`` by another column).

    Returns
    -------
    pandas.DataFrame
        Every cell text, the columns labelled, in the same order.

    Examples
    --------
    >>> rolled = pd.DataFrame({"group": ["Sales"], "teams": [7], "connected": [6], "share_connected": [0.8571]})
    >>> words(rolled, counts=["connected"]).to_dict("records")
    [{'Department': 'Sales', 'Teams': '7', 'Teams with line of sight': '6', 'Share with line of sight': '86%'}]
    """
    counted = set(counts)
    shown = table.copy()
    for position, dtype in enumerate(shown.dtypes):
        if pd.api.types.is_object_dtype(dtype):
            shown.isetitem(position, shown.iloc[:, position].map(listed))
    out = readable(shown)
    names = list(out.columns)
    for position, code in enumerate(table.columns):
        if code in counted:
            out.isetitem(position, table.iloc[:, position].map(FACTS[code].text).astype(object))
            names[position] = FACTS[code].label
        if headers and code in headers:
            names[position] = headers[code]
    out.columns = names
    return out


def table_text(table: pd.DataFrame) -> str:
    """``table.to_string``, its text cells escaped first (:func:`printable`) so that the columns line up.

    :func:`~valuechain.terminal.echo` escapes everything written anyway;
    escaping before pandas measures the cells keeps a name holding
    ``ESC [2J`` from shifting its row. A missing value is an empty cell.

    Examples
    --------
    >>> print(table_text(pd.DataFrame({"Name": ["Kit\\x1bchen", None], "Teams": [1, 2]})).splitlines())
    ['       Name  Teams', 'Kit\\\\x1bchen      1', '                 2']
    """
    shown = table.copy()
    for position, dtype in enumerate(shown.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            cells = shown.iloc[:, position]
            shown.isetitem(
                position,
                cells.map(lambda cell: printable(cell) if isinstance(cell, str) else "" if _missing(cell) else cell),
            )  # a missing value (no group) shows as an empty cell, not None or NaN
    shown.columns = [printable(str(c)) for c in shown.columns]
    return shown.to_string(index=False, na_rep="")


def _missing(cell: object) -> bool:
    """None, NaN or pandas' NA (a list cell, such as a loop's members, is not missing)."""
    return cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell)


def indented(table: pd.DataFrame) -> str:
    """The table as text, each line indented by two spaces; ``(none)`` for an empty table.

    Examples
    --------
    >>> print(indented(pd.DataFrame({"Team A": ["floor"], "Team B": ["kitchen"]})))
      Team A  Team B
       floor kitchen
    >>> print(indented(pd.DataFrame({"Team A": []})))
      (none)
    """
    return "\n".join("  " + line for line in table_text(table).splitlines()) if len(table) else "  (none)"


def section(
    title: str,
    table: pd.DataFrame,
    *,
    counts: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    hint: str | None = JSON_FOR_ALL,
) -> list[str]:
    """A titled table: a blank line, the title with the number of rows, the first :data:`SHOWN` rows in words.

    An empty table is its title alone (``... (0)``).

    Examples
    --------
    >>> pairs = pd.DataFrame({"a": [f"t{i}" for i in range(52)], "b": "x"})
    >>> lines = section("Mutual pairs", pairs)
    >>> lines[1]
    'Mutual pairs (52)'
    >>> print("\\n".join(lines[2:]).splitlines()[-2:])
    ['     t49      x', '  ... and 2 more (use --format json for all)']
    >>> section("Loops", pd.DataFrame({"members": []}))
    ['', 'Loops (0)']
    """
    lines = ["", f"{title} ({len(table):,})"]
    if len(table):
        lines.append(indented(words(table.head(SHOWN), counts=counts, headers=headers)))
        if len(table) > SHOWN:
            lines.append(more(len(table) - SHOWN, hint))
    return lines


# --- the findings ----------------------------------------------------------------------------------------------


def render_findings(found: Findings, source: str = "") -> str:
    """The findings as plain text for a terminal (``valuechain analyze``).

    Parameters
    ----------
    found : Findings
    source : str, optional
        The hand-offs file analysed; its folder names the org in the first line.

    Examples
    --------
    >>> import valuechain as vc
    >>> found = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv").analyze()
    >>> text = render_findings(found, "data/phone-repair/handoffs.csv")
    >>> print(text.splitlines()[0])  # doctest: +ELLIPSIS
    valuechain ...: phone-repair
    >>> print(text.split("Single points of failure: ")[1])  # doctest: +NORMALIZE_WHITESPACE
    teams every path hangs on (2)
                  Id                     Name  Teams that hang on it
       repair-agents Authorised repair agents                      3
             finance         Accounts payable                      1
    """
    s = found.summary
    lines = [
        f"valuechain {__version__}: {Path(source).parent.name or source}" if source else "valuechain",
        f"Customers: {', '.join(found.customers)}",
        f"{s['parties']:,} parties ({s['teams']:,} teams), {s['handoffs']:,} hand-offs between them",
        f"Line of sight: {s['connected']:,} of {s['teams']:,} teams reach the customer along essential hand-offs",
    ]
    for part, whole in (("orphan_headcount", "total_headcount"), ("orphan_cost", "total_cost")):
        if part in s:
            lines.append(f"{FACTS[part].label}: {FACTS[part].text(s[part])} of {FACTS[whole].text(s[whole])}")
    if found.review is not None:
        counts = {f.value: int(s[f.key]) for f in Finding}
        *kinds, statuses = found.review.headlines(counts)
        lines += [*kinds, found.review.tally(s), statuses]
        lines += render_decisions(found.review)[1:]
    if found.non_primary_only:
        shown = ", ".join(found.non_primary_only[:10]) + (" ..." if len(found.non_primary_only) > 10 else "")
        lines.append(f"Teams that reach only non-primary customers ({len(found.non_primary_only):,}): {shown}")
    lines += section(f"{Finding.ORPHAN.plural}: no line of sight to the customer", found.orphans)
    if len(found.orphans):
        lines += ["  Reasons:", *(f"    {line}" for line in reasons_legend(found.orphans["reason"]))]
    lines += section(Finding.LOOP.plural, found.loops)
    lines += section(f"{Finding.MUTUAL_PAIR.plural}: each is the other's internal customer", found.mutual_pairs)
    lines += section(
        f"{Finding.SINGLE_POINT_OF_FAILURE.plural}: teams every path hangs on", found.single_points_of_failure
    )
    return "\n".join(lines)


def render_decisions(review: Review) -> list[str]:
    """The decisions' statuses in a line, then each decision overdue, done, stale or whose party left.

    Examples
    --------
    >>> import datetime as dt
    >>> from valuechain.decisions import Review
    >>> row = {"finding": "orphan", "id": "a", "decision": "connect"}
    >>> render_decisions(Review(dt.date(2026, 3, 31), {}, {"done": [row], "overdue": []}))
    ['Decisions as of 2026-03-31: 1 done', '  Done: the finding is gone: orphaned team a (connect)']
    """
    lines = review.headlines({})
    for status in ("overdue", "done", "stale", "party_removed"):
        for row in review.statuses.get(status, []):
            finding, decision = Finding(row["finding"]).one.lower(), Decision(row["decision"]).label.lower()
            lines.append(f"  {DecisionStatus(status).label}: {finding} {row['id']} ({decision})")
    return lines


def reasons_legend(reasons: Iterable[str]) -> list[str]:
    """A line for each reason given (in the vocabulary's order): its title and what it means.

    Examples
    --------
    >>> reasons_legend(["dead_end", "preference_only", "dead_end"])
    ['Preference only: reaches the customer only through hand-offs marked non-essential', \
'Dead end: delivers to nobody']
    """
    present = set(reasons)
    return [f"{reason.title}: {reason.sentence}" for reason in Reason if reason in present]


def render_rollup(rolled: Rollup, by: str = "group") -> str:
    """The roll-up as text (``valuechain analyze --by``): the units, and the mutual dependencies between them.

    Examples
    --------
    >>> import valuechain as vc
    >>> rolled = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv").rollup()
    >>> text = render_rollup(rolled)
    >>> print(text.splitlines()[1]); print(text.splitlines()[2].split())  # doctest: +NORMALIZE_WHITESPACE
    By department
    ['Department', 'Teams', 'Teams', 'with', 'line', 'of', 'sight', 'Orphaned', 'teams', 'Share', 'with', \
'line', 'of', 'sight', 'Any', 'team', 'reaches', 'the', 'customer', 'Headcount', 'Headcount', 'in', \
'orphaned', 'teams']
    >>> print(text.split("departments ")[1])  # doctest: +NORMALIZE_WHITESPACE
    (3)
          Department A Department B
      Customer Service Supply Chain
             Executive      Finance
         Manufacturing Supply Chain
    """
    unit = label(by)
    lines = ["", f"By {unit.lower() if by in COLUMNS else unit}"]
    lines.append(indented(words(rolled.departments, counts=["connected"], headers={"group": unit})))
    if rolled.no_line_of_sight:
        lines.append(f"  No line of sight to the customer: {', '.join(rolled.no_line_of_sight)}")
    units = "departments" if by == "group" else f"units of {unit.lower() if by in COLUMNS else unit}"
    pairs = words(rolled.mutual_pairs[["a", "b"]], headers={"a": f"{unit} A", "b": f"{unit} B"})
    lines += ["", f"Mutual dependencies between {units} ({len(rolled.mutual_pairs):,})", indented(pairs)]
    return "\n".join(lines)


# --- what-if and diff ------------------------------------------------------------------------------------------


def render_ranking(ranking: Ranking, top: int = 20) -> str:
    """What hangs on each party and each hand-off (``valuechain whatif`` without changes), the first ``top`` rows.

    Examples
    --------
    >>> import valuechain as vc
    >>> ranking = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv").rank()
    >>> print(render_ranking(ranking, top=2))  # doctest: +NORMALIZE_WHITESPACE
    What hangs on each party: teams that would lose their path to the customer without it (customers left out)
           Id          Name Kind Teams cut off
        floor Waiting staff Team             4
      kitchen       Kitchen Team             1
      ... and 7 more (--top N shows more; --format json shows all)
    <BLANKLINE>
    What hangs on each hand-off
         From     To Essential Teams cut off
        floor diners       yes             5
      kitchen  floor       yes             2
      ... and 8 more (--top N shows more; --format json shows all)
    """
    lines = []
    for table, title in (
        ("parties", "What hangs on each party: teams that would lose their path to the customer without it "
         "(customers left out)"),
        ("handoffs", "\nWhat hangs on each hand-off"),
    ):  # fmt: skip
        shown, hidden = ranking.top(top, table)
        lines += [title, indented(words(shown))]
        if hidden:
            lines.append(more(hidden, "--top N shows more; --format json shows all"))
    return "\n".join(lines)


def _changes_sections(changes: FindingChanges, lose: str, gain: str) -> list[tuple[str, pd.DataFrame]]:
    """Each table of the changes with its title, in the order they are shown."""
    from valuechain.scenarios.changes import lost_single_points_explained

    titles = {**CHANGES, "new_orphans": lose, "resolved_orphans": gain}
    tables = {name: getattr(changes, name) for name in titles}
    tables["lost_single_points_of_failure"] = lost_single_points_explained(changes)
    return [(titles[name], tables[name]) for name in titles]


def render_changes(
    changes: FindingChanges,
    before: Mapping[str, int | float],
    after: Mapping[str, int | float],
    lose: str = f"New {Finding.ORPHAN.plural.lower()}",
    gain: str = f"Resolved {Finding.ORPHAN.plural.lower()}",
) -> str:
    """What changed in the findings, as text: line of sight before and after, then every table of changes.

    Parameters
    ----------
    changes : FindingChanges
    before, after : Summary or dict
        The summaries before and after.
    lose, gain : str
        The titles of the teams that become orphans and of those that stop being orphans.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> scenario = chain.whatif(remove=["repair-agents"])
    >>> text = render_changes(scenario.changes, scenario.before.summary, scenario.after.summary)
    >>> print(text.split("Loops gone")[0])  # doctest: +NORMALIZE_WHITESPACE
    <BLANKLINE>
    Line of sight: 4 of 5 teams before, 1 of 5 after
    <BLANKLINE>
    New orphaned teams (3)
               Id                  Name  Department              Reason
          finance      Accounts payable     Finance            Dead end
      spare-parts Spare parts logistics After-sales            Dead end
         warranty         Warranty desk After-sales Feeds other orphans
    <BLANKLINE>
    Resolved orphaned teams (0)
    <BLANKLINE>
    """
    lines = [
        "",
        f"Line of sight: {before['connected']:,} of {before['teams']:,} teams before, "
        f"{after['connected']:,} of {after['teams']:,} after",
    ]
    unchanged = []
    for title, table in _changes_sections(changes, lose, gain):
        if len(table) or title in (lose, gain):
            lines += section(title, table)
        else:
            unchanged.append(title[0].lower() + title[1:])
    if unchanged:
        lines += ["", f"None this time: {'; '.join(unchanged)}."]
    return "\n".join(lines)


def render_whatif(scenario: Scenario) -> str:
    """A what-if's changes as text (``valuechain whatif --remove ...``).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> print(render_whatif(chain.whatif(add_handoffs=[("marketing", "phone-owners")])).splitlines()[3])
    Teams that lose their path (orphans of the scenario) (0)
    """
    text = render_changes(
        scenario.changes,
        scenario.before.summary,
        scenario.after.summary,
        lose="Teams that lose their path (orphans of the scenario)",
        gain="Teams that gain a path",
    )
    if scenario.after.review is not None:  # what the change would do to the review decisions
        text += "\n\nAfter the change\n" + "\n".join(render_decisions(scenario.after.review))
    return text


def render_diff(result: Diff) -> str:
    """Two versions of an org compared, as text (``valuechain diff``): what was added, removed, changed, and
    what it did to the findings.

    Examples
    --------
    >>> import valuechain as vc
    >>> before = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> after = vc.load("data/midsize-reorganised/handoffs.csv", parties="data/midsize-reorganised/parties.csv")
    >>> text = render_diff(before.diff(after))
    >>> print(text.split("Hand-offs added")[0])  # doctest: +NORMALIZE_WHITESPACE
    Parties: 1 added, 1 removed, 1 changed
    Hand-offs: 6 added, 1 removed, 1 changed (essential or not)
    <BLANKLINE>
    Parties added (1)
                  Id                 Name Kind       Department
      cs-selfservice Digital self-service Team Customer Service
    <BLANKLINE>
    Parties removed (1)
           Id        Name Kind    Department
      mf-lean Lean office Team Manufacturing
    <BLANKLINE>
    Parties changed (1)
           Id      Field Before After
      it-data Department     IT Sales
    <BLANKLINE>
    <BLANKLINE>
    """
    lines = [
        f"Parties: {len(result.parties_added):,} added, {len(result.parties_removed):,} removed, "
        f"{result.parties_changed['id'].nunique():,} changed",
        f"Hand-offs: {len(result.handoffs_added):,} added, {len(result.handoffs_removed):,} removed, "
        f"{len(result.handoffs_changed):,} changed (essential or not)",
    ]
    lines += [f"Note: {note}" for note in result.notes]
    changed = result.parties_changed.assign(field=result.parties_changed["field"].map(label))
    for title, table in (
        ("Parties added", result.parties_added),
        ("Parties removed", result.parties_removed),
        ("Parties changed", changed),
        ("Hand-offs added", result.handoffs_added),
        ("Hand-offs removed", result.handoffs_removed),
        ("Hand-offs changed", result.handoffs_changed),
    ):
        if len(table):
            lines += section(title, table)
    lines.append(render_changes(result.changes, result.summary_before, result.summary_after))
    return "\n".join(lines)


# --- event logs ------------------------------------------------------------------------------------------------


def render_log(log: LogFindings) -> str:
    """What an event log shows besides the hand-offs (``valuechain from-log``): where stuck cases stop, and the
    teams that hand cases back and forth; empty when there is neither.

    Examples
    --------
    >>> from valuechain.eventlog import from_log
    >>> chain = from_log("data/order-to-delivery/events.csv", outcomes=["deliver order"])
    >>> print(render_log(chain.log))  # doctest: +NORMALIZE_WHITESPACE
    9 cases never reach an outcome; they stop at:
              Team Cases Last activity
      Review board     5   file review
             Sales     4  cancel order
    Cases handed back and forth (ping-pong):
      Team A Team B Cases
      Credit  Sales    13
    """
    lines = []
    if len(log.stuck):
        lines += [f"{counted(int(log.never_reached or 0), 'case')} never reach an outcome; they stop at:"]
        lines.append(indented(words(log.stuck.head(SHOWN))))
        if len(log.stuck) > SHOWN:
            lines.append(more(len(log.stuck) + log.more_stuck - SHOWN, hint=None))
    if len(log.ping_pong):
        lines += ["Cases handed back and forth (ping-pong):", indented(words(log.ping_pong.head(SHOWN)))]
        if len(log.ping_pong) > SHOWN:
            lines.append(more(len(log.ping_pong) + log.more_ping_pong - SHOWN, hint=None))
    if log.waits != "exact":
        lines.append(f"Waiting times are {WAITS[log.waits]}.")
    return "\n".join(lines)
