"""The one-page brief: what it says, that it stays on one page, that hostile names stay text, and its command."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import valuechain as vc
from tests.conftest import DATA, OUTPUT, SAMPLES
from valuechain.cli import main
from valuechain.report.brief import MOST_DECISIONS, brief, render, write
from valuechain.vocabulary import BRIEF, FINDING_NEXT_STEP, Finding, Reason

HOSTILE = "</script><script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def many_orphans(departments: int = 9, per_department: int = 6) -> vc.Chain:
    """An org whose dead-end teams are spread over many departments, with long names."""
    ids = [f"d{d}-t{t}" for d in range(departments) for t in range(per_department)]
    parties = pd.DataFrame(
        {
            "id": ["customer", "front", *ids],
            "name": ["Customer", "Front desk", *[f"Department {i[1]} team {i[4:]} with a long name" for i in ids]],
            "kind": ["external_customer", "team", *["team"] * len(ids)],
            "group": ["", "Front", *[f"Department {i[1]}" for i in ids]],
        }
    )
    handoffs = pd.DataFrame({"source": ["front"], "target": ["customer"], "deliverable": ["service"]})
    return vc.load(handoffs, parties=parties)


def hostile_chain() -> vc.Chain:
    parties = pd.DataFrame(
        {
            "id": ["customer", "script", "img", "lost"],
            "name": ["Customer", HOSTILE, IMG, "Lost & <found>"],
            "kind": ["external_customer", "team", "team", "team"],
            "group": ["", IMG, HOSTILE, "<b>Ops</b>"],
        }
    )
    handoffs = pd.DataFrame({"source": ["script", "img"], "target": ["customer", "lost"], "deliverable": ["x", "y"]})
    return vc.load(handoffs, parties=parties)


# --- what it says -------------------------------------------------------------------------------------------


def test_headline_numbers_of_the_midsize_sample():
    page = brief(load("midsize"), figure=False)
    assert page.headline == "53 of 75 teams (71%) have a line of sight to the external customer; 22 are orphaned."
    facts = {f.label: (f.value, f.detail) for f in page.facts}
    assert facts == {
        "Teams with line of sight": ("53 of 75", "71%"),
        "Orphaned teams": ("22", "29%"),
        "People in orphaned teams": ("69 of 550", "13%"),
        "Cost of orphaned teams": ("4,692,000 of 37,400,000", "13%"),
    }


def test_without_headcount_or_cost_the_headline_says_teams_only():
    page = brief(vc.load(DATA / "restaurant" / "handoffs.csv", customers=["diners"]), figure=False)
    assert [f.label for f in page.facts] == ["Teams with line of sight", "Orphaned teams"]


def test_at_most_seven_things_largest_first_orphans_grouped_by_department_and_reason():
    chain = load("midsize")
    page = brief(chain, figure=False)
    assert 1 <= len(page.decisions) <= MOST_DECISIONS == 7
    sizes = [d.size for d in page.decisions]
    assert sizes == sorted(sizes, reverse=True)
    found = chain.analyze().orphans.assign(
        name=lambda t: t["id"].map(dict(zip(chain.parties["id"], chain.parties["name"])))
    )
    orphan_decisions = [d for d in page.decisions if d.finding is Finding.ORPHAN]
    assert {d.title.split(":")[0] for d in orphan_decisions} == {Reason(r).title for r in found["reason"].unique()}
    for decision in orphan_decisions:
        reason = next(r for r in Reason if decision.title.startswith(r.title + ":"))
        assert decision.next_step == reason.next_step
        rows = found[found["reason"] == reason.code]
        assert decision.size == len(rows) and f"{len(rows)} orphaned team" in decision.title
        for line in decision.lines:  # "Finance: Internal audit, Controlling and Management reporting"
            department, names = line.split(": ", 1)
            expected = rows.loc[rows["group"] == department, "name"].tolist()
            assert expected and all(name in names for name in expected)
    assert sorted(page.orphans_named) == sorted(found["name"])  # every one of the 22 is named on the page
    top = page.decisions[0]
    assert top.finding is Finding.SINGLE_POINT_OF_FAILURE and top.title.startswith("Central warehouse (Supply Chain)")
    assert top.next_step == FINDING_NEXT_STEP[Finding.SINGLE_POINT_OF_FAILURE]
    loops = [d for d in page.decisions if d.finding is Finding.LOOP]
    assert loops and loops[0].next_step == FINDING_NEXT_STEP[Finding.LOOP] and "Assembly line A" in loops[0].sentence
    assert page.left_off == f"{BRIEF.not_here}: 21 more single points of failure and 4 more loops."


def test_long_lists_end_with_and_n_more():
    page = brief(many_orphans(departments=9, per_department=6), figure=False)
    (dead_end,) = [d for d in page.decisions if d.finding is Finding.ORPHAN]
    assert dead_end.title == f"{Reason.DEAD_END.title}: 54 orphaned teams"
    assert len(dead_end.lines) == 6
    assert dead_end.lines[0] == (
        "Department 0: Department 0 team 0 with a long name, Department 0 team 1 with a long name, "
        "Department 0 team 2 with a long name, Department 0 team 3 with a long name and 2 more"
    )
    assert dead_end.lines[-1] == "and 24 more teams in 4 more departments"
    assert len(page.orphans_named) == 5 * 4


def test_what_improved_and_what_got_worse_since_the_previous_version():
    earlier, later = load("midsize"), load("midsize-reorganised")
    page = brief(later, earlier, figure=False)
    assert page.compared
    assert page.improved[0] == "Teams with line of sight: 53 of 75 before, 66 of 75 now."
    assert page.improved[1].startswith("12 orphaned teams now reach the customer: Board secretariat, Strategy office")
    assert page.improved[1].endswith("and 6 more.")
    assert page.worse[0].startswith("7 single points of failure, new: Pricing, Strategy office")  # most behind first
    assert any(line.startswith("1 loop, new: ") for line in page.worse)
    back = brief(earlier, later, figure=False)  # the other way round, what improved got worse
    assert back.worse[0] == "Teams with line of sight: 66 of 75 before, 53 of 75 now."
    assert back.worse[1].startswith("13 orphaned teams, new: Board secretariat, Strategy office")
    html = render(page)
    assert escape_free(BRIEF.improved) in html and escape_free(BRIEF.worse) in html
    same = brief(earlier, load("midsize"), figure=False)
    assert same.improved == same.worse == [] and BRIEF.no_change in render(same)


def escape_free(text: str) -> str:
    return text.replace("'", "&#x27;")


def test_nothing_to_decide_says_so():
    parties = pd.DataFrame({"id": ["a", "c"], "kind": ["team", "external_customer"]})
    page = brief(vc.load(pd.DataFrame({"source": ["a"], "target": ["c"]}), parties=parties), figure=False)
    assert page.decisions == [] and BRIEF.nothing_to_decide in render(page)


def test_every_word_comes_from_the_vocabulary_never_a_code():
    html = render(brief(load("midsize-reorganised"), load("midsize")))
    text = "".join(p.split("</script>")[-1] for p in html.split("<script"))  # the figure's data is for machines
    codes = [r.value for r in Reason] + ["share_connected", "teams_cut_off", "orphan_headcount", "external_customer"]
    assert [c for c in codes if c in text] == []
    assert "@page { size: A4 landscape" in html and "http" not in text  # one landscape page, nothing fetched


def test_hostile_names_are_text():
    page = brief(hostile_chain())
    html = render(page)
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert "</script><script>alert" not in html
    assert "Lost &amp; &lt;found&gt;" in html and "<b>Ops</b>" not in html
    assert set(page.orphans_named) == {IMG, "Lost & <found>"}
    md = vc.report.render(hostile_chain(), "md").decode()
    assert "<img" not in md and "<script" not in md


# --- writing it -------------------------------------------------------------------------------------------


def test_chain_brief_writes_html(tmp_path):
    path = load("midsize").brief(tmp_path / "brief.html", title="Acme <board>")
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<h1>Acme &lt;board&gt;</h1>" in html
    assert "Central warehouse" in html and html.count('class="js-plotly-plot"') <= 1
    with pytest.raises(vc.OutputError, match=r"\.html, \.pdf, \.png"):
        load("restaurant").brief(tmp_path / "brief.docx")


def test_without_chromium_pdf_and_png_say_what_is_missing_and_html_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    monkeypatch.setenv("PATH", str(tmp_path))
    chain = load("restaurant")
    for suffix in (".pdf", ".png"):
        with pytest.raises(vc.ToolMissing, match="needs Chromium or Chrome: on Debian 'apt-get install chromium'"):
            chain.brief(tmp_path / f"brief{suffix}")
        assert not (tmp_path / f"brief{suffix}").exists()
    assert chain.brief(tmp_path / "brief.html").stat().st_size > 0
    midsize = ["brief", str(DATA / "midsize" / "handoffs.csv"), "-p", str(DATA / "midsize" / "parties.csv")]
    done = CliRunner().invoke(main, [*midsize, "-o", str(tmp_path / "brief.pdf")])
    assert done.exit_code == 2 and "needs Chromium" in done.output


def test_the_command_takes_the_options_of_report(tmp_path):
    runner = CliRunner()
    new, old = DATA / "midsize-reorganised", DATA / "midsize"
    out = tmp_path / "brief.html"
    args = ["brief", str(new / "handoffs.csv"), "-p", str(new / "parties.csv"), "--previous", str(old / "handoffs.csv"),
            "--previous-parties", str(old / "parties.csv"), "--title", "Board <pack>", "-o", str(out)]  # fmt: skip
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    assert f"wrote {out}" in done.output
    html = out.read_text(encoding="utf-8")
    assert "<h1>Board &lt;pack&gt;</h1>" in html and escape_free(BRIEF.improved) in html
    # --customer and --column, as report takes them
    csv = tmp_path / "h.csv"
    csv.write_text("From team,To team\nkitchen,guests\nbar,kitchen\nlaundry,archive\n", encoding="utf-8")
    done = runner.invoke(main, ["brief", str(csv), "-c", "guests", "--column", "source=From team", "--column",
                                "target=To team", "-o", str(tmp_path / "b.html")])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "2 of 4 teams (50%) have a line of sight" in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_the_command_refuses_to_overwrite_its_inputs_and_says_why_it_cannot_write(tmp_path):
    runner = CliRunner()
    handoffs = tmp_path / "handoffs.csv"
    handoffs.write_bytes((DATA / "restaurant" / "handoffs.csv").read_bytes())
    before = handoffs.read_bytes()
    done = runner.invoke(main, ["brief", str(handoffs), "-c", "diners", "-o", str(handoffs)])
    assert done.exit_code == 2 and "is the same file as the hand-offs" in done.output
    assert handoffs.read_bytes() == before
    done = runner.invoke(main, ["brief", str(handoffs), "-c", "diners", "-o", str(tmp_path / "brief.docx")])
    assert done.exit_code == 2 and "use a .html, .pdf, .png file name" in done.output
    done = runner.invoke(main, ["brief", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "brief.html")])
    assert done.exit_code == 2 and not (tmp_path / "brief.html").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\na,b\nb,nobody-is-a-customer\n", encoding="utf-8")
    done = runner.invoke(main, ["brief", str(bad), "-c", "ghost", "-o", str(tmp_path / "brief.html")])
    assert done.exit_code == 2 and "error" in done.output and not (tmp_path / "brief.html").exists()
    done = runner.invoke(main, ["brief", "--help"])
    assert done.exit_code == 0 and "--previous-parties" in done.output and "--column" in done.output


def test_the_dashboard_offers_the_brief_first(monkeypatch, tmp_path):
    pytest.importorskip("streamlit")
    from valuechain.dashboard import downloads
    from valuechain.dashboard.state import Results

    results = Results(load("restaurant"))
    offered = downloads.files(results)
    assert offered[0][0] == f"{BRIEF.download} (HTML)" and offered[0][2] == "valuechain-brief.html"
    assert offered[0][1]().startswith(b"<!DOCTYPE html>")
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "none"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert [name for name, _, _ in downloads.files(results)][:2] == [
        f"{BRIEF.download} (HTML)",
        "Leaders' report (HTML)",
    ]


# --- on paper: Chromium ----------------------------------------------------------------------------------


def pdf_pages_and_text(path: Path) -> tuple[int, str]:
    """The number of pages of a PDF and its text (ligatures undone, white space collapsed)."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed (pip install -e .[dev])")
    reader = pypdf.PdfReader(path)
    text = unicodedata.normalize("NFKC", " ".join(page.extract_text() for page in reader.pages))
    return len(reader.pages), re.sub(r"\s+", " ", text)


