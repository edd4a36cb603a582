"""Graph files read exactly or refused with one clear message: nested graphs (yEd groups, GEXF nested nodes),
edges to undeclared nodes, hostile node-link JSON, GraphML and GEXF values (issue 14, points 6 and 12)."""

from __future__ import annotations

import io
import json
import time
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import valuechain as vc
from tests.data.bad import cases_graphs as corpus
from valuechain.cli import main as cli
from valuechain.io.graphs import read_graph


def problems_of(path) -> list[str]:
    with pytest.raises(vc.InputError) as err:
        vc.load(path)
    return [str(p) for p in err.value.problems]


def table(chain: vc.Chain, columns: str) -> list[tuple]:
    return [tuple(row) for row in chain.parties[columns.split(",")].itertuples(index=False, name=None)]


# ---------------------------------------------------------------------------------------------- nested graphs


def test_yed_groups_are_read_as_the_group_of_the_parties_inside(write):
    chain = vc.load(write("yed.graphml", corpus.YED_GROUPS))
    assert table(chain, "id,name,kind,group") == [
        ("n0::n0", "Cooks", "team", "Kitchen"),
        ("n0::n1::n0", "Bakers", "team", "Pastry"),  # the innermost group
        ("n1", "Floor staff", "team", None),
        ("n2", "Diners", "external_customer", None),
    ]  # the group nodes n0 and n0::n1 are no parties: no edge starts or ends at them
    assert chain.handoffs[["source", "target", "deliverable"]].values.tolist() == [
        ["n0::n1::n0", "n0::n0", "desserts"],  # yEd's edge label is the deliverable
        ["n0::n0", "n1", "dishes"],
        ["n1", "n2", "service"],
    ]
    assert chain.customers == ["n2"]
    assert chain.analyze().summary["orphans"] == 0


def yed(body: str) -> str:
    head = corpus.YED_GROUPS.split('<graph edgedefault="directed" id="G">')[0]
    return head + f'<graph edgedefault="directed">{body}</graph>'


CUSTOMER = '<node id="c"><data key="d3">external_customer</data></node>'


def test_a_group_that_hands_off_is_a_party_of_its_own(write):
    body = (
        '<node id="sales">' + corpus.yed_group("Sales") + '<graph edgedefault="directed">'
        '<node id="desk">' + corpus.yed_shape("Desk") + "</node></graph></node>" + CUSTOMER
        + corpus.yed_edge("e0", "desk", "sales") + corpus.yed_edge("e1", "sales", "c", "orders")
    )  # fmt: skip
    chain = vc.load(write("g.graphml", yed(body) + "</graphml>"))
    assert table(chain, "id,name,group") == [("sales", "Sales", None), ("desk", "Desk", "Sales"), ("c", "c", None)]


def test_a_group_attribute_of_the_node_wins_over_the_nesting(write):
    keys = '<key id="g" for="node" attr.name="group" attr.type="string"/>'
    body = (
        '<node id="box"><graph edgedefault="directed"><node id="a"><data key="g">Finance</data></node>'
        '<node id="b"/></graph></node><node id="c"><data key="k">external_customer</data></node>'
        '<edge source="a" target="c"/><edge source="b" target="c"/>'
    )
    chain = vc.load(write("g.graphml", corpus.graphml(body, keys)))
    assert table(chain, "id,group") == [("a", "Finance"), ("b", "box"), ("c", None)]  # no label: the group's id


