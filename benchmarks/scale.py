"""End to end before and after (issue 19, point 4): `valuechain analyze` from CSV to JSON, wall and CPU time.

For each size, the command ``valuechain analyze HANDOFFS --parties PARTIES --format json`` (stdout to
/dev/null) runs ``--runs`` times with the valuechain of this checkout and, with ``--before REV``, as many
times with the whole ``valuechain`` package as it was at git revision REV (unpacked into a temporary
folder), the runs of both taken in turn. Each run gives its wall time, its CPU time (user + system, of the
process and its threads) and its peak resident memory; the medians are printed as a Markdown table and the
runs as JSON lines. The machine is shared, so CPU time is the steadier measure of the work done.

``--imports`` also times the start of the command line (``python -X importtime -c "import valuechain.cli"``,
the total, and ``valuechain --help`` end to end), before and after.

The orgs are those of ``benchmarks/run.py`` (seeded, cached in benchmarks/.cache); 10,000,000 parties take
a few minutes to generate and about 1.3 GB of CSV.

Usage: python benchmarks/scale.py [--sizes 1000 1000000] [--runs 3] [--before REV [REV...]] [--imports]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import files  # noqa: E402


def one_run(code: Path, args: list[str]) -> dict:
    """Wall seconds, CPU seconds and peak MB of ``python -m valuechain.cli ARGS`` with ``code`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        # run from the code's own folder: ``python -m`` puts the working folder first on the path, before PYTHONPATH
        process = subprocess.Popen(
            [sys.executable, "-m", "valuechain.cli", *args], stdout=sink, stderr=sink, env=env, cwd=code
        )
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"valuechain {' '.join(args)} exited {process.returncode}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def import_seconds(code: Path) -> float:
    """The total of ``-X importtime`` for ``import valuechain.cli`` (seconds)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import valuechain.cli"],
        env=env,
        cwd=code,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    line = [row for row in out.splitlines() if re.search(r"\|\s*valuechain\.cli$", row)][-1]
    return int(line.split("|")[1]) / 1e6


def unpacked(revision: str, folder: Path) -> Path:
    """The ``valuechain`` package as it was at ``revision``, unpacked into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "valuechain"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def medians(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs) for key in ("wall", "cpu", "peak_mb")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--before", nargs="+", default=[], help="git revisions whose valuechain package gives 'before' runs"
    )
    ap.add_argument("--imports", action="store_true", help="also time the start of the command line")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        versions: dict[str, Path] = {}
        for revision in args.before:
            folder = Path(tmp) / revision
            folder.mkdir()
            label = "before" if len(args.before) == 1 else f"before ({revision})"
            versions[label] = unpacked(revision, folder)
        versions["now"] = ROOT
        rows: list[dict[str, Any]] = []
        if args.imports:
            for name, code in versions.items():
                imports = [import_seconds(code) for _ in range(args.runs)]
                helps = [one_run(code, ["--help"]) for _ in range(args.runs)]
                row = {"what": "start", "version": name, "import_s": imports, "help": helps}
                rows.append(row)
                print(json.dumps(row), flush=True)
        for n in args.sizes:
            handoffs, parties = files(n)
            command = ["analyze", str(handoffs), "--parties", str(parties), "--format", "json"]
            runs: dict[str, list[dict]] = {name: [] for name in versions}
            for _ in range(args.runs):
                for name, code in versions.items():  # in turn: the machine's load falls on both alike
                    runs[name].append(one_run(code, command))
            for name in versions:
                row = {"what": "analyze", "parties": n, "version": name, "runs": runs[name], **medians(runs[name])}
                rows.append(row)
                print(json.dumps(row), flush=True)
    print("\n| parties | version | wall s (median) | CPU s (median) | peak MB | wall runs | CPU runs |")
    print("|---:|---|---:|---:|---:|---|---|")
    for timed in rows:
        if timed["what"] != "analyze":
            continue
        walls = ", ".join(f"{r['wall']:.1f}" for r in timed["runs"])
        cpus = ", ".join(f"{r['cpu']:.1f}" for r in timed["runs"])
        print(
            f"| {timed['parties']:,} | {timed['version']} | {timed['wall']:.2f} | {timed['cpu']:.2f} | "
            f"{timed['peak_mb']:,.0f} | {walls} | {cpus} |"
        )


if __name__ == "__main__":
    main()
