"""Figures of the org by department: the department chain, the department matrix, and the flow (Sankey).

All three are read on a screen about 1100 pixels wide (the dashboard) or on A4 (the report, about 1000), and
on paper nobody can hover: every label is written in full, wrapped onto more lines rather than cut, and laid
out so that no two labels overlap and none leaves the figure at ``NARROWEST`` pixels or wider. The words
come from :mod:`valuechain.vocabulary`: outside parties are grouped by kind ("Suppliers", "Regulators"),
counts say what they count ("7 teams"), shares are percentages.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from valuechain.analysis import EdgeSets
from valuechain.plot.layout import layout
from valuechain.plot.scale import drawn_chain, drawn_units
from valuechain.plot.style import MOST_SIZE, OUTLINE, esc, finish, marker_sizes, status
from valuechain.scenarios.rollup import _units, merged_chain
from valuechain.vocabulary import COLUMNS, KIND_GROUPS, LOOKS, Finding, Kind, Reason, label, look

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Edge widths of the department chain: hand-off counts from ``low`` up, drawn ``width`` pixels wide.
WIDTHS = ((1, 1.0), (2, 2.5), (5, 4.5), (10, 7.0), (25, 10.0))
SANKEY_UNITS = 150  # the most boxes a flow figure draws
MATRIX_UNITS = 40  # the most rows (and columns) of the matrix: more departments than that, the rest are one row
NARROWEST = 1000  # pixels: the narrowest the figures are laid out for (A4; the dashboard gives about 1100)
FONT = 11  # pixels: the labels' font size
CHAR = 0.58 * FONT  # pixels: a generous width of one character (capitals and wide letters included)
LINE = 1.3 * FONT  # pixels: the height of one line of a label
SIDES = 20  # pixels: the figures' left and right margins
THICKNESS = 20  # pixels: how wide a box of the flow is
TEXT_OFFSET = 4  # pixels between a box of the flow and its label (Plotly's)
RADIUS = MOST_SIZE / 2  # pixels: the largest marker's radius
TITLE_SPACE = 70  # pixels above the plot for the title, plus LINE per line of the subtitle


def department_units(chain: Chain, by: str = "group", *, matrix: bool = False) -> np.ndarray:
    """Per party, the unit the department views draw it in.

    A team with a department is drawn in its department; an outside party in
    its kind's group ("Suppliers", "Regulators"...). A customer and a team
    with no department stay themselves, except in the ``matrix``, where they
    are grouped too ("External customers", "Teams with no department") so that
    every row is a department or a kind.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> unit = dict(zip(chain.parties["id"], department_units(chain)))
    >>> unit["health"], unit["produce"], unit["kitchen"], unit["diners"]
    ('Regulators', 'Suppliers', 'Back of house', 'diners')
    >>> dict(zip(chain.parties["id"], department_units(chain, matrix=True)))["diners"]
    'External customers'
    """
    _, grouped, unit = _units(chain, by)
    regroup = ~grouped if matrix else chain.arrays.is_outside & ~chain.arrays.is_customer
    return _by_kind(chain, unit, regroup)


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


def _by_kind(chain: Chain, unit: np.ndarray, regroup: np.ndarray) -> np.ndarray:
    """``unit`` with the parties in ``regroup`` in their kind's group; customers in "External customers"."""
    kinds = chain.parties["kind"].astype(str).to_numpy(dtype=object)
    kinds = np.where(chain.arrays.is_customer, Kind.EXTERNAL_CUSTOMER.value, kinds)
    heading = np.array([KIND_GROUPS.get(k, k) for k in kinds], dtype=object)
    taken = set(unit[~regroup].tolist())  # a department called "Suppliers" keeps its name
    heading = np.array([f"{h} (outside parties)" if h in taken else h for h in heading], dtype=object)
    return np.where(regroup, heading, unit).astype(object)


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


# --- the department chain ----------------------------------------------------------------------------------


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


