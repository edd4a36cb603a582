"""The one-page brief laid out in a browser: the chain picture stays inside its column, above the footnote, however
long the headline above it (a quarterly review's headline says what is accepted, decided and overdue too)."""

from __future__ import annotations

import pytest

import valuechain as vc
from tests.conftest import DATA
from valuechain.report.brief import PAGE_PIXELS, brief, render

pytestmark = pytest.mark.browser

# the bottom of the chain picture's box, of the page's main part and the top of the footnote, in pixels
BOXES = """() => {
    const box = s => document.querySelector(s).getBoundingClientRect();
    return {figure: box('.brief .chain .figure').bottom, main: box('.brief main').bottom,
            foot: box('.brief .foot').top, page: box('.brief').bottom};
}"""


def boxes(browser, tmp_path, chain, previous=None):
    path = tmp_path / "brief.html"
    path.write_text(render(brief(chain, previous)), encoding="utf-8")
    page = browser.new_page(viewport={"width": PAGE_PIXELS[0], "height": PAGE_PIXELS[1]})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector(".figure .main-svg", timeout=30_000)
    shown = page.evaluate(BOXES)
    page.close()
    assert errors == []
    return shown


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


@pytest.mark.parametrize("decided", [False, True])
def test_the_chain_picture_stays_above_the_footnote(browser, tmp_path, decided):
    old, new = load("midsize"), load("midsize-reorganised")
    if decided:  # the headline of a quarterly review takes two lines
        new = new.with_decisions(DATA / "midsize" / "decisions.csv", previous=old, as_of="2026-10-01")
    shown = boxes(browser, tmp_path, new, old)
    assert shown["figure"] <= shown["main"] + 1, shown
    assert shown["figure"] <= shown["foot"], shown
    assert shown["foot"] < shown["page"], shown
