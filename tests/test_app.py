"""The dashboard, driven headless with Streamlit's AppTest: every tab, uploads, broken files, fixes, what-if."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import DATA, ROOT, SAMPLES
from valuechain.vocabulary import CHANGES, label

APP = str(ROOT / "app.py")
TABS = [
    "Overview",
    "Orphans",
    "Loops and mutual pairs",
    "Single points of failure",
    "What-if",
    "Compare",
    "Departments",
    "Downloads",
]


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def table_block(at: AppTest, key: str):
    """The container ``table-<key>`` the app puts a table in."""

    def walk(node):
        if getattr(node, "key", None) == f"table-{key}":
            return node
        for child in getattr(node, "children", {}).values():
            found = walk(child)
            if found is not None:
                return found
        return None

    block = walk(at._tree)
    assert block is not None, f"no table '{key}' on the page"
    return block


def frame(at: AppTest, key: str) -> pd.DataFrame:
    """The table the app shows under ``key`` (in its container ``table-<key>``)."""
    block = table_block(at, key)
    return (block.dataframe or block.data_editor)[0].value  # the findings tables are editors (decisions)


def open_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state["view"] = tab
    return at.run()


def upload(at: AppTest, handoffs: bytes, parties: bytes | None = None, name: str = "handoffs.csv") -> AppTest:
    at.radio(key="source").set_value("Upload files").run()
    at.file_uploader(key="handoffs").upload(name, handoffs, "text/csv")
    if parties is not None:
        at.file_uploader(key="parties").upload("parties.csv", parties, "text/csv")
    return at.run()


def read(markdown: str) -> str:
    """What a person reads of a Markdown message: user text in it is escaped (``handoffs\\.csv``)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_opens_on_the_midsize_sample():
    at = start()
    assert_clean(at)
    assert at.selectbox(key="sample").value == "midsize"
    assert metric(at, "Teams with line of sight") == "53 of 75"
    assert metric(at, "Orphaned teams") == "22"
    assert metric(at, "Loops") == "8"
    assert metric(at, "Mutual pairs") == "10"
    assert metric(at, "Single points of failure") == "22"
    assert any("Preference only" in c.value for c in at.caption)  # orphans by reason


@pytest.mark.parametrize("name", SAMPLES)
def test_every_tab_of_every_sample(name):
    at = start()
    at.selectbox(key="sample").select(name).run()
    for tab in TABS:
        open_tab(at, tab)
        assert_clean(at)


def test_orphans_tab_explains_and_filters():
    at = open_tab(start(), "Orphans")
    orphans = frame(at, "orphans")
    assert len(orphans) == 22 and set(map(label, ["id", "reason", "group", "delivers", "why"])) <= set(orphans.columns)
    assert list(orphans.columns[:6]) == ["Id", "Name", "Department", "Reason", "Why", "Delivers to"]
    assert all(isinstance(w, str) and w for w in orphans[label("why")])
    at.multiselect(key="orphan-reasons").select("dead_end").run()
    shown = frame(at, "orphans")
    assert 0 < len(shown) < 22 and set(shown[label("reason")]) == {"Dead end"}
    at.multiselect(key="orphan-groups").select("People").run()
    assert set(frame(at, "orphans")[label("group")]) <= {"People"}


def test_loops_tab_shows_a_loop_and_its_hand_offs():
    at = open_tab(start(), "Loops and mutual pairs")
    loops = frame(at, "loops")
    assert len(loops) == 8 and set(map(label, ["names", "connected", "handoffs", "flows"])) <= set(loops.columns)
    at.selectbox(key="loop").select(2).run()
    rows = frame(at, "loop-handoffs")
    assert set(rows[label("source")]) == {"cs-field", "cs-spares", "cs-warranty"}
    assert len(frame(at, "mutual")) == 10


def test_single_points_of_failure_rank_with_the_teams_that_hang_on_them():
    at = open_tab(start(), "Single points of failure")
    spof = frame(at, "spof")
    assert spof.iloc[0][label("id")] == "sc-warehouse" and spof.iloc[0][label("dependents")] == 27
    assert "Assembly line A" in spof.iloc[0][label("teams")]