@pytest.mark.browser
@pytest.mark.parametrize(
    "sample",  # the main suite prints two; make test-slow prints every sample
    [
        s if s in ("midsize", "many-orphans") else pytest.param(s, marks=pytest.mark.slow)
        for s in (*SAMPLES, "many-orphans")
    ],
)
def test_the_pdf_brief_of_every_sample_is_one_page_and_names_the_orphans_it_lists(sample, chromium, tmp_path,
                                                                                   monkeypatch):  # fmt: skip
    monkeypatch.setenv("BROWSER_PATH", str(chromium))
    chain = many_orphans(departments=14, per_department=9) if sample == "many-orphans" else load(sample)
    path = write(chain, tmp_path / f"{sample}.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    pages, text = pdf_pages_and_text(path)
    assert pages == 1
    assert len(re.findall(rb"/Type\s*/Page\b", path.read_bytes())) == 1
    page = brief(chain, figure=False)
    assert page.orphans_named or not len(chain.analyze().orphans)
    for name in page.orphans_named:
        assert re.sub(r"\s+", " ", name) in text, name
    assert page.headline in text


@pytest.mark.browser
def test_the_png_brief_of_the_midsize_sample_is_the_whole_a4_page(chromium, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(chromium))
    path = load("midsize").brief(OUTPUT / "brief-midsize.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (2246, 1588)  # 297 mm by 210 mm at 96 pixels per inch, twice
    later = load("midsize-reorganised").brief(OUTPUT / "brief-midsize-reorganised.pdf", previous=load("midsize"))
    assert pdf_pages_and_text(later)[0] == 1


@pytest.mark.browser
def test_the_full_report_opens_with_the_brief_on_a_landscape_page(chromium, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(chromium))
    pypdf = pytest.importorskip("pypdf")
    path = load("midsize").report(tmp_path / "report.pdf")
    reader = pypdf.PdfReader(path)
    first = reader.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)  # the brief: A4 landscape
    assert all(float(p.mediabox.width) < float(p.mediabox.height) for p in reader.pages[1:])  # then the report
    assert "53 of 75 teams (71%) have a line of sight" in re.sub(r"\s+", " ", first.extract_text())


@pytest.mark.browser
def test_a_quarterly_review_brief_says_what_was_done_overdue_and_new_on_one_page(chromium, tmp_path, monkeypatch):
    """Issue 17's done-when: from last quarter's decisions and this quarter's org to a brief that says what was
    done, what is overdue and what is new, with nothing edited but the decisions file."""
    monkeypatch.setenv("BROWSER_PATH", str(chromium))
    later = DATA / "midsize-reorganised"
    path = tmp_path / "review.pdf"
    earlier = DATA / "midsize"
    args = ["brief", str(later / "handoffs.csv"), "-p", str(later / "parties.csv"), "--previous",
            str(earlier / "handoffs.csv"), "--previous-parties", str(earlier / "parties.csv"),
            "--decisions", str(earlier / "decisions.csv"), "--as-of", "2026-07-01", "-o", str(path)]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    pages, text = pdf_pages_and_text(path)
    assert pages == 1
    for said in (BRIEF.review, "Done: the finding is gone: 2 decisions, Wellbeing programme (stop, CHRO)",
                 "Overdue: past its due date and the finding is still there: 1 decision, CRM administration",
                 BRIEF.worse, "1 loop, new: Sales operations and Demand forecasting"):  # fmt: skip
        assert said in text, said


#: The brief's boxes, measured in the browser: the chain's frame, the things to decide, and the note at the foot.
BOXES = """() => {
  const box = (s) => { const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const decide = document.querySelector(".brief .decide");
  return {figure: box(".brief .chain .figure"), decide: box(".brief .decide"), foot: box(".brief .foot"),
          sheet: box(".brief"), cut: decide.scrollHeight - decide.clientHeight};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("case", ["midsize", "review", "many-orphans"])
def test_nothing_on_the_page_runs_over_anything_else(case, browser, tmp_path):
    """The quarterly review's headline takes two lines and the chain's frame used to run over the note at the
    foot: the picture is scaled down to the room the page has left."""
    if case == "many-orphans":
        page = brief(many_orphans(departments=14, per_department=9))
    elif case == "review":
        earlier, later = load("midsize"), load("midsize-reorganised")
        decisions = DATA / "midsize" / "decisions.csv"
        reviewed = later.with_decisions(decisions, previous=earlier, as_of="2026-07-01")
        page = brief(reviewed, earlier)
        assert len(page.headline) > 110  # two lines at least: the case that ran over
    else:
        page = brief(load(case))
    path = tmp_path / "brief.html"
    path.write_text(render(page), encoding="utf-8")
    tab = browser.new_page(viewport={"width": 1123, "height": 794})
    try:
        tab.goto(path.as_uri())
        boxes = tab.evaluate(BOXES)
    finally:
        tab.close()
    sheet, foot, figure, decide = boxes["sheet"], boxes["foot"], boxes["figure"], boxes["decide"]
    assert figure is not None and figure["bottom"] <= foot["top"] + 0.5, boxes
    assert figure["right"] <= decide["left"], boxes
    assert decide["bottom"] <= foot["top"] + 0.5 and boxes["cut"] <= 1, boxes
    assert foot["bottom"] <= sheet["bottom"] + 0.5, boxes


def test_the_review_says_what_is_in_hand_and_names_the_largest_new_single_point_first():
    """A leader reading the quarterly review asks about the decisions not yet due (the central warehouse, 29 teams
    behind it, due at the year's end) and must see the largest new single point of failure, not 'and 1 more'."""
    earlier, later = load("midsize"), load("midsize-reorganised")
    reviewed = later.with_decisions(DATA / "midsize" / "decisions.csv", previous=earlier, as_of="2026-07-01")
    page = brief(reviewed, earlier, figure=False)
    (in_hand,) = [line for line in page.review if line.startswith("Decided, finding still there")]
    assert in_hand.startswith("Decided, finding still there: 4 decisions, ")
    assert "Central warehouse (redundancy, Head of supply chain, due 2026-12-31)" in in_hand
    assert "accepted by design" not in in_hand  # the accepted ones are counted in the headline
    (new,) = [line for line in page.worse if "single points of failure, new" in line]
    assert new.startswith("7 single points of failure, new: Pricing, "), new  # 8 teams behind it: first
