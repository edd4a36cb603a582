"""Read an org from a graph file: GraphML, GEXF or node-link JSON (as written by ``valuechain export``,
yEd, Gephi or NetworkX).

Nodes are parties (their attributes become party columns), edges are
hand-offs. An edge written by valuechain carries its hand-off rows (with their
spreadsheet row), so an exported org reads back exactly; any other edge is
one hand-off with the edge's attributes. valuechain writes its own attributes
as ``valuechain:row`` and ``valuechain:customer`` (valuechain.export): in a file
holding them, every other attribute is a user column (``row`` and
``customer`` too; a name starting with ``valuechain:`` loses that prefix once,
as export adds it). Files without them (written by an earlier valuechain, or
by another tool) have ``row`` and ``customer`` as valuechain's bookkeeping.

The three formats are read here, not by NetworkX's readers, so that every
node, edge and value is accounted for and every problem names the file, the
node or edge and the attribute:

* **Groups.** A node that holds a nested graph (a yEd group or folder, a GEXF
  node with ``<nodes>`` inside or one that other nodes name as ``pid``) is a
  group: the nodes inside it are parties whose ``group`` is the group's label
  (its id when it has none; the innermost group when groups nest; a group
  attribute of the node itself, ``group`` or ``Department`` say, wins). The
  group node itself is a party only when an edge starts or ends at it (a
  department that hands off as a whole); otherwise it only names the group.
* **Edges.** Every edge is a hand-off (parallel edges too, which NetworkX's
  graphs merged; a GEXF ``mutual`` edge is two, one each way). An edge must
  start and end at declared nodes (anywhere in the file): an edge to an
  undeclared node is an error with the closest declared id, as a hand-off to
  an unknown party is in a table. An undirected edge is an error.
* **Values.** Typed attributes (GraphML ``attr.type``, GEXF ``type``) must
  parse as their type and keep the text written (``007`` stays ``007``);
  declared defaults apply. Numbers must be finite and fit a double (no NaN,
  Infinity or ``1e400``), in node-link JSON too. Node-link ids are text or
  whole numbers (a number is read as its digits; a number and a text id with
  the same digits are refused, they would be one party); ``null``, ``true``,
  lists and objects are refused, and so is text holding a lone surrogate (the
  escape of half a UTF-16 pair, ``\\ud800``: no character; a pair is one).
  A key repeated in a JSON object (read, it would keep only its last value), values for keys nobody declares, two values
  for one attribute, repeated node ids, hyperedges and nesting deeper than
  Python's JSON reader goes are refused, each with a message.
* **Drawing data** (yEd graphics, GEXF ``viz``, spells) is not org data and is
  not read, except yEd's label text: a node's label is its ``label`` (read as
  its name, unless it has a name attribute), an edge's label its
  ``deliverable`` (its ``label`` when it has a deliverable attribute).
  Structural edge ids are not attributes; row numbers written by
  valuechain are kept unless they repeat or are not whole numbers from 1.

XML is first checked with defusedxml: a file that declares entities (the
"billion laughs" expansion bomb, external entities) is refused before any
parser expands it.
"""

from __future__ import annotations

import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, cast

import pandas as pd

from valuechain.io.read import FileSource, RawTable, read_bytes
from valuechain.problems import Code, InputError, Problem, closest, shown

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

GRAPH_SUFFIXES = {".graphml", ".gexf", ".json"}
#: The root elements of graph files written as ``.xml``, and the suffix each is read as.
GRAPH_ROOTS = {"graphml": ".graphml", "gexf": ".gexf"}
#: What valuechain's own attribute names start with; a user attribute whose name does is written with it once more.
PREFIX = "valuechain:"
#: A party's or hand-off's row in its table, and whether a party is one of the customers (written by export).
ROW, CUSTOMER = PREFIX + "row", PREFIX + "customer"
#: Written by export before its own attributes had the ``valuechain:`` prefix (see valuechain.export): files
#: without ``valuechain:row`` (those, and other tools' files) are read with these as its bookkeeping.
NODE_SKIP = {"customer", "row"}
#: The largest magnitude a number may have (a double's range): 1e400 or a 400-digit integer is refused.
LARGEST = 1.7976931348623157e308
#: How many distinct unknown node ids get a "did you mean" suggestion (each costs a fuzzy search).
SUGGESTIONS = 50
#: How deep lists and objects in node-link JSON may nest, about (Python's JSON reader goes as deep as its
#: recursion limit allows, less what the caller's stack uses).
DEEPEST = 900
#: How long an id or value may be in a message before it is cut.
SHOWN = 60

_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_DECIMAL = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
_NOT_FINITE = re.compile(r"\s*[+-]?(nan|inf|infinity)\s*", re.IGNORECASE)
_TRUE, _FALSE = {"true", "1"}, {"false", "0"}
#: A JSON escape of a UTF-16 surrogate (half of a pair, or a lone one): only then can a string hold a surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: GraphML's and GEXF's types, by what their values must be.
GRAPHML_TYPES = {"boolean": "boolean", "int": "integer", "long": "integer", "float": "number", "double": "number",
                 "string": "string"}  # fmt: skip
GEXF_TYPES = {
    "boolean": "boolean",
    **dict.fromkeys(["integer", "long", "short", "byte", "biginteger"], "integer"),
    **dict.fromkeys(["float", "double", "bigdecimal"], "number"),
    **dict.fromkeys(["string", "liststring", "anyuri", "date", "char", "listboolean", "listinteger", "listlong",
                     "listfloat", "listdouble", "listshort", "listbyte", "listchar", "listbigdecimal",
                     "listbiginteger"], "string"),
}  # fmt: skip


