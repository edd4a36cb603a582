"""Corpus cases for graph files (GraphML, GEXF, node-link JSON): nested graphs, undeclared nodes, hostile values.

Written with ``python tests/data/bad/make_corpus.py graphs``; each case is checked by tests/test_corpus.py
through the library, the command line and the dashboard. The 100,000-deep node-link file is in
tests/test_graph_files.py (not a large case here: test_corpus.py exports every large case, as if analysable).
"""

from __future__ import annotations

import json

YED_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml" '
    'xmlns:yed="http://www.yworks.com/xml/yed/3">\n'
    "  <!--Created by yEd 3.23.2-->\n"
    '  <key attr.name="Description" attr.type="string" for="graph" id="d0"/>\n'
    '  <key for="port" id="d1" yfiles.type="portgraphics"/>\n'
    '  <key attr.name="kind" attr.type="string" for="node" id="d3"><default>team</default></key>\n'
    '  <key attr.name="url" attr.type="string" for="node" id="d4"/>\n'
    '  <key attr.name="description" attr.type="string" for="node" id="d5"/>\n'
    '  <key for="node" id="d6" yfiles.type="nodegraphics"/>\n'
    '  <key for="graphml" id="d7" yfiles.type="resources"/>\n'
    '  <key for="edge" id="d10" yfiles.type="edgegraphics"/>\n'
)


def yed_shape(label: str) -> str:
    """yEd's drawing of an ordinary node (a ShapeNode with a label)."""
    return (
        '<data key="d6"><y:ShapeNode><y:Geometry height="30.0" width="80.0" x="0.0" y="0.0"/>'
        '<y:Fill color="#FFCC00" transparent="false"/><y:BorderStyle color="#000000" type="line" width="1.0"/>'
        f'<y:NodeLabel alignment="center" autoSizePolicy="content" modelName="custom">{label}<y:LabelModel>'
        '<y:SmartNodeLabelModel distance="4.0"/></y:LabelModel></y:NodeLabel><y:Shape type="rectangle"/>'
        "</y:ShapeNode></data>"
    )


def yed_group(label: str) -> str:
    """yEd's drawing of a group node: two realizers (open, closed), the open one on show."""
    return (
        '<data key="d6"><y:ProxyAutoBoundsNode><y:Realizers active="0">'
        '<y:GroupNode><y:Geometry height="200.0" width="300.0" x="0.0" y="0.0"/>'
        f'<y:NodeLabel alignment="right" modelName="internal" modelPosition="t">{label}</y:NodeLabel>'
        '<y:Shape type="roundrectangle"/><y:State closed="false"/></y:GroupNode>'
        '<y:GroupNode><y:NodeLabel modelName="internal">Folder 1</y:NodeLabel><y:State closed="true"/></y:GroupNode>'
        "</y:Realizers></y:ProxyAutoBoundsNode></data>"
    )


def yed_edge(edge_id: str, source: str, target: str, label: str = "") -> str:
    text = f'<y:EdgeLabel alignment="center" modelName="centered">{label}</y:EdgeLabel>' if label else ""
    return (
        f'<edge id="{edge_id}" source="{source}" target="{target}"><data key="d10"><y:PolyLineEdge>'
        f'<y:Path sx="0.0" sy="0.0" tx="0.0" ty="0.0"/><y:Arrows source="none" target="standard"/>{text}'
        "</y:PolyLineEdge></data></edge>"
    )


