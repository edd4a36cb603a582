"""How parties and hand-offs look: colours, shapes and words for every status, and hover text.

Colours are Okabe and Ito's palette, safe for colour-blind readers; every
status has a shape of its own too, so a grey print still tells them apart.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

if TYPE_CHECKING:
    from valuechain.analysis import Findings
    from valuechain.model import Chain

#: Per drawing status: the legend's words, the colour and the marker shape.
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
#: Per kind of hand-off: the legend's words, the colour and the dash.
EDGE_STYLE = {
    "essential": ("Essential hand-off", "#7F7F7F", "solid"),
    "preference": ("Preference (non-essential) hand-off", "#B0B0B0", "dash"),
    "loop": ("Hand-off within a loop", "#CC79A7", "solid"),
}
#: Colours of the focus views and of what changed in a scenario.
HIGHLIGHT = {"path": "#009E73", "loop": "#CC79A7", "department": "#0072B2", "lost": "#D55E00", "gained": "#009E73"}
FADED = 0.2  # opacity of what a focus view is not about
#: Up to this many parties (or units) a figure is drawn in SVG, above it in WebGL. In a browser without a GPU,
#: WebGL takes 0.57 s for the 88-party sample where SVG takes 0.06 s (benchmarks/DASHBOARD.md); with a GPU,
#: WebGL keeps large figures responsive.
SVG_UP_TO = 500
#: Marker sizes in pixels: the smallest, and the most a single point of failure grows to.
SIZE, MOST_SIZE = 9, 36
OUTLINE = "#4D4D4D"  # a thin dark edge keeps light markers (yellow, sky blue) visible on white and in grey print


def status(chain: Chain) -> np.ndarray:
    """Each party's drawing status: ``customer``, ``connected``, ``outside``, an orphan reason, or ``other``.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> dict(zip(chain.parties["id"], status(chain)))["diners"]
    'customer'
    """
    a = chain.arrays
    found = chain.analyze()
    reason = found.parties["reason"].to_numpy(dtype=object)
    connected = found.parties["connected"].to_numpy(dtype=bool)
    out = np.where(pd.notna(reason), reason, np.where(connected, "connected", "other")).astype(object)
    out[a.is_outside] = "outside"
    out[a.is_customer] = "customer"
    return out


def hover_text(chain: Chain, found: Findings, kind: np.ndarray) -> np.ndarray:
    """Per party, the escaped hover text: name, id, group, status, what it hands off to, distance, dependents."""
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
            f"<b>{esc(nm)}</b> ({esc(i)})<br>{esc(g) if not pd.isna(g) else 'no group'} · {lab}<br>"
            f"hands off to: {esc(gv)}<br>distance to the customer: {d if not pd.isna(d) else '-'}"
            f"<br>teams that depend on it: {dep}"
            for i, nm, g, lab, gv, d, dep in zip(parties["id"], names, groups, labels, gives, distance, dependents)
        ],
        dtype=object,
    )


def esc(text) -> str:
    """``text`` as a string safe to show in a figure (Plotly renders a subset of HTML)."""
    return html.escape(str(text))


def marker_sizes(dependents: np.ndarray) -> np.ndarray:
    """Marker size per party: grows with the square root of the teams that depend on it, up to ``MOST_SIZE``."""
    most = float(dependents.max()) if len(dependents) else 0.0
    return SIZE + (MOST_SIZE - SIZE) * np.sqrt(dependents / most) if most > 0 else np.full(len(dependents), SIZE)


def as_svg(fig: go.Figure) -> go.Figure:
    """``fig`` with its WebGL scatter traces redrawn as SVG scatter traces (same data and style)."""
    if not any(t.type == "scattergl" for t in fig.data):
        return fig
    data = [
        go.Scatter({k: v for k, v in t.to_plotly_json().items() if k != "type"}) if t.type == "scattergl" else t
        for t in fig.data
    ]
    return go.Figure(data=data, layout=fig.layout)


def finish(fig: go.Figure, parties: int) -> go.Figure:
    """SVG traces for a figure of up to ``SVG_UP_TO`` parties, WebGL above."""
    return as_svg(fig) if parties <= SVG_UP_TO else fig
