"""Heavy use: ten sessions at once, each uploading a different org of about 10,000 hand-offs.

Ten browser contexts in one headless Chromium drive one dashboard server on
loopback. Every session must finish, see only its own org, and the server's
memory must stay bounded (the caches hold a limited number of entries). The
throughput and the slowest session are written to tests/output/load.txt.
Marked slow: ``make test-slow`` runs it, and ``.ci/run`` runs that after ``make test`` (see benchmarks/LOAD.md).
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.synthetic import organisation
from tests.conftest import CHROMIUM_FLAGS, OUTPUT
from tests.streamlit_server import resident_mb, serve
from valuechain.dashboard.patches import RESCUED

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SESSIONS = 10
WAIT_MS = 240_000


@pytest.fixture(scope="module")
def orgs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("orgs")
    made = []
    for i in range(SESSIONS):
        parties, handoffs = organisation(3200 + 7 * i, seed=100 + i)  # a different size each: a visible signature
        h, p = folder / f"handoffs-{i}.csv", folder / f"parties-{i}.csv"
        handoffs.to_csv(h, index=False)
        parties.to_csv(p, index=False)
        made.append((h, p, len(parties), len(handoffs)))
    return made


async def idle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    await page.wait_for_timeout(300)
    await page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
               && document.querySelectorAll('[data-stale="true"]').length === 0""",
        timeout=WAIT_MS,
    )


async def session(browser, url: str, org, others: set[int]) -> dict:
    """One analyst: open the dashboard, upload parties then hand-offs, wait for the chain.

    Returns the timings and what the page showed; a session that stalls returns what it saw instead
    (page text, websocket frames, upload requests, a screenshot) so that the failure can be read.
    """
    handoffs, parties, n, rows = org
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    seen: dict = {"parties": n, "rows": rows, "others": others, "errors": []}
    page.on("pageerror", lambda err: seen["errors"].append(str(err)))
    page.on("requestfailed", lambda r: note(f"failed {r.method} {r.url}: {r.failure}"))
    page.on("response", lambda r: "/static/" in r.url or note(f"{r.status} {r.request.method} {r.url}"))

    seen["timeline"] = timeline = []
    start = time.perf_counter()

    def note(what: str) -> None:
        timeline.append(f"{time.perf_counter() - start:6.1f} s {what}")

    def frame(direction: str, proto):
        def read(payload) -> None:
            message = proto()
            try:
                message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
                kind = message.WhichOneof("type")
            except Exception:  # not a Streamlit message
                kind = "?"
            note(f"{direction} {kind}")

        return read

    def websocket(ws) -> None:
        ws.on("framesent", frame("sent", BackMsg))
        ws.on("framereceived", frame("received", ForwardMsg))
        ws.on("close", lambda _: note("websocket closed"))

    page.on("websocket", websocket)
    try:
        await page.goto(url)
        await page.get_by_text("Teams with line of sight").first.wait_for(timeout=WAIT_MS)
        await idle(page)  # ten pages drawing the sample's chain on two cores: a click can wait its turn
        await page.get_by_text("Upload files").click(timeout=WAIT_MS)
        await page.get_by_text("Upload a hand-offs file").wait_for(timeout=WAIT_MS)
        note("test: parties file given")
        await page.locator('input[type="file"]').nth(1).set_input_files(str(parties))
        await idle(page)
        note("test: hand-offs file given")
        await page.locator('input[type="file"]').nth(0).set_input_files(str(handoffs))
        await page.get_by_text(f"· {n} parties ·").wait_for(timeout=WAIT_MS)
        await page.locator(".js-plotly-plot").first.wait_for(timeout=WAIT_MS)
        seen["seconds"] = time.perf_counter() - start
        seen["caption"] = await page.get_by_text("Customers:").first.inner_text()
    except Exception as err:  # keep what the page showed, for the failure message
        seen["seconds"] = time.perf_counter() - start
        seen["failed"] = f"{type(err).__name__}: {str(err)[:300]}"
        seen["page"] = (await page.locator("body").inner_text())[-1500:]
        OUTPUT.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(OUTPUT / f"load-stalled-{n}.png"), full_page=True)
    finally:
        await context.close()
    return seen


async def run_all(url: str, orgs) -> list[dict]:
    from playwright.async_api import async_playwright

    from tests.conftest import CHROMIUM

    sizes = {n for _, _, n, _ in orgs}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        results = await asyncio.gather(*(session(browser, url, org, sizes - {org[2]}) for org in orgs))
        await browser.close()
    return results


def in_own_thread(work):
    """Run ``work`` in a thread of its own: the browser tests' sync Playwright keeps an event loop running in
    this one, and asyncio.run refuses to start inside it."""
    out, errors = [], []

    def call():
        try:
            out.append(work())
        except BaseException as err:  # handed back to the test's thread
            errors.append(err)

    thread = threading.Thread(target=call)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return out[0]


def test_ten_sessions_at_once(chromium, orgs):
    with serve() as url:
        before = resident_mb(url.process.pid)
        start = time.perf_counter()
        results = in_own_thread(lambda: asyncio.run(run_all(url, orgs)))
        wall = time.perf_counter() - start
        after = resident_mb(url.process.pid)
        cached = cache_entries(url)
        server_log = url.log.read_text(errors="replace")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "load-server.log").write_text(server_log)
    rescued = server_log.count(RESCUED)
    stalled = [r for r in results if "failed" in r]
    times = sorted(r["seconds"] for r in results if "failed" not in r)
    lines = [
        f"{SESSIONS} sessions at once, each uploading its own org of about {orgs[0][3]:,} hand-offs",
        f"{len(times)} of {SESSIONS} done in {wall:.1f} s: {len(times) / wall * 60:.1f} sessions a minute; "
        f"slowest session {max(times, default=0):.1f} s, median {times[len(times) // 2] if times else 0:.1f} s",
        f"server memory: {before:.0f} MB before, {after:.0f} MB after",
        "cache entries (limit 16): " + ", ".join(f"{name} {n:.0f}" for name, n in sorted(cached.items())),
        f"upload answers kept that Streamlit alone would have dropped (valuechain.dashboard.patches): {rescued}",
    ]
    for r in stalled:
        lines += [
            f"session with {r['parties']} parties stalled after {r['seconds']:.0f} s: {r['failed']}",
            *(f"  {line}" for line in r["timeline"][-40:]),
            "  page: " + r["page"].replace("\n", " | ")[-600:],
        ]
    (OUTPUT / "load.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    assert not stalled, "\n".join(lines) + "\nserver log (tests/output/load-server.log):\n" + server_log[-3000:]
    for r in results:
        assert r["errors"] == [], r["errors"]
        assert f"{r['parties']} parties" in r["caption"]  # its own org
        assert not any(f"· {other} parties ·" in r["caption"] for other in r["others"])  # and no one else's
    assert after < 4000, f"the server grew to {after:.0f} MB"
    assert cached["analyse"] >= SESSIONS and all(n <= 16 for n in cached.values()), cached


def cache_entries(url: str) -> dict[str, float]:
    """Entries per cache, from the server's own metrics (``/_stcore/metrics``).

    Its ``cache_memory_bytes`` counts entries, not bytes, unless ``server.enableExpensiveMemoryStats`` is on.
    """
    import re
    import urllib.request

    text = urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30).read().decode()
    pattern = r'^cache_memory_bytes\{cache_type="st_cache_resource",cache="[^"]*?\.?(\w+)"\} (\S+)$'
    return {name: float(n) for name, n in re.findall(pattern, text, flags=re.MULTILINE)}
