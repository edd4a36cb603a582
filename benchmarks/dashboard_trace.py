"""Where the dashboard's upload-to-overview time goes, at a given org size: server, wire and browser.

One run per org size, a fresh server each time (nothing cached), in headless Chromium as the tests launch it.
What is recorded, on one clock (the browser's ``performance.now()``, in ms from giving the hand-offs file):

* **wire**: each websocket message the browser receives (time, bytes, and what it is: the element type of a
  delta, or the message type), read back with Streamlit's own protobuf classes;
* **script**: the script run on the server, profiled with :mod:`cProfile` through a wrapper app (the total,
  and the functions that take the most cumulative time), written next to the run's output;
* **browser**: when the headline, the figure's SVG and its ``plotly_afterplot`` appear, when the status widget
  goes and nothing is stale, and the long tasks (over 50 ms) the main thread runs.

Usage: python benchmarks/dashboard_trace.py --parties 10000 [--root /path/to/worktree] [--profile]

``--root`` times the code of another worktree (the app, the library and the test helpers are imported from it);
``--profile`` runs the server's script under cProfile (slower: for where the time goes, not how long it takes).
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: Recorded in the page before any of Streamlit's code runs: websocket messages, long tasks, and a check on
#: every animation frame of what the overview shows.
PROBE = """
(() => {
  window.__ws = []; window.__long = []; window.__marks = {}; window.__draws = [];
  const EVENTS = ['plotly_afterplot', 'plotly_react', 'plotly_relayout', 'plotly_autosize', 'plotly_redraw'];
  new MutationObserver(() => {
    const p = document.querySelector('.js-plotly-plot');
    if (p && !p.__probe && p.on) {
      p.__probe = true;
      EVENTS.forEach((n) => p.on(n, () => window.__draws.push([n, performance.now()])));
    }
  }).observe(document, {subtree: true, childList: true});
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const n = e.data.byteLength !== undefined ? e.data.byteLength : (e.data.size || e.data.length);
        window.__ws.push([performance.now(), n]);
      });
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
  }).observe({type: 'longtask', buffered: true});
  const mark = (name, yes) => {
    if (yes && !(name in window.__marks)) window.__marks[name] = performance.now();
    if (!yes) delete window.__marks[name];
  };
  const watch = () => {
    if (window.__t0) {
      const headline = [...document.querySelectorAll('[data-testid="stMetricLabel"]')]
        .some((e) => e.textContent.includes('Teams with line of sight'));
      mark('headline', headline);
      const plot = document.querySelector('.js-plotly-plot');
      mark('figure svg', !!(plot && plot.querySelector('.main-svg')));
      mark('status widget gone', !document.querySelector('[data-testid="stStatusWidget"]'));
      mark('nothing stale', document.querySelectorAll('[data-stale="true"]').length === 0);
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})();
"""

#: The wrapper app: the dashboard's own ``app.py``, with each script run that has a hand-offs file profiled.
WRAPPER = """
import cProfile, os, pstats, time
import streamlit as st
from valuechain.dashboard import main
from valuechain.dashboard.patches import keep_file_upload_answers

keep_file_upload_answers()
st.set_page_config(page_title="valuechain", layout="wide")
profile, start = cProfile.Profile(), time.perf_counter()
profile.enable()
try:
    main()
finally:
    profile.disable()
    if st.session_state.get("handoffs") is not None:
        out = os.environ["VALUECHAIN_TRACE_PROFILE"]
        n = len([f for f in os.listdir(os.path.dirname(out))
                 if f.startswith(os.path.basename(out) + ".") and not f.endswith(".txt")])
        profile.dump_stats(f"{out}.{n}")
        with open(f"{out}.{n}.txt", "w") as f:
            f.write(f"script run: {time.perf_counter() - start:.3f} s\\n")
            pstats.Stats(profile, stream=f).sort_stats("cumulative").print_stats(45)
"""


def describe(payload: bytes) -> str:
    """What a ForwardMsg is: the element type of a new element, else the message's type."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg.FromString(payload)
    kind = msg.WhichOneof("type") or "?"
    if kind == "delta":
        delta = msg.delta
        what = delta.WhichOneof("type")
        if what == "new_element":
            return f"element {delta.new_element.WhichOneof('type')}"
        if what == "add_block":
            return f"block {delta.add_block.WhichOneof('type')}"
        return f"delta {what}"
    if kind == "session_status_changed":
        s = msg.session_status_changed
        return f"status running={s.script_is_running}"
    return kind