def test_a_department_attribute_and_a_name_attribute_win_over_yeds_drawing(write):
    keys = (
        '<key id="dep" for="node" attr.name="Department" attr.type="string"/>'
        '<key id="nm" for="node" attr.name="name" attr.type="string"/>'
        '<key id="out" for="edge" attr.name="Output" attr.type="string"/>'
    )
    body = (
        '<node id="box">' + corpus.yed_group("Kitchen") + '<graph edgedefault="directed">'
        '<node id="a"><data key="dep">Finance</data><data key="nm">Accounts</data>' + corpus.yed_shape("Drawn")
        + '</node></graph></node>' + CUSTOMER
        + corpus.yed_edge("e0", "a", "c", "drawn label").replace("<data", '<data key="out">invoices</data><data', 1)
    )  # fmt: skip
    chain = vc.load(write("g.graphml", yed(body).replace("<graph ", keys + "<graph ", 1) + "</graphml>"))
    assert table(chain, "id,name,group") == [("a", "Accounts", "Finance"), ("c", "c", None)]
    assert "label" not in chain.parties.columns  # the drawn label is not read over the name attribute
    assert chain.handoffs[["deliverable", "label"]].values.tolist() == [["invoices", "drawn label"]]


def test_gexf_nested_nodes_and_pid_are_groups(write):
    for name in ("graphs-gexf-nested-nodes.gexf", "graphs-gexf-pid.gexf"):
        chain = vc.load(write(name, corpus.CASES[name][0]))
        assert ("cooks", "Cooks", "Kitchen") in table(chain, "id,name,group")
        assert "kitchen-dept" not in chain.parties["id"].tolist()


def test_a_gexf_pid_naming_no_node_is_an_error(write):
    assert problems_of(write("g.gexf", corpus.CASES["graphs-gexf-unknown-pid.gexf"][0]))[0].endswith(
        "node 'cooks' is inside node 'kitchn' (pid), which is not declared; did you mean 'kitchen'?"
    )


# ------------------------------------------------------------------------------------------ undeclared nodes


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("graphs-undeclared-node.graphml", "edge 'e7' has source 'kitchn', which is not a node of the graph; "
                                           "did you mean 'kitchen'?"),
        ("graphs-undeclared-node.gexf", "edge 'e7' has target 'diner', which is not a node of the graph; "
                                        "did you mean 'diners'?"),
        ("graphs-undeclared-node.json", "edge 1 of 'edges' (kitchn -> diners) has source 'kitchn', which is not a "
                                        "node of the graph; did you mean 'kitchen'?"),
    ],
)  # fmt: skip
def test_an_edge_to_an_undeclared_node_is_an_error_with_did_you_mean(name, expected, write):
    path = write(name, corpus.CASES[name][0])
    assert problems_of(path) == [f"{path}: {expected}"]  # NetworkX invented the node 'kitchn' silently


def test_an_edge_without_an_id_is_named_by_its_position_and_ends(write):
    body = '<node id="a"/><node id="b"/><edge source="a" target="b"/><edge source="b" target="zz"/>'
    [problem] = problems_of(write("g.graphml", corpus.graphml(body)))
    assert problem.endswith(
        "edge 2 (b -> zz) has target 'zz', which is not a node of the graph; declare the node, or correct the edge"
    )


# ---------------------------------------------------------------------------------------- hostile values


ERRORS = sorted(name for name, case in corpus.CASES.items() if case[2] == "error")