def test_whatif_removal_shows_before_and_after():
    at = open_tab(start(), "What-if")
    ranking = frame(at, "ranking")
    assert len(ranking) == 25 and not set(ranking[label("id")]) & {"businesses", "households"}  # customers left out
    assert any("… and 61 more parties" in c.value for c in at.caption)  # 88 parties, 2 customers, 25 shown
    at.multiselect(key="whatif-remove").select("sc-warehouse").run()
    assert_clean(at)
    lost = frame(at, "whatif-new")
    assert "mf-assembly-a" in set(lost[label("id")])
    org, after = [m.value for m in at.metric if m.label == "Orphaned teams"]  # the org's, then the what-if's
    assert org == "22" and int(after) > 22
    at.selectbox(key="whatif-from").select("hr-wellbeing").run()
    at.selectbox(key="whatif-to").select("households").run()
    at.button(key="whatif-add").click().run()
    assert "hr-wellbeing" in set(frame(at, "whatif-resolved")[label("id")])


def test_compare_with_the_newer_sample():
    at = open_tab(start(), "Compare")
    assert_clean(at)
    assert metric(at, CHANGES["resolved_orphans"]) == "12"
    assert len(frame(at, "diff-resolved")) == 12


def test_departments_and_downloads():
    at = open_tab(start(), "Departments")
    assert len(frame(at, "departments")) == 11
    at.selectbox(key="department").select("Finance").run()
    assert_clean(at)
    at = open_tab(at, "Downloads")
    labels = {b.label for b in at.get("download_button")}
    assert {"Leaders' report (HTML)", "Findings (Excel)", "Findings (JSON)", "Graph (GraphML)"} <= labels


def test_upload_mode_waits_for_a_file():
    at = start()
    at.radio(key="source").set_value("Upload files").run()
    assert not at.exception
    assert "Upload a hand-offs file" in at.info[0].value


def test_uploaded_files_are_analysed():
    folder = DATA / "phone-repair"
    at = upload(start(), (folder / "handoffs.csv").read_bytes(), (folder / "parties.csv").read_bytes())
    assert_clean(at)
    assert metric(at, "Mutual pairs") == "1"
    assert metric(at, "Loops") == "1"


def test_unknown_headers_are_mapped_by_the_user():
    data = b"Team A,Team B,What\nkitchen,floor,food\nfloor,diners,service\n"
    at = upload(start(), data)
    messages = " ".join(frame(at, "errors")[label("message")])
    assert at.error and "no 'source' column" in messages and "no 'target' column" in messages
    at.selectbox(key="column-source").select("Team A").run()
    at.selectbox(key="column-target").select("Team B").run()
    # no parties file and no kind column: the customer is asked for
    assert any("Customers" in i.value for i in at.info)
    at.multiselect(key="customers").select("diners").run()
    assert_clean(at)
    assert metric(at, "Teams with line of sight") == "2 of 2"


def test_a_broken_upload_is_explained_and_fixed_without_uploading_again():
    folder = DATA / "restaurant"
    broken = (folder / "handoffs.csv").read_text().replace("kitchen,floor", "kitchn,floor", 1).encode()
    at = upload(start(), broken, (folder / "parties.csv").read_bytes())
    errors = frame(at, "errors")
    assert not at.exception and len(errors) == 1
    row = errors.iloc[0]
    assert row[label("file")] == "handoffs.csv" and row[label("column")] == "source"
    assert "did you mean 'kitchen'" in row[label("hint")]
    # the editor's "Check again" stores the edited table; the upload is not repeated
    table = pd.read_csv(io.BytesIO(broken), dtype=str, keep_default_na=False)
    table.index = range(2, 2 + len(table))
    table.loc[table["source"] == "kitchn", "source"] = "kitchen"
    at.session_state["edits"] = {"handoffs": table}
    at.run()
    assert_clean(at)
    assert metric(at, "Orphaned teams") == "2"


def test_an_unreadable_file_says_so():
    at = upload(start(), b"\x00\x01\x02 not a table", name="handoffs.xlsx")
    assert not at.exception
    assert at.error and "cannot be read" in at.error[0].value


def test_an_event_log_is_a_third_way_in():
    at = start()
    at.radio(key="source").set_value("Event log").run()
    assert "Upload an event log" in at.info[0].value
    data = (DATA / "order-to-delivery" / "events.csv").read_bytes()
    at.file_uploader(key="log").upload("events.csv", data, "text/csv")
    at.run()
    assert_clean(at)
    assert metric(at, "Orphaned teams") == "0"  # no outcome named: every case reaches the customer
    at.multiselect(key="outcomes").select("deliver order").run()
    assert_clean(at)
    assert metric(at, "Orphaned teams") == "1"
    assert frame(at, "stuck").set_index(label("team"))[label("cases")].to_dict() == {"Review board": 5, "Sales": 4}
    assert frame(at, "ping-pong").values.tolist() == [["Credit", "Sales", 13]]
    for tab in TABS[1:]:
        open_tab(at, tab)
        assert_clean(at)