#: A restaurant drawn in yEd: the kitchen department is a group (with a group inside it), the floor staff
#: stand alone, the diners are the customer; edge labels say what is handed over.
YED_GROUPS = (
    YED_HEAD
    + '  <graph edgedefault="directed" id="G">\n    <data key="d0" xml:space="preserve"/>\n'
    + '    <node id="n0" yfiles.foldertype="group">'
    + yed_group("Kitchen")
    + '<graph edgedefault="directed" id="n0:">'
    + '<node id="n0::n0">'
    + yed_shape("Cooks")
    + "</node>"
    + '<node id="n0::n1" yfiles.foldertype="group">'
    + yed_group("Pastry")
    + '<graph edgedefault="directed" id="n0::n1:"><node id="n0::n1::n0">'
    + yed_shape("Bakers")
    + "</node></graph></node>"
    + "</graph></node>\n"
    + '    <node id="n1">'
    + yed_shape("Floor staff")
    + "</node>\n"
    + '    <node id="n2"><data key="d3">external_customer</data>'
    + yed_shape("Diners")
    + "</node>\n"
    + yed_edge("e0", "n0::n1::n0", "n0::n0", "desserts")
    + yed_edge("e1", "n0::n0", "n1", "dishes")
    + yed_edge("e2", "n1", "n2", "service")
    + "\n  </graph>\n"
    + '  <data key="d7"><y:Resources/></data>\n</graphml>\n'
)


def graphml(body: str, keys: str = "") -> str:
    """A GraphML document around ``body`` (a node key ``kind`` declared as k)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
        f'<key id="k" for="node" attr.name="kind" attr.type="string"/>{keys}\n'
        f'<graph edgedefault="directed">\n{body}\n</graph>\n</graphml>\n'
    )


def gexf(nodes: str, edges: str, attributes: str = "") -> str:
    """A GEXF document (node attribute ``kind`` declared with id k)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'
        '<graph defaultedgetype="directed">\n<attributes class="node"><attribute id="k" title="kind" type="string"/>'
        f"</attributes>{attributes}\n<nodes>{nodes}</nodes>\n<edges>{edges}</edges>\n</graph>\n</gexf>\n"
    )


def node_link(nodes: object, edges: object, key: str = "edges") -> str:
    return json.dumps({"directed": True, "multigraph": False, "graph": {}, "nodes": nodes, key: edges}, indent=1)


DINERS = '<node id="diners"><data key="k">external_customer</data></node>'
GEXF_DINERS = (
    '<node id="diners" label="Diners"><attvalues><attvalue for="k" value="external_customer"/></attvalues></node>'
)
JSON_DINERS = {"id": "diners", "kind": "external_customer"}


def raw_node_link(node_a: str, edge: str = '{"source": "kitchen", "target": "diners"}') -> str:
    """Node-link JSON with a first node written as raw text (for what json.dumps cannot write)."""
    return (
        '{"directed": true, "nodes": [' + node_a + ', {"id": "diners", "kind": "external_customer"}],\n'
        '"edges": [' + edge + "]}\n"
    )


def deep(levels: int) -> str:
    """A node whose attribute is a list nested ``levels`` deep."""
    return raw_node_link('{"id": "kitchen", "note": ' + "[" * levels + "]" * levels + "}")


