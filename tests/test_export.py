"""Graph files: exported orgs read back exactly (GraphML, GEXF, node-link JSON); unsafe XML is refused."""

from __future__ import annotations

import io
import json
import re

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

import valuechain as vc
from tests.conftest import DATA, REAL, SAMPLES
from valuechain.cli import main as cli
from valuechain.export import graph_bytes
from valuechain.report import write
from valuechain.report.safe import neutral, neutral_frame

REAL_CASES = sorted(p.parent for p in REAL.rglob("expected.json")) if REAL.exists() else []
FORMATS = ["graphml", "gexf", "json"]


def load(folder) -> vc.Chain:
    return vc.load(folder / "handoffs.csv", parties=folder / "parties.csv")


def assert_same_org(back: vc.Chain, chain: vc.Chain) -> None:
    pd.testing.assert_frame_equal(back.handoffs, chain.handoffs, check_dtype=False)
    pd.testing.assert_frame_equal(back.parties, chain.parties, check_dtype=False)
    assert back.customers == chain.customers
    assert back.analyze().to_dict() == chain.analyze().to_dict()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", SAMPLES)
def test_samples_round_trip(name, fmt, tmp_path):
    chain = load(DATA / name)
    assert_same_org(vc.load(chain.export(tmp_path / f"org.{fmt}")), chain)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", REAL_CASES, ids=[c.name for c in REAL_CASES])
def test_real_graphs_round_trip(case, fmt, tmp_path):
    chain = load(case)
    assert_same_org(vc.load(chain.export(tmp_path / f"org.{fmt}")), chain)


def test_every_attribute_is_kept_and_strings_are_exact(tmp_path):
    hostile = '=HYPERLINK("http://x") </script> & ünïcode'
    handoffs = pd.DataFrame(
        {"source": ["a", "a"], "target": ["c", "c"], "deliverable": [hostile, "two"], "Priority": ["high", "low"],
         "row": ["99", "x"], "customer": ["yes", ""], "label": [hostile, "L"]}
    )  # fmt: skip
    parties = pd.DataFrame(
        {"id": ["a", "c"], "name": ["A", "C"], "kind": ["team", "external_customer"], "Location": [hostile, "Oslo"],
         "customer": ["true", "no"], "row": ["3", "1"], "label": ["lab", hostile]}
    )  # fmt: skip
    chain = vc.load(handoffs, parties=parties)
    for fmt in FORMATS:
        path = chain.export(tmp_path / f"org.{fmt}")
        back = vc.load(path)
        assert_same_org(back, chain)
        assert back.parties.set_index("id").loc["a", "Location"] == hostile
        assert back.handoffs["deliverable"].tolist() == [hostile, "two"]
        assert back.handoffs["Priority"].tolist() == ["high", "low"]
        assert back.parties[["customer", "row", "label"]].values.tolist() == [
            ["true", "3", "lab"],
            ["no", "1", hostile],
        ]
        assert back.handoffs[["row", "customer", "label"]].values.tolist() == [["99", "yes", hostile], ["x", "", "L"]]
    graph = nx.read_graphml(tmp_path / "org.graphml")
    assert json.loads(graph.edges["a", "c"]["deliverables"]) == [hostile, "two"]  # lists as JSON text


