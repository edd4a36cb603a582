"""Every error and warning kind of DESIGN.md: the message, the file, the row and the column."""

from __future__ import annotations

import pytest

import valuechain as vc
from valuechain.problems import Code, Problem

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
    assert p.code == Code.MISSING_COLUMN
    assert p.hint.startswith("say which column holds it: --column target=HEADER on the command line, ")
    assert "accepted headers: target, to, receiver, consumer, recipient" in p.hint


def test_missing_id_column_in_parties(write):
    [p] = problems_of(write, "source,target\nkitchen,diners\n", "name,kind\nKitchen,team\n")
    assert where(p) == ("error", "parties.csv", 1, None)
    assert p.message == "no 'id' column (the headers are 'name', 'kind')"
    assert p.code == Code.MISSING_COLUMN
    assert "--column id=HEADER" in p.hint and "columns={'id': ...} in Python" in p.hint


def test_two_synonyms_for_one_field(write):
    [p] = problems_of(write, "from,supplier,target\na,b,c\n")
    assert where(p) == ("error", "handoffs.csv", 1, "supplier")
    assert p.message == "columns 'from' and 'supplier' both look like the 'source' column"
    assert p.code == Code.AMBIGUOUS_COLUMN


def test_duplicate_headers(write):
    [p] = problems_of(write, "source,target,note,note\na,b,x,y\n")
    assert where(p) == ("error", "handoffs.csv", 1, "note")
    assert "columns C and D" in p.message
    assert p.code == Code.DUPLICATE


def test_empty_ids(write):
    problems = problems_of(write, "source,target\n,floor\nkitchen, \n", "id,kind\nkitchen,\n ,team\nfloor,\n")
    assert [(where(p), p.message) for p in problems] == [
        (("error", "handoffs.csv", 2, "source"), "the source id is empty"),
        (("error", "handoffs.csv", 3, "target"), "the target id is empty"),
        (("error", "parties.csv", 3, "id"), "the party id is empty"),
    ]
    assert {p.code for p in problems} == {Code.EMPTY_CELL}


def test_unreadable_essential_value(write):
    [p] = problems_of(write, "source,target,critical\nkitchen,floor,maybe\nfloor,diners,yes\n")
    assert where(p) == ("error", "handoffs.csv", 2, "critical")
    assert p.message == "'maybe' is not a yes/no value"
    assert "yes or no" in p.hint
    assert p.code == Code.BAD_VALUE


def test_duplicate_party_id(write):
    [p] = problems_of(write, "source,target\nkitchen,diners\n", PARTIES + "kitchen,Second kitchen,team\n")
    assert where(p) == ("error", "parties.csv", 5, "id")
    assert p.message == "the id 'kitchen' is already used in row 2"
    assert p.code == Code.DUPLICATE


def test_unknown_party_suggests_the_closest_id(write):
    [p] = problems_of(write, "source,To\nkitchen,flor\nfloor,diners\n")
    assert where(p) == ("error", "handoffs.csv", 2, "To")
    assert p.message == "'flor' is not in the parties table"
    assert p.hint == "did you mean 'floor'?"
    assert p.code == Code.UNKNOWN_PARTY


def test_unknown_party_with_nothing_close(write):
    [p] = problems_of(write, "source,target\nzzzzzz,diners\n")
    assert p.hint.startswith("add 'zzzzzz' to")


def test_unknown_kind(write):
    [p] = problems_of(write, "source,target\nkitchen,diners\n", "id,type\nkitchen,tema\ndiners,external customer\n")
    assert where(p) == ("error", "parties.csv", 2, "type")
    assert p.message == "unknown kind 'tema'"
    assert p.hint.startswith("did you mean 'team'?")
    assert p.code == Code.BAD_VALUE


def test_no_customer_names_the_candidate_sinks(write):
    [p] = problems_of(write, "source,target\nkitchen,floor\nfloor,diners\n", None)
    assert p.severity == "error"
    assert p.message == "no external customer: the hand-offs name no parties table"
    assert "--customer" in p.hint and "'diners'" in p.hint
    assert p.code == Code.NO_CUSTOMER == "no_customer"  # the dashboard offers the customer chooser on it


def test_no_customer_in_the_parties_table(write):
    [p] = problems_of(write, "source,target\nkitchen,floor\n", "id\nkitchen\nfloor\n")
    assert where(p)[:2] == ("error", "parties.csv")
    assert "kind external_customer" in p.message
    assert p.code == Code.NO_CUSTOMER


def test_unknown_customer(write):
    [p] = problems_of(write, "source,target\nkitchen,diners\n", customers=["dinner"])
    assert p.message == "the customer 'dinner' is not a party"
    assert p.hint == "did you mean 'diners'?"
    assert p.code == Code.BAD_CUSTOMER