@pytest.mark.parametrize("name", ERRORS)
def test_each_hostile_shape_is_one_clear_message_naming_the_file(name, write):
    path = write(name, corpus.CASES[name][0])
    started = time.perf_counter()
    problems = problems_of(path)
    assert time.perf_counter() - started < 2
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}: ") and corpus.CASES[name][3] in problems[0]


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ('{"id": "kitchen", "cost": NaN}', "node 'kitchen', attribute 'cost', is NaN, which is not a number; "
                                           "write a finite number, or leave the attribute out"),
        ('{"id": "kitchen", "cost": Infinity}', "node 'kitchen', attribute 'cost', is an infinite number "
                                                "(Infinity, or 1e400); write a finite number"),
        ('{"id": "kitchen", "x": 1e400}', "node 'kitchen', attribute 'x', is an infinite number (Infinity, or 1e400)"),
        ('{"id": "kitchen", "x": -' + "9" * 400 + "}", "node 'kitchen', attribute 'x', is a number too large to use"),
        ('{"id": "kitchen", "x": {"deep": [1, NaN]}}', "node 'kitchen', attribute 'x', holds NaN, Infinity or a "
                                                       "number too large to use; write finite numbers"),
        ('{"id": 1.5}', "node 1 of 'nodes', its 'id', is 1.5; an id must be text or a whole number; write the id as "
                        "text, in quotes"),
        ('{"id": false}', "node 1 of 'nodes', its 'id', is false; an id must be text or a whole number"),
        ('{"name": "kitchen"}', "node 1 of 'nodes' has no 'id'; give every node an 'id'"),
        ('[1, 2]', "node 1 of 'nodes' is a list ([1, 2]), not an object"),
        ('{"id": ""}', "node 1 of 'nodes' has an empty id; give every node an id"),
    ],
)  # fmt: skip
def test_node_link_values_and_ids_are_checked_where_they_are(node, expected, write):
    text = '{"nodes": [' + node + ', {"id": "diners", "kind": "external_customer"}], "edges": []}'
    path = write("org.json", text)
    problems = problems_of(path)
    assert problems[0].startswith(f"{path}: {expected}"), problems


LONE = "which is no character; the file was written by a broken encoder"


@pytest.mark.parametrize(
    ("node", "edge", "expected"),
    [
        ('{"id": "a\\ud800"}', '{"source": "a\\ud800", "target": "diners"}',
         [f"node 'a\\ud800' (node 1 of 'nodes'), attribute 'id', holds a lone surrogate (\\ud800), {LONE}",
          f"edge 1 of 'edges' (a\\ud800 -> diners), attribute 'source', holds a lone surrogate (\\ud800), {LONE}"]),
        ('{"id": "a", "name": "x\\uDC00y"}', '{"source": "a", "target": "diners"}',
         [f"node 'a' (node 1 of 'nodes'), attribute 'name', holds a lone surrogate (\\udc00), {LONE}"]),
        ('{"id": "a", "note": [1, {"k": "\\ud83d"}], "n\\udfffte": 1}', '{"source": "a", "target": "diners"}',
         [f"node 'a' (node 1 of 'nodes'), attribute 'note' (at [2]['k'] inside it), holds a lone surrogate "
          f"(\\ud83d), {LONE}",
          f"node 'a' (node 1 of 'nodes'), attribute 'n\\udfffte', in its name, holds a lone surrogate (\\udfff), "
          f"{LONE}"]),
        ('{"id": "a"}', '{"source": "a", "target": "diners", "handoffs": [{"deliverable": "\\ude00\\ud83d"}]}',
         [f"edge 1 of 'edges' (a -> diners), hand-off 1, attribute 'deliverable', holds a lone surrogate "
          f"(\\ude00), {LONE}"]),
    ],
)  # fmt: skip
def test_a_lone_surrogate_is_refused_naming_the_node_and_attribute(node, edge, expected, write):
    path = write("org.json", corpus.raw_node_link(node, edge))
    problems = problems_of(path)
    assert [p.split("; write the character whole")[0] for p in problems] == [f"{path}: {e}" for e in expected]
    assert all(p.encode("utf-8") for p in problems)  # the messages themselves can be printed
    result = CliRunner().invoke(cli, ["analyze", str(path)])
    assert result.exit_code == 2 and "unexpected error" not in result.output, result.output
    assert "holds a lone surrogate" in result.output


def test_a_surrogate_pair_is_one_character_and_is_read(write):
    node = '{"id": "a\\ud83d\\ude00", "name": "\\uD83D\\uDE9A \\\\ud800"}'  # the last is a backslash and text
    chain = vc.load(write("org.json", corpus.raw_node_link(node, '{"source": "a\\ud83d\\ude00", "target": "diners"}')))
    assert table(chain, "id,name") == [("a\U0001f600", "\U0001f69a \\ud800"), ("diners", "diners")]
    assert chain.handoffs["source"].tolist() == ["a\U0001f600"]


