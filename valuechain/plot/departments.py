"""The department chain: departments as a chain towards the customer, and :func:`rollup_figures`.

:func:`rollup_figures` gives the two figures of a roll-up: this chain and the
hand-off matrix (:mod:`valuechain.plot.matrix`). The units drawn, their
labels and the page they fit are shared with the matrix and the flow
(:mod:`valuechain.plot.units`).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from valuechain.analysis import EdgeSets
from valuechain.plot.layout import layout
from valuechain.plot.matrix import matrix_figure
from valuechain.plot.style import MOST_SIZE, OUTLINE, esc, finish, marker_sizes, status
from valuechain.plot.units import (
    CHAR,
    FONT,
    LINE,
    NARROWEST,
    SIDES,
    TITLE_SPACE,
    _party_or_group,
    _together,
    _unit_facts,
    _wrapped,
    department_units,
)
from valuechain.scenarios.rollup import _units, merged_chain
from valuechain.vocabulary import COLUMNS, KIND_GROUPS, LOOKS, Finding, Kind, Reason, label, look

if TYPE_CHECKING:
    from valuechain.model import Chain

WIDTHS = ((1, 1.0), (2, 2.5), (5, 4.5), (10, 7.0), (25, 10.0))
RADIUS = MOST_SIZE / 2  # pixels: the largest marker's radius


def rollup_figures(chain: Chain, by: str = "group") -> tuple[go.Figure, go.Figure]:
    """Departments as a chain (edge width = hand-offs between them) and the department matrix as a heatmap.

    Examples
    --------
    >>> import valuechain as vc
    >>> graph, matrix = rollup_figures(vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv"))
    >>> matrix.data[0].type
    'heatmap'
    """
    return department_figure(chain, by), matrix_figure(chain, by)


def department_figure(chain: Chain, by: str = "group") -> go.Figure:
    """Departments as a chain, customers on the right: one marker per department, named in full.

    Outside parties are drawn by kind ("Suppliers"), customers by name. A
    department's label gives its teams and how many are orphaned; an edge's
    width, the hand-offs between two units.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces carry ``meta``: ``"parties"`` (``customdata`` holds the units),
        ``"edges"``, ``"arrows"``, ``"weights"``; the labels are annotations.

    Examples
    --------
    >>> import valuechain as vc
    >>> fig = department_figure(vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv"))
    >>> sorted(i for t in fig.data if t.meta == "parties" for i in t.customdata)[:3]
    ['Back of house', 'Back office', 'Front of house']
    >>> [" ".join(a.text.replace("<br>", " ").split()) for a in fig.layout.annotations if a.text.startswith("Back off")]
    ['Back office 3 teams, 2 orphaned teams']
    """
    _, grouped, _ = _units(chain, by)
    unit = department_units(chain, by)
    kinds = chain.parties["kind"].astype(str).to_numpy(dtype=object)
    units = merged_chain(chain, unit, np.where(grouped, Kind.TEAM.value, kinds))
    ids = units.parties["id"].to_numpy(dtype=object)
    pos = layout(units)
    x, y = pos["x"].to_numpy(dtype=float), pos["y"].to_numpy(dtype=float)
    found = units.analyze()
    kind = status(units)
    size = marker_sizes(found.parties["dependents"].to_numpy())
    facts = _unit_facts(chain, unit, grouped).reindex(ids)
    unit_word = "department" if by == "group" else label(by).lower()

    # the geometry at the narrowest width: one column per hand-off to the customer, one more for the last labels
    left, right = float(x.min()) - 0.3, float(x.max()) + 1.0
    column = (NARROWEST - 2 * SIDES) / (right - left)
    chars = max(8, int((column - 2 * RADIUS - 12) / CHAR))
    texts = [_unit_label(i, facts.loc[i], chars) for i in ids]
    called = [_called(i, facts.loc[i]) for i in ids]
    lines = max(t.count("<br>") + 1 for t in texts)
    row = max(lines * LINE + 8, 2 * RADIUS + 6)
    bottom, top = float(y.min()) - 0.5 - RADIUS / row, float(y.max()) + 0.5 + RADIUS / row
    plot_height = (top - bottom) * row

    fig = go.Figure()
    edges = EdgeSets.of(chain)
    index = pd.Index(ids)
    pairs = pd.DataFrame({"s": index.get_indexer(unit[edges.source]), "t": index.get_indexer(unit[edges.target])})
    counts = pairs[pairs["s"] != pairs["t"]].value_counts()
    src = counts.index.get_level_values("s").to_numpy()
    dst = counts.index.get_level_values("t").to_numpy()
    n = counts.to_numpy()
    for trace in _edge_traces(x, y, src, dst, n):
        fig.add_trace(trace)
    if len(src):
        fig.add_trace(_arrows(x, y, src, dst))
    hover = np.array([_unit_hover(i, facts.loc[i], look(k).legend) for i, k in zip(ids, kind)], dtype=object)
    for trace in _marker_traces(x, y, ids, kind, size, found.parties["loop"].notna().to_numpy(), hover):
        fig.add_trace(trace)
    fig.add_trace(
        go.Scatter(
            x=(x[src] + x[dst]) / 2,
            y=(y[src] + y[dst]) / 2,
            mode="markers",
            name="Hand-off counts (hover)",
            showlegend=False,
            hovertemplate="%{text}<extra></extra>",
            text=[f"{esc(called[a])} → {esc(called[b])}: {_handoffs(c)}" for a, b, c in zip(src, dst, n)],
            marker={"size": 10, "color": "rgba(0,0,0,0)"},  # invisible, but answers the hover
            meta="weights",
        )
    )
    for xi, yi, text, s in zip(x, y, texts, size):
        fig.add_annotation(
            x=xi, y=yi, text=text, showarrow=False, xanchor="left", yanchor="middle", align="left",
            xshift=s / 2 + 3, font={"size": FONT, "color": "#333333"}, bgcolor="rgba(255,255,255,0.75)",
        )  # fmt: skip
    subtitle = _wrapped(
        "Below the gap: no line of sight to the customer. Larger markers: more teams depend on them. Pink outline: "
        "in a loop. Outside parties are grouped by kind; hover for the details."
    )
    top_margin = int(TITLE_SPACE + LINE * (subtitle.count("<br>") + 1))
    levels = sorted({int(v) for v in pos["level"]})
    fig.update_layout(
        title={
            "text": f"{esc(_plural(unit_word))}: hand-offs between them, towards the customer (right)",
            "subtitle": {"text": subtitle},
        },
        annotations=fig.layout.annotations,
        xaxis={
            "title": {"text": label("distance")},
            "range": [left, right],
            "tickmode": "array",
            "tickvals": [-v for v in levels],
            "ticktext": [str(v) for v in levels],
            "zeroline": False,
            "showgrid": False,
        },
        yaxis={"visible": False, "range": [bottom, top]},
        height=int(plot_height + top_margin + 150),
        plot_bgcolor="white",
        legend={"orientation": "h", "x": 0, "y": -60 / plot_height, "yanchor": "top", "title": {"text": ""}},
        hovermode="closest",
        margin={"l": SIDES, "r": SIDES, "t": top_margin, "b": 150},
    )
    return finish(fig, len(ids))


def _marker_traces(
    x: np.ndarray,
    y: np.ndarray,
    ids: np.ndarray,
    kind: np.ndarray,
    size: np.ndarray,
    in_loop: np.ndarray,
    hover: np.ndarray,
) -> list[go.Scatter]:
    """One trace of markers per drawing status, in legend order; a pink outline for a unit in a loop."""
    traces = []
    for drawn in LOOKS:
        mask = kind == drawn.value
        if mask.any():
            traces.append(
                go.Scatter(
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
                        "line": {
                            "color": np.where(in_loop[mask], Reason.CLOSED_LOOP.colour, OUTLINE),
                            "width": np.where(in_loop[mask], 3, 1),
                        },
                    },
                    customdata=ids[mask],
                    meta="parties",
                )
            )
    return traces


def _called(unit: str, facts: pd.Series) -> str:
    """A unit as a person calls it: a department or a kind's group by its name, a single party by the party's."""
    return str(unit) if facts["teams"] or facts["parties"] > 1 or unit in KIND_GROUPS.values() else facts["names"][0]


def _unit_label(unit: str, facts: pd.Series, chars: int) -> str:
    """A unit's label: a department's name and teams, a kind's group and count, or a party's name; wrapped."""
    if facts["teams"]:
        teams = ", ".join(_together(p) for p in _teams(int(facts["teams"]), int(facts["orphans"])).split(", "))
        return _wrapped(str(unit), chars) + "<br>" + _wrapped(teams, chars)
    return _wrapped(_party_or_group(unit, facts), chars)


def _unit_hover(unit: str, facts: pd.Series, legend: str) -> str:
    """A unit's hover text: its name, status, teams and orphans, and the parties it holds (the first eight)."""
    names = facts["names"]
    members = ", ".join(esc(n) for n in names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    head = esc(unit) if facts["teams"] or len(names) > 1 else f"{esc(names[0])} ({esc(unit)})"
    lines = [f"<b>{head}</b>", esc(legend)]
    if facts["teams"]:
        teams, orphans = int(facts["teams"]), int(facts["orphans"])
        share = COLUMNS["share_connected"].text((teams - orphans) / teams)
        lines += [_teams(teams, orphans), f"{label('share_connected')}: {share}"]
    elif facts["kind"] in Kind._value2member_map_:
        lines.append(Kind(facts["kind"]).one)
    return "<br>".join([*lines, *textwrap.wrap(members, 60)])


def _teams(teams: int, orphans: int) -> str:
    """``"7 teams, 2 orphaned teams"``: a department's teams in words."""
    words = f"{teams:,} {Kind.TEAM.one.lower() if teams == 1 else Kind.TEAM.plural}"
    return words + (f", {Finding.ORPHAN.counted(orphans)}" if orphans else "")


def _handoffs(n: int) -> str:
    return f"{n:,} {label('handoffs').lower() if n != 1 else 'hand-off'}"


def _plural(word: str) -> str:
    return "Departments" if word == "department" else f"Units by {word}"


def _edge_traces(x: np.ndarray, y: np.ndarray, src: np.ndarray, dst: np.ndarray, n: np.ndarray) -> list[go.Scatter]:
    """The hand-offs between units, one trace per band of counts, wider for more hand-offs."""
    bounds = [low for low, _ in WIDTHS[1:]] + [np.inf]
    traces = []
    for (low, width), high in zip(WIDTHS, bounds):
        mask = (n >= low) & (n < high)
        if mask.any():
            words = "hand-off" if high == low + 1 == 2 else "hand-offs"
            band = f"{low}+" if high == np.inf else f"{low}" if high == low + 1 else f"{low}-{high - 1}"
            traces.append(
                go.Scatter(
                    x=_segments(x[src[mask]], x[dst[mask]]),
                    y=_segments(y[src[mask]], y[dst[mask]]),
                    mode="lines",
                    name=f"Between departments: {band} {words}",
                    line={"color": "rgba(0,114,178,0.45)", "width": width},
                    hoverinfo="skip",
                    meta="edges",
                )
            )
    return traces


def _arrows(x: np.ndarray, y: np.ndarray, s: np.ndarray, t: np.ndarray) -> go.Scatter:
    """Arrowheads 80% of the way along each hand-off, pointing at the receiver."""
    angle = 90 - np.degrees(np.arctan2(y[t] - y[s], x[t] - x[s]))
    return go.Scatter(
        x=x[s] + 0.8 * (x[t] - x[s]),
        y=y[s] + 0.8 * (y[t] - y[s]),
        mode="markers",
        name="Direction of the hand-off",
        showlegend=False,
        marker={"symbol": "triangle-up", "size": 7, "angle": angle, "color": "#7F7F7F"},
        hoverinfo="skip",
        meta="arrows",
    )


def _segments(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a[0], b[0], None, a[1], b[1], None...``: line segments as one trace."""
    out = np.full(3 * len(a), None, dtype=object)
    out[0::3], out[1::3] = a, b
    return out
