"""Plotly figures of the value chain.

The chain figure is layered left to right: the external customers on the far
right, every connected party placed by its distance to them, the parties with
no line of sight in a band of their own below. Within a layer, parties are
ordered by barycentre sweeps to cut edge crossings. A handful of WebGL traces
carry every party and hand-off, so the figure stays fast up to a few thousand
parties; above ``max_parties`` it shows the departments instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from valuechain.algorithms import Reversed
from valuechain.analysis import EdgeSets
from valuechain.io.ids import sort_rank

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Colours safe for colour-blind readers (Okabe and Ito), with a shape per status for grey print.
STYLE = {
    "customer": ("External customer", "#000000", "star"),
    "connected": ("Team that reaches the customer", "#0072B2", "circle"),
    "outside": ("Outside party (supplier, regulator...)", "#999999", "diamond"),
    "preference_only": ("Orphan: reaches the customer only through non-essential hand-offs", "#E69F00", "square"),
    "dead_end": ("Orphan: delivers to nobody", "#D55E00", "x"),
    "closed_loop": ("Orphan: only delivers within a closed loop", "#CC79A7", "hexagon"),
    "serves_outside_only": ("Orphan: serves outside parties only", "#56B4E9", "triangle-down"),
    "feeds_orphans": ("Orphan: delivers only to other orphans", "#F0E442", "square-x"),
    "other": ("Other party with no line of sight", "#BBBBBB", "circle-open"),
}
EDGE_STYLE = {
    "essential": ("Essential hand-off", "#7F7F7F", "solid"),
    "preference": ("Preference (non-essential) hand-off", "#B0B0B0", "dash"),
    "loop": ("Hand-off within a loop", "#CC79A7", "solid"),
}
#: Above this many parties the chain figure shows departments.
MAX_PARTIES = 2000
GAP = 2.0  # rows between the connected band and the orphans' band


def layout(chain: Chain, sweeps: int = 4) -> pd.DataFrame:
    """Positions for the layered drawing: ``id``, ``x``, ``y``, ``level``, ``band``.

    ``level`` is the distance to the customers along essential hand-offs for
    connected parties (customers 0, drawn at ``x = 0``, rightmost), and for
    the rest the distance along any hand-off to a customer or, failing that,
    to the end of their chain. ``band`` is ``"connected"`` or ``"no line of sight"``
    (drawn below). Within a level, parties are ordered by the mean position of
    their neighbours (barycentre sweeps), which cuts crossings.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> pos = layout(chain).set_index("id")
    >>> [float(pos.loc[p, "x"]) for p in ("diners", "floor", "kitchen")]
    [0.0, -1.0, -2.0]
    """
    key = f"_layout_{sweeps}"
    if key not in chain.__dict__:  # a chain is read-only: its layout is computed once
        chain.__dict__[key] = _layout(chain, sweeps)
    return chain.__dict__[key].copy()


def _layout(chain: Chain, sweeps: int) -> pd.DataFrame:
    found = chain.analyze()
    a = chain.arrays
    n = a.n
    edges = EdgeSets.of(chain)
    connected = found.parties["connected"].to_numpy(dtype=bool)
    level = np.where(connected, found.parties["distance"].fillna(0).to_numpy(dtype=np.int64), -1)
    # the rest: along any hand-off to a customer, else to the end of its own chain
    back = Reversed(n, edges.source, edges.target)
    _, to_customer, _ = back.tree(np.flatnonzero(a.is_customer))
    sends = np.bincount(edges.source, minlength=n) > 0
    _, to_end, _ = back.tree(np.flatnonzero(~connected & ~sends))
    rest = ~connected
    level[rest] = np.where(to_customer[rest] >= 0, to_customer[rest], to_end[rest] + 1)
    level[rest] = np.maximum(level[rest], 1)  # never in the customers' column (closed loops have no end)
    band = np.where(connected, 0, 1)

    # start: by band, level, group, id; then barycentre sweeps against neighbours' rows
    _, id_rank = sort_rank(a.ids)
    group_code = pd.factorize(chain.parties["group"].astype(object).fillna("").astype(str), sort=True)[0]
    order = np.lexsort((id_rank, group_code, level, band))
    row = np.empty(n, dtype=float)
    row[order] = _rows_within(band[order], level[order])
    for sweep in range(sweeps):
        # alternate: look at receivers (to the right), then at givers (to the left)
        mine, theirs = (edges.source, edges.target) if sweep % 2 == 0 else (edges.target, edges.source)
        total = np.bincount(mine, weights=row[theirs], minlength=n)
        count = np.bincount(mine, minlength=n)
        centre = np.where(count > 0, total / np.maximum(count, 1), row)
        order = np.lexsort((row, centre, level, band))
        row[order] = _rows_within(band[order], level[order])
    y = -row
    top = y[band == 1].max() if (band == 1).any() else 0.0
    low = y[band == 0].min() if (band == 0).any() else 0.0
    y[band == 1] += low - GAP - top
    return pd.DataFrame(
        {
            "id": a.ids,
            "x": (-level).astype(float),
            "y": y,
            "level": level,
            "band": np.where(band == 0, "connected", "no line of sight"),
        }
    )


def _rows_within(band: np.ndarray, level: np.ndarray) -> np.ndarray:
    """0, 1, 2... within each run of equal (band, level), centred on 0, for parties in sorted order."""
    key = band * (level.max() + 2 if len(level) else 1) + level
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.empty(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(key)])
    rank = np.arange(len(key)) - np.repeat(starts, sizes)
    return rank - np.repeat((sizes - 1) / 2, sizes)


def status(chain: Chain) -> np.ndarray:
    """Each party's drawing status: ``customer``, ``connected``, ``outside``, an orphan reason, or ``other``."""
    a = chain.arrays
    found = chain.analyze()
    reason = found.parties["reason"].to_numpy(dtype=object)
    connected = found.parties["connected"].to_numpy(dtype=bool)
    out = np.where(pd.notna(reason), reason, np.where(connected, "connected", "other")).astype(object)
    out[a.is_outside] = "outside"
    out[a.is_customer] = "customer"
    return out


