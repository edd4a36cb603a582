"""Where each party is drawn: the layered left-to-right layout of the chain.

The external customers sit in the rightmost column; every connected party one
column per hand-off further left, by its distance to them; the parties with
no line of sight in a band of their own below. Within a column, parties are
ordered to cut edge crossings: up to ``SUGIYAMA_UP_TO`` parties by igraph's
Sugiyama layout (about 30% fewer crossings than ours on the mid-size sample
and a 1,000-party org, 0.02 s for 1,000 parties), above that by our
barycentre sweeps in NumPy (0.16 s for 100,000 parties, where Sugiyama takes
7.5 s). See ``benchmarks/LAYOUT.md``.
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
#: Up to this many parties, igraph's Sugiyama layout orders the columns (measured in benchmarks/RESULTS.md).
SUGIYAMA_UP_TO = 5000


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

    if n <= SUGIYAMA_UP_TO:
        # igraph's Sugiyama layout (with dummy parties on long hand-offs) orders each column
        # with fewer crossings; our sweeps are 20 to 50 times faster on large orgs
        row = _sugiyama_rows(n, edges, level, band)
    else:
        row = _barycentre_rows(chain, edges, level, band, sweeps)
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


def _sugiyama_rows(n: int, edges: EdgeSets, level: np.ndarray, band: np.ndarray) -> np.ndarray:
    """Rows within each (band, column) in the order igraph's ``layout_sugiyama`` gives the column."""
    import igraph as ig

    # only hand-offs that run one or more columns towards the customer: igraph 1.0's Sugiyama crashes
    # (a segmentation fault, in about half of our 1,500-party test orgs) when given edges within a column
    # or against the layering; with those left out it did not crash in 31 of 31
    down = level[edges.source] > level[edges.target]
    pairs = np.column_stack([edges.source[down], edges.target[down]])
    graph = ig.Graph(n=n, edges=pairs.tolist(), directed=True)
    across = graph.layout_sugiyama(layers=level.tolist(), maxiter=100)
    key = np.asarray(across.coords, dtype=float)[:n, 0] if n else np.empty(0)
    order = np.lexsort((key, level, band))
    row = np.empty(n, dtype=float)
    row[order] = _rows_within(band[order], level[order])
    return row


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
