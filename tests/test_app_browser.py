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


def open_tab(page, name: str) -> None:
    """Open a tab, clicking again while a busy page drops the click (the tab is then still not selected)."""
    tab = page.get_by_role("tab", name=name)
    for _ in range(5):
        tab.click()
        wait_for_run(page)
        page.wait_for_timeout(1000)  # a run still under way when the tab was clicked can select the old tab again
        wait_for_run(page)
        if tab.get_attribute("aria-selected") == "true":
            return
    raise AssertionError(f"the tab {name!r} never opened")


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
    page.get_by_text("handoffs.csv cannot be analysed yet").wait_for()  # names the file
    page.get_by_role("button", name="Check again").wait_for(timeout=60_000)  # drawn after the error table
    page.screenshot(path=str(OUTPUT / "dashboard-problems.png"), full_page=True)


def upload_files(page, handoffs, parties) -> None:
    page.get_by_text("Upload files").click()
    wait_for_run(page)
    inputs = page.locator('[data-testid="stSidebar"] input[type="file"]')
    inputs.nth(0).set_input_files(str(handoffs))
    wait_for_run(page)
    inputs.nth(1).set_input_files(str(parties))
    wait_for_run(page)


def test_two_cells_of_the_fix_up_grid_are_edited_one_after_the_other(page, tmp_path):
    """Issue 14 point 18: the grids sit in a form, so an edit sends nothing to the server (no rerun that would
    end the edit and drop the selection); the second edit follows the first; Check again applies both."""
    text = (DATA / "restaurant" / "handoffs.csv").read_text()
    broken = tmp_path / "handoffs.csv"
    broken.write_text(text.replace("kitchen,floor", "kitchn,floor", 1).replace("bar,floor", "bah,floor", 1))
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append("frame")))
    upload_files(page, broken, DATA / "restaurant" / "parties.csv")
    page.get_by_text("2 problems to fix").wait_for()
    wait_for_run(page)  # the grid is drawn again by a run still under way: locate it once the page is settled
    grid = page.locator('.st-key-editor-handoffs [data-testid="stDataFrame"]')
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    page.get_by_role("button", name="Check again").wait_for()
    box = grid.bounding_box()
    before = len(sent)
    # the 'source' cell of the file's row 4 (the grid's third row; the header and each row are 35 px high)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    cell_editor = page.locator("textarea.gdg-input")
    for attempt in range(5):  # the grid draws its canvas a moment after its frame: until then a click selects nothing
        page.mouse.click(box["x"] + 160, box["y"] + 35 + 2 * 35 + 17)
        page.keyboard.press("Enter")
        try:
            cell_editor.wait_for(timeout=3000)
            break
        except PlaywrightTimeout:
            assert attempt < 4, "the grid never opened a cell editor"
            page.keyboard.press("Escape")
    for number, value in enumerate(("kitchen", "bar")):  # Enter opens a cell's editor; Enter again commits, moves down
        if number:
            page.keyboard.press("Enter")
        cell_editor.wait_for()
        cell_editor.fill(value)
        page.keyboard.press("Enter")
        cell_editor.wait_for(state="detached")
    page.wait_for_timeout(2000)
    assert len(sent) == before, "an edit reran the page"
    page.screenshot(path=str(OUTPUT / "dashboard-fixup-two-edits.png"), full_page=True)
    page.get_by_role("button", name="Check again").click()
    wait_for_run(page)
    page.get_by_text("Teams with line of sight").first.wait_for(timeout=60_000)
    assert metric(page, "Orphaned teams") == "2"
    page.screenshot(path=str(OUTPUT / "dashboard-fixup-checked.png"), full_page=True)


