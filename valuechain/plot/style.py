"""How parties and hand-offs are drawn: each party's status, hover text, marker sizes, SVG or WebGL.

The words, colours and shapes of every status and kind of hand-off live in
:mod:`valuechain.vocabulary` (:func:`~valuechain.vocabulary.look`,
:data:`~valuechain.vocabulary.LOOKS`, :class:`~valuechain.vocabulary.Handoff`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from valuechain.vocabulary import COLUMNS, PALETTE, Status, label, look

if TYPE_CHECKING:
    from valuechain.analysis import Findings
    from valuechain.model import Chain

#: Colours of the focus views and of what changed in a scenario.
HIGHLIGHT = {
    "path": PALETTE["green"],
    "loop": PALETTE["purple"],
    "department": PALETTE["blue"],
    "lost": PALETTE["vermillion"],
    "gained": PALETTE["green"],
}
FADED = 0.2  # opacity of what a focus view is not about
#: Up to this many parties (or units) a figure is drawn in SVG, above it in WebGL. In a browser without a GPU,
#: WebGL takes 0.57 s for the 88-party sample where SVG takes 0.06 s (benchmarks/DASHBOARD.md); with a GPU,
#: WebGL keeps large figures responsive.
SVG_UP_TO = 500
#: Marker sizes in pixels: the smallest, and the most a single point of failure grows to.
SIZE, MOST_SIZE = 9, 36
MOST_NAMED_SIZE = 26  # the most when every party is named: smaller markers leave the names room
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
    out = np.where(pd.notna(reason), reason, np.where(connected, Status.CONNECTED, Status.OTHER)).astype(object)
    out[a.is_outside] = Status.OUTSIDE.value
    out[a.is_customer] = Status.CUSTOMER.value
    return out


def hover_text(chain: Chain, found: Findings, kind: np.ndarray) -> np.ndarray:
    """Per party, the escaped hover text: name, id, department, status, whom it delivers to, distance, dependents.

    The status is its legend entry and the other lines are labelled as the vocabulary labels those columns.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> print(hover_text(chain, chain.analyze(), status(chain))[0].replace("<br>", "\\n"))
    <b>Diners</b> (diners)
    no department · External customer
    Delivers to: floor
    Hand-offs to the customer: 0
    Teams that hang on it: 5
    """
    parties = chain.parties
    names = parties["name"].astype(str).to_numpy()
    groups = parties["group"].astype(object).to_numpy()
    distance = found.parties["distance"].to_numpy(dtype=object)
    dependents = found.parties["dependents"].to_numpy()
    # each party's first five distinct receivers, in file order (a loop: a groupby-apply took 0.6 ms a party)
    first_five: dict[object, dict[object, None]] = {}
    for source, target in zip(chain.handoffs["source"].tolist(), chain.handoffs["target"].tolist()):
        receivers = first_five.setdefault(source, {})
        if len(receivers) < 5:
            receivers[target] = None
    gives = [", ".join(map(str, first_five[i])) if i in first_five else "nobody" for i in parties["id"].tolist()]
    legends = np.array([look(k).legend for k in kind], dtype=object)
    delivers, far, hanging = label("delivers"), label("distance"), label("dependents")
    count = COLUMNS["dependents"].text
    # a party read from a process model names its model file (several models: every file that has it)
    files = parties["source_file"].fillna("").astype(str).to_numpy() if "source_file" in parties.columns else None
    model = label("source_file")
    return np.array(
        [
            f"<b>{esc(nm)}</b> ({esc(i)})<br>{esc(g) if not pd.isna(g) else 'no department'} · {esc(legend)}<br>"
            f"{delivers}: {esc(gv)}<br>{far}: {count(d) if not pd.isna(d) else '-'}"
            f"<br>{hanging}: {count(dep)}" + (f"<br>{model}: {esc(files[n])}" if files is not None and files[n] else "")
            for n, (i, nm, g, legend, gv, d, dep) in enumerate(
                zip(parties["id"], names, groups, legends, gives, distance, dependents)
            )
        ],
        dtype=object,
    )


def esc(text) -> str:
    """``text`` as a string safe to show in a figure (Plotly renders a subset of HTML)."""
    return html.escape(str(text))


def marker_sizes(dependents: np.ndarray, largest: float = MOST_SIZE) -> np.ndarray:
    """Marker size per party: grows with the square root of the teams that depend on it, up to ``largest``.

    Examples
    --------
    >>> marker_sizes(np.array([0, 1, 4])).tolist()
    [9.0, 22.5, 36.0]
    """
    most = float(dependents.max()) if len(dependents) else 0.0
    return SIZE + (largest - SIZE) * np.sqrt(dependents / most) if most > 0 else np.full(len(dependents), float(SIZE))


def as_svg(fig: go.Figure) -> go.Figure:
    """``fig`` with its WebGL scatter traces redrawn as SVG scatter traces (same data and style)."""
    if not any(t.type == "scattergl" for t in fig.data):
        return fig
    # the traces and layout were validated when built, and SVG and WebGL scatter traces share these properties:
    # validating them again took a third of the time of a 10,000-party figure
    data = [
        go.Scatter({k: v for k, v in t.to_plotly_json().items() if k != "type"}, _validate=False)
        if t.type == "scattergl"
        else t
        for t in fig.data
    ]
    return go.Figure(data=data, layout=fig.layout, _validate=False)


def finish(fig: go.Figure, parties: int) -> go.Figure:
    """SVG traces for a figure of up to ``SVG_UP_TO`` parties, WebGL above."""
    return as_svg(fig) if parties <= SVG_UP_TO else fig