REPEATED = "a JSON reader keeps only the last, the others would be lost"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (corpus.raw_node_link('{"id": "x", "id": "a"}', '{"source": "a", "target": "diners"}'),
         [f"node 1 of 'nodes' has the key 'id' twice (\"x\", then \"a\"); {REPEATED}; keep one 'id' in the object"]),
        ('{"nodes": [{"id": "x"}], "edges": [], "nodes": [{"id": "a"}, {"id": "diners", "kind": "external_customer"}],'
         ' "edges": [{"source": "a", "target": "diners"}]}',
         [f"the top level has the key 'nodes' twice (a list of 1, then a list of 2); {REPEATED}",
          f"the top level has the key 'edges' twice (a list of 0, then a list of 1); {REPEATED}"]),
        (corpus.raw_node_link('{"id": "a", "name": "A", "kind": "team", "name": "B", "name": 3}'),
         [f"node 'a' (node 1 of 'nodes') has the key 'name' 3 times (\"A\", then \"B\", then 3); {REPEATED}"]),
        (corpus.raw_node_link('{"id": "a", "note": [{"k": 1, "k": 2}]}',
                              '{"source": "a", "target": "diners", "handoffs": [{"row": 2}, {"row": 3, "row": 4}]}'),
         [f"node 'a' (node 1 of 'nodes'), attribute 'note' (at [1] inside it) has the key 'k' twice (1, then 2); "
          f"{REPEATED}",
          f"edge 1 of 'edges' (a -> diners), hand-off 2 has the key 'row' twice (3, then 4); {REPEATED}"]),
    ],
)  # fmt: skip
def test_a_key_repeated_in_a_json_object_is_refused_naming_the_key_and_where(text, expected, write):
    path = write("org.json", text)
    problems = problems_of(path)
    assert len(problems) == len(expected), problems
    for problem, words in zip(problems, expected, strict=True):
        assert problem.startswith(f"{path}: {words}"), problem


def test_a_key_repeated_in_hand_off_rows_written_in_graphml_is_refused(write):
    keys = '<key id="h" for="edge" attr.name="handoffs" attr.type="string"/>'
    rows = escape('[{"deliverable": "dishes", "row": 2, "deliverable": "plates"}, {"x": [{"k": 1, "k": 2}]}]')
    body = '<node id="kitchen"/>' + corpus.DINERS + f'<edge id="e1" source="kitchen" target="diners">' \
        f'<data key="h">{rows}</data></edge>'  # fmt: skip
    first, second = problems_of(write("g.graphml", corpus.graphml(body, keys)))
    assert first.endswith(
        "edge 'e1', hand-off 1 has the key 'deliverable' twice (\"dishes\", then \"plates\"); a JSON reader keeps "
        "only the last, the others would be lost; keep one 'deliverable' in the object: merge the values, or rename "
        "or remove the others"
    )
    assert "edge 'e1', hand-off 2, attribute 'x' (at [1] inside it) has the key 'k' twice (1, then 2)" in second


def test_a_file_written_with_valuechains_prefixed_names_keeps_the_users_columns(write):
    """valuechain writes its own attributes as valuechain:row and valuechain:customer, a user column whose name
    would clash with the prefix added once more (valuechain:label in GEXF is the column label)."""
    text = corpus.CASES["graphs-prefixed-names.json"][0].replace('"customer": "yes"', '"customer": "yes", "row": "3"')
    chain = vc.load(write("org.json", text.replace('"customer": "no"', '"row": "99"')))
    assert chain.customers == ["diners"]
    assert table(chain, "id,row,customer,label,valuechain:row") == [
        ("diners", "", "", "", ""),  # sorted by their row: 2, then 5
        ("kitchen", "3", "yes", "lab", "r"),
    ]
    assert chain.parties.index.tolist() == [2, 5]
    assert chain.handoffs[["deliverable", "row"]].values.tolist() == [["dishes", "99"]]
    assert chain.handoffs.index.tolist() == [2]


