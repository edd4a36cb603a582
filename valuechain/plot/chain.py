"""The chain figure: every party and hand-off, customers on the right, and its focus views.

A handful of WebGL traces carry every party and hand-off (one trace per
status and per kind of hand-off, never one per edge), so the figure stays
fast up to a few thousand parties; above ``max_parties`` it draws
departments or distance layers instead (:mod:`valuechain.plot.scale`).

Focus views fade everything else and draw one thing on top: a team's paths
to the customer (``focus``), one loop (``loop``) or one department
(``department``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy.sparse.csgraph import breadth_first_order

from valuechain.algorithms import Reversed, adjacency
from valuechain.analysis import EdgeSets
from valuechain.exceptions import NotFound, PartyNotFound
from valuechain.plot.labels import ALL_UP_TO, MOST_LABELS, Frame
from valuechain.plot.layout import layout
from valuechain.plot.names import Names, name_labels, plan_labels, resolve_party
from valuechain.plot.scale import MAX_PARTIES, drawn_chain, drawn_units
from valuechain.plot.style import (
    FADED,
    HIGHLIGHT,
    MOST_NAMED_SIZE,
    MOST_SIZE,
    OUTLINE,
    esc,
    finish,
    hover_text,
    marker_sizes,
    status,
)
from valuechain.vocabulary import LOOKS, Handoff, Reason, look

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Hand-offs drawn as lines at most: beyond, a figure is a blur (and megabytes for the browser to draw). Each
#: line and its arrowhead are SVG the browser draws twice in the dashboard (Streamlit redraws every chart once):
#: at 10,000 parties 1,000 lines take 0.21 s a draw in headless Chromium, 2,000 took 0.39 s (benchmarks/DASHBOARD.md).
MOST_LINES = 1000
LABELLED = ALL_UP_TO  # up to this many parties every name is written on the figure; above, the most important


@dataclass
class Highlight:
    """What a focus view draws on top: parties, hand-offs (edge positions), an optional bold path, words."""

    parties: np.ndarray
    edges: np.ndarray
    colour: str
    name: str
    path: np.ndarray | None = None
    note: str = ""


def chain_figure(
    chain: Chain,
    focus: str | None = None,
    loop: int | str | None = None,
    department: str | None = None,
    expand: str | None = None,
    max_parties: int = MAX_PARTIES,
    title: str | None = None,
    labels: bool | None = None,
) -> go.Figure:
    """The chain as a layered Plotly figure, customers on the right.

    Parameters
    ----------
    chain : Chain
    focus : str, optional
        A party id (or, when it is no id, a party's name): its hand-offs on
        every essential path to the customer are drawn on top, the shortest
        bold, and the names of the parties on them in bold; for an orphan,
        where its work goes.
    loop : int or str, optional
        A loop (its number in ``chain.analyze().loops``, or any member's id):
        its members and the hand-offs between them are drawn on top.
    department : str, optional
        A group: its parties and their hand-offs are drawn on top.
    expand : str, optional
        When the org is drawn by department or layer: one of those units to
        draw party by party.
    max_parties : int
        Above this many parties, draw departments (or distance layers).
    title : str, optional
    labels : bool, optional
        ``False``: no names on the figure. Otherwise (the default) every
        party's name is written right of its marker up to ``LABELLED`` (150)
        parties, wrapped and, when it must be, shortened (full name on
        hover), none overlapping another or a marker at 940 px wide or wider;
        above, at most 40 names by priority (:func:`label_priority`). Names
        are SVG annotations named ``"party name"``.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces carry ``meta``: ``"parties"`` (``customdata`` holds the ids),
        ``"edges"``, ``"arrows"``, ``"highlight"`` and ``"path"``.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> fig = chain_figure(chain)
    >>> sum(len(t.x) for t in fig.data if t.meta == "parties")
    10
    >>> [t.name for t in chain_figure(chain, focus="purchasing").data if t.meta == "path"]
    ['Shortest path of Purchasing to the customer']
    """
    if focus is not None:
        focus = resolve_party(chain, focus)
    if len(chain.parties) > max_parties or expand is not None:
        return _units_figure(chain, focus, loop, department, expand, max_parties, title, labels)
    found = chain.analyze()
    pos = layout(chain)
    x, y = pos["x"].to_numpy(), pos["y"].to_numpy()
    edges = EdgeSets.of(chain)
    marks = [m for m in (_focus(chain, focus), _loop(chain, loop), _department(chain, department)) if m is not None]
    faded = bool(marks)

    named = labels is not False and len(x) <= ALL_UP_TO
    size = marker_sizes(found.parties["dependents"].to_numpy(), MOST_NAMED_SIZE if named else MOST_SIZE)
    emphasis = np.zeros(len(x), dtype=bool)
    for mark in marks:
        emphasis[mark.parties] = True
    names = Names(
        names=[str(n) for n in chain.parties["name"]],
        x=x,
        y=y,
        size=size,
        emphasis=emphasis,
        priority=label_priority(chain, [m.parties for m in marks], focus),
        faded=faded,
    )
    plan = plan_labels(names, labels)
    tip = Tip(plan.frame, size / 2)

    fig = go.Figure()
    loop_of = found.parties["loop"].to_numpy(dtype=float)
    lines = drawn_lines(edges.source, edges.target, x)
    for handoff, mask in handoff_kinds(edges, loop_of).items():
        if (mask & lines).any():
            fig.add_trace(
                _lines(
                    x, y, edges.source[mask & lines], edges.target[mask & lines],
                    handoff.legend, handoff.colour, handoff.dash, 1.2, "edges", faded,
                )
            )  # fmt: skip
    if lines.any():
        fig.add_trace(_arrows(x, y, edges.source[lines], edges.target[lines], "#7F7F7F", faded, tip=tip))

    kind = status(chain)
    in_loop = ~np.isnan(loop_of)
    hover = hover_text(chain, found, kind)
    for drawn in LOOKS:
        mask = kind == drawn.value
        if mask.any():
            fig.add_trace(
                go.Scattergl(
                    x=x[mask],
                    y=y[mask],
                    mode="markers",
                    name=drawn.legend,
                    hovertext=hover[mask],
                    hovertemplate="%{hovertext}<extra></extra>",
                    marker={
                        "symbol": drawn.shape,
                        "color": drawn.colour,
                        "size": size[mask],
                        "opacity": FADED if faded else 1.0,
                        "line": {
                            "color": np.where(in_loop[mask], Reason.CLOSED_LOOP.colour, OUTLINE),
                            "width": np.where(in_loop[mask], 3, 1),
                        },
                    },
                    customdata=chain.arrays.ids[mask],
                    meta="parties",
                )
            )
    for mark in marks:
        _draw(fig, mark, x, y, edges, kind, size, hover, chain.arrays.ids, tip)

    notes = " ".join(m.note for m in marks if m.note)
    if not lines.all():
        notes = (
            f"{int(lines.sum()):,} of {len(lines):,} links drawn, each party's way towards the customer first "
            "(a person cannot tell more apart); hover a party for all of its. " + notes
        ).strip()
    fig.update_layout(
        title={
            "text": title or "Value chain: who hands off to whom, towards the customer (right)",
            "subtitle": {
                "text": esc(notes)
                or "Below the gap: parties with no line of sight to the customer. Larger markers: "
                "more teams depend on them. Pink outline: member of a loop."
            },
        },
        yaxis={"visible": False},
        plot_bgcolor="white",
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top", "title": {"text": ""}},
        hovermode="closest",
    )
    name_labels(fig, names, plan)
    return finish(fig, len(x))


def handoff_kinds(edges: EdgeSets, loop_of: np.ndarray) -> dict[Handoff, np.ndarray]:
    """Which hand-offs are drawn as which kind: essential or preference, each inside a loop or not.

    A hand-off between two members of the same loop takes the loop's colour;
    a preference hand-off is dashed whether or not it lies in a loop.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> kinds = handoff_kinds(EdgeSets.of(chain), chain.analyze().parties["loop"].to_numpy(dtype=float))
    >>> {kind.value: int(mask.sum()) for kind, mask in kinds.items()}
    {'preference': 1, 'essential': 5, 'loop_preference': 0, 'loop': 5}
    """
    same_loop = (~np.isnan(loop_of[edges.source])) & (loop_of[edges.source] == loop_of[edges.target])
    essential = edges.essential
    return {
        Handoff.PREFERENCE: ~essential & ~same_loop,
        Handoff.ESSENTIAL: essential & ~same_loop,
        Handoff.LOOP_PREFERENCE: ~essential & same_loop,
        Handoff.LOOP: essential & same_loop,
    }


def label_priority(chain: Chain, marked: list[np.ndarray], focus: str | None = None) -> np.ndarray:
    """Positions of the parties whose names matter most, best first (the labels drawn above 150 parties).

    A focused team first, then what a focus view is about (its paths, a loop,
    a department), then up to half the labels' worth of orphans, the ten
    largest single points of failure, the customers, the remaining orphans
    and single points of failure, then the parties most teams hang on (in
    an org drawn by department: the departments). At most 200 candidates
    beyond a focus view.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> [chain.parties["id"].iloc[p] for p in label_priority(chain, [])[:3]]
    ['bookkeeping', 'marketing', 'floor']
    """
    found = chain.analyze()
    ids = chain.arrays.ids
    at = {str(i): p for p, i in enumerate(ids)}
    orphans = [at[str(i)] for i in found.orphans["id"]]
    failing = [at[str(i)] for i in found.single_points_of_failure["id"]]
    customers = np.flatnonzero(chain.arrays.is_customer).tolist()
    first = [_index(chain, focus)] if focus is not None else []
    for parties in marked:
        first += np.asarray(parties, dtype=np.int64).tolist()
    half = MOST_LABELS // 2
    largest = np.argsort(-found.parties["dependents"].to_numpy(), kind="stable")[: 4 * MOST_LABELS].tolist()
    ranked = [*first, *orphans[:half], *failing[:10], *customers, *orphans[half:], *failing[10:], *largest]
    return np.array(list(dict.fromkeys(ranked))[: 5 * MOST_LABELS + len(first)], dtype=np.int64)


def _units_figure(chain, focus, loop, department, expand, max_parties, title, labels) -> go.Figure:
    """The figure of the chain drawn by unit, with the focus views mapped to the units."""
    unit, how = drawn_units(chain, max_parties, expand)
    units = drawn_chain(chain, unit)
    # each party's unit, only when a view needs it (a dict of 100,000 parties takes a tenth of a second)
    of = dict(zip(chain.parties["id"].tolist(), unit.tolist())) if focus is not None or loop is not None else {}
    if focus is not None and focus not in of:
        raise PartyNotFound(focus, of)
    members = []
    if loop is not None:
        members = sorted({of[m] for m in _loop_members(chain, loop)[1]})
    fig = chain_figure(
        units,
        focus=of[focus] if focus is not None else None,
        department=None,
        max_parties=len(units.parties),
        title=title or f"{len(chain.parties):,} parties, drawn {how}",
        labels=labels,
    )
    wanted = set(members)
    if department is not None:
        group = chain.parties["group"].astype(object).to_numpy()
        if not (group == department).any():
            raise NotFound(f"no party is in the group '{department}'")
        wanted |= set(unit[group == department].tolist())
    if wanted:
        inside = units.parties["id"].isin(wanted).to_numpy()
        pos = layout(units)
        colour = HIGHLIGHT["loop" if members else "department"]
        fig.add_trace(
            go.Scattergl(
                x=pos["x"][inside],
                y=pos["y"][inside],
                mode="markers",
                name="Where the loop's members are" if members else f"Department {esc(department)}",
                marker={"symbol": "circle-open", "size": 28, "color": colour, "line": {"width": 3, "color": colour}},
                hoverinfo="skip",
                meta="highlight",
            )
        )
    return finish(fig, len(units.parties))


def drawn_lines(source: np.ndarray, target: np.ndarray, x: np.ndarray, most: int = MOST_LINES) -> np.ndarray:
    """Which hand-offs a figure draws as lines: all of them up to ``most``; beyond, first each party's first
    hand-off towards the customer (rightwards), then the other rightward ones, then the rest, in order.

    Examples
    --------
    >>> x = np.array([0.0, 1.0, 2.0])
    >>> drawn_lines(np.array([1, 0, 0, 2]), np.array([0, 1, 2, 1]), x, most=2).tolist()
    [False, True, True, False]
    """
    drawn = np.ones(len(source), dtype=bool)
    if len(source) <= most:
        return drawn
    forward = x[target] > x[source]
    first_forward = np.zeros(len(source), dtype=bool)
    positions = np.flatnonzero(forward)
    _, first = np.unique(source[positions], return_index=True)
    first_forward[positions[first]] = True
    rank = np.where(first_forward, 0, np.where(forward, 1, 2))
    keep = np.argsort(rank, kind="stable")[:most]
    drawn[:] = False
    drawn[keep] = True
    return drawn


def _short(name, most: int = 28) -> str:
    name = str(name)
    return name if len(name) <= most else name[: most - 1] + "…"


def _lines(x, y, s, t, name, colour, dash, width, meta, faded=False) -> go.Scattergl:
    return go.Scattergl(
        x=_segments(x[s], x[t]),
        y=_segments(y[s], y[t]),
        mode="lines",
        name=name,
        line={"color": colour, "width": width, "dash": dash},
        opacity=FADED if faded else 1.0,
        hoverinfo="skip",
        meta=meta,
    )


@dataclass
class Tip:
    """Where arrowheads go: touching the receiver's marker when the labels' geometry is known, else 80% along."""

    frame: Frame | None
    radius: np.ndarray  # marker radius per party, pixels

    def points(self, x: np.ndarray, y: np.ndarray, s: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Arrowhead centres for hand-offs ``s -> t``: at the receiver's marker edge, clear of the names."""
        if self.frame is None:
            return x[s] + 0.8 * (x[t] - x[s]), y[s] + 0.8 * (y[t] - y[s])
        f = self.frame
        per_x, per_y = f.width / (f.x1 - f.x0), f.height / (f.y1 - f.y0)
        dx, dy = (x[s] - x[t]) * per_x, (y[s] - y[t]) * per_y
        length = np.hypot(dx, dy)
        back = np.where(length > 0, np.minimum(self.radius[t] + 0.5, length / 2) / np.maximum(length, 1e-9), 0.0)
        return x[t] + back * dx / per_x, y[t] + back * dy / per_y


def _arrows(
    x, y, s, t, colour, faded=False, name="Direction of the hand-off", meta="arrows", tip: Tip | None = None
) -> go.Scattergl:
    """Arrowheads pointing at the receiver: at its marker's edge (or 80% of the way along each hand-off)."""
    angle = 90 - np.degrees(np.arctan2(y[t] - y[s], x[t] - x[s]))
    if tip is not None and tip.frame is not None:  # the angle as drawn, in pixels
        f = tip.frame
        angle = 90 - np.degrees(
            np.arctan2((y[t] - y[s]) * f.height / (f.y1 - f.y0), (x[t] - x[s]) * f.width / (f.x1 - f.x0))
        )
    ax, ay = (tip or Tip(None, np.zeros(0))).points(x, y, s, t)
    return go.Scattergl(
        x=ax,
        y=ay,
        mode="markers",
        name=name,
        showlegend=False,
        marker={"symbol": "triangle-up", "size": 7, "angle": angle, "color": colour},
        opacity=FADED if faded else 1.0,
        hoverinfo="skip",
        meta=meta,
    )


def _segments(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Line segments a[i] -> b[i] as one array with gaps (NaN) between them."""
    out = np.full(3 * len(a), np.nan)
    out[0::3], out[1::3] = a, b
    return out


def _draw(fig, mark: Highlight, x, y, edges: EdgeSets, kind, size, hover, ids, tip: Tip) -> None:
    """Draw a focus view on top of the faded chain: its hand-offs, arrows, parties in full colour, its path."""
    s, t = edges.source[mark.edges], edges.target[mark.edges]
    if len(s):
        fig.add_trace(_lines(x, y, s, t, f"{mark.name}: hand-offs", mark.colour, "solid", 2.5, "highlight"))
        fig.add_trace(_arrows(x, y, s, t, mark.colour, meta="highlight", tip=tip))
    if mark.path is not None and len(mark.path) > 1:
        fig.add_trace(
            go.Scattergl(
                x=x[mark.path],
                y=y[mark.path],
                mode="lines",
                name=mark.name,
                line={"color": mark.colour, "width": 6},
                hoverinfo="skip",
                meta="path",
            )
        )
    p = mark.parties
    fig.add_trace(
        go.Scattergl(
            x=x[p],
            y=y[p],
            mode="markers",
            name=f"{mark.name}: parties" if mark.path is not None else mark.name,
            hovertext=hover[p],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "symbol": [look(k).shape for k in kind[p]],
                "color": [look(k).colour for k in kind[p]],
                "size": size[p] + 2,
                "line": {"color": mark.colour, "width": 3},
            },
            customdata=ids[p],
            meta="highlight",
        )
    )


def _index(chain: Chain, party: str) -> int:
    where = np.flatnonzero(chain.arrays.ids == resolve_party(chain, party))
    return int(where[0])


def _focus(chain: Chain, party: str | None) -> Highlight | None:
    """A party's hand-offs on every essential path to the customer (or, for an orphan, everywhere its work goes)."""
    if party is None:
        return None
    p = _index(chain, party)
    name = str(chain.parties["name"].iloc[p])
    who = name if name.startswith(party) else f"{name} ({party})"
    found = chain.analyze()
    edges = EdgeSets.of(chain)
    connected = found.parties["connected"].to_numpy(dtype=bool)
    if connected[p]:
        use = edges.essential & connected[edges.target]
        path = shortest_path(chain, party)
        hops = len(path) - 1
        words = f"{who}: {hops} hand-off{'s' if hops != 1 else ''} to the customer at the shortest"
    else:
        use = np.ones(len(edges.source), dtype=bool)
        path = None
        reason = found.parties["reason"].iloc[p]
        words = f"{who} has no line of sight to the customer" + (
            f" ({Reason(reason).sentence}); drawn: everywhere its work goes" if not pd.isna(reason) else ""
        )
    graph = adjacency(chain.arrays.n, edges.source[use], edges.target[use])
    reach = np.zeros(chain.arrays.n, dtype=bool)
    reach[breadth_first_order(graph, p, directed=True, return_predecessors=False)] = True
    return Highlight(
        parties=np.flatnonzero(reach),
        edges=use & reach[edges.source],
        colour=HIGHLIGHT["path"],
        name=f"Shortest path of {esc(name)} to the customer" if path is not None else f"Where {esc(name)}'s work goes",
        path=path,
        note=words,
    )


def _loop_members(chain: Chain, loop: int | str) -> tuple[int, list[str]]:
    loops = chain.analyze().loops
    if isinstance(loop, str):
        row = chain.analyze().parties["loop"].iloc[_index(chain, loop)]
        if pd.isna(row):
            raise NotFound(f"'{loop}' is in no loop")
        loop = int(row)
    if not 0 <= int(loop) < len(loops):
        raise NotFound(f"there is no loop {loop}; the chain has {len(loops)} (numbered from 0)")
    return int(loop), list(loops["members"].iloc[int(loop)])


def _loop(chain: Chain, loop: int | str | None) -> Highlight | None:
    """One loop: its members and the hand-offs between them."""
    if loop is None:
        return None
    number, members = _loop_members(chain, loop)
    inside = np.isin(chain.arrays.ids, members)
    edges = EdgeSets.of(chain)
    connected = bool(chain.analyze().loops["connected"].iloc[number])
    return Highlight(
        parties=np.flatnonzero(inside),
        edges=inside[edges.source] & inside[edges.target],
        colour=HIGHLIGHT["loop"],
        name=f"Loop {number}",
        note=f"Loop {number}: {len(members)} parties that each depend on the others"
        + ("; it reaches the customer." if connected else "; it never reaches the customer."),
    )


def _department(chain: Chain, department: str | None) -> Highlight | None:
    """One department: its parties and every hand-off to or from them."""
    if department is None:
        return None
    group = chain.parties["group"].astype(object).to_numpy()
    inside = group == department
    if not inside.any():
        names = sorted({str(g) for g in group if not pd.isna(g)})
        raise NotFound(f"no party is in the group '{department}'; groups are {', '.join(names[:10]) or 'none'}")
    edges = EdgeSets.of(chain)
    return Highlight(
        parties=np.flatnonzero(inside),
        edges=inside[edges.source] | inside[edges.target],
        colour=HIGHLIGHT["department"],
        name=f"Department {esc(department)}",
        note=f"{department}: {int(inside.sum())} parties and their hand-offs.",
    )


def shortest_path(chain: Chain, party: str) -> np.ndarray:
    """Positions of the parties on one shortest essential path from ``party`` to a customer (just itself if none)."""
    a = chain.arrays
    p = _index(chain, party)
    edges = EdgeSets.of(chain)
    _, _, parent = Reversed(a.n, edges.source[edges.essential], edges.target[edges.essential]).tree(
        np.flatnonzero(a.is_customer)
    )
    path = [p]
    while parent[path[-1]] >= 0:
        path.append(int(parent[path[-1]]))
    return np.array(path)