def test_an_outside_party_is_never_a_customer(write):
    parties = PARTIES + "agents,Repair agents,vendor_partner\n"
    [p] = problems_of(write, "source,target\nkitchen,agents\n", parties, customers=["agents"])
    assert "vendor partner" in p.message and "never customers" in p.message
    assert p.code == Code.BAD_CUSTOMER


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
    assert {p.code for p in problems} == {Code.BAD_VALUE}


def test_all_problems_of_all_files_are_reported_together(write):
    rows = "".join(f"kitchen,flor{i}\n" for i in range(60)) + "kitchen,floor,maybe\n"
    problems = problems_of(write, "source,target,essential\n" + rows, PARTIES + "floor,again,team\n")
    assert len(problems) == 62
    text = str(vc.InputError(problems))
    assert text.startswith("62 problems in the input:")
    assert "... and 12 more" in text


def test_empty_and_header_only_files(write):
    [p] = problems_of(write, "")
    assert (p.message, p.code) == ("the file is empty", Code.EMPTY)
    [p] = problems_of(write, "\n\n  \n")
    assert (p.message, p.code) == ("the file is empty", Code.EMPTY)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(vc.InputError, match="file not found") as err:
        vc.load(tmp_path / "nope.csv")
    assert [p.code for p in err.value.problems] == [Code.UNREADABLE_FILE]
    with pytest.raises(vc.InputError, match="folder") as err:
        vc.load(tmp_path)
    assert [p.code for p in err.value.problems] == [Code.UNREADABLE_FILE]


def test_unclosed_quote(write):
    [p] = problems_of(write, 'source,target\nkitchen,"floor\nfloor,diners\n')
    assert p.message == "a quoted value is never closed"
    assert p.code == Code.UNREADABLE_FILE