def test_a_file_without_prefixed_names_reads_row_and_customer_as_bookkeeping(write):
    """Files written before the prefix (and other tools' files): row is the table row, customer flags one."""
    nodes = [{"id": "kitchen", "row": 5, "customer": False}, {"id": "diners", "row": 2, "customer": True}]
    text = corpus.node_link(nodes, [{"source": "kitchen", "target": "diners", "handoffs": [{"row": 7}]}])
    chain = vc.load(write("old.json", text))
    assert chain.customers == ["diners"] and "row" not in chain.parties and "customer" not in chain.parties
    assert chain.parties.index.tolist() == [2, 5] and chain.handoffs.index.tolist() == [7]


def test_an_attribute_with_and_without_the_prefix_is_refused(write):
    [problem] = problems_of(write("o.json", corpus.CASES["graphs-prefixed-name-twice.json"][0]))
    assert problem.endswith(
        "node 'kitchen' has the attributes 'label' and 'valuechain:label', which are one column ('label') in a file "
        "valuechain wrote; keep one of them"
    )


def test_nesting_100000_deep_is_refused_quickly_with_where(write):
    path = write("deep.json", corpus.deep(100_000))
    started = time.perf_counter()
    [problem] = problems_of(path)
    assert time.perf_counter() - started < 2
    assert problem == (
        f"{path}: lists or objects are nested 100,003 levels deep, deeper than the JSON reader goes (level 901 "
        "starts at line 1, column 953); write attributes as plain values"
    )


def test_number_ids_are_read_as_their_digits_when_unambiguous(write):
    chain = vc.load(write("org.json", corpus.CASES["graphs-number-ids.json"][0]))
    assert chain.parties["id"].tolist() == ["1", "2"] and chain.customers == ["2"]
    edge_as_text = corpus.node_link([{"id": 1}, {"id": 2, "kind": "external_customer"}], [{"source": "1", "target": 2}])
    assert vc.load(write("org2.json", edge_as_text)).handoffs["source"].tolist() == ["1"]


def test_graphs_networkx_writes_read_back(write, tmp_path):
    g = nx.DiGraph()
    g.add_edges_from([(0, 1), (1, 2)])
    g.nodes[2]["kind"] = "external_customer"
    text = json.dumps(nx.node_link_data(g, edges="links"))
    assert vc.load(write("nx.json", text)).handoffs[["source", "target"]].values.tolist() == [["0", "1"], ["1", "2"]]
    nx.write_gexf(g, tmp_path / "nx.gexf")
    assert vc.load(tmp_path / "nx.gexf").customers == ["2"]


def test_a_multigraph_keeps_every_edge(write):
    edges = [{"source": "a", "target": "c", "key": 0, "deliverable": "x"}, {"source": "a", "target": "c", "key": 1}]
    text = json.dumps({"directed": True, "multigraph": True, "nodes": [{"id": "a"}, JSON_C], "edges": edges})
    chain = vc.load(write("m.json", text))
    assert chain.handoffs[["source", "target", "deliverable"]].values.tolist() == [["a", "c", "x"], ["a", "c", ""]]
    assert "key" not in chain.handoffs.columns


JSON_C = {"id": "c", "kind": "external_customer"}


def test_a_mutual_gexf_edge_is_two_handoffs(write):
    nodes = '<node id="a" label="a"/><node id="c" label="c"><attvalues><attvalue for="k" value="external_customer"/>'
    text = corpus.gexf(nodes + "</attvalues></node>", '<edge id="0" source="a" target="c" type="mutual" weight="2.5"/>')
    chain = vc.load(write("m.gexf", text))
    assert chain.handoffs[["source", "target", "weight"]].values.tolist() == [["a", "c", "2.5"], ["c", "a", "2.5"]]


