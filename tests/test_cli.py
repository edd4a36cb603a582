"""The command line: the JSON contract, the table, exit codes, and errors without tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import valuechain as vc
from tests.conftest import DATA, ROOT, SAMPLES
from valuechain.cli import main

CONTRACT_KEYS = [
    "valuechain",
    "customers",
    "summary",
    "orphans",
    "loops",
    "mutual_pairs",
    "single_points_of_failure",
    "distance",
]
SUMMARY_KEYS = [
    "parties",
    "teams",
    "handoffs",
    "connected",
    "orphans",
    "loops",
    "mutual_pairs",
    "single_points_of_failure",
]


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def sample(name: str) -> list[str]:
    return [str(DATA / name / "handoffs.csv"), "--parties", str(DATA / name / "parties.csv")]


@pytest.mark.parametrize("name", SAMPLES)
def test_analyze_json_follows_the_contract(name):
    result = run("analyze", *sample(name), "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert list(out)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert out["valuechain"] == vc.__version__
    assert list(out["summary"])[: len(SUMMARY_KEYS)] == SUMMARY_KEYS
    assert out["orphans"] == sorted(out["orphans"], key=lambda o: o["id"])
    for o in out["orphans"]:
        assert list(o) == ["id", "name", "group", "reason"] and o["reason"] in vc.REASONS
    sizes = [(-len(x["members"]), x["members"][0]) for x in out["loops"]]
    assert sizes == sorted(sizes)
    assert all(x["members"] == sorted(x["members"]) for x in out["loops"])
    assert out["mutual_pairs"] == sorted(sorted(p) for p in out["mutual_pairs"])
    spof = [(-s["dependents"], s["id"]) for s in out["single_points_of_failure"]]
    assert spof == sorted(spof)
    assert all(out["distance"][c] == 0 for c in out["customers"])
    assert out == vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv").analyze().to_dict()


def test_json_of_the_restaurant_exactly():
    out = json.loads(run("analyze", *sample("restaurant"), "--format", "json").stdout)
    assert out["customers"] == ["diners"]
    assert out["summary"] == {
        "parties": 10,
        "teams": 7,
        "handoffs": 10,
        "connected": 5,
        "orphans": 2,
        "loops": 1,
        "mutual_pairs": 1,
        "single_points_of_failure": 2,
    }
    assert out["orphans"] == [
        {"id": "bookkeeping", "name": "Bookkeeping", "group": "Back office", "reason": "serves_outside_only"},
        {"id": "marketing", "name": "Marketing", "group": "Back office", "reason": "preference_only"},
    ]
    assert out["loops"] == [{"members": ["floor", "kitchen"], "connected": True}]
    assert out["mutual_pairs"] == [["floor", "kitchen"]]
    assert out["single_points_of_failure"] == [{"id": "floor", "dependents": 4}, {"id": "kitchen", "dependents": 1}]
    assert out["distance"] == {
        "diners": 0,
        "floor": 1,
        "bar": 2,
        "dishwash": 2,
        "kitchen": 2,
        "purchasing": 3,
        "produce": 4,
    }
    assert "reaches" not in out and "non_primary_only" not in out


def test_missing_name_and_group(write):
    h = write("h.csv", "source,target\na,c\nb,b\n")
    out = json.loads(run("analyze", h, "--customer", "c", "--format", "json").stdout)
    assert out["orphans"] == [{"id": "b", "name": "b", "group": None, "reason": "dead_end"}]


def test_several_customers_in_the_table():
    text = run("analyze", *sample("midsize")).stdout
    assert "Customers: businesses, households" in text
    assert "Teams that reach only non-primary customers (1): cs-b2b" in text
    assert "People in orphaned teams: 69 of 550" in text


def test_several_customers_and_primary_in_json():
    out = json.loads(run("analyze", *sample("midsize"), "--format", "json").stdout)
    assert out["reaches"]["cs-b2b"] == ["businesses"]
    assert out["non_primary_only"] == ["cs-b2b"]
    assert out["summary"]["orphan_headcount"] == 69


def test_explicit_customers_replace_the_kind(write):
    result = run("analyze", *sample("restaurant"), "--customer", "floor", "--format", "json")
    out = json.loads(result.stdout)
    assert out["customers"] == ["floor"]
    assert out["distance"]["floor"] == 0
    # the diners are now an ordinary party: their feedback to the floor counts
    assert out["distance"]["diners"] == 1


def test_table_output_is_readable():
    result = run("analyze", *sample("software-services"))
    assert result.exit_code == 0
    text = result.stdout
    assert "Line of sight: 7 of 13 teams reach the customer" in text
    assert "Orphaned teams: no line of sight to the customer (6)" in text
    assert "Closed loop" in text and "Dead end: delivers to nobody" in text
    assert "closed_loop" not in text and "dead_end" not in text  # the codes are for machines
    assert "Single points of failure" in text


def test_fail_on_exit_codes():
    assert run("analyze", *sample("session-supplies"), "--fail-on", "orphans").exit_code == 1
    assert run("analyze", *sample("session-supplies"), "--fail-on", "loops").exit_code == 0
    assert run("analyze", *sample("session-supplies"), "--fail-on", "loops", "--fail-on", "mutual_pairs").exit_code == 0
    assert run("analyze", *sample("restaurant"), "--fail-on", "mutual_pairs").exit_code == 1
    assert run("analyze", *sample("restaurant"), "--fail-on", "nonsense").exit_code == 2


def test_bad_input_exits_2_with_sentences_and_no_traceback(write):
    h = write("h.csv", "source,target,essential\nkitchen,flor,maybe\n")
    p = write("p.csv", "id,kind\nkitchen,team\nfloor,team\ndiners,external_customer\n")
    result = run("analyze", h, "--parties", p)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "error: " in result.stderr and "row 2, column 'target': 'flor' is not in the parties table" in result.stderr
    assert "did you mean 'floor'?" in result.stderr
    assert "2 errors in the input; nothing was analysed." in result.stderr
    assert result.stdout == ""


def test_only_the_first_50_problems_are_shown(write):
    rows = "".join(f"t{i},x{i}\n" for i in range(70))
    p = write("p.csv", "id,kind\nc,external_customer\n")
    result = run("check", write("h.csv", "source,target\n" + rows), "--parties", p)
    assert result.exit_code == 2
    assert result.stderr.count("error: ") == 50
    assert "... and 90 more errors (140 in all)" in result.stderr


def test_usage_errors_exit_2():
    assert run("analyze").exit_code == 2
    assert run("analyze", "nothing-here.csv").exit_code == 2
    assert "file not found" in run("analyze", "nothing-here.csv").stderr


def test_check_ok_and_warnings(write):
    result = run("check", *sample("restaurant"))
    assert result.exit_code == 0
    assert result.stdout.strip() == "OK: 10 parties, 12 hand-offs, customers: diners"
    h = write("h.csv", "source,target\na,a\na,c\n")
    result = run("check", h, "--customer", "c")
    assert result.exit_code == 0
    assert "warning: " in result.stderr and "hands off to itself" in result.stderr
    assert "1 warning" in result.stdout


def test_check_json_lists_problems(write):
    h = write("h.csv", "source,target\n,c\nb,c\n")
    result = run("check", h, "--customer", "c", "--format", "json")
    assert result.exit_code == 2
    [p] = json.loads(result.stdout)
    assert p["row"] == 2 and p["column"] == "source" and p["severity"] == "error"


def test_help_on_every_command():
    for command in ([], ["analyze"], ["check"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_the_installed_command_runs():
    result = subprocess.run(
        [sys.executable, "-m", "valuechain", "analyze", *sample("restaurant"), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["orphans"] == 2


def test_large_json_is_compact_and_identical_in_content():
    from valuechain.jsonable import to_json

    ids = [f"t{i}" for i in range(10_050)]
    handoffs = {"source": ids, "target": ['c\u00e9"x'] * 5_000 + ["d"] * 5_050}
    chain = vc.load(__import__("pandas").DataFrame(handoffs), customers=['c\u00e9"x', "d"])
    result = chain.analyze().to_dict()
    text = to_json(result)
    assert "\n" not in text
    assert json.loads(text) == result
    # the contract's compact shape, byte for byte: no spaces between the top-level keys and in the two large maps
    assert text.startswith('{"valuechain":"') and '"summary":{"parties": 10052, "teams": 10050, ' in text
    assert '"distance":{"c\u00e9\\"x":0,"d":0,"t0":1,"t1":1,' in text
    assert '"reaches":{"t0":["c\u00e9\\"x"],"t1":["c\u00e9\\"x"],' in text


def test_progress_goes_to_stderr_only_when_asked(capsys):
    from valuechain.cli import Progress

    Progress(enabled=True)("reading handoffs.csv")
    Progress(enabled=False)("silent")
    err = capsys.readouterr().err
    assert "reading handoffs.csv" in err and "silent" not in err


def test_whatif_command():
    result = run("whatif", *sample("phone-repair"), "--remove", "repair-agents", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [o["id"] for o in out["new_orphans"]] == ["finance", "spare-parts", "warranty"]
    assert out["resolved_mutual_pairs"] == [] and out["removed_mutual_pairs"] == [["repair-agents", "spare-parts"]]
    assert out["removed_parties"] == ["repair-agents"]
    assert out["summary_after"]["orphans"] == 4
    text = run("whatif", *sample("phone-repair"), "--add-handoff", "marketing", "phone-owners").stdout
    assert "Teams that gain a path (1)" in text and "marketing" in text
    cut = run("whatif", *sample("restaurant"), "--remove-handoff", "kitchen", "floor", "--format", "json")
    assert [o["id"] for o in json.loads(cut.stdout)["new_orphans"]] == ["kitchen", "purchasing"]


def test_whatif_without_changes_ranks_what_hangs_on_each_party():
    result = run("whatif", *sample("restaurant"), "--format", "json")
    out = json.loads(result.stdout)
    # the customers are left out: every path ends at one
    assert out["parties"][0] == {"id": "floor", "name": "Waiting staff", "kind": "team", "teams_cut_off": 4}
    assert "diners" not in {p["id"] for p in out["parties"]}
    assert out["handoffs"][1] == {"source": "kitchen", "target": "floor", "essential": True, "teams_cut_off": 2}
    assert "What hangs on each party" in run("whatif", *sample("restaurant")).stdout


def test_whatif_bad_ids_exit_2():
    result = run("whatif", *sample("restaurant"), "--remove", "kitchn")
    assert result.exit_code == 2 and "did you mean 'kitchen'?" in result.stderr


def diff_args(old: str, new: str) -> list:
    return [
        "diff",
        DATA / old / "handoffs.csv",
        DATA / new / "handoffs.csv",
        "--old-parties",
        DATA / old / "parties.csv",
        "--new-parties",
        DATA / new / "parties.csv",
    ]


def test_diff_command():
    result = run(*diff_args("midsize", "midsize-reorganised"), "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert len(out["resolved_orphans"]) == 12 and out["new_orphans"] == []
    assert out["new_loops"] == [{"members": ["sales-ops", "sc-forecast"], "connected": True}]
    assert out["parties_changed"] == [{"id": "it-data", "field": "group", "before": "IT", "after": "Sales"}]
    for key in ("resolved_loops", "changed_loops", "new_single_points_of_failure", "distance_changes"):
        assert key in out
    text = run(*diff_args("midsize", "midsize-reorganised")).stdout
    assert "Resolved orphaned teams (12)" in text and "Parties: 1 added, 1 removed, 1 changed" in text
    assert "Reason before" in text and "reason_before" not in text and "preference_only" not in text


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", *sample("midsize"), "--by", "group"],
        ["whatif", *sample("phone-repair")],
        ["whatif", *sample("phone-repair"), "--remove", "repair-agents"],
        diff_args("midsize", "midsize-reorganised"),
        ["check", *sample("restaurant")],
    ],
    ids=["analyze", "ranking", "whatif", "diff", "check"],
)
def test_every_json_output_is_written_by_the_one_encoder(args):
    from valuechain.jsonable import to_json

    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == to_json(json.loads(result.stdout)) + "\n"


def test_diff_says_when_ids_do_not_match():
    out = json.loads(run(*diff_args("restaurant", "phone-repair"), "--format", "json").stdout)
    assert out["notes"] and "renamed ids cannot be matched" in out["notes"][0]


def test_analyze_by_group():
    out = json.loads(run("analyze", *sample("midsize"), "--by", "group", "--format", "json").stdout)
    assert out["by_group"]["no_line_of_sight"] == ["Executive"]
    assert ["Executive", "Finance"] in out["by_group"]["mutual_pairs"]
    people = next(d for d in out["by_group"]["departments"] if d["group"] == "People")
    assert (people["teams"], people["connected"], people["share_connected"]) == (6, 2, 0.3333)
    assert out["by_group"]["matrix"]["Sales"]["households"] == 1
    assert "By department" in run("analyze", *sample("midsize"), "--by", "group").stdout
    assert run("analyze", *sample("midsize"), "--by", "nothing").exit_code == 2


def test_report_command_writes_each_format(tmp_path):
    h, p = DATA / "midsize-reorganised" / "handoffs.csv", DATA / "midsize-reorganised" / "parties.csv"
    old_h, old_p = DATA / "midsize" / "handoffs.csv", DATA / "midsize" / "parties.csv"
    for ext in ("html", "md", "xlsx", "csv"):
        out = tmp_path / f"report.{ext}"
        result = run("report", h, "-p", p, "-o", out, "--previous", old_h, "--previous-parties", old_p, "--title", "Q3")
        assert result.exit_code == 0, result.output
        assert out.exists() and out.stat().st_size > 0
    assert "What changed since the previous version" in (tmp_path / "report.md").read_text()
    assert (tmp_path / "report.md").read_text().startswith("# Q3")
    bad = run("report", h, "-p", p, "-o", tmp_path / "report.docx")
    assert bad.exit_code == 2 and "use a .html, .pdf, .md, .xlsx, .csv file name" in bad.output


def test_export_command_and_graph_input(tmp_path):
    h, p = DATA / "phone-repair" / "handoffs.csv", DATA / "phone-repair" / "parties.csv"
    out = tmp_path / "org.graphml"
    assert run("export", h, "-p", p, "-o", out).exit_code == 0
    again = run("analyze", out, "--format", "json")
    assert again.exit_code == 0
    assert json.loads(again.output) == json.loads(run("analyze", h, "-p", p, "--format", "json").output)
    bad = run("export", h, "-p", p, "-o", tmp_path / "org.dot")
    assert bad.exit_code == 2 and ".graphml, .gexf or .json" in bad.output


# --- --column FIELD=HEADER (issue 14, point 2) -----------------------------------------------------------------

#: The issue's example: headers valuechain does not know, yes/no in "Needed?".
ISSUE_HANDOFFS = (
    "From Team;To Team;What;Needed?\n"
    "kitchen;floor;dishes;yes\n"
    "floor;diners;service;yes\n"
    "bar;floor;drinks;yes\n"
    "marketing;floor;table cards;no\n"
    "design;marketing;artwork;yes\n"
    "it;design;laptops;yes\n"
)
MAPPED = ["--column", "source=From Team", "--column", "target=To Team", "--column", "essential=Needed?"]
FIELDS_LISTED = (
    "the fields are source, target, deliverable, essential, id, name, kind, group, primary, headcount, cost, "
    "finding, decision, owner, due, note."
)


def test_column_maps_the_issues_example_and_finds_the_orphans(write):
    h = write("h.csv", ISSUE_HANDOFFS)
    out = json.loads(run("analyze", h, "-c", "diners", *MAPPED, "--format", "json").stdout)
    assert [(o["id"], o["reason"]) for o in out["orphans"]] == [
        ("design", "preference_only"),
        ("it", "preference_only"),
        ("marketing", "preference_only"),
    ]
    assert (out["summary"]["teams"], out["summary"]["connected"]) == (6, 3)  # kitchen, floor and bar
    # without the essential column mapped, every team looks connected: what the issue saw
    unmapped = json.loads(run("analyze", h, "-c", "diners", *MAPPED[:4], "--format", "json").stdout)
    assert unmapped["orphans"] == []


def test_column_on_check_whatif_and_export(write, tmp_path):
    h = write("h.csv", ISSUE_HANDOFFS)
    checked = run("check", h, "-c", "diners", *MAPPED)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.strip() == "OK: 7 parties, 6 hand-offs, customers: diners"
    scenario = json.loads(run("whatif", h, "-c", "diners", *MAPPED, "--remove", "floor", "--format", "json").stdout)
    assert [o["id"] for o in scenario["new_orphans"]] == ["bar", "kitchen"]
    graph = tmp_path / "org.graphml"
    assert run("export", h, "-c", "diners", *MAPPED, "-o", graph).exit_code == 0
    again = json.loads(run("analyze", graph, "--format", "json").stdout)
    assert [o["id"] for o in again["orphans"]] == ["design", "it", "marketing"]


def test_column_applies_to_both_versions_of_diff_and_report(write, tmp_path):
    old = write("old.csv", ISSUE_HANDOFFS)
    # the newer version: marketing's hand-off became essential, the bar's no longer is
    newer = ISSUE_HANDOFFS.replace("marketing;floor;table cards;no", "marketing;floor;table cards;yes")
    new = write("new.csv", newer.replace("bar;floor;drinks;yes", "bar;floor;drinks;no"))
    result = run("diff", old, new, "-c", "diners", *MAPPED, "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [o["id"] for o in out["resolved_orphans"]] == ["design", "it", "marketing"]
    assert [o["id"] for o in out["new_orphans"]] == ["bar"]  # only if 'Needed?' is read in the newer version too
    assert out["summary_before"]["orphans"] == 3 and out["summary_after"]["orphans"] == 1
    md = tmp_path / "report.md"
    result = run("report", new, "-c", "diners", *MAPPED, "--previous", old, "-o", md)
    assert result.exit_code == 0, result.output
    assert "What changed since the previous version" in md.read_text()


def test_the_issues_example_needs_only_the_essential_column_mapped(write):
    h = write("h.csv", ISSUE_HANDOFFS)  # 'From Team' and 'To Team' are recognised headers
    out = json.loads(run("analyze", h, "-c", "diners", "--column", "essential=Needed?", "--format", "json").stdout)
    assert [o["id"] for o in out["orphans"]] == ["design", "it", "marketing"]


def test_column_maps_party_fields(write):
    h = write("h.csv", "source,target\nkitchen,floor\nfloor,diners\nmarketing,floor\n")
    p = write(
        "p.csv",
        "Team code,Title,Sort,Dept,Staff\nkitchen,Kitchen,team,Back,4\nfloor,Floor,team,Front,6\n"
        "marketing,Marketing,team,Back,2\ndiners,Diners,external_customer,,\n",
    )
    columns = ["--column", "id=Team code", "--column", "name=Title", "--column", "kind=Sort"]
    columns += ["--column", "group=Dept", "--column", "headcount=Staff"]
    result = run("analyze", h, "-p", p, *columns, "--by", "group", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["customers"] == ["diners"]
    assert out["summary"]["total_headcount"] == 12
    assert [d["group"] for d in out["by_group"]["departments"]] == ["Back", "Front"]


def test_a_parties_field_mapped_without_a_parties_table_is_refused_not_ignored(write):
    h = write("h.csv", ISSUE_HANDOFFS)
    result = run("analyze", h, "-c", "diners", *MAPPED, "--column", "group=Dept")
    assert result.exit_code == 2
    assert (
        f"Error: Invalid value for '--column': 'group' is a field of the parties table, and no parties table is given "
        f"for '{h}' (its parties are inferred from the hand-offs); give the parties table with --parties, "
        "or leave the mapping out." in result.stderr
    )
    result = run("diff", h, h, "-c", "diners", *MAPPED, "--column", "id=Code", "--column", "kind=Sort")
    assert "'id', 'kind' are fields of the parties table" in result.stderr
    assert "give the parties table with --old-parties" in result.stderr


@pytest.mark.parametrize(
    "values, says",
    [
        (["source"], "'source' is not FIELD=HEADER"),
        (["source="], "'source=' is not FIELD=HEADER"),
        (["=From Team"], "'=From Team' is not FIELD=HEADER"),
        (["sorce=From Team"], "'sorce' is not a field"),
        (["source=From Team", "source=To Team"], "the field 'source' is given twice ('From Team' and 'To Team')"),
        (["source=From Team", "target=From Team"], "the hand-offs column 'From Team' is given for two fields"),
    ],
)
def test_a_malformed_column_is_a_usage_error_listing_the_fields(write, values, says):
    h = write("h.csv", ISSUE_HANDOFFS)
    result = run("analyze", h, *[arg for value in values for arg in ("--column", value)])
    assert result.exit_code == 2
    assert "Error: Invalid value for '--column': " + says in result.stderr
    assert FIELDS_LISTED in result.stderr
    assert "Traceback" not in result.output


def test_parse_columns_keeps_one_header_for_fields_of_different_tables():
    from valuechain.cli import parse_columns

    assert parse_columns(None, None, ["source=Team", "ID=Team", " group = Dept "]) == {
        "source": "Team",
        "id": "Team",
        "group": "Dept",
    }


def test_a_column_header_not_in_the_file_names_the_file_and_its_headers(write):
    h = write("h.csv", ISSUE_HANDOFFS)
    result = run("analyze", h, "-c", "diners", "--column", "source=Sender")
    assert result.exit_code == 2
    assert f"error: {h}, row 1: no column 'Sender' to use" in result.stderr
    assert "'From Team', 'To Team', 'What', 'Needed?'" in result.stderr
    assert "Traceback" not in result.output


# --- --by: no traceback (issue 14, point 12) -------------------------------------------------------------------


@pytest.mark.parametrize("column", ["headcount", "cost"])
def test_by_a_number_per_team_is_refused_before_reading(column):
    result = run("analyze", "not-read.csv", "--by", column)
    assert result.exit_code == 2
    assert (
        f"Error: Invalid value for '--by': '{column}' holds a number per team (people or money), to be added up, "
        "not a grouping; roll up by a column of names or codes, such as --by group." in result.stderr
    )
    assert "not found" not in result.stderr  # refused before the file was opened
    assert "Traceback" not in result.output


def test_by_an_unknown_column_names_the_columns():
    result = run("analyze", *sample("midsize"), "--by", "grop")
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for '--by': the parties have no column 'grop'; did you mean 'group'? the columns are "
        "'id', 'name', 'kind', 'group', 'primary', 'headcount', 'cost' (a column with another header can be mapped "
        "with --column" in result.stderr
    )
    assert result.stdout == ""


def test_by_yes_no_and_numeric_columns_roll_up_by_their_values(write):
    out = json.loads(run("analyze", *sample("midsize"), "--by", "primary", "--format", "json").stdout)
    assert [d["group"] for d in out["by_primary"]["departments"]] == ["primary: no"]
    text = run("analyze", *sample("midsize"), "--by", "primary").stdout
    assert "By primary customer" in text and "Mutual dependencies between units of primary customer (0)" in text
    h = write("h.csv", "source,target\nkitchen,floor\nfloor,diners\nmarketing,nobody\n")
    p = write(
        "p.csv",
        "id,kind,cost centre\nkitchen,team,4711\nfloor,team,4711\nmarketing,team,4712\nnobody,team,4712\n"
        "diners,external_customer,\n",
    )
    result = run("analyze", h, "-p", p, "--by", "cost centre", "--format", "json")
    assert result.exit_code == 0, result.output
    rolled = json.loads(result.stdout)["by_cost centre"]
    assert [(d["group"], d["teams"], d["connected"]) for d in rolled["departments"]] == [
        ("4711", 2, 2),
        ("4712", 2, 0),
    ]
    assert rolled["no_line_of_sight"] == ["4712"]


def test_a_bug_in_the_roll_up_is_reported_as_a_bug_not_as_a_usage_error(monkeypatch):
    def cannot(self, by="group"):
        raise TypeError("Expected bytes, got a 'float' object")

    monkeypatch.setattr(vc.Chain, "rollup", cannot)
    result = run("analyze", *sample("restaurant"), "--by", "group")
    assert result.exit_code == 2
    assert result.stderr.startswith("valuechain: unexpected error (TypeError: Expected bytes, got a 'float' object).")
    assert "Please report it" in result.stderr and "Traceback" not in result.output and result.stdout == ""


# --- terminal safety (issue 14, point 13) ----------------------------------------------------------------------

CLEAR, LINK, RETURN, RLO = "\x1b[2J", "\x1b]8;;http://x\x07", "\r", "\u202e"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(write):
    """An org whose names and groups hold a screen clear, a hyperlink, a carriage return and a bidi override."""
    h = write("h.csv", "source,target\nkitchen,floor\nfloor,diners\nmarketing,nobody\nbar,nobody\nhr,nobody\n")
    p = write(
        "p.csv",
        f"id,name,kind,group\nkitchen,Kit{CLEAR}chen,team,A\nfloor,Floor,team,A\ndiners,Diners,external_customer,\n"
        f'marketing,Marketing,team,"G{LINK}link"\nbar,"B{RETURN}hidden",team,A\nhr,H{RLO}R,team,A\n'
        f"nobody,No\x9bbody,team,A\n",
    )
    return h, p


def test_names_reach_the_terminal_escaped(hostile):
    h, p = hostile
    result = run("analyze", h, "-p", p)
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.stdout) and not RAW.search(result.stderr)
    for shown in ("G\\x1b]8;;http://x\\x07link", "B\\rhidden", "H\\u202eR", "No\\x9bbody"):
        assert shown in result.stdout
    # escaped before pandas measures the cells: the columns still line up
    table = result.stdout.split("Orphaned teams")[1].splitlines()[1:6]
    assert table[0].split() == ["Id", "Name", "Department", "Reason"]
    assert len({len(line) for line in table}) == 1
    rolled = run("analyze", h, "-p", p, "--by", "group")
    assert "G\\x1b]8;;http://x\\x07link" in rolled.stdout and not RAW.search(rolled.stdout)
    ranked = run("whatif", h, "-p", p)
    assert "Kit\\x1b[2Jchen" in ranked.stdout and not RAW.search(ranked.stdout)


def test_json_keeps_the_names_exactly_but_no_raw_control_reaches_the_terminal(hostile):
    h, p = hostile
    result = run("analyze", h, "-p", p, "--format", "json")
    assert not RAW.search(result.stdout)
    assert "H\\u202eR" in result.stdout and "No\\u009bbody" in result.stdout  # JSON escapes: the same text
    names = {o["id"]: o["name"] for o in json.loads(result.stdout)["orphans"]}
    assert names == {"bar": f"B{RETURN}hidden", "hr": f"H{RLO}R", "marketing": "Marketing", "nobody": "No\x9bbody"}


def test_diff_tables_escape_names(hostile, write):
    h, p = hostile
    p2 = write("p2.csv", p.read_text().replace("Floor", f"Flo{CLEAR}or"))
    result = run("diff", h, h, "--old-parties", p, "--new-parties", p2)
    assert result.exit_code == 0, result.output
    assert "Flo\\x1b[2Jor" in result.stdout and not RAW.search(result.stdout)


def test_problems_and_file_names_reach_the_terminal_escaped(write):
    h = write("h.csv", "source,target\nkitchen,diners\n")
    p = write("p.csv", f"id,kind\nkitchen,te{CLEAR}am\ndiners,external_customer\n")
    result = run("analyze", h, "-p", p)
    assert result.exit_code == 2
    assert "te\\x1b[2Jam" in result.stderr and not RAW.search(result.stderr)
    named = write("h\x1b]8;;x\x07.csv", "from,to\n")  # a file name cannot hold the link's slashes
    result = run("analyze", named, "--column", f"source=S{RLO}")
    assert result.exit_code == 2
    assert "h\\x1b]8;;x\\x07.csv" in result.stderr and "S\\u202e" in result.stderr
    assert not RAW.search(result.stderr)


def test_clicks_own_usage_errors_escape_what_they_quote():
    result = run("analyze", "h.csv", f"extra{LINK}")
    assert result.exit_code == 2
    assert "Error: Got unexpected extra argument (extra\\x1b]8;;http://x\\x07)" in result.stderr
    assert not RAW.search(result.stderr)
    assert not RAW.search(run(f"analyse{LINK}").stderr)


def test_progress_escapes_file_names(capsys):
    from valuechain.cli import Progress

    Progress(enabled=True)(f"reading h{CLEAR}.csv")
    assert "reading h\\x1b[2J.csv" in capsys.readouterr().err


def test_printable_escapes_exactly_the_controls():
    from valuechain.terminal import json_printable, printable

    assert printable(f"a{CLEAR}{LINK}{RETURN}{RLO}\x00\x9b\u2066\ud800\tb\n") == (
        "a\\x1b[2J\\x1b]8;;http://x\\x07\\r\\u202e\\x00\\x9b\\u2066\\ud800\tb\n"
    )
    assert printable("Café ñ 日本 \u200b") == "Café ñ 日本 \u200b"
    text = json.dumps({"n": f"a{RLO}\x85b"}, ensure_ascii=False)
    assert json_printable(text) == '{"n": "a\\u202e\\u0085b"}'
    assert json.loads(json_printable(text)) == json.loads(text)


# --- never overwrite an input (issue 14, point 14) -------------------------------------------------------------


@pytest.fixture
def org(tmp_path):
    """Copies of the restaurant's tables (the command must not be able to overwrite the repository's)."""
    h, p = tmp_path / "handoffs.csv", tmp_path / "parties.csv"
    h.write_bytes((DATA / "restaurant" / "handoffs.csv").read_bytes())
    p.write_bytes((DATA / "restaurant" / "parties.csv").read_bytes())
    return h, p


def test_report_refuses_to_write_over_its_input(org):
    h, p = org
    before = h.read_bytes()
    result = run("report", h, "-p", p, "-o", h)
    assert result.exit_code == 2
    assert (
        f"Error: Invalid value for '--output': '{h}' is the same file as the hand-offs '{h}', which this command "
        "reads; writing it would destroy the input. Choose another file name." in result.stderr
    )
    assert h.read_bytes() == before and "Traceback" not in result.output


def test_a_symlink_or_hard_link_to_an_input_is_the_input(org, tmp_path):
    h, p = org
    link = tmp_path / "link.csv"
    link.symlink_to(p)
    result = run("report", h, "-p", p, "-o", link)
    assert result.exit_code == 2
    assert f"'{link}' is the same file as the parties '{p}'" in result.stderr
    hard = tmp_path / "org.graphml"
    os.link(h, hard)
    result = run("export", h, "-p", p, "-o", hard)
    assert result.exit_code == 2
    assert f"'{hard}' is the same file as the hand-offs '{h}'" in result.stderr
    assert h.read_bytes() == (DATA / "restaurant" / "handoffs.csv").read_bytes()


def test_report_refuses_the_previous_versions_files(org, tmp_path, monkeypatch):
    h, p = org
    old_h, old_p = tmp_path / "old.csv", tmp_path / "old-parties.csv"
    old_h.write_bytes(h.read_bytes())
    old_p.write_bytes(p.read_bytes())
    args = ["report", h, "-p", p, "--previous", old_h, "--previous-parties", old_p]
    assert f"the same file as the previous hand-offs '{old_h}'" in run(*args, "-o", old_h).stderr
    monkeypatch.chdir(tmp_path)  # a relative path to the same file
    result = run(*args, "-o", "old-parties.csv")
    assert result.exit_code == 2 and f"the same file as the previous parties '{old_p}'" in result.stderr
    assert run(*args, "-o", tmp_path / "report.md").exit_code == 0


def test_export_refuses_to_write_over_its_parties(org):
    h, p = org
    result = run("export", h, "-p", p, "-o", p)
    assert result.exit_code == 2 and f"'{p}' is the same file as the parties '{p}'" in result.stderr


def test_refuse_overwrite_for_two_outputs_and_new_files(tmp_path):
    from click import BadParameter

    from valuechain.cli import refuse_overwrite

    log = tmp_path / "events.csv"
    log.write_text("case,activity\n")
    refuse_overwrite({"--output": tmp_path / "h.csv", "--parties-output": None}, {"event log": log, "team map": None})
    with pytest.raises(BadParameter) as raised:
        refuse_overwrite({"--output": tmp_path / "h.csv", "--parties-output": tmp_path / "h.csv"}, {"event log": log})
    assert raised.value.param_hint == "'--parties-output'"
    assert raised.value.message == (
        f"'{tmp_path / 'h.csv'}' is the same file as '{tmp_path / 'h.csv'}', which --output writes; "
        "one would overwrite the other. Choose another file name."
    )
    with pytest.raises(BadParameter, match="the same file as the event log"):
        refuse_overwrite({"--output": log}, {"event log": log})


# --- out of memory (issue 14, point 11) ------------------------------------------------------------------------


def test_out_of_memory_says_so(monkeypatch):
    def too_big(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(vc, "load", too_big)
    h = DATA / "restaurant" / "handoffs.csv"
    result = run("analyze", h)
    assert result.exit_code == 2
    assert result.stderr == (
        f"valuechain: out of memory while reading {h}; the input is too large for this machine's memory.\n"
    )
    assert run("check", h).stderr.startswith(f"valuechain: out of memory while reading {h};")


def test_out_of_memory_after_reading_says_what_was_being_done(monkeypatch, tmp_path):
    def too_big(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(vc.Chain, "analyze", too_big)
    result = run("analyze", *sample("restaurant"))
    assert result.exit_code == 2
    assert result.stderr == (
        "valuechain: out of memory while analysing 10 parties; the input is too large for this machine's memory.\n"
    )
    result = run("whatif", *sample("restaurant"), "--remove", "floor")
    assert result.stderr.startswith(
        f"valuechain: out of memory while working on the 10 parties of {DATA / 'restaurant' / 'handoffs.csv'};"
    )
    output = tmp_path / "report.html"
    result = run("report", *sample("restaurant"), "-o", output)
    assert result.stderr.startswith(f"valuechain: out of memory while writing the report {output};")


def test_from_log_refuses_to_write_over_its_log(tmp_path):
    log = tmp_path / "events.csv"
    log.write_bytes((DATA / "order-to-delivery" / "events.csv").read_bytes())
    before = log.read_bytes()
    result = run("from-log", log, "--outcome", "deliver order", "-o", log)
    assert result.exit_code == 2
    assert f"'{log}' is the same file as the event log '{log}'" in result.stderr
    assert log.read_bytes() == before
    same = run("from-log", log, "-o", tmp_path / "h.csv", "--parties-output", tmp_path / "h.csv")
    assert same.exit_code == 2 and "which --output writes" in same.stderr


def test_from_log_writes_file_names_escaped(tmp_path):
    output = tmp_path / "h\x1b]8;;x\x07.csv"
    result = run("from-log", DATA / "order-to-delivery" / "events.csv", "--outcome", "deliver order", "-o", output)
    assert result.exit_code == 0, result.output
    assert "h\\x1b]8;;x\\x07.csv" in result.stdout and not RAW.search(result.stdout)


def test_a_reader_that_goes_away_stops_the_command_quietly(tmp_path):
    """`valuechain whatif ... | head -1`: no 'Broken pipe' message, no traceback; the shell's SIGPIPE code."""
    handoffs = tmp_path / "handoffs.csv"
    handoffs.write_text("source,target\n" + "".join(f"team-{i},team-{i + 1}\n" for i in range(30_000)))
    command = (
        f"{sys.executable} -m valuechain whatif {handoffs} -c team-30000 --top 30000 | head -1; exit ${{PIPESTATUS[0]}}"
    )
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("What hangs on each party")
    assert result.stderr == "", result.stderr
    assert result.returncode in (0, 141)  # 141 when the reader left while the command was still writing


def test_a_missing_group_shows_as_an_empty_cell(write):
    h = write("h.csv", "source,target\na,cust\nb,c\n")
    result = run("analyze", h, "-c", "cust")
    orphans = result.stdout.split("Orphaned teams")[1].split("Reasons")[0]
    assert "None" not in orphans and "NaN" not in orphans and "Feeds other orphans" in orphans


@pytest.mark.parametrize(("given", "expected"), [(None, "jemalloc"), ("mimalloc", "mimalloc")])
def test_a_command_takes_arrows_memory_from_jemalloc_unless_told(given, expected, monkeypatch):
    import pyarrow as pa

    if given is None:
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    else:
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", given)
    if expected == "jemalloc" and "jemalloc" not in pa.supported_memory_backends():
        pytest.skip("this Arrow is built without jemalloc: a command keeps Arrow's default")
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    try:
        result = run("analyze", *sample("restaurant"), "--format", "json")
        assert result.exit_code == 0, result.output
        assert pa.default_memory_pool().backend_name == expected
    finally:
        pa.set_memory_pool(before)
