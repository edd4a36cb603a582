"""Read an org from a graph file: GraphML, GEXF or node-link JSON (as written by ``valuechain export``,
yEd, Gephi or NetworkX).

Nodes are parties (their attributes become party columns), edges are
hand-offs. An edge written by valuechain carries its hand-off rows (with their
spreadsheet ``row``), so an exported org reads back exactly; any other edge is
one hand-off with the edge's attributes. XML is first checked with
defusedxml: a file that declares entities (the "billion laughs" expansion
bomb, external entities) is refused before any parser expands it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from valuechain.io.read import RawTable, read_bytes
from valuechain.problems import InputError, Problem

GRAPH_SUFFIXES = {".graphml", ".gexf", ".json"}
NODE_SKIP = {"customer", "row"}  # written by export, recomputed on load


def is_graph_file(source) -> bool:
    """Whether ``source`` (a path or a named upload) is a graph file, by its extension."""
    name = getattr(source, "name", source) if not isinstance(source, str | Path) else source
    return isinstance(name, str | Path) and Path(str(name)).suffix.lower() in GRAPH_SUFFIXES


def read_graph(source) -> tuple[RawTable, RawTable, list[str] | None]:
    """The hand-offs and parties tables of a graph file, and the customers it flags (if any).

    Examples
    --------
    >>> import valuechain as vc
    >>> from valuechain.export import export
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> path = export(chain, "/tmp/phone-repair.graphml")
    >>> handoffs, parties, customers = read_graph(path)
    >>> list(handoffs.frame.index[:3]), customers
    ([2, 3, 4], ['phone-owners'])
    """
    name, data = read_bytes(source, default_name="graph", what="the graph file")
    graph = _parse(data, Path(name).suffix.lower(), name)
    if not graph.is_directed():
        raise InputError(
            [Problem.error(name, "the graph is undirected", "hand-offs need a direction: save it as a directed graph")]
        )
    parties = _parties(graph)
    handoffs = _handoffs(graph)
    flagged = [n for n, d in graph.nodes(data=True) if d.get("customer") in (True, "true", "True", 1)]
    label = Path(name).name
    return RawTable(f"{label} (edges)", handoffs), RawTable(f"{label} (nodes)", parties), flagged or None


def _parse(data: bytes, suffix: str, name: str):
    import networkx as nx

    def bad(message: str, hint: str) -> InputError:
        return InputError([Problem.error(name, message, hint)])

    if suffix == ".json":
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise bad(f"not valid JSON ({err})", "write node-link JSON (nodes and edges or links)") from err
        if not isinstance(document, dict) or "nodes" not in document:
            raise bad("not node-link JSON: no 'nodes'", "write node-link JSON, as networkx.node_link_data does")
        edges = "edges" if "edges" in document else "links"
        try:
            return nx.node_link_graph(document, directed=document.get("directed", True), edges=edges)
        except (KeyError, TypeError, nx.NetworkXError) as err:
            raise bad(
                f"not valid node-link JSON ({err})", "each node needs an 'id', each edge a source and target"
            ) from err
    import defusedxml.ElementTree as safe
    from defusedxml import DefusedXmlException

    try:
        safe.fromstring(data)  # refuses entity declarations and external references
    except DefusedXmlException as err:
        raise bad(
            f"the XML declares entities or external references ({type(err).__name__}), which are not read",
            "export the graph again without a DTD",
        ) from err
    except Exception as err:  # a parse error of any kind
        raise bad(f"not well-formed XML ({err})", "open it in the tool that wrote it and save it again") from err
    reader = nx.read_graphml if suffix == ".graphml" else nx.read_gexf
    try:
        return reader(io.BytesIO(data))
    except Exception as err:
        kind = "GraphML" if suffix == ".graphml" else "GEXF"
        raise bad(f"not valid {kind} ({err})", f"save it again as {kind}") from err


def _parties(graph) -> pd.DataFrame:
    rows, numbers = [], []
    for node, data in graph.nodes(data=True):
        attrs = {k: _plain(v) for k, v in data.items() if k not in NODE_SKIP}
        if attrs.get("label") == str(node):  # GEXF's own label, a copy of the id
            attrs.pop("label")
        rows.append({"id": str(node), **attrs})
        numbers.append(data.get("row"))
    return _frame(rows, numbers, first=["id"])


def _handoffs(graph) -> pd.DataFrame:
    rows, numbers = [], []
    gexf = "mode" in graph.graph  # read_gexf marks the graph; it also numbers edges with an 'id'
    for source, target, data in graph.edges(data=True):
        written = data.get("handoffs")
        if isinstance(written, str):
            try:
                written = json.loads(written)
            except json.JSONDecodeError:
                written = None
        if isinstance(written, list) and all(isinstance(r, dict) for r in written):
            for row in written:
                rows.append(
                    {"source": str(source), "target": str(target), **{k: v for k, v in row.items() if k != "row"}}
                )
                numbers.append(row.get("row"))
            continue
        attrs = {k: _plain(v) for k, v in data.items() if not (gexf and k == "id")}
        attrs.pop("deliverables", None)
        rows.append({"source": str(source), "target": str(target), **attrs})
        numbers.append(None)
    return _frame(rows, numbers, first=["source", "target"])


def _frame(rows: list[dict], numbers: list, first: list[str]) -> pd.DataFrame:
    """Rows as a table of strings, indexed by their spreadsheet row (kept where written, else numbered after)."""
    frame = pd.DataFrame(rows, dtype=object)  # object: an int column with gaps stays ints, not floats
    for column in first:
        if column not in frame.columns:
            frame[column] = []
    frame = frame[first + [c for c in frame.columns if c not in first]]
    frame = frame.astype(object).where(frame.notna(), "")
    frame = frame.map(lambda v: "yes" if v is True else "no" if v is False else str(v))
    known = [int(n) for n in numbers if isinstance(n, int | float) and not isinstance(n, bool)]
    last = max(known, default=1)
    index = []
    for n in numbers:
        if isinstance(n, int | float) and not isinstance(n, bool):
            index.append(int(n))
        else:
            last += 1
            index.append(last)
    frame.index = pd.Index(index, name="row", dtype="int64")  # int64 even with no rows, as a table read has
    return frame.sort_index(kind="stable")


def _plain(value):
    """Lists and dicts (node-link JSON, or JSON text in GraphML) as JSON text; the rest as is."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
