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
