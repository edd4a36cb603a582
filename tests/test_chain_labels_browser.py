"""The chain's names in a real headless Chromium: every party named, no two texts overlapping, at the dashboard's
width and at A4 landscape; the same on a generated 150-party org with long names. Screenshots in ``tests/output/``.
"""

from __future__ import annotations

import html

import pytest

import valuechain as vc
from tests.conftest import DATA, OUTPUT
from tests.test_chain_labels import long_named_org
from valuechain.plot.labels import overlapping_pairs

pytestmark = pytest.mark.browser

WIDTHS = {"dashboard": 1100, "a4": 1050, "dashboard-with-sidebar": 940}

# every SVG text of the figure's plot and annotations, with its box in page pixels (the legend and titles apart)
BOXES = """() => ['annotation-text', 'xtick', 'legendtext', 'gtitle', 'g-xtitle'].flatMap(kind =>
    [...document.querySelectorAll(`.${kind}, .${kind} text`)].filter(t => t.tagName === 'text').map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, kind: kind, box: [r.left, r.top, r.right, r.bottom]};
    }))"""
MARKERS = """(traces) => traces.flatMap(k =>
    [...document.querySelectorAll(`.scatterlayer .trace:nth-child(${k + 1}) .points path`)].map(p => {
        const r = p.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom];
    }))"""


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def render(browser, fig, width: int, shot: str) -> tuple[list[dict], list[list[float]], list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"page error: {err}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    html = fig.to_html(include_plotlyjs=True, full_html=True, default_width="100%", config={"responsive": True})
    page.set_content(html.replace("<body>", '<body style="margin:0">'), wait_until="load")
    page.wait_for_selector(".main-svg", timeout=30_000)
    page.wait_for_timeout(300)
    traces = [k for k, t in enumerate(fig.data) if t.meta in ("parties", "arrows")]
    texts, markers = page.evaluate(BOXES), page.evaluate(MARKERS, traces)
    page.screenshot(path=str(OUTPUT / f"chain-labels-{shot}-{width}.png"), full_page=True)
    page.close()
    return texts, markers, errors


def overlaps(boxes: list[list[float]]) -> list[tuple[int, int]]:
    shrunk = [[b[0] + 0.5, b[1] + 0.5, b[2] - 0.5, b[3] - 0.5] for b in boxes]  # touching is not overlapping
    return overlapping_pairs(shrunk)


@pytest.mark.parametrize(
    "width",  # the narrowest width the labels are placed for in the main suite; every width in make test-slow
    [w if k == "dashboard-with-sidebar" else pytest.param(w, marks=pytest.mark.slow) for k, w in WIDTHS.items()],
    ids=WIDTHS.keys(),
)
@pytest.mark.parametrize("org", ["midsize", "midsize-focus", "long-names-150"])
def test_every_name_on_the_chain_and_no_text_overlaps(browser, org, width):
    chain = long_named_org() if org == "long-names-150" else load("midsize")
    fig = chain.plot(focus="Central warehouse") if org == "midsize-focus" else chain.plot()
    texts, markers, errors = render(browser, fig, width, org)
    assert len(texts) > len(chain.parties)  # the names, the ticks, the legend, the titles
    assert errors == []
    labels = [t for t in texts if t["kind"] == "annotation-text"]
    assert len(labels) == len(chain.parties)
    written = sorted(t["text"] for t in labels)  # each line is a tspan: the text reads its lines run together
    expected = [
        html.unescape(a.text).replace("<br>", "").replace("<b>", "").replace("</b>", "") for a in fig.layout.annotations
    ]
    assert written == sorted(expected)
    assert sorted(html.unescape(a.hovertext) for a in fig.layout.annotations) == sorted(chain.parties["name"])
    clash = overlaps([t["box"] for t in texts])
    assert clash == [], [(texts[i]["text"], texts[j]["text"]) for i, j in clash]
    label_boxes = [t["box"] for t in labels]
    on_markers = [
        (labels[i]["text"], j)
        for i, box in enumerate(label_boxes)
        for j, marker in enumerate(markers)
        if overlaps([box, marker])
    ]
    assert on_markers == []
