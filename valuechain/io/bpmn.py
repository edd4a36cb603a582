"""Read an org from BPMN 2.0 process models (``.bpmn``, or ``.xml`` whose root is a BPMN ``definitions``).

The rule is the one in DESIGN.md ("process models"), step by step:

* **Parties.** Each innermost lane (no child lane set, or an empty one; one
  inside an expanded sub-process too) is a party whose ``group`` is its pool's name; a pool whose process has no lanes
  is one party; a pool with no process, or whose process has no flow nodes (a
  black-box pool), is one party of kind ``vendor_partner``. A process that no
  participant references is a pool of its own (skipped when it has no flow
  node). A party's id is its lane's name, else its pool's; where two parties
  would share an id, a lane's party becomes ``Pool / Lane`` and a whole
  pool's ``Pool / Pool``; parties still sharing an id are one party.
* **Placement.** A node belongs to the innermost lane whose ``flowNodeRef``
  lists it (its own pool's lanes first); to the innermost lane, below a lane
  that lists it, whose diagram bounds hold the node's centre; to the lane
  drawn inside its enclosing expanded sub-process whose bounds hold its centre;
  to that sub-process's party; to the lane of its pool whose bounds hold its
  centre; a boundary event to its activity's party; else to a party named
  after the pool (with a warning, unless the pool has lanes only inside
  sub-processes: it is then one party beside them).
* **Hand-offs.** From each step (every flow node but gateways), its sequence
  flows are followed through gateways to the next steps; where the party
  changes, the step's party hands off to the next step's, deliverable the
  step's name (else its element type). Each message flow is a hand-off from the
  party of its source to the party of its target (a pool stands for its party).
  Every hand-off is essential; repeated ones, and those within one party,
  are dropped silently. Gateways are followed once per model: the gateways
  that reach one another (a strongly connected component) are taken together,
  each component with the parties it leads to, so a step's next parties are a
  union over its direct successors (about linear time, loops included); a
  step's hand-offs through gateways are listed in the order of the parties.
  A message flow ending at the edge of a pool with lanes is warned about.
* **Names** (ids, deliverables, outcomes) have whitespace runs (line breaks and
  no-break spaces included) made one space and their ends trimmed.

XML is parsed through defusedxml (no DTD, no entity), with the file's size, its
nesting depth and the length of an attribute bounded; references written as
QNames (``bpmn2:_id``) name the id after the colon, and any namespace prefix (or
none) is read.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from valuechain.io.read import FileSource, RawTable, read_bytes
from valuechain.problems import Code, InputError, Problem, shown

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

#: The namespace of a BPMN 2.0 model's elements.
BPMN_NAMESPACE = "http://www.omg.org/spec/BPMN/20100524/MODEL"
#: The extension of a process model (an ``.xml`` file is one when its root is a BPMN ``definitions``).
BPMN_SUFFIXES = {".bpmn", ".bpmn2"}
#: The largest model read, in bytes (a model of a few hundred steps with its diagram is well under 1 MB).
LARGEST_MODEL = 100_000_000
#: The most elements read (a model of 10,000 steps with its diagram holds about 110,000, a few times that with a
#: tool's extension elements; each costs about 400 bytes as a tree and as much again as a node, so a 100 MB file
#: of bare tasks, 5 million of them, would take 3.5 GB).
MOST_ELEMENTS = 1_000_000
#: The most attributes read, counted as the '=' signs of the file before it is parsed (the parser makes all the
#: attributes of an element at once, before any check could look at them: one element of 3 million empty
#: attributes, 35 MB, took 1.2 GB). A model of 10,000 steps with its diagram writes about 225,000.
MOST_ATTRIBUTES = 2_000_000
#: The deepest nesting of elements read (real models nest a few dozen deep).
DEEPEST = 256
#: The longest attribute value read, in characters (names, ids and references are short).
LONGEST_ATTRIBUTE = 65_536
#: The most hand-offs one model may give. Through gateways each step may hand off to every lane they lead to,
#: so a small file could otherwise ask for steps x lanes of them (a model of a few hundred steps gives hundreds).
MOST_HANDOFFS = 1_000_000
#: The most bounds tests that placing nodes by the diagram may take (each node placed by its centre is tested
#: against the shapes of the lanes it may be in, in its plane; a model of a few thousand steps among a hundred
#: lanes takes a few hundred thousand). Without a bound, a model of a few MB (thousands of lanes, each node
#: drawn past all of them) would ask for hundreds of millions.
MOST_BOUNDS_TESTS = 400_000_000
#: The most (group of gateways, lane or pool) pairs held while following flows through gateways: each group of
#: gateways that reach one another holds the parties it leads to (a bit each, up to the highest). Real models hold
#: thousands; a chain of gateways each leading to a lane of its own holds n * n / 2 (a 25 MB chain: 1.9 GB).
MOST_GATEWAY_LANES = 1_000_000_000
#: How many bytes of an XML file are looked at to tell whether it is a BPMN model (a long licence comment may
#: come first).
PEEK = 1_048_576
#: The id of the party that the outcome end events hand off to, unless a customer is named.
CUSTOMER = "customer"
#: How many candidates the no-customer error lists.
CANDIDATES = 10

ACTIVITIES = frozenset(
    {
        "task",
        "userTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "manualTask",
        "businessRuleTask",
        "scriptTask",
        "callActivity",
        "subProcess",
        "adHocSubProcess",
        "transaction",
    }
)
SUB_PROCESSES = frozenset({"subProcess", "adHocSubProcess", "transaction"})
EVENTS = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "implicitThrowEvent",
    }
)
GATEWAYS = frozenset(
    {"exclusiveGateway", "inclusiveGateway", "parallelGateway", "complexGateway", "eventBasedGateway", "gateway"}
)
#: Elements that hold no org data and are not counted as skipped (descriptions, bookkeeping, the diagram).
NOT_ORG_DATA = frozenset(
    {
        "documentation",
        "extensionElements",
        "laneSet",
        "ioSpecification",
        "property",
        "ioBinding",
        "auditing",
        "monitoring",
        "correlationKey",
        "participant",
        "messageFlow",
        "sequenceFlow",
        "participantAssociation",
        "messageFlowAssociation",
        "correlationSubscription",
        "supportedInterfaceRef",
        "resourceRole",
        "performer",
        "humanPerformer",
        "potentialOwner",
        "multiInstanceLoopCharacteristics",
        "standardLoopCharacteristics",
        "incoming",
        "outgoing",
    }
)

#: The warnings that gather one kind of thing, by kind: (the sentence for one, for several, the hint).
NOTES = {
    "no_id": ("a flow node has no id and is skipped", "{n} flow nodes have no id and are skipped",
              "give every element an id in the modelling tool"),
    "duplicate_id": ("an id is used by two flow nodes; the second is skipped",
                     "{n} ids are used by two flow nodes; the second of each is skipped",
                     "give every element its own id in the modelling tool"),
    "in_no_lane": ("a node is in no lane (no lane lists it and the diagram does not place it); it is given to a "
                   "party named after its pool", "{n} nodes are in no lane (no lane lists them and the diagram does "
                   "not place them); each is given to a party named after its pool",
                   "put every node in a lane in the modelling tool"),
    "sequence_flow": ("a sequence flow names a node that is not in the model, and makes no hand-off",
                      "{n} sequence flows name nodes that are not in the model, and make no hand-off",
                      "connect each flow to a task, event or gateway in the modelling tool"),
    "missing_process": ("a participant names a process that is not in the model; it is read as a black-box pool",
                        "{n} participants name processes that are not in the model; each is read as a black-box pool",
                        "export the model again with its processes, or remove the reference in the modelling tool"),
    "missing_node": ("a lane lists a node that is not in the model; the reference is not used",
                     "{n} lane references name nodes that are not in the model; they are not used",
                     "remove the lane's reference to the deleted node in the modelling tool"),
    "pool_edge": ("a message flow ends at the edge of a pool with lanes, not at a step in a lane; a party named after "
                  "the pool stands for that end",
                  "{n} message flows end at the edge of a pool with lanes, not at a step in a lane; a party named "
                  "after the pool stands for each such end",
                  "the model is better drawn with the message flow to (or from) the step in the lane that receives "
                  "(or sends) it"),
    "message_flow": ("a message flow names no step or pool of the model, and makes no hand-off",
                     "{n} message flows name no step or pool of the model, and make no hand-off",
                     "connect each message flow to a task, event or pool in the modelling tool"),
}  # fmt: skip
#: How many things a gathered warning names.
NOTED = 5

_WHITESPACE = re.compile(r"\s+")
_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]")


def name_of(text: str | None) -> str:
    """A name as the rule compares it: NFC, whitespace runs (line breaks, no-break spaces) one space, trimmed.

    Examples
    --------
    >>> name_of("  Check\\n\\u00a0invoice ")
    'Check invoice'
    >>> name_of(None)
    ''
    """
    if not text:
        return ""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _ref(text: str | None) -> str:
    """A reference as the id it names: trimmed, the QName prefix (``bpmn2:``) dropped."""
    return (text or "").strip().rpartition(":")[2]


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _namespace(element: Any) -> str:
    tag = element.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def is_bpmn_file(source: object) -> bool:
    """Whether ``source`` (a path or a named upload) is a process model: a ``.bpmn`` file, or an ``.xml`` file
    whose root element is a BPMN 2.0 ``definitions``.

    Examples
    --------
    >>> is_bpmn_file("order.BPMN"), is_bpmn_file("order.csv"), is_bpmn_file("missing.xml")
    (True, False, False)
    """
    name = source if isinstance(source, str | Path) else getattr(source, "name", None)
    if not isinstance(name, str | Path):
        return False
    suffix = Path(str(name)).suffix.lower()
    if suffix in BPMN_SUFFIXES:
        return True
    if suffix != ".xml":
        return False
    head = _head(source)
    return head is not None and _bpmn_head(head)


def _head(source: object) -> bytes | None:
    """The first :data:`PEEK` bytes of a path or an upload (the upload's position kept); None when unreadable."""
    try:
        if hasattr(source, "read"):
            upload: Any = source
            position = upload.tell()
            head = upload.read(PEEK)
            upload.seek(position)
        else:
            with open(str(source), "rb") as file:
                head = file.read(PEEK)
    except (OSError, ValueError, TypeError):
        return None
    return head if isinstance(head, bytes) else str(head).encode("utf-8")


def readable_head(source: object) -> bool:
    """Whether the start of a path or an upload can be read (a missing file is its reader's to name).

    Examples
    --------
    >>> readable_head("data/order-to-cash/order-to-cash.bpmn"), readable_head("missing.xml")
    (True, False)
    """
    return _head(source) is not None


def xml_root(source: object) -> str | None:
    """The name (without prefix) of the first element of an XML file, path or upload; None when it holds none.

    Examples
    --------
    >>> xml_root("data/order-to-cash/order-to-cash.bpmn"), xml_root("missing.xml")
    ('definitions', None)
    """
    head = _head(source)
    if head is None:
        return None
    match = _first_tag(head)
    return match.group(2).decode("ascii", "replace") if match else None


def _bpmn_head(head: bytes) -> bool:
    """Whether the first element of an XML text is a ``definitions`` in the BPMN namespace."""
    match = _first_tag(head)
    if match is None or match.group(2) != b"definitions":
        return False
    text = match.string
    end = text.find(b">", match.start())
    return BPMN_NAMESPACE.encode() in text[match.start() : end if end > 0 else len(text)]


def _utf16(head: bytes) -> str | None:
    """``"le"`` or ``"be"`` for an XML file in UTF-16 (told by its byte order mark, or by ``<?`` written in two
    bytes a character), else None.

    Examples
    --------
    >>> _utf16("<?xml?>".encode("utf-16-le")), _utf16(b"<?xml?>")
    ('le', None)
    """
    if head.startswith((b"\xff\xfe", b"<\x00?\x00")):
        return "le"
    if head.startswith((b"\xfe\xff", b"\x00<\x00?")):
        return "be"
    return None


def _as_utf8(head: bytes) -> bytes:
    """The start of an XML file in UTF-8: one in UTF-16 decoded first, a character cut at the end dropped."""
    order = _utf16(head)
    return head.decode(f"utf-16-{order}", errors="ignore").encode("utf-8") if order else head


def _first_tag(head: bytes) -> re.Match[bytes] | None:
    """The start of the first element of an XML text (group 2: its name without prefix), past the declaration,
    processing instructions, comments and a DOCTYPE; None when the text holds none. One pass: each look ahead
    starts where the last ended (patterns that skip these lazily take time quadratic in a text of ``<?`` alone).
    """
    text = _as_utf8(head)
    at = 0
    while True:
        at = text.find(b"<", at)
        if at < 0:
            return None
        if text.startswith(b"<?", at):
            end, close = text.find(b"?>", at + 2), 2
        elif text.startswith(b"<!--", at):
            end, close = text.find(b"-->", at + 4), 3
        elif text.startswith(b"<!", at):  # a DOCTYPE, its internal subset in [...] if any
            end, close = text.find(b">", at + 2), 1
            bracket = text.find(b"[", at + 2, end if end >= 0 else len(text))
            if bracket >= 0:
                subset_end = text.find(b"]", bracket)
                end = text.find(b">", subset_end) if subset_end >= 0 else -1
        else:
            match = _FIRST_TAG.match(text, at)
            if match is not None:
                return match
            at += 1
            continue
        if end < 0:
            return None
        at = end + close


# --------------------------------------------------------------------------------------------- the model


@dataclass
class _Lane:
    id: str
    name: str
    refs: list[str]
    children: list[_Lane] = field(default_factory=list)
    party: int = -1  # index of its party, for an innermost lane

    @property
    def innermost(self) -> bool:
        return not self.children

    def innermost_below(self) -> list[_Lane]:
        """The innermost lanes below this one, in document order."""
        found, stack = [], [self]
        while stack:
            lane = stack.pop()
            if lane.innermost:
                found.append(lane)
            else:
                stack.extend(reversed(lane.children))
        return found


@dataclass
class _Pool:
    name: str
    process: Any | None  # the <process> element, or None for a pool with no process
    participants: list[str]
    black_box: bool = False
    name_from_participant: bool = False  # its name is a participant's (another participant's name does not replace it)
    lanes: list[_Lane] = field(default_factory=list)  # every lane, in document order
    party: int = -1  # its whole-pool party (for a pool without lanes), else -1
    named_party: int = -1  # the party named after the pool, for a pool with lanes (made when needed)
    has_own_lanes: bool = False  # whether its process has lanes (not only lanes inside its sub-processes)

    @property
    def innermost(self) -> list[_Lane]:
        return [lane for lane in self.lanes if lane.innermost]

    @property
    def element(self) -> str:
        """The pool as a message names it: its participant's id, else its process's id."""
        identifier = next((p for p in self.participants if p), "")
        if not identifier and self.process is not None:
            identifier = self.process.get("id") or ""
        return f"pool '{shown(identifier or self.name, 60)}'"


@dataclass
class _SubProcessLanes:
    """The lanes drawn inside one expanded sub-process (its own lane sets), in document order."""

    lanes: list[_Lane] = field(default_factory=list)

    @property
    def innermost(self) -> list[_Lane]:
        return [lane for lane in self.lanes if lane.innermost]


@dataclass
class _Node:
    id: str
    kind: str  # the element's local name
    name: str
    pool: int
    parent: str | None  # the enclosing sub-process's id
    attached_to: str | None = None

    @property
    def is_step(self) -> bool:
        return self.kind not in GATEWAYS


@dataclass
class _Party:
    id: str
    kind: str
    group: str
    lane: _Lane | None  # its lane, or None for a whole pool
    pool: _Pool
    elements: list[str] = field(default_factory=list)  # the lanes and pools it stands for, as messages name them


@dataclass
class Model:
    """One process model read as an org: its parties, hand-offs and end events, settled by the rule.

    Attributes
    ----------
    file : str
        The file as messages name it.
    parties : list of dict
        ``id``, ``kind``, ``group`` of each party, in the order first made.
    handoffs : list of tuple
        ``(source, target, deliverable)``, each once, in the order found.
    end_events : list of tuple
        ``(party, name)`` of every end event (``name`` empty when it has none).
    problems : list of Problem
        Warnings: what was skipped, flows naming nodes that do not exist, nodes placed by their pool.
    elements : dict
        The lanes and pools (``"lane 'l1'"``, ``"pool 'P'"``) each party stands for, by party id.
    """

    file: str
    parties: list[dict] = field(default_factory=list)
    elements: dict[str, list[str]] = field(default_factory=dict)
    handoffs: list[tuple[str, str, str]] = field(default_factory=list)
    end_events: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def black_boxes(self) -> list[str]:
        """The ids of the black-box pools' parties."""
        return [p["id"] for p in self.parties if p["kind"] == "vendor_partner"]


def _refuse(name: str, message: str, hint: str, code: Code = Code.BAD_MODEL) -> InputError:
    return InputError([Problem.error(name, message, hint, code=code)])


class _Builder:
    """Builds the element tree (xml.etree's TreeBuilder) while refusing nesting deeper than :data:`DEEPEST` and
    attributes longer than :data:`LONGEST_ATTRIBUTE`, as each element starts."""

    def __init__(self, name: str) -> None:
        from xml.etree.ElementTree import TreeBuilder

        self.name, self.tree, self.depth, self.count = name, TreeBuilder(), 0, 0

    def start(self, tag: str, attrib: dict[str, str]) -> Any:
        self.depth += 1
        self.count += 1
        local = tag.rpartition("}")[2]
        if self.count > MOST_ELEMENTS:
            raise _refuse(
                self.name,
                f"the model holds more than {MOST_ELEMENTS:,} elements, more than a process model is read",
                "split the model into several files (one per pool or process), read together",
                Code.TOO_LARGE,
            )
        if self.depth > DEEPEST:
            raise _refuse(
                self.name,
                f"elements are nested more than {DEEPEST} deep (element <{shown(local, 40)}>)",
                "export the process model again; a model nests a few dozen levels at most",
            )
        for attribute, value in attrib.items():
            if len(value) > LONGEST_ATTRIBUTE:
                identifier = attrib.get("id")
                where = f"<{shown(local, 40)}> '{shown(identifier, 60)}'" if identifier else f"a <{shown(local, 40)}>"
                raise _refuse(
                    self.name,
                    f"{where} has an attribute '{shown(_local_name(attribute), 40)}' of {len(value):,} characters, "
                    f"more than is read ({LONGEST_ATTRIBUTE:,})",
                    "export the process model again",
                    Code.TOO_LARGE,
                )
        return self.tree.start(tag, attrib)

    def end(self, tag: str) -> Any:
        self.depth -= 1
        return self.tree.end(tag)

    def data(self, text: str) -> None:
        self.tree.data(text)

    def close(self) -> Any:
        return self.tree.close()


def _too_large(name: str, size: int) -> InputError:
    return _refuse(
        name,
        f"the file is {size / 1e6:,.0f} MB, more than a process model is read ({LARGEST_MODEL / 1e6:,.0f} MB)",
        "split the model into several files",
        Code.TOO_LARGE,
    )


def _equals_signs(data: bytes) -> int:
    """How many '=' characters an XML file holds: its '=' bytes, or in UTF-16 (:func:`_utf16`) its two-byte '='
    characters (the byte of '=' is also half of other characters there, Cyrillic 'н' among them).

    Examples
    --------
    >>> _equals_signs(b'<a b="1"/>'), _equals_signs('<a b="н"/>'.encode("utf-16"))
    (1, 1)
    """
    order = _utf16(data)
    if order is None:
        return data.count(b"=")
    units = np.frombuffer(data, dtype="<u2" if order == "le" else ">u2", count=len(data) // 2)
    return int(np.count_nonzero(units == ord("=")))


def _parse(data: bytes, name: str) -> Any:
    """The root element of a model's XML: no DTD or entity, bounded depth and attribute length."""
    import defusedxml.ElementTree as safe
    from defusedxml import DefusedXmlException

    if not data.strip():
        raise _refuse(name, "the file is empty", "export the process model again", Code.EMPTY)
    if len(data) > LARGEST_MODEL:
        raise _too_large(name, len(data))
    equals = _equals_signs(data)
    if equals > MOST_ATTRIBUTES:
        raise _refuse(
            name,
            f"the model holds more than {MOST_ATTRIBUTES:,} attributes (it has {equals:,} '=' signs), more "
            "than a process model is read",
            "split the model into several files (one per pool or process), read together",
            Code.TOO_LARGE,
        )
    builder = _Builder(name)
    try:
        parser = safe.DefusedXMLParser(target=builder, forbid_dtd=True)
        parser.feed(data)  # at once: fed in small pieces, expat would scan a huge attribute again for each piece
        root = parser.close()
    except InputError:
        raise
    except DefusedXmlException as err:
        raise _refuse(
            name,
            f"the XML declares a DTD, entities or external references ({type(err).__name__}), which are not read",
            "export the process model again without a DTD",
        ) from err
    except Exception as err:  # a parse error of any kind (binary data, a truncated file)
        raise _refuse(
            name,
            f"not well-formed XML ({shown(str(err), 120)})",
            "open it in the modelling tool that wrote it and export it again as BPMN 2.0 XML",
        ) from err
    if root is None:
        raise _refuse(name, "the file holds no XML element", "export the process model again", Code.EMPTY)
    if _local(root) != "definitions" or _namespace(root) not in (BPMN_NAMESPACE, ""):
        raise _refuse(
            name,
            f"not a BPMN 2.0 model: the document is <{shown(_local(root), 40)}>"
            + (f" in the namespace '{shown(_namespace(root), 80)}'" if _namespace(root) else "")
            + f", not <definitions> in {BPMN_NAMESPACE}",
            "export the process model as BPMN 2.0 XML",
        )
    return root


def _local_name(attribute: str) -> str:
    return attribute.rpartition("}")[2]


def _children(element: Any, namespace: str) -> Iterable[Any]:
    """The child elements of ``element`` in the model's namespace."""
    return (c for c in element if isinstance(c.tag, str) and _namespace(c) == namespace)


class _Reader:
    """Reads one model's definitions into a :class:`Model` by the rule."""

    def __init__(self, root: Any, name: str) -> None:
        self.root, self.name = root, name
        self.ns = _namespace(root)
        self.model = Model(Path(name).name)
        self.skipped: Counter[str] = Counter()
        self.pools: list[_Pool] = []
        self.parties: list[_Party] = []
        self.nodes: dict[str, _Node] = {}
        self.flows: list[tuple[str, str, str]] = []  # (flow id, source, target)
        self.participants: dict[str, tuple[int, Any]] = {}  # participant id -> (pool, element)
        self.placed: dict[str, int] = {}
        self.shapes: dict[str, list[tuple[int, tuple[float, float, float, float]]]] = {}
        self.notes: dict[str, list[str]] = {}
        self.bounds: dict[int, _LaneBounds] = {}  # the bounds of the lanes below a lane, or of a pool, by its id()
        self.bounds_tests = 0
        # (pool, sub-process id, lane set) of the lanes inside expanded sub-processes, and those lanes by sub-process
        self.inner_lane_sets: list[tuple[int, str, Any]] = []
        self.sub_process_lanes: dict[str, _SubProcessLanes] = {}

    def warn(self, message: str, hint: str = "") -> None:
        self.model.problems.append(Problem.warning(self.model.file, message, hint, code=Code.BAD_MODEL))

    def note(self, what: str, item: str) -> None:
        """Remember one thing of a kind of warning (:data:`NOTES`): each kind is one warning, with a count."""
        self.notes.setdefault(what, []).append(item)

    def _warn_notes(self) -> None:
        for what, items in self.notes.items():
            one, several, hint = NOTES[what]
            listed = ", ".join(items[:NOTED]) + (f" and {len(items) - NOTED:,} more" if len(items) > NOTED else "")
            self.warn((one if len(items) == 1 else several.format(n=f"{len(items):,}")) + f": {listed}", hint)

    # -------------------------------------------------------------------------------- reading the file

    def read(self) -> Model:
        processes = [e for e in _children(self.root, self.ns) if _local(e) == "process"]
        collaborations = [e for e in _children(self.root, self.ns) if _local(e) == "collaboration"]
        if not processes and not collaborations:
            raise _refuse(
                self.name,
                "the model holds no process and no collaboration",
                "export the process model (its pools and lanes) as BPMN 2.0 XML",
            )
        for element in _children(self.root, self.ns):
            kind = _local(element)
            if kind in ("choreography", "globalConversation"):
                self.skipped[kind] += 1
        by_process = {e.get("id"): e for e in processes if e.get("id")}
        self._pools(collaborations, processes, by_process)
        for index, pool in enumerate(self.pools):
            if pool.process is not None:
                self._walk(pool.process, index)
        for pool in self.pools:
            if pool.process is not None and not pool.black_box:
                for lane_set in _children(pool.process, self.ns):
                    if _local(lane_set) == "laneSet":
                        pool.lanes.extend(self._lanes(lane_set))
                pool.has_own_lanes = bool(pool.lanes)
        for index, sub_process, lane_set in self.inner_lane_sets:  # lanes inside expanded sub-processes: their pool's
            if not self.pools[index].black_box:
                lanes = self._lanes(lane_set)
                self.pools[index].lanes.extend(lanes)
                self.sub_process_lanes.setdefault(sub_process, _SubProcessLanes()).lanes.extend(lanes)
        for pool in self.pools:
            for lane in pool.lanes:
                for ref in lane.refs:
                    if ref not in self.nodes:
                        self.note("missing_node", f"lane '{shown(lane.id, 60)}' lists '{shown(ref, 60)}'")
        self._diagram()
        self._settle_parties()
        self._sequence_handoffs()
        messages = {
            e.get("id"): name_of(e.get("name")) for e in _children(self.root, self.ns) if _local(e) == "message"
        }
        for collaboration in collaborations:
            self._message_handoffs(collaboration, messages)
        for node in self.nodes.values():
            if node.kind == "endEvent":
                self.model.end_events.append((self._party_of(node), node.name))
        self._warn_notes()
        if self.skipped:
            listed = ", ".join(f"{n} {kind}" for kind, n in sorted(self.skipped.items(), key=lambda kv: -kv[1]))
            total = sum(self.skipped.values())
            self.warn(
                f"{total:,} element{'s that make' if total != 1 else ' that makes'} no party or hand-off "
                f"{'were' if total != 1 else 'was'} skipped ({listed})",
                "data objects, associations, annotations and conversations do not change the chain",
            )
        self.model.parties = [{"id": p.id, "kind": p.kind, "group": p.group} for p in self.parties]
        self.model.elements = {p.id: list(dict.fromkeys(p.elements)) for p in self.parties}
        return self.model

    def _pools(self, collaborations: list[Any], processes: list[Any], by_process: dict[str, Any]) -> None:
        """The pools: participants (those of one process are one pool), then processes no participant names."""
        pool_of_process: dict[str, int] = {}
        for collaboration in collaborations:
            for element in _children(collaboration, self.ns):
                kind = _local(element)
                if kind != "participant":
                    if kind not in NOT_ORG_DATA:
                        self.skipped[kind] += 1
                    continue
                identifier = element.get("id") or ""
                if identifier and identifier in self.participants:
                    continue  # one participant shown in several collaborations (diagrams) is one pool
                process_id = _ref(element.get("processRef"))
                process = by_process.get(process_id)
                if process is None and process_id:
                    self.note(
                        "missing_process",
                        f"participant '{shown(identifier, 60)}' (processRef '{shown(process_id, 60)}')",
                    )
                if process is not None and process_id in pool_of_process:
                    index = pool_of_process[process_id]
                    pool = self.pools[index]
                    pool.participants.append(identifier)
                    if not pool.name_from_participant and name_of(element.get("name")):
                        pool.name = name_of(element.get("name"))
                        pool.name_from_participant = True
                    self.participants[identifier] = (index, element)
                    continue
                name = name_of(element.get("name"))
                if process is not None:
                    name_from_participant = bool(name)
                    name = name or name_of(process.get("name")) or process_id
                else:
                    name_from_participant = True
                    name = name or identifier
                pool = _Pool(name, process, [identifier], name_from_participant=name_from_participant)
                self.pools.append(pool)
                index = len(self.pools) - 1
                self.participants[identifier] = (index, element)
                if process is not None:
                    pool_of_process[process_id] = index
        for process in processes:
            process_id = process.get("id") or ""
            if process_id in pool_of_process:
                continue
            if not self._has_flow_node(process):
                continue  # a process no participant names, with nothing in it: no party
            pool = _Pool(name_of(process.get("name")) or process_id, process, [])
            self.pools.append(pool)
        for pool in self.pools:
            pool.black_box = pool.process is None or not self._has_flow_node(pool.process)

    def _has_flow_node(self, process: Any) -> bool:
        return any(
            _local(c) in ACTIVITIES or _local(c) in EVENTS or _local(c) in GATEWAYS for c in _children(process, self.ns)
        )

    def _walk(self, process: Any, pool: int) -> None:
        """The flow nodes and sequence flows of a process, sub-processes included (iteratively)."""
        stack: list[tuple[Any, str | None]] = [(process, None)]
        while stack:
            container, parent = stack.pop()
            for element in _children(container, self.ns):
                kind = _local(element)
                identifier = element.get("id") or ""
                if kind in ACTIVITIES or kind in EVENTS or kind in GATEWAYS:
                    if not identifier:
                        self.note("no_id", f"<{kind}> '{shown(name_of(element.get('name')), 60)}'")
                        continue
                    if identifier in self.nodes:
                        self.note("duplicate_id", f"'{shown(identifier, 60)}'")
                        continue
                    attached = _ref(element.get("attachedToRef")) if kind == "boundaryEvent" else None
                    self.nodes[identifier] = _Node(
                        identifier, kind, name_of(element.get("name")), pool, parent, attached or None
                    )
                    if kind in SUB_PROCESSES:
                        stack.append((element, identifier))
                elif kind == "laneSet" and parent is not None:
                    self.inner_lane_sets.append((pool, parent, element))
                elif kind == "sequenceFlow":
                    self.flows.append((identifier, _ref(element.get("sourceRef")), _ref(element.get("targetRef"))))
                elif kind not in NOT_ORG_DATA:
                    self.skipped[kind] += 1

    def _lanes(self, lane_set: Any) -> list[_Lane]:
        """Every lane of a lane set, nested ones included, in document order."""
        found: list[_Lane] = []
        stack: list[tuple[Any, _Lane | None]] = [(e, None) for e in reversed(list(_children(lane_set, self.ns)))]
        while stack:
            element, parent = stack.pop()
            if _local(element) != "lane":
                continue
            refs = [_ref(r.text) for r in _children(element, self.ns) if _local(r) == "flowNodeRef"]
            lane = _Lane(element.get("id") or "", name_of(element.get("name")), [r for r in refs if r])
            found.append(lane)
            if parent is not None:
                parent.children.append(lane)
            inner = [
                child
                for child_set in _children(element, self.ns)
                if _local(child_set) == "childLaneSet"
                for child in _children(child_set, self.ns)
            ]
            stack.extend((child, lane) for child in reversed(inner))
        return found

    def _diagram(self) -> None:
        """The bounds of every shape, by the element it draws: (plane, (x, y, width, height)), in file order."""
        planes = [e for e in self.root.iter() if _local(e) == "BPMNPlane"]
        for index, plane in enumerate(planes):
            for shape in plane.iter():
                if _local(shape) != "BPMNShape":
                    continue
                element = _ref(shape.get("bpmnElement"))
                bounds = next((b for b in shape if _local(b) == "Bounds"), None)
                if not element or bounds is None:
                    continue
                try:
                    box = tuple(float(bounds.get(k, "")) for k in ("x", "y", "width", "height"))
                except ValueError:
                    continue
                self.shapes.setdefault(element, []).append((index, box))  # type: ignore[arg-type]

    # ------------------------------------------------------------------------------------------ parties

    def _settle_parties(self) -> None:
        """A party per innermost lane (or whole pool); ids that collide become ``Pool / Lane``."""
        made: list[tuple[str, str, _Lane | None, _Pool]] = []  # (first id, kind, lane, pool)
        for pool in self.pools:
            inner = pool.innermost
            if inner and not pool.black_box:
                made.extend((lane.name or pool.name, "team", lane, pool) for lane in inner)
            else:
                made.append((pool.name, "vendor_partner" if pool.black_box else "team", None, pool))
        counts = Counter(first for first, _, _, _ in made)
        by_id: dict[str, int] = {}
        for first, kind, lane, pool in made:
            identifier = first
            if counts[first] > 1:
                identifier = f"{pool.name} / {(lane.name or pool.name) if lane is not None else pool.name}"
            index = self._party(identifier, kind, pool, lane, by_id)
            if lane is not None:
                lane.party = index
            else:
                pool.party = index
        self.by_id = by_id

    def _party(self, identifier: str, kind: str, pool: _Pool, lane: _Lane | None, by_id: dict[str, int]) -> int:
        """The index of the party with this id, made when new (parties sharing an id are one party)."""
        index = by_id.get(identifier)
        if index is None:
            self.parties.append(_Party(identifier, kind, pool.name, lane, pool))
            index = by_id[identifier] = len(self.parties) - 1
        elif kind == "team":
            self.parties[index].kind = "team"  # a party modelled with its work somewhere is a team
        self.parties[index].elements.append(f"lane '{shown(lane.id, 60)}'" if lane is not None else pool.element)
        return index

    def _pool_party(self, pool: _Pool) -> int:
        """The party standing for a whole pool: its own party, or for a pool with lanes one named after it."""
        if pool.party >= 0:
            return pool.party
        if pool.named_party < 0:
            pool.named_party = self._party(pool.name, "team", pool, None, self.by_id)
        return pool.named_party

    # -------------------------------------------------------------------------------------- placement

    def _centre(self, node_id: str) -> tuple[int, float, float] | None:
        shapes = self.shapes.get(node_id)
        if not shapes:
            return None
        plane, (x, y, w, h) = shapes[0]
        return plane, x + w / 2, y + h / 2

    def _lane_at(
        self, owner: _Lane | _Pool | _SubProcessLanes, centre: tuple[int, float, float] | None
    ) -> _Lane | None:
        """The first innermost lane of ``owner`` (below a lane, of a pool, or of a sub-process) whose bounds in the
        centre's plane hold it (bounds inclusive); the lanes' bounds are gathered once per owner, and tested all at
        once."""
        if centre is None:
            return None
        bounds = self.bounds.get(id(owner))
        if bounds is None:
            lanes = owner.innermost_below() if isinstance(owner, _Lane) else owner.innermost
            bounds = self.bounds[id(owner)] = _LaneBounds(lanes, self.shapes)
        self.bounds_tests += bounds.tests(centre[0])
        if self.bounds_tests > MOST_BOUNDS_TESTS:
            raise _refuse(
                self.name,
                f"placing its nodes by the diagram takes more than {MOST_BOUNDS_TESTS:,} tests of lanes' bounds "
                "(many nodes that no lane lists, drawn among many lanes), more than a process model is read",
                "list each node in its lane (flowNodeRef) in the modelling tool, or split the model into several files",
                Code.TOO_LARGE,
            )
        return bounds.first_holding(*centre)

    def _party_index(self, node: _Node) -> int:
        """The party a node belongs to, by rule 2 (memoised)."""
        chain: list[_Node] = []
        current: _Node | None = node
        while current is not None and current.id not in self.placed:
            chain.append(current)
            parent = self.nodes.get(current.parent) if current.parent else None
            current = parent if parent is not None and parent.id not in self.placed else None
        for item in reversed(chain):  # outermost sub-process first, so each finds its parent placed
            self.placed[item.id] = self._place(item)
        return self.placed[node.id]

    def _place(self, node: _Node) -> int:
        pool = self.pools[node.pool]
        if pool.party >= 0:
            return pool.party
        listing = self.listing.get(node.id, [])
        own = [lane for owner, lane in listing if owner is pool] + [
            lane for owner, lane in listing if owner is not pool
        ]
        for lane in own:
            if lane.innermost:
                return lane.party
        centre = self._centre(node.id)
        for lane in own:
            found = self._lane_at(lane, centre)
            if found is not None:
                return found.party
        if node.parent is not None and node.parent in self.nodes:
            if node.parent in self.sub_process_lanes:  # the sub-process's own lanes, by the diagram, first
                found = self._lane_at(self.sub_process_lanes[node.parent], centre)
                if found is not None:
                    return found.party
            return (
                self.placed[node.parent] if node.parent in self.placed else self._party_index(self.nodes[node.parent])
            )
        found = self._lane_at(pool, centre)
        if found is not None:
            return found.party
        if node.attached_to and node.attached_to in self.nodes and node.attached_to != node.id:
            activity = self.nodes[node.attached_to]
            if activity.attached_to is None:
                return self._party_index(activity)
        if not pool.has_own_lanes:  # lanes only inside its sub-processes: the pool is one party beside them
            return self._pool_party(pool)
        self.note(
            "in_no_lane",
            f"{node.kind} '{shown(node.name or node.id, 60)}' (id '{shown(node.id, 60)}') to '{shown(pool.name, 60)}'",
        )
        return self._pool_party(pool)

    def _party_of(self, node: _Node) -> str:
        if not hasattr(self, "listing"):
            self._index_lanes()
        return self.parties[self._party_index(node)].id

    def _index_lanes(self) -> None:
        """Which lanes list each node (``flowNodeRef``), in document order."""
        self.listing: dict[str, list[tuple[_Pool, _Lane]]] = {}
        for pool in self.pools:
            for lane in pool.lanes:
                for ref in lane.refs:
                    self.listing.setdefault(ref, []).append((pool, lane))

    # -------------------------------------------------------------------------------------- hand-offs

    def _add(self, source: str, target: str, deliverable: str, seen: set) -> None:
        if source != target and (source, target, deliverable) not in seen:
            seen.add((source, target, deliverable))
            self.model.handoffs.append((source, target, deliverable))
            if len(self.model.handoffs) > MOST_HANDOFFS:
                raise _refuse(
                    self.name,
                    f"its flows give more than {MOST_HANDOFFS:,} hand-offs between lanes and pools, more than a "
                    "process model is read (gateways that lead each step to many lanes multiply them)",
                    "split the model into several files, or give its hand-offs as a table",
                    Code.TOO_LARGE,
                )

    def _sequence_handoffs(self) -> None:
        """From each step, through gateways, to the next steps; a hand-off where the party changes.

        The gateways form a graph of their own; each of its strongly connected components (gateways that reach
        one another) reaches the same steps. The components are found once (Tarjan's algorithm, iteratively),
        and each is given the set of parties its gateways lead to (a bit per party), from the components it
        leads to, as each is completed: a step's next parties are then the union over its direct successors,
        in time linear in the flows (times the parties over 64, for the unions).
        """
        self._index_lanes()
        self.seen: set = set()
        outgoing: dict[str, list[str]] = {}
        for flow_id, source, target in self.flows:
            missing = [end for end, ref in (("source", source), ("target", target)) if ref not in self.nodes]
            if missing:
                refs = {"source": source, "target": target}
                named = " and ".join(f"{end} '{shown(refs[end], 60)}'" for end in missing)
                self.note("sequence_flow", f"'{shown(flow_id, 60)}' ({named})")
                continue
            outgoing.setdefault(source, []).append(target)
        reach: dict[str, int] = {}  # gateway id -> the parties (bits) its component leads to, once completed
        tarjan = _Components(self.nodes, outgoing, reach, self._party_index, self.name)
        for node in self.nodes.values():
            if not node.is_step or node.id not in outgoing:
                continue
            party = self._party_index(node)
            deliverable = node.name or node.kind
            for target_id in outgoing[node.id]:
                reached = self.nodes[target_id]
                if reached.is_step:
                    self._add(self.parties[party].id, self._party_of(reached), deliverable, self.seen)
                    continue
                if target_id not in reach:
                    tarjan.complete(target_id)
                bits = reach[target_id] & ~(1 << party)
                while bits:
                    low = bits & -bits
                    self._add(self.parties[party].id, self.parties[low.bit_length() - 1].id, deliverable, self.seen)
                    bits ^= low

    def _message_handoffs(self, collaboration: Any, messages: dict[str | None, str]) -> None:
        """The hand-offs of a collaboration's message flows (``messages``: each message's name, by its id)."""
        for element in _children(collaboration, self.ns):
            if _local(element) != "messageFlow":
                continue
            ends: list[tuple[int, str, str] | None] = []  # (party, name, element type)
            for attribute in ("sourceRef", "targetRef"):
                ref = _ref(element.get(attribute))
                node = self.nodes.get(ref)
                if node is not None and node.is_step:
                    ends.append((self._party_index(node), node.name, node.kind))
                elif ref in self.participants:
                    pool, participant = self.participants[ref]
                    if self.pools[pool].party < 0:  # a pool with lanes: its edge, not a lane's step
                        self.note(
                            "pool_edge",
                            f"'{shown(element.get('id') or '', 60)}' ({attribute} {self.pools[pool].element}, "
                            f"'{shown(self.pools[pool].name, 60)}')",
                        )
                    ends.append((self._pool_party(self.pools[pool]), name_of(participant.get("name")), "participant"))
                else:
                    ends.append(None)
            source, target = ends
            if source is None or target is None:
                missing = " and ".join(
                    f"{attribute} '{shown(_ref(element.get(attribute)), 60)}'"
                    for attribute, end in (("sourceRef", source), ("targetRef", target))
                    if end is None
                )
                self.note("message_flow", f"'{shown(element.get('id') or '', 60)}' ({missing})")
                continue
            deliverable = (
                name_of(element.get("name"))
                or messages.get(_ref(element.get("messageRef")), "")
                or source[1]
                or source[2]
            )
            self._add(self.parties[source[0]].id, self.parties[target[0]].id, deliverable, self.seen)


class _LaneBounds:
    """The diagram bounds of some lanes, by plane: the rows (x0, y0, x1, y1, lane) of each lane's shapes, in the
    lanes' document order, to find the first lane whose bounds hold a point in one vectorised test."""

    def __init__(self, lanes: Sequence[_Lane], shapes: dict[str, list[tuple[int, tuple[float, float, float, float]]]]):
        self.lanes = list(lanes)
        rows: dict[int, list[tuple[float, float, float, float, int]]] = {}
        for k, lane in enumerate(self.lanes):
            for plane, (x, y, w, h) in shapes.get(lane.id, ()):
                rows.setdefault(plane, []).append((x, y, x + w, y + h, k))
        self.planes = {plane: np.array(found, dtype=np.float64) for plane, found in rows.items()}

    def tests(self, plane: int) -> int:
        """How many bounds a point in ``plane`` is tested against."""
        found = self.planes.get(plane)
        return 0 if found is None else len(found)

    def first_holding(self, plane: int, cx: float, cy: float) -> _Lane | None:
        """The first lane whose bounds in ``plane`` hold (cx, cy), edges included; None when none does."""
        found = self.planes.get(plane)
        if found is None:
            return None
        hit = (found[:, 0] <= cx) & (cx <= found[:, 2]) & (found[:, 1] <= cy) & (cy <= found[:, 3])
        first = int(hit.argmax())
        return self.lanes[int(found[first, 4])] if hit[first] else None


class _Components:
    """The strongly connected components of the gateways (Tarjan's algorithm, iterative), each completed with
    the parties (one bit per party index) that its gateways lead to: the parties of the steps they flow to,
    and those of the components they flow to (completed before it, as Tarjan completes components)."""

    def __init__(
        self, nodes: dict[str, _Node], outgoing: dict[str, list[str]], reach: dict[str, int], party: Any, name: str
    ) -> None:
        self.nodes, self.outgoing, self.reach, self.party, self.name = nodes, outgoing, reach, party, name
        self.held = 0  # the bits of the components' party sets, summed (their memory, in bits)
        self.order: dict[str, int] = {}  # gateway id -> the order it was first visited in
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()

    def complete(self, root: str) -> None:
        """Find the components reachable from the gateway ``root`` and give each its parties."""
        nodes, outgoing, order, low = self.nodes, self.outgoing, self.order, self.low
        if root in order:
            return
        work: list[tuple[str, int]] = [(root, 0)]  # (gateway, how many of its flows are followed)
        order[root] = low[root] = len(order)
        self.stack.append(root)
        self.on_stack.add(root)
        while work:
            gateway, position = work[-1]
            targets = outgoing.get(gateway, [])
            if position < len(targets):
                work[-1] = (gateway, position + 1)
                target = targets[position]
                if nodes[target].is_step:
                    continue
                if target not in order:
                    order[target] = low[target] = len(order)
                    self.stack.append(target)
                    self.on_stack.add(target)
                    work.append((target, 0))
                elif target in self.on_stack:
                    low[gateway] = min(low[gateway], order[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[gateway])
            if low[gateway] == order[gateway]:
                self._close(gateway)

    def _close(self, head: str) -> None:
        """Pop the component headed by ``head`` and give its gateways the parties they lead to."""
        members: list[str] = []
        while True:
            gateway = self.stack.pop()
            self.on_stack.discard(gateway)
            members.append(gateway)
            if gateway == head:
                break
        inside = set(members)
        bits = 0
        for gateway in reversed(members):  # in the order first visited
            for target in self.outgoing.get(gateway, []):
                node = self.nodes[target]
                if node.is_step:
                    bits |= 1 << self.party(node)
                elif target not in inside:
                    bits |= self.reach[target]
        self.held += bits.bit_length()
        if self.held > MOST_GATEWAY_LANES:
            raise _refuse(
                self.name,
                f"its gateways lead to more than {MOST_GATEWAY_LANES:,} lanes and pools taken together (chains of "
                "gateways that each lead to lanes of their own), more than a process model is read",
                "split the model into several files, or give its hand-offs as a table",
                Code.TOO_LARGE,
            )
        for gateway in members:
            self.reach[gateway] = bits


def read_model(source: FileSource) -> Model:
    """Read one BPMN 2.0 model as an org (parties, hand-offs, end events) by the rule of DESIGN.md.

    Parameters
    ----------
    source : path or binary file
        A ``.bpmn`` file (or ``.xml`` whose root is a BPMN ``definitions``), or an upload with a ``name``.

    Returns
    -------
    Model

    Raises
    ------
    InputError
        The file is not well-formed XML, declares a DTD or entities, is too large or nested too deep, is not
        BPMN 2.0, or holds no process and no collaboration; the message names the file.

    Examples
    --------
    >>> model = read_model("data/order-to-cash/order-to-cash.bpmn")
    >>> model.black_boxes
    ['Customer', 'Supplier']
    >>> ("Sales", "Credit", "Enter order") in model.handoffs
    True
    """
    if isinstance(source, str | os.PathLike):
        try:
            size = os.stat(source).st_size
        except OSError:
            size = 0  # read_bytes says what is wrong with the path
        if size > LARGEST_MODEL:  # refused before it is read into memory
            raise _too_large(str(source), size)
    name, data = read_bytes(source, default_name="model.bpmn", what="the process model")
    root = _parse(data, name)
    return _Reader(root, name).read()


# -------------------------------------------------------------------------------------- models as tables


def read_models(
    sources: Sequence[FileSource],
    *,
    customers: Iterable[str] | None = None,
    outcomes: Iterable[str] | None = None,
    parties: pd.DataFrame | None = None,
    parties_label: str = "parties",
) -> tuple[RawTable, RawTable, list[str] | None, dict[str, list[tuple[str, str]]]]:
    """The hand-offs and parties tables of one or several process models, the customers to name, and where each
    party comes from (``(file, element)`` pairs by id, for :func:`point_at_models`).

    Ids are settled per file; then parties with the same id are one party (a process landscape becomes one
    chain). End events named in ``outcomes`` hand off to the customer (``customer``, or the one id in
    ``customers``). ``parties`` (a validated parties table given beside the models) overrides kind, group,
    name, headcount and cost by id.

    Raises
    ------
    InputError
        A model is refused (see :func:`read_model`); an outcome names no end event; no customer is named
        (the message lists the candidates: black-box pools first, then parties holding end events).

    Examples
    --------
    >>> handoffs, parties, customers, origins = read_models(["data/order-to-cash/order-to-cash.bpmn"],
    ...                                                     outcomes=["Order paid"])
    >>> customers, parties.frame.set_index("id").loc["customer", "kind"], origins["Sales"]
    (['customer'], 'external_customer', [('order-to-cash.bpmn', "lane 'Lane_sales'")])
    """
    models = [read_model(s) for s in sources]
    label = models[0].file if len(models) == 1 else f"{models[0].file} and {len(models) - 1} more"
    problems = [p for m in models for p in m.problems]
    rows: dict[str, dict] = {}
    kinds: dict[str, dict[str, list[str]]] = {}  # party id -> kind -> where ("lane 'l' in a.bpmn")
    for model in models:
        for party in model.parties:
            where = ", ".join(model.elements.get(party["id"], [])) or "the model"
            kinds.setdefault(party["id"], {}).setdefault(party["kind"], []).append(f"{where} in {model.file}")
            row = rows.get(party["id"])
            if row is None:
                rows[party["id"]] = {
                    "id": party["id"],
                    "name": party["id"],
                    "kind": party["kind"],
                    "group": party["group"],
                    "source_file": model.file,
                }
                continue
            if party["kind"] == "team":
                row["kind"] = "team"
            files = row["source_file"].split("; ")
            if model.file not in files:
                row["source_file"] = "; ".join([*files, model.file])
    problems += _mixed_kinds(label, kinds, rows)
    handoffs = list(dict.fromkeys(h for m in models for h in m.handoffs))
    given = None if customers is None else [customers] if isinstance(customers, str) else list(customers)
    chosen = None if given is None else [name_of(c) or c for c in given]  # compared as the model's names are
    if outcomes is not None:
        wanted = [name_of(o) for o in ([outcomes] if isinstance(outcomes, str) else outcomes)]
        ends = [e for m in models for e in m.end_events]
        customer = chosen[0] if chosen else CUSTOMER
        problems += _customer_taken(customer, models)
        if chosen and len(chosen) > 1:
            problems.append(
                Problem.error(
                    "customers",
                    "with outcomes, name one customer (the end events hand off to it)",
                    f"give one --customer, or none (the customer is then '{CUSTOMER}')",
                    code=Code.BAD_OPTION,
                )
            )
        known = sorted({n for _, n in ends if n})
        for outcome in dict.fromkeys(wanted):
            holders = [party for party, n in ends if n == outcome]
            if not holders:
                problems.append(
                    Problem.error(
                        label,
                        f"the outcome '{shown(outcome, 60)}' is no end event of the model",
                        _outcomes_hint(known, len(ends)),
                        code=Code.BAD_OPTION,
                    )
                )
            for holder in dict.fromkeys(holders):
                if holder != customer:
                    handoffs.append((holder, customer, outcome))
        if customer not in rows:
            rows[customer] = {
                "id": customer,
                "name": customer,
                "kind": "external_customer",
                "group": "",
                "source_file": "",
            }
        chosen = [customer]
        handoffs = list(dict.fromkeys(handoffs))
    if parties is not None:
        problems += _override(rows, parties, parties_label)
    if chosen:
        for identifier in chosen:
            row = rows.get(name_of(identifier))
            if row is not None and (parties is None or identifier not in set(parties["id"])):
                row["kind"] = "external_customer"  # named as the customer: whatever its pool was
    elif not any(r["kind"] == "external_customer" for r in rows.values()):
        problems.append(_no_customer(label, models))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    handoff_frame = pd.DataFrame(
        [{"source": s, "target": t, "deliverable": d, "essential": "yes"} for s, t, d in handoffs],
        columns=["source", "target", "deliverable", "essential"],
        dtype=object,
    )
    handoff_frame.index = pd.Index(range(2, len(handoff_frame) + 2), name="row", dtype="int64")
    party_frame = pd.DataFrame(list(rows.values()), dtype=object)
    for column in ("id", "name", "kind", "group", "source_file"):
        if column not in party_frame.columns:
            party_frame[column] = ""
    party_frame = party_frame.fillna("")
    party_frame.index = pd.Index(range(2, len(party_frame) + 2), name="row", dtype="int64")
    origins: dict[str, list[tuple[str, str]]] = {}
    for model in models:
        for identifier, elements in model.elements.items():
            origins.setdefault(identifier, []).extend((model.file, element) for element in elements)
    return (
        RawTable(f"{label} (hand-offs)", handoff_frame, problems),
        RawTable(f"{label} (parties)", party_frame),
        chosen or None,
        origins,
    )


def point_at_models(
    problems: Sequence[Problem], handoffs: RawTable, parties: RawTable, origins: dict[str, list[tuple[str, str]]]
) -> list[Problem]:
    """Problems found in the tables read from process models, pointed at the models: one about a party id (a
    cell of a ``source``, ``target`` or ``id`` column) names the model file and the lane or pool it comes from,
    instead of a row of a table the person never saw; an empty hand-offs table is a model making no hand-off.
    Problems about the same element are given once.

    Examples
    --------
    >>> tables = read_models(["data/order-to-cash/order-to-cash.bpmn"], outcomes=["Order paid"])
    >>> found = Problem.error(tables[0].label, "the id 'Sales' is odd", "fix it", row=2, column="source")
    >>> str(point_at_models([found], *tables[:2], tables[3])[0])
    "order-to-cash.bpmn: lane 'Lane_sales': the id 'Sales' is odd; fix it"
    """
    pointed: dict[Problem, None] = {}  # in order, each once
    label = handoffs.label.removesuffix(" (hand-offs)")
    for problem in problems:
        table = {handoffs.label: handoffs, parties.label: parties}.get(problem.file)
        if table is None:
            pointed[problem] = None
            continue
        if problem.code == Code.EMPTY and table is handoffs:
            problem = replace(
                problem,
                file=label,
                row=None,
                column=None,
                message="the model makes no hand-off: no sequence flow or message flow goes from one lane or pool "
                "to another",
                hint="draw the flows between the lanes and pools in the modelling tool, or name the end events "
                "that reach the customer with --outcome NAME",
            )
        elif problem.column in ("source", "target", "id") and problem.row in table.frame.index:
            identifier = table.frame.at[problem.row, problem.column]
            where = origins.get(str(identifier))
            if where:
                file, element = where[0]
                problem = replace(problem, file=file, row=None, column=None, message=f"{element}: {problem.message}")
        pointed[problem] = None
    return list(pointed)


def _outcomes_hint(known: list[str], ends: int) -> str:
    """What to name as an outcome: the named end events, or why there is none to name."""
    if known:
        listed = ", ".join(f"'{shown(n, 60)}'" for n in known[:CANDIDATES])
        more = f" and {len(known) - CANDIDATES:,} more" if len(known) > CANDIDATES else ""
        return f"the named end events are {listed}{more}"
    if ends:
        return (
            "none of its end events has a name: name them in the modelling tool, "
            "or name the customer with --customer ID (customers=[...] in Python)"
        )
    return "the model has no end event: name the customer with --customer ID (customers=[...] in Python)"


def _customer_taken(customer: str, models: Sequence[Model]) -> list[Problem]:
    """Errors for a customer id (the one the outcomes hand off to) that a lane or a pool with work already has:
    read as the customer, that part of the org would silently become the external customer."""
    problems = []
    for model in models:
        for party in model.parties:
            if party["id"] == customer and party["kind"] == "team":
                where = " and ".join(model.elements.get(customer, [])) or "a lane"
                problems.append(
                    Problem.error(
                        model.file,
                        f"the outcomes hand off to the customer '{shown(customer, 60)}', but {where} of the model "
                        "is a party with that id",
                        "name the customer another id with --customer ID (customers=[...] in Python)",
                        code=Code.BAD_OPTION,
                    )
                )
    return problems


def _mixed_kinds(label: str, kinds: dict[str, dict[str, list[str]]], rows: dict[str, dict]) -> list[Problem]:
    """One warning for the parties that are a black-box pool in one model and a lane or a pool with work in
    another: they are one team (by the rule), whose group is the first model's."""
    mixed = [(identifier, where) for identifier, where in kinds.items() if len(where) > 1]
    if not mixed:
        return []
    items = [
        f"'{shown(identifier, 60)}' (black-box {'; '.join(where['vendor_partner'])}; with work: "
        f"{'; '.join(where['team'])}; group '{shown(rows[identifier]['group'], 60)}')"
        for identifier, where in mixed
    ]
    listed = ", ".join(items[:NOTED]) + (f" and {len(items) - NOTED:,} more" if len(items) > NOTED else "")
    one = "a party is a black-box pool in one model and a lane or pool with work in another; it is read as one team"
    several = (
        f"{len(items):,} parties are black-box pools in one model and lanes or pools with work in another; "
        "each is read as one team"
    )
    return [
        Problem.warning(
            label,
            f"{one if len(items) == 1 else several}, its group from the first file: {listed}",
            "give the party the same shape in every model, or another id where it is another party",
            code=Code.BAD_MODEL,
        )
    ]


#: The columns of a parties table given beside a model that override the model's.
OVERRIDDEN = ("name", "kind", "group", "headcount", "cost")


def _override(rows: dict[str, dict], parties: pd.DataFrame, label: str) -> list[Problem]:
    """Apply a parties table's name, kind, group, headcount and cost to the model's parties, by id; its other
    columns (and ``primary``) are kept as the parties' attributes. A row naming no party is warned about."""
    from valuechain.problems import closest

    problems: list[Problem] = []
    for row_number, given in parties.iterrows():
        identifier = str(given["id"])
        row = rows.get(identifier)
        if row is None:
            guess = closest(identifier, list(rows))
            hint = f"did you mean '{shown(guess[0], 60)}'?" if guess else "correct the id, or remove the row"
            problems.append(
                Problem.warning(
                    label,
                    f"the party '{shown(identifier, 60)}' is in no process model; its row is not used",
                    hint,
                    row=int(row_number) if isinstance(row_number, int) else None,
                    code=Code.UNKNOWN_PARTY,
                )
            )
            continue
        for column, value in given.items():
            if column == "id" or value is None or (isinstance(value, float) and value != value):
                continue
            if column == "primary":
                if value is True:
                    row["primary"] = "yes"
                continue
            text = repr(value) if isinstance(value, float) else str(value)
            if text.strip() or column not in OVERRIDDEN:
                row[str(column)] = text
    return problems


@dataclass(frozen=True)
class CustomerChoices:
    """Where the customer of process models can be: the parties to name (``candidates``: black-box pools first,
    then the parties holding end events; ``others``: every other party) and the end events' names (``outcomes``).
    """

    candidates: list[str]
    others: list[str]
    outcomes: list[str]


def customer_choices(models: Sequence[Model]) -> CustomerChoices:
    """The choices a person has for the customer of these models (what the no-customer error lists).

    Examples
    --------
    >>> choices = customer_choices([read_model("data/order-to-cash/order-to-cash.bpmn")])
    >>> choices.candidates, choices.outcomes
    (['Customer', 'Supplier', 'Billing', 'Sales Reporting'], ['Order paid', 'Report filed'])
    """
    boxes = list(dict.fromkeys(b for m in models for b in m.black_boxes))
    is_box = set(boxes)
    holders = list(dict.fromkeys(p for m in models for p, _ in m.end_events if p not in is_box))
    named = {*boxes, *holders}
    others = list(dict.fromkeys(p["id"] for m in models for p in m.parties if p["id"] not in named))
    outcomes = sorted({n for m in models for _, n in m.end_events if n})
    return CustomerChoices([*boxes, *holders], others, outcomes)


def _no_customer(label: str, models: list[Model]) -> Problem:
    """The error for a model with no customer named: the candidates, black-box pools first."""
    choices = customer_choices(models)
    candidates = choices.candidates
    listed = ", ".join(f"'{shown(c, 60)}'" for c in candidates[:CANDIDATES])
    if len(candidates) > CANDIDATES:
        listed += f" and {len(candidates) - CANDIDATES} more"
    outcomes = ", ".join(f"'{shown(n, 60)}'" for n in choices.outcomes[:CANDIDATES])
    hint = "name the customer with --customer ID (customers=[...] in Python)"
    if listed:
        hint += f"; candidates: {listed}"
    if outcomes:
        hint += f"; or name the end events that reach the customer with --outcome NAME (outcomes=[...]): {outcomes}"
    return Problem.error(label, "no external customer: a process model names none", hint, code=Code.NO_CUSTOMER)
