"""The leaders' report in every format: sections and numbers right, hostile names harmless."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

import valuechain as vc
from tests.conftest import DATA, OUTPUT
from valuechain.report import findings_tables, headline, render, write
from valuechain.vocabulary import COLUMNS, Reason

HOSTILE = {
    "script": "</script><script>alert('x')</script>",
    "img": '<img src=x onerror="alert(1)">',
    "formula": '=HYPERLINK("http://evil","click")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)",
}


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def hostile_chain() -> vc.Chain:
    names = list(HOSTILE.values())
    parties = pd.DataFrame(
        {
            "id": ["customer", *HOSTILE],
            "name": ["Customer", *names],
            "kind": ["external_customer"] + ["team"] * len(HOSTILE),
            "group": ["", *names],
            "headcount": ["", "1", "2", "3", "4", "5", "6"],  # negative ones are refused on reading
        }
    )
    handoffs = pd.DataFrame(
        {
            "source": ["script", "img", "formula", "plus", "minus"],
            "target": ["customer", "formula", "img", "at", "at"],
            "deliverable": names[:5],
        }
    )
    return vc.load(handoffs, parties=parties)


def test_html_report_sections_and_numbers():
    later, earlier = load("midsize-reorganised"), load("midsize")
    html = render(later, "html", previous=earlier, title="Acme").decode()
    for key in ("summary", "orphans", "loops", "preferences", "spof", "chain", "departments", "changes"):
        assert f'<section id="{key}">' in html
    assert headline(later) in html
    assert "9 of 75 teams (12%) have no line of sight" in html
    assert "Orphans: 12 resolved" in html
    for reason in later.analyze().orphans["reason"].unique():
        assert Reason(reason).next_step.replace("'", "&#x27;") in html
    assert html.count("<script") == 1 + 1 + 1 + 3  # plotly.js once, the brief's chain and its fitting, then the
    # chain, departments and flow figures
    assert html.index('<div class="brief">') < html.index("<h1>Acme</h1>")  # the report opens with the brief


def test_markdown_has_the_same_sections_without_figures():
    text = render(load("midsize"), "md").decode()
    assert text.startswith("# Value chain report")
    for title in ("## Summary", "## Orphaned teams", "## Mutual dependencies and loops", "## Preference hand-offs",
                  "## Single points of failure", "## Departments"):  # fmt: skip
        assert title in text
    assert "<script" not in text and "| Name | Id | Reason |" in text


def test_what_a_person_reads_has_labels_and_words_never_codes(tmp_path):
    """Headers are the vocabulary's labels, reasons their titles, shares percentages; no code reaches a reader."""
    later, earlier = load("midsize-reorganised"), load("midsize")
    text = render(later, "md", previous=earlier).decode()
    html = render(later, "html", previous=earlier).decode()
    codes = [c for c in COLUMNS if "_" in c] + [r.value for r in Reason]  # share_connected, reason_before...
    for page in (text, html[: html.index("<footer")].split("</style>")[1]):
        page = "".join(p.split("</script>")[-1] for p in page.split("<script"))  # figures' data is for machines
        assert [c for c in codes if c in page] == []
        assert "| Share with line of sight |" in text or "<th>Share with line of sight</th>" in page
    assert "| Customer Service | 8 | 8 | 0 | 100% | yes |" in text  # departments: connected counts teams
    book = load_workbook(write(later, tmp_path / "x.xlsx", previous=earlier))
    orphans = book["Orphans"]
    header = [c.value for c in orphans[1]]
    assert header[:4] == ["Id", "Name", "Department", "Reason"] and "Headcount" in header
    rows = list(orphans.iter_rows(min_row=2, values_only=True))
    assert {r[3] for r in rows} <= {r.title for r in Reason}
    assert all(isinstance(r[header.index("Headcount")], int) for r in rows)  # numbers stay numbers
    assert [c.value for c in book["Summary"][1]] == ["Finding", "Value"]
    csv_rows = list(csv.reader(io.StringIO(render(later, "csv").decode("utf-8-sig"))))
    assert csv_rows[0][:4] == header[:4] and {r[3] for r in csv_rows[1:]} <= {r.title for r in Reason}


def test_excel_has_every_sheet_with_frozen_bold_headers_and_filters(tmp_path):
    path = write(load("midsize"), tmp_path / "findings.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [
        "Summary", "Orphans", "Loops", "Mutual pairs", "Single points of failure", "Parties", "Hand-offs"
    ]  # fmt: skip
    orphans = book["Orphans"]
    assert orphans.freeze_panes == "A2" and orphans["A1"].font.bold and orphans.auto_filter.ref.startswith("A1:")
    assert orphans.max_row == 1 + 22
    assert 10 <= orphans.column_dimensions["A"].width <= 60