def keep_frames(ws: Any, frames: list[bytes]) -> None:
    """Keep each message the browser receives on ``ws`` (Streamlit's are binary protobuf)."""
    ws.on("framereceived", lambda payload: frames.append(payload if isinstance(payload, bytes) else payload.encode()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=10_000)
    parser.add_argument("--root", type=Path, default=HERE.parent)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "dashboard-trace")
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path[:0] = [str(root), str(HERE)]
    os.environ["PYTHONPATH"] = str(root)
    from playwright.sync_api import sync_playwright
    from synthetic import organisation

    from tests.conftest import CHROMIUM, CHROMIUM_FLAGS
    from tests.streamlit_server import serve, upload_parties_first, wait_for_run

    cache = HERE / ".cache"
    cache.mkdir(exist_ok=True)
    h, p = cache / f"dashboard-handoffs-{args.parties}.csv", cache / f"dashboard-parties-{args.parties}.csv"
    if not h.exists() or not p.exists():
        parties, handoffs = organisation(args.parties, seed=7)
        handoffs.to_csv(h, index=False)
        parties.to_csv(p, index=False)
    args.out.mkdir(parents=True, exist_ok=True)
    app = root / "app.py"
    if args.profile:
        app = args.out / "profiled_app.py"
        app.write_text(WRAPPER)
        os.environ["VALUECHAIN_TRACE_PROFILE"] = str(args.out / f"profile-{args.parties}")
        for old in args.out.glob(f"profile-{args.parties}.*"):
            old.unlink()
    frames: list[bytes] = []
    with sync_playwright() as pw, serve(app=app) as url:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(PROBE)
        page.on("websocket", lambda ws: keep_frames(ws, frames))
        upload_parties_first(page, url, p)
        inputs = page.locator('input[type="file"]')
        page.wait_for_timeout(1000)
        before = page.evaluate("window.__ws.length")
        page.evaluate("window.__t0 = performance.now(); window.__marks = {}")
        start = time.perf_counter()
        inputs.nth(0).set_input_files(str(h))
        page.get_by_text("Teams with line of sight").first.wait_for(timeout=120_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=120_000)
        wait_for_run(page, timeout=120_000)
        wall = time.perf_counter() - start
        page.wait_for_timeout(1500)  # what comes after the page looks done (a second run?)
        t0, ws, marks, long_tasks, draws, uploads = page.evaluate(
            """() => [window.__t0, window.__ws, window.__marks, window.__long, window.__draws,
                      performance.getEntriesByType('resource').filter(e => e.name.includes('upload_file'))
                        .map(e => [e.startTime, e.responseEnd, e.name])]"""
        )
        browser.close()
    payloads = frames
    print(f"{args.parties:,} parties, root {root}: upload to overview {wall:.2f} s (with wait_for_run's 0.3 s pause)")
    print("\nupload requests (ms from giving the file):")
    for begin, end, name in uploads:
        if begin >= t0:
            print(f"  {begin - t0:7.0f} -> {end - t0:7.0f}  {name.rsplit('/', 2)[-2][:8]}")
    print("\nwebsocket messages after the upload (ms, bytes, what):")
    sizes: collections.Counter[str] = collections.Counter()
    counts: collections.Counter[str] = collections.Counter()
    for (at, size), payload in zip(ws[before:], payloads[before:]):
        what = describe(payload)
        sizes[what] += size
        counts[what] += 1
        if size > 2000 or not what.startswith(("element", "block")):
            print(f"  {at - t0:7.0f}  {size:>10,}  {what}")
    print(f"  ... {len(ws) - before} messages, {sum(s for _, s in ws[before:]):,} bytes in all; by kind:")
    for what, size in sizes.most_common():
        print(f"      {counts[what]:4d} x {what:40s} {size:>10,} bytes")
    print("\nbrowser marks (ms from giving the file):")
    for name, at in sorted(marks.items(), key=lambda kv: kv[1]):
        print(f"  {at - t0:7.0f}  {name}")
    for name, at in draws:
        if at >= t0:
            print(f"  {at - t0:7.0f}  {name}")
    late = [(s - t0, d) for s, d in long_tasks if s >= t0]
    print(f"\nlong tasks after the upload: {len(late)}, {sum(d for _, d in late):.0f} ms in all")
    for s, d in late:
        print(f"  {s:7.0f} +{d:5.0f} ms")
    if args.profile:
        for text in sorted(args.out.glob(f"profile-{args.parties}.*.txt")):
            print(f"\n{text}:\n" + "\n".join(text.read_text().splitlines()[:70]))


if __name__ == "__main__":
    main()
