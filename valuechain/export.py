"""The chain for other graph tools: GraphML (yEd, Gephi), GEXF (Gephi) and node-link JSON (D3, NetworkX).

Every party and hand-off attribute is kept, under its own name, and reads
back exactly. valuechain's own bookkeeping is written under names that start
with ``valuechain:`` (``valuechain:row``, the table row of a party or
hand-off; ``valuechain:customer``, whether a party is a customer), so a user
column called ``row`` or ``customer`` is written as it is; a user column whose
name itself starts with ``valuechain:`` gets the prefix once more. In GEXF,
NetworkX's writer turns some node attributes into XML of their own (``label``,
``pid``, ``start``, ``end``...): columns of those names are written with the
prefix too (``valuechain:label``), and a node's GEXF label is its name. Files
written before these names (plain ``row`` and ``customer``) are still read.

GraphML and GEXF hold only plain
values, so lists (an edge's ``deliverables``, its ``handoffs`` rows, the
graph's ``customers``) are written there as JSON text; node-link JSON keeps
them as they are. Strings are written exactly (no formula neutralising: these
are data files, not spreadsheets). XML cannot hold control characters other
than tab and line breaks, not even escaped, so GraphML and GEXF refuse a
chain whose parties carry one, naming the party and attribute; node-link JSON
keeps them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from valuechain.exceptions import OutputError
from valuechain.io.graphs import CUSTOMER, PREFIX, ROW

if TYPE_CHECKING:
    from collections.abc import Iterator

    import networkx as nx

    from valuechain.model import Chain

FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}
#: Node attributes that NetworkX's GEXF writer makes into XML of their own, or renames ('key'): in GEXF, a party
#: column of one of these names is written with the prefix.
GEXF_RESERVED = frozenset({"id", "label", "pid", "start", "end", "parents", "spells", "slices", "viz", "key"})


def export(chain: Chain, path: str | Path) -> Path:
    """Write the chain as a graph file, the format from the extension (``.graphml``, ``.gexf``, ``.json``).

    Raises
    ------
    OutputError
        For a file name of another extension, or a chain that GraphML or GEXF cannot hold (see
        :func:`graph_bytes`).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> export(chain, "org.graphml")  # doctest: +SKIP
    PosixPath('org.graphml')
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OutputError(f"cannot export to '{path.name}': use a .graphml, .gexf or .json file name")
    path.write_bytes(graph_bytes(chain, fmt))
    return path