def test_a_broken_event_log_lists_its_problems():
    at = start()
    at.radio(key="source").set_value("Event log").run()
    at.file_uploader(key="log").upload("events.csv", b"case,activity,team,timestamp\n1,a,,2026-01-01\n", "text/csv")
    at.run()
    assert not at.exception
    errors = frame(at, "errors")
    assert errors[label("message")].tolist() == ["no team in this event"] and errors[label("row")].tolist() == [2]


def upload_tables(parties: pd.DataFrame, handoffs: pd.DataFrame) -> AppTest:
    """The dashboard given these two tables as uploaded CSV files."""
    at = start()
    at.radio(key="source").set_value("Upload files").run()
    at.file_uploader(key="handoffs").upload("h.csv", handoffs.to_csv(index=False).encode(), "text/csv")
    at.file_uploader(key="parties").upload("p.csv", parties.to_csv(index=False).encode(), "text/csv")
    return at.run()


def test_warnings_are_listed_only_once_their_expander_is_opened():
    """Issue 19 point 5: a closed expander's table was built and sent on every run (29 KB at 100,000 parties);
    now the warnings are listed when the expander is opened, and its label says so."""
    folder = DATA / "restaurant"
    handoffs = (folder / "handoffs.csv").read_text()
    handoffs += handoffs.splitlines()[1] + "\n"  # a repeated row: a warning, the rows are kept
    at = upload(start(), handoffs.encode(), (folder / "parties.csv").read_bytes())
    assert_clean(at)
    [box] = [e for e in at.expander if "warning" in e.label]
    assert box.label.startswith("1 warning") and "open to list them" in box.label
    assert not frame_exists(at, "warnings")
    at.session_state["warnings-open"] = True  # what opening it in the browser does
    at.run()
    assert_clean(at)
    assert "repeats row 2" in frame(at, "warnings")[label("message")].iloc[0]


def test_a_large_org_is_drawn_by_department_and_one_can_be_expanded():
    from benchmarks.synthetic import organisation

    parties, handoffs = organisation(2500, seed=5)
    at = upload_tables(parties, handoffs)
    assert_clean(at)
    options = at.selectbox(key="expand").options
    assert len(options) > 10 and options[1].startswith("dept-")
    at.selectbox(key="expand").select(options[1]).run()
    assert_clean(at)


def test_a_large_org_finds_the_team_to_highlight_by_typing():
    """Above 2,000 parties the highlight list is not sent whole (megabytes for the browser): it holds the parties
    whose name or id holds what is typed."""
    from benchmarks.synthetic import organisation

    parties, handoffs = organisation(2500, seed=5)
    at = upload_tables(parties, handoffs)
    assert at.selectbox(key="focus").options == ["(none)"]
    team = str(parties["id"].iloc[40])
    at.text_input(key="focus-search").input(team).run()
    options = at.selectbox(key="focus").options
    assert 1 < len(options) <= 21 and team in options[1]  # the exact match first
    at.selectbox(key="focus").select_index(1).run()
    assert_clean(at)
    at.text_input(key="focus-search").input("no such team").run()
    assert "No party's name or id holds 'no such team'." in [c.value for c in at.caption]


def test_downloads_say_why_there_is_no_graphml_for_an_org_with_control_characters():
    bad = ROOT / "tests" / "data" / "bad"
    at = upload(start(), (bad / "control-characters.csv").read_bytes(),
                (bad / "control-characters.parties.csv").read_bytes())  # fmt: skip
    at = open_tab(at, "Downloads")
    assert not at.exception, [e.message for e in at.exception]
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert buttons["Graph (GraphML)"].disabled and buttons["Graph (GEXF)"].disabled
    assert not buttons["Graph (node-link JSON)"].disabled and not buttons["Findings (Excel)"].disabled
    assert "U+000B (VERTICAL TAB), found in party 'kitchen'" in buttons["Graph (GraphML)"].help
    assert any("No GraphML or GEXF for this org" in w.value for w in at.warning)


