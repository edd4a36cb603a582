"""The flow: a Sankey of hand-offs flowing by department (or distance layer) towards the customer."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from valuechain.analysis import EdgeSets
from valuechain.plot.layout import layout
from valuechain.plot.scale import drawn_chain, drawn_units
from valuechain.plot.style import esc, status
from valuechain.plot.units import (
    CHAR,
    FONT,
    LINE,
    NARROWEST,
    SIDES,
    TITLE_SPACE,
    _by_kind,
    _party_or_group,
    _together,
    _unit_facts,
    _wrapped,
)
from valuechain.scenarios.rollup import _units
from valuechain.vocabulary import Kind, counted, look

if TYPE_CHECKING:
    from valuechain.model import Chain

SANKEY_UNITS = 150  # the most boxes a flow figure draws
THICKNESS = 20  # pixels: how wide a box of the flow is
TEXT_OFFSET = 4  # pixels between a box of the flow and its label (Plotly's)


def flow_units(chain: Chain) -> tuple[np.ndarray, str]:
    """Per party, the box of the flow it flows through, and how the flow was rolled up (in words).

    Departments, or distance layers when there are more than ``SANKEY_UNITS``
    (:func:`~valuechain.plot.scale.drawn_units`); an outside party that would
    be a box of its own is in its kind's box ("Suppliers").

    Examples
    --------
    >>> import valuechain as vc
    >>> unit, how = flow_units(vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv"))
    >>> how, sorted(set(unit))[-4:]
    ('by department', ['Supply Chain', 'Vendor partners', 'businesses', 'households'])
    """
    unit, how = drawn_units(chain, max_parties=SANKEY_UNITS)
    alone = unit == chain.arrays.ids
    return _by_kind(chain, unit, alone & chain.arrays.is_outside & ~chain.arrays.is_customer), how


def flow_figure(chain: Chain) -> go.Figure:
    """A Sankey of hand-offs flowing by department toward the customer.

    Departments (or, for an org without them, distance layers) are the boxes,
    outside parties grouped by kind; a box with no hand-off onward (a customer,
    or a dead end) sits at the right, every other one as far right as its
    longest flow allows; a band's width is the number of hand-offs (distinct
    ordered pairs of parties). A Sankey cannot draw a loop, so hand-offs that
    run sideways or back, away from the customer, are left out of the drawing;
    the subtitle says how many, and a box none of whose hand-offs is drawn is
    left out too. Labels wrap to fit between the columns, and boxes are
    spaced so that labels never meet.

    Examples
    --------
    >>> import valuechain as vc
    >>> fig = flow_figure(vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv"))
    >>> fig.data[0].type, fig.layout.meta["left_out"]
    ('sankey', 3)
    """
    unit, how = flow_units(chain)
    _, grouped, _ = _units(chain, "group")
    units = drawn_chain(chain, unit)
    level = layout(units)["level"].to_numpy()
    ids = units.parties["id"].to_numpy(dtype=object)
    index = pd.Index(ids)
    edges = EdgeSets.of(chain)
    pairs = pd.DataFrame(
        {"s": index.get_indexer(unit[edges.source]), "t": index.get_indexer(unit[edges.target])}
    ).query("s != t")
    flows = pairs.value_counts().rename("n").reset_index()
    forward = level[flows["s"]] > level[flows["t"]]
    drawn, left = flows[forward], flows[~forward]
    # a box with no flow drawn would be an empty label: only boxes with a drawn flow are boxes
    boxes = np.unique(drawn[["s", "t"]].to_numpy())
    renumber = np.full(len(ids), -1)
    renumber[boxes] = np.arange(len(boxes))
    drawn = drawn.assign(s=renumber[drawn["s"]], t=renumber[drawn["t"]])
    kind = status(units)[boxes]
    ids = ids[boxes]
    facts = _unit_facts(chain, unit, grouped).reindex(ids)

    # Plotly puts a box as far right as its longest flow allows and its label to its right, except in the last
    # column, where the label is on the left: those labels share the gap with the ones of the column before
    height = _heights(len(ids), drawn["s"].to_numpy(), drawn["t"].to_numpy())
    columns = int(height.max()) + 1 if len(height) else 1
    gap = (NARROWEST - 2 * SIDES - THICKNESS) / max(columns - 1, 1) - THICKNESS - 2 * TEXT_OFFSET
    room = np.where(height <= 1, gap / 2 - 6, gap - 6) if columns > 1 else np.full(len(ids), NARROWEST / 2)
    font = next((f for f in (FONT, 10, 9) if room.min(initial=np.inf) >= 12 * CHAR * f / FONT), 8)
    full = [_flow_label(i, facts.loc[i]) for i in ids]
    texts = [_fitted(t, int(r // (CHAR * font / FONT))) for t, r in zip(full, room)]
    lines = max((t.count("<br>") + 1 for t in texts), default=1)
    pad = lines * LINE * font / FONT + 6
    column_of = columns - 1 - height
    most = int(pd.Series(column_of).value_counts().max()) if len(ids) else 1
    note = _wrapped(
        f"{counted(int(left['n'].sum()), 'hand-off')} between {counted(len(left), 'pair')} of boxes that run sideways "
        "or away from "
        "the customer (loops, mutual dependencies) are left out of this drawing: see the loops."
        if len(left)
        else "Every hand-off between boxes runs towards the customer: nothing is left out."
    )
    top_margin = int(TITLE_SPACE + LINE * (note.count("<br>") + 1) + lines * LINE)
    fig = go.Figure(
        go.Sankey(
            node={
                "label": texts,
                "color": [look(k).colour for k in kind],
                "align": "right",
                "pad": pad,
                "thickness": THICKNESS,
                "customdata": [f"{esc(t)}<br>{look(k).legend}" for t, k in zip(full, kind)],
                "hovertemplate": "%{customdata}<extra></extra>",
            },
            link={
                "source": drawn["s"].to_numpy(),
                "target": drawn["t"].to_numpy(),
                "value": drawn["n"].to_numpy(),
                "color": [_fade(look(k).colour) for k in kind[drawn["s"].to_numpy()]],
                "hovertemplate": "%{source.label} → %{target.label}: %{value} hand-offs<extra></extra>",
            },
            textfont={"size": font},
        )
    )
    fig.update_layout(
        title={"text": f"Flow of hand-offs towards the customer (right), {how}", "subtitle": {"text": note}},
        meta={"left_out": len(left), "left_out_handoffs": int(left["n"].sum())},
        height=int(max(480, 2 * pad * most + 120) + top_margin),
        margin={"l": SIDES, "r": SIDES, "t": top_margin, "b": 20 + int(lines * LINE)},
        font={"size": FONT},
    )
    return fig


def _heights(n: int, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Per box, the longest run of drawn flows from it to a box with none onward (Plotly's columns from the right)."""
    height = np.zeros(n, dtype=np.int64)
    for _ in range(n):  # the drawn flows have no loop, so this settles within n rounds
        onward = np.zeros(n, dtype=np.int64)
        np.maximum.at(onward, source, height[target] + 1)
        if (onward <= height).all():
            break
        height = np.maximum(height, onward)
    return height


def _flow_label(unit: str, facts: pd.Series) -> str:
    """A box's label: a department with its teams (``"Finance (7 teams)"``), a kind's group, a party."""
    if facts["teams"]:
        teams = int(facts["teams"])
        return f"{unit} " + _together(f"({teams:,} {Kind.TEAM.one.lower() if teams == 1 else Kind.TEAM.plural})")
    return _party_or_group(unit, facts)


def _fitted(text: str, chars: int, most: int = 3) -> str:
    """``text`` wrapped onto at most ``most`` lines of ``chars`` characters, escaped; what does not fit ends in "…".

    Only a flow too crowded for its labels (a dozen columns of boxes) cuts one; the hover has it in full.

    Examples
    --------
    >>> _fitted("Research and Development (40 teams)", 12)
    'Research and<br>Development<br>(40 teams)'
    >>> _fitted("Teams with no line of sight (closed loop) (86)", 9)
    'Teams<br>with no<br>line of …'
    """
    lines = textwrap.wrap(text, max(chars, 1), break_on_hyphens=False)
    if len(lines) > most:
        last = lines[most - 1]
        cut = last + " …" if len(last) + 2 <= chars else last[: max(chars - 1, 1)].rstrip() + "…"
        lines = [*lines[: most - 1], cut]
    return "<br>".join(esc(line) for line in lines)


def _fade(colour: str, alpha: float = 0.4) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
