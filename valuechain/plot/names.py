"""The chain figure's names: a party found by id or name, and the names written on the figure as SVG annotations.

:func:`name_labels` fixes the figure's geometry (its x range, the height of
a row, the margins) so that the labels :mod:`valuechain.plot.labels` places
do not overlap at :data:`~valuechain.plot.labels.DESIGN_WIDTH` pixels or
wider, then writes them as annotations (SVG text, also when the markers are
WebGL), each with the party's full name on hover.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from valuechain.exceptions import NotFound, PartyNotFound
from valuechain.plot.labels import (
    ALL_UP_TO,
    DESIGN_WIDTH,
    FONT,
    FONT_SIZE,
    PAD,
    Frame,
    Label,
    box_height,
    every_label,
    priority_labels,
    text_width,
)
from valuechain.plot.style import esc
from valuechain.vocabulary import label

if TYPE_CHECKING:
    from valuechain.model import Chain

MARGIN = {"l": 10, "r": 10, "t": 90}  # the bottom margin holds the axis title and the legend (see _bottom)
LEFT = 0.2  # columns of room left of the leftmost column
ROW_PX = 22  # pixels per row when not every party is named
MOST_BOTTOM = 184  # the bottom margin the labels above 150 parties are placed for (a taller one adds height)
AUTORANGE = 0.9  # Plotly pads an autoranged axis by 5% each side: the rows get at least this share of the height
TEXT = "#333333"
FADED_TEXT = "#A0A0A0"
BACKGROUND = "rgba(255,255,255,0.85)"


@dataclass
class Names:
    """What the labels of a chain figure are drawn from, one entry per party (by position)."""

    names: list[str]
    x: np.ndarray
    y: np.ndarray
    size: np.ndarray  # marker diameters, pixels
    emphasis: np.ndarray  # bold, in full colour: what a focus view is about
    priority: np.ndarray  # positions of the parties to name first when not all can be
    faded: bool = False  # a focus view: the other names in light grey


def resolve_party(chain: Chain, party: str) -> str:
    """The id of ``party``, given as an id or, when it is no id, as a party's exact name (any case).

    Raises
    ------
    PartyNotFound
        Neither an id nor a name, with the closest id or name as a suggestion.
    NotFound
        A name that several parties share: give the id.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> resolve_party(chain, "kitchen"), resolve_party(chain, "Kitchen")
    ('kitchen', 'kitchen')
    """
    ids = chain.arrays.ids
    if (ids == party).any():
        return str(party)
    names = chain.parties["name"].astype(str).to_numpy()
    hit = np.flatnonzero(names == str(party))
    if len(hit) == 0:
        hit = np.flatnonzero(np.char.lower(names.astype(str)) == str(party).lower())
    if len(hit) == 1:
        return str(ids[hit[0]])
    if len(hit) > 1:
        raise NotFound(f"'{party}' is the name of {len(hit)} parties ({', '.join(map(str, ids[hit][:5]))}): give an id")
    raise PartyNotFound(party, [*map(str, ids), *names])


def label_frame(fig: go.Figure) -> Frame | None:
    """The geometry (axis ranges, plot area in pixels) ``fig``'s labels were placed for: the narrowest it takes."""
    meta = fig.layout.meta
    if isinstance(meta, dict) and "label_frame" in meta:
        return Frame(*map(float, meta["label_frame"]))
    return None


@dataclass
class Plan:
    """Where the names go and the geometry they need: the labels, the x range, the plot's height in pixels."""

    placed: list[Label]
    frame: Frame | None  # the narrowest geometry the labels fit (None: no labels)
    x_range: tuple[float, float]
    columns: list[float]
    plot_height: float | None  # every party named: the plot's height; else None (a fixed figure height)
    height: int = 0  # the figure's height when not every party is named