# name: (file content, parties, expect, message fragment)
CASES: dict[str, tuple[str, None, str, str]] = {
    # nested graphs: groups
    "graphs-yed-groups.graphml": (YED_GROUPS, None, "ok", ""),
    "graphs-gexf-nested-nodes.gexf": (
        gexf('<node id="kitchen-dept" label="Kitchen"><nodes><node id="cooks" label="Cooks"/>'
             '<node id="bakers" label="Bakers"/></nodes></node>' + GEXF_DINERS,
             '<edge id="0" source="bakers" target="cooks"/><edge id="1" source="cooks" target="diners"/>'),
        None, "ok", "",
    ),
    "graphs-gexf-pid.gexf": (
        gexf('<node id="kitchen-dept" label="Kitchen"/><node id="cooks" label="Cooks" pid="kitchen-dept"/>'
             + GEXF_DINERS, '<edge id="0" source="cooks" target="diners"/>'),
        None, "ok", "",
    ),
    "graphs-gexf-unknown-pid.gexf": (
        gexf('<node id="kitchen" label="Kitchen"/><node id="cooks" pid="kitchn"/>' + GEXF_DINERS,
             '<edge id="0" source="cooks" target="diners"/>'),
        None, "error", "did you mean 'kitchen'",
    ),
    # edges to undeclared nodes
    "graphs-undeclared-node.graphml": (
        graphml('<node id="kitchen"/>' + DINERS + '<edge id="e7" source="kitchn" target="diners"/>'),
        None, "error", "edge 'e7' has source 'kitchn', which is not a node of the graph",
    ),
    "graphs-undeclared-node.gexf": (
        gexf('<node id="kitchen" label="Kitchen"/>' + GEXF_DINERS, '<edge id="e7" source="kitchen" target="diner"/>'),
        None, "error", "edge 'e7' has target 'diner', which is not a node of the graph",
    ),
    "graphs-undeclared-node.json": (
        node_link([{"id": "kitchen"}, JSON_DINERS], [{"source": "kitchn", "target": "diners"}]),
        None, "error", "edge 1 of 'edges' (kitchn -> diners) has source 'kitchn'",
    ),
    "graphs-duplicate-node.graphml": (
        graphml('<node id="kitchen"/><node id="kitchen"/>' + DINERS + '<edge source="kitchen" target="diners"/>'),
        None, "error", "the node id 'kitchen' is used twice (node 1 in file order and node 2 in file order)",
    ),
    # hostile node-link JSON
    "graphs-nan.json": (raw_node_link('{"id": "kitchen", "cost": NaN}'), None, "error",
                        "node 'kitchen', attribute 'cost', is NaN"),
    "graphs-infinity.json": (raw_node_link('{"id": "kitchen", "headcount": -Infinity}'), None, "error",
                             "node 'kitchen', attribute 'headcount', is an infinite number"),
    "graphs-1e400.json": (raw_node_link('{"id": "kitchen", "cost": 1e400}'), None, "error",
                          "node 'kitchen', attribute 'cost', is an infinite number"),
    "graphs-huge-integer.json": (raw_node_link('{"id": "kitchen", "cost": 1' + "0" * 5000 + "}"), None, "error",
                                 "node 'kitchen', attribute 'cost', is a number too large to use"),
    "graphs-huge-integer-id.json": (raw_node_link('{"id": 1' + "0" * 5000 + "}"), None, "error",
                                    "node 1 of 'nodes', its 'id', is a number too large to use"),
    "graphs-nan-in-handoff-row.json": (
        raw_node_link('{"id": "kitchen"}', '{"source": "kitchen", "target": "diners", "handoffs": '
                      '[{"deliverable": "dishes", "row": 2, "weight": [1, NaN]}]}'),
        None, "error", "hand-off 1, attribute 'weight', holds NaN",
    ),
    "graphs-null-id.json": (raw_node_link('{"id": null}'), None, "error", "node 1 of 'nodes', its 'id', is null"),
    "graphs-bool-id.json": (raw_node_link('{"id": true}'), None, "error", "node 1 of 'nodes', its 'id', is true"),
    "graphs-list-id.json": (raw_node_link('{"id": ["kitchen"]}'), None, "error", "its 'id', is [\"kitchen\"]"),
    "graphs-object-id.json": (raw_node_link('{"id": {"name": "kitchen"}}'), None, "error", "an id must be text"),
    "graphs-null-source.json": (raw_node_link('{"id": "kitchen"}', '{"source": null, "target": "diners"}'), None,
                                "error", "edge 1 of 'edges', its 'source', is null"),
    "graphs-number-ids.json": (
        node_link([{"id": 1}, {"id": 2, "kind": "external_customer"}], [{"source": 1, "target": 2}]), None, "ok", ""
    ),
    "graphs-number-and-text-ids.json": (
        node_link([{"id": 1}, {"id": "1"}, JSON_DINERS], [{"source": 1, "target": "diners"}]),
        None, "error", "node 1 of 'nodes' has the number 1 as its id and node 2 of 'nodes' the text '1'",
    ),
    "graphs-nodes-as-strings.json": (node_link(["kitchen", JSON_DINERS], []), None, "error",
                                     "node 1 of 'nodes' is text (\"kitchen\"), not an object"),
    "graphs-links.json": (node_link([{"id": "kitchen"}, JSON_DINERS], [{"source": "kitchen", "target": "diners"}],
                                    key="links"), None, "ok", ""),
    "graphs-edges-and-links.json": (
        json.dumps({"nodes": [{"id": "kitchen"}, JSON_DINERS], "edges": [], "links": []}),
        None, "error", "both 'edges' and 'links'",
    ),
    "graphs-missing-target.json": (node_link([{"id": "kitchen"}, JSON_DINERS], [{"source": "kitchen"}]), None,
                                   "error", "edge 1 of 'edges' has no 'target'"),
    "graphs-deep-nesting.json": (deep(5_000), None, "error", "nested 5,003 levels deep"),
    # lone surrogates: a JSON escape of half a UTF-16 pair is no character (a pair is one, an emoji)
    "graphs-lone-surrogate-id.json": (
        raw_node_link('{"id": "kitchen"}, {"id": "cook\\ud800"}'), None, "error",
        "node 'cook\\ud800' (node 2 of 'nodes'), attribute 'id', holds a lone surrogate (\\ud800), which is no "
        "character",
    ),
    "graphs-lone-surrogate-name.json": (
        raw_node_link('{"id": "kitchen", "name": "Kitchen \\udc00"}'), None, "error",
        "node 'kitchen' (node 1 of 'nodes'), attribute 'name', holds a lone surrogate (\\udc00)",
    ),
    "graphs-lone-surrogate-in-handoff-row.json": (
        raw_node_link('{"id": "kitchen"}', '{"source": "kitchen", "target": "diners", "handoffs": '
                      '[{"deliverable": "dishes \\ude00\\ud83d", "row": 2}]}'),
        None, "error", "hand-off 1, attribute 'deliverable', holds a lone surrogate (\\ude00)",
    ),
    "graphs-surrogate-pair.json": (
        raw_node_link('{"id": "kitchen \\ud83d\\ude00", "name": "\\uD83D\\uDE9A"}',
                      '{"source": "kitchen \\ud83d\\ude00", "target": "diners"}'),
        None, "ok", "",
    ),
    # a key repeated in an object: JSON readers keep its last value, dropping a node or the whole list
    "graphs-repeated-id.json": (
        raw_node_link('{"id": "x", "id": "kitchen"}'), None, "error",
        "node 1 of 'nodes' has the key 'id' twice (\"x\", then \"kitchen\")",
    ),
    "graphs-repeated-nodes.json": (
        '{"directed": true, "nodes": [{"id": "cooks"}], "nodes": [{"id": "kitchen"}, ' + json.dumps(JSON_DINERS)
        + '], "edges": [{"source": "kitchen", "target": "diners"}]}',
        None, "error", "the top level has the key 'nodes' twice (a list of 1, then a list of 2)",
    ),
    "graphs-repeated-row-key.json": (
        raw_node_link('{"id": "kitchen"}', '{"source": "kitchen", "target": "diners", "handoffs": '
                      '[{"deliverable": "dishes", "deliverable": "plates", "row": 2}]}'),
        None, "error", "edge 1 of 'edges' (kitchen -> diners), hand-off 1 has the key 'deliverable' twice",
    ),
    # columns named as valuechain's own attributes (customer), GEXF's node XML (label, pid, start) or with its
    # prefix: read, and (as every analysable case) exported and read back as the same org (a column 'row' is in
    # tests/test_export.py: the Excel and CSV reports cannot take one yet)
    "graphs-columns-like-bookkeeping.csv": (
        "source,target,deliverable,customer,label,valuechain:row\nkitchen,diners,dishes,yes,L,r\n",
        "id,name,kind,customer,label,pid,start,key,valuechain:row,valuechain:customer\n"
        "kitchen,Kitchen,team,true,lab,diners,2020,k,r,yes\ndiners,Diners,external_customer,no,,,,,,\n",
        "ok", "",
    ),
    "graphs-prefixed-names.json": (
        node_link([{"id": "kitchen", "name": "Kitchen", "customer": "yes", "valuechain:label": "lab",
                    "valuechain:valuechain:row": "r", "valuechain:row": 5, "valuechain:customer": False},
                   {**JSON_DINERS, "valuechain:row": 2, "valuechain:customer": True}],
                  [{"source": "kitchen", "target": "diners",
                    "handoffs": [{"deliverable": "dishes", "customer": "no", "valuechain:row": 2}]}]),
        None, "ok", "",
    ),
    "graphs-prefixed-name-twice.json": (
        node_link([{"id": "kitchen", "label": "a", "valuechain:label": "b", "valuechain:row": 3}, JSON_DINERS],
                  [{"source": "kitchen", "target": "diners"}]),
        None, "error", "node 'kitchen' has the attributes 'label' and 'valuechain:label', which are one column",
    ),
    # typed values in XML
    "graphs-int-not-int.graphml": (
        graphml('<node id="kitchen"><data key="h">abc</data></node>' + DINERS
                + '<edge source="kitchen" target="diners"/>',
                '<key id="h" for="node" attr.name="headcount" attr.type="int"/>'),
        None, "error", "node 'kitchen', attribute 'headcount', is 'abc', which is not a whole number",
    ),
    "graphs-nan.graphml": (
        graphml('<node id="kitchen"><data key="c">NaN</data></node>' + DINERS
                + '<edge source="kitchen" target="diners"/>',
                '<key id="c" for="node" attr.name="cost" attr.type="double"/>'),
        None, "error", "node 'kitchen', attribute 'cost', is 'NaN', which is not a finite number",
    ),
    "graphs-huge-integer.graphml": (
        graphml('<node id="kitchen"><data key="c">1' + "0" * 5000 + "</data></node>" + DINERS
                + '<edge source="kitchen" target="diners"/>',
                '<key id="c" for="node" attr.name="cost" attr.type="long"/>'),
        None, "error", "a number too large to use",
    ),
    "graphs-undeclared-key.graphml": (
        graphml('<node id="kitchen"><data key="zz">1</data></node>' + DINERS
                + '<edge source="kitchen" target="diners"/>'),
        None, "error", "node 'kitchen' has a value for the key 'zz', which no <key> declares",
    ),
    "graphs-hyperedge.graphml": (
        graphml('<node id="kitchen"/>' + DINERS + '<hyperedge><endpoint node="kitchen"/><endpoint node="diners"/>'
                "</hyperedge>"),
        None, "error", "hyperedge",
    ),
    "graphs-undirected-edge.graphml": (
        graphml('<node id="kitchen"/>' + DINERS + '<edge id="e1" source="kitchen" target="diners" directed="false"/>'),
        None, "error", "edge 'e1' is undirected",
    ),
    "graphs-bad-attribute-type.gexf": (
        gexf('<node id="kitchen" label="Kitchen"><attvalues><attvalue for="c" value="3"/></attvalues></node>'
             + GEXF_DINERS, '<edge id="0" source="kitchen" target="diners"/>',
             '<attributes class="node"><attribute id="c" title="cost" type="complex"/></attributes>'),
        None, "error", "the node attribute 'cost' (id 'c') has type 'complex', which GEXF does not define",
    ),
    "graphs-bad-edge-type.gexf": (
        gexf('<node id="kitchen" label="Kitchen"/>' + GEXF_DINERS,
             '<edge id="0" source="kitchen" target="diners" type="sideways"/>'),
        None, "error", "edge '0' has type 'sideways', which GEXF does not define",
    ),
    "graphs-int-not-int.gexf": (
        gexf('<node id="kitchen" label="Kitchen"><attvalues><attvalue for="h" value="many"/></attvalues></node>'
             + GEXF_DINERS, '<edge id="0" source="kitchen" target="diners"/>',
             '<attributes class="node"><attribute id="h" title="headcount" type="integer"/></attributes>'),
        None, "error", "node 'kitchen', attribute 'headcount', is 'many', which is not a whole number",
    ),
}  # fmt: skip