def test_the_caches_keep_at_most_their_limit_of_orgs():
    """Twenty different uploads in one session: the analysis and file caches hold 16 each, not 20.

    The counts are Streamlit's own cache statistics (what ``/_stcore/metrics`` serves), which count
    entries while ``server.enableExpensiveMemoryStats`` is off.
    """
    from streamlit import config
    from streamlit.runtime.caching.cache_resource_api import _resource_caches

    config.set_option("server.enableExpensiveMemoryStats", False)
    at = start()
    at.radio(key="source").set_value("Upload files").run()
    for i in range(20):  # a chain of i + 3 teams each: twenty different orgs
        handoffs = "source,target\n" + "".join(f"t{j},t{j + 1}\n" for j in range(i + 2)) + f"t{i + 2},c\n"
        parties = "id,kind\n" + "".join(f"t{j},team\n" for j in range(i + 3)) + "c,external_customer\n"
        at.file_uploader(key="handoffs").upload(f"h{i}.csv", handoffs.encode(), "text/csv")
        at.file_uploader(key="parties").upload(f"p{i}.csv", parties.encode(), "text/csv")
        at.run()
        assert_clean(at)
        assert metric(at, "Teams with line of sight") == f"{i + 3} of {i + 3}"  # this upload's org, not an old one
    stats = [s for family in _resource_caches.get_stats().values() for s in family]
    entries = {s.cache_name.rsplit(".", 1)[-1]: s.byte_length for s in stats}
    assert entries["analyse"] == 16 and entries["read_raw"] == 16, entries


# --- issue 14: the dashboard's papercuts (points 2, 3, 16, 17, 18, 19) ----------------------------------------

UNKNOWN_HEADERS = b"Handed by;Handed to;What;Needed?\nkitchen;floor;dish;yes\nfloor;diners;tables;yes\nbar;floor;a;no\n"
UNKNOWN_PARTIES = b"id,kind\nkitchen,team\nfloor,team\nbar,team\ndiners,external_customer\n"


def table_proto(at: AppTest, key: str):
    """The protobuf of the table under ``key``: its column configuration, row height and placeholder."""
    return table_block(at, key).dataframe[0].proto


def column_prompts(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if w.value.startswith("Say which column")]


def map_columns(at: AppTest, prefix: str = "column") -> AppTest:
    at.selectbox(key=f"{prefix}-source").select("Handed by").run()
    return at.selectbox(key=f"{prefix}-target").select("Handed to").run()


def test_the_column_prompt_goes_once_the_columns_are_mapped():
    """Point 16: "Say which column holds ..." names what is still missing, and goes once nothing is."""
    at = upload(start(), UNKNOWN_HEADERS, UNKNOWN_PARTIES)
    assert column_prompts(at) == ["Say which column holds who hands off (source) and who receives (target)."]
    at.selectbox(key="column-source").select("Handed by").run()
    assert column_prompts(at) == ["Say which column holds who receives (target)."]
    at.selectbox(key="column-target").select("Handed to").run()
    assert column_prompts(at) == []
    assert_clean(at)
    assert metric(at, "Teams with line of sight") == "3 of 3"
    # the expander stays open with the choices in it (it does not close under the person's hand)
    assert at.selectbox(key="column-source").value == "Handed by"


def test_a_missing_column_error_names_the_file_shows_blank_cells_and_the_whole_hint():
    """Point 17: no "None" in the problems table, the hint wraps instead of being cut, the sidebar is pointed to."""
    at = upload(start(), UNKNOWN_HEADERS, UNKNOWN_PARTIES)
    assert read(at.error[0].value).startswith("handoffs.csv cannot be analysed yet: 2 problems to fix.")
    errors = frame(at, "errors")
    assert errors[label("column")].tolist() == ["", ""] and errors[label("row")].tolist() == [1, 1]
    assert "None" not in errors.astype(str).to_numpy().ravel().tolist()
    proto = table_proto(at, "errors")
    assert proto.placeholder == ""  # a missing value shows as an empty cell
    config = json.loads(proto.columns)
    assert (config[label("message")]["width"], config[label("hint")]["width"]) == (300, 340)
    assert proto.row_height > 64  # Streamlit wraps text only in rows taller than 4rem
    for column in (label("message"), label("hint")):  # whatever the library's text, it fits in the wrapped lines
        longest = max(len(text) for text in errors[column])
        assert (proto.row_height - 12) // 20 >= -(-longest // (config[column]["width"] // 7)), column
    pointer = next(i.value for i in at.info if "Columns of handoffs.csv" in i.value)
    assert pointer == (
        "handoffs.csv has no column valuechain recognises as who hands off (source) and who receives (target). "
        "Say which of its columns hold them in the sidebar, under **Columns of handoffs.csv** "
        "(on the command line: --column source=HEADER --column target=HEADER)."
    )


def test_problems_that_fit_on_one_line_keep_the_default_row_height():
    folder = DATA / "restaurant"
    broken = (folder / "handoffs.csv").read_text().replace("kitchen,floor", "kitchn,floor", 1).encode()
    at = upload(start(), broken, (folder / "parties.csv").read_bytes())
    assert table_proto(at, "errors").row_height == 0  # unset: Streamlit's one-line rows
    assert frame(at, "errors")[label("row")].tolist() == [4]


