"""Figures of the org by department: the department chain, the department matrix, and the flow (Sankey)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from valuechain.analysis import EdgeSets
from valuechain.plot.chain import _segments, chain_figure
from valuechain.plot.layout import layout
from valuechain.plot.scale import drawn_chain, drawn_units
from valuechain.plot.style import esc, finish, status
from valuechain.vocabulary import label, look

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Edge widths of the department chain: hand-off counts from ``low`` up, drawn ``width`` pixels wide.
WIDTHS = ((1, 1.0), (2, 2.5), (5, 4.5), (10, 7.0), (25, 10.0))
SANKEY_UNITS = 150  # the most boxes a flow figure draws
PAD = 10  # pixels between boxes
MARGIN = {"l": 20, "r": 20, "t": 90, "b": 20}


def rollup_figures(chain: Chain, by: str = "group") -> tuple[go.Figure, go.Figure]:
    """Departments as a chain (edge width = hand-offs between them) and the department matrix as a heatmap.

    Examples
    --------
    >>> import valuechain as vc
    >>> graph, matrix = rollup_figures(vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv"))
    >>> matrix.data[0].type
    'heatmap'
    """
    rolled = chain.rollup(by)
    units = rolled.chain
    unit_words = "Departments" if by == "group" else f"Units by {label(by)}"
    unit_word = "department" if by == "group" else label(by)
    fig = chain_figure(
        units,
        max_parties=len(units.parties),
        title=f"{esc(unit_words)}: hand-offs between them, towards the customer (right)",
    )
    pos = layout(units).set_index("id")
    counts = rolled.matrix.stack()
    counts = counts[(counts > 0) & (counts.index.get_level_values(0) != counts.index.get_level_values(1))]
    src = np.asarray(counts.index.get_level_values(0), dtype=object)
    dst = np.asarray(counts.index.get_level_values(1), dtype=object)
    x0, x1 = pos.loc[src, "x"].to_numpy(), pos.loc[dst, "x"].to_numpy()
    y0, y1 = pos.loc[src, "y"].to_numpy(), pos.loc[dst, "y"].to_numpy()
    n = counts.to_numpy()
    bounds = [low for low, _ in WIDTHS[1:]] + [np.inf]
    lines = []
    for (low, width), high in zip(WIDTHS, bounds):
        mask = (n >= low) & (n < high)
        if mask.any():
            words = "hand-off" if high == low + 1 == 2 else "hand-offs"
            band = f"{low}+" if high == np.inf else f"{low}" if high == low + 1 else f"{low}-{high - 1}"
            lines.append(
                go.Scattergl(
                    x=_segments(x0[mask], x1[mask]),
                    y=_segments(y0[mask], y1[mask]),
                    mode="lines",
                    name=f"Between departments: {band} {words}",
                    line={"color": "rgba(0,114,178,0.45)", "width": width},
                    hoverinfo="skip",
                    meta="edges",
                )
            )
    hover = go.Scattergl(
        x=(x0 + x1) / 2,
        y=(y0 + y1) / 2,
        mode="markers",
        name="Hand-off counts (hover)",
        showlegend=False,
        hovertemplate="%{text}<extra></extra>",
        text=[f"{esc(a)} → {esc(b)}: {int(c)} hand-offs" for a, b, c in zip(src, dst, n)],
        marker={"size": 10, "color": "rgba(0,0,0,0)"},  # invisible, but answers the hover
        meta="weights",
    )
    # the department edges, redrawn with widths by count
    fig = go.Figure(data=lines + [t for t in fig.data if t.meta != "edges"] + [hover], layout=fig.layout)
    matrix = rolled.matrix
    heat = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=[str(c) for c in matrix.columns],
            y=[str(r) for r in matrix.index],
            colorscale="Blues",
            hovertemplate="%{y} → %{x}: %{z} hand-offs<extra></extra>",
            colorbar={"title": {"text": "hand-offs"}},
        )
    )
    heat.update_layout(
        title=f"Hand-offs from each {esc(unit_word)} (rows) to each (columns)",
        yaxis={"autorange": "reversed"},
        xaxis={"tickangle": -45},
    )
    return finish(fig, len(units.parties)), heat


def flow_figure(chain: Chain) -> go.Figure:
    """A Sankey of hand-offs flowing by department toward the customer.

    Departments (or, for an org without them, distance layers) are the boxes;
    a box with no hand-off onward (a customer, or a dead end) sits at the
    right, every other one as far right as its longest flow allows; a band's width is
    the number of hand-offs (distinct ordered pairs of parties). A Sankey
    cannot draw a loop, so hand-offs that run sideways or back, away from the
    customer, are left out of the drawing; the subtitle says how many.

    Examples
    --------
    >>> import valuechain as vc
    >>> fig = flow_figure(vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv"))
    >>> fig.data[0].type, fig.layout.meta["left_out"]
    ('sankey', 3)
    """
    unit, how = drawn_units(chain, max_parties=SANKEY_UNITS)
    units = drawn_chain(chain, unit)
    level = layout(units)["level"].to_numpy()
    index = pd.Index(units.parties["id"])
    edges = EdgeSets.of(chain)
    pairs = pd.DataFrame(
        {"s": index.get_indexer(unit[edges.source]), "t": index.get_indexer(unit[edges.target])}
    ).query("s != t")
    flows = pairs.value_counts().rename("n").reset_index()
    forward = level[flows["s"]] > level[flows["t"]]
    drawn, left = flows[forward], flows[~forward]
    kind = status(units)
    names = units.parties["name"].astype(str).to_numpy()
    fig = go.Figure(
        go.Sankey(
            node={
                "label": [esc(n) for n in names],
                "color": [look(k).colour for k in kind],
                "align": "right",
                "pad": PAD,
                "customdata": [look(k).legend for k in kind],
                "hovertemplate": "%{label}<br>%{customdata}<extra></extra>",
            },
            link={
                "source": drawn["s"].to_numpy(),
                "target": drawn["t"].to_numpy(),
                "value": drawn["n"].to_numpy(),
                "color": [_fade(look(k).colour) for k in kind[drawn["s"].to_numpy()]],
                "hovertemplate": "%{source.label} → %{target.label}: %{value} hand-offs<extra></extra>",
            },
        )
    )
    note = (
        f"{int(left['n'].sum())} hand-off(s) between {len(left)} pair(s) of boxes that run sideways or away from "
        "the customer (loops, mutual dependencies) are left out of this drawing: see the loops."
        if len(left)
        else "Every hand-off between boxes runs towards the customer: nothing is left out."
    )
    fig.update_layout(
        title={"text": f"Flow of hand-offs towards the customer (right), {how}", "subtitle": {"text": note}},
        meta={"left_out": len(left), "left_out_handoffs": int(left["n"].sum())},
        height=int(min(1400, max(480, 40 * pd.Series(level).value_counts().max() + 110))),
        margin=MARGIN,
    )
    return fig


def _fade(colour: str, alpha: float = 0.4) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
