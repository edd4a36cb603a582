"""The department views in a real headless Chromium: no label overlaps another or leaves the figure.

Each of the three figures (the department chain, the matrix, the flow) of every sample with departments, and
of a generated org with long department names, is drawn at the dashboard's width (1100 pixels) and the
report's (A4, about 1000); the bounding box of every SVG text element is measured with
``getBoundingClientRect``. Screenshots land in ``tests/output/`` for a person to look at.
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
import pytest

import valuechain as vc
from benchmarks.synthetic import organisation
from tests.conftest import DATA, OUTPUT, SAMPLES
from valuechain.plot import flow_figure, rollup_figures
from valuechain.plot.matrix import department_matrix

pytestmark = pytest.mark.browser

WIDTHS = (1100, 1000)  # the dashboard, the report on A4
LONG_NAMES = [
    "Enterprise Architecture and Integration Services",
    "Customer Experience, Retention and Loyalty Programmes",
    "Procurement",
    "Finance",
    "Regional Field Operations (North and Baltic States)",
    "IT",
    "Research, Development and Industrial Design Engineering",
    "People, Culture and Internal Communications",
    "Quality Assurance and Regulatory Affairs",
    "Logistics",
    "Sales Operations and Key Account Management Worldwide",
    "Legal",
]

#: Every visible SVG text element of the figure: its text, class and box; and the box of the figure's SVG.
MEASURE = """() => {
  const svg = document.querySelector('svg.main-svg');
  const frame = svg.getBoundingClientRect();
  const texts = [];
  for (const svgNode of document.querySelectorAll('svg.main-svg')) {
    for (const t of svgNode.querySelectorAll('text')) {
      const style = getComputedStyle(t);
      if (!t.textContent.trim() || style.display === 'none' || style.visibility === 'hidden') continue;
      if (style.opacity === '0' || t.closest('[style*="opacity: 0"]')) continue;
      const r = t.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const holder = t.closest('.xtick, .ytick, .annotation, .node-label, .gtitle, .g-gtitle, .legendtext, .cbaxis');
      texts.push({
        text: [...t.querySelectorAll('tspan.line')].map(s => s.textContent).join(' ') || t.textContent,
        cls: (t.getAttribute('class') || '') + ' ' + (holder ? holder.getAttribute('class') : ''),
        x: r.left, y: r.top, w: r.width, h: r.height,
      });
    }
  }
  return {frame: {x: frame.left, y: frame.top, w: frame.width, h: frame.height}, texts};
}"""


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def long_names() -> vc.Chain:
    """A generated 600-party org in twelve departments, several with long names."""
    parties, handoffs = organisation(600, seed=5)
    number = parties["group"].str.removeprefix("dept-").astype(int)
    parties["group"] = [LONG_NAMES[i % len(LONG_NAMES)] for i in number]
    return vc.load(handoffs, parties=parties)


def overlapping(texts: list[dict], tolerance: float = 1.0) -> list[tuple[str, str]]:
    """The pairs of text boxes that overlap by more than ``tolerance`` pixels both ways."""
    boxes = np.array([[t["x"], t["y"], t["x"] + t["w"], t["y"] + t["h"]] for t in texts])
    if len(boxes) < 2:
        return []
    dx = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0])
    dy = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1], boxes[None, :, 1])
    i, j = np.nonzero(np.triu((dx > tolerance) & (dy > tolerance), k=1))
    return [(texts[a]["text"], texts[b]["text"]) for a, b in zip(i, j)]


def clipped(texts: list[dict], frame: dict, tolerance: float = 1.0) -> list[str]:
    """The texts whose box leaves the figure's SVG."""
    return [
        t["text"]
        for t in texts
        if t["x"] < frame["x"] - tolerance
        or t["y"] < frame["y"] - tolerance
        or t["x"] + t["w"] > frame["x"] + frame["w"] + tolerance
        or t["y"] + t["h"] > frame["y"] + frame["h"] + tolerance
    ]


def plain(text: str) -> str:
    """A label as a person reads it: line breaks as spaces, entities decoded."""
    import html

    return " ".join(html.unescape(re.sub(r"<br\s*/?>", " ", text)).split())