def compare_with_a_newer_version_mapped_in_the_sidebar() -> AppTest:
    """An org whose headers are mapped in the sidebar, compared with a newer version (one hand-off moved)."""
    at = map_columns(upload(start(), UNKNOWN_HEADERS, UNKNOWN_PARTIES))
    at = open_tab(at, "Compare")
    newer = UNKNOWN_HEADERS.replace(b"bar;floor", b"bar;kitchen")
    at.file_uploader(key="later-handoffs").upload("newer.csv", newer, "text/csv")
    at.file_uploader(key="later-parties").upload("newer-parties.csv", UNKNOWN_PARTIES, "text/csv")
    return at.run()


def test_compare_applies_the_sidebar_column_mapping_to_the_newer_version():
    """Point 2: the newer version with the same unknown headers is read with the sidebar's mapping."""
    at = compare_with_a_newer_version_mapped_in_the_sidebar()
    assert_clean(at)
    assert metric(at, "Hand-offs added / removed") == "1 / 1"
    ends = [label("source"), label("target")]
    assert frame(at, "diff-handoffs-added")[ends].values.tolist() == [["bar", "kitchen"]]
    assert frame(at, "diff-handoffs-removed")[ends].values.tolist() == [["bar", "floor"]]


def test_compare_reads_the_newer_version_with_the_sidebar_essential_column_and_customers():
    """Point 2 with the issue's headers: `Needed?` mapped as essential in the sidebar, and the customer chosen there
    (no parties file), apply to the newer version too; without them the newer version would have no orphan and the
    comparison would call 'bar' resolved."""
    handoffs = b"From Team;To Team;What;Needed?\nkitchen;floor;dish;yes\nfloor;diners;tables;yes\nbar;floor;a;no\n"
    at = upload(start(), handoffs)
    at.selectbox(key="column-essential").select("Needed?").run()
    at.multiselect(key="customers").select("diners").run()
    assert_clean(at)
    assert metric(at, "Orphaned teams") == "1"  # bar: its only hand-off is not essential
    at = open_tab(at, "Compare")
    newer = handoffs + b"prep;kitchen;veg;yes\n"
    at.file_uploader(key="later-handoffs").upload("newer.csv", newer, "text/csv")
    at.run()
    assert_clean(at)
    assert metric(at, CHANGES["resolved_orphans"]) == "0" and metric(at, CHANGES["new_orphans"]) == "0"
    assert metric(at, "Parties added / removed") == "1 / 0"


def test_compare_asks_for_the_columns_a_newer_version_names_differently():
    """Point 2: headers that the sidebar's mapping does not cover are chosen in the Compare tab."""
    at = map_columns(upload(start(), UNKNOWN_HEADERS, UNKNOWN_PARTIES))
    at = open_tab(at, "Compare")
    newer = b"Upstream;Downstream\nkitchen;floor\nfloor;diners\nbar;kitchen\n"
    at.file_uploader(key="later-handoffs").upload("newer.csv", newer, "text/csv")
    at.file_uploader(key="later-parties").upload("newer-parties.csv", UNKNOWN_PARTIES, "text/csv")
    at.run()
    assert not at.exception and not at.error
    assert "Say which column holds who hands off (source) and who receives (target)." in column_prompts(at)
    at.selectbox(key="later-column-source").select("Upstream").run()
    at.selectbox(key="later-column-target").select("Downstream").run()
    assert_clean(at)
    assert metric(at, "Hand-offs added / removed") == "1 / 1"


def test_a_newer_version_is_mapped_afresh_when_the_org_changes():
    """The sidebar's mapping that read the newer version goes with the org it belonged to: no stale choice is used."""
    at = compare_with_a_newer_version_mapped_in_the_sidebar()
    assert metric(at, "Hand-offs added / removed") == "1 / 1"
    folder = DATA / "restaurant"  # another org, whose headers need no mapping
    at.file_uploader(key="handoffs").upload("h2.csv", (folder / "handoffs.csv").read_bytes(), "text/csv")
    at.file_uploader(key="parties").upload("p2.csv", (folder / "parties.csv").read_bytes(), "text/csv")
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="later-column-source").value == "(none)"
    assert "Hand-offs added / removed" not in {m.label for m in at.metric}
    assert "Say which column holds who hands off (source) and who receives (target)." in column_prompts(at)


