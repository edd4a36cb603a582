"""Seeded synthetic organisations for benchmarks: layered, with orphans, loops and mutual pairs.

Shape (for ``n`` parties, about ``3 n`` hand-offs):

* three customer segments (one primary) at layer 0; the other parties sit on
  layers 1 to 10 and hand off, mostly essentially, to parties one layer closer
  to the customers (about 3 hand-offs each, so ``3 n`` rows);
* about 1% are outside parties (suppliers, regulators) that feed teams;
* about 5% are orphans: they hand off only among themselves (or to nobody,
  or to a regulator), which makes dead ends, closed loops and the rest;
* about 1% of hand-offs are answered by one in the other direction, making
  mutual pairs and loops in the connected part too;
* departments of about 50 parties, headcount per team.

Examples
--------
>>> parties, handoffs = organisation(1000, seed=1)
>>> len(parties), 2800 < len(handoffs) < 3200
(1000, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LAYERS = 10


def organisation(n: int, seed: int = 0, per_party: float = 3.15) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parties and hand-offs tables of a synthetic org with ``n`` parties."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"t{i:07d}" for i in range(n)], dtype=object)
    kind = np.full(n, "team", dtype=object)
    kind[:3] = "external_customer"
    outside = rng.random(n) < 0.01
    outside[:3] = False
    kind[outside & (rng.random(n) < 0.8)] = "supplier"
    kind[outside & (kind == "team")] = "regulator"
    layer = rng.integers(1, LAYERS + 1, n)
    layer[:3] = 0
    orphan = (rng.random(n) < 0.05) & (kind == "team")

    m = int(n * per_party)
    # every party hands off at least once; the rest at random
    src = np.concatenate([np.arange(3, n), rng.integers(3, n, max(m - n + 3, 0))])
    # a target one layer closer to the customers: pick among parties of that layer
    order = np.argsort(layer, kind="stable")
    starts = np.searchsorted(layer[order], np.arange(LAYERS + 2))
    want = np.maximum(layer[src] - 1, 0)
    lo, hi = starts[want], starts[want + 1]
    dst = order[lo + (rng.random(m) * (hi - lo)).astype(np.int64)]
    # orphans hand off only to other orphans (some to nobody at all)
    orphan_ids = np.flatnonzero(orphan)
    from_orphan = orphan[src]
    dst[from_orphan] = orphan_ids[rng.integers(0, len(orphan_ids), from_orphan.sum())]
    # nobody but orphans hands off to orphans, and regulators deliver nothing onward
    to_orphan = orphan[dst] & ~from_orphan
    keep = ~to_orphan & (kind[src] != "regulator") & (src != dst)
    silent = orphan & (rng.random(n) < 0.3)
    keep &= ~silent[src]
    src, dst = src[keep], dst[keep]
    essential = rng.random(len(src)) < 0.95
    # answered hand-offs: mutual pairs and loops
    back = rng.random(len(src)) < 0.01
    src = np.concatenate([src, dst[back]])
    dst = np.concatenate([dst, src[: len(back)][back]])
    essential = np.concatenate([essential, rng.random(back.sum()) < 0.5])
    handoffs = pd.DataFrame(
        {
            "source": ids[src],
            "target": ids[dst],
            "deliverable": np.char.add("work-", (np.arange(len(src)) % 97).astype(str)),
            "essential": np.where(essential, "yes", "no"),
        }
    )
    parties = pd.DataFrame(
        {
            "id": ids,
            "name": np.char.add("Team ", np.arange(n).astype(str)),
            "kind": kind,
            "group": np.char.add("dept-", (np.arange(n) // 50).astype(str)),
            "primary": np.where(np.arange(n) == 0, "yes", ""),
            "headcount": rng.integers(2, 40, n),
        }
    )
    return parties, handoffs


# ---------------------------------------------------------------------------------------------------------------
# Worst-case shapes for the dominator step (issue 14, point 10). Each returns a :class:`Shape`: parties 0..n-1 as
# integers, hand-offs ``source[i] -> target[i]`` (who hands off to whom, as in a hand-offs file), and the
# customers. ``tables`` turns one into parties and hand-offs tables, ``csv_texts`` into the text of two CSV files.
# Levels are counted from the customers: a team on level L is L hand-offs away from them.


@dataclass(frozen=True)
class Shape:
    """An org as integer arrays: ``n`` parties, hand-offs ``source -> target``, the ``customers``."""

    n: int
    source: np.ndarray
    target: np.ndarray
    customers: np.ndarray


def _shape(n: int, pairs: list[np.ndarray], customers) -> Shape:
    source = np.concatenate([p[0] for p in pairs]).astype(np.int64)
    target = np.concatenate([p[1] for p in pairs]).astype(np.int64)
    return Shape(n, source, target, np.asarray(customers, dtype=np.int64))


def staircase(levels: int = 2000, jump: int | None = None) -> Shape:
    """Three teams a level (main ``m``, side ``s``, cross ``x``) on ``levels`` levels above one customer (party 0).

    Each chain hands off one level down towards the customer; on every level the main and the cross team
    also hand off to the main team ``jump`` levels further away (a step of the staircase), and the deepest
    main team hands off to the deepest side team, so the side chain is a second way out for the whole main
    chain. Whether a main team depends on the one below it is only settled once the staircase above it is:
    the iterative algorithm learns one step per pass, about ``levels / jump`` passes (``jump`` defaults to
    ``levels // 70``, some 70 passes), and each cross team's common ancestor is a climb of its whole depth.
    About 6,000 parties for 2,000 levels.

    Examples
    --------
    >>> s = staircase(10, 2)
    >>> s.n, len(s.source), s.customers.tolist()
    (31, 47, [0])
    """
    jump = max(2, levels // 70) if jump is None else jump
    level = np.arange(1, levels + 1)
    m, s, x = level, levels + level, 2 * levels + level
    below = np.maximum(level - 1, 0)
    step = level[level + jump <= levels]
    return _shape(
        3 * levels + 1,
        [
            (m, np.where(level > 1, m - 1, 0)),
            (s, np.where(level > 1, s - 1, 0)),
            (x, np.where(below > 0, x - 1, 0)),
            (m[step - 1], m[step - 1 + jump]),
            (x[step - 1], m[step - 1 + jump]),
            (np.array([m[-1]]), np.array([s[-1]])),
        ],
        [0],
    )


def ladder(rungs: int = 2000) -> Shape:
    """Two parallel chains of ``rungs`` teams down to one customer (party 0), a rung from each ``a`` team to the
    ``b`` team on its level: every common ancestor is a climb to the customer.

    Examples
    --------
    >>> s = ladder(3)
    >>> s.n, list(zip(s.source.tolist(), s.target.tolist()))[:4]
    (7, [(1, 0), (2, 1), (3, 2), (4, 0)])
    """
    i = np.arange(1, rungs + 1)
    a, b = i, rungs + i
    return _shape(2 * rungs + 1, [(a, np.where(i > 1, a - 1, 0)), (b, np.where(i > 1, b - 1, 0)), (a, b)], [0])


def comb(teeth: int = 5000, length: int = 20) -> Shape:
    """A spine of ``teeth`` teams down to one customer (party 0), each with a tooth: a chain of ``length`` teams
    handing off to it. Deep and wide at once.

    Examples
    --------
    >>> s = comb(2, 2)
    >>> s.n, list(zip(s.source.tolist(), s.target.tolist()))
    (7, [(1, 0), (2, 1), (3, 1), (4, 3), (5, 2), (6, 5)])
    """
    spine = np.arange(1, teeth + 1)
    tooth = teeth + 1 + np.arange(teeth * length).reshape(teeth, length)
    below = np.column_stack([spine, tooth[:, :-1]])
    return _shape(
        1 + teeth * (1 + length), [(spine, np.where(spine > 1, spine - 1, 0)), (tooth.ravel(), below.ravel())], [0]
    )


def chain_with_skips(length: int = 100_000, skips: float = 0.2, span: int = 50, seed: int = 0) -> Shape:
    """A chain of ``length`` teams down to one customer (party 0); a share ``skips`` of them also hands off to a
    team up to ``span`` links nearer the customer (so the teams between are not single points of failure).

    Examples
    --------
    >>> s = chain_with_skips(100, seed=1)
    >>> s.n, 100 + 10 < len(s.source) < 100 + 30
    (101, True)
    """
    rng = np.random.default_rng(seed)
    team = np.arange(1, length + 1)
    jumper = team[rng.random(length) < skips]
    landing = np.maximum(jumper - rng.integers(2, span + 1, len(jumper)), 0)
    return _shape(length + 1, [(team, team - 1), (jumper, landing)], [0])


def complete_layers(layers: int = 200, width: int = 30) -> Shape:
    """``layers`` layers of ``width`` teams above three customers (0, 1, 2); every team hands off to every team of
    the layer below (the first layer to every customer): ``width`` squared hand-offs a layer.

    Examples
    --------
    >>> s = complete_layers(2, 2)
    >>> s.n, len(s.source)
    (7, 10)
    """
    team = 3 + np.arange(layers * width).reshape(layers, width)
    pairs = [(np.repeat(team[0], 3), np.tile(np.arange(3), width))]
    pairs += [(np.repeat(team[k], width), np.tile(team[k - 1], width)) for k in range(1, layers)]
    return _shape(3 + layers * width, pairs, [0, 1, 2])


def random_dag_with_back_edges(n: int = 100_000, per_party: float = 2.0, back: float = 0.05, seed: int = 0) -> Shape:
    """Random hand-offs towards the customers (parties 0-2): each team to ``per_party`` random teams with lower
    numbers on average; then a share ``back`` of teams also hands off far back, to a random team with a higher
    number (often thousands of levels away), closing long loops.

    Examples
    --------
    >>> s = random_dag_with_back_edges(1000, seed=2)
    >>> s.n, s.customers.tolist(), bool((s.source >= 3).all())
    (1000, [0, 1, 2], True)
    """
    rng = np.random.default_rng(seed)
    team = np.arange(3, n)
    forward = np.concatenate([team, rng.integers(3, n, int(max(per_party - 1, 0) * len(team)))])
    ahead = (forward * rng.random(len(forward)) ** 0.2).astype(np.int64)  # mostly near, sometimes far
    ahead = np.minimum(ahead, forward - 1)
    reaching = team[rng.random(len(team)) < back]
    far = reaching + 1 + (rng.random(len(reaching)) * (n - 1 - reaching)).astype(np.int64)
    keep = far < n
    return _shape(n, [(forward, ahead), (reaching[keep], far[keep])], [0, 1, 2])


#: The worst-case shapes at the sizes the benchmark measures.
SHAPES = {
    "staircase": lambda: staircase(2000),
    "ladder": lambda: ladder(2000),
    "comb": lambda: comb(5000, 20),
    "chain with skips": lambda: chain_with_skips(100_000),
    "complete layers": lambda: complete_layers(200, 30),
    "random DAG with back edges": lambda: random_dag_with_back_edges(100_000),
}


def tables(shape: Shape, prefix: str = "t") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parties (customers of kind ``external_customer``, the rest ``team``) and hand-offs tables of a shape.

    Examples
    --------
    >>> parties, handoffs = tables(ladder(1))
    >>> parties.values.tolist(), handoffs.values.tolist()
    ([['t0', 'external_customer'], ['t1', 'team'], ['t2', 'team']], [['t1', 't0'], ['t2', 't0'], ['t1', 't2']])
    """
    ids = np.char.add(prefix, np.arange(shape.n).astype(str)).astype(object)
    kind = np.full(shape.n, "team", dtype=object)
    kind[shape.customers] = "external_customer"
    parties = pd.DataFrame({"id": ids, "kind": kind})
    handoffs = pd.DataFrame({"source": ids[shape.source], "target": ids[shape.target]})
    return parties, handoffs


def csv_texts(shape: Shape, prefix: str = "t") -> tuple[str, str]:
    """The hand-offs and parties CSV files of a shape, as text.

    Examples
    --------
    >>> handoffs, parties = csv_texts(ladder(1))
    >>> handoffs.splitlines(), parties.splitlines()[:2]
    (['source,target', 't1,t0', 't2,t0', 't1,t2'], ['id,kind', 't0,external_customer'])
    """
    parties, handoffs = tables(shape, prefix)
    return handoffs.to_csv(index=False, lineterminator="\n"), parties.to_csv(index=False, lineterminator="\n")