def crowded() -> vc.Chain:
    """A generated 3,000-party org without departments: its flow is a dozen columns of distance layers."""
    parties, handoffs = organisation(3000, seed=2)
    return vc.load(handoffs, parties=parties.assign(group=None))


def test_helpers_find_overlaps_and_clipping():
    a = {"text": "a", "x": 0, "y": 0, "w": 50, "h": 12}
    b = {"text": "b", "x": 40, "y": 5, "w": 50, "h": 12}
    c = {"text": "c", "x": 200, "y": 0, "w": 50, "h": 12}
    assert overlapping([a, b, c]) == [("a", "b")]
    assert clipped([a, c], {"x": 0, "y": 0, "w": 220, "h": 100}) == ["c"]


@pytest.fixture(scope="module")
def page(browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"page error: {err}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.errors = errors
    yield page
    page.close()


def draw(page, fig, width: int, shot: str) -> dict:
    """Draw ``fig`` at ``width`` pixels, screenshot it to ``tests/output/``, and measure its text."""
    fig = go.Figure(fig).update_layout(width=width)
    page.set_viewport_size({"width": width + 40, "height": 900})
    page.set_content(fig.to_html(include_plotlyjs=True, full_html=True), wait_until="load")
    page.wait_for_selector(".main-svg", timeout=30_000)
    page.wait_for_timeout(250)  # the Sankey settles after the first frame
    page.screenshot(path=str(OUTPUT / f"departments-{shot}-{width}.png"), full_page=True)
    return page.evaluate(MEASURE)


#: The main suite draws the mid-size sample and the two made-up hard cases; ``make test-slow`` every sample.
EVERY = ("midsize", "long-names", "crowded")


@pytest.mark.parametrize(
    "name",
    [n if n in EVERY else pytest.param(n, marks=pytest.mark.slow) for n in (*SAMPLES, "long-names", "crowded")],
)
def test_department_views_have_no_overlapping_or_clipped_text(page, name):
    if name not in ("long-names", "crowded") and not (DATA / name / "parties.csv").exists():
        pytest.skip(f"{name} has no parties file, so no departments")
    page.errors.clear()  # this test's errors only
    chain = {"long-names": long_names, "crowded": crowded}.get(name, lambda: load(name))()
    if name == "crowded":  # the flow only: without departments there is no department chain or matrix to read
        figures = {"flow": flow_figure(chain)}
    else:
        graph, matrix = rollup_figures(chain)
        figures = {"chain": graph, "matrix": matrix, "flow": flow_figure(chain)}
    table = department_matrix(chain)
    for width in WIDTHS:
        for kind, fig in figures.items():
            seen = draw(page, fig, width, f"{name}-{kind}")
            where = f"{name} {kind} at {width}px"
            assert seen["texts"], where
            assert overlapping(seen["texts"]) == [], where
            assert clipped(seen["texts"], seen["frame"]) == [], where
            if kind == "matrix":
                rows = [plain(t["text"]) for t in seen["texts"] if "ytick" in t["cls"]]
                columns = [plain(t["text"]) for t in seen["texts"] if "xtick" in t["cls"]]
                assert len(rows) == len(table.index) and len(columns) == len(table.columns), where
                assert sorted(rows) == sorted(plain(u) for u in table.index), where
                assert sorted(columns) == sorted(plain(u) for u in table.columns), where
                outside = set(chain.parties.loc[chain.parties["group"].isna(), "id"])
                assert not outside & set(rows + columns), f"{where}: a party's id as a label"
            if kind == "flow":
                boxes = [plain(t) for t in fig.data[0].node.label]
                drawn = [plain(t["text"]) for t in seen["texts"] if "node-label" in t["cls"]]
                assert sorted(drawn) == sorted(boxes), where
            if kind == "chain":
                drawn = {plain(t["text"]) for t in seen["texts"] if "annotation" in t["cls"]}
                assert drawn == {plain(a.text) for a in fig.layout.annotations}, where
    assert page.errors == []


def test_the_screenshots_are_not_blank(page):
    from PIL import Image

    graph, _ = rollup_figures(load("midsize"))
    draw(page, graph, 1000, "midsize-check")
    pixels = np.asarray(Image.open(OUTPUT / "departments-midsize-check-1000.png").convert("L"))
    assert (pixels < 200).mean() > 0.01
