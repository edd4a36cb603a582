"""The floor under `valuechain analyze` at a million parties: the least the engines we use take for the bare job.

Issue 19 asks for a million parties in 4 s end to end. This script times, in one process, only what no
version of the command can skip with the engines it uses (pandas, Arrow, SciPy), and none of the rest:

* importing NumPy, pandas, Arrow and SciPy;
* reading both CSV files with Arrow's multi-threaded reader, types guessed (no cell checked);
* turning the hand-offs' 6 million ids into party positions (Arrow's hash lookup, as valuechain does);
* building the two sparse graphs (all hand-offs; essential ones reversed, with a root over the customers);
* SciPy's strong components and one breadth-first search from the customers.

Left out, though the command needs them: every check of the input (ids trimmed and normalised, empty
and invisible characters, duplicates, unknown parties, yes/no cells), the distances, the orphans' reasons,
the dominator tree (single points of failure, what hangs on each team), mutual pairs, the tables, and the
JSON. If this alone takes about 4 s, the command cannot, on the same machine at the same moment.

Each run of the floor is followed by one run of the command itself (``valuechain analyze HANDOFFS --parties
PARTIES --format json``, this checkout, as ``benchmarks/scale.py`` runs it), so the two are measured at the
same moment of a shared machine.

Usage: python benchmarks/floor.py [--runs 3] [--parties 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ONE_RUN = r"""
import json, sys, time
start_wall, start_cpu = time.perf_counter(), time.process_time()
marks = []


def mark(name):
    marks.append((name, time.perf_counter(), time.process_time()))


import numpy as np
import pandas  # noqa: F401  (valuechain's tables; imported by every command)
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components

mark("imports")
handoffs_path, parties_path = sys.argv[1], sys.argv[2]
options = pcsv.ReadOptions(block_size=1 << 22)
handoffs = pcsv.read_csv(handoffs_path, read_options=options)
parties = pcsv.read_csv(parties_path, read_options=options)
mark("read")
ids = parties["id"].combine_chunks()
source = pc.index_in(handoffs["source"], value_set=ids).to_numpy(zero_copy_only=False).astype(np.int64)
target = pc.index_in(handoffs["target"], value_set=ids).to_numpy(zero_copy_only=False).astype(np.int64)
mark("ids")
n = len(ids)
essential = pc.equal(handoffs["essential"], "yes").to_numpy(zero_copy_only=False).astype(bool)
customers = np.flatnonzero(pc.equal(parties["kind"], "external_customer").to_numpy(zero_copy_only=False))
every = csr_matrix((np.ones(len(source), np.int8), (source, target)), shape=(n, n))
rows = np.concatenate([target[essential], np.full(len(customers), n)])
columns = np.concatenate([source[essential], customers])
back = csr_matrix((np.ones(len(rows), np.int8), (rows, columns)), shape=(n + 1, n + 1))
mark("graphs")
connected_components(every, directed=True, connection="strong")
breadth_first_order(back, n, return_predecessors=True)
mark("search")
steps, last = {}, (start_wall, start_cpu)
for name, wall, cpu in marks:
    steps[name] = [round(wall - last[0], 3), round(cpu - last[1], 3)]
    last = (wall, cpu)
steps["total"] = [round(last[0] - start_wall, 3), round(last[1] - start_cpu, 3)]
print(json.dumps(steps))
"""

STEPS = {
    "imports": "import NumPy, pandas, Arrow, SciPy",
    "read": "read both CSV files (Arrow, no checks)",
    "ids": "hand-offs' ids to party positions",
    "graphs": "two sparse graphs",
    "search": "strong components and one search",
    "total": "**the floor**",
    "command": "**`valuechain analyze` (everything), in turn**",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parties", type=int, default=1_000_000)
    args = parser.parse_args()
    from run import files
    from scale import ROOT, one_run

    handoffs, parties = files(args.parties)
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", ONE_RUN, str(handoffs), str(parties)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout))
        command = one_run(ROOT, ["analyze", str(handoffs), "--parties", str(parties), "--format", "json"])
        runs[-1]["command"] = [round(command["wall"], 3), round(command["cpu"], 3)]
        print(json.dumps(runs[-1]))
    print(f"\n| step ({args.parties:,} parties) | wall s (median) | CPU s (median) |\n|---|---:|---:|")
    for key, words in STEPS.items():
        walls = sorted(r[key][0] for r in runs)
        cpus = sorted(r[key][1] for r in runs)
        print(f"| {words} | {walls[len(walls) // 2]:.2f} | {cpus[len(cpus) // 2]:.2f} |")


if __name__ == "__main__":
    main()
