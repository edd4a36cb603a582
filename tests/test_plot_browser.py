"""The figures in a real headless Chromium: they render, WebGL draws, no JavaScript error; PNG and SVG export.

Screenshots land in ``tests/output/`` for a person to look at.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

import valuechain as vc
from benchmarks.synthetic import organisation
from tests.conftest import DATA, OUTPUT
from valuechain.plot import flow_figure, rollup_figures, save_image, scenario_figure

pytestmark = pytest.mark.browser


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def figures() -> dict:
    midsize, phone = load("midsize"), load("phone-repair")
    graph, matrix = rollup_figures(midsize)
    parties, handoffs = organisation(1500, seed=3)
    large = vc.load(handoffs, parties=parties)
    return {
        "webgl-1500-parties": large.plot(),
        "chain": midsize.plot(),
        "focus": midsize.plot(focus="sc-warehouse"),
        "loop": phone.plot(loop=0),
        "department": midsize.plot(department="Finance"),
        "by-department": midsize.plot(max_parties=40),
        "departments": graph,
        "matrix": matrix,
        "flow": flow_figure(midsize),
        "whatif": scenario_figure(phone.whatif(remove=["repair-agents"])),
    }


def test_every_figure_renders_in_chromium_without_a_javascript_error(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"page error: {err}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    for name, fig in figures().items():
        page.set_content(fig.to_html(include_plotlyjs=True, full_html=True), wait_until="load")
        page.wait_for_selector(".main-svg", timeout=30_000)
        page.wait_for_timeout(300)  # WebGL draws after the SVG frame
        shown = [t for t in fig.data if t.type in ("scatter", "scattergl") and t.showlegend is not False]
        assert page.locator(".legend .traces").count() == len({t.name for t in shown}), name
        if any(t.type == "scattergl" for t in fig.data):
            assert page.locator("canvas").count() > 0, f"{name}: no WebGL canvas"
        else:  # small figures are SVG: one path per marker
            points = sum(len(t.x) for t in fig.data if t.meta == "parties")
            assert page.locator(".scatterlayer .point").count() >= points, name
        if fig.data[0].type == "sankey":
            assert page.locator(".sankey-node").count() == len(fig.data[0].node.label)
        shot = page.screenshot(path=str(OUTPUT / f"figure-{name}.png"), full_page=True)
        pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("L"))
        assert (pixels < 200).mean() > 0.01, f"{name}: the screenshot is nearly blank"
    assert errors == []
    page.close()


def test_png_and_svg_export(chromium, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(chromium))
    fig = load("restaurant").plot(focus="purchasing")
    png = save_image(fig, OUTPUT / "chain.png", width=900)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, _ = Image.open(png).size
    assert width == 900 * 2  # scale 2 for slides
    svg = save_image(fig, OUTPUT / "chain.svg").read_text()
    assert svg.startswith("<svg") and "Kitchen" in svg  # names are vector text
    assert "<image" not in svg  # small figures are drawn as vectors, not a WebGL picture
    with pytest.raises(vc.OutputError, match=r"\.png, \.svg or \.pdf"):
        save_image(fig, OUTPUT / "chain.gif")
