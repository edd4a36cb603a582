"""Time the one-page brief: its content, its HTML (with the chain picture), its PDF and its PNG.

For the bundled mid-size sample (88 parties) and a synthetic org of 10,000 parties (benchmarks/synthetic.py,
seed 0): each step timed from a loaded org (the analysis cached on the chain, as after ``vc.load``), median of
``--runs``; the PDF's page count checked. Writes benchmarks/BRIEF.md.

Usage: python benchmarks/brief.py [--parties 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from synthetic import organisation  # noqa: E402

import valuechain as vc  # noqa: E402
from valuechain.report.brief import brief, render, write  # noqa: E402
from valuechain.report.pdf import find_chromium  # noqa: E402


def timed(step: Callable[[], object], runs: int) -> float:
    """Median seconds of ``runs`` calls of ``step``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pages(path: Path) -> int:
    """The PDF's pages (pypdf where installed, else its page objects)."""
    try:
        import pypdf
    except ImportError:  # pragma: no cover - pypdf is in the dev extra
        import re

        return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))
    return len(pypdf.PdfReader(path).pages)


def measure(name: str, make: Callable[[], vc.Chain], runs: int, folder: Path) -> dict:
    """Each step's median time for one org."""
    start = time.perf_counter()
    chain = make()
    chain.analyze()
    row: dict = {"org": name, "parties": len(chain.parties), "handoffs": len(chain.handoffs)}
    row["load"] = time.perf_counter() - start
    row["content"] = timed(lambda: brief(chain, figure=False), runs)
    row["html"] = timed(lambda: render(brief(chain)), runs)
    row["size"] = len(render(brief(chain)).encode("utf-8"))
    if find_chromium() is not None:
        row["pdf"] = timed(lambda: write(chain, folder / f"{name}.pdf"), runs)
        row["png"] = timed(lambda: write(chain, folder / f"{name}.png"), runs)
        row["pages"] = pages(folder / f"{name}.pdf")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    def synthetic() -> vc.Chain:
        parties, handoffs = organisation(args.parties, seed=0)
        return vc.load(handoffs, parties=parties)

    def midsize() -> vc.Chain:
        data = ROOT / "data" / "midsize"
        return vc.load(data / "handoffs.csv", parties=data / "parties.csv")

    with tempfile.TemporaryDirectory() as folder:
        rows = [
            measure("midsize", midsize, args.runs, Path(folder)),
            measure(f"synthetic-{args.parties}", synthetic, args.runs, Path(folder)),
        ]
    write_results(rows, args.runs)


def write_results(rows: list[dict], runs: int) -> None:
    """benchmarks/BRIEF.md: a table of the steps, the machine, the command."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    browser = find_chromium() or "none"
    lines = [
        "# Time to make the one-page brief",
        "",
        f"Measured {when} on {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"browser {browser}. Median of {runs} runs per step, each from an org already loaded and analysed "
        "(`chain.analyze()` is cached on the chain). Command: `python benchmarks/brief.py`.",
        "",
        "| Org | Parties | Hand-offs | Load and analyse (s) | Content (s) | HTML with the chain (s) | HTML size (MB) "
        "| PDF (s) | PNG (s) | PDF pages |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        pdf = f"{r['pdf']:.2f}" if "pdf" in r else "no Chromium"
        png = f"{r['png']:.2f}" if "png" in r else "no Chromium"
        lines.append(
            f"| {r['org']} | {r['parties']:,} | {r['handoffs']:,} | {r['load']:.2f} | {r['content']:.3f} "
            f"| {r['html']:.2f} | {r['size'] / 1e6:.1f} | {pdf} | {png} | {r.get('pages', '')} |"
        )
    lines += [
        "",
        "Content is `brief(chain, figure=False)`: the headline, the things to decide and their names. HTML adds "
        "`chain.plot()` (above 150 parties the figure draws departments or layers, so its size stays bounded) and "
        "Plotly's JavaScript, inlined once (about 4.7 MB of the size). PDF and PNG each start a headless Chromium, "
        "which loads the page, draws the figure and prints (A4 landscape) or takes the screenshot (2246 by 1588 "
        "pixels); that start and the drawing are most of their time.",
        "",
    ]
    (HERE / "BRIEF.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
