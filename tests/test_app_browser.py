"""The dashboard in a real headless Chromium: it opens on the sample, takes uploads, shows the right numbers.

Screenshots land in ``tests/output/`` for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.conftest import DATA, OUTPUT
from tests.streamlit_server import serve, wait_for_run

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def url(chromium):
    with serve() as address:
        yield address


@pytest.fixture
def page(browser, url):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"page error: {err}"))
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text("Teams with line of sight").first.wait_for(timeout=60_000)
    wait_for_run(page)
    yield page
    page.close()
    assert errors == [], errors


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_opens_on_the_sample_with_its_chart(page):
    assert metric(page, "Teams with line of sight") == "53 of 75"
    assert metric(page, "Orphaned teams") == "22"
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=30_000)
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 88  # one marker per party (SVG)
    assert page.locator(".js-plotly-plot .legend .traces").count() >= 8
    page.screenshot(path=str(OUTPUT / "dashboard-sample.png"), full_page=True)


def test_upload_through_the_file_input(page):
    page.get_by_text("Upload files").click()
    wait_for_run(page)
    inputs = page.locator('input[type="file"]')
    inputs.nth(0).set_input_files(str(DATA / "software-services" / "handoffs.csv"))
    wait_for_run(page)
    inputs.nth(1).set_input_files(str(DATA / "software-services" / "parties.csv"))
    wait_for_run(page)
    page.get_by_text("Teams with line of sight").first.wait_for()
    assert metric(page, "Orphaned teams") == "6"
    assert metric(page, "Loops") == "1"
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.screenshot(path=str(OUTPUT / "dashboard-upload.png"), full_page=True)
    page.get_by_role("tab", name="Orphans").click()
    wait_for_run(page)
    assert page.get_by_text("6 of 6 orphaned teams").is_visible()
    grid = page.locator('[class*="st-key-table-orphans"] [data-testid="stDataFrame"]')
    grid.wait_for()
    page.screenshot(path=str(OUTPUT / "dashboard-orphans.png"), full_page=True)


def test_a_broken_upload_names_file_row_and_column(page, tmp_path):
    broken = tmp_path / "handoffs.csv"
    broken.write_text((DATA / "restaurant" / "handoffs.csv").read_text().replace("kitchen,floor", "kitchn,floor", 1))
    page.get_by_text("Upload files").click()
    wait_for_run(page)
    inputs = page.locator('input[type="file"]')
    inputs.nth(0).set_input_files(str(broken))
    wait_for_run(page)
    inputs.nth(1).set_input_files(str(DATA / "restaurant" / "parties.csv"))
    wait_for_run(page)
    page.get_by_text("The files cannot be analysed yet").wait_for()
    page.get_by_role("button", name="Check again").wait_for(timeout=60_000)  # drawn after the error table
    page.screenshot(path=str(OUTPUT / "dashboard-problems.png"), full_page=True)
