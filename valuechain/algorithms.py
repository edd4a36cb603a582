"""Graph algorithms on integer edge arrays, each linear (or near-linear) in the graph.

Parties are ``0..n-1``; a graph is two arrays ``source, target`` of equal length.
The findings (:mod:`valuechain.analysis`) are made of these pieces; SciPy's
compiled graph routines and igraph's dominator tree do the heavy lifting.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from valuechain.exceptions import OptionError

if TYPE_CHECKING:
    import scipy.sparse as sp

# SciPy (a fifth of a second to import, most of it scipy.sparse.linalg, which csgraph imports) is imported by
# the functions that search: commands that only read and check an org never load it.


def adjacency(n: int, source: np.ndarray, target: np.ndarray) -> sp.csr_array:
    """The ``n`` x ``n`` adjacency matrix (CSR) of the edges ``source[i] -> target[i]``.

    Examples
    --------
    >>> adjacency(3, np.array([0, 1]), np.array([1, 2])).toarray().tolist()
    [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    """
    import scipy.sparse as sp

    data = np.ones(len(source), dtype=np.int8)
    return sp.csr_array((data, (source, target)), shape=(n, n))


class Reversed:
    """A graph with its edges turned round, ready for searches from many seed sets.

    Searching against the edges from the customers finds every party with a
    path *to* them. The CSR matrix is built once; each search adds a virtual
    node joined to its seeds, so one pass covers any number of seeds.

    Examples
    --------
    >>> back = Reversed(4, np.array([0, 1]), np.array([1, 2]))
    >>> order, dist, parent = back.tree(np.array([2]))
    >>> order.tolist(), dist.tolist(), parent.tolist()
    ([2, 1, 0], [2, 1, 0, -1], [1, 2, -1, -1])
    >>> back.search(np.array([1])).tolist()
    [1, 0]
    """

    def __init__(self, n: int, source: np.ndarray, target: np.ndarray) -> None:
        self.n = n
        csr = adjacency(n, target, source)
        # Kept as SciPy's searches take them, so that a search copies nothing but its own root: 32-bit indices
        # while they fit, and float64 weights (SciPy converts any others: a copy of every edge per search).
        small = len(csr.indices) + n + 1 < np.iinfo(np.int32).max
        self._index_type = np.int32 if small else np.int64
        self.indptr = csr.indptr.astype(self._index_type, copy=False)
        self.indices = csr.indices.astype(self._index_type, copy=False)
        self._weights = np.ones(0)

    def _with_root(self, seeds: np.ndarray) -> sp.csr_array:
        import scipy.sparse as sp

        n = self.n
        indptr = np.append(self.indptr, self.indptr[-1] + len(seeds)).astype(self._index_type)
        indices = np.concatenate([self.indices, seeds.astype(self._index_type)])
        if len(self._weights) < len(indices):
            self._weights = np.ones(len(indices))  # kept for later searches with as many seeds or fewer
        return sp.csr_array((self._weights[: len(indices)], indices, indptr), shape=(n + 1, n + 1))

    def search(self, seeds: np.ndarray) -> np.ndarray:
        """Every node with a path to a seed (the seeds included), in breadth-first order."""
        seeds = np.unique(np.asarray(seeds, dtype=np.int64))
        if len(seeds) == 0:
            return np.empty(0, dtype=np.int64)
        from scipy.sparse.csgraph import breadth_first_order

        order = breadth_first_order(self._with_root(seeds), self.n, directed=True, return_predecessors=False)
        return order[1:].astype(np.int64)

    def tree(self, seeds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The breadth-first tree from the seeds: (order, distance, parent).

        ``distance`` is -1 where no seed is reached; ``parent`` is the next node
        on a shortest path to a seed, -1 at the seeds and where none is reached.
        """
        n = self.n
        seeds = np.unique(np.asarray(seeds, dtype=np.int64))
        distance = np.full(n, -1, dtype=np.int64)
        parent = np.full(n, -1, dtype=np.int64)
        if len(seeds) == 0:
            return np.empty(0, dtype=np.int64), distance, parent
        from scipy.sparse.csgraph import breadth_first_order

        whole, pred = breadth_first_order(self._with_root(seeds), n, directed=True, return_predecessors=True)
        whole, pred = whole.astype(np.int64), pred.astype(np.int64)
        order = whole[1:]
        levels = breadth_first_depths(whole, pred)
        if levels is not None:
            distance[order] = levels[1:] - 1
        else:
            distance[order] = tree_depths(pred, n, order)[order] - 1
        parent[order] = np.where(pred[order] == n, -1, pred[order])
        return order, distance, parent


def breadth_first_depths(order: np.ndarray, parent: np.ndarray, most_levels: int = 512) -> np.ndarray | None:
    """The depth at each position of a breadth-first ``order`` (the root first), from where each level ends.

    Along a breadth-first order the parents' positions never decrease, so a
    level ends where the parents leave the level before it: one binary search
    per level.

    Parameters
    ----------
    order : numpy.ndarray
        The nodes in breadth-first order, the root first.
    parent : numpy.ndarray
        Each node's parent in the search (read for every node of ``order`` but the root).
    most_levels : int
        ``None`` is returned for a tree of more levels (then use :func:`tree_depths`, whose cost does not
        grow with the levels).

    Examples
    --------
    >>> breadth_first_depths(np.array([0, 1, 2, 3]), np.array([-1, 0, 0, 2])).tolist()
    [0, 1, 1, 2]
    """
    position = np.empty(len(parent), dtype=np.int64)
    position[order] = np.arange(len(order))
    parent_position = np.empty(len(order), dtype=np.int64)
    parent_position[0] = -1
    parent_position[1:] = position[parent[order[1:]]]
    level_starts = [0, 1]  # the root's level, then each level starts where the parents leave the one before it
    while level_starts[-1] < len(order):
        if len(level_starts) > most_levels:
            return None
        level_starts.append(int(np.searchsorted(parent_position, level_starts[-1], side="left")))
    return np.repeat(np.arange(len(level_starts) - 1), np.diff(level_starts))


def tree_depths(parent: np.ndarray, root: int, nodes: np.ndarray) -> np.ndarray:
    """Depth of each of ``nodes`` in the tree given by ``parent`` (root depth 0).

    Pointer jumping: ``log2(depth)`` vectorised passes, so a chain of a million
    parties costs 20 passes, not a million steps.

    Examples
    --------
    >>> tree_depths(np.array([-9999, 0, 1, 2]), 0, np.array([1, 2, 3])).tolist()
    [0, 1, 2, 3]
    """
    depth = np.zeros(len(parent), dtype=np.int64)
    ancestor = np.full(len(parent), root, dtype=np.int64)
    ancestor[nodes] = parent[nodes]
    depth[nodes] = 1
    active = nodes[ancestor[nodes] != root]
    while len(active):
        up = ancestor[active]
        depth[active] += depth[up]
        ancestor[active] = ancestor[up]
        active = active[ancestor[active] != root]
    return depth


def strong_components(n: int, source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strongly connected components: (label per node, size per label).

    Examples
    --------
    >>> labels, sizes = strong_components(3, np.array([0, 1]), np.array([1, 0]))
    >>> sizes[labels].tolist()
    [2, 2, 1]
    """
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    from scipy.sparse.csgraph import connected_components

    _, labels = connected_components(adjacency(n, source, target), directed=True, connection="strong")
    labels = labels.astype(np.int64)
    return labels, np.bincount(labels, minlength=labels.max() + 1 if n else 0)


def two_way_pairs(n: int, source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(a, b)``, ``a < b``, with edges both ways: the 2-cycles, from ``A.multiply(A.T)``.

    Examples
    --------
    >>> two_way_pairs(3, np.array([0, 1, 1]), np.array([1, 0, 2]))
    (array([0]), array([1]))
    """
    a = adjacency(n, source, target)
    both = a.multiply(a.T.tocsr()).tocoo()
    upper = both.row < both.col
    rows, cols = both.row[upper].astype(np.int64), both.col[upper].astype(np.int64)
    order = np.lexsort((cols, rows))
    return rows[order], cols[order]


def immediate_dominators(
    n: int,
    source: np.ndarray,
    target: np.ndarray,
    root: int,
    tree: tuple[np.ndarray, np.ndarray] | None = None,
    *,
    method: str = "auto",
) -> np.ndarray:
    """The immediate dominator of each node reachable from ``root`` (-1 elsewhere and at the root).

    Node ``d`` dominates ``v`` when every path from the root to ``v`` passes
    ``d``. Computed by the iterative algorithm (Cooper, Harvey and Kennedy)
    vectorised over breadth-first levels: start from a breadth-first tree,
    then set each node's dominator to the common ancestor, in the current
    tree, of all its predecessors, level by level, until nothing changes.
    That is fast on ordinary organisations (a few levels, a few passes), but
    on some shapes (long chains, ladders, staircases of back edges) the passes,
    the levels or the climbs to common ancestors grow with the depth. So the
    passes have a budget of :data:`WORK_PER_EDGE` units of work per node and
    edge of the graph (about what igraph's Lengauer-Tarjan, near-linear, costs
    on the same graph), and the graph is handed to igraph instead

    * at once, when its levels alone would spend the budget in two passes
      (long chains, ladders, staircases: :data:`STEPS_PER_LEVEL`);
    * during a pass, as soon as the work of the pass so far, carried over to
      the rest of it (and in the first pass to a second one, which must
      confirm it), would spend it (slow convergence);
    * when it is spent.

    So the time stays within a small constant factor of igraph's whatever the
    shape, and ordinary organisations (three passes, a fifth of the budget)
    never pay igraph's higher cost on them.

    Parameters
    ----------
    tree : (parent, depth), optional
        A breadth-first tree from the root, if the caller has one (parent of
        the root: itself or -1; depth of the root: 0).
    method : {"auto", "levels", "igraph"}
        ``"auto"``: level by level within the work budget, else igraph;
        ``"levels"``: level by level to the end, however long it takes (for
        tests); ``"igraph"``: igraph's Lengauer-Tarjan straight away.

    Raises
    ------
    OptionError
        For another ``method``.

    Examples
    --------
    >>> immediate_dominators(4, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]), 0).tolist()
    [-1, 0, 0, 0]
    >>> immediate_dominators(4, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]), 0, method="igraph").tolist()
    [-1, 0, 0, 0]
    """
    if method not in ("auto", "levels", "igraph"):
        raise OptionError(f"method is 'auto', 'levels' or 'igraph', not {method!r}")
    source, target = np.asarray(source, dtype=np.int64), np.asarray(target, dtype=np.int64)
    if tree is None:
        from scipy.sparse.csgraph import breadth_first_order

        order, pred = breadth_first_order(adjacency(n, source, target), root, return_predecessors=True)
        order, pred = order.astype(np.int64), pred.astype(np.int64)
        parent = np.full(n, -1, dtype=np.int64)
        parent[order[1:]] = pred[order[1:]]
        depth = tree_depths(np.where(pred < 0, root, pred), root, order[1:])
    else:
        parent, depth = (np.asarray(x, dtype=np.int64) for x in tree)
    reached = parent >= 0
    reached[root] = True
    inside = reached[source] & reached[target] & (target != root)
    source, target = source[inside], target[inside]
    if not len(target):
        idom = parent.copy()
    elif method == "igraph":
        return _dominators_igraph(n, source, target, root)
    else:
        budget = _Work(WORK_PER_EDGE * (int(reached.sum()) + len(target))) if method == "auto" else _Work(float("inf"))
        try:
            idom = _dominators_by_level(source, target, root, parent, depth, budget)
        except _OverBudget:
            return _dominators_igraph(n, source, target, root)
    idom[~reached] = -1
    idom[root] = -1
    return idom


#: The work budget of the level-by-level passes, in units per node and edge of the graph. One unit is one element
#: through one vectorised step, and each step costs :data:`STEP` units more (NumPy's overhead per call). Measured on
#: 2 cores: a unit takes about 0.1-0.15 µs, and igraph's Lengauer-Tarjan about 0.5-4 µs per node and edge, building
#: its graph included; ordinary organisations take 6 to 10 units per node and edge (three passes).
WORK_PER_EDGE = 40
#: The cost of one vectorised step (a level, a round of pairing, one step of a climb), in units.
STEP = 100
#: The fewest steps a level is expected to take in a pass (the level, a round of pairing, a climb or two): a graph
#: whose levels alone would spend the budget in two passes (long chains, ladders, staircases) goes to igraph at once.
STEPS_PER_LEVEL = 4


class _OverBudget(Exception):
    """The level-by-level passes would do more work than igraph: hand over."""


class _Work:
    """A countdown of work units; :meth:`spend` raises :class:`_OverBudget` once it is used up."""

    __slots__ = ("left",)

    def __init__(self, units: float) -> None:
        self.left = units

    def spend(self, elements: int) -> None:
        self.left -= STEP + elements
        if self.left < 0:
            raise _OverBudget


def _dominators_by_level(
    source: np.ndarray, target: np.ndarray, root: int, parent: np.ndarray, depth: np.ndarray, work: _Work
) -> np.ndarray:
    """Passes over the breadth-first levels until no dominator changes.

    Raises :class:`_OverBudget` when the work runs out, or as soon as the work of the pass so far, carried
    over to the rest of it (and, in the first pass, to the second that must confirm it), would run it out.
    """
    idom = parent.copy()
    idom[root] = root
    level = depth[target]
    by = np.argsort(level * (int(target.max()) + 1) + target)  # by level, then runs of one node (one key, one sort)
    source, target, level = source[by], target[by], level[by]
    bounds = np.searchsorted(level, np.arange(1, level.max() + 2))
    spans = [(lo, hi) for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()) if lo < hi]
    if 2 * len(spans) * STEPS_PER_LEVEL * STEP > work.left:
        raise _OverBudget
    total, first, bounded = len(target), True, work.left < float("inf")
    while True:
        changed = False
        start = work.left
        for lo, hi in spans:
            work.spend(hi - lo)
            meet, nodes = _meet_per_node(source[lo:hi].copy(), target[lo:hi], idom, depth, work)
            if not changed and not np.array_equal(idom[nodes], meet):
                changed = True
            idom[nodes] = meet
            if bounded and 16 * hi >= total:  # a sixteenth of the pass seen: carry its cost over to the rest
                still = total - hi + (total if first else 0)
                if (start - work.left) * still > work.left * hi:
                    raise _OverBudget
        if not changed:
            return idom
        first = False


def _meet_per_node(
    preds: np.ndarray, nodes: np.ndarray, idom: np.ndarray, depth: np.ndarray, work: _Work
) -> tuple[np.ndarray, np.ndarray]:
    """For each run of equal ``nodes`` (sorted), the common ancestor of its ``preds``: pairwise, log rounds."""
    while len(nodes) > 1:
        work.spend(len(nodes))
        same_next = np.zeros(len(nodes), dtype=bool)
        np.equal(nodes[1:], nodes[:-1], out=same_next[:-1])
        first = np.ones(len(nodes), dtype=bool)
        first[1:] = ~same_next[:-1]
        if first.all():
            break
        starts = np.flatnonzero(first)
        position = np.arange(len(nodes)) - np.repeat(starts, np.diff(np.append(starts, len(nodes))))
        left = (position & 1) == 0
        pair = np.flatnonzero(left & same_next)
        preds[pair] = _common_ancestor(preds[pair], preds[pair + 1], idom, depth, work)
        preds, nodes = preds[left], nodes[left]
    return preds, nodes


def _common_ancestor(a: np.ndarray, b: np.ndarray, parent: np.ndarray, depth: np.ndarray, work: _Work) -> np.ndarray:
    """Pairwise common ancestors in a tree whose parents are strictly shallower (vectorised climb)."""
    active = np.flatnonzero(a != b)
    while len(active):
        work.spend(len(active))
        x, y = a[active], b[active]
        dx, dy = depth[x], depth[y]
        a[active] = np.where(dx >= dy, parent[x], x)
        b[active] = np.where(dy >= dx, parent[y], y)
        active = active[a[active] != b[active]]
    return a


def _dominators_igraph(n: int, source: np.ndarray, target: np.ndarray, root: int) -> np.ndarray:
    """igraph's C implementation of Lengauer and Tarjan's algorithm."""
    import igraph as ig

    g = ig.Graph(n=n, directed=True)
    if len(source):
        g.add_edges(np.column_stack([source, target]))
    idom = np.array(g.dominator(root, mode="out"), dtype=float)
    idom[np.isnan(idom)] = -1
    return idom.astype(np.int64)


def subtree_sums(parent: np.ndarray, order: np.ndarray, weight: np.ndarray, level: np.ndarray) -> np.ndarray:
    """For each node, the sum of ``weight`` over its descendants in a tree (itself excluded).

    ``order`` lists the tree's nodes so that ``level`` (any depth-like number
    that grows strictly from a parent to its child) can be processed from the
    deepest up. Shallow trees go level by level in NumPy; deep ones in one
    sequential pass, so the cost stays linear either way.

    Examples
    --------
    >>> parent = np.array([-1, 0, 1, 1])
    >>> subtree_sums(parent, np.array([0, 1, 2, 3]), np.ones(4, dtype=int), np.array([0, 1, 2, 2])).tolist()
    [3, 2, 0, 0]
    """
    total = np.zeros(len(parent), dtype=np.int64)
    if len(order) == 0:
        return total
    inside = np.asarray(weight, dtype=np.int64).copy()  # weight of the subtree, itself included
    levels = level[order]
    top = int(levels.max())
    if top <= 64 or top * 64 <= len(order):
        deepest_first = np.argsort(-levels)
        by_level = order[deepest_first]
        bounds = np.searchsorted(-levels[deepest_first], np.arange(-top, 1), side="left")
        for lo, hi in itertools.pairwise(bounds):
            nodes = by_level[lo:hi]
            up = parent[nodes]
            has = up >= 0
            np.add.at(inside, up[has], inside[nodes[has]])
    else:
        ordered = order[np.argsort(levels, kind="stable")].tolist()
        up = parent.tolist()
        acc = inside.tolist()
        for node in reversed(ordered):
            p = up[node]
            if p >= 0:
                acc[p] += acc[node]
        inside = np.array(acc, dtype=np.int64)
    total[order] = inside[order] - np.asarray(weight, dtype=np.int64)[order]
    return total