def test_a_missing_column_is_explained_in_full_and_mapped_in_the_sidebar(page, tmp_path):
    """Issue 14 points 16 and 17: blank cells (not "None"), the whole hint on screen, the prompt goes once mapped."""
    handoffs = tmp_path / "handoffs.csv"
    handoffs.write_text("Handed by;Handed to;What\nkitchen;floor;dish\nfloor;diners;tables\nbar;floor;drinks\n")
    parties = tmp_path / "parties.csv"
    parties.write_text("id,kind\nkitchen,team\nfloor,team\nbar,team\ndiners,external_customer\n")
    upload_files(page, handoffs, parties)
    page.get_by_text("handoffs.csv cannot be analysed yet").wait_for()
    errors = page.locator('.st-key-table-errors [data-testid="stDataFrame"]')
    errors.wait_for()
    assert errors.bounding_box()["height"] > 3 * 35 + 20  # rows taller than one line: the hint wraps
    sidebar = page.locator('[data-testid="stSidebar"]')
    prompt = sidebar.get_by_text("Say which column holds")
    assert prompt.is_visible()
    page.screenshot(path=str(OUTPUT / "dashboard-missing-columns.png"), full_page=True)
    for label, header in (("who hands off (source)", "Handed by"), ("who receives (target)", "Handed to")):
        sidebar.locator('[data-testid="stSelectbox"]', has_text=label).first.click()
        page.get_by_role("option", name=header, exact=True).click()
        wait_for_run(page)
    page.get_by_text("Teams with line of sight").first.wait_for(timeout=60_000)
    assert metric(page, "Teams with line of sight") == "3 of 3"
    assert prompt.count() == 0
    page.screenshot(path=str(OUTPUT / "dashboard-mapped.png"), full_page=True)


def test_a_decision_picked_in_the_orphans_grid_moves_the_headline(page):
    """Issue 17 point 5: the decision column of a findings table is a list to pick from; picking one reruns the
    page and the headline counts it at once."""
    from valuechain.vocabulary import label

    columns = [label(c) for c in ("id", "name", "reason", "decision", "owner", "due", "note")]  # the grid's order
    open_tab(page, "Orphans")
    grid = page.locator('[class*="st-key-table-orphans"] [data-testid="stDataFrame"]')
    grid.wait_for()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    choices = page.locator(
        '[data-testid="stDataFrameGlideDataEditor"] [role="option"], .gdg-input, [id^="react-select"]'
    )
    grid.locator("canvas").first.wait_for()
    for attempt in range(8):  # the grid draws its canvas a moment after its frame: until then a click selects nothing
        # measured at each try: the page above the grid may still be settling (a busy machine), moving the grid
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)  # the first row's first cell
        for _ in range(columns.index(label("decision"))):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        try:
            choices.first.wait_for(timeout=4000)
            break
        except PlaywrightTimeout:
            assert attempt < 7, "the grid never opened the decision's list"
            page.keyboard.press("Escape")
            page.wait_for_timeout(1000)  # a busy machine: let the grid settle before the next try
    page.screenshot(path=str(OUTPUT / "dashboard-decision-list.png"), full_page=False)

    page.keyboard.type("Accepted")
    page.keyboard.press("Enter")
    wait_for_run(page)
    page.get_by_text("Findings to decide").first.wait_for(timeout=60_000)
    assert metric(page, "Accepted by design") == "1"
    assert metric(page, "Findings to decide") == "61"
    page.get_by_text("22 orphaned teams: 1 accepted by design, 21 to act on").wait_for()
    page.screenshot(path=str(OUTPUT / "dashboard-decision-made.png"), full_page=True)


def test_a_process_model_dropped_on_the_page_shows_which_lanes_reach_the_customer(page):
    """Issue 18's done-when: a BPMN export uploaded, the customer picked from its pools, the lanes' findings."""
    page.get_by_text("Process models (BPMN)").click()
    wait_for_run(page)
    page.locator('[data-testid="stSidebar"] input[type="file"]').first.set_input_files(
        str(DATA / "order-to-cash" / "order-to-cash.bpmn")
    )
    wait_for_run(page)
    page.get_by_text("Name the customer in the sidebar").wait_for(timeout=60_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]', has_text="The customer").first.locator("input").click()
    page.keyboard.type("Customer")
    page.get_by_role("option", name="Customer", exact=True).click()
    page.keyboard.press("Escape")
    wait_for_run(page)
    page.get_by_text("Teams with line of sight").first.wait_for(timeout=60_000)
    assert metric(page, "Teams with line of sight") == "4 of 5"
    assert metric(page, "Orphaned teams") == "1"
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.screenshot(path=str(OUTPUT / "dashboard-process-model.png"), full_page=True)