def _unit_facts(chain: Chain, unit: np.ndarray, grouped: np.ndarray) -> pd.DataFrame:
    """Per unit: ``parties``, ``teams`` (of a department), ``orphans`` among them, and the parties' ``names``."""
    connected = chain.analyze().parties["connected"].to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            "unit": unit,
            "team": grouped,
            "orphan": grouped & ~connected,
            "name": chain.parties["name"].astype(str).to_numpy(),
            "kind": chain.parties["kind"].astype(str).to_numpy(),
        }
    )
    by_unit = frame.groupby("unit", sort=False)
    return pd.DataFrame(
        {
            "parties": by_unit.size(),
            "teams": by_unit["team"].sum(),
            "orphans": by_unit["orphan"].sum(),
            "names": by_unit["name"].agg(list),
            "kind": by_unit["kind"].first(),
        }
    )


def _called(unit: str, facts: pd.Series) -> str:
    """A unit as a person calls it: a department or a kind's group by its name, a single party by the party's."""
    return str(unit) if facts["teams"] or facts["parties"] > 1 or unit in KIND_GROUPS.values() else facts["names"][0]


def _party_or_group(unit: str, facts: pd.Series) -> str:
    """A unit that is no department: ``"Suppliers (4)"``, ``"Regulators: Food Safety Office"``, or a party's name."""
    if facts["parties"] > 1:  # a kind's group, or a layer ("teams, 2 hand-offs from the customer")
        return f"{unit[:1].upper()}{unit[1:]} ({facts['parties']})"
    return f"{unit}: {facts['names'][0]}" if unit in KIND_GROUPS.values() else str(facts["names"][0])


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


def _together(words: str) -> str:
    """``words`` joined by non-breaking spaces, so that wrapping keeps them on one line ("7 teams")."""
    return words.replace(" ", "\u00a0")


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


def _wrapped(text: str, chars: int = 120) -> str:
    """``text`` escaped and wrapped onto lines of at most ``chars`` characters (a word longer than that is cut)."""
    return "<br>".join(esc(line) for line in textwrap.wrap(str(text), max(chars, 8), break_on_hyphens=False) or [""])


# --- the matrix -----------------------------------------------------------------------------------------------


def matrix_figure(chain: Chain, by: str = "group") -> go.Figure:
    """Hand-offs from each department (rows) to each (columns), outside parties grouped by kind.

    Every row and column is labelled in full (long names wrap); each cell with
    hand-offs shows its count, so the matrix reads in grey print too.

    Examples
    --------
    >>> import valuechain as vc
    >>> fig = matrix_figure(vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv"))
    >>> list(fig.data[0].y)
    ['Back of house', 'Back office', 'Front of house', 'Suppliers', 'Regulators', 'External customers']
    """
    table, names, font, side, cell = _matrix_geometry(chain, by)
    lines = max(n.count("<br>") + 1 for n in names)
    pitch = max(min(cell, 36), lines * font * 1.3 + 6, 22)  # rows as tall as the columns are wide, within reason
    counts = table.to_numpy()
    shown = cell >= 3 * CHAR + 4 and counts.max(initial=0) < 1000
    unit_word = "department" if by == "group" else label(by).lower()
    heat = go.Figure(
        go.Heatmap(
            z=counts,
            x=names,
            y=names,
            text=np.where(counts > 0, counts.astype(str), ""),
            texttemplate="%{text}" if shown else None,
            textfont={"size": FONT - 1},
            colorscale="Blues",
            hovertemplate=f"{label('source')} %{{y}} {label('target').lower()} %{{x}}: %{{z}} "
            f"{label('handoffs').lower()}<extra></extra>",
            colorbar={
                "title": {"text": label("handoffs"), "side": "right"},
                **({"dtick": 1} if counts.max(initial=0) <= 10 else {"tickformat": ",d"}),  # whole hand-offs
            },
            xgap=1,
            ygap=1,
        )
    )
    title = f"Hand-offs from each {unit_word} (rows) to each (columns); outside parties by kind"
    if len(table) < len(set(department_units(chain, by, matrix=True).tolist())):
        title += f"; the {unit_word}s with the most hand-offs, the others together"
    title = _wrapped(title)
    heat.update_layout(
        title={"text": title},
        yaxis={
            "autorange": "reversed",
            "tickmode": "array",
            "tickvals": names,
            "ticktext": names,
            "tickfont": {"size": font},
            "ticks": "outside",
            "ticklen": 6,
            "tickcolor": "white",
            "title": {"text": label("source")},
            "automargin": True,
        },
        xaxis={
            "tickangle": -90,
            "tickmode": "array",
            "tickvals": names,
            "ticktext": names,
            "tickfont": {"size": font},
            "title": {"text": label("target")},
            "side": "bottom",
            "automargin": True,
        },
        plot_bgcolor="white",
        height=int(pitch * len(table.index) + side + 120),
        margin={"l": int(side), "r": SIDES, "t": 80, "b": int(side)},
    )
    return heat