def chain_figure(
    chain: Chain, focus: str | None = None, max_parties: int = MAX_PARTIES, title: str | None = None
) -> go.Figure:
    """The chain as a layered Plotly figure (or its departments above ``max_parties``).

    Parameters
    ----------
    focus : str, optional
        A party id: its shortest essential path to the customer is drawn bold.
    max_parties : int
        Above this many parties, draw the department roll-up instead.

    Examples
    --------
    >>> import valuechain as vc
    >>> fig = chain_figure(vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv"))
    >>> sum(len(t.x) for t in fig.data if t.meta == "parties")
    10
    """
    if len(chain.parties) > max_parties:
        from valuechain.rollup import unit_chain

        return chain_figure(
            unit_chain(chain),
            focus=None,
            max_parties=max(max_parties, len(chain.parties)),
            title=title or f"{len(chain.parties):,} parties, drawn by department",
        )
    found = chain.analyze()
    a = chain.arrays
    pos = layout(chain)
    x, y = pos["x"].to_numpy(), pos["y"].to_numpy()
    kind = status(chain)
    fig = go.Figure()

    edges = EdgeSets.of(chain)
    loop_row = found.parties["loop"].to_numpy(dtype=float)
    same_loop = (~np.isnan(loop_row[edges.source])) & (loop_row[edges.source] == loop_row[edges.target])
    groups = {
        "loop": same_loop,
        "essential": edges.essential & ~same_loop,
        "preference": ~edges.essential & ~same_loop,
    }
    for key in ("preference", "essential", "loop"):
        mask = groups[key]
        if not mask.any():
            continue
        name, colour, dash = EDGE_STYLE[key]
        s, t = edges.source[mask], edges.target[mask]
        fig.add_trace(
            go.Scattergl(
                x=_segments(x[s], x[t]),
                y=_segments(y[s], y[t]),
                mode="lines",
                name=name,
                line={"color": colour, "width": 1.2, "dash": dash},
                hoverinfo="skip",
                meta="edges",
            )
        )
    # arrowheads, 80% of the way along each hand-off, pointing at the receiver
    s, t = edges.source, edges.target
    if len(s):
        hx, hy = x[s] + 0.8 * (x[t] - x[s]), y[s] + 0.8 * (y[t] - y[s])
        angle = 90 - np.degrees(np.arctan2(y[t] - y[s], x[t] - x[s]))
        fig.add_trace(
            go.Scattergl(
                x=hx,
                y=hy,
                mode="markers",
                name="Direction of the hand-off",
                showlegend=False,
                marker={"symbol": "triangle-up", "size": 7, "angle": angle, "color": "#7F7F7F"},
                hoverinfo="skip",
                meta="arrows",
            )
        )
    if focus is not None:
        path = _path(chain, focus)
        if len(path) > 1:
            fig.add_trace(
                go.Scattergl(
                    x=x[path],
                    y=y[path],
                    mode="lines",
                    name=f"Path of {focus} to the customer",
                    line={"color": "#009E73", "width": 4},
                    hoverinfo="skip",
                    meta="focus",
                )
            )

    dependents = found.parties["dependents"].to_numpy()
    size = 9 + 4 * np.sqrt(dependents)
    in_loop = ~np.isnan(loop_row)
    hover = _hover(chain, found, kind)
    for key, (name, colour, symbol) in STYLE.items():
        mask = kind == key
        if not mask.any():
            continue
        fig.add_trace(
            go.Scattergl(
                x=x[mask],
                y=y[mask],
                mode="markers",
                name=name,
                text=hover[mask],
                hovertemplate="%{text}<extra></extra>",
                marker={
                    "symbol": symbol,
                    "color": colour,
                    "size": size[mask],
                    "line": {
                        "color": np.where(in_loop[mask], "#CC79A7", "#FFFFFF"),
                        "width": np.where(in_loop[mask], 3, 1),
                    },
                },
                customdata=a.ids[mask],
                meta="parties",
            )
        )
    rows = int(pd.Series(x).value_counts().max()) if len(x) else 1
    fig.update_layout(
        title={
            "text": title or "Value chain: who hands off to whom, towards the customer (right)",
            "subtitle": {
                "text": "Below the gap: parties with no line of sight to the customer. Larger markers: "
                "more teams depend on them. Pink outline: member of a loop."
            },
        },
        xaxis={"title": {"text": "hand-offs to the customer"}, "zeroline": False, "tickmode": "linear", "dtick": 1},
        yaxis={"visible": False},
        height=int(min(1400, max(520, 22 * rows + 260))),
        plot_bgcolor="white",
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top", "title": {"text": ""}},
        hovermode="closest",
        margin={"l": 20, "r": 20, "t": 80, "b": 40},
    )
    return fig