def is_graph_file(source: object) -> TypeGuard[FileSource]:
    """Whether ``source`` (a path or a named upload) is a graph file, by its extension (an ``.xml`` file by its
    root element: ``graphml`` or ``gexf``).

    Examples
    --------
    >>> is_graph_file("org.GraphML"), is_graph_file("org.csv"), is_graph_file("missing.xml")
    (True, False, False)
    """
    name = getattr(source, "name", source) if not isinstance(source, str | Path) else source
    if not isinstance(name, str | Path):
        return False
    suffix = Path(str(name)).suffix.lower()
    if suffix == ".xml":
        from valuechain.io.bpmn import xml_root

        return xml_root(source) in GRAPH_ROOTS
    return suffix in GRAPH_SUFFIXES


@dataclass
class _Node:
    id: str
    attrs: dict
    where: str  # how messages name it
    place: str = ""  # where it is in the file (for messages about its id); ``where`` when empty
    number: bool = False  # a node-link id written as a number
    is_group: bool = False  # it holds other nodes
    parent: str | None = None  # GEXF: the id of the node it is in (pid)

    def __post_init__(self) -> None:
        self.place = self.place or self.where


@dataclass
class _Edge:
    source: str | None
    target: str | None
    attrs: dict
    where: str
    rows: list[dict] | None = None  # hand-off rows written by valuechain


@dataclass
class _Graph:
    """A graph file as read: its nodes and edges in file order, and every problem found."""

    name: str
    nodes: list[_Node] = field(default_factory=list)
    edges: list[_Edge] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def error(self, message: str, hint: str = "", *, code: Code = Code.BAD_GRAPH) -> None:
        """Record an error in the graph file (a graph's own problem unless ``code`` says otherwise)."""
        self.problems.append(Problem.error(self.name, message, hint, code=code))


