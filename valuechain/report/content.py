"""What the leaders' report says, independent of its format: sections of sentences, tables and figures.

The HTML and Markdown reports render the same sections, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from valuechain.explain import listing, loop_details, mutual_details, orphan_details, reason_counts, spof_details
from valuechain.report.tables import DEPARTMENTS, GONE_SINGLE_POINTS, SINGLE_POINTS, labelled
from valuechain.vocabulary import BRIEF, WAITS, Column, Finding, Reason, amount, counted, percent

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from valuechain.decisions import Review
    from valuechain.model import Chain

PARTNERSHIP = (
    "Where two teams are each other's customer, or a loop of teams serves itself, agree one service partnership "
    "for the loop: who serves whom, what reaches the external customer, and who answers for it."
)


#: Orphans resolved and removed: why they *were* orphans.
WAS_ORPHAN = {"reason_before": Column("reason_before", "Was an orphan because", "reason")}
#: Teams added in this version (a column of the report's table of new orphans).
ADDED_COLUMN = Column("added", "Added in this version", "yes_no")
#: What to do about an orphan (a column of the report's tables of orphans).
NEXT_STEP_COLUMN = Column("next_step", "Next step")
#: The columns only the report's own tables have.
REPORT_COLUMNS = {c.code: c for c in (ADDED_COLUMN, NEXT_STEP_COLUMN)}


@dataclass
class Table:
    """A table of the report: an optional caption, a library table (columns named by the vocabulary's codes)
    and the codes this table reads otherwise (see :func:`valuechain.report.tables.labelled`)."""

    caption: str | None
    frame: pd.DataFrame
    columns: dict[str, Column] = field(default_factory=dict)

    def shown(self, *, text: bool = True) -> pd.DataFrame:
        """The table as a person reads it: labelled headers, values in words (numbers kept with ``text=False``).

        Examples
        --------
        >>> Table(None, pd.DataFrame({"reason": ["dead_end"], "dependents": [3]})).shown().to_dict("records")
        [{'Reason': 'Dead end', 'Teams that hang on it': '3'}]
        """
        return labelled(self.frame, text=text, columns={**REPORT_COLUMNS, **self.columns})


@dataclass
class Section:
    """One part of the report: a title, sentences, tables and figures."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[go.Figure] = field(default_factory=list)

    def table(self, caption: str | None, frame: pd.DataFrame, columns: dict[str, Column] | None = None) -> None:
        """Add a table (see :class:`Table`)."""
        self.tables.append(Table(caption, frame, dict(columns or {})))


def headline(chain: Chain) -> str:
    """The report's first sentence: how many teams (people, cost) have no line of sight to the customer.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> print(headline(chain))  # doctest: +NORMALIZE_WHITESPACE
    22 of 75 teams (29%) have no line of sight to the customer: 69 of 550 people (13%), 4,692,000 of 37,400,000 in
    cost (13%).
    """
    s = chain.analyze().summary
    words = f"{s.orphans} of {s.teams} teams ({percent(s.orphans, s.teams)}) have no line of sight to the customer"
    extra = []
    if s.orphan_headcount is not None and s.total_headcount is not None:
        extra.append(
            f"{amount(s.orphan_headcount)} of {amount(s.total_headcount)} people "
            f"({percent(s.orphan_headcount, s.total_headcount)})"
        )
    if s.orphan_cost is not None and s.total_cost is not None:
        extra.append(
            f"{amount(s.orphan_cost)} of {amount(s.total_cost)} in cost ({percent(s.orphan_cost, s.total_cost)})"
        )
    return words + (": " + ", ".join(extra) if extra else "") + "."


def sections(
    chain: Chain, previous: Chain | None = None, figures: bool = True, *, appendix: bool = False
) -> list[Section]:
    """The report's sections, in order; each opens with one sentence that answers its question.

    Parameters
    ----------
    chain : Chain
        The org as it is now.
    previous : Chain, optional
        An earlier version: adds "What changed".
    figures : bool
        Include Plotly figures (the HTML report); Markdown leaves them out.
    appendix : bool
        Move the tables longer than :data:`LONG` rows to a last section, the appendix (the HTML and Markdown
        reports), leaving a sentence in their place.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> [s.key for s in sections(chain, figures=False, appendix=True)][-2:]
    ['departments', 'appendix']
    >>> sections(chain, figures=False)[1].paragraphs[0]  # doctest: +NORMALIZE_WHITESPACE
    '22 of 75 teams have no line of sight to the customer, for 5 reasons: preference only (8), serves outside
    parties only (6), closed loop (4), feeds other orphans (3) and dead end (1).'
    """
    out = _sections(chain, previous, figures)
    return with_appendix(out) if appendix else out


#: A table longer than this many rows goes to the report's appendix.
LONG = 12


def with_appendix(shown: list[Section]) -> list[Section]:
    """The sections with their tables longer than :data:`LONG` rows moved to a last section, ``appendix``; each
    section says where its long table went.

    Examples
    --------
    >>> section = Section("spof", "Single points of failure")
    >>> section.table("Ranked", pd.DataFrame({"id": range(20)}))
    >>> out = with_appendix([section])
    >>> [s.key for s in out], out[0].tables, out[0].paragraphs
    (['spof', 'appendix'], [], ['The table "Ranked" (20 rows) is in the appendix.'])
    """
    appendix = Section("appendix", APPENDIX_TITLE, [APPENDIX_SENTENCE])
    for section in shown:
        kept = []
        for table in section.tables:
            if len(table.frame) <= LONG:
                kept.append(table)
                continue
            caption = table.caption or section.title
            section.paragraphs.append(f'The table "{caption}" ({len(table.frame):,} rows) is in the appendix.')
            where = section.title if table.caption is None else f"{section.title}: {table.caption}"
            appendix.tables.append(Table(where, table.frame, table.columns))
        section.tables = kept
    return [*shown, appendix] if appendix.tables else shown


APPENDIX_TITLE = "Appendix: the long tables"
APPENDIX_SENTENCE = "The tables too long for the sections above, in the order of the sections."


def _sections(chain: Chain, previous: Chain | None, figures: bool) -> list[Section]:
    """The report's sections, every table in its section."""
    found = chain.analyze()
    s = found.summary
    out = []

    summary = Section("summary", "Summary", [headline(chain)])
    summary.paragraphs.append(
        f"{'External customer' if len(chain.customers) == 1 else 'External customers'}: {', '.join(chain.customers)}. "
        f"The org has {s.parties:,} parties "
        f"({s.teams:,} teams) and {s.handoffs:,} hand-offs between them; {Finding.LOOP.counted(s.loops)}, "
        f"{Finding.MUTUAL_PAIR.counted(s.mutual_pairs)} and "
        f"{Finding.SINGLE_POINT_OF_FAILURE.counted(s.single_points_of_failure)}."
    )
    out.append(summary)
    if found.review is not None:
        out.append(_decisions(found.review, {f.value: int(s[f.key]) for f in Finding}))

    orphans = orphan_details(chain)
    section = Section("orphans", "Orphaned teams: no line of sight to the customer")
    if orphans.empty:
        section.paragraphs.append("Every team's work reaches the customer.")
    else:
        counts = reason_counts(orphans)
        largest = sorted(counts.items(), key=lambda item: -item[1])
        why = listing([f"{Reason(code).title.lower()} ({count})" for code, count in largest], most=len(counts))
        section.paragraphs.append(
            f"{len(orphans):,} of {s.teams:,} teams have no line of sight to the customer, for "
            + (f"{len(counts)} reasons: " if len(counts) > 1 else "one reason: ")
            + f"{why}."
        )
        for code, count in counts.items():
            reason = Reason(code)
            section.paragraphs.append(
                f"{reason.title} ({count}): the team {reason.sentence}. Next step: {reason.next_step}"
            )
        columns = ["name", "id", "reason", "why", "delivers", NEXT_STEP_COLUMN.code]
        table = orphans.assign(**{NEXT_STEP_COLUMN.code: [Reason(r).next_step for r in orphans["reason"]]})
        extra = [c for c in ("headcount", "cost") if c in table.columns]
        for group, rows in table.groupby(table["group"].fillna("(no department)"), sort=True):
            section.table(f"{group}: {counted(len(rows), 'orphaned team')}", rows[columns[:3] + extra + columns[3:]])
    out.append(section)

    loops, mutual = loop_details(chain), mutual_details(chain)
    closed = int((~loops["connected"].astype(bool)).sum()) if not loops.empty else 0
    answer = (
        f"{Finding.LOOP.counted(len(loops)).capitalize()} and {Finding.MUTUAL_PAIR.counted(len(mutual))}: teams "
        f"that depend on each other; {closed:,} of the loops never {'reaches' if closed == 1 else 'reach'} the "
        "customer."
    )
    section = Section("loops", "Mutual dependencies and loops", [answer, PARTNERSHIP])
    if not mutual.empty:
        names = dict(zip(chain.parties["id"], chain.parties["name"].astype(str)))
        pairs = mutual.assign(a=mutual["a"].map(names), b=mutual["b"].map(names))
        section.table(f"{counted(len(pairs), 'mutual pair')}: each is the other's customer", pairs)
    if not loops.empty:
        shown = loops[["names", "size", "connected", "flows"]].rename(columns={"names": "members"})
        section.table(counted(len(loops), "loop"), shown)
    if mutual.empty and loops.empty:
        section.paragraphs = ["No team depends on another that depends on it in turn."]
    out.append(section)

    rows = chain.handoffs
    optional = rows[~rows["essential"].to_numpy(dtype=bool)]
    section = Section("preferences", "Preference hand-offs: work marked non-essential")
    if optional.empty:
        section.paragraphs.append("Every hand-off is marked essential.")
    else:
        names = dict(zip(chain.parties["id"], chain.parties["name"].astype(str)))
        section.paragraphs.append(
            f"{counted(len(optional), 'hand-off')} {'is' if len(optional) == 1 else 'are'} marked non-essential: "
            "the receiver asks for the work, but its own "
            "path to the customer does not depend on it. Each is a candidate to confirm as essential, or to stop."
        )
        asked = pd.DataFrame(
            {
                "target": optional["target"].map(names).to_numpy(),
                "source": optional["source"].map(names).to_numpy(),
                "deliverable": optional["deliverable"].to_numpy(),
                "row": optional.index.to_numpy(),
            }
        )
        section.table(None, asked, {"target": Column("target", "Asked for by"), "source": Column("source", "Done by")})
    out.append(section)

    if "median_wait_hours" in chain.handoffs.columns:
        out.append(_waits(chain))

    spof = spof_details(chain)
    section = Section("spof", "Single points of failure: what every path hangs on")
    if spof.empty:
        section.paragraphs.append("No party is a single point of failure: every team has another way through.")
    else:
        top = spof.iloc[0]
        section.paragraphs.append(
            f"If {top['name']} stopped, {counted(int(top['dependents']), 'team')} would lose their line of sight "
            "to the "
            "customer. Ranked by the number of teams that hang on each:"
        )
        section.table(None, spof, SINGLE_POINTS)
    out.append(section)

    if figures:
        from valuechain.plot import flow_figure, rollup_figures

        out.append(
            Section(
                "chain",
                "The chain",
                ["Customers on the right; each column is one hand-off further away. Below the gap: no line of sight."],
                figures=[chain.plot()],
            )
        )
    if chain.parties["group"].notna().any():
        rolled = chain.rollup()
        section = Section("departments", "Departments")
        table = rolled.departments
        whole = int(table["orphans"].eq(0).sum())
        answer = f"In {whole:,} of {len(table):,} departments every team reaches the customer"
        most = int(table["orphans"].max()) if len(table) else 0
        if most:
            worst = sorted(table.loc[table["orphans"] == most, "group"].astype(str))
            answer += (
                f"; {listing(worst, most=4)} {'has' if len(worst) == 1 else 'have'} the most orphaned teams "
                f"({most:,}{'' if len(worst) == 1 else ' each'})"
            )
        section.paragraphs.append(answer + ".")
        if rolled.no_line_of_sight:
            section.paragraphs.append(f"No team in {listing(rolled.no_line_of_sight, most=12)} reaches the customer.")
        section.table(None, rolled.departments, DEPARTMENTS)
        if figures:
            graph, _ = rollup_figures(chain)
            section.figures += [graph, flow_figure(chain)]
        out.append(section)

    if previous is not None:
        out.append(_changes(previous, chain))
    return out


def _waits(chain: Chain) -> Section:
    """From an event log: the slowest hand-offs on the way to the customer, ping-pong, stuck cases."""
    found = chain.analyze()
    connected = set(found.parties.loc[found.parties["connected"].to_numpy(dtype=bool), "id"])
    rows = chain.handoffs
    timed = rows[rows["target"].isin(connected) & rows["median_wait_hours"].notna()]
    timed = timed.sort_values("median_wait_hours", ascending=False).head(15)
    section = Section("waits", "Waiting times on the way to the customer (from the event log)")
    if len(timed):
        slowest = timed.iloc[0]
        section.paragraphs.append(
            f"The slowest hand-off towards the customer is {slowest['source']} → {slowest['target']}: a median "
            f"wait of {amount(float(slowest['median_wait_hours']))} hours."
        )
    section.paragraphs.append(
        "Hours between one team's event and the next team's, per hand-off: median and 90th percentile."
    )
    columns = ["source", "target", "deliverable", "cases", "median_wait_hours", "p90_wait_hours"]
    section.table("The slowest hand-offs towards the customer", timed[columns])
    log = chain.log
    if log is not None:
        if log.waits != "exact":
            section.paragraphs.append(f"The waiting times are {WAITS[log.waits]}.")
        if len(log.ping_pong):
            section.table("Ping-pong: cases handed back and forth", log.ping_pong)
            if log.more_ping_pong:
                section.paragraphs.append(f"And {counted(log.more_ping_pong, 'more pair', 'more pairs')}.")
        if len(log.stuck):
            section.table("Cases that never reach an outcome, by the team where they stop", log.stuck)
            if log.more_stuck:
                section.paragraphs.append(f"And {counted(log.more_stuck, 'more team', 'more teams')}.")
    return section


def _decisions(review: Review, counts: dict[str, int]) -> Section:
    """The review decisions: per kind of finding how many are accepted by design and how many to act on, what
    became of each decision (overdue, done, stale, party left), and every decision in a table."""
    lines = review.headlines(counts)
    section = Section("decisions", "Decisions: what was decided, and what became of it", [f"{line}." for line in lines])
    table = review.table()
    if len(table):
        section.table(None, table)
    return section


def _changes(previous: Chain, chain: Chain) -> Section:
    """What changed since ``previous``: every orphan and single point of failure accounted for once.

    New orphans include teams added in this version; orphans that left the org
    are neither new nor resolved; a single point of failure whose teams lost
    their path is a loss, listed apart from the resolved ones (an improvement).
    """
    from valuechain.scenarios.changes import lost_single_points_explained

    d = previous.diff(chain)
    c = d.changes
    before, after = d.summary_before, d.summary_after
    added = set(d.parties_added["id"])
    new_added = int(c.new_orphans["id"].isin(added).sum())
    answer = (
        f"Orphaned teams: {before['orphans']:,} before, {after['orphans']:,} now ({len(c.resolved_orphans):,} "
        f"resolved, {len(c.new_orphans):,} new); single points of failure: {before['single_points_of_failure']:,} "
        f"before, {after['single_points_of_failure']:,} now."
    )
    section = Section("changes", "What changed since the previous version", [answer, *d.notes])
    section.paragraphs.append(
        f"Parties: {len(d.parties_added)} added, {len(d.parties_removed)} removed, "
        f"{d.parties_changed['id'].nunique()} changed. Hand-offs: {len(d.handoffs_added)} added, "
        f"{len(d.handoffs_removed)} removed, {len(d.handoffs_changed)} changed. "
        f"Orphans: {len(c.resolved_orphans)} resolved, {len(c.new_orphans)} new"
        + (f" ({new_added} of them added in this version)" if new_added else "")
        + f", {len(c.removed_orphans)} gone with the team (removed, or no longer a team): "
        f"{before['orphans']} before, {after['orphans']} now. "
        f"Loops: {len(c.resolved_loops)} resolved, {len(c.new_loops)} new, {len(c.removed_loops)} left the org, "
        f"{len(c.changed_loops)} changed."
    )
    spof = (
        f"Single points of failure: {len(c.resolved_single_points_of_failure)} resolved (the teams behind them "
        f"have another way now), {len(c.lost_single_points_of_failure)} lost (gone only because the teams behind "
        f"them lost their path to the customer: a loss, not an improvement), {len(c.new_single_points_of_failure)} "
        f"new, {len(c.removed_single_points_of_failure)} removed (the party left the org or is a customer now): "
        f"{before['single_points_of_failure']} before, {after['single_points_of_failure']} now."
    )
    section.paragraphs.append(spof)
    new = c.new_orphans.assign(**{ADDED_COLUMN.code: c.new_orphans["id"].isin(added)})
    for caption, frame, columns in (
        ("Orphans resolved: these teams now reach the customer (why they were orphans no longer holds)",
         c.resolved_orphans, WAS_ORPHAN),
        ("New orphans", new, {}),
        ("Removed orphans", c.removed_orphans, WAS_ORPHAN),
        ("New single points of failure", c.new_single_points_of_failure, {}),
        ("Lost single points of failure", lost_single_points_explained(c), GONE_SINGLE_POINTS),
        ("Single points of failure resolved", c.resolved_single_points_of_failure, GONE_SINGLE_POINTS),
        ("Single points of failure removed", c.removed_single_points_of_failure, GONE_SINGLE_POINTS),
    ):  # fmt: skip
        if len(frame):
            section.table(caption, frame, columns)
    review = chain.analyze().review
    if review is not None:  # what became of last review's decisions is part of what changed
        section.paragraphs.append(review.since())
        done = review.table(still_open=False)
        if len(done):
            section.table(BRIEF.review, done)
    return section
