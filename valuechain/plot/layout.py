"""Where each party is drawn: the layered left-to-right layout of the chain.

The external customers sit in the rightmost column; every connected party one
column per hand-off further left, by its distance to them; the parties with
no line of sight in a band of their own below. Within a column, parties are
ordered to cut edge crossings by barycentre sweeps in NumPy (0.16 s for
100,000 parties).

igraph's Sugiyama layout orders columns with about 30% fewer crossings, and
the figures used it up to 5,000 parties until 2026-11-24, when it crashed the
test process (a segmentation fault inside igraph 1.0's C code, in the what-if
figure of a 200-party real graph) although it had been given only hand-offs
that run with the layering. It does not crash on the same input in a fresh
process, so it reads memory it should not, and what it reads depends on what
ran before: not something a dashboard serving many people can risk. The
comparison stays measurable: ``benchmarks/layout_compare.py`` runs Sugiyama
in a process of its own. See ``benchmarks/LAYOUT.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.algorithms import Reversed
from valuechain.analysis import EdgeSets
from valuechain.io.ids import sort_rank

if TYPE_CHECKING:
    from valuechain.model import Chain

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


def _layout(chain: Chain, sweeps: int, order=None) -> pd.DataFrame:
    """The layout; ``order(n, edges, level, band)`` gives the rows within columns (our sweeps when None)."""
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

    if order is None:
        row = _barycentre_rows(chain, edges, level, band, sweeps)
    else:  # another ordering, for benchmarks/layout_compare.py
        row = order(n, edges, level, band)
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


def _barycentre_rows(chain: Chain, edges: EdgeSets, level: np.ndarray, band: np.ndarray, sweeps: int) -> np.ndarray:
    """Rows within each (band, column): start by group and id, then barycentre sweeps against neighbours' rows."""
    n = len(level)
    _, id_rank = sort_rank(chain.arrays.ids)
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
    return row


def _rows_within(band: np.ndarray, level: np.ndarray) -> np.ndarray:
    """0, 1, 2... within each run of equal (band, level), centred on 0, for parties in sorted order."""
    key = band * (level.max() + 2 if len(level) else 1) + level
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.empty(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(key)])
    rank = np.arange(len(key)) - np.repeat(starts, sizes)
    return rank - np.repeat((sizes - 1) / 2, sizes)