def test_graphml_defaults_apply_and_typed_values_keep_their_text(write):
    keys = (
        '<key id="h" for="node" attr.name="headcount" attr.type="int"><default>3</default></key>'
        '<key id="e" for="edge" attr.name="essential" attr.type="boolean"><default>false</default></key>'
    )
    body = '<node id="a"><data key="h">007</data></node><node id="b"/>' + CUSTOMER.replace("d3", "k")
    body += '<edge source="a" target="c"/><edge source="b" target="c"><data key="e">TRUE</data></edge>'
    chain = vc.load(write("d.graphml", corpus.graphml(body, keys)))
    assert chain.parties["headcount"].tolist()[:2] == [7.0, 3.0]
    assert chain.handoffs["essential"].tolist() == [False, True]


def test_row_numbers_that_cannot_be_rows_are_renumbered(write):
    nodes = [{"id": "a", "row": float("nan")}, {"id": "c", "kind": "external_customer", "row": 1e300}]
    edges = [{"source": "a", "target": "c", "handoffs": [{"row": -4}, {"row": "x"}, {"row": 7}]}]
    text = json.dumps({"nodes": nodes, "edges": edges}).replace("NaN", '"NaN"')
    chain = vc.load(write("rows.json", text))
    assert chain.parties.index.tolist() == [2, 3] and chain.handoffs.index.tolist() == [7, 8, 9]


def test_repeated_data_and_undeclared_keys_are_named(write):
    keys = '<key id="n" for="node" attr.name="note" attr.type="string"/>'
    body = '<node id="a"><data key="n">x</data><data key="n">y</data></node>' + CUSTOMER.replace("d3", "k")
    assert problems_of(write("r.graphml", corpus.graphml(body, keys)))[0].endswith(
        "node 'a', attribute 'note', has two values; keep one"
    )


def test_several_graphs_in_one_file_are_refused(write):
    text = corpus.graphml("").replace("</graphml>", '<graph edgedefault="directed"/></graphml>')
    assert problems_of(write("two.graphml", text))[0].endswith(
        "the file holds 2 graphs; valuechain reads one graph; save one graph per file"
    )


def test_a_graph_inside_an_edge_is_refused(write):
    body = '<node id="a"/><node id="b"/><edge id="e1" source="a" target="b"><graph edgedefault="directed">'
    body += '<node id="hidden"/></graph></edge>'
    assert problems_of(write("e.graphml", corpus.graphml(body)))[0].endswith(
        "edge 'e1' holds a nested graph, which valuechain does not read; put the nodes in a group node"
    )


def test_read_graph_names_its_tables(write):
    handoffs, parties, customers = read_graph(write("y.graphml", corpus.YED_GROUPS))
    assert (handoffs.label, parties.label, customers) == ("y.graphml (edges)", "y.graphml (nodes)", None)


# -------------------------------------------------------------------------------------------------- fuzz

IDS = st.one_of(
    st.sampled_from(["a", "b", "c", "a ", "1", "", "kitchen", "a\ud800", "\U0001f600"]),
    st.integers(-3, 3),
    st.sampled_from([None, True, False, 1.5, [], {}, "@HUGE@"]),
)
NUMBERS = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["@HUGE@"]))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=6))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)
ATTRS = st.dictionaries(st.sampled_from(["kind", "cost", "headcount", "group", "note", "row", "customer", "deep"]),
                        st.one_of(VALUES, st.sampled_from(["external_customer", "@DEEP@"])), max_size=4)  # fmt: skip
NODE = st.one_of(st.builds(lambda i, a: {"id": i, **a}, IDS, ATTRS), ATTRS, VALUES)
EDGE_ROWS = st.lists(st.fixed_dictionaries({}, optional={"row": NUMBERS, "deliverable": SCALARS}), max_size=3)
EDGE = st.one_of(
    st.builds(lambda s, t, a: {"source": s, "target": t, **a}, IDS, IDS,
              st.dictionaries(st.sampled_from(["essential", "deliverable", "key", "weight"]), VALUES, max_size=2)),
    st.builds(lambda s, t, h: {"source": s, "target": t, "handoffs": h}, IDS, IDS, EDGE_ROWS),
    st.fixed_dictionaries({}, optional={"source": IDS, "target": IDS}),
    VALUES,
)  # fmt: skip
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loads_or_explains(name: str, content: str) -> None:
    """vc.load returns a chain that analyses, or raises InputError naming the file: nothing else."""
    upload = io.BytesIO(content.encode("utf-8"))
    upload.name = name
    try:
        chain = vc.load(upload)
    except vc.InputError as err:
        assert err.problems and all(p.message and name in p.file for p in err.problems)
        return
    chain.analyze()


