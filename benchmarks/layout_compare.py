"""Ordering the columns of the chain figure: our barycentre sweeps against igraph's Sugiyama layout.

Both keep our columns (distance to the customer) and bands (connected above,
no line of sight below), so only the order within a column differs. Crossings are counted between straight
segments as drawn, for every pair of hand-offs (so only on graphs of up to a
few thousand hand-offs); time is measured up to 100,000 parties, where igraph
is given 10 minutes at most.

Usage: python benchmarks/layout_compare.py [--sizes 1000 10000 100000] [--timeout 600]
writes benchmarks/LAYOUT.md (and prints the table as it goes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import multiprocessing as mp
import os
import platform
import sys
import time
from pathlib import Path
from queue import Empty

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import valuechain as vc  # noqa: E402
from valuechain.analysis import EdgeSets  # noqa: E402

drawing = importlib.import_module("valuechain.plot.layout")  # the module (the package exports the function)
DATA = HERE.parent / "data"
SAMPLES = ["restaurant", "software-services", "phone-repair", "midsize"]


def crossings(x: np.ndarray, y: np.ndarray, s: np.ndarray, t: np.ndarray) -> int:
    """Proper crossings between the segments (x[s], y[s]) - (x[t], y[t]); shared ends do not count."""
    ax, ay, bx, by = x[s], y[s], x[t], y[t]
    total = 0
    for i in range(len(s) - 1):
        j = slice(i + 1, None)

        def side(px, py, qx, qy, rx, ry):
            return np.sign((qx - px) * (ry - py) - (qy - py) * (rx - px))

        d1 = side(ax[i], ay[i], bx[i], by[i], ax[j], ay[j])
        d2 = side(ax[i], ay[i], bx[i], by[i], bx[j], by[j])
        d3 = side(ax[j], ay[j], bx[j], by[j], ax[i], ay[i])
        d4 = side(ax[j], ay[j], bx[j], by[j], bx[i], by[i])
        shared = (s[j] == s[i]) | (s[j] == t[i]) | (t[j] == s[i]) | (t[j] == t[i])
        total += int(((d1 * d2 < 0) & (d3 * d4 < 0) & ~shared).sum())
    return total


def sugiyama_rows(n: int, edges: EdgeSets, level: np.ndarray, band: np.ndarray) -> np.ndarray:
    """Rows within each (band, column) in the order igraph's ``layout_sugiyama`` gives the column.

    Only hand-offs that run one or more columns towards the customer: given edges within a column or
    against the layering, igraph 1.0's Sugiyama crashed in about half of our 1,500-party test orgs; it still
    crashed now and then without them (see valuechain/plot/layout.py), hence a process of its own here.
    """
    import igraph as ig

    down = level[edges.source] > level[edges.target]
    pairs = np.column_stack([edges.source[down], edges.target[down]])
    graph = ig.Graph(n=n, edges=pairs.tolist(), directed=True)
    across = graph.layout_sugiyama(layers=level.tolist(), maxiter=100)
    key = np.asarray(across.coords, dtype=float)[:n, 0] if n else np.empty(0)
    order = np.lexsort((key, level, band))
    row = np.empty(n, dtype=float)
    row[order] = drawing._rows_within(band[order], level[order])
    return row


def timed_layout(chain: vc.Chain, sugiyama: bool) -> tuple[float, np.ndarray, np.ndarray]:
    """Seconds and positions of the layout, with the columns ordered by Sugiyama or by our sweeps."""
    start = time.perf_counter()
    pos = drawing._layout(chain, sweeps=4, order=sugiyama_rows if sugiyama else None)
    return time.perf_counter() - start, pos["x"].to_numpy(), pos["y"].to_numpy()


def _sugiyama_apart(queue, chain: vc.Chain) -> None:
    chain.analyze()
    queue.put(timed_layout(chain, sugiyama=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000])
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--output", type=Path, default=HERE / "LAYOUT.md")
    args = parser.parse_args()
    from synthetic import organisation

    lines = [
        "| graph | parties | hand-offs | sweeps: s | sweeps: crossings | Sugiyama: s | Sugiyama: crossings |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(lines))
    chains = [(name, vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")) for name in SAMPLES]
    for n in args.sizes:
        parties, handoffs = organisation(n, seed=1)
        chains.append((f"synthetic {n:,}", vc.load(handoffs, parties=parties)))
    for name, chain in chains:
        chain.analyze()
        edges = EdgeSets.of(chain)
        small = len(edges.source) <= 4000
        t1, x1, y1 = timed_layout(chain, sugiyama=False)
        # Sugiyama in a process of its own: it can crash the interpreter, and a slow run can be stopped
        queue = mp.get_context("fork").Queue()
        proc = mp.get_context("fork").Process(target=_sugiyama_apart, args=(queue, chain))
        proc.start()
        try:  # read before joining: a child cannot exit while its large result is still in the pipe
            t2, x2, y2 = queue.get(timeout=args.timeout)
        except Empty:
            t2 = x2 = y2 = None
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()
        c1 = crossings(x1, y1, edges.source, edges.target) if small else "-"
        c2 = crossings(x2, y2, edges.source, edges.target) if small and x2 is not None else "-"
        failed = "crashed" if proc.exitcode and proc.exitcode < 0 else f"> {args.timeout:.0f}"
        t2_text = f"{t2:.3f}" if t2 is not None else failed
        size = f"{chain.arrays.n:,} | {len(edges.source):,}"
        lines.append(f"| {name} | {size} | {t1:.3f} | {c1} | {t2_text} | {c2} |")
        print(lines[-1], flush=True)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    args.output.write_text(
        "# Layout: ordering the columns of the chain figure\n\n"
        f"Measured {when} by `python benchmarks/layout_compare.py` on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}.\n\n"
        "Both orderings keep the same columns (distance to the customer) and bands (no line of sight below); "
        "seconds are the whole layout, crossings are proper crossings between the straight hand-off segments as "
        "drawn (counted up to 4,000 hand-offs). Synthetic orgs from `benchmarks/synthetic.py`, seed 1.\n\n"
        + "\n".join(lines)
        + "\n\nThe figures order columns with the barycentre sweeps at every size. Sugiyama's orderings cross "
        "less, but igraph 1.0's Sugiyama crashed the interpreter (a segmentation fault) now and then on inputs "
        "that run fine in a fresh process, so it is measured here in a process of its own and not used "
        "(valuechain/plot/layout.py says more).\n"
    )


if __name__ == "__main__":
    main()