def test_an_unreadable_newer_version_is_named():
    at = open_tab(start(), "Compare")
    at.checkbox(key="use-later").uncheck().run()
    at.file_uploader(key="later-handoffs").upload("newer.xlsx", b"\x00\x01 not a workbook", "text/csv")
    at.run()
    assert not at.exception
    assert at.error[0].value == "The newer version cannot be read as a table. Fix it and upload it again:"
    assert set(frame(at, "later-problems")[label("file")]) == {"newer.xlsx"}


def test_fix_up_edits_are_kept_until_check_again():
    """Point 18: the grids sit in a form, so an edit does not rerun the page; Check again applies them all."""
    folder = DATA / "restaurant"
    text = (folder / "handoffs.csv").read_text()
    broken = text.replace("kitchen,floor", "kitchn,floor", 1).replace("bar,floor", "bah,floor", 1).encode()
    at = upload(start(), broken, (folder / "parties.csv").read_bytes())
    assert frame(at, "errors")[label("row")].tolist() == [4, 5]
    assert {e.key: e.proto.form_id for e in at.data_editor} == {"editor-handoffs": "fix-up", "editor-parties": "fix-up"}
    assert [b.key for b in at.form_submit_button] == ["recheck"]
    index = json.loads(at.data_editor[0].proto.columns)["_index"]
    assert index["label"] == label("row") and index["disabled"]  # the row numbers the messages name cannot be edited
    # two cells edited one after the other (rows 4 and 5 of the file are the grid's third and fourth)
    edits = {"edited_rows": {2: {"source": "kitchen"}, 3: {"source": "bar"}}, "added_rows": [], "deleted_rows": []}
    at.session_state["editor-handoffs"] = edits
    at.run()
    assert len(frame(at, "errors")) == 2 and not at.metric  # not applied: no Check again yet
    at.button(key="recheck").click().run()
    assert_clean(at)
    assert metric(at, "Orphaned teams") == "2" and metric(at, "Teams with line of sight") == "5 of 7"


def test_whatif_offers_a_sensible_pair_to_add():
    """Point 19: the first orphaned team to the first customer, not a customer to itself."""
    at = open_tab(start(), "What-if")
    assert (at.selectbox(key="whatif-from").value, at.selectbox(key="whatif-to").value) == ("ex-board", "businesses")
    at.button(key="whatif-add").click().run()
    assert_clean(at)
    assert not at.warning
    assert "Added: ex-board → businesses" in [c.value for c in at.caption]
    assert "ex-board" in set(frame(at, "whatif-resolved")[label("id")])


@pytest.mark.parametrize(
    ("giver", "taker", "removed", "why"),
    [
        ("households", "households", [], "A hand-off from 'households' to itself changes nothing"),
        ("businesses", "ex-board", [], "'businesses' is an external customer"),
        ("sc-warehouse", "mf-assembly-a", [], "'sc-warehouse' already hands off to 'mf-assembly-a'"),
        ("ex-board", "sc-warehouse", ["sc-warehouse"], "'sc-warehouse' is removed in this what-if"),
    ],
)
def test_whatif_says_why_an_addition_is_refused(giver, taker, removed, why):
    at = open_tab(start(), "What-if")
    if removed:
        at.multiselect(key="whatif-remove").set_value(removed).run()
    at.selectbox(key="whatif-from").select(giver).run()
    at.selectbox(key="whatif-to").select(taker).run()
    at.button(key="whatif-add").click().run()
    assert not at.exception
    assert [w.value for w in at.warning if why in w.value], [w.value for w in at.warning]
    assert not any(c.value.startswith("Added:") for c in at.caption)


def test_whatif_additions_do_not_carry_over_to_another_org():
    at = open_tab(start(), "What-if")
    at.button(key="whatif-add").click().run()
    at.selectbox(key="sample").select("restaurant").run()
    assert_clean(at)
    assert not any(c.value.startswith("Added:") for c in at.caption)
    assert len(frame(at, "ranking"))  # the restaurant's own ranking, no what-if of the midsize org's hand-off


def test_whatif_refuses_the_same_addition_twice():
    at = open_tab(start(), "What-if")
    at.button(key="whatif-add").click().run()
    at.button(key="whatif-add").click().run()
    assert [w.value for w in at.warning] == ["'ex-board' → 'businesses' is already added."]
    assert "Added: ex-board → businesses" in [c.value for c in at.caption]