def test_a_graph_from_another_tool_reads_as_one_hand_off_per_edge(tmp_path):
    g = nx.DiGraph()
    g.add_node("shop", kind="external_customer")
    g.add_edge("bakery", "shop", deliverable="bread", weight=3)
    g.add_edge("mill", "bakery", deliverable="flour", essential=False)
    nx.write_graphml(g, tmp_path / "other.graphml")
    chain = vc.load(tmp_path / "other.graphml")
    assert chain.customers == ["shop"]
    assert chain.handoffs[["source", "target", "deliverable", "weight"]].values.tolist() == [
        ["bakery", "shop", "bread", "3"],
        ["mill", "bakery", "flour", ""],
    ]
    assert chain.analyze().orphans["id"].tolist() == ["mill"]  # its only hand-off is not essential


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="&lol9;"/></graph></graphml>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="&secret;"/></graph></graphml>"""


@pytest.mark.parametrize("text", [BOMB, EXTERNAL], ids=["entity-expansion-bomb", "external-entity"])
@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
def test_unsafe_xml_is_refused_before_parsing(text, suffix, write):
    with pytest.raises(vc.InputError) as err:
        vc.load(write(f"org.{suffix}", text))
    [problem] = err.value.problems
    assert "declares entities" in problem.message and problem.file.endswith(f"org.{suffix}")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("org.json", "{not json", "not valid JSON"),
        ("org.json", '{"graph": {}}', "no 'nodes'"),
        ("org.graphml", "<graphml><graph", "not well-formed XML"),
        ("org.graphml", '<graphml><graph edgedefault="undirected"><node id="a"/></graph></graphml>', "undirected"),
    ],
)
def test_broken_graph_files_say_what_is_wrong(name, content, words, write):
    with pytest.raises(vc.InputError) as err:
        vc.load(write(name, content))
    assert words in err.value.problems[0].message


def test_graph_bytes_formats():
    chain = load(DATA / "restaurant")
    assert graph_bytes(chain, "gexf").startswith(b"<?xml")
    assert json.loads(graph_bytes(chain, "json"))["directed"] is True
    with pytest.raises(vc.OutputError, match="graphml, gexf or json"):
        graph_bytes(chain, "dot")
    with pytest.raises(vc.OutputError, match=r"\.graphml, \.gexf or \.json"):
        chain.export("org.dot")


ODD = ["emoji 🚚📦", "rtl שלום عربي", "combining é", 'quote " and, comma', "two\nlines", "=SUM(1)", "  spaced  ",
       "tab\there", "<b>bold</b> & amp", "ünï©ødé ✓", "x" * 5000]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_odd_characters_come_back_exactly(fmt, tmp_path, write):
    rows = ["source,target,deliverable,Note,row,label"]
    parties = ["id,name,kind,Location,customer,row,label"]
    for i, text in enumerate(ODD):
        quoted = '"' + text.replace('"', '""') + '"'
        rows.append(f"t{i},c,{quoted},{quoted},{quoted},{quoted}")
        parties.append(f"t{i},{quoted},team,{quoted},{quoted},{quoted},{quoted}")
    parties.append("c,Customer,external_customer,,,,")
    chain = vc.load(write("h.csv", "\n".join(rows) + "\n"), parties=write("p.csv", "\n".join(parties) + "\n"))
    back = vc.load(chain.export(tmp_path / f"org.{fmt}"))
    assert_same_org(back, chain)
    # extra columns are kept exactly as written; deliverables are trimmed of surrounding spaces, as ids are
    assert back.handoffs["Note"].tolist() == ODD
    assert back.handoffs["deliverable"].tolist() == [t.strip() for t in ODD]
    assert back.parties["Location"].tolist()[:-1] == ODD
    for column in ("customer", "row", "label"):
        assert back.parties[column].tolist()[:-1] == ODD
    assert back.handoffs["row"].tolist() == back.handoffs["label"].tolist() == ODD


# columns named as valuechain's own bookkeeping (row, customer), as GEXF's node XML (label, pid, start...), or
# with valuechain's prefix
PARTIES_LIKE_BOOKKEEPING = "id,kind,customer,row,label\na,team,true,3,lab\nc,external_customer,no,1,Customers\n"
PARTIES_LIKE_GEXF = (
    "id,name,kind,customer,row,label,pid,start,end,key,viz,valuechain:row,valuechain:customer,valuechain:x\n"
    "a,A,team,true,3,lab,c,2020,2021,k,v,r,yes,x\nb,B,team,,,,,,,,,,,\nc,C,external_customer,no,1,L,a,s,e,k2,v2,r2,no,y\n"
)
HANDOFFS_LIKE_BOOKKEEPING = (
    "source,target,deliverable,row,customer,label,id,weight,valuechain:row\n"
    "a,c,dishes,99,yes,L,e1,2,r\nb,a,,1,,,,,\na,c,plates,,,,,,\n"
)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("parties", "handoffs"),
    [
        (PARTIES_LIKE_BOOKKEEPING, HANDOFFS_LIKE_BOOKKEEPING.replace("b,a,,1,,,,,\n", "")),
        (PARTIES_LIKE_GEXF, HANDOFFS_LIKE_BOOKKEEPING),
    ],
    ids=["bookkeeping", "gexf"],
)
def test_columns_named_like_valuechains_own_attributes_round_trip(parties, handoffs, fmt, tmp_path, write):
    chain = vc.load(write("h.csv", handoffs), parties=write("p.csv", parties))
    assert chain.parties.loc[2, ["customer", "row"]].tolist() == ["true", "3"]  # as given
    assert chain.handoffs.loc[2, "row"] == "99"
    back = vc.load(chain.export(tmp_path / f"org.{fmt}"))
    assert_same_org(back, chain)
    assert back.handoffs.index.tolist() == chain.handoffs.index.tolist()
    # the command line too
    args = [str(tmp_path / "h.csv"), "-p", str(tmp_path / "p.csv"), "-o", str(tmp_path / f"rt.{fmt}")]
    assert CliRunner().invoke(cli, ["export", *args]).exit_code == 0
    assert_same_org(vc.load(tmp_path / f"rt.{fmt}"), chain)


def previous_version_bytes(chain: vc.Chain, fmt: str) -> bytes:
    """The file valuechain wrote before its own attributes had the ``valuechain:`` prefix (chain.graph, whose
    nodes carry ``customer`` and ``row``, and whose hand-off rows ``row``, written by NetworkX)."""
    from valuechain.export import plain

    if fmt == "json":
        return json.dumps(nx.node_link_data(chain.graph, edges="edges"), ensure_ascii=False, default=str).encode()
    buffer = io.BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(plain(chain.graph), buffer, encoding="utf-8")
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", SAMPLES)
def test_files_written_by_the_previous_version_still_read_as_the_org(name, fmt, tmp_path):
    chain = load(DATA / name)
    path = tmp_path / f"old.{fmt}"
    path.write_bytes(previous_version_bytes(chain, fmt))
    assert b"valuechain:" not in path.read_bytes() and b'"row"' in path.read_bytes()
    assert_same_org(vc.load(path), chain)


def blanks_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty cells all alike (a blank cell reads back as NaN or None depending on the column's type)."""
    return frame.astype(object).where(frame.notna(), None)


