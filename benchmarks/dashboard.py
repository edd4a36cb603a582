"""Time the dashboard from upload to overview in headless Chromium, on a synthetic org of about 10,000 hand-offs.

For each run: a fresh server (so nothing is cached), the page opened, the
parties file given to its input, then the clock started as the hand-offs
file is given and stopped when the overview is complete. Complete means, all
at once in one check of the page (polled every 20 ms, no fixed pause):

* the headline metric "Teams with line of sight" is on the page;
* the chain figure of *this* org is drawn: a Plotly graph whose title names
  the org's number of parties has fired ``plotly_afterplot`` (Plotly's own
  "drawing done" event) since the upload;
* Streamlit's status widget ("Running...") is gone and no element is stale
  (greyed out from the run before).

Streamlit's chart then draws the same figure a second time (its theme effect
hands Plotly copies of the data; see DASHBOARD.md); the page looks the same
meanwhile but the main thread is busy. The time until that redraw is done
(``settled``: no long task on the main thread for 300 ms) is recorded too.

Writes benchmarks/DASHBOARD.md, keeping its sections from "## Issue 19" on (``--output -``: print only).

Usage: python benchmarks/dashboard.py [--parties 3200] [--runs 3] [--root WORKTREE] [--output -]
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

HERE = Path(__file__).resolve().parent
#: The code timed: this worktree's, or another's (``--root``, read before anything of the project is imported).
ROOT = Path(sys.argv[sys.argv.index("--root") + 1]).resolve() if "--root" in sys.argv else HERE.parent
os.environ["PYTHONPATH"] = str(ROOT)  # the server's imports too
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from synthetic import organisation  # noqa: E402

from tests.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.streamlit_server import serve, upload_parties_first  # noqa: E402

CACHE = HERE / ".cache"
#: Recorded in the page before Streamlit runs: each Plotly graph's draws and the main thread's long tasks.
PROBE = """
window.__draws = []; window.__long = [];
new MutationObserver(() => {
  for (const g of document.querySelectorAll('.js-plotly-plot')) {
    if (!g.__probed && g.on) { g.__probed = true; g.on('plotly_afterplot', () => window.__draws.push(
      [performance.now(), (g.querySelector('.gtitle') || {}).textContent || '']));
    }
  }
}).observe(document, {subtree: true, childList: true});
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); })
  .observe({type: 'longtask', buffered: true});
"""
#: The overview is complete (see the module's docstring); ``t0`` is the browser's time of the upload.
COMPLETE = """([t0, title]) => {
  const headline = [...document.querySelectorAll('[data-testid="stMetricLabel"]')]
    .some((e) => e.textContent.includes('Teams with line of sight'));
  const drawn = window.__draws.some(([at, text]) => at > t0 && text.includes(title));
  return headline && drawn && !document.querySelector('[data-testid="stStatusWidget"]')
    && document.querySelectorAll('[data-stale="true"]').length === 0;
}"""
#: Where the hand-written sections of DASHBOARD.md start: a run keeps them.
KEPT_FROM = "## Issue 19"
#: Milliseconds without a long task after which the page counts as settled.
QUIET = 300


def drawing_times(browser, chains: dict) -> list[str]:
    """Milliseconds for Plotly.js to draw each chain's figure with SVG and with WebGL traces (median of 3)."""
    import plotly

    from valuechain.plot.style import as_svg

    script = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_content("<html><body><div id=g style='width:1300px;height:900px'></div></body></html>")
    page.add_script_tag(path=str(script))
    draw = """async (d) => { const f = JSON.parse(d); const t = performance.now(); Plotly.purge('g');
        await Plotly.newPlot('g', f.data, f.layout);
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        return performance.now() - t; }"""
    rows = []
    for name, chain in chains.items():
        gl = chain.plot(max_parties=10_000)
        gl = go_gl(gl)
        times = {}
        for kind, fig in (("SVG", as_svg(gl)), ("WebGL", gl)):
            data = fig.to_json()
            times[kind] = statistics.median(page.evaluate(draw, data) for _ in range(3))
        rows.append(f"| {name} | {len(chain.parties):,} | {times['SVG']:.0f} ms | {times['WebGL']:.0f} ms |")
        print(rows[-1], flush=True)
    page.close()
    return rows