def test_whatif_shows_single_points_of_failure_lost_with_their_teams_as_a_loss():
    """Point 3: removing the central warehouse cuts teams off; the single points of failure behind it vanish
    with them. That is a loss: red, under its own heading, and never a green fall of the count."""
    at = open_tab(start(), "What-if")
    at.multiselect(key="whatif-remove").select("sc-warehouse").run()
    assert_clean(at)
    lost = frame(at, "whatif-spof-lost")
    assert "mf-qc" in set(lost[label("id")]) and len(lost) == 13
    assert set(lost[label("why")]) == {"it lost its own path to the customer (it is an orphan now)"}
    metrics = {m.label: m for m in at.metric}
    assert metrics["Lost with their teams"].value == "13" and metrics["Lost with their teams"].delta == "-13"
    assert colour(metrics["Lost with their teams"]) == "RED"  # a fall shown as a loss
    spof_after = [m for m in at.metric if m.label == "Single points of failure"][-1]
    assert spof_after.delta.startswith("-") and colour(spof_after) == "GRAY"  # not green
    assert not frame_exists(at, "whatif-spof-resolved")
    assert any("Single points of failure lost with their teams" in m.value for m in at.markdown)


def test_whatif_improvements_stay_green():
    at = open_tab(start(), "What-if")
    at.selectbox(key="whatif-from").select("hr-wellbeing").run()
    at.selectbox(key="whatif-to").select("households").run()
    at.button(key="whatif-add").click().run()
    orphans = [m for m in at.metric if m.label == "Orphaned teams"][-1]
    assert orphans.delta == "-2" and colour(orphans) == "GREEN"  # hr-wellbeing and the team behind it: green
    assert "Lost with their teams" not in {m.label for m in at.metric}


def test_whatif_removing_an_orphan_is_not_shown_as_an_improvement():
    at = open_tab(start(), "What-if")
    at.multiselect(key="whatif-remove").select("ex-board").run()
    assert_clean(at)
    orphans = [m for m in at.metric if m.label == "Orphaned teams"][-1]
    assert orphans.value == "21" and orphans.delta == "-1" and colour(orphans) == "GRAY"
    assert orphans.proto.help == "Not an improvement: 1 removed from the org."


def test_compare_shows_single_points_of_failure_lost_with_their_teams():
    """Point 3 in Compare: a newer version where the warehouse's hand-offs are gone."""
    folder = DATA / "midsize"
    handoffs = (folder / "handoffs.csv").read_text().splitlines(keepends=True)
    newer = "".join(line for line in handoffs if not line.startswith("sc-warehouse,")).encode()
    at = open_tab(start(), "Compare")
    at.checkbox(key="use-later").uncheck().run()
    at.file_uploader(key="later-handoffs").upload("newer.csv", newer, "text/csv")
    at.file_uploader(key="later-parties").upload("parties.csv", (folder / "parties.csv").read_bytes(), "text/csv")
    at.run()
    assert_clean(at)
    lost = frame(at, "diff-spof-lost")
    assert "mf-qc" in set(lost[label("id")])
    assert metric(at, "Lost with their teams") == str(len(lost))
    resolved = set(frame(at, "diff-spof-resolved")[label("id")]) if frame_exists(at, "diff-spof-resolved") else set()
    assert not set(lost[label("id")]) & resolved


def colour(shown) -> str:
    """The colour of a metric's delta: RED, GREEN or GRAY."""
    from streamlit.proto.Metric_pb2 import Metric as MetricProto

    return MetricProto.MetricColor.Name(shown.proto.color)


def frame_exists(at: AppTest, key: str) -> bool:
    try:
        frame(at, key)
    except AssertionError:
        return False
    return True


def test_an_event_log_with_ambiguous_dates_is_read_with_the_time_format_given_in_the_sidebar():
    at = start()
    at.radio(key="source").set_value("Event log").run()
    data = (ROOT / "tests" / "data" / "bad" / "logs" / "ambiguous-dates.csv").read_bytes()
    at.file_uploader(key="log").upload("events.csv", data, "text/csv")
    at.run()
    assert not at.exception
    assert "Time format in the dashboard's sidebar" in frame(at, "errors")[label("hint")].iloc[0]
    at.text_input(key="time-format").input("%d/%m/%Y %H:%M").run()
    assert_clean(at)
    # 05/01/2026 09:00 to 06/01/2026 10:00 and 07/01 08:00 to 08/01 09:30, day-first: 25 h and 25.5 h
    assert frame(at, "slowest")[label("median_wait_hours")].tolist() == [25.25]


def test_a_control_character_in_a_column_named_row_greys_out_graphml_and_gexf():
    """A parties column 'row' is the user's own (the export writes its own as valuechain:row): the check of
    what XML can hold looks at the graph the export writes, so the buttons are greyed out, not broken."""
    at = upload(
        start(),
        b"source,target\nkitchen,diners\n",
        b"id,kind,row\nkitchen,team,bell\x07\ndiners,external_customer,\n",
    )
    assert_clean(at)
    at = open_tab(at, "Downloads")
    assert_clean(at)
    assert any("No GraphML or GEXF for this org" in w.value and "'row'" in w.value for w in at.warning)