def read_graph(source: FileSource) -> tuple[RawTable, RawTable, list[str] | None]:
    """The hand-offs and parties tables of a graph file, and the customers it flags (if any).

    Raises
    ------
    InputError
        With every problem of the file, each naming the file and the node, edge
        or attribute it is about.

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
    suffix = Path(name).suffix.lower()
    if suffix == ".xml":
        from valuechain.io.bpmn import xml_root

        suffix = GRAPH_ROOTS.get(xml_root(io.BytesIO(data)) or "", ".graphml")
    graph = _Graph(name)
    if suffix == ".json":
        _read_node_link(data, graph)
    else:
        root = _xml(data, name)
        (_read_graphml if suffix == ".graphml" else _read_gexf)(root, graph)
    if graph.problems:
        raise InputError(graph.problems)
    _check(graph)
    if graph.problems:
        raise InputError(graph.problems)
    ends = {_clean(end) for e in graph.edges for end in (e.source, e.target) if end is not None}  # all given here
    nodes = [n for n in graph.nodes if not n.is_group or _clean(n.id) in ends]
    label = Path(name).name
    prefixed = _written_with_prefix(graph)
    flag = CUSTOMER if prefixed else "customer"
    flagged = [n.id for n in nodes if n.attrs.get(flag) in (True, "true", "True", 1)]
    parties, handoffs = _parties(nodes, prefixed, graph), _handoffs(graph.edges, prefixed, graph)
    if graph.problems:
        raise InputError(graph.problems)
    return RawTable(f"{label} (edges)", handoffs), RawTable(f"{label} (nodes)", parties), flagged or None


# ----------------------------------------------------------------------------------------------- checks


def _clean(identifier: str) -> str:
    """An id as the tables compare it: trimmed, Unicode NFC."""
    identifier = identifier.strip()
    return identifier if identifier.isascii() else unicodedata.normalize("NFC", identifier)


def _show(text: object) -> str:
    """A value for a message: control characters and lone surrogates escaped, cut when long."""
    return shown(_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text)), SHOWN)


def _check(graph: _Graph) -> None:
    """Empty and repeated node ids, ids a number and a text would share, edges to undeclared nodes."""
    seen: dict[str, _Node] = {}
    for node in graph.nodes:
        key = _clean(node.id)
        if not key:
            graph.error(f"{node.place} has an empty id", "give every node an id", code=Code.EMPTY_CELL)
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = node
        elif first.number != node.number:
            number, text = (first, node) if first.number else (node, first)
            graph.error(
                f"{number.place} has the number {number.id} as its id and {text.place} the text '{_show(text.id)}'; "
                f"both would be the party '{_show(key)}'",
                "write every id as text (in quotes), and give the two nodes different ids",
                code=Code.DUPLICATE,
            )
        else:
            graph.error(f"the node id '{_show(key)}' is used twice ({first.place} and {node.place})",
                        "give each node its own id, or merge the two nodes", code=Code.DUPLICATE)  # fmt: skip
    for node in graph.nodes:
        if node.parent is not None:
            parent = seen.get(_clean(node.parent))
            if parent is None:
                hint = _did_you_mean(node.parent, seen, {}, "declare that node, or correct the pid")
                graph.error(f"{node.where} is inside node '{_show(node.parent)}' (pid), which is not declared", hint)
    ids = set(seen)
    suggestions: dict[str, str] = {}
    for edge in graph.edges:
        for end in ("source", "target"):
            party = getattr(edge, end)
            if party is None:
                continue
            if _clean(party) not in ids:
                hint = _did_you_mean(party, seen, suggestions, "declare the node, or correct the edge")
                message = f"{edge.where} has {end} '{_show(party)}', which is not a node of the graph"
                graph.error(message, hint, code=Code.UNKNOWN_PARTY)


def _did_you_mean(party: str, seen: dict[str, _Node], suggestions: dict[str, str], otherwise: str) -> str:
    """ "did you mean" the closest declared id (for the first SUGGESTIONS unknown ids), else ``otherwise``."""
    if party not in suggestions and len(suggestions) < SUGGESTIONS:
        guess = closest(_clean(party), list(seen))
        suggestions[party] = f"did you mean '{_show(guess[0])}'?" if guess else ""
    return suggestions.get(party) or otherwise


def _has_field(attrs: dict, field: str) -> bool:
    """Whether an attribute's name is a header of ``field`` (a party's or hand-off's), as tables match them.

    Examples
    --------
    >>> _has_field({"Department": "Sales"}, "group"), _has_field({"note": ""}, "group")
    (True, False)
    """
    from valuechain.io.columns import HANDOFF_FIELDS, PARTY_FIELDS, header_key, header_keys

    wanted = {header_key(h) for h in {**PARTY_FIELDS, **HANDOFF_FIELDS}[field]}
    return any(not wanted.isdisjoint(header_keys(name)) for name in attrs)


def _number_problem(value: object) -> str | None:
    """Why a number cannot be read (NaN, infinite, beyond a double's range), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, _Huge) or (isinstance(value, int) and abs(value) > LARGEST):
        return "a number too large to use (beyond 1.8e308)"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN, which is not a number" if math.isnan(value) else "an infinite number (Infinity, or 1e400)"
    return None


# ------------------------------------------------------------------------------------------ node-link JSON


class _Huge(str):
    """An integer with more digits than Python converts (kept as its text, then refused)."""


class _Repeated(dict):
    """A JSON object that repeats a key: it holds the last value of each (as Python's JSON reader keeps), and
    ``repeated`` every value of each repeated key, in file order."""

    repeated: dict[str, list]


def _object_hook(found: list) -> Callable[[list], dict]:
    """An ``object_pairs_hook`` that builds each object as ``json`` does and adds the objects that repeat a key to
    ``found`` (as :class:`_Repeated`): comparing lengths costs little, a 50 MB file reads about 5% slower."""

    def hook(pairs: list) -> dict:
        built = dict(pairs)
        if len(built) == len(pairs):
            return built
        built = _Repeated(built)
        values: dict[str, list] = {}
        for key, value in pairs:
            values.setdefault(key, []).append(value)
        built.repeated = {k: v for k, v in values.items() if len(v) > 1}
        found.append(built)
        return built

    return hook


def _read_node_link(data: bytes, graph: _Graph) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        graph.error(f"not valid JSON (not UTF-8 text: {err})", "save the file as UTF-8")
        return
    repeated: list[_Repeated] = []
    document = _parse_json(text, graph, repeated)
    if graph.problems:
        return
    if repeated:
        _repeated_keys(document, graph)
    if _SURROGATE_ESCAPE.search(text):  # a paired escape is one character; a lone one no character at all
        _lone_surrogates(document, graph)
    if graph.problems:
        return
    if not isinstance(document, dict) or "nodes" not in document:
        graph.error("not node-link JSON: no 'nodes'", "write node-link JSON, as networkx.node_link_data does")
        return
    directed = document.get("directed", True)
    if directed is False:
        graph.error("the graph is undirected", "hand-offs need a direction: save it as a directed graph")
        return
    if directed is not True:
        graph.error(f"'directed' is {_json_text(directed)}, not true or false", 'write "directed": true')
        return
    edges_key = "edges" if "edges" in document else "links"
    if "edges" in document and "links" in document:
        graph.error("the file has both 'edges' and 'links'", "keep one list of edges")
        return
    nodes, edges = document["nodes"], document.get(edges_key, [])
    for key, value in (("nodes", nodes), (edges_key, edges)):
        if not isinstance(value, list):
            graph.error(f"'{key}' is {_json_kind(value)}, not a list", f"write '{key}' as a list of objects")
    if graph.problems:
        return
    multigraph = document.get("multigraph") is True
    for position, item in enumerate(nodes, start=1):
        where = f"node {position} of 'nodes'"
        if not isinstance(item, dict):
            graph.error(f"{where} is {_json_kind(item)}, not an object", 'write each node as {"id": "..."}')
            continue
        if "id" not in item:
            graph.error(f"{where} has no 'id'", "give every node an 'id'")
            continue
        identifier, number = _json_id(item["id"], f"{where}, its 'id',", graph)
        if identifier is None:
            continue
        where = f"node '{_show(identifier)}'"
        attrs = {k: _json_value(v, where, k, graph) for k, v in item.items() if k != "id"}
        graph.nodes.append(_Node(identifier, attrs, where, f"node {position} of 'nodes'", number=number))
    for position, item in enumerate(edges, start=1):
        where = f"edge {position} of '{edges_key}'"
        if not isinstance(item, dict):
            graph.error(f"{where} is {_json_kind(item)}, not an object",
                        'write each edge as {"source": "...", "target": "..."}')  # fmt: skip
            continue
        ends: list[str | None] = []
        for end in ("source", "target"):
            if end not in item:
                graph.error(f"{where} has no '{end}'", "give every edge a source and a target")
                ends.append(None)
            else:
                ends.append(_json_id(item[end], f"{where}, its '{end}',", graph)[0])
        if None in ends:
            continue
        where = f"edge {position} of '{edges_key}' ({_show(ends[0])} -> {_show(ends[1])})"
        skip = {"source", "target"} | ({"key"} if multigraph else set())
        rows = _written_rows(item.get("handoffs"), where, graph)
        attrs = {} if rows is not None else {
            k: _json_value(v, where, k, graph) for k, v in item.items() if k not in skip
        }  # fmt: skip
        graph.edges.append(_Edge(ends[0], ends[1], attrs, where, rows))


def _parse_json(text: str, graph: _Graph, repeated: list) -> object:
    """The JSON document, or None with a problem: not JSON, nested too deeply. The objects that repeat a key are
    added to ``repeated``."""
    hooks: dict = {}
    while True:
        repeated.clear()
        try:
            return json.loads(text, object_pairs_hook=_object_hook(repeated), **hooks)
        except json.JSONDecodeError as err:
            graph.error(f"not valid JSON ({err})", "write node-link JSON (nodes and edges or links)")
        except RecursionError:
            depth, line, column = _deepest(text)
            graph.error(
                f"lists or objects are nested {depth:,} levels deep, deeper than the JSON reader goes (level "
                f"{DEEPEST + 1} starts at line {line}, column {column})",
                "write attributes as plain values",
            )
        except ValueError as err:  # an integer with more digits than Python converts: keep its text, refused later
            if "parse_int" not in hooks:
                hooks = {"parse_int": lambda s: _Huge(s) if len(s.lstrip("-")) > 4000 else int(s)}
                continue
            graph.error(f"not valid JSON ({err})", "write node-link JSON (nodes and edges or links)")
        return None


def _everything(document: object) -> Iterator[tuple[object, tuple, bool]]:
    """Every value of a JSON document, key and string, in file order (without recursion): the value, its path
    (the keys and list positions leading to it) and whether it is a key (its path then ends with it)."""
    stack: list[tuple[object, tuple, bool]] = [(document, (), False)]
    while stack:
        value, path, is_key = stack.pop()
        yield value, path, is_key
        if isinstance(value, dict) and not is_key:
            for key, item in reversed(value.items()):  # a key, then its value
                stack += [(item, (*path, key), False), (key, (*path, key), True)]
        elif isinstance(value, list):
            stack.extend((item, (*path, i), False) for i, item in reversed(list(enumerate(value))))


def _repeated_keys(document: object, graph: _Graph) -> None:
    """An error for every key that an object of the document repeats (JSON readers keep only its last value, so
    a node, an attribute or the whole list of nodes would be lost), naming the key and the object."""
    for value, path, _ in _everything(document):
        if isinstance(value, _Repeated):
            for key, values in value.repeated.items():
                place = "the top level" if not path else _json_place(document, path)
                _repeated_error(place, key, values, graph)


def _repeated_error(place: str, key: str, values: list, graph: _Graph) -> None:
    times = "twice" if len(values) == 2 else f"{len(values):,} times"
    graph.error(f"{place} has the key '{_show(key)}' {times} ({', then '.join(_brief(v) for v in values[:5])}"
                f"{', ...' if len(values) > 5 else ''}); a JSON reader keeps only the last, the others would be lost",
                f"keep one '{_show(key)}' in the object: merge the values, or rename or remove the others")  # fmt: skip


def _repeated_in(item: dict) -> set[str]:
    """The keys an object repeats."""
    return set(item.repeated) if isinstance(item, _Repeated) else set()


def _brief(value: object) -> str:
    """A JSON value in a few characters: text and numbers as written, lists and objects by their size."""
    if isinstance(value, list):
        return f"a list of {len(value):,}"
    if isinstance(value, dict):
        return f"an object of {len(value):,} keys"
    return _json_text(value)


def _lone_surrogates(document: object, graph: _Graph) -> None:
    """An error for every key and string of the document holding a lone surrogate (the JSON escape of half a
    UTF-16 pair, such as ``\\ud800``), naming the node or edge and the attribute. Python reads one into a
    string that no file or terminal can hold, so every later step would fail."""
    for value, path, is_key in _everything(document):
        if isinstance(value, str) and _SURROGATE.search(value):
            _surrogate_error(document, path, value, ", in its name," if is_key else "", graph)


def _surrogate_error(document: object, path: tuple, text: str, what: str, graph: _Graph) -> None:
    """The error for a lone surrogate in ``text``, at ``path`` in the document (in a key: ``what`` says so)."""
    match = _SURROGATE.search(text)
    assert match is not None  # called for text that holds one
    found = match.group()
    place = _json_place(document, path)
    graph.error(f"{place}{what or ','} holds a lone surrogate (\\u{ord(found):04x}), which is no character; the "
                "file was written by a broken encoder", "write the character whole (an emoji is a pair such as "
                "\\ud83d\\ude00), or remove it, and save the file again")  # fmt: skip


def _step(where: str, rest: tuple, what: str = "attribute") -> str:
    """``where`` and the attribute ``rest`` leads to (its name, then where inside it: ``['k'][2]``)."""
    if not rest:
        return where
    inside = "".join(f"[{p + 1}]" if isinstance(p, int) else f"['{_show(p)}']" for p in rest[1:])
    return f"{where}, {what} '{_show(rest[0])}'" + (f" (at {inside} inside it)" if inside else "")


def _json_place(document: object, path: tuple) -> str:
    """Where ``path`` is in a node-link document, as messages name it: the node or edge (with its id or ends,
    unless they are repeated), the attribute."""

    if len(path) >= 2 and path[0] == "nodes" and isinstance(path[1], int) and isinstance(document, dict):
        where = f"node {path[1] + 1} of 'nodes'"
        item = document["nodes"][path[1]]
        if isinstance(item, dict) and isinstance(item.get("id"), str) and "id" not in _repeated_in(item):
            where = f"node '{_show(item['id'])}' ({where})"
        return _step(where, path[2:])
    if len(path) >= 2 and path[0] in ("edges", "links") and isinstance(path[1], int) and isinstance(document, dict):
        where = f"edge {path[1] + 1} of '{path[0]}'"
        item = document[path[0]][path[1]]
        if (
            isinstance(item, dict)
            and _repeated_in(item).isdisjoint(("source", "target"))
            and isinstance(item.get("source"), str | int)
            and isinstance(item.get("target"), str | int)
        ):
            where += f" ({_show(item['source'])} -> {_show(item['target'])})"
        if len(path) >= 4 and path[2] == "handoffs" and isinstance(path[3], int):
            return _step(f"{where}, hand-off {path[3] + 1}", path[4:])
        return _step(where, path[2:])
    if not path:
        return "the document"
    return _step("the top level", path, "key")


def _deepest(text: str) -> tuple[int, int, int]:
    """How deep lists and objects nest, and the line and column where they pass DEEPEST (or reach the deepest).

    Examples
    --------
    >>> _deepest('{"a": [[1]],\\n "b": [[[2]]]}')
    (4, 2, 9)
    """
    depth = deepest = 0
    where = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth <= DEEPEST + 1:
                    where = match.start()
        elif token in "]}":
            depth -= 1
    return deepest, text.count("\n", 0, where) + 1, where - text.rfind("\n", 0, where)


def _json_id(value: object, where: str, graph: _Graph) -> tuple[str | None, bool]:
    """A node-link id as text, and whether it was written as a number (None when it cannot be an id)."""
    if isinstance(value, str) and not isinstance(value, _Huge):
        return value, False
    if isinstance(value, int) and not isinstance(value, bool) and _number_problem(value) is None:
        return str(value), True
    problem = _number_problem(value)
    found = problem or _json_text(value)
    graph.error(f"{where} is {found}; an id must be text or a whole number", "write the id as text, in quotes")
    return None, False


def _json_value(value: object, owner: str, key: str, graph: _Graph) -> object:
    """A plain value: text, a finite number, true/false, null; lists and objects as JSON text.

    ``owner`` and ``key`` say where it is (the node or edge, the attribute), for messages.
    """
    kind = type(value)
    if kind is str or kind is bool or value is None or (kind is float and math.isfinite(cast(float, value))):
        return value  # the usual values, at once (a file may hold millions)
    if kind is int and -LARGEST <= cast(int, value) <= LARGEST:
        return value
    where = f"{owner}, attribute '{_show(key)}',"
    if isinstance(value, list | dict):
        try:
            if any(isinstance(v, _Huge) for v in _leaves(value)):
                raise ValueError
            return json.dumps(value, ensure_ascii=False, allow_nan=False)
        except ValueError:
            graph.error(f"{where} holds NaN, Infinity or a number too large to use", "write finite numbers")
        except RecursionError:
            graph.error(f"{where} is nested too deeply", "write attributes as plain values")
        return None
    problem = _number_problem(value)
    if problem:
        graph.error(f"{where} is {problem}", "write a finite number, or leave the attribute out")
        return None
    return value


def _leaves(value: object) -> Iterator[object]:
    """Every value inside nested lists and objects (without recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        else:
            yield item


def _json_kind(value: object) -> str:
    kinds = {str: "text", bool: "true or false", int: "a number", float: "a number", list: "a list",
             dict: "an object", type(None): "null", _Huge: "a number"}  # fmt: skip
    return f"{kinds.get(type(value), type(value).__name__)} ({_json_text(value)})"


def _json_text(value: object) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False) if not isinstance(value, _Huge) else str(value)
    except (ValueError, RecursionError):
        text = "..."
    return _show(text)


def _written_rows(value: object, where: str, graph: _Graph) -> list[dict] | None:
    """The hand-off rows valuechain writes on an edge (a list of objects, or its JSON text), else None."""
    if isinstance(value, str):
        repeated: list[_Repeated] = []
        try:
            value = json.loads(value, object_pairs_hook=_object_hook(repeated))
        except (ValueError, RecursionError):
            return None
        if repeated and isinstance(value, list) and all(isinstance(r, dict) for r in value):
            for position, row in enumerate(value, start=1):
                for inner, path, _ in _everything(row):
                    for key, values in getattr(inner, "repeated", {}).items():
                        _repeated_error(_step(f"{where}, hand-off {position}", path), key, values, graph)
    if not (isinstance(value, list) and value and all(isinstance(r, dict) for r in value)):
        return None
    rows = []
    for position, row in enumerate(value, start=1):
        place = f"{where}, hand-off {position}"
        rows.append({k: _json_value(v, place, k, graph) for k, v in row.items()})
    return rows


# --------------------------------------------------------------------------------------------------- XML


def _xml(data: bytes, name: str) -> Any:
    """The root element of an XML file, refusing entity declarations and external references."""
    import defusedxml.ElementTree as safe
    from defusedxml import DefusedXmlException

    def bad(message: str, hint: str) -> InputError:
        return InputError([Problem.error(name, message, hint, code=Code.BAD_GRAPH)])

    try:
        return safe.fromstring(data)  # refuses entity declarations and external references
    except DefusedXmlException as err:
        raise bad(
            f"the XML declares entities or external references ({type(err).__name__}), which are not read",
            "export the graph again without a DTD",
        ) from err
    except Exception as err:  # a parse error of any kind
        raise bad(f"not well-formed XML ({err})", "open it in the tool that wrote it and save it again") from err


def _local(element: Any) -> str:
    """An element's name without its namespace ('' for comments and processing instructions)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _typed(text: str | None, kind: str, where: str, graph: _Graph, declared: str | None) -> object:
    """A value of a GraphML or GEXF type: text kept as written (numbers trimmed), after checking it parses."""
    if text is None:
        return ""
    if kind == "string":
        return text
    value = text.strip()
    if value == "":
        return ""
    hint = f"correct the value, or declare the attribute as string (it is declared {declared})" if declared else ""
    hint = hint or "correct the value"
    if kind == "boolean":
        if value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        graph.error(f"{where} is '{_show(text)}', which is not true or false", hint)
    elif kind == "integer" and not _INTEGER.fullmatch(value):
        graph.error(f"{where} is '{_show(text)}', which is not a whole number", hint)
    elif kind == "number" and _NOT_FINITE.fullmatch(value):
        graph.error(f"{where} is '{_show(text)}', which is not a finite number", "write a number, or leave it out")
    elif kind == "number" and not _DECIMAL.fullmatch(value):
        graph.error(f"{where} is '{_show(text)}', which is not a number", hint)
    elif len(value.lstrip("+-").split(".")[0].lstrip("0")) > 308 or math.isinf(float(value)):
        graph.error(f"{where} is '{_show(text)}', a number too large to use (beyond 1.8e308)",
                    "write a smaller number, or leave it out")  # fmt: skip
    else:
        return value
    return None


def _read_graphml(root: Any, graph: _Graph) -> None:
    if _local(root) != "graphml":
        graph.error(f"not GraphML: the document is <{_local(root)}>, not <graphml>", "save the graph as GraphML")
        return
    keys = _graphml_keys(root, graph)
    graphs = [c for c in root if _local(c) == "graph"]
    if len(graphs) != 1:
        found = "no <graph>" if not graphs else f"{len(graphs)} graphs"
        graph.error(f"the file holds {found}; valuechain reads one graph", "save one graph per file")
        return
    if graphs[0].get("edgedefault") != "directed":
        graph.error("the graph is undirected", "hand-offs need a direction: save it as a directed graph")
        return
    # (iterator over a graph's children, the group it is, whether its edges are directed), document order
    stack: list[tuple[Iterator[Any], str | None, bool]] = [(iter(graphs[0]), None, True)]
    edges: list[tuple] = []
    while stack:
        children, group, directed = stack[-1]
        element = next(children, None)
        if element is None:
            stack.pop()
            continue
        kind = _local(element)
        if kind == "node":
            node = _graphml_node(element, keys, group, len(graph.nodes) + 1, graph)
            graph.nodes.append(node)
            nested = [c for c in element if _local(c) == "graph"]
            if nested:
                node.is_group = True
                label = node.attrs.get("label") or node.attrs.get("name") or node.id
                for inner in reversed(nested):
                    stack.append((iter(inner), str(label), _directed(inner.get("edgedefault"), directed)))
        elif kind == "edge":
            edges.append((element, directed))
        elif kind in ("hyperedge", "locator"):
            what = "a hyperedge (an edge with several ends)" if kind == "hyperedge" else "a <locator> to another file"
            graph.error(f"the graph holds {what}, which valuechain does not read",
                        "draw each hand-off as an edge from one node to another")  # fmt: skip
            return
    for position, (element, directed) in enumerate(edges, start=1):
        _graphml_edge(element, keys, position, directed, graph)


def _directed(edgedefault: str | None, inherited: bool) -> bool:
    return inherited if edgedefault is None else edgedefault == "directed"


def _graphml_keys(root: Any, graph: _Graph) -> dict[str, dict]:
    keys: dict[str, dict] = {}
    for element in root:
        if _local(element) != "key":
            continue
        key_id = element.get("id") or ""
        name = element.get("attr.name") or key_id
        declared = (element.get("attr.type") or "string").lower()
        key = {"name": name, "for": element.get("for", "all"), "yfiles": element.get("yfiles.type"),
               "type": GRAPHML_TYPES.get(declared), "declared": declared, "default": None}  # fmt: skip
        if key["type"] is None and key["yfiles"] is None:
            graph.error(f"the key '{_show(key_id)}' ('{_show(name)}') has type '{_show(declared)}', which GraphML "
                        "does not define", "use boolean, int, long, float, double or string")  # fmt: skip
            key["type"] = "string"  # its values are not checked again
        if key_id in keys:
            graph.error(f"the key id '{_show(key_id)}' is declared twice", "give each <key> its own id")
            continue
        default = next((c for c in element if _local(c) == "default"), None)
        if default is not None and key["yfiles"] is None:
            where = f"the default of key '{_show(key_id)}' ('{_show(name)}')"
            key["default"] = _typed(default.text, key["type"], where, graph, declared)
        keys[key_id] = key
    return keys


def _graphml_data(element: Any, keys: dict, domain: str, where: str, graph: _Graph) -> tuple[dict, str | None]:
    """An element's attributes (defaults included) and its yEd label, if any."""
    attrs: dict = {}
    label = None
    for data in element:
        if _local(data) != "data":
            continue
        key = keys.get(data.get("key"))
        if key is None:
            graph.error(f"{where} has a value for the key '{_show(data.get('key'))}', which no <key> declares",
                        "declare it with a <key> element, or remove the value")  # fmt: skip
            continue
        if key["yfiles"] is not None:
            if key["yfiles"] in ("nodegraphics", "edgegraphics") and label is None:
                label = _yfiles_label(data)
            continue  # drawing data
        name = key["name"]
        place = f"{where}, attribute '{_show(name)}',"
        if len(data):
            graph.error(f"{place} holds XML elements, not a value", "write the value as text")
        elif name in attrs:
            graph.error(f"{place} has two values", "keep one")
        else:
            attrs[name] = _typed(data.text, key["type"], place, graph, key["declared"])
    for key in keys.values():
        if key["default"] is not None and key["for"] in (domain, "all") and key["name"] not in attrs:
            attrs[key["name"]] = key["default"]
    return attrs, label


def _yfiles_label(data: Any) -> str | None:
    """The text of a yEd node's or edge's first label (of a group, the realizer on show)."""
    for proxy in data.iter():
        if _local(proxy) == "Realizers":
            realizers = [r for r in proxy if isinstance(r.tag, str)]
            active = proxy.get("active", "0")
            if active.isascii() and active.isdigit() and int(active) < len(realizers):
                data = realizers[int(active)]
            break
    for element in data.iter():
        if _local(element) in ("NodeLabel", "EdgeLabel") and (element.text or "").strip():
            return element.text
    return None


def _graphml_node(element: Any, keys: dict, group: str | None, position: int, graph: _Graph) -> _Node:
    identifier = element.get("id")
    where = f"node '{_show(identifier)}'" if identifier else f"node {position}"
    attrs, label = _graphml_data(element, keys, "node", where, graph)
    if label is not None and not _has_field(attrs, "name"):
        attrs["label"] = label
    if group is not None and not _has_field(attrs, "group"):
        attrs["group"] = group
    return _Node(identifier or "", attrs, where, f"node {position} in file order")


def _edge_ends(element: Any, position: int, graph: _Graph) -> tuple[str | None, str | None, str | None, str]:
    """A GraphML or GEXF edge's id, source and target, and how messages name it; an end missing is an error."""
    edge_id = element.get("id")
    source, target = element.get("source"), element.get("target")
    where = f"edge '{_show(edge_id)}'" if edge_id else f"edge {position} ({_show(source)} -> {_show(target)})"
    for end, value in (("source", source), ("target", target)):
        if value is None:
            graph.error(f"{where} has no {end}", "give every edge a source and a target")
    return edge_id, source, target, where


def _graphml_edge(element: Any, keys: dict, position: int, directed: bool, graph: _Graph) -> None:
    _, source, target, where = _edge_ends(element, position, graph)
    if element.get("directed", "true" if directed else "false") != "true":
        graph.error(f"{where} is undirected", "hand-offs need a direction: make the edge directed")
    if any(_local(c) == "graph" for c in element):
        graph.error(f"{where} holds a nested graph, which valuechain does not read", "put the nodes in a group node")
    attrs, label = _graphml_data(element, keys, "edge", where, graph)
    if label is not None:
        attrs.setdefault("label" if _has_field(attrs, "deliverable") else "deliverable", label)
    rows = _written_rows(attrs.get("handoffs"), where, graph)
    graph.edges.append(_Edge(source, target, attrs, where, rows))


def _read_gexf(root: Any, graph: _Graph) -> None:
    if _local(root) != "gexf":
        graph.error(f"not GEXF: the document is <{_local(root)}>, not <gexf>", "save the graph as GEXF")
        return
    graphs = [c for c in root if _local(c) == "graph"]
    if len(graphs) != 1:
        found = "no <graph>" if not graphs else f"{len(graphs)} graphs"
        graph.error(f"the file holds {found}; valuechain reads one graph", "save one graph per file")
        return
    top = graphs[0]
    default_type = top.get("defaultedgetype", "undirected")
    if default_type not in ("directed", "mutual"):
        graph.error("the graph is undirected", "hand-offs need a direction: save it as a directed graph")
        return
    attributes: dict[str, dict] = {"node": {}, "edge": {}}
    for element in top:
        if _local(element) == "attributes":
            _gexf_attributes(element, attributes, graph)
    # (iterator over the children of <graph>, <nodes> or a node, the node they are in), in document order
    stack: list[tuple] = [(iter(top), None)]
    edges: list[Any] = []
    while stack:
        children, parent = stack[-1]
        element = next(children, None)
        if element is None:
            stack.pop()
            continue
        kind = _local(element)
        if kind == "nodes":
            stack.append((iter(element), parent))
        elif kind == "edges":
            edges.extend(e for e in element if _local(e) == "edge")
        elif kind == "node":
            node = _gexf_node(element, attributes["node"], parent, len(graph.nodes) + 1, graph)
            graph.nodes.append(node)
            inside = [c for c in element if _local(c) in ("nodes", "edges")]
            if inside:
                stack.append((iter(inside), node))
    by_id = {n.id: n for n in graph.nodes}
    for node in graph.nodes:  # a node that others are in (nested, or naming it as pid) is a group
        if node.parent is not None and node.parent in by_id:
            by_id[node.parent].is_group = True
    for node in graph.nodes:
        group = by_id.get(node.parent) if node.parent is not None else None
        if group is not None and not _has_field(node.attrs, "group"):
            node.attrs["group"] = _gexf_label(group)
    for position, element in enumerate(edges, start=1):
        _gexf_edge(element, attributes["edge"], default_type, position, graph)


def _gexf_label(node: _Node) -> str:
    return str(node.attrs.get("label") or node.attrs.get("name") or node.id)


def _gexf_attributes(element: Any, attributes: dict, graph: _Graph) -> None:
    domain = element.get("class", "node")
    if domain not in attributes:
        graph.error(f"<attributes> of class '{_show(domain)}', which GEXF does not define", "use node or edge")
        return
    for item in element:
        if _local(item) != "attribute":
            continue
        attr_id, title = item.get("id") or "", item.get("title") or item.get("id") or ""
        declared = (item.get("type") or "string").lower()
        kind = GEXF_TYPES.get(declared)
        if kind is None:
            graph.error(f"the {domain} attribute '{_show(title)}' (id '{_show(attr_id)}') has type "
                        f"'{_show(item.get('type'))}', which GEXF does not define",
                        "use string, integer, long, float, double or boolean")  # fmt: skip
            kind = "string"  # its values are not checked again
        if attr_id in attributes[domain]:
            graph.error(f"the {domain} attribute id '{_show(attr_id)}' is declared twice", "give each its own id")
            continue
        default = next((c for c in item if _local(c) == "default"), None)
        value = None
        if default is not None:
            value = _typed(default.text, kind, f"the default of the {domain} attribute '{_show(title)}'", graph,
                           declared)  # fmt: skip
        attributes[domain][attr_id] = {"name": title, "type": kind, "declared": declared, "default": value}


def _gexf_values(element: Any, declared: dict, where: str, graph: _Graph) -> dict:
    attrs: dict = {}
    for holder in element:
        if _local(holder) != "attvalues":
            continue
        for item in holder:
            if _local(item) != "attvalue":
                continue
            key = item.get("for", item.get("id"))
            attribute = declared.get(key)
            if attribute is None:
                graph.error(f"{where} has a value for the attribute '{_show(key)}', which <attributes> does not "
                            "declare", "declare it, or remove the value")  # fmt: skip
                continue
            name = attribute["name"]
            place = f"{where}, attribute '{_show(name)}',"
            if name in attrs:
                graph.error(f"{place} has several values (a dynamic graph?)",
                            "export a static graph: one value per attribute")  # fmt: skip
                continue
            attrs[name] = _typed(item.get("value"), attribute["type"], place, graph, attribute["declared"])
    for attribute in declared.values():
        if attribute["default"] is not None and attribute["name"] not in attrs:
            attrs[attribute["name"]] = attribute["default"]
    return attrs


def _gexf_node(element: Any, declared: dict, group: _Node | None, position: int, graph: _Graph) -> _Node:
    identifier = element.get("id")
    where = f"node '{_show(identifier)}'" if identifier else f"node {position}"
    attrs = _gexf_values(element, declared, where, graph)
    label = element.get("label")
    if label is not None and label != identifier and not _has_field(attrs, "name"):  # often a copy of the id
        attrs["label"] = label
    for name in ("start", "end"):
        if element.get(name) is not None and name not in attrs:
            attrs[name] = element.get(name)
    parents = [p.get("for") for holder in element if _local(holder) == "parents" for p in holder]
    if len(parents) > 1:
        graph.error(f"{where} has several parents", "put each node in one group")
    pid = element.get("pid") or (parents[0] if parents else None)
    node = _Node(identifier or "", attrs, where, f"node {position} in file order", parent=pid)
    if group is not None:
        node.parent = group.id
    return node


def _gexf_edge(element: Any, declared: dict, default_type: str, position: int, graph: _Graph) -> None:
    _, source, target, where = _edge_ends(element, position, graph)
    kind = element.get("type", default_type)
    if kind not in ("directed", "mutual"):
        problem = "is undirected" if kind == "undirected" else f"has type '{_show(kind)}', which GEXF does not define"
        graph.error(f"{where} {problem}", "hand-offs need a direction: make the edge directed (or mutual)")
    attrs = _gexf_values(element, declared, where, graph)
    for name in ("label", "start", "end", "kind"):
        if element.get(name) is not None and name not in attrs:
            attrs[name] = element.get(name)
    if element.get("weight") is not None and "weight" not in attrs:
        attrs["weight"] = _typed(element.get("weight"), "number", f"{where}, its weight,", graph, None)
    rows = _written_rows(attrs.get("handoffs"), where, graph)
    graph.edges.append(_Edge(source, target, attrs, where, rows))
    if kind == "mutual":
        graph.edges.append(_Edge(target, source, attrs, where + " (mutual: the way back)", rows))


# ------------------------------------------------------------------------------------------------ tables


def _row_number(value: object) -> int | None:
    """A spreadsheet row number written by valuechain (a whole number from 1), else None."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 9:
        value = int(value)
    if isinstance(value, float) and value.is_integer() and 0 < value < 1e9:
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**9 else None


def _cell(value: object) -> str:
    """A value as a table cell: true/false as yes/no, nothing as blank, anything else as its text."""
    if value is None:
        return ""
    if value is True or value is False:
        return "yes" if value else "no"
    return value if type(value) is str else str(value)


def _written_with_prefix(graph: _Graph) -> bool:
    """Whether valuechain wrote the file with its attributes' ``valuechain:`` names (a node or a hand-off row has a
    ``valuechain:row``): its other names that start with the prefix are then user columns with the prefix added."""
    return any(ROW in n.attrs for n in graph.nodes) or any(ROW in r for e in graph.edges for r in e.rows or ())


def _columns(attrs: dict, skip: set, prefixed: bool, where: str, graph: _Graph) -> dict:
    """Attributes as table cells, by column (without the prefix export adds, in a file written with it)."""
    if not prefixed:
        return {k: _cell(v) for k, v in attrs.items() if k not in skip}
    cells: dict = {}
    for k, v in attrs.items():
        if k in skip:
            continue
        column = k.removeprefix(PREFIX)
        if column in cells:
            graph.error(f"{where} has the attributes '{_show(column)}' and '{_show(PREFIX + column)}', which are one "
                        f"column ('{_show(column)}') in a file valuechain wrote", "keep one of them")  # fmt: skip
        cells[column] = _cell(v)
    return cells


def _parties(nodes: list[_Node], prefixed: bool, graph: _Graph) -> pd.DataFrame:
    skip, row = ({ROW, CUSTOMER, "id"}, ROW) if prefixed else (NODE_SKIP | {"id"}, "row")
    rows, numbers = [], []
    for node in nodes:
        rows.append({"id": node.id, **_columns(node.attrs, skip, prefixed, node.where, graph)})
        numbers.append(_row_number(node.attrs.get(row)))
    return _frame(rows, numbers, first=["id"])


def _handoffs(edges: list[_Edge], prefixed: bool, graph: _Graph) -> pd.DataFrame:
    skip, row_key = ({ROW, "source", "target"}, ROW) if prefixed else ({"row", "source", "target"}, "row")
    rows, numbers = [], []
    for edge in edges:
        ends = {"source": edge.source, "target": edge.target}
        if edge.rows is not None:
            for position, row in enumerate(edge.rows, start=1):
                rows.append({**ends, **_columns(row, skip, prefixed, f"{edge.where}, hand-off {position},", graph)})
                numbers.append(_row_number(row.get(row_key)))
            continue
        attrs = _columns(edge.attrs, {"deliverables", "source", "target"}, prefixed, edge.where, graph)
        rows.append({**ends, **attrs})
        numbers.append(None)
    return _frame(rows, numbers, first=["source", "target"])


def _frame(rows: list[dict], numbers: list[int | None], first: list[str]) -> pd.DataFrame:
    """Rows of strings as a table (blank where a row lacks a column), indexed by their spreadsheet row (kept
    where written, else numbered after). Row numbers written twice are not kept (all are numbered in file order).
    """
    frame = pd.DataFrame(rows, dtype=object)
    for column in first:
        if column not in frame.columns:
            frame[column] = []
    frame = frame[first + [c for c in frame.columns if c not in first]].fillna("")
    known = [n for n in numbers if n is not None]
    if len(set(known)) != len(known):
        numbers = [None] * len(numbers)
        known = []
    last = max(known, default=1)
    index = []
    for n in numbers:
        if n is None:
            last += 1
            n = last
        index.append(n)
    frame.index = pd.Index(index, name="row", dtype="int64")  # int64 even with no rows, as a table read has
    return frame.sort_index(kind="stable")