def test_binary_file(write):
    [p] = problems_of(write, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x81")
    assert "binary" in p.message
    assert p.code == Code.UNREADABLE_FILE


def test_excel_workbook_without_a_handoffs_sheet(tmp_path):
    import pandas as pd

    path = tmp_path / "org.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"id": ["a"]}).to_excel(xl, sheet_name="parties", index=False)
        pd.DataFrame({"x": ["a"]}).to_excel(xl, sheet_name="notes", index=False)
    with pytest.raises(vc.InputError) as err:
        vc.load(path)
    assert err.value.problems[0].message == "the workbook has a 'parties' sheet but no 'handoffs' sheet"
    assert err.value.problems[0].code == Code.SHEET_CHOICE


def test_not_really_a_workbook(write):
    path = write("org.xlsx", b"this is not a zip file")
    with pytest.raises(vc.InputError, match="cannot be opened") as err:
        vc.load(path)
    assert [p.code for p in err.value.problems] == [Code.UNREADABLE_FILE]


# --- warnings: the row is kept -------------------------------------------------------------


def test_self_handoff_is_a_warning_and_kept(write):
    h = write("handoffs.csv", "source,target\nkitchen,kitchen\nkitchen,diners\n")
    chain = vc.load(h, parties=write("parties.csv", PARTIES))
    [w] = chain.warnings
    assert (where(w), w.message) == (("warning", "handoffs.csv", 2, None), "'kitchen' hands off to itself")
    assert w.code == Code.SELF_HANDOFF
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
    assert w.code == Code.DUPLICATE
    assert len(chain.handoffs) == 4
    edge = chain.graph.edges["kitchen", "floor"]
    assert edge["deliverables"] == ["dishes", "cutlery"]
    assert [h["row"] for h in edge["handoffs"]] == [2, 3, 4]


def test_warnings_travel_with_errors(write):
    problems = problems_of(write, "source,target\nkitchen,kitchen\nkitchen,flor\n")
    assert [(p.severity, p.code) for p in problems] == [("warning", Code.SELF_HANDOFF), ("error", Code.UNKNOWN_PARTY)]


def test_graph_files_are_named_as_such_where_a_table_is_expected(write):
    gml = write("org.gml", "graph [ ]")
    with pytest.raises(vc.InputError) as err:
        vc.load(gml)
    [p] = err.value.problems
    assert p.message == "this is a graph file (.gml), not a table"
    assert p.code == Code.UNREADABLE_FILE
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


# --- codes: front ends decide on them, never on the message's text --------------------------------------------


def corpus_problems(handoffs, parties) -> list[vc.Problem]:
    """The errors of a corpus case that does not load, else the warnings of the one that does."""
    try:
        return vc.load(handoffs, parties=parties).warnings
    except vc.InputError as err:
        return err.problems


def assert_coded(problems: list[vc.Problem]) -> None:
    for p in problems:
        assert isinstance(p.code, Code) and p.code is not Code.OTHER, str(p)
        # the no-customer problem, and only it, carries the code the dashboard's customer chooser waits for
        assert (p.code == Code.NO_CUSTOMER) == p.message.startswith("no external customer"), str(p)


def corpus_cases() -> list:
    from tests.test_corpus import MANIFEST

    return [pytest.param(row, id=row["handoffs"]) for row in MANIFEST]


@pytest.mark.parametrize("row", corpus_cases())
def test_every_problem_of_the_bad_input_corpus_has_a_code(row):
    from tests.test_corpus import paths

    assert_coded(corpus_problems(*paths(row)))


def large_names() -> list[str]:
    from tests.data.bad.make_corpus import all_large_cases

    return sorted(all_large_cases())


@pytest.mark.parametrize("name", large_names())
def test_every_problem_of_the_large_corpus_has_a_code(name, tmp_path):
    from tests.test_corpus import write_large

    case = write_large(name, tmp_path)
    assert_coded(corpus_problems(case["path"], case["parties"]))


def test_the_corpus_has_problems_of_most_codes():
    from tests.test_corpus import MANIFEST, paths

    codes = {p.code for row in MANIFEST for p in corpus_problems(*paths(row))}
    assert Code.NO_CUSTOMER in codes
    assert len(codes) >= 15, sorted(codes)


def test_the_no_customer_cases_carry_no_customer(write):
    from tests.test_corpus import BAD

    with pytest.raises(vc.InputError) as err:
        vc.load(BAD / "no-customer.csv", parties=BAD / "no-customer.parties.csv")
    assert [p.code for p in err.value.problems] == [Code.NO_CUSTOMER]
    for parties in (None, "id\nkitchen\nfloor\n", "id,kind\nkitchen,team\nfloor,team\n"):
        [p] = problems_of(write, "source,target\nkitchen,floor\n", parties)
        assert p.code == "no_customer"
        assert p.to_dict()["code"] == "no_customer"


def test_a_code_is_given_as_the_enum_or_its_value():
    made = Problem("error", "h.csv", 3, "target", "unknown party 'Kitchn'", "did you mean 'Kitchen'?")
    assert made.code is Code.OTHER  # positional construction, as notebooks write it, keeps working
    assert Problem.error("h.csv", "x", code="bad_value").code is Code.BAD_VALUE
    assert Problem("warning", "h.csv", None, None, "x", "", "empty").code is Code.EMPTY
    with pytest.raises(ValueError, match="no_such_code"):
        Problem.error("h.csv", "x", code="no_such_code")


def test_to_dict_ends_with_the_code_as_plain_text():
    import json

    p = Problem.warning("h.csv", "this column has no header", "give it a header", row=1, column="column C",
                        code=Code.NO_HEADER)  # fmt: skip
    assert list(p.to_dict()) == ["severity", "file", "row", "column", "message", "hint", "code"]
    assert json.loads(json.dumps(p.to_dict()))["code"] == "no_header"
    assert type(p.to_dict()["code"]) is str


def test_every_code_is_used_by_the_library_and_none_is_unknown():
    """Each code but the catch-all is given somewhere in the library (as Code.NAME or code="value"), and every
    code the library gives is one of the set."""
    import ast
    from pathlib import Path

    used: set[str] = set()
    for path in Path(vc.__file__).parent.rglob("*.py"):
        if path.name == "problems.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Code":
                used.add(Code[node.attr].value)
            elif isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
                used.add(Code(node.value.value).value)
    assert used == {c.value for c in Code} - {Code.OTHER.value}


def test_the_codes_of_options_scenarios_and_headers(write):
    h = write("handoffs.csv", "source,target,\nkitchen,floor,x\nfloor,diners,\n")
    chain = vc.load(h, parties=write("parties.csv", PARTIES))
    [w] = chain.warnings
    assert (w.message, w.code) == ("this column has no header", Code.NO_HEADER)
    with pytest.raises(vc.InputError) as err:
        vc.load(h, columns={"sender": "from"})
    assert [p.code for p in err.value.problems] == [Code.BAD_OPTION]
    with pytest.raises(vc.InputError) as err:
        chain.whatif(["kitchn"], add_handoffs=[("floor", "floor")])
    assert [p.code for p in err.value.problems] == [Code.BAD_SCENARIO, Code.BAD_SCENARIO]
    with pytest.raises(vc.InputError) as err:
        chain.rollup("headcount")
    assert [p.code for p in err.value.problems] == [Code.BAD_OPTION]