def plan_labels(names: Names, labels: bool | None = None) -> Plan:
    """Place the parties' names (all up to 150 parties, else the most important) and size the figure for them.

    Examples
    --------
    >>> plan = plan_labels(Names(["A", "B"], np.array([-1.0, 0.0]), np.zeros(2), np.full(2, 9.0), np.zeros(2, bool),
    ...                          np.arange(2)))
    >>> [lbl.lines for lbl in plan.placed], plan.x_range
    ([['A'], ['B']], (-1.2, 1.0))
    """
    x, y = np.asarray(names.x, dtype=float), np.asarray(names.y, dtype=float)
    n = len(x)
    radius = np.asarray(names.size, dtype=float) / 2
    columns = sorted(set(x.tolist())) or [0.0]
    x0, x1 = columns[0] - LEFT, columns[-1] + 1.0
    plot_width = DESIGN_WIDTH - MARGIN["l"] - MARGIN["r"]
    column_px = plot_width / (x1 - x0)
    span = float(y.max() - y.min()) if n else 0.0
    if labels is not False and n <= ALL_UP_TO:
        bold = names.emphasis if names.faded else None
        placed, row_px = every_label(names.names, x, y, radius, column_px, x1, bold=bold)
        tallest = max((len(lbl.lines) for lbl in placed), default=1)
        pad = max(float(radius.max()) if n else 0.0, box_height(tallest) / 2) + 4
        frame = Frame(x0, x1, y.min() - pad / row_px, y.max() + pad / row_px, plot_width, span * row_px + 2 * pad)
        return Plan(placed, frame, (x0, x1), columns, (span * row_px + 2 * pad) / AUTORANGE)
    rows = int(np.unique(x, return_counts=True)[1].max()) if n else 1
    height = int(min(1400, max(520, ROW_PX * rows + 260)))
    if labels is False or n == 0:
        return Plan([], None, (x0, x1), columns, None, height)
    plot_height = (height - MARGIN["t"] - MOST_BOTTOM) * AUTORANGE  # the least it gets
    pad = float(radius.max()) + 4
    per_row = (plot_height - 2 * pad) / span if span > 0 else 1.0
    frame = Frame(x0, x1, y.min() - pad / per_row, y.max() + pad / per_row, plot_width, plot_height)
    px, py = frame.pixels(x, y)
    bold = names.emphasis if names.faded else np.zeros(n, dtype=bool)
    placed = priority_labels(names.priority, names.names, px, py, radius, plot_width, plot_height, bold=bold)
    return Plan(placed, frame, (x0, x1), columns, None, height)


def name_labels(fig: go.Figure, names: Names, plan: Plan) -> None:
    """Write the planned names on ``fig`` as annotations, and set its x range, height and margins to fit them.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> fig = chain.plot()
    >>> sorted(a.text for a in fig.layout.annotations)[:2]
    ['Bar', 'Bookkeeping']
    """
    x, y = np.asarray(names.x, dtype=float), np.asarray(names.y, dtype=float)
    bottom = _bottom(fig)
    if plan.plot_height is not None:
        height = int(np.ceil(max(plan.plot_height + MARGIN["t"] + bottom, 420)))
    else:
        height = plan.height + max(0, bottom - MOST_BOTTOM)  # the plot keeps the height the labels were placed for
    fig.update_layout(
        xaxis={
            "title": {"text": label("distance")},
            "range": list(plan.x_range),
            "tickmode": "array",
            "tickvals": plan.columns,
            "ticktext": [f"{abs(c):g}" for c in plan.columns],
            "zeroline": False,
            "showgrid": False,
        },
        height=height,
        margin={**MARGIN, "b": bottom, "autoexpand": False},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 4, "yref": "container", "yanchor": "bottom"},
        annotations=[_annotation(lbl, names, x, y) for lbl in plan.placed],
    )
    frame = plan.frame
    if frame is not None:  # the narrowest geometry the labels were placed for, for tests and later drawing
        meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
        corners = [frame.x0, frame.x1, frame.y0, frame.y1, frame.width, frame.height]
        fig.update_layout(meta={**meta, "label_frame": corners})


def _annotation(lbl: Label, names: Names, x: np.ndarray, y: np.ndarray) -> dict:
    """The annotation that writes one label."""
    p = lbl.party
    text = "<br>".join(esc(line) for line in lbl.lines)
    strong = bool(names.emphasis[p]) and names.faded
    return {
        "x": float(x[p]),
        "y": float(y[p]),
        "xref": "x",
        "yref": "y",
        "text": f"<b>{text}</b>" if strong else text,
        "showarrow": False,
        "xanchor": lbl.xanchor,
        "yanchor": "middle",
        "xshift": lbl.xshift,
        "yshift": lbl.yshift,
        "align": {"left": "left", "right": "right"}.get(lbl.xanchor, "center"),
        "font": {"family": FONT, "size": FONT_SIZE, "color": FADED_TEXT if names.faded and not strong else TEXT},
        "bgcolor": BACKGROUND,
        "borderpad": PAD,
        "hovertext": esc(names.names[p]),
        "name": "party name",
    }


def _bottom(fig: go.Figure) -> int:
    """The bottom margin: the axis ticks and title, and the legend's rows (estimated at the design width).

    A horizontal legend that does not fit on one row is laid out by Plotly in
    columns as wide as its widest entry.
    """
    shown = list(dict.fromkeys(t.name for t in fig.data if t.showlegend is not False and t.name))
    if not shown:
        return 64
    room = DESIGN_WIDTH - MARGIN["l"] - MARGIN["r"]
    widths = [text_width(name, size=12) + 50 for name in shown]
    columns = len(shown) if sum(widths) <= room else max(1, int(room // max(widths)))
    rows = -(-len(shown) // columns)
    return 64 + 24 * rows