def assert_workbook_holds_org(back: vc.Chain, chain: vc.Chain) -> None:
    """The findings workbook's Parties and Hand-offs sheets read back as the org: every row, every column
    given, every value (text that would be a formula with its leading apostrophe, as written)."""
    for table in ("handoffs", "parties"):
        given, read = getattr(chain, table), getattr(back, table)
        expected = neutral_frame(given).reset_index(drop=True)
        expected.columns = list(given.columns)
        read = read[list(given.columns)].reset_index(drop=True)
        pd.testing.assert_frame_equal(blanks_as_none(read), blanks_as_none(expected), check_dtype=False)
    assert back.customers == [neutral(c) for c in chain.customers]


@pytest.mark.parametrize("case", [DATA / s for s in SAMPLES] + REAL_CASES, ids=lambda p: p.name)
def test_the_findings_workbook_holds_the_whole_org(case, tmp_path):
    chain = load(case)
    path = write(chain, tmp_path / "findings.xlsx")
    back = vc.load(path, parties=path)
    assert_workbook_holds_org(back, chain)
    assert back.analyze().to_dict() == chain.analyze().to_dict()


def test_the_findings_workbook_keeps_odd_characters(tmp_path):
    odd = ["naïve café", "שלום", "e\u0301", "emoji 🚚", 'quote " and ,comma', "line\nbreak", "x" * 5000]
    handoffs = pd.DataFrame({"source": ["a"] * len(odd), "target": ["c"] * len(odd), "deliverable": odd})
    parties = pd.DataFrame({"id": ["a", "c"], "kind": ["team", "external_customer"], "note": [odd[1], odd[3]]})
    chain = vc.load(handoffs, parties=parties)
    path = write(chain, tmp_path / "findings.xlsx")
    assert_workbook_holds_org(vc.load(path, parties=path), chain)


def control_character_chain() -> vc.Chain:
    handoffs = pd.DataFrame({"source": ["kitchen"], "target": ["diners"], "deliverable": ["dishes\x07ding"]})
    parties = pd.DataFrame(
        {"id": ["kitchen", "diners"], "kind": ["team", "external_customer"], "note": ["esc\x1b[31m", ""]}
    )
    return vc.load(handoffs, parties=parties)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_refuse_control_characters_and_say_where(fmt, tmp_path):
    chain = control_character_chain()
    message = f"{fmt.upper()} is XML, which cannot hold U+001B (ESCAPE), found in party 'kitchen', attribute 'note'"
    with pytest.raises(vc.OutputError, match=re.escape(message)):
        chain.export(tmp_path / f"org.{fmt}")
    assert not (tmp_path / f"org.{fmt}").exists()  # no half-written file that no tool can open
    restaurant = [str(DATA / "restaurant" / "handoffs.csv"), "-p", str(DATA / "restaurant" / "parties.csv")]
    result = CliRunner().invoke(cli, ["export", *restaurant, "-o", str(tmp_path / f"x.{fmt}")])
    assert result.exit_code == 0, result.output  # an ordinary org still exports


def test_the_command_line_says_why_it_cannot_write_xml(tmp_path, write):
    handoffs = write("h.csv", "source,target,deliverable\nkitchen,diners,dishes\x07ding\n")
    parties = write("p.csv", "id,name,kind\nkitchen,Kit\x0bchen,team\ndiners,Diners,external_customer\n")
    result = CliRunner().invoke(cli, ["export", str(handoffs), "-p", str(parties), "-o", str(tmp_path / "o.gexf")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "U+000B (VERTICAL TAB), found in party 'kitchen', attribute 'name'" in result.output
    assert "export as .json" in result.output
    result = CliRunner().invoke(cli, ["export", str(handoffs), "-p", str(parties), "-o", str(tmp_path / "o.json")])
    assert result.exit_code == 0
    back = vc.load(tmp_path / "o.json")
    assert back.parties.set_index("id").loc["kitchen", "name"] == "Kit\x0bchen"  # JSON keeps every character
    assert back.handoffs["deliverable"].tolist() == ["dishes\x07ding"]