def _matrix_geometry(chain: Chain, by: str) -> tuple[pd.DataFrame, list[str], int, float, float]:
    """The matrix and how to letter it at ``NARROWEST`` pixels: labels, font size, label space, column width.

    The column labels are turned upright, so a column must be as wide as its label has lines: the first of
    these that fits wins: names wrapped at 22 characters in the full font, then smaller letters, then
    longer lines (fewer of them), then fewer rows (the busiest departments, the others together).
    """
    for most in (MATRIX_UNITS, 30, 20):
        table = department_matrix(chain, by, most=most)
        for font in (FONT, 10, 9, 8):
            for width in (22, 32, 48):
                names = [_wrapped(c, width) for c in table.columns]
                lines = max(n.count("<br>") + 1 for n in names)
                longest = max(len(line) for n in names for line in n.split("<br>"))
                side = longest * CHAR * font / FONT + 40  # the row labels' width, the column labels' height
                cell = (NARROWEST - side - SIDES - 110) / len(table.columns)  # the colour bar takes 110 pixels
                if cell >= lines * font * 1.3 + 4:
                    return table, names, font, side, cell
    return table, names, font, side, cell


def department_matrix(chain: Chain, by: str = "group", *, most: int | None = None) -> pd.DataFrame:
    """Hand-offs from each department or kind of party (rows) to each (columns).

    Departments come first by name, then the kinds of party in the
    vocabulary's order, external customers last. Hand-offs are distinct
    ordered pairs of parties, as in :attr:`valuechain.scenarios.rollup.Rollup.matrix`,
    so the matrix adds up to the summary's hand-offs. With ``most``, at most
    that many rows: the departments with the most hand-offs (in and out) keep
    theirs, the others share one row ("Other departments (12)").

    Examples
    --------
    >>> import valuechain as vc
    >>> m = department_matrix(vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv"))
    >>> list(m.index[-6:])
    ['Suppliers', 'Vendor partners', 'Regulators', 'Government agencies', 'Community parties', 'External customers']
    """
    _, grouped, _ = _units(chain, by)
    unit = department_units(chain, by, matrix=True)
    kinds = np.where(chain.arrays.is_customer, Kind.EXTERNAL_CUSTOMER.value, chain.parties["kind"].astype(str))
    order = list(KIND_GROUPS)
    order.remove(Kind.EXTERNAL_CUSTOMER.value)
    order.append(Kind.EXTERNAL_CUSTOMER.value)
    rank = np.where(grouped, -1, [order.index(k) if k in order else len(order) for k in kinds])
    first = pd.DataFrame({"unit": unit, "rank": rank}).groupby("unit")["rank"].min()
    edges = EdgeSets.of(chain)
    departments = first.index[first == -1]
    if most is not None and len(first) > most:
        busy = pd.Series(np.concatenate([unit[edges.source], unit[edges.target]])).value_counts()
        busy = busy.reindex(departments, fill_value=0).sort_values(ascending=False, kind="stable")
        rest = busy.index[max(most - 1 - (len(first) - len(departments)), 1) :]
        word = "department" if by == "group" else label(by).lower()
        other = f"Other {word}s ({len(rest):,})"
        unit = np.where(pd.Series(unit).isin(rest).to_numpy(), other, unit)
        first = pd.concat([first.drop(rest), pd.Series({other: -0.5})])  # after the departments, before the kinds
    labels = sorted(first.index, key=lambda u: (first[u], str(u)))
    pairs = pd.DataFrame({"source": unit[edges.source], "target": unit[edges.target]})
    counts = pairs.groupby(["source", "target"]).size()
    table = counts.unstack(fill_value=0) if len(counts) else pd.DataFrame()
    return table.reindex(index=labels, columns=labels, fill_value=0).astype(int)


# --- the flow -------------------------------------------------------------------------------------------------


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
        f"{int(left['n'].sum())} hand-off(s) between {len(left)} pair(s) of boxes that run sideways or away from "
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