def _segments(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Line segments a[i] -> b[i] as one array with gaps (None) between them."""
    out = np.full(3 * len(a), np.nan)
    out[0::3], out[1::3] = a, b
    return out


def _path(chain: Chain, focus: str) -> np.ndarray:
    a = chain.arrays
    where = np.flatnonzero(a.ids == focus)
    if len(where) == 0:
        raise KeyError(f"'{focus}' is not a party")
    edges = EdgeSets.of(chain)
    _, _, parent = Reversed(a.n, edges.source[edges.essential], edges.target[edges.essential]).tree(
        np.flatnonzero(a.is_customer)
    )
    path = [int(where[0])]
    while parent[path[-1]] >= 0:
        path.append(int(parent[path[-1]]))
    return np.array(path)


def _hover(chain: Chain, found, kind: np.ndarray) -> np.ndarray:
    parties = chain.parties
    names = parties["name"].astype(str).to_numpy()
    groups = parties["group"].astype(object).to_numpy()
    distance = found.parties["distance"].to_numpy(dtype=object)
    dependents = found.parties["dependents"].to_numpy()
    first_five = lambda t: ", ".join(list(dict.fromkeys(t))[:5])  # noqa: E731
    targets = chain.handoffs.groupby("source", sort=False)["target"].apply(first_five)
    gives = targets.reindex(parties["id"]).fillna("nobody").to_numpy()
    labels = np.array([STYLE[k][0] for k in kind], dtype=object)
    return np.array(
        [
            f"<b>{_esc(nm)}</b> ({_esc(i)})<br>{_esc(g) if g is not None else 'no group'} · {lab}<br>"
            f"hands off to: {_esc(gv)}<br>distance to the customer: {d if d is not pd.NA else '-'}"
            f"<br>teams that depend on it: {dep}"
            for i, nm, g, lab, gv, d, dep in zip(parties["id"], names, groups, labels, gives, distance, dependents)
        ],
        dtype=object,
    )


def _esc(text) -> str:
    import html

    return html.escape(str(text))


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
    fig = chain_figure(
        units,
        max_parties=max(MAX_PARTIES, len(units.parties)),
        title=f"Departments ({by}): hand-offs between them, towards the customer (right)",
    )
    pos = layout(units).set_index("id")
    counts = rolled.matrix.stack()
    counts = counts[(counts > 0) & (counts.index.get_level_values(0) != counts.index.get_level_values(1))]
    if len(counts):
        src = counts.index.get_level_values(0)
        dst = counts.index.get_level_values(1)
        fig.add_trace(
            go.Scattergl(
                x=pos.loc[src, "x"].to_numpy() * 0.5 + pos.loc[dst, "x"].to_numpy() * 0.5,
                y=pos.loc[src, "y"].to_numpy() * 0.5 + pos.loc[dst, "y"].to_numpy() * 0.5,
                mode="markers",
                name="Hand-offs between them (size)",
                hovertemplate="%{text}<extra></extra>",
                text=[f"{_esc(a)} → {_esc(b)}: {int(c)} hand-offs" for (a, b), c in counts.items()],
                marker={"size": 4 + 3 * np.sqrt(counts.to_numpy()), "color": "rgba(0,114,178,0.35)"},
                meta="weights",
            )
        )
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
        title=f"Hand-offs from each {by} (rows) to each (columns)",
        yaxis={"autorange": "reversed"},
        xaxis={"tickangle": -45},
    )
    return fig, heat


def scenario_figure(scenario) -> go.Figure:
    """The chain after a what-if or a newer version, with newly orphaned teams, newly connected ones
    and removed parties marked (pass a :class:`~valuechain.whatif.Scenario` or a
    :class:`~valuechain.diff.Diff` together with its new chain as ``(diff, chain)``).
    """
    if isinstance(scenario, tuple):
        changes, chain = scenario[0].changes, scenario[1]
        removed = scenario[0].parties_removed["id"].tolist()
    else:
        changes, chain, removed = scenario.changes, scenario.chain, scenario.removed_parties
    fig = chain_figure(chain, title="What changes: newly orphaned (red ring), newly connected (green ring)")
    pos = layout(chain).set_index("id")
    for ids, name, colour in (
        (changes.new_orphans["id"], "Newly orphaned", "#D55E00"),
        (changes.resolved_orphans["id"], "Newly connected", "#009E73"),
    ):
        ids = [i for i in ids if i in pos.index]
        if ids:
            fig.add_trace(
                go.Scattergl(
                    x=pos.loc[ids, "x"],
                    y=pos.loc[ids, "y"],
                    mode="markers",
                    name=name,
                    text=[_esc(i) for i in ids],
                    hovertemplate="%{text}<extra></extra>",
                    marker={"symbol": "circle-open", "size": 22, "color": colour, "line": {"width": 3}},
                    meta="changes",
                )
            )
    if len(removed):
        fig.add_annotation(
            text="Removed: " + _esc(", ".join(map(str, removed[:12]))) + (" ..." if len(removed) > 12 else ""),
            xref="paper",
            yref="paper",
            x=0,
            y=1.06,
            showarrow=False,
            font={"color": "#7F7F7F"},
        )
    return fig
