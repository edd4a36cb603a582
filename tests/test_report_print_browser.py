"""The report's figures on paper: each is laid out at the width its labels are placed for and printed scaled to
one A4 page, so no label lands on another in print either (headless Chromium, print media emulated)."""

from __future__ import annotations

import pytest

import valuechain as vc
from tests.conftest import DATA, OUTPUT
from tests.test_chain_labels_browser import overlaps
from valuechain.report import render
from valuechain.report.html import PRINTED_PAGE

pytestmark = pytest.mark.browser

# every figure on the page: its box, and the boxes of its texts (names, ticks, legend, titles)
FIGURES = """() => [...document.querySelectorAll('.figure')].map(f => {
    const r = f.getBoundingClientRect();
    const texts = [...f.querySelectorAll(
        '.annotation-text, .xtick text, .ytick text, .legendtext, .gtitle, .node-label, .g-xtitle text, .g-ytitle text'
    )]
        .filter(t => t.tagName === 'text' && t.textContent.trim())
        .map(t => { const b = t.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; });
    return {box: [r.left, r.top, r.right, r.bottom], texts: texts};
})"""


def test_the_reports_figures_print_whole_on_an_a4_page_with_no_text_on_another(browser, tmp_path):
    chain = vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv")
    path = tmp_path / "report.html"
    path.write_bytes(render(chain, "html"))
    page = browser.new_page(viewport={"width": PRINTED_PAGE[0], "height": PRINTED_PAGE[1]})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(path.as_uri(), wait_until="load")
    page.emulate_media(media="print")
    page.wait_for_selector(".figure .main-svg", timeout=30_000)
    page.wait_for_timeout(500)
    figures = page.evaluate(FIGURES)
    page.screenshot(path=str(OUTPUT / "report-print-a4.png"), full_page=True)
    page.close()
    assert errors == []
    assert len(figures) >= 3  # the chain, the departments and their flow at least
    for number, shown in enumerate(figures):
        left, top, right, bottom = shown["box"]
        assert right - left <= PRINTED_PAGE[0] + 1 and bottom - top <= PRINTED_PAGE[1] + 1, (number, shown["box"])
        assert len(shown["texts"]) > 3, (number, shown["texts"])
        assert overlaps(shown["texts"]) == [], number
