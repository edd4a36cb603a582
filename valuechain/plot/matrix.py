"""The hand-off matrix: hand-offs from each department or kind of outside party (rows) to each (columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from valuechain.analysis import EdgeSets
from valuechain.plot.units import CHAR, FONT, NARROWEST, SIDES, _wrapped, department_units
from valuechain.scenarios.rollup import _units
from valuechain.vocabulary import KIND_GROUPS, Kind, label

if TYPE_CHECKING:
    from valuechain.model import Chain

MATRIX_UNITS = 40  # the most rows (and columns) of the matrix: more departments than that, the rest are one row


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
