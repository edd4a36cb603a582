"""The one-page brief a leader reads: the headline, the chain, and at most seven things to decide.

:func:`brief` gathers what the page says (a :class:`Brief`, independent of its format), :func:`render` lays it out
as one self-contained HTML page that prints on one landscape A4 sheet (``@page { size: A4 landscape }``), legible
in grey, and :func:`write` writes it as ``.html``, ``.pdf`` (printed by headless Chromium) or ``.png`` (Chromium's
screenshot of the whole page). Headings, reasons, next steps and labels come from :mod:`valuechain.vocabulary`,
sentences about one org's findings are put together here from them; every string from the user's files is escaped.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.exceptions import OutputError, ToolMissing
from valuechain.explain import listing, spof_details
from valuechain.report.content import Section
from valuechain.report.safe import escape
from valuechain.vocabulary import (
    BRIEF,
    FACTS,
    FINDING_NEXT_STEP,
    DecisionStatus,
    Finding,
    Reason,
    accepted_and_to_act_on,
    amount,
    counted,
    percent,
)
from valuechain.vocabulary import Decision as Decided

if TYPE_CHECKING:
    from collections.abc import Iterable

    import plotly.graph_objects as go

    from valuechain.decisions import Review
    from valuechain.model import Chain

#: The formats :func:`write` writes, by extension.
BRIEF_FORMATS = (".html", ".pdf", ".png")
#: Things to decide on one page, at most.
MOST_DECISIONS = 7
#: Departments named in one decision, and teams named per department, before "and N more".
MOST_DEPARTMENTS = 5
MOST_TEAMS = 4
#: Single points of failure and loops offered as decisions, at most (the full report lists them all).
MOST_SINGLE_POINTS = 2
MOST_LOOPS = 2
#: Names in one sentence of what changed, before "and N more".
MOST_CHANGED = 6
#: The page at 96 pixels per inch: A4 landscape (297 mm by 210 mm).
PAGE_PIXELS = (1123, 794)
#: The most room the chain picture takes on the page, in pixels (width, height): the figure is drawn at its own
#: size (its labels are laid out for it) and scaled down to fit.
FIGURE_PIXELS = (640, 560)
#: The width a figure without one of its own is drawn at (the width its labels are laid out for).
DRAWN_WIDTH = 1000


@dataclass(frozen=True)
class Fact:
    """One number of the headline: its label (from :data:`valuechain.vocabulary.FACTS`), value and share."""

    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Decision:
    """One thing to decide: what it is about, how many teams it concerns (its rank), and the next step.

    ``lines`` name who is concerned (``"Finance: Internal audit and Controlling"``); ``teams`` are the
    names of the teams those lines list.
    """

    finding: Finding
    title: str
    size: int
    sentence: str
    lines: tuple[str, ...]
    next_step: str
    teams: tuple[str, ...] = ()


@dataclass
class Brief:
    """What the one-page brief says, independent of its format.

    Attributes
    ----------
    title : str
        The page's title.
    headline : str
        One sentence: how many teams have a line of sight to the customer.
    facts : list of Fact
        The headline's numbers: teams with line of sight, orphaned teams, and people and cost in orphaned teams
        when the parties table gives them.
    decisions : list of Decision
        At most seven, largest first.
    left_off : str
        What the page leaves to the full report ("And 20 more single points of failure..."), or "".
    improved, worse : list of str
        With a previous version: what improved and what got worse.
    review : list of str
        With review decisions: what became of them (overdue, done, stale, whose team left), a sentence each.
    figure : plotly.graph_objects.Figure or None
        The chain picture (``chain.plot()``), sized to the page.
    """

    title: str
    headline: str
    facts: list[Fact]
    decisions: list[Decision]
    left_off: str = ""
    compared: bool = False
    improved: list[str] = field(default_factory=list)
    worse: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    figure: go.Figure | None = None

    @property
    def teams_named(self) -> list[str]:
        """Every team the decisions name, in order (the orphans, the teams behind a single point of failure...)."""
        return [name for decision in self.decisions for name in decision.teams]

    @property
    def orphans_named(self) -> list[str]:
        """The orphaned teams the page names."""
        return [name for d in self.decisions if d.finding is Finding.ORPHAN for name in d.teams]


def brief(chain: Chain, previous: Chain | None = None, *, title: str | None = None, figure: bool = True) -> Brief:
    """What the one-page brief of ``chain`` says.

    Parameters
    ----------
    chain : Chain
        The org as it is now.
    previous : Chain, optional
        An earlier version: the brief says what improved and what got worse since.
    title : str, optional
        The page's title (by default "Value chain brief").
    figure : bool
        Draw the chain (``chain.plot()``); ``False`` leaves the picture out (for a quick look at the words).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> page = brief(chain, figure=False)
    >>> page.headline
    '53 of 75 teams (71%) have a line of sight to the external customer; 22 are orphaned.'
    >>> [d.title for d in page.decisions][:2]
    ['Central warehouse (Supply Chain): 27 teams hang on it', 'Preference only: 8 orphaned teams, 26 people']
    >>> len(page.decisions) <= 7
    True
    """
    s = chain.analyze().summary
    teams, connected, orphans = s.teams, s.connected, s.orphans
    headline = (
        f"{connected:,} of {teams:,} teams ({percent(connected, teams)}) have a line of sight to the external "
        f"customer; {orphans:,} {'is' if orphans == 1 else 'are'} orphaned."
    )
    review = chain.analyze().review
    if review is not None and s.decided is not None:
        # honest: the orphans accepted by design are counted in, and said apart from those to act on
        accepted = review.accepted(Finding.ORPHAN.value)
        if orphans:
            headline = headline[:-1] + f": {accepted_and_to_act_on(accepted, orphans)}."
        headline += f" {review.tally(s)}."
    facts = [
        Fact(FACTS["connected"].label, f"{connected:,} of {teams:,}", percent(connected, teams)),
        Fact(FACTS["orphans"].label, f"{orphans:,}", percent(orphans, teams)),
    ]
    if s.orphan_headcount is not None and s.total_headcount is not None:
        facts.append(
            Fact(
                FACTS["orphan_headcount"].label,
                f"{amount(s.orphan_headcount)} of {amount(s.total_headcount)}",
                percent(s.orphan_headcount, s.total_headcount),
            )
        )
    if s.orphan_cost is not None and s.total_cost is not None:
        facts.append(
            Fact(
                FACTS["orphan_cost"].label,
                f"{amount(s.orphan_cost)} of {amount(s.total_cost)}",
                percent(s.orphan_cost, s.total_cost),
            )
        )
    decisions, left_off = _decisions(chain)
    page = Brief(title or BRIEF.title, headline, facts, decisions, left_off)
    if previous is not None:
        page.compared = True
        page.improved, page.worse = _changes(previous, chain)
    page.review = _review(chain, previous)
    if figure:
        page.figure = _figure(chain)
    return page


def _decisions(chain: Chain) -> tuple[list[Decision], str]:
    """At most seven things to decide (every kind of orphan first, then the largest of the rest), largest first.

    Every reason orphans have is a decision (there are five reasons); then the single point of failure with most
    teams behind it and the largest loop to turn into a partnership, each if there is one; then the largest of the
    rest.
    """
    orphans = _orphan_decisions(chain)
    single_points, more_single_points = _single_point_decisions(chain)
    loops, more_loops = _loop_decisions(chain)
    chosen = orphans[:MOST_DECISIONS]
    rest: list[Decision] = []
    for group in (single_points, loops):
        if group and len(chosen) < MOST_DECISIONS:
            chosen.append(group[0])
            rest += group[1:]
        else:
            rest += group
    rest.sort(key=lambda d: -d.size)
    room = MOST_DECISIONS - len(chosen)
    chosen += rest[:room]
    unlisted = {Finding.SINGLE_POINT_OF_FAILURE: more_single_points, Finding.LOOP: more_loops}
    for decision in rest[room:]:
        unlisted[decision.finding] += 1
    order = [Finding.ORPHAN, Finding.SINGLE_POINT_OF_FAILURE, Finding.LOOP]
    chosen.sort(key=lambda d: (-d.size, order.index(d.finding)))
    more = [finding.counted(n).replace(" ", " more ", 1) for finding, n in unlisted.items() if n]
    left_off = f"{BRIEF.not_here}: {listing(more)}." if more else ""
    return chosen, left_off


def _orphan_decisions(chain: Chain) -> list[Decision]:
    """One decision per reason orphans have, naming the teams grouped by department (largest first)."""
    found = chain.analyze()
    table = found.orphans
    if found.review is not None:  # only what is undecided or overdue is still to decide
        review = found.review
        table = table[[review.to_decide(Finding.ORPHAN.value, [i]) for i in table["id"]]]
    if table.empty:
        return []
    names = dict(zip(chain.parties["id"], chain.parties["name"].astype(str)))
    table = table.assign(
        name=table["id"].map(names),
        department=table["group"].astype(object).where(table["group"].notna(), BRIEF.no_department).astype(str),
    )
    out = []
    for reason in Reason:
        rows = table[table["reason"] == reason.code]
        if rows.empty:
            continue
        counts = rows["department"].value_counts()
        departments = sorted(counts.index, key=lambda d: (-counts[d], d))
        lines, teams = [], []
        for department in departments[:MOST_DEPARTMENTS]:
            here = rows[rows["department"] == department]
            members = here["name"].tolist()
            said = [f"{name}{_overdue(found.review, Finding.ORPHAN, [i])}" for name, i in zip(members, here["id"])]
            lines.append(f"{department}: {listing(said, most=MOST_TEAMS)}")
            teams += members[:MOST_TEAMS]
        if len(departments) > MOST_DEPARTMENTS:
            unnamed = int(counts[departments[MOST_DEPARTMENTS:]].sum())
            lines.append(
                f"and {unnamed:,} more {'team' if unnamed == 1 else 'teams'} in "
                f"{len(departments) - MOST_DEPARTMENTS:,} more departments"
            )
        title = f"{reason.title}: {Finding.ORPHAN.counted(len(rows))}"
        if "headcount" in rows.columns and rows["headcount"].notna().any():
            people = float(rows["headcount"].sum())
            title += f", {amount(people)} {'person' if people == 1 else 'people'}"
        sentence = f"{'The team' if len(rows) == 1 else 'Each team'} {reason.sentence}."
        out.append(Decision(Finding.ORPHAN, title, len(rows), sentence, tuple(lines), reason.next_step, tuple(teams)))
    return out


def _overdue(review: Review | None, finding: Finding, members: Iterable[str]) -> str:
    """`` (overdue: stop, due 2026-06-30)`` for a finding whose decision is overdue, else nothing: why a decided
    finding is on the list of things to decide."""
    key = (finding.value, tuple(sorted(str(m) for m in members)))
    if review is None or key not in review.overdue_keys:
        return ""
    row = review.matched[key]
    return f" ({DecisionStatus.OVERDUE.short}: {Decided(row['decision']).label.lower()}, due {row['due']})"


def _single_point_decisions(chain: Chain) -> tuple[list[Decision], int]:
    """The single points of failure with most teams behind them, and how many more there are."""
    spof = spof_details(chain, most=MOST_CHANGED)
    review = chain.analyze().review
    if review is not None:
        spof = spof[[review.to_decide(Finding.SINGLE_POINT_OF_FAILURE.value, [i]) for i in spof["id"]]]
    out = []
    for row in spof.head(MOST_SINGLE_POINTS).itertuples(index=False):
        dependents = int(row.dependents)
        group = "" if pd.isna(row.group) else f" ({row.group})"
        title = f"{row.name}{group}: {dependents:,} {'team hangs' if dependents == 1 else 'teams hang'} on it"
        title += _overdue(review, Finding.SINGLE_POINT_OF_FAILURE, [row.id])
        sentence = "If it stopped, these teams would lose their line of sight: " + str(row.teams) + "."
        behind = [n for n in chain.analyze().nearest_dependents(row.id, MOST_CHANGED)]
        names = dict(zip(chain.parties["id"], chain.parties["name"].astype(str)))
        out.append(
            Decision(
                Finding.SINGLE_POINT_OF_FAILURE,
                title,
                dependents,
                sentence,
                (),
                FINDING_NEXT_STEP[Finding.SINGLE_POINT_OF_FAILURE],
                tuple(names[t] for t in behind),
            )
        )
    return out, max(0, len(spof) - MOST_SINGLE_POINTS)


def _loop_decisions(chain: Chain) -> tuple[list[Decision], int]:
    """The largest loops whose teams are not all orphans already listed, to turn into service partnerships."""
    found = chain.analyze()
    orphaned = set(found.orphans["id"])
    loops = found.loops.assign(number=range(len(found.loops)))
    loops = loops[np.array([not set(m) <= orphaned for m in loops["members"]], dtype=bool)]
    if found.review is not None:
        review = found.review
        loops = loops[np.array([review.to_decide(Finding.LOOP.value, m) for m in loops["members"]], dtype=bool)]
    loops = loops.sort_values(["size", "number"], ascending=[False, True], kind="stable")
    names = dict(zip(chain.parties["id"], chain.parties["name"].astype(str)))
    kinds = dict(zip(chain.parties["id"], chain.parties["kind"]))
    out = []
    for members, size, connected in zip(
        loops["members"].head(MOST_LOOPS), loops["size"].head(MOST_LOOPS), loops["connected"].head(MOST_LOOPS)
    ):
        who = "teams" if all(kinds.get(m) == "team" for m in members) else "parties"
        reaches = "reaches the customer" if connected else "does not reach the customer"
        title = (
            f"A loop of {int(size):,} {who} that depend on each other{_overdue(found.review, Finding.LOOP, members)}"
        )
        sentence = f"The loop {reaches}: {listing([names[m] for m in members], most=12)}."
        teams = tuple(names[m] for m in list(members)[:12])
        out.append(Decision(Finding.LOOP, title, int(size), sentence, (), FINDING_NEXT_STEP[Finding.LOOP], teams))
    return out, max(0, len(loops) - MOST_LOOPS)


def _review(chain: Chain, previous: Chain | None) -> list[str]:
    """What became of the review decisions, overdue first, then those in hand (decided, the finding still there;
    accepted ones are in the headline): a sentence per status, naming the teams.

    Examples
    --------
    >>> import valuechain as vc
    >>> last = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> now = vc.load("data/midsize-reorganised/handoffs.csv", parties="data/midsize-reorganised/parties.csv")
    >>> now = now.with_decisions("data/midsize/decisions.csv", previous=last, as_of="2026-07-01")
    >>> print("\\n".join(_review(now, last)))  # doctest: +NORMALIZE_WHITESPACE
    Overdue: past its due date and the finding is still there: 1 decision,
        CRM administration (connect, Head of sales, due 2026-06-30).
    Decided, finding still there: 4 decisions, Policy office (investigate, General counsel, due 2026-09-30),
        the loop of Board secretariat, Strategy office, Controlling and Management reporting (partnership, CEO,
        due 2026-09-30), the mutual pair of Field service and Spare parts desk (partnership, Head of service)
        and Central warehouse (redundancy, Head of supply chain, due 2026-12-31).
    Done: the finding is gone: 2 decisions, Wellbeing programme (stop, CHRO) and Legacy reports (merge, CIO).
    Accepted, but the finding is gone: the row can go: 1 decision, Tax (accepted by design, CFO).
    Its party left the org: 1 decision, Lean office (stop, COO).
    """
    review = chain.analyze().review
    if review is None:
        return []
    names = dict(zip(chain.parties["id"], chain.parties["name"].astype(str)))
    if previous is not None:
        names = {**dict(zip(previous.parties["id"], previous.parties["name"].astype(str))), **names}
    lines = []
    # decided and still there, not overdue: what is in hand (findings accepted by design are in the headline)
    in_hand = [f for f in review.in_hand() if f["decision"] != Decided.ACCEPT.value]
    for status in (DecisionStatus.OVERDUE, DecisionStatus.OPEN, DecisionStatus.DONE, DecisionStatus.STALE,
                   DecisionStatus.PARTY_REMOVED):  # fmt: skip
        rows = in_hand if status is DecisionStatus.OPEN else review.statuses.get(status.value, [])
        if rows:
            said = []
            for row in rows:
                finding = Finding(row["finding"])
                if finding in (Finding.LOOP, Finding.MUTUAL_PAIR):  # "the loop of A, B and C"
                    members = [names.get(m, m) for m in str(row["id"]).split(";")]
                    who = f"the {finding.one.lower()} of {listing(members, most=12)}"
                else:  # one party, whose id may hold a ';'
                    who = names.get(str(row["id"]), str(row["id"]))
                how = [Decided(row["decision"]).label.lower(), row["owner"] or ""]
                dated = status in (DecisionStatus.OVERDUE, DecisionStatus.OPEN)
                how.append(f"due {row['due']}" if dated and row["due"] else "")
                said.append(f"{who} ({', '.join(h for h in how if h)})")
            lines.append(f"{status.label}: {counted(len(rows), 'decision')}, {listing(said, most=MOST_CHANGED)}.")
    return lines


def _changes(previous: Chain, chain: Chain) -> tuple[list[str], list[str]]:
    """What improved and what got worse since ``previous``, a sentence each."""
    d = previous.diff(chain)
    c = d.changes
    before, after = d.summary_before, d.summary_after
    improved: list[str] = []
    worse: list[str] = []
    label = FACTS["connected"].label
    line = f"{label}: {before.connected:,} of {before.teams:,} before, {after.connected:,} of {after.teams:,} now."
    share_before = before.connected / before.teams if before.teams else 0
    share_after = after.connected / after.teams if after.teams else 0
    if share_after > share_before:
        improved.append(line)
    elif share_after < share_before:
        worse.append(line)

    def names(frame: pd.DataFrame) -> str:
        return listing(frame["name"].astype(str).tolist(), most=MOST_CHANGED)

    if len(c.resolved_orphans):
        n = len(c.resolved_orphans)
        improved.append(
            f"{Finding.ORPHAN.counted(n)} now {'reaches' if n == 1 else 'reach'} the customer: "
            f"{names(c.resolved_orphans)}."
        )
    if len(c.new_orphans):
        worse.append(f"{Finding.ORPHAN.counted(len(c.new_orphans))}, new: {names(c.new_orphans)}.")
    party_names = {
        **dict(zip(previous.parties["id"], previous.parties["name"].astype(str))),
        **dict(zip(chain.parties["id"], chain.parties["name"].astype(str))),
    }
    spof = Finding.SINGLE_POINT_OF_FAILURE
    for frame, words, into in (
        (c.resolved_single_points_of_failure, "resolved (the teams behind them have another way now)", improved),
        (c.new_single_points_of_failure, "new", worse),
        (c.lost_single_points_of_failure, "gone because the teams behind them lost their path", worse),
    ):
        if len(frame):  # most teams behind first, so that the largest is never in "and N more"
            if "dependents" in frame:
                frame = frame.sort_values(["dependents", "id"], ascending=[False, True], kind="stable")
            who = listing([party_names.get(p, str(p)) for p in frame["id"]], most=MOST_CHANGED)
            into.append(f"{spof.counted(len(frame))}, {words}: {who}.")
    for frame, words, into in ((c.resolved_loops, "resolved", improved), (c.new_loops, "new", worse)):
        if len(frame):
            loops = [listing([party_names.get(p, str(p)) for p in m], most=4) for m in frame["members"]]
            into.append(f"{Finding.LOOP.counted(len(frame))}, {words}: " + "; ".join(loops[:3]) + ".")
    return improved, worse


def _figure(chain: Chain) -> go.Figure:
    """``chain.plot()`` at its own size (a width where it has none, so its labels stay apart), on white."""
    fig = chain.plot()
    fig.update_layout(
        width=fig.layout.width or DRAWN_WIDTH,
        height=fig.layout.height or 600,
        autosize=False,
        paper_bgcolor="white",
    )
    return fig


def scale(figure: go.Figure, room: tuple[int, int] = FIGURE_PIXELS) -> float:
    """How much ``figure`` is scaled down to fit ``room`` (width, height, pixels); never up.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> scale(go.Figure(layout={"width": 1000, "height": 1400}))
    0.4
    """
    width, height = figure.layout.width or DRAWN_WIDTH, figure.layout.height or 600
    return min(1.0, room[0] / width, room[1] / height)


def as_section(page: Brief) -> Section:
    """The brief as the first section of a text report (Markdown): the headline, its numbers and the decisions.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> as_section(brief(chain, figure=False)).paragraphs[0]
    '5 of 7 teams (71%) have a line of sight to the external customer; 2 are orphaned.'
    """
    section = Section("brief", page.title, [page.headline])
    facts = [f"{fact.label}: {fact.value}" + (f" ({fact.detail})" if fact.detail else "") for fact in page.facts]
    section.paragraphs.append("; ".join(facts) + ".")
    if not page.decisions:
        section.paragraphs.append(BRIEF.nothing_to_decide)
    for number, decision in enumerate(page.decisions, 1):
        lines = "; ".join(decision.lines)
        section.paragraphs.append(
            f"{number}. {decision.title}. {decision.sentence}"
            + (f" {lines}." if lines else "")
            + f" {BRIEF.next_step}: {decision.next_step}"
        )
    if page.left_off:
        section.paragraphs.append(page.left_off)
    if page.compared and not page.improved and not page.worse:
        section.paragraphs.append(BRIEF.no_change)
    for heading, said in ((BRIEF.improved, page.improved), (BRIEF.worse, page.worse), (BRIEF.review, page.review)):
        if said:
            section.paragraphs.append(f"{heading}: " + " ".join(said))
    return section


# --- the page -----------------------------------------------------------------------------------------------

#: The brief page's own styles, every rule inside ``.brief`` (the full report opens with the page too); a named
#: page (``page: brief``) prints it landscape, with no margin.
STYLE = """
@page brief { size: A4 landscape; margin: 0; }
.brief, .brief * { box-sizing: border-box; }
.brief { width: 297mm; height: 210mm; padding: 7mm 9mm 6mm; overflow: hidden; display: flex; flex-direction: column;
         background: #fff; color: #000; page: brief;
         font-family: "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif; line-height: 1.3;
         font-variant-ligatures: none; font-feature-settings: "liga" 0;
         -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.brief header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid #000; }
.brief h1 { font-size: 15pt; margin: 0 0 1mm; }
.brief .meta { font-size: 7.5pt; color: #333; margin: 0; }
.brief .answer { font-size: 12.5pt; font-weight: 700; margin: 2mm 0 1.5mm; }
.brief .facts { display: flex; gap: 3mm; margin: 0 0 2mm; }
.brief .fact { flex: 1; border: 1px solid #000; padding: 1mm 2mm; }
.brief .fact .label { font-size: 7.5pt; display: block; }
.brief .fact .value { font-size: 11.5pt; font-weight: 700; white-space: nowrap; }
.brief .fact .share { font-size: 9pt; margin-left: 1.5mm; }
.brief main { flex: 1; display: flex; gap: 4mm; min-height: 0; }
.brief .chain { flex: 0 0 auto; }
.brief .scaled { transform-origin: 0 0; }
.brief h2 { font-size: 9pt; margin: 0 0 1mm; border: none; padding: 0; }
.brief .figure { border: 1px solid #999; margin: 0; overflow: hidden; box-sizing: content-box; }
.brief .decide { flex: 1; min-width: 0; overflow: hidden; font-size: 9pt; line-height: 1.25; }
.brief .decide ol { margin: 0; padding-left: 5mm; }
.brief .decide li { margin: 0 0 1.3mm; break-inside: avoid; }
.brief .decide .title { font-weight: 700; }
.brief .decide .lines { margin: 0; padding-left: 3mm; list-style: none; }
.brief .decide .lines li { margin: 0; }
.brief .decide .next { font-style: italic; }
.brief .decide h3 { font-size: 8.5pt; margin: 1.5mm 0 .5mm; }
.brief .decide ul.changes { margin: 0; padding-left: 4mm; }
.brief .decide .left-off { margin: .5mm 0; }
.brief .foot { font-size: 7pt; color: #333; border-top: 1px solid #999; padding-top: .8mm; margin: 1.5mm 0 0; }
@media screen and (min-width: 1200px) {
  .brief { margin: 12px auto; box-shadow: 0 1px 6px rgba(0, 0, 0, .35); }
}
"""

#: The styles of the brief as a document of its own: one landscape A4 sheet, the page on grey on a wide screen.
DOCUMENT_STYLE = """
@page { size: A4 landscape; margin: 0; }
html, body { margin: 0; padding: 0; background: #fff; }
@media screen and (min-width: 1200px) { html, body { background: #e6e6e6; } }
"""

#: Fits the page to its sheet, so it stays one page with nothing drawn over anything: the chain picture is scaled
#: down further where the headline or the picture's heading take more lines than planned (it would run over the
#: note at the foot), then the list of decisions shrinks until it fits its column (a long org's names).
FIT = """
(function () {
  var main = document.querySelector(".brief main");
  var figure = document.querySelector(".brief .chain .figure");
  if (main && figure) {
    var chain = figure.parentNode, inner = figure.firstChild;
    var width = +figure.dataset.width, height = +figure.dataset.height, k = +figure.dataset.scale;
    for (var tries = 0; tries < 6; tries++) {
      var over = figure.getBoundingClientRect().bottom - main.getBoundingClientRect().bottom;
      if (over <= 0.5 || height * k <= over) { break; }
      k = k * (height * k - over - 1) / (height * k);
      figure.style.width = (width * k).toFixed(0) + "px";
      figure.style.height = (height * k).toFixed(0) + "px";
      inner.style.transform = "scale(" + k.toFixed(4) + ")";
      chain.style.width = (width * k + 2).toFixed(0) + "px";
    }
  }
  var box = document.querySelector(".brief .decide");
  if (!box) { return; }
  var size = 9;
  while (box.scrollHeight > box.clientHeight + 1 && size > 5.5) {
    size -= 0.25;
    box.style.fontSize = size + "pt";
  }
})();
"""


def render(page: Brief, *, when: dt.datetime | None = None) -> str:
    """The brief as one self-contained HTML page (Plotly's JavaScript inlined, nothing fetched).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> html = render(brief(chain, figure=False))
    >>> "@page { size: A4 landscape" in html, "Bookkeeping" in html
    (True, True)
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(page.title)}</title>",
        f"<style>{DOCUMENT_STYLE}{STYLE}</style>",
    ]
    if page.figure is not None:
        from plotly.offline import get_plotlyjs

        parts.append(f'<script type="text/javascript">{get_plotlyjs()}</script>')
    parts += ["</head><body>", fragment(page, when=when), f"<script>{FIT}</script>", "</body></html>"]
    return "\n".join(parts)


def fragment(page: Brief, *, when: dt.datetime | None = None) -> str:
    """The brief's page as an HTML ``<div class="brief">`` (the full report opens with it): needs :data:`STYLE`,
    then :data:`FIT` after it, and Plotly's JavaScript loaded before it when the page has the chain picture.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> fragment(brief(chain, figure=False)).startswith('<div class="brief">')
    True
    """
    when = when or dt.datetime.now(dt.UTC)
    parts = [
        '<div class="brief">',
        f"<header><h1>{escape(page.title)}</h1>"
        f'<p class="meta">Written by valuechain on {when.strftime("%Y-%m-%d %H:%M UTC")}</p></header>',
        f'<p class="answer">{escape(page.headline)}</p>',
        '<div class="facts">',
    ]
    for fact in page.facts:
        share = f'<span class="share">({escape(fact.detail)})</span>' if fact.detail else ""
        parts.append(
            f'<div class="fact"><span class="label">{escape(fact.label)}</span>'
            f'<span class="value">{escape(fact.value)}</span>{share}</div>'
        )
    parts += ["</div>", "<main>"]
    if page.figure is not None:
        figure = page.figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            config={"displaylogo": False, "displayModeBar": False, "responsive": False},
        )
        width, height = page.figure.layout.width or DRAWN_WIDTH, page.figure.layout.height or 600
        k = scale(page.figure)
        shown = f"width:{width * k:.0f}px;height:{height * k:.0f}px"
        parts.append(
            f'<section class="chain" style="width:{width * k + 2:.0f}px"><h2>{escape(BRIEF.chain)}</h2>'
            f'<div class="figure" style="{shown}" data-width="{width}" data-height="{height}" data-scale="{k:.4f}">'
            f'<div class="scaled" style="width:{width}px;'
            f'transform:scale({k:.4f})">{figure}</div></div></section>'
        )
    parts.append(f'<section class="decide"><h2>{escape(BRIEF.decide)}</h2>')
    if page.decisions:
        parts.append("<ol>")
        for decision in page.decisions:
            lines = "".join(f"<li>{escape(line)}</li>" for line in decision.lines)
            parts.append(
                f'<li><span class="title">{escape(decision.title)}.</span> {escape(decision.sentence)}'
                + (f'<ul class="lines">{lines}</ul>' if lines else " ")
                + f'<span class="next">{escape(BRIEF.next_step)}: {escape(decision.next_step)}</span></li>'
            )
        parts.append("</ol>")
    else:
        parts.append(f"<p>{escape(BRIEF.nothing_to_decide)}</p>")
    if page.left_off:
        parts.append(f'<p class="left-off">{escape(page.left_off)}</p>')
    if page.compared:
        if not page.improved and not page.worse:
            parts.append(f"<p>{escape(BRIEF.no_change)}</p>")
        for heading, said in ((BRIEF.improved, page.improved), (BRIEF.worse, page.worse)):
            if said:
                items = "".join(f"<li>{escape(line)}</li>" for line in said)
                parts.append(f'<h3>{escape(heading)}</h3><ul class="changes">{items}</ul>')
    if page.review:
        items = "".join(f"<li>{escape(line)}</li>" for line in page.review)
        parts.append(f'<h3>{escape(BRIEF.review)}</h3><ul class="changes">{items}</ul>')
    parts += [
        "</section>",
        "</main>",
        f'<p class="foot">{escape(BRIEF.orphaned)} {escape(BRIEF.details)}</p>',
        "</div>",
    ]
    return "\n".join(parts)


def write(chain: Chain, path: str | Path, previous: Chain | None = None, title: str | None = None) -> Path:
    """Write the one-page brief: ``.html``, ``.pdf`` (one landscape A4 page) or ``.png`` (that page, as an image).

    PDF and PNG are made by headless Chromium (as :mod:`valuechain.report.pdf`); without it they raise
    :class:`~valuechain.exceptions.ToolMissing`, saying what to install, and the HTML brief still works.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> write(chain, "brief.pdf")  # doctest: +SKIP
    PosixPath('brief.pdf')
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in BRIEF_FORMATS:
        raise OutputError(f"cannot write a brief to '{path.name}': use a {', '.join(BRIEF_FORMATS)} file name")
    if suffix != ".html":
        _browser(suffix)  # before the work: say what is missing at once
    html = render(brief(chain, previous, title=title))
    if suffix == ".html":
        path.write_text(html, encoding="utf-8")
        return path
    if suffix == ".pdf":
        from valuechain.report.pdf import html_to_pdf

        return html_to_pdf(html, path)
    return html_to_png(html, path)


def brief_bytes(chain: Chain, fmt: str, previous: Chain | None = None, title: str | None = None) -> bytes:
    """The brief as bytes in ``fmt``: ``html``, ``pdf`` or ``png`` (the dashboard's downloads).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> brief_bytes(chain, "html")[:15]
    b'<!DOCTYPE html>'
    """
    suffix = "." + fmt.lower().lstrip(".")
    with tempfile.TemporaryDirectory() as folder:
        return write(chain, Path(folder) / f"brief{suffix}", previous, title).read_bytes()


def _browser(suffix: str) -> str:
    from valuechain.report.pdf import find_chromium

    browser = find_chromium()
    if browser is None:
        what = "a PDF" if suffix == ".pdf" else "a PNG"
        raise ToolMissing(
            f"writing the brief as {what} needs Chromium or Chrome: on Debian 'apt-get install chromium', elsewhere "
            "set BROWSER_PATH; or write the brief as .html and print it from a browser"
        )
    return browser


def html_to_png(html: str, path: str | Path, *, scale: float = 2, timeout: float = 120) -> Path:
    """Chromium's screenshot of the whole A4 landscape page of ``html``, at ``scale`` times 96 pixels per inch.

    Examples
    --------
    >>> html_to_png("<p>brief</p>", "brief.png")  # doctest: +SKIP
    PosixPath('brief.png')
    """
    browser = _browser(".png")
    path = Path(path).resolve()
    width, height = PAGE_PIXELS
    flags = [
        "--hide-scrollbars", f"--window-size={width},{height}", f"--force-device-scale-factor={scale}",
        f"--screenshot={path}",
    ]  # fmt: skip
    from valuechain.report.pdf import run_headless

    return run_headless(browser, html, path, flags, "Chromium could not take the brief's picture", timeout)
