"""Graph files: exported orgs read back exactly (GraphML, GEXF, node-link JSON); unsafe XML is refused."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

import valuechain as vc
from tests.conftest import DATA, REAL, SAMPLES
from valuechain.export import graph_bytes

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
        {"source": ["a", "a"], "target": ["c", "c"], "deliverable": [hostile, "two"], "Priority": ["high", "low"]}
    )
    parties = pd.DataFrame({"id": ["a", "c"], "kind": ["team", "external_customer"], "Location": [hostile, "Oslo"]})
    chain = vc.load(handoffs, parties=parties)
    for fmt in FORMATS:
        path = chain.export(tmp_path / f"org.{fmt}")
        back = vc.load(path)
        assert back.parties.set_index("id").loc["a", "Location"] == hostile
        assert back.handoffs["deliverable"].tolist() == [hostile, "two"]
        assert back.handoffs["Priority"].tolist() == ["high", "low"]
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
    with pytest.raises(ValueError, match="graphml, gexf or json"):
        graph_bytes(chain, "dot")
    with pytest.raises(ValueError, match=r"\.graphml, \.gexf or \.json"):
        chain.export("org.dot")


ODD = ["emoji 🚚📦", "rtl שלום عربي", "combining é", 'quote " and, comma', "two\nlines", "=SUM(1)", "  spaced  ",
       "tab\there", "<b>bold</b> & amp", "ünï©ødé ✓", "x" * 5000]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_odd_characters_come_back_exactly(fmt, tmp_path, write):
    rows = ["source,target,deliverable,Note"]
    parties = ["id,name,kind,Location"]
    for i, text in enumerate(ODD):
        quoted = '"' + text.replace('"', '""') + '"'
        rows.append(f"t{i},c,{quoted},{quoted}")
        parties.append(f"t{i},{quoted},team,{quoted}")
    parties.append("c,Customer,external_customer,")
    chain = vc.load(write("h.csv", "\n".join(rows) + "\n"), parties=write("p.csv", "\n".join(parties) + "\n"))
    back = vc.load(chain.export(tmp_path / f"org.{fmt}"))
    assert_same_org(back, chain)
    # extra columns are kept exactly as written; deliverables are trimmed of surrounding spaces, as ids are
    assert back.handoffs["Note"].tolist() == ODD
    assert back.handoffs["deliverable"].tolist() == [t.strip() for t in ODD]
    assert back.parties["Location"].tolist()[:-1] == ODD