def test_hostile_names_are_text_in_html_and_markdown():
    chain = hostile_chain()
    html = render(chain, "html").decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "</script><script>alert" not in html
    md = render(chain, "md").decode()
    assert "<img" not in md and "<script" not in md


def test_hostile_cells_are_neutralised_in_csv_and_excel_and_numbers_stay_numbers(tmp_path):
    chain = hostile_chain()
    rows = list(csv.reader(io.StringIO(render(chain, "csv").decode("utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://evil","click")' in cells
    book = load_workbook(write(chain, tmp_path / "x.xlsx"))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in ("=", "+", "-", "@"), f"{sheet.title}!{cell.coordinate}"
    parties = book["Parties"]
    header = [c.value for c in parties[1]]
    heads = [row[header.index("headcount")].value for row in parties.iter_rows(min_row=2)]
    assert sorted(h for h in heads if h is not None) == [1, 2, 3, 4, 5, 6]  # numbers stay numbers, not text


def test_unknown_formats_are_refused(tmp_path):
    with pytest.raises(vc.OutputError, match=r"\.html, \.pdf, \.md, \.xlsx, \.csv"):
        write(load("restaurant"), tmp_path / "report.docx")
    with pytest.raises(vc.OutputError, match="unknown report format 'docx'"):
        render(load("restaurant"), "docx")


@pytest.mark.browser
def test_html_report_opens_offline_in_chromium(browser, tmp_path):
    path = write(hostile_chain(), tmp_path / "hostile.html")
    sample = write(load("midsize"), OUTPUT / "report-midsize.html")
    page = browser.new_page(viewport={"width": 1200, "height": 1600})
    fetched, errors, dialogs = [], [], []
    page.route("**/*", lambda route: (fetched.append(route.request.url), route.continue_()))
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for report in (path, sample):
        page.goto(report.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        page.wait_for_timeout(500)
    assert page.locator(".js-plotly-plot").count() == 4  # the brief's chain, then chain, departments, flow
    departments = load("midsize").analyze().orphans["group"].nunique()
    assert page.locator("#orphans table").count() == departments  # one table per department with orphans
    page.screenshot(path=str(OUTPUT / "report-midsize.png"), full_page=False)
    page.emulate_media(media="print")
    page.screenshot(path=str(OUTPUT / "report-midsize-print.png"), full_page=False)
    page.close()
    assert [u for u in fetched if not u.startswith("file:")] == []  # nothing from the network
    assert errors == [] and dialogs == []  # and no hostile script ran


@pytest.mark.browser
def test_pdf_report(chromium, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(chromium))
    path = write(load("midsize"), OUTPUT / "report-midsize.pdf")
    data = path.read_bytes()
    assert data[:5] == b"%PDF-" and data.count(b"/Type /Page") >= 3


def test_excel_shows_what_it_cannot_hold_instead_of_failing(tmp_path):
    long = "y" * 40_000
    handoffs = pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"], "deliverable": ["dishes\x07ding", long]})
    parties = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["team", "team", "external_customer"]})
    chain = vc.load(handoffs, parties=parties)
    book = load_workbook(write(chain, tmp_path / "x.xlsx"))  # openpyxl refused "\x07" before
    sheet = book["Hand-offs"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("deliverable")].value for row in sheet.iter_rows(min_row=2)]
    assert cells[0] == "dishes␇ding"  # the control character shown as its control picture
    assert len(cells[1]) == 32_767 and cells[1].endswith("(cut at Excel's limit of 32,767 characters: 40,000 in all)")
    assert chain.handoffs["deliverable"].iloc[1] == long  # the org itself keeps it whole (JSON, graph files)
    for fmt in ("html", "md", "csv"):
        assert write(chain, tmp_path / f"x.{fmt}").stat().st_size > 0


def test_what_changed_counts_added_orphans_and_shows_lost_single_points_of_failure_as_a_loss(tmp_path):
    parties = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["team", "team", "external_customer"]})
    earlier = vc.load(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}), parties=parties)
    # b's hand-off to the customer is no longer essential, and a new team z delivers nothing
    later = vc.load(
        pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "essential": ["yes", "no"]}),
        parties=pd.concat([parties, pd.DataFrame({"id": ["z"], "kind": ["team"]})]),
    )
    md = render(later, "md", previous=earlier).decode()
    changes = md[md.index("## What changed") :]
    assert "Orphans: 0 resolved, 3 new (1 of them added in this version), 0 gone with the team" in changes
    assert "0 before, 3 now." in changes
    assert (
        "Single points of failure: 0 resolved (the teams behind them have another way now), 1 lost (gone only "
        "because the teams behind them lost their path to the customer: a loss, not an improvement), 0 new, "
        "0 removed (the party left the org or is a customer now): 1 before, 0 now." in changes
    )
    lost = changes[changes.index("### Lost single points of failure") :].splitlines()
    assert lost[2:5] == [
        "| Id | Teams that hung on it | Why |",
        "|---|---|---|",
        "| b | 1 | it lost its own path to the customer (it is an orphan now) |",
    ]
    assert "Single points of failure resolved" not in changes  # a loss is not shown as an improvement
    new = changes[changes.index("### New orphans") :]
    assert new.splitlines()[2:6] == [
        "| Id | Name | Department | Reason | Added in this version |",
        "|---|---|---|---|---|",
        "| a | a |  | Preference only | no |",
        "| b | b |  | Preference only | no |",
    ]
    assert new.splitlines()[6] == "| z | z |  | Dead end | yes |"
    sheets = [s.title for s in load_workbook(write(later, tmp_path / "x.xlsx", previous=earlier)).worksheets]
    assert "New orphans" in sheets and "Lost single points of failure" in sheets


