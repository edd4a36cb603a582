"""The chain for other graph tools: GraphML (yEd, Gephi), GEXF (Gephi) and node-link JSON (D3, NetworkX).

Every party and hand-off attribute is kept. GraphML and GEXF hold only plain
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

if TYPE_CHECKING:
    from collections.abc import Iterator

    import networkx as nx

    from valuechain.model import Chain

FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}


def export(chain: Chain, path: str | Path) -> Path:
    """Write the chain as a graph file, the format from the extension (``.graphml``, ``.gexf``, ``.json``).

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
        raise ValueError(f"cannot export to '{path.name}': use a .graphml, .gexf or .json file name")
    path.write_bytes(graph_bytes(chain, fmt))
    return path


def graph_bytes(chain: Chain, fmt: str) -> bytes:
    """The chain as GraphML, GEXF or node-link JSON bytes (``fmt`` is ``"graphml"``, ``"gexf"`` or ``"json"``).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> graph_bytes(chain, "graphml")[:38]
    b"<?xml version='1.0' encoding='utf-8'?>"
    """
    import networkx as nx

    if fmt == "json":
        data = nx.node_link_data(chain.graph, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")
    flat = plain(chain.graph)
    problem = not_writable_as_xml(flat, fmt)
    if problem:
        raise ValueError(problem)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True)
        # NetworkX writes a carriage return in element text as is, and every XML parser reads it back as a
        # line feed; as a character reference it survives (the writer puts none in the markup itself)
        return buffer.getvalue().replace(b"\r", b"&#13;")
    elif fmt == "gexf":
        nx.write_gexf(flat, buffer, encoding="utf-8", prettyprint=True)
    else:
        raise ValueError(f"unknown graph format '{fmt}': use graphml, gexf or json")
    return buffer.getvalue()


def not_writable_as_xml(graph: nx.DiGraph, fmt: str = "graphml") -> str | None:
    """Why ``graph`` cannot be written as GraphML or GEXF (a character XML cannot hold), or None when it can.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("kitchen", note="ding\\x07")
    >>> print(not_writable_as_xml(g)[:80])
    GRAPHML is XML, which cannot hold U+0007 (BELL), found in party 'kitchen', attri
    """
    from valuechain.report.safe import NOT_IN_XML, describe_character

    def where() -> Iterator[tuple[str, object]]:
        yield from ((f"the graph's attribute '{k}'", v) for k, v in graph.graph.items())
        for node, data in graph.nodes(data=True):
            yield f"party '{node}'", node
            yield from ((f"party '{node}', attribute '{k}'", v) for k, v in data.items())
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


def _plain(value):
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, "item"):  # NumPy scalars
        return value.item()
    return value