def graph_bytes(chain: Chain, fmt: str) -> bytes:
    """The chain as GraphML, GEXF or node-link JSON bytes (``fmt`` is ``"graphml"``, ``"gexf"`` or ``"json"``).

    Raises
    ------
    OutputError
        For another ``fmt``, or a chain holding a character that XML cannot (a control character): the
        message names where it is and says to export as JSON.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> graph_bytes(chain, "graphml")[:38]
    b"<?xml version='1.0' encoding='utf-8'?>"
    """
    import networkx as nx

    if fmt not in ("graphml", "gexf", "json"):
        raise OutputError(f"unknown graph format '{fmt}': use graphml, gexf or json")
    graph = org_graph(chain, fmt)
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")
    flat = plain(graph)
    problem = not_writable_as_xml(flat, fmt, escaped=True)
    if problem:
        raise OutputError(problem)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True)
        # NetworkX writes a carriage return in element text as is, and every XML parser reads it back as a
        # line feed; as a character reference it survives (the writer puts none in the markup itself)
        return buffer.getvalue().replace(b"\r", b"&#13;")
    nx.write_gexf(flat, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def org_graph(chain: Chain, fmt: str = "json") -> nx.DiGraph:
    """The chain as the graph ``export`` writes in ``fmt``: each node carries every party column (missing values
    left out) and ``valuechain:customer`` and ``valuechain:row``; each edge, one per ordered pair, ``essential``
    (any of its hand-offs is), ``deliverables`` (the non-empty ones, in file order) and ``handoffs``: every row's
    columns and its ``valuechain:row``. Column names are written as :func:`attribute_name` says.

    Examples
    --------
    >>> import pandas as pd, valuechain as vc
    >>> chain = vc.load(pd.DataFrame({"source": ["a"], "target": ["c"], "row": ["99"]}),
    ...                 parties=pd.DataFrame({"id": ["a", "c"], "kind": ["team", "external_customer"],
    ...                                       "row": ["3", "4"]}))
    >>> g = org_graph(chain)
    >>> g.nodes["a"]["row"], g.nodes["a"]["valuechain:row"], g.nodes["c"]["valuechain:customer"]
    ('3', 2, True)
    >>> g.edges["a", "c"]["handoffs"]
    [{'deliverable': '', 'essential': True, 'row': '99', 'valuechain:row': 2}]
    """
    import networkx as nx

    from valuechain.jsonable import is_missing, or_none

    g = nx.DiGraph(customers=list(chain.customers))
    customers = set(chain.customers)
    parties = chain.parties
    columns = [c for c in parties.columns if c != "id"]
    names = [attribute_name(c, fmt, node=True) for c in columns]
    for party, row, values in zip(parties["id"], parties.index, parties[columns].itertuples(index=False, name=None)):
        attrs = {n: or_none(v) for n, v in zip(names, values) if not is_missing(v)}
        if fmt == "gexf" and "name" in attrs:
            attrs["label"] = str(attrs["name"])  # the label Gephi shows
        attrs[CUSTOMER] = party in customers
        attrs[ROW] = int(row)
        g.add_node(party, **attrs)
    handoffs = chain.handoffs
    columns = [c for c in handoffs.columns if c not in ("source", "target")]
    names = [attribute_name(c, fmt) for c in columns]
    for row, source, target, values in zip(
        handoffs.index, handoffs["source"], handoffs["target"], handoffs[columns].itertuples(index=False, name=None)
    ):
        attrs = {n: or_none(v) for n, v in zip(names, values) if not is_missing(v)}
        attrs[ROW] = int(row)
        essential = bool(attrs.get("essential", True))
        if g.has_edge(source, target):
            data = g.edges[source, target]
            data["essential"] = data["essential"] or essential
        else:
            g.add_edge(source, target, essential=essential, deliverables=[], handoffs=[])
            data = g.edges[source, target]
        data["handoffs"].append(attrs)
        if attrs.get("deliverable") and attrs["deliverable"] not in data["deliverables"]:
            data["deliverables"].append(attrs["deliverable"])
    return g


def attribute_name(column: str, fmt: str = "json", node: bool = False) -> str:
    """The name a party (``node``) or hand-off column is written under: its own, with the ``valuechain:`` prefix
    when it starts with the prefix, or when it is a node attribute that NetworkX's GEXF writer would not keep.

    Examples
    --------
    >>> attribute_name("row"), attribute_name("valuechain:row"), attribute_name("label", "gexf", node=True)
    ('row', 'valuechain:valuechain:row', 'valuechain:label')
    """
    if column.startswith(PREFIX) or (fmt == "gexf" and node and column in GEXF_RESERVED):
        return PREFIX + column
    return column


def not_writable_as_xml(graph: nx.DiGraph, fmt: str = "graphml", escaped: bool = False) -> str | None:
    """Why ``graph`` cannot be written as GraphML or GEXF (a character XML cannot hold), or None when it can.

    With ``escaped``, attribute names are those :func:`org_graph` writes; messages name the user's columns.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("kitchen", note="ding\\x07")
    >>> print(not_writable_as_xml(g)[:80])
    GRAPHML is XML, which cannot hold U+0007 (BELL), found in party 'kitchen', attri
    """
    from valuechain.report.safe import NOT_IN_XML, describe_character

    def column(name: str) -> str:
        return name.removeprefix(PREFIX) if escaped else name

    def where() -> Iterator[tuple[str, object]]:
        yield from ((f"the graph's attribute '{k}'", v) for k, v in graph.graph.items())
        for node, data in graph.nodes(data=True):
            yield f"party '{node}'", node
            yield from ((f"party '{node}', attribute '{column(k)}'", v) for k, v in data.items())
        for u, v, data in graph.edges(data=True):
            yield from ((f"the hand-off {u} -> {v}, attribute '{k}'", x) for k, x in data.items())

    for place, value in where():
        found = NOT_IN_XML.search(value) if isinstance(value, str) else None
        if found:
            return (
                f"{fmt.upper()} is XML, which cannot hold {describe_character(found.group())}, found in "
                f"{NOT_IN_XML.sub('', place)}; export as .json (it keeps every character) or delete the character"
            )
    return None


def plain(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``graph`` whose attributes are all strings, numbers or booleans (lists as JSON text)."""
    out = graph.__class__()
    out.graph.update({k: _plain(v) for k, v in graph.graph.items()})
    out.add_nodes_from((n, {k: _plain(v) for k, v in d.items()}) for n, d in graph.nodes(data=True))
    out.add_edges_from((u, v, {k: _plain(x) for k, x in d.items()}) for u, v, d in graph.edges(data=True))
    return out


def _plain(value: object) -> object:
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, "item"):  # NumPy scalars
        return value.item()
    return value