def test_what_changed_since_the_midsize_org_accounts_for_the_removed_orphan():
    html = render(load("midsize-reorganised"), "md", previous=load("midsize")).decode()
    assert "Orphans: 12 resolved, 0 new, 1 gone with the team (removed, or no longer a team): 22 before, 9 now." in html
    table = html[html.index("### Removed orphans") :]
    assert "| mf-lean | Lean office | Manufacturing | Feeds other orphans | Removed |" in table
    resolved = html[html.index("### Orphans resolved") :]
    assert "| Was an orphan because |" in resolved.splitlines()[2] and "no longer holds" in resolved.splitlines()[0]


def test_user_columns_named_like_the_reports_own_are_kept(tmp_path):
    """A parties column 'row', 'distance' or 'reason' (and a hand-offs column 'row') is the user's own:
    every report is written, and the findings workbook keeps both the user's columns and its own."""
    parties = pd.DataFrame({"id": ["a", "cust"], "kind": ["team", "external_customer"], "row": ["3", ""],
                            "distance": ["5", ""], "reason": ["why", ""]})  # fmt: skip
    handoffs = pd.DataFrame({"source": ["a"], "target": ["cust"], "row": ["99"]})
    chain = vc.load(handoffs, parties=parties)
    for fmt in ("html", "md", "xlsx", "csv"):
        assert write(chain, tmp_path / f"report.{fmt}").stat().st_size > 0
    tables = findings_tables(chain)
    assert list(tables["Parties"].columns[:2]) == ["spreadsheet row", "id"]
    assert tables["Parties"].loc[0, ["row", "distance", "reason", "distance (finding)"]].tolist() == [
        "3",
        "5",
        "why",
        1,
    ]
    assert tables["Hand-offs"].loc[0, ["spreadsheet row", "row"]].tolist() == [2, "99"]


def test_each_section_answers_first_and_long_tables_go_to_the_appendix():
    from valuechain.report.content import LONG, sections

    shown = sections(load("midsize"), figures=False, appendix=True)
    first = {s.key: s.paragraphs[0] for s in shown}
    assert first["orphans"].startswith("22 of 75 teams have no line of sight to the customer, for 5 reasons: ")
    assert first["loops"] == (
        "8 loops and 10 mutual pairs: teams that depend on each other; 3 of the loops never reach the customer."
    )
    assert first["departments"] == (
        "In 2 of 11 departments every team reaches the customer; Executive, Finance and People have the most "
        "orphaned teams (4 each)."
    )
    assert first["spof"].startswith("If Central warehouse stopped, 27 teams")
    assert shown[-1].key == "appendix"
    assert all(len(t.frame) <= LONG for s in shown[:-1] for t in s.tables)
    (moved,) = shown[-1].tables
    assert moved.caption == "Single points of failure: what every path hangs on" and len(moved.frame) == 22
    spof = next(s for s in shown if s.key == "spof")
    assert spof.tables == [] and spof.paragraphs[-1].endswith("(22 rows) is in the appendix.")
    assert [s.key for s in sections(load("midsize"), figures=False)][-1] == "departments"  # Excel keeps its tables
    text = render(load("midsize"), "md").decode()
    assert text.index("## Value chain brief") < text.index("## Summary") < text.index("## Appendix: the long tables")