def go_gl(fig):
    """``fig`` with every scatter trace as WebGL (the figures are SVG up to 500 parties)."""
    import plotly.graph_objects as go

    data = [go.Scattergl({k: v for k, v in t.to_plotly_json().items() if k != "type"}) for t in fig.data]
    return go.Figure(data=data, layout=fig.layout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=3200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", default=str(HERE / "DASHBOARD.md"), help="'-': print only")
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the worktree whose code is timed")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    CACHE.mkdir(exist_ok=True)
    parties, handoffs = organisation(args.parties, seed=7)
    h, p = CACHE / f"dashboard-handoffs-{args.parties}.csv", CACHE / f"dashboard-parties-{args.parties}.csv"
    handoffs.to_csv(h, index=False)
    parties.to_csv(p, index=False)
    times, settled = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        import valuechain as vc

        chains = {
            "midsize sample": vc.load(
                HERE.parent / "data/midsize/handoffs.csv", parties=HERE.parent / "data/midsize/parties.csv"
            ),
        }
        for n in (300, 1000):
            small_p, small_h = organisation(n, seed=7)
            chains[f"synthetic {n:,}"] = vc.load(small_h, parties=small_p)
        draws = drawing_times(browser, chains) if args.output != "-" else []
        for _ in range(args.runs):
            with serve(app=ROOT / "app.py") as url:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.add_init_script(PROBE)
                upload_parties_first(page, url, p)  # the analysis starts with the hand-offs
                inputs = page.locator('input[type="file"]')
                t0 = page.evaluate("performance.now()")
                start = time.perf_counter()
                inputs.nth(0).set_input_files(str(h))
                title = f"{len(parties):,} parties"
                page.wait_for_function(COMPLETE, arg=[t0, title], polling=20, timeout=120_000)
                times.append(time.perf_counter() - start)
                page.wait_for_function(  # settled: QUIET ms since the last long task ended
                    """([t0, quiet]) => { const ends = window.__long.filter(([s]) => s > t0).map(([s, d]) => s + d);
                       return performance.now() - Math.max(t0, ...ends) > quiet; }""",
                    arg=[t0, QUIET],
                    polling=50,
                    timeout=120_000,
                )
                ends = page.evaluate("(t0) => window.__long.filter(([s]) => s > t0).map(([s, d]) => s + d)", t0)
                settled.append(max([times[-1], *((e - t0) / 1000 for e in ends)]))
                print(f"upload to overview: {times[-1]:.2f} s (settled {settled[-1]:.2f} s)", flush=True)
                page.close()
        browser.close()
    print(f"median {statistics.median(times):.2f} s, settled {statistics.median(settled):.2f} s", flush=True)
    if args.output == "-":
        return
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    output = Path(args.output)
    # the sections written by hand (from "## Issue 19" on: other sizes, before and after) are kept
    kept = output.read_text().partition(KEPT_FROM)[1:] if output.exists() else ("", "")
    output.write_text(
        "# Dashboard: upload to overview\n\n"
        f"Measured {when} by `python benchmarks/dashboard.py` on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, in headless Chromium driven by Playwright.\n\n"
        f"A synthetic org (`benchmarks/synthetic.py`, seed 7) of {len(parties):,} parties and "
        f"{len(handoffs):,} hand-offs. Each run starts a fresh server (nothing cached), gives the parties file "
        "to its input, then times from giving the hand-offs file to the overview being complete (polled, no fixed "
        "pause): the headline metric on the page, the org's chain figure drawn (Plotly's `plotly_afterplot`), "
        "Streamlit's status widget gone and nothing stale. Settled: until Streamlit's redraw of the figure is "
        f"done too (no long task for {QUIET} ms).\n\n"
        "| runs | median | all runs | settled (median) |\n|---:|---:|---|---:|\n"
        f"| {len(times)} | **{statistics.median(times):.2f} s** | {', '.join(f'{t:.2f}' for t in times)} "
        f"| {statistics.median(settled):.2f} s |\n\n"
        "Target (issue 5): under 3 seconds.\n\n"
        "## Drawing a chain figure: SVG or WebGL\n\n"
        "Plotly.js drawing each figure with SVG traces and with WebGL traces in the same headless Chromium "
        "(software rendering, as on a machine without a GPU), median of 3. Figures of up to 500 parties are "
        "drawn in SVG, larger ones in WebGL (`valuechain.plot.style.SVG_UP_TO`).\n\n"
        "| chain | parties | SVG | WebGL |\n|---|---:|---:|---:|\n"
        + "\n".join(draws)
        + "\n"
        + ("\n" + "".join(kept) if kept[0] else "")
    )


if __name__ == "__main__":
    main()
