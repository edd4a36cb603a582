"""The findings as terminal text (valuechain.text): the vocabulary's words, one truncation rule, escaped cells."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from click.testing import CliRunner

import valuechain as vc
from tests.conftest import DATA
from valuechain.cli import main
from valuechain.text import (
    SHOWN,
    indented,
    listed,
    more,
    reasons_legend,
    render_diff,
    render_findings,
    render_ranking,
    render_rollup,
    render_whatif,
    section,
    words,
)
from valuechain.vocabulary import CHANGES, COLUMNS, Reason


def chain(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def sample(name: str) -> list[str]:
    return [str(DATA / name / "handoffs.csv"), "--parties", str(DATA / name / "parties.csv")]


#: Codes that are for machines only: every reason, and every column code of more than one word.
CODES = re.compile(r"\b(" + "|".join([*Reason, *(c for c in COLUMNS if "_" in c)]) + r")\b")


def tables_printed() -> dict[str, str]:
    """Every table the command line prints, on the samples that have something in each."""
    runner = CliRunner()
    old, new = "midsize", "midsize-reorganised"
    commands = {
        "analyze": ["analyze", *sample("midsize"), "--by", "group"],
        "analyze software-services": ["analyze", *sample("software-services"), "--by", "group"],
        "ranking": ["whatif", *sample("midsize"), "--top", "100"],
        "whatif": ["whatif", *sample("midsize"), "--remove", "sc-warehouse"],
        "diff": ["diff", str(DATA / old / "handoffs.csv"), str(DATA / new / "handoffs.csv"), "--old-parties",
                 str(DATA / old / "parties.csv"), "--new-parties", str(DATA / new / "parties.csv")],
    }  # fmt: skip
    printed = {}
    for name, args in commands.items():
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        printed[name] = result.stdout
    return printed


def test_no_code_reaches_a_table_a_person_reads():
    for name, text in tables_printed().items():
        assert not CODES.search(text), (name, CODES.search(text))
        # shares as percentages, counts of teams as numbers, never 0.4286 or True
        assert not re.search(r"\b0\.\d{4}\b|\bTrue\b|\bFalse\b", text), name
        for header in ("dependents", "reaches customer", " now "):
            assert header not in text, (name, header)


def test_a_reasons_words_change_in_one_place_and_the_terminal_follows(monkeypatch):
    monkeypatch.setattr(Reason.DEAD_END, "title", "Goes nowhere")
    monkeypatch.setattr(Reason.DEAD_END, "sentence", "hands its work to no one")
    text = CliRunner().invoke(main, ["analyze", *sample("midsize")]).stdout
    assert "hr-wellbeing            Wellbeing programme               People                Goes nowhere" in text
    assert "    Goes nowhere: hands its work to no one" in text
    assert "Dead end" not in text and "delivers to nobody" not in text


def test_the_reasons_legend_lists_the_reasons_present_in_the_vocabularys_order():
    assert reasons_legend(["feeds_orphans", "dead_end"]) == [
        f"{Reason.DEAD_END.title}: {Reason.DEAD_END.sentence}",
        f"{Reason.FEEDS_ORPHANS.title}: {Reason.FEEDS_ORPHANS.sentence}",
    ]
    assert reasons_legend([]) == []


def test_one_truncation_rule_for_every_table():
    rows = pd.DataFrame({"id": [f"t{i:03d}" for i in range(SHOWN + 7)], "dependents": range(SHOWN + 7)})
    lines = section("Single points of failure", rows)
    assert lines[:2] == ["", f"Single points of failure ({SHOWN + 7})"]
    table = lines[2].splitlines()
    assert table[0].split() == ["Id", "Teams", "that", "hang", "on", "it"]
    assert len(table) == SHOWN + 1 and table[-1].split() == [f"t{SHOWN - 1:03d}", str(SHOWN - 1)]
    assert lines[3] == "  ... and 7 more (use --format json for all)"
    assert section("Single points of failure", rows.head(SHOWN))[-1].splitlines()[-1].split() == ["t049", "49"]
    assert more(1_234_567) == "  ... and 1,234,567 more (use --format json for all)"


def test_a_long_list_names_its_first_members_and_counts_them_all():
    members = [f"team-{i}" for i in range(12)]
    assert listed(members) == ", ".join(members[:8]) + ", ... (12)"
    assert listed(members[:8]) == ", ".join(members[:8])
    assert listed(("a", "b")) == "a, b" and listed("a") == "a" and listed(None) is None


def test_words_label_columns_read_counts_and_keep_the_users_own():
    table = pd.DataFrame(
        {
            "group": ["Sales", None],
            "connected": [6, 0],
            "line_of_sight": [True, False],
            "share_connected": [0.4286, 0.0],
            "cost centre": ["4711", "4712"],
            "members": [["a", "b"], []],
        }
    )
    shown = words(table, counts=["connected"], headers={"group": "Unit"})
    assert list(shown.columns) == [
        "Unit",
        "Teams with line of sight",
        "Any team reaches the customer",
        "Share with line of sight",
        "cost centre",
        "Members",
    ]
    assert shown.values.tolist() == [["Sales", "6", "yes", "43%", "4711", "a, b"], ["", "0", "no", "0%", "4712", ""]]
    assert table["members"].tolist() == [["a", "b"], []]  # the table given is left as it is


def test_cells_are_escaped_before_they_are_measured():
    table = pd.DataFrame({"Name": ["Kit\x1b[2Jchen", "Floor"], "Teams": [1, 2]})
    lines = indented(table).splitlines()
    assert "Kit\\x1b[2Jchen" in lines[1] and "\x1b" not in indented(table)
    assert len({len(line) for line in lines}) == 1
    assert indented(table.head(0)) == "  (none)"


def test_the_findings_in_words():
    text = render_findings(chain("restaurant").analyze(), str(DATA / "restaurant" / "handoffs.csv"))
    assert text.splitlines()[0] == f"valuechain {vc.__version__}: restaurant"
    assert "Orphaned teams: no line of sight to the customer (2)" in text
    assert "Loops (1)\n         Members Parties in the loop Reaches the customer" in text
    assert "  floor, kitchen                   2                  yes" in text
    assert "Mutual pairs: each is the other's internal customer (1)\n  Team A  Team B" in text
    assert "Single points of failure: teams every path hangs on (2)" in text


def test_headcount_and_cost_read_with_their_facts():
    text = render_findings(chain("midsize").analyze())
    assert "People in orphaned teams: 69 of 550\nCost of orphaned teams: 4,692,000 of 37,400,000" in text
    assert "Headcount    Cost" in text and "136,000" in text


def test_a_rollup_by_a_users_column_keeps_its_name(write):
    h = write("h.csv", "source,target\nkitchen,floor\nfloor,diners\nmarketing,nobody\nnobody,marketing\n")
    p = write(
        "p.csv",
        "id,kind,Cost Centre\nkitchen,team,4711\nfloor,team,4711\nmarketing,team,4712\nnobody,team,4713\n"
        "diners,external_customer,\n",
    )
    rolled = vc.load(h, parties=p).rollup("Cost Centre")
    text = render_rollup(rolled, "Cost Centre")
    assert text.splitlines()[1] == "By Cost Centre"
    assert text.splitlines()[2].split()[:3] == ["Cost", "Centre", "Teams"]
    assert "  No line of sight to the customer: 4712, 4713" in text
    assert "Mutual dependencies between units of Cost Centre (1)\n  Cost Centre A Cost Centre B" in text


def test_the_ranking_says_how_to_see_more():
    text = render_ranking(chain("restaurant").rank(), top=0)
    assert text.splitlines()[1:3] == ["  (none)", "  ... and 9 more (--top N shows more; --format json shows all)"]
    assert "Teams cut off" not in text
    full = render_ranking(chain("restaurant").rank(), top=100)
    assert "more" not in full and full.count("Teams cut off") == 2


def test_a_whatif_in_words():
    scenario = chain("midsize").whatif(remove=["sc-warehouse"])
    text = render_whatif(scenario)
    assert "Line of sight: 53 of 75 teams before, 25 of 74 after" in text
    assert "Teams that lose their path (orphans of the scenario) (27)" in text
    assert "Single points of failure lost with their teams (a loss, not an improvement) (13)" in text
    assert "it lost its own path to the customer (it is an orphan now)" in text  # why, in words
    assert "  sc-warehouse                    27 Removed" in text
    distances = text.split(f"{CHANGES['distance_changes']} (31)\n")[1].splitlines()
    assert distances[0].split() == ["Id", "Before", "After"]
    assert distances[1].split() == ["cs-surveys", "11"]  # no path after: an empty cell


def test_a_diff_in_words():
    text = render_diff(chain("midsize").diff(chain("midsize-reorganised")))
    assert "Parties changed (1)\n       Id      Field Before After\n  it-data Department     IT Sales" in text
    assert "From            To      Deliverable Essential before Essential after" in text
    assert "  ex-strategy sales-pricing pricing strategy               no             yes" in text
    assert "Resolved orphaned teams (12)" in text and "Feeds other orphans Removed" in text


@pytest.mark.parametrize("rows, says", [(3, None), (SHOWN + 3, "  ... and 2 more")])
def test_diff_tables_are_cut_by_the_same_rule(write, rows, says):
    ids = [f"t{i:03d}" for i in range(rows)]
    old = write("old.csv", "source,target\n" + "".join(f"{t},c\n" for t in ids[:1]))
    new = write("new.csv", "source,target\n" + "".join(f"{t},c\n" for t in ids))
    text = render_diff(vc.load(old, customers=["c"]).diff(vc.load(new, customers=["c"])))
    added = text.split(f"Hand-offs added ({rows - 1})\n")[1].split("\n\n")[0].splitlines()
    assert len(added) == 1 + min(rows - 1, SHOWN) + (1 if says else 0)
    if says:
        assert added[-1] == says + " (use --format json for all)"
