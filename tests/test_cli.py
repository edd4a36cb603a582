"""The command line: the JSON contract, the table, exit codes, and errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import valuechain as vc
from tests.conftest import DATA, SAMPLES
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
    assert "Orphans: teams with no line of sight to the customer (6)" in text
    assert "closed_loop" in text and "dead_end: delivers to nobody" in text
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
    from valuechain.cli import to_json

    ids = [f"t{i}" for i in range(10_050)]
    handoffs = {"source": ids, "target": ['c\u00e9"x'] * 5_000 + ["d"] * 5_050}
    chain = vc.load(__import__("pandas").DataFrame(handoffs), customers=['c\u00e9"x', "d"])
    result = chain.analyze().to_dict()
    text = to_json(result)
    assert "\n" not in text
    assert json.loads(text) == result


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
    assert out["resolved_mutual_pairs"] == [["repair-agents", "spare-parts"]]
    assert out["removed_parties"] == ["repair-agents"]
    assert out["summary_after"]["orphans"] == 4
    text = run("whatif", *sample("phone-repair"), "--add-handoff", "marketing", "phone-owners").stdout
    assert "Teams that gain a path (1)" in text and "marketing" in text
    cut = run("whatif", *sample("restaurant"), "--remove-handoff", "kitchen", "floor", "--format", "json")
    assert [o["id"] for o in json.loads(cut.stdout)["new_orphans"]] == ["kitchen", "purchasing"]


def test_whatif_without_changes_ranks_what_hangs_on_each_party():
    result = run("whatif", *sample("restaurant"), "--format", "json")
    out = json.loads(result.stdout)
    assert out["parties"][0] == {"id": "diners", "name": "Diners", "kind": "external_customer", "teams_cut_off": 5}
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
    assert "Resolved orphans (12)" in text and "Parties: 1 added, 1 removed, 1 changed" in text


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
    assert "By group" in run("analyze", *sample("midsize"), "--by", "group").stdout
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