# --- issue 15: every word a person reads comes from the vocabulary ----------------------------------------------


def shown_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table on the page as the app hands it to Streamlit (its headers are what a person reads)."""
    return [d.value for d in at.dataframe]


def assert_words_not_codes(at: AppTest) -> int:
    """No table header is a raw code of the vocabulary (``teams_cut_off``, ``id``...) or has an underscore, and
    no cell is a reason code; returns how many tables were looked at."""
    from valuechain.vocabulary import COLUMNS, Reason

    raw = {code for code, column in COLUMNS.items() if column.label != code}
    reasons = {r.value for r in Reason}
    tables = shown_tables(at)
    for table in tables:
        headers = [str(h) for h in table.columns]
        assert not set(headers) & raw, headers
        assert not [h for h in headers if "_" in h], headers
        for header in headers:
            cells = {str(v) for v in table[header].dropna()} if table[header].dtype == object else set()
            assert not cells & reasons, (header, cells & reasons)
    for text in [c.value for c in at.caption] + [m.label for m in at.metric]:
        assert not any(code in text for code in reasons), text
    return len(tables)


def test_every_tab_shows_labels_and_words_never_raw_codes():
    """Issue 15: the midsize sample on every tab, a what-if with its changes, and Compare with its newer version."""
    at = start()
    looked = 0
    for tab in TABS:
        open_tab(at, tab)
        assert_clean(at)
        looked += assert_words_not_codes(at)
    open_tab(at, "What-if")
    at.multiselect(key="whatif-remove").select("sc-warehouse").run()
    assert_clean(at)
    assert frame_exists(at, "whatif-spof-lost")
    looked += assert_words_not_codes(at)
    open_tab(at, "Compare")
    assert at.checkbox(key="use-later").value  # the newer version of the sample: midsize-reorganised
    assert frame_exists(at, "diff-resolved") and frame_exists(at, "diff-parties-changed")
    looked += assert_words_not_codes(at)
    assert looked > 20
    open_tab(at, "Departments")
    config = json.loads(table_proto(at, "departments").columns)
    assert config[label("share_connected")]["type_config"]["format"] == "percent"  # 0.4286 shown as 43%
    assert frame(at, "departments")[label("share_connected")].between(0, 1).all()
    assert label("connected") not in frame(at, "departments")  # a count of teams there, not yes/no


def test_an_event_logs_tables_are_labelled_too():
    at = start()
    at.radio(key="source").set_value("Event log").run()
    at.file_uploader(key="log").upload("events.csv", (DATA / "order-to-delivery" / "events.csv").read_bytes())
    at.run()
    assert_clean(at)
    assert assert_words_not_codes(at) >= 3
    assert label("median_wait_hours") in frame(at, "slowest").columns


def test_a_large_org_finds_its_customer_by_typing():
    """Above 2,000 parties the customer pickers list what is typed (and what is chosen), not every id."""
    from benchmarks.synthetic import organisation

    parties, handoffs = organisation(2500, seed=5)
    parties["kind"] = parties["kind"].replace("external_customer", "team")  # the file names no customer
    at = upload_tables(parties, handoffs)
    assert at.multiselect(key="customers").options == []
    customer = str(handoffs["target"].value_counts().index[0])
    at.text_input(key="customer-search").input(customer).run()
    assert customer in at.multiselect(key="customers").options
    at.multiselect(key="customers").select(customer).run()
    at.text_input(key="customer-search").input("").run()
    assert at.multiselect(key="customers").options == [customer]  # the chosen one stays offered
    assert not at.exception and at.metric


def test_user_text_in_messages_is_shown_as_written_not_as_markdown():
    """A file name or id with Markdown in it (bold, a link, an emoji code, maths) reads as written."""
    folder = DATA / "restaurant"
    broken = (folder / "handoffs.csv").read_text().replace("kitchen,floor", "kitchn,floor", 1).encode()
    at = upload(start(), broken, (folder / "parties.csv").read_bytes(), name="**x** [l](http://e.x) :red[a].csv")
    message = at.error[0].value
    assert "\\*\\*x\\*\\* \\[l\\]\\(http\\://e\\.x\\) \\:red\\[a\\]\\.csv cannot be analysed yet" in message
    assert read(message).startswith("**x** [l](http://e.x) :red[a].csv cannot be analysed yet")
