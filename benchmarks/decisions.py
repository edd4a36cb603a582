"""Review decisions at scale: what a decisions file adds to `valuechain analyze`, and how fast a bad one is refused.

For each size, a seeded synthetic org (``benchmarks/synthetic.py``, cached in benchmarks/.cache) gets a decisions
file deciding every finding it has: each orphan, loop, mutual pair and single point of failure, the decisions in
turn, every third with an owner, a due date and a note. Then, each run in a fresh process and taken in turn:

* ``valuechain analyze --format json`` without and with ``--decisions`` (wall time and peak memory, medians);
* ``valuechain check --decisions`` of a file of typos: every row names a party that is not there, as a file kept
  from an org renamed since would (each is refused with its row and a "did you mean").

Results go to benchmarks/DECISIONS.md. Run: .venv/bin/python benchmarks/decisions.py [--sizes 10000 100000]
[--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import CACHE, SEED, files, machine  # noqa: E402

import valuechain as vc  # noqa: E402

DECISIONS = ("connect", "merge", "stop", "investigate", "accept")
#: The decisions each kind of finding takes in the file, in turn.
TAKES = {
    "orphan": DECISIONS,
    "loop": ("partner", "merge", "accept", "investigate"),
    "mutual_pair": ("partner", "accept", "investigate"),
    "single_point_of_failure": ("redundancy", "accept", "investigate"),
}


def decisions_for(handoffs: Path, parties: Path) -> pd.DataFrame:
    """A decisions table deciding every finding of the org in ``handoffs`` and ``parties``."""
    found = vc.load(handoffs, parties=parties).analyze()
    keyed: list[tuple[str, str]] = [("orphan", i) for i in found.orphans["id"]]
    keyed += [("loop", ";".join(m)) for m in found.loops["members"]]
    keyed += [("mutual_pair", f"{a};{b}") for a, b in zip(found.mutual_pairs["a"], found.mutual_pairs["b"])]
    keyed += [("single_point_of_failure", i) for i in found.single_points_of_failure["id"]]
    rows = []
    for n, (finding, ident) in enumerate(keyed):
        takes = TAKES[finding]
        detailed = n % 3 == 0
        rows.append(
            {
                "finding": finding,
                "id": ident,
                "decision": takes[n % len(takes)],
                "owner": f"Owner {n % 40}" if detailed else "",
                "due": f"20{26 + n % 4}-{1 + n % 12:02d}-28" if detailed else "",
                "note": "Agreed at the quarterly review" if detailed else "",
            }
        )
    return pd.DataFrame(rows)


def typos(decisions: pd.DataFrame) -> pd.DataFrame:
    """The orphan rows of ``decisions`` with each id mistyped (its last character doubled)."""
    wrong = decisions[decisions["finding"] == "orphan"].copy()
    wrong["id"] = wrong["id"] + wrong["id"].str[-1]
    return wrong


def timed(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit code of one run of the command in a fresh process."""
    command = [str(Path(sys.executable).parent / "valuechain"), *args]
    timer, report = Path("/usr/bin/time"), CACHE / "time.out"
    if timer.exists():
        command = [str(timer), "-f", "%M", "-o", str(report), *command]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    peak = int(report.read_text().split()[-1]) / 1024 if timer.exists() else float("nan")
    return wall, peak, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    rows = []
    for n in options.sizes:
        handoffs, parties = files(n)
        table = decisions_for(handoffs, parties)
        decided = CACHE / f"decisions-{n}.csv"
        table.to_csv(decided, index=False)
        wrong = CACHE / f"decisions-typos-{n}.csv"
        typos(table).to_csv(wrong, index=False)
        org = [str(handoffs), "--parties", str(parties)]
        plain = ["analyze", *org, "--format", "json"]
        reviewed = [*plain, "--decisions", str(decided), "--as-of", "2027-06-30"]
        refused = ["check", *org, "--decisions", str(wrong)]
        runs: dict[str, list[tuple[float, float, int]]] = {"plain": [], "reviewed": [], "refused": []}
        for _ in range(options.runs):  # in turn, so that each is measured under the same load
            runs["plain"].append(timed(plain))
            runs["reviewed"].append(timed(reviewed))
            runs["refused"].append(timed(refused))
        codes = {k: {c for _, _, c in v} for k, v in runs.items()}
        assert codes == {"plain": {0}, "reviewed": {0}, "refused": {2}}, codes
        row = {"parties": n, "decisions": len(table), "typos": int((table["finding"] == "orphan").sum())}
        for key, measured in runs.items():
            row[f"{key}_wall"] = statistics.median(w for w, _, _ in measured)
            row[f"{key}_peak"] = statistics.median(p for _, p, _ in measured)
            row[f"{key}_runs"] = ", ".join(f"{w:.2f}" for w, _, _ in measured)
        print(row, flush=True)
        rows.append(row)
    write(rows, options.runs)


def write(rows: list[dict], runs: int) -> None:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Review decisions at scale",
        "",
        f"Measured {when} by `python benchmarks/decisions.py --runs {runs}` on {machine()}; "
        f"load average {os.getloadavg()[0]:.1f} at the end. Medians of {runs} runs, each in a fresh process, "
        "the three commands taken in turn.",
        "",
        "Each org is the seeded synthetic org of `benchmarks/run.py`; its decisions file decides every finding "
        "(orphans, loops, mutual pairs, single points of failure). The file of typos holds the orphan rows with "
        'each id mistyped: `check` refuses it, naming each row with a "did you mean".',
        "",
        "| parties | decisions | `analyze` | with `--decisions` | added | peak without / with | typos | refused in "
        "| its peak |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['parties']:,} | {r['decisions']:,} | {r['plain_wall']:.2f} s | {r['reviewed_wall']:.2f} s "
            f"| {r['reviewed_wall'] - r['plain_wall']:+.2f} s | {r['plain_peak']:,.0f} / {r['reviewed_peak']:,.0f} MB "
            f"| {r['typos']:,} | {r['refused_wall']:.2f} s | {r['refused_peak']:,.0f} MB |"
        )
    lines += ["", "Runs (wall seconds, in order):", ""]
    for r in rows:
        lines.append(
            f"- {r['parties']:,} parties: `analyze` {r['plain_runs']}; with `--decisions` {r['reviewed_runs']}; "
            f"typos refused {r['refused_runs']}"
        )
    (HERE / "DECISIONS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'DECISIONS.md'} (seed {SEED})")


if __name__ == "__main__":
    main()
