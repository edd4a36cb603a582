"""Time the event-log path on a synthetic log of about a million events; write benchmarks/EVENTLOG.md.

The log: 100,000 cases of 4 to 16 events each, 200 teams in a rough flow
with back-and-forth, ISO timestamps with a zone, rows shuffled. Measured:
reading and checking the log (``read_log``), the handover rule
(the pandas reference, ``tests/eventlog_reference.py``), and ``from_log`` end to end (DuckDB) (which also builds
the chain), each with and without ``time_format``.

Usage: python benchmarks/eventlog.py [--cases 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import valuechain as vc  # noqa: E402
from tests.eventlog_reference import handoffs_from_events  # noqa: E402  (the pandas rule, kept as the reference)
from valuechain.eventlog import read_log  # noqa: E402

CACHE = HERE / ".cache"


def synthetic_log(cases: int, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    lengths = rng.integers(4, 17, cases)
    case = np.repeat(np.arange(cases), lengths)
    step = np.arange(len(case)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    team = (step * 12 + rng.integers(0, 12, len(case))) % 200  # a rough flow through 200 teams
    back = rng.random(len(case)) < 0.05
    team[back] = np.maximum(team[back] - 12, 0)  # some work goes back a step
    start = np.datetime64("2026-01-01T00:00") + rng.integers(0, 365 * 24 * 60, cases).astype("timedelta64[m]")
    minutes = np.repeat(start, lengths) + (step * 90 + rng.integers(0, 60, len(case))).astype("timedelta64[m]")
    log = pd.DataFrame(
        {
            "case:concept:name": pd.Series(case).map("case-{:06d}".format),
            "concept:name": pd.Series(step % 9).map("activity {}".format),
            "org:group": pd.Series(team).map("team-{:03d}".format),
            "time:timestamp": pd.Series(minutes).dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        }
    )
    return log.sample(frac=1, random_state=seed).reset_index(drop=True)


def timed(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=HERE / "EVENTLOG.md")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"events-{args.cases}.csv"
    if not path.exists():
        synthetic_log(args.cases).to_csv(path, index=False)
    events, _ = read_log(path)
    fmt = "%Y-%m-%dT%H:%M:%S%z"
    rows = [
        ("read and check the log (ISO timestamps)", lambda: read_log(path)),
        ("read and check the log (--time-format)", lambda: read_log(path, time_format=fmt)),
        ("the handover rule", lambda: handoffs_from_events(events)),
        ("from_log end to end (ISO timestamps)", lambda: vc.from_log(path)),
        ("from_log end to end (--time-format)", lambda: vc.from_log(path, time_format=fmt)),
    ]
    lines = []
    for name, fn in rows:
        median, times = timed(fn, args.runs)
        lines.append(f"| {name} | **{median:.2f} s** | {', '.join(f'{t:.2f}' for t in times)} |")
        print(lines[-1], flush=True)
    chain = vc.from_log(path)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    args.output.write_text(
        "# Event logs: from events to hand-offs\n\n"
        f"Measured {when} by `python benchmarks/eventlog.py` on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}.\n\n"
        f"A synthetic log (`benchmarks/eventlog.py`, seed 11): {len(events):,} events in {args.cases:,} cases, "
        f"{events['team'].nunique()} teams, rows shuffled, ISO timestamps with a zone; "
        f"{path.stat().st_size / 1e6:.0f} MB of CSV. It gives {len(chain.handoffs):,} hand-offs.\n\n"
        "| step | median | runs |\n|---|---:|---|\n" + "\n".join(lines) + "\n\n"
        "Target (issue 8): a million events become hand-offs in a few seconds, with no Python loop per "
        "case or per event.\n"
    )


if __name__ == "__main__":
    main()
