"""Every error and warning kind of DESIGN.md: the message, the file, the row and the column."""

from __future__ import annotations

import pytest

import valuechain as vc

PARTIES = "id,name,kind\nkitchen,Kitchen,team\nfloor,Floor,team\ndiners,Diners,external_customer\n"


def problems_of(write, handoffs: str, parties: str | None = PARTIES, **kw) -> list[vc.Problem]:
    h = write("handoffs.csv", handoffs)
    p = write("parties.csv", parties) if parties is not None else None
    with pytest.raises(vc.InputError) as err:
        vc.load(h, parties=p, **kw)
    return err.value.problems


def where(p: vc.Problem) -> tuple:
    return (p.severity, p.file.rsplit("/", 1)[-1], p.row, p.column)


def test_missing_required_column(write):
    [p] = problems_of(write, "from,deliverable\nkitchen,x\n")
    assert where(p) == ("error", "handoffs.csv", 1, None)
    assert p.message == "no 'target' column (the headers are 'from', 'deliverable')"
    assert p.hint.startswith("say which column holds it: --column target=HEADER on the command line, ")
    assert "accepted headers: target, to, receiver, consumer, recipient" in p.hint


def test_missing_id_column_in_parties(write):
    [p] = problems_of(write, "source,target\nkitchen,diners\n", "name,kind\nKitchen,team\n")
    assert where(p) == ("error", "parties.csv", 1, None)
    assert p.message == "no 'id' column (the headers are 'name', 'kind')"
    assert "--column id=HEADER" in p.hint and "columns={'id': ...} in Python" in p.hint


def test_two_synonyms_for_one_field(write):
    [p] = problems_of(write, "from,supplier,target\na,b,c\n")
    assert where(p) == ("error", "handoffs.csv", 1, "supplier")
    assert p.message == "columns 'from' and 'supplier' both look like the 'source' column"


def test_duplicate_headers(write):
    [p] = problems_of(write, "source,target,note,note\na,b,x,y\n")
    assert where(p) == ("error", "handoffs.csv", 1, "note")
    assert "columns C and D" in p.message


def test_empty_ids(write):
    problems = problems_of(write, "source,target\n,floor\nkitchen, \n", "id,kind\nkitchen,\n ,team\nfloor,\n")
    assert [(where(p), p.message) for p in problems] == [
        (("error", "handoffs.csv", 2, "source"), "the source id is empty"),
        (("error", "handoffs.csv", 3, "target"), "the target id is empty"),
        (("error", "parties.csv", 3, "id"), "the party id is empty"),
    ]


def test_unreadable_essential_value(write):
    [p] = problems_of(write, "source,target,critical\nkitchen,floor,maybe\nfloor,diners,yes\n")
    assert where(p) == ("error", "handoffs.csv", 2, "critical")
    assert p.message == "'maybe' is not a yes/no value"
    assert "yes or no" in p.hint


def test_duplicate_party_id(write):
    [p] = problems_of(write, "source,target\nkitchen,diners\n", PARTIES + "kitchen,Second kitchen,team\n")
    assert where(p) == ("error", "parties.csv", 5, "id")
    assert p.message == "the id 'kitchen' is already used in row 2"


def test_unknown_party_suggests_the_closest_id(write):
    [p] = problems_of(write, "source,To\nkitchen,flor\nfloor,diners\n")
    assert where(p) == ("error", "handoffs.csv", 2, "To")
    assert p.message == "'flor' is not in the parties table"
    assert p.hint == "did you mean 'floor'?"


def test_unknown_party_with_nothing_close(write):
    [p] = problems_of(write, "source,target\nzzzzzz,diners\n")
    assert p.hint.startswith("add 'zzzzzz' to")


def test_unknown_kind(write):
    [p] = problems_of(write, "source,target\nkitchen,diners\n", "id,type\nkitchen,tema\ndiners,external customer\n")
    assert where(p) == ("error", "parties.csv", 2, "type")
    assert p.message == "unknown kind 'tema'"
    assert p.hint.startswith("did you mean 'team'?")


def test_no_customer_names_the_candidate_sinks(write):
    [p] = problems_of(write, "source,target\nkitchen,floor\nfloor,diners\n", None)
    assert p.severity == "error"
    assert p.message == "no external customer: the hand-offs name no parties table"
    assert "--customer" in p.hint and "'diners'" in p.hint


def test_no_customer_in_the_parties_table(write):
    [p] = problems_of(write, "source,target\nkitchen,floor\n", "id\nkitchen\nfloor\n")
    assert where(p)[:2] == ("error", "parties.csv")
    assert "kind external_customer" in p.message


def test_unknown_customer(write):
    [p] = problems_of(write, "source,target\nkitchen,diners\n", customers=["dinner"])
    assert p.message == "the customer 'dinner' is not a party"
    assert p.hint == "did you mean 'diners'?"


def test_an_outside_party_is_never_a_customer(write):
    parties = PARTIES + "agents,Repair agents,vendor_partner\n"
    [p] = problems_of(write, "source,target\nkitchen,agents\n", parties, customers=["agents"])
    assert "vendor partner" in p.message and "never customers" in p.message