@FUZZ
@given(
    st.lists(NODE, max_size=5),
    st.lists(EDGE, max_size=5),
    st.sampled_from(["edges", "links", "both", "none"]),
    st.sampled_from([True, False, None, "yes"]),
    st.booleans(),
)
def test_hostile_node_link_json_loads_or_explains(nodes, edges, key, directed, multigraph):
    document: dict = {"nodes": nodes, "multigraph": multigraph}
    if directed is not None:
        document["directed"] = directed
    if key in ("edges", "both"):
        document["edges"] = edges
    if key in ("links", "both"):
        document["links"] = edges
    text = json.dumps(document, allow_nan=True)
    text = text.replace('"@HUGE@"', "1" + "0" * 5000).replace('"@DEEP@"', "[" * 3000 + "]" * 3000)
    loads_or_explains("org.json", text)


XML_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)
XML_VALUES = st.one_of(XML_TEXT, st.sampled_from(["abc", "NaN", "1e400", "INF", "", " 12 ", "true", "1" + "0" * 400]))
XML_IDS = st.sampled_from(["a", "b", "c", "kitchen", "", "g"])
TYPES = st.sampled_from(["string", "int", "long", "double", "float", "boolean", "complex", None])


@st.composite
def graphml_documents(draw) -> str:
    keys = draw(st.lists(st.tuples(st.sampled_from(["kind", "cost", "note", "group", "label"]), TYPES,
                                   st.sampled_from(["node", "edge", "all"])), max_size=4))  # fmt: skip
    declared = "".join(
        f'<key id="d{i}" for="{domain}" attr.name="{name}"' + (f' attr.type="{kind}"' if kind else "") + "/>"
        for i, (name, kind, domain) in enumerate(keys)
    )

    def data() -> str:
        count = draw(st.integers(0, 2))
        chosen = [draw(st.integers(0, len(keys))) for _ in range(count)]  # len(keys): a key nobody declares
        return "".join(f'<data key="d{i}">{escape(draw(XML_VALUES))}</data>' for i in chosen)

    def nodes(depth: int) -> str:
        out = []
        for _ in range(draw(st.integers(0, 3))):
            inner = ""
            if depth < 3 and draw(st.booleans()):
                inner = f'<graph edgedefault="{draw(st.sampled_from(["directed", "undirected"]))}">{nodes(depth + 1)}'
                inner += edges() + "</graph>"
            out.append(f"<node id={quoteattr(draw(XML_IDS))}>{data()}{inner}</node>")
        return "".join(out)

    def edges() -> str:
        out = []
        for _ in range(draw(st.integers(0, 3))):
            ends = "".join(f" {end}={quoteattr(draw(XML_IDS))}" for end in ("source", "target") if draw(st.booleans()))
            directed = draw(st.sampled_from(["", ' directed="false"', ' directed="true"']))
            out.append(f"<edge{ends}{directed}>{data()}</edge>")
        return "".join(out)

    customer = '<node id="customer"><data key="dk">external_customer</data></node>' if draw(st.booleans()) else ""
    if customer:
        declared += '<key id="dk" for="node" attr.name="kind" attr.type="string"/>'
    return (
        f'<graphml xmlns="http://graphml.graphdrawing.org/xmlns">{declared}<graph edgedefault="directed">'
        f"{nodes(0)}{customer}{edges()}</graph></graphml>"
    )


@FUZZ
@given(graphml_documents())
def test_hostile_graphml_loads_or_explains(document):
    loads_or_explains("org.graphml", document)