def test_numbers_and_flags_in_parties(write):
    parties = (
        "id,kind,headcount,cost,primary\nkitchen,,twelve,1 200,\nfloor,,3,abc,\ndiners,external_customer,,,perhaps\n"
    )
    problems = problems_of(write, "source,target\nkitchen,diners\n", parties)
    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "headcount", "'twelve' is not a number"),
        (3, "cost", "'abc' is not a number"),
        (4, "primary", "'perhaps' is not a yes/no value"),
    ]


def test_all_problems_of_all_files_are_reported_together(write):
    rows = "".join(f"kitchen,flor{i}\n" for i in range(60)) + "kitchen,floor,maybe\n"
    problems = problems_of(write, "source,target,essential\n" + rows, PARTIES + "floor,again,team\n")
    assert len(problems) == 62
    text = str(vc.InputError(problems))
    assert text.startswith("62 problems in the input:")
    assert "... and 12 more" in text


def test_empty_and_header_only_files(write):
    [p] = problems_of(write, "")
    assert p.message == "the file is empty"
    [p] = problems_of(write, "\n\n  \n")
    assert p.message == "the file is empty"


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(vc.InputError, match="file not found"):
        vc.load(tmp_path / "nope.csv")
    with pytest.raises(vc.InputError, match="folder"):
        vc.load(tmp_path)


def test_unclosed_quote(write):
    [p] = problems_of(write, 'source,target\nkitchen,"floor\nfloor,diners\n')
    assert p.message == "a quoted value is never closed"


def test_binary_file(write):
    [p] = problems_of(write, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x81")
    assert "binary" in p.message


def test_excel_workbook_without_a_handoffs_sheet(tmp_path):
    import pandas as pd

    path = tmp_path / "org.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"id": ["a"]}).to_excel(xl, sheet_name="parties", index=False)
        pd.DataFrame({"x": ["a"]}).to_excel(xl, sheet_name="notes", index=False)
    with pytest.raises(vc.InputError) as err:
        vc.load(path)
    assert err.value.problems[0].message == "the workbook has a 'parties' sheet but no 'handoffs' sheet"


def test_not_really_a_workbook(write):
    path = write("org.xlsx", b"this is not a zip file")
    with pytest.raises(vc.InputError, match="cannot be opened"):
        vc.load(path)


# --- warnings: the row is kept -------------------------------------------------------------


def test_self_handoff_is_a_warning_and_kept(write):
    h = write("handoffs.csv", "source,target\nkitchen,kitchen\nkitchen,diners\n")
    chain = vc.load(h, parties=write("parties.csv", PARTIES))
    [w] = chain.warnings
    assert (where(w), w.message) == (("warning", "handoffs.csv", 2, None), "'kitchen' hands off to itself")
    assert len(chain.handoffs) == 2
    assert chain.graph.has_edge("kitchen", "kitchen")
    assert chain.analyze().summary["handoffs"] == 1


def test_repeated_handoff_is_a_warning_and_kept(write):
    h = write(
        "handoffs.csv",
        "source,target,deliverable\nkitchen,floor,dishes\nkitchen,floor,cutlery\n"
        "kitchen,floor,dishes\nfloor,diners,meal\n",
    )
    chain = vc.load(h, parties=write("parties.csv", PARTIES))
    [w] = chain.warnings
    assert where(w) == ("warning", "handoffs.csv", 4, None)
    assert w.message == "the hand-off 'dishes' from 'kitchen' to 'floor' repeats row 2"
    assert len(chain.handoffs) == 4
    edge = chain.graph.edges["kitchen", "floor"]
    assert edge["deliverables"] == ["dishes", "cutlery"]
    assert [h["row"] for h in edge["handoffs"]] == [2, 3, 4]


def test_warnings_travel_with_errors(write):
    problems = problems_of(write, "source,target\nkitchen,kitchen\nkitchen,flor\n")
    assert [p.severity for p in problems] == ["warning", "error"]


def test_graph_files_are_named_as_such_where_a_table_is_expected(write):
    gml = write("org.gml", "graph [ ]")
    with pytest.raises(vc.InputError) as err:
        vc.load(gml)
    [p] = err.value.problems
    assert p.message == "this is a graph file (.gml), not a table"
    graph = write("org.graphml", "<graphml/>")
    with pytest.raises(vc.InputError) as err:
        vc.load(write("handoffs.csv", "source,target\na,b\n"), parties=graph)
    assert err.value.problems[0].message == "this is a graph file (.graphml), not a table"


def test_problems_of_both_files_are_reported_together(write):
    h = write("handoffs.csv", "")
    p = write("parties.csv", "id,id\nx,y\n")
    with pytest.raises(vc.InputError) as err:
        vc.load(h, parties=p)
    assert sorted((where(x)[1], x.message.split(" (")[0]) for x in err.value.problems) == [
        ("handoffs.csv", "the file is empty"),
        ("parties.csv", "two columns have the header 'id'"),
    ]
