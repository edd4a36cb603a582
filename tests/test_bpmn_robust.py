"""Process models (BPMN) as other tools write them, and as an attacker would: the shared reference models
rewritten (other namespace prefixes or none, no ``flowNodeRef`` so the diagram decides, extension elements,
nested lane sets, odd whitespace in names, comments, UTF-16) read as the same org; models built so that a
careless reading takes time quadratic in their size read (or are refused) in bounded time."""

from __future__ import annotations

import copy
import json
import random
import re
import time
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

import valuechain as vc
from tests.conftest import SHARED
from valuechain.exceptions import InputError
from valuechain.io.bpmn import Model, customer_choices, point_at_models, read_model
from valuechain.io.read import RawTable
from valuechain.problems import Code, Problem

NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MODELS = SHARED / "acceptance" / "bpmn"
#: The nine reference models of the test suite (each tool's exports of them are compared by test_bpmn.py).
REFERENCE = sorted(p for p in MODELS.glob("*.bpmn")) if MODELS.exists() else []


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def clean(text: object) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")).strip()


def org(path: Path, customer: str | None) -> tuple[set[str], set[tuple[str, str, str]]]:
    chain = vc.load(path, customers=[customer] if customer else None)
    h = chain.handoffs
    return {clean(p) for p in chain.parties["id"]}, {
        (clean(s), clean(t), clean(d)) for s, t, d in zip(h["source"], h["target"], h["deliverable"])
    }


def serialise(root: ET.Element, original: Path, prefix: str) -> bytes:
    """The tree as XML, the BPMN namespace written with ``prefix`` (none: the default namespace)."""
    for _, (name, uri) in ET.iterparse(original, events=["start-ns"]):
        if uri != NS and name and not re.fullmatch(r"ns\d+", name):
            ET.register_namespace(name, uri)
    ET.register_namespace(prefix, NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def no_flow_node_refs(root: ET.Element) -> None:
    for lane in root.iter(q("lane")):
        for ref in lane.findall(q("flowNodeRef")):
            lane.remove(ref)


def extension_elements(root: ET.Element) -> None:
    """Vendor data everywhere: extension elements (holding look-alike tasks and lanes) and foreign attributes."""
    for n, element in enumerate(list(root.iter())):
        if element.tag in (q("flowNodeRef"), q("definitions")) or not str(element.tag).startswith("{" + NS):
            continue
        extension = ET.Element(q("extensionElements"))
        vendor = ET.SubElement(extension, "{urn:vendor}properties", {"name": "ignored"})
        ET.SubElement(vendor, "{urn:vendor}task", {"id": f"vendor_task_{n}", "name": "not a step"})
        ET.SubElement(vendor, q("task"), {"id": f"bpmn_task_in_extension_{n}", "name": "not a step either"})
        ET.SubElement(vendor, q("lane"), {"id": f"bpmn_lane_in_extension_{n}", "name": "not a party"})
        element.insert(0, extension)
        element.set("{urn:vendor}colour", "#ffcc00")


def nested_lane_sets(root: ET.Element) -> None:
    """Each top lane put under an outer lane that lists the same nodes, as tools with lane hierarchies write."""
    for lane_set in list(root.iter(q("laneSet"))):
        for lane in list(lane_set.findall(q("lane"))):
            outer = ET.Element(
                q("lane"), {"id": "outer_" + lane.get("id", ""), "name": "Outer " + lane.get("name", "")}
            )
            for ref in lane.findall(q("flowNodeRef")):
                ET.SubElement(outer, q("flowNodeRef")).text = ref.text
            child_set = ET.SubElement(outer, q("childLaneSet"), {"id": "child_" + lane.get("id", "")})
            position = list(lane_set).index(lane)
            lane_set.remove(lane)
            child_set.append(lane)
            lane_set.insert(position, outer)


def empty_child_lane_sets(root: ET.Element) -> None:
    for lane in list(root.iter(q("lane"))):
        if lane.find(q("childLaneSet")) is None:
            ET.SubElement(lane, q("childLaneSet"), {"id": "empty_" + lane.get("id", "")})


def odd_whitespace(root: ET.Element) -> None:
    """Names with tabs, line breaks (CR LF too), no-break and other Unicode spaces, around and between words."""
    rng = random.Random(18)
    spaces = ["\t", "\n", "\u00a0", "  ", "\r\n", " \u00a0\t", "\u2007", "\u202f", "\u3000"]
    for element in root.iter():
        name = element.get("name")
        if name:
            element.set("name", "\n " + re.sub(" ", lambda _: rng.choice(spaces), name) + "\u00a0\t")
    for ref in root.iter(q("flowNodeRef")):
        ref.text = "\n\t  " + (ref.text or "") + "\n  "


def comments(root: ET.Element) -> None:
    for element in list(root.iter()):
        element.insert(0, ET.Comment(" <lane name='not a lane'/> "))


VARIANTS = {
    "no flowNodeRef (the diagram places every node)": no_flow_node_refs,
    "extension elements and foreign attributes": extension_elements,
    "nested lane sets": nested_lane_sets,
    "empty child lane sets": empty_child_lane_sets,
    "odd whitespace in names and references": odd_whitespace,
    "comments": comments,
}
PREFIXES = ["", "bpmn", "bpmn2", "semantic", "model"]


def expected(model: Path) -> dict:
    return json.loads(model.with_name(model.stem + ".expected.json").read_text(encoding="utf-8"))


#: Each model as it is with every prefix (none: the default namespace); each variant with none and one.
REWRITES = [("as it is", p) for p in PREFIXES] + [(v, p) for v in VARIANTS for p in ("", "bpmn2")]


@pytest.mark.skipif(not REFERENCE, reason=f"the shared BPMN models are not at {MODELS}")
@pytest.mark.parametrize(("variant", "prefix"), REWRITES, ids=[f"{v} [{p or 'no prefix'}]" for v, p in REWRITES])
def test_a_reference_model_rewritten_as_other_tools_write_it_is_the_same_org(tmp_path, variant, prefix):
    for model in REFERENCE:
        want = expected(model)
        root = ET.parse(model).getroot()
        if variant != "as it is":
            VARIANTS[variant](root)
        path = tmp_path / model.name
        path.write_bytes(serialise(root, model, prefix))
        parties, handoffs = org(path, want["customer"])
        assert parties == {clean(p) for p in want["parties"]}, model.name
        assert handoffs == {tuple(clean(x) for x in h) for h in want["handoffs"]}, model.name


@pytest.mark.skipif(not REFERENCE, reason=f"the shared BPMN models are not at {MODELS}")
@pytest.mark.parametrize("encoding", ["UTF-16", "UTF-16BE", "UTF-16LE", "windows-1252", "ISO-8859-1"])
def test_a_reference_model_in_another_encoding_is_the_same_org(tmp_path, encoding):
    model = MODELS / "C.1.0.bpmn"
    want = expected(model)
    text = serialise(ET.parse(model).getroot(), model, "bpmn2").decode("utf-8")
    text = re.sub(r"encoding=['\"][^'\"]+['\"]", f"encoding='{encoding}'", text, count=1)
    path = tmp_path / model.name
    path.write_bytes(text.encode(encoding, "xmlcharrefreplace"))
    assert org(path, want["customer"]) == org(model, want["customer"])


@pytest.mark.skipif(not REFERENCE, reason=f"the shared BPMN models are not at {MODELS}")
def test_a_collaboration_split_into_one_file_per_pool_is_the_same_org_less_its_message_flows(tmp_path):
    """Each pool (participant and process) in a file of its own, the black-box pools in one more: read together,
    the parties are the model's and the hand-offs its sequence-flow hand-offs (a message flow cannot cross files)."""
    for model in REFERENCE:
        want = expected(model)
        root = ET.parse(model).getroot()
        whole = copy.deepcopy(root)
        for collaboration in whole.findall(q("collaboration")):
            for message_flow in collaboration.findall(q("messageFlow")):
                collaboration.remove(message_flow)
        (tmp_path / "whole").mkdir(exist_ok=True)
        (tmp_path / "whole" / model.name).write_bytes(serialise(whole, model, "bpmn"))
        participants = [p for c in root.findall(q("collaboration")) for p in c.findall(q("participant"))]
        pieces, referenced = [], set()
        for process in root.findall(q("process")):
            own = [p for p in participants if (p.get("processRef") or "").rpartition(":")[2] == process.get("id")]
            referenced |= {id(p) for p in own}
            pieces.append((own, [process]))
        boxes = [p for p in participants if id(p) not in referenced]
        if boxes:
            pieces.append((boxes, []))
        files = []
        for n, (own, processes) in enumerate(pieces):
            piece = ET.Element(root.tag, root.attrib)
            piece.extend(copy.deepcopy(e) for e in root if e.tag not in (q("process"), q("collaboration")))
            if own:
                collaboration = ET.SubElement(piece, q("collaboration"), {"id": f"collaboration_{n}"})
                collaboration.extend(copy.deepcopy(p) for p in own)
            piece.extend(copy.deepcopy(p) for p in processes)
            files.append(tmp_path / f"{model.stem}.{n}.bpmn")
            files[-1].write_bytes(serialise(piece, model, "bpmn"))
        chain = vc.load(files, customers=[want["customer"]])
        h = chain.handoffs
        together = (
            {clean(p) for p in chain.parties["id"]},
            {(clean(s), clean(t), clean(d)) for s, t, d in zip(h["source"], h["target"], h["deliverable"])},
        )
        assert together == org(tmp_path / "whole" / model.name, want["customer"]), model.name


# --------------------------------------------------------------------- sizes that a careless reading squares


HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><definitions xmlns="' + NS + '" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC">'
)


def write_model(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body + "</definitions>", encoding="utf-8")
    return path


class Counted(str):
    """A party id that counts how often it is compared for equality (a list searched for it compares it with
    each element; a set or a dict, by its hash, with next to none)."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        Counted.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_many_collaborations_and_messages_are_read_in_linear_work(tmp_path, monkeypatch):
    """The message names are mapped once per model: each collaboration walked the root's children again (n
    collaborations beside n messages, n * 2n elements visited; 4,000 of each took minutes)."""
    import valuechain.io.bpmn as reader

    n = 1_000
    body = "".join(f'<message id="m{i}" name="Message {i}"/><collaboration id="c{i}"/>' for i in range(n))
    body += '<collaboration id="c"><participant id="a" name="A" processRef="p"/><participant id="b" name="B"/>'
    body += '<messageFlow id="mf" sourceRef="t" targetRef="b" messageRef="m7"/></collaboration>'
    path = write_model(tmp_path, "collaborations.bpmn", body + '<process id="p"><task id="t"/></process>')
    visited = [0]
    children = reader._children

    def counted_children(element, namespace):
        for child in children(element, namespace):
            visited[0] += 1
            yield child

    monkeypatch.setattr(reader, "_children", counted_children)
    model = read_model(path)
    assert model.handoffs == [("A", "B", "Message 7")]
    elements = 2 * n + 7
    assert visited[0] < 10 * elements, f"{visited[0]:,} elements visited for a model of {elements:,}"


def test_the_customer_choices_of_many_pools_are_found_in_linear_work():
    """Whether an end event's party is a black-box pool is looked up in a set: a list was searched once per end
    event (40,000 black-box pools beside 40,000 parties holding end events took seconds)."""
    n = 1_000
    model = Model(
        "many.bpmn",
        parties=[{"id": Counted(f"Box {i}"), "kind": "vendor_partner", "group": f"Box {i}"} for i in range(n)]
        + [{"id": Counted(f"Team {i}"), "kind": "team", "group": "Org"} for i in range(n)],
        end_events=[(Counted(f"Team {i}"), f"Done {i}") for i in range(n)],
    )
    Counted.compared = 0
    choices = customer_choices([model])
    assert choices.candidates[:2] == ["Box 0", "Box 1"] and choices.candidates[n : n + 2] == ["Team 0", "Team 1"]
    assert len(choices.candidates) == 2 * n and choices.others == []
    compared = Counted.compared
    assert compared < 10 * n, f"{compared:,} comparisons of ids to find the choices among {2 * n:,} parties"


def test_many_problems_about_a_models_parties_are_pointed_at_it_in_linear_work(monkeypatch):
    """Each problem is given once through a dict: a list was searched for each (20,000 lane-name errors: 33 s)."""
    n = 2_000  # 2,000 lanes whose names hold an invisible character: one error each, each given once
    parties = RawTable(
        "m.bpmn (parties)", pd.DataFrame({"id": [f"Lane\u200b{i}" for i in range(n)]}, index=range(2, n + 2))
    )
    handoffs = RawTable("m.bpmn (hand-offs)", pd.DataFrame({"source": [], "target": []}))
    origins = {f"Lane\u200b{i}": [("m.bpmn", f"lane 'l{i}'")] for i in range(n)}
    found = [
        Problem.error(parties.label, "the id holds an invisible character", row=r, column="id") for r in range(2, n + 2)
    ]
    compared = [0]
    equal = Problem.__eq__

    def counted_equal(self, other):
        compared[0] += 1
        return equal(self, other)

    monkeypatch.setattr(Problem, "__eq__", counted_equal)
    pointed = point_at_models(found + found[:10], handoffs, parties, origins)
    assert len(pointed) == n and pointed[0].file == "m.bpmn" and pointed[-1].message.startswith(f"lane 'l{n - 1}'")
    assert compared[0] < n, f"{compared[0]:,} comparisons of problems to point {n:,} at the model"


def lanes_by_the_diagram(lanes: int, nodes: int) -> str:
    """A pool of ``lanes`` horizontal lanes listing nothing, every node drawn in the last one: each node placed by
    its diagram bounds, past every other lane first."""
    body = '<collaboration id="c"><participant id="P" name="Pool" processRef="p"/></collaboration><process id="p">'
    body += '<laneSet id="ls">' + "".join(f'<lane id="l{i}" name="Lane {i}"/>' for i in range(lanes)) + "</laneSet>"
    body += "".join(f'<task id="t{i}" name="Task {i}"/>' for i in range(nodes))
    body += "".join(f'<sequenceFlow id="f{i}" sourceRef="t{i}" targetRef="t{i + 1}"/>' for i in range(nodes - 1))
    body += '<task id="first" name="First"/><sequenceFlow id="f" sourceRef="first" targetRef="t0"/></process>'
    body += '<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="c">'
    body += "".join(
        f'<bpmndi:BPMNShape id="s{i}" bpmnElement="l{i}"><dc:Bounds x="0" y="{i * 10}" width="1000" height="10"/>'
        "</bpmndi:BPMNShape>"
        for i in range(lanes)
    )
    bottom = (lanes - 1) * 10 + 3
    body += "".join(
        f'<bpmndi:BPMNShape id="n{i}" bpmnElement="t{i}"><dc:Bounds x="{i % 900}" y="{bottom}" width="4" height="4"/>'
        "</bpmndi:BPMNShape>"
        for i in range(nodes)
    )
    body += '<bpmndi:BPMNShape id="nf" bpmnElement="first"><dc:Bounds x="10" y="0" width="4" height="4"/>'
    return body + "</bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"


class CountedShapes(dict):
    """The diagram's shapes by element id, counting how often a lane's or a node's shapes are looked up."""

    looked_up = 0

    def get(self, key, default=None):
        CountedShapes.looked_up += 1
        return super().get(key, default)


@pytest.fixture
def counted_shapes(monkeypatch):
    """Every model read with its shapes in a :class:`CountedShapes`; yields the class to read the count from."""
    import valuechain.io.bpmn as reader

    init = reader._Reader.__init__

    def counting_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.shapes = CountedShapes()

    monkeypatch.setattr(reader._Reader, "__init__", counting_init)
    CountedShapes.looked_up = 0
    return CountedShapes


def test_nodes_placed_by_the_diagram_among_many_lanes_gather_the_lanes_bounds_once(tmp_path, counted_shapes):
    """Each node placed by its centre is tested against the lanes' bounds gathered once for the pool (and tested
    all at once): looked up lane by lane for each node, 6,000 nodes past 6,000 lanes took 11 s (the time is
    measured in benchmarks/bpmn.py)."""
    n = 1_000
    path = write_model(tmp_path, "lanes.bpmn", lanes_by_the_diagram(n, n))
    model = read_model(path)
    assert model.handoffs == [("Lane 0", f"Lane {n - 1}", "First")] and model.problems == []
    looked_up = counted_shapes.looked_up
    assert looked_up < 10 * n, f"{looked_up:,} look-ups of shapes to place {n:,} nodes among {n:,} lanes"


def test_nodes_below_a_lane_with_many_child_lanes_gather_their_bounds_once(tmp_path, counted_shapes):
    n = 1_000  # one outer lane listing 1,000 nodes, each placed among its 1,000 child lanes by the diagram
    body = lanes_by_the_diagram(n, n)
    inner = re.search(r'<laneSet id="ls">(.*)</laneSet>', body).group(1)
    refs = "".join(f"<flowNodeRef>t{i}</flowNodeRef>" for i in range(n)) + "<flowNodeRef>first</flowNodeRef>"
    body = body.replace(
        f'<laneSet id="ls">{inner}</laneSet>',
        f'<laneSet id="ls"><lane id="outer" name="Outer">{refs}<childLaneSet id="cls">{inner}</childLaneSet></lane>'
        "</laneSet>",
    )
    path = write_model(tmp_path, "nested.bpmn", body)
    model = read_model(path)
    assert model.handoffs == [("Lane 0", f"Lane {n - 1}", "First")] and model.problems == []
    looked_up = counted_shapes.looked_up
    assert looked_up < 10 * n, f"{looked_up:,} look-ups of shapes to place {n:,} nodes among {n:,} child lanes"


def test_a_diagram_too_costly_to_place_nodes_by_is_refused_naming_the_file(tmp_path, monkeypatch):
    import valuechain.io.bpmn as reader

    monkeypatch.setattr(reader, "MOST_BOUNDS_TESTS", 1_000)
    path = write_model(tmp_path, "costly.bpmn", lanes_by_the_diagram(100, 100))
    with pytest.raises(InputError) as err:
        vc.load(path, customers=["Lane 0"])
    (problem,) = err.value.problems
    assert problem.code == Code.TOO_LARGE and problem.file == str(path)
    assert "flowNodeRef" in problem.hint and "lanes" in problem.message


def test_one_skipped_element_is_said_in_the_singular(tmp_path):
    body = '<process id="p"><task id="t"/><dataObject id="d"/></process>'
    (warning,) = read_model(write_model(tmp_path, "one.bpmn", body)).problems
    assert warning.message.startswith("1 element that makes no party or hand-off was skipped (1 dataObject)")


def gateway_ladder(n: int) -> str:
    """A chain of ``n`` gateways, each leading to the next and to a step in a lane of its own, one step at the top:
    the gateways' components lead to n, n - 1, ... 1 lanes, n * n / 2 (gateway, lane) pairs held at once."""
    body = '<process id="p" name="P"><laneSet id="ls">'
    body += "".join(f'<lane id="l{i}" name="L{i}"><flowNodeRef>t{i}</flowNodeRef></lane>' for i in range(n))
    body += '<lane id="top" name="Top"><flowNodeRef>s</flowNodeRef></lane></laneSet><task id="s" name="Start"/>'
    body += "".join(
        f'<task id="t{i}"/><exclusiveGateway id="g{i}"/><sequenceFlow id="a{i}" sourceRef="g{i}" '
        f'targetRef="g{i + 1}"/><sequenceFlow id="b{i}" sourceRef="g{i}" targetRef="t{i}"/>'
        for i in range(n)
    )
    return body + f'<exclusiveGateway id="g{n}"/><sequenceFlow id="s0" sourceRef="s" targetRef="g0"/></process>'


def test_gateways_leading_to_many_lanes_each_are_held_in_bounded_memory(tmp_path, monkeypatch):
    import valuechain.io.bpmn as reader

    small = read_model(write_model(tmp_path, "ladder.bpmn", gateway_ladder(50)))
    assert set(small.handoffs) == {("Top", f"L{i}", "Start") for i in range(50)}
    # 100,000 rungs (25 MB) held 5 billion (gateway, lane) pairs, 1.9 GB; 400,000 rungs (100 MB) would need 10 GB
    monkeypatch.setattr(reader, "MOST_GATEWAY_LANES", 50 * 50)
    path = write_model(tmp_path, "ladder.bpmn", gateway_ladder(100))
    with pytest.raises(InputError) as err:
        vc.load(path, customers=["Top"])
    (problem,) = err.value.problems
    assert problem.code == Code.TOO_LARGE and problem.file == str(path)
    assert "gateways" in problem.message and "split the model" in problem.hint


def test_a_model_of_more_elements_than_is_read_is_refused_while_parsed(tmp_path, monkeypatch):
    import valuechain.io.bpmn as reader

    # a 100 MB model of bare tasks is 5 million elements: 3.5 GB as a tree; refused at the millionth
    assert reader.MOST_ELEMENTS == 1_000_000
    monkeypatch.setattr(reader, "MOST_ELEMENTS", 1_000)
    fits = write_model(tmp_path, "fits.bpmn", '<process id="p">' + '<task id="t"/>' * 990 + "</process>")
    assert len(read_model(fits).problems) == 1  # 989 duplicate ids, one warning
    path = write_model(tmp_path, "many.bpmn", '<process id="p">' + "".join(f'<task id="t{i}"/>' for i in range(1_200)))
    with pytest.raises(InputError) as err:
        vc.load(path, customers=["x"])
    (problem,) = err.value.problems
    assert problem.code == Code.TOO_LARGE and problem.file == str(path)
    assert "more than 1,000 elements" in problem.message and "split the model" in problem.hint


# ------------------------------------------------------------------------------- telling an .xml file apart


SAMPLE_TEXT = (Path(__file__).resolve().parent.parent / "data" / "order-to-cash" / "order-to-cash.bpmn").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize(
    ("case", "data"),
    [
        (
            "UTF-16 with its byte order mark",
            SAMPLE_TEXT.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
        ),
        ("UTF-16BE without one", SAMPLE_TEXT.replace('encoding="UTF-8"', 'encoding="UTF-16BE"').encode("utf-16-be")),
        ("UTF-8 with a byte order mark", SAMPLE_TEXT.encode("utf-8-sig")),
        (
            "a 200 KB licence comment first",
            SAMPLE_TEXT.replace("?>", "?>\n<!--" + "licence " * 25_000 + "-->", 1).encode(),
        ),
    ],
)
def test_an_xml_file_holding_bpmn_is_read_as_a_model(tmp_path, case, data):
    from valuechain.io.bpmn import is_bpmn_file

    path = tmp_path / "order.xml"
    path.write_bytes(data)
    assert is_bpmn_file(path), case
    chain = vc.load(path, customers=["Customer"])
    assert len(chain.parties) == 7 and chain.parties["source_file"].iloc[0] == "order.xml"


@pytest.mark.parametrize(
    ("case", "data"),
    [
        ("processing instructions never closed", b"<?" * 40_000),
        ("comments never closed", b"<!--" * 20_000),
        ("doctypes never closed", b"<!DOCTYPE" * 9_000),
        ("a root name of a megabyte", b"<" + b"a" * 1_000_000),
    ],
)
def test_an_xml_file_built_to_slow_the_look_at_its_first_element_is_refused_at_once(tmp_path, case, data):
    from valuechain.io.bpmn import xml_root

    path = tmp_path / "odd.xml"
    path.write_bytes(data)
    # the look alone is timed (not the first load's imports), against a bound 100 times what it takes (under
    # 0.01 s) and a tenth of what the lazy patterns took (12 to 25 s CPU): a loaded machine cannot reach it
    start = time.process_time()
    xml_root(path)
    took = time.process_time() - start
    assert took < 1.0, f"{case}: {took:.2f} s CPU to look for the first element of {len(data):,} bytes (12 s before)"
    with pytest.raises(InputError) as err:
        vc.load(path, customers=["x"])
    (problem,) = err.value.problems
    assert problem.file == "odd.xml" and "GraphML" in problem.hint


def test_the_dashboard_takes_every_suffix_the_reader_reads_as_a_model():
    from valuechain.dashboard.state import MODEL_TYPES
    from valuechain.io.bpmn import BPMN_SUFFIXES

    assert {f".{t}" for t in MODEL_TYPES} == {*BPMN_SUFFIXES, ".xml"}


def test_the_sample_readme_lists_exactly_the_findings_of_both_ways_to_name_its_customer():
    readme = (Path(__file__).resolve().parent.parent / "data" / "order-to-cash" / "README.md").read_text(
        encoding="utf-8"
    )
    _, with_customer, with_outcome = readme.split("valuechain analyze data/order-to-cash/order-to-cash.bpmn")
    sample = Path(__file__).resolve().parent.parent / "data" / "order-to-cash" / "order-to-cash.bpmn"
    for text, how in ((with_customer, {"customers": ["Customer"]}), (with_outcome, {"outcomes": ["Order paid"]})):
        found = vc.load(sample, **how).analyze()
        said = {
            heading: re.findall(r"`([^`]+)`", body.split("\n- **")[0])
            for heading, body in re.findall(
                r"- \*\*(Orphan|Mutual pairs|Loops|Single points of failure)\*\*:(.*?)(?=\n- \*\*|\n\n|$)", text, re.S
            )
        }
        assert said["Orphan"] == [*found.orphans["id"], *found.orphans["reason"]], how
        assert sorted(said["Mutual pairs"]) == sorted(p for pair in found.mutual_pairs.values.tolist() for p in pair)
        assert sorted(said["Loops"]) == sorted(m for members in found.loops["members"] for m in members), how
        assert said["Single points of failure"] == list(found.single_points_of_failure["id"]), how
        assert all(str(n) in text for n in found.single_points_of_failure["dependents"]), how


#: Sell, then a sub-process drawing lanes of its own (Picking lists Pick, Packing lists Pack; Label is in no lane),
#: then Ship; the process's end tag closes it.
SELL_FULFIL_SHIP = (
    '<task id="t1" name="Sell"/><subProcess id="sp" name="Fulfil"><laneSet id="ls2"><lane id="x" name="Picking">'
    '<flowNodeRef>i1</flowNodeRef></lane><lane id="y" name="Packing"><flowNodeRef>i2</flowNodeRef></lane>'
    '</laneSet><task id="i1" name="Pick"/><task id="i2" name="Pack"/><task id="i3" name="Label"/>'
    '<sequenceFlow id="s1" sourceRef="i1" targetRef="i2"/><sequenceFlow id="s2" sourceRef="i2" targetRef="i3"/>'
    '</subProcess><task id="t2" name="Ship"/><sequenceFlow id="f1" sourceRef="t1" targetRef="sp"/>'
    '<sequenceFlow id="f2" sourceRef="sp" targetRef="t2"/></process>'
)


def test_lanes_drawn_inside_an_expanded_sub_process_are_parties_of_its_pool(tmp_path):
    """BPMN lets a sub-process hold a lane set of its own: its innermost lanes are parties (the rule's first
    point), group the pool's name, and the nodes they list are theirs."""
    body = (
        '<process id="p" name="Org"><laneSet id="ls"><lane id="a" name="Sales"><flowNodeRef>t1</flowNodeRef>'
        '<flowNodeRef>sp</flowNodeRef></lane><lane id="b" name="Ops"><flowNodeRef>t2</flowNodeRef></lane></laneSet>'
        + SELL_FULFIL_SHIP
    )
    model = read_model(write_model(tmp_path, "sub.bpmn", body))
    assert model.parties == [{"id": p, "kind": "team", "group": "Org"} for p in ("Sales", "Ops", "Picking", "Packing")]
    # i3, listed by no lane, is the sub-process's (Sales's)
    assert set(model.handoffs) == {
        ("Sales", "Ops", "Fulfil"),
        ("Picking", "Packing", "Pick"),
        ("Packing", "Sales", "Pack"),
    }
    assert model.problems == []


def test_a_pool_with_lanes_only_inside_a_sub_process_is_one_party_beside_them_without_a_warning(tmp_path):
    """A pool whose process has no lanes is one party (the rule's first point), also when a sub-process in it draws
    lanes of its own: its other nodes are that party's, as before sub-processes' lanes were read, with no warning
    that they are in no lane (the model is right as it is)."""
    body = (
        '<collaboration id="c"><participant id="P" name="Org" processRef="p"/></collaboration><process id="p">'
        + SELL_FULFIL_SHIP
    )
    model = read_model(write_model(tmp_path, "sub.bpmn", body))
    assert model.parties == [{"id": p, "kind": "team", "group": "Org"} for p in ("Picking", "Packing", "Org")]
    # i3, listed by no lane, is the sub-process's (the pool's party)
    assert set(model.handoffs) == {("Picking", "Packing", "Pick"), ("Packing", "Org", "Pack")}
    assert model.problems == []


def test_nodes_of_a_sub_process_that_no_lane_lists_are_placed_in_its_lanes_by_the_diagram(tmp_path):
    """A tool that writes no flowNodeRef leaves the diagram to place every node, inside a sub-process too: its
    nodes drawn in its own lanes are those lanes' (they were the sub-process's, and its lanes parties with no
    work: orphans that are none)."""

    def shape(element: str, x: int, y: int, w: int, h: int) -> str:
        return (
            f'<bpmndi:BPMNShape id="s_{element}" bpmnElement="{element}">'
            f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNShape>'
        )

    body = (
        '<collaboration id="c"><participant id="P" name="Org" processRef="p"/></collaboration><process id="p">'
        '<laneSet id="ls"><lane id="a" name="Sales"/><lane id="b" name="Ops"/></laneSet>'
        '<task id="t1" name="Sell"/><subProcess id="sp" name="Fulfil"><laneSet id="ls2"><lane id="x" name="Picking"/>'
        '<lane id="y" name="Packing"/></laneSet><task id="i1" name="Pick"/><task id="i2" name="Pack"/>'
        '<task id="i3" name="Label"/><sequenceFlow id="s1" sourceRef="i1" targetRef="i2"/>'
        '<sequenceFlow id="s2" sourceRef="i2" targetRef="i3"/></subProcess><task id="t2" name="Ship"/>'
        '<sequenceFlow id="f1" sourceRef="t1" targetRef="sp"/><sequenceFlow id="f2" sourceRef="sp" targetRef="t2"/>'
        '</process><bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="c">'
        + shape("a", 0, 0, 1000, 300)
        + shape("b", 0, 300, 1000, 100)
        + shape("t1", 10, 10, 50, 50)
        + shape("sp", 100, 20, 400, 260)
        + shape("x", 110, 30, 380, 100)
        + shape("y", 110, 140, 380, 100)
        + shape("i1", 200, 50, 50, 50)
        + shape("i2", 200, 160, 50, 50)
        + shape("i3", 300, 245, 20, 20)  # in the sub-process, below its lanes: the sub-process's (Sales's)
        + shape("t2", 10, 320, 50, 50)
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
    )
    model = read_model(write_model(tmp_path, "drawn.bpmn", body))
    assert [p["id"] for p in model.parties] == ["Sales", "Ops", "Picking", "Packing"]
    assert set(model.handoffs) == {
        ("Sales", "Ops", "Fulfil"),
        ("Picking", "Packing", "Pick"),
        ("Packing", "Sales", "Pack"),
    }
    assert model.problems == []


def test_a_model_of_more_attributes_than_is_read_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    import valuechain.io.bpmn as reader

    # one task of 3 million empty attributes (35 MB) took 11 s and 1.2 GB as a dictionary before any check could
    # look at it; 100 MB of them would take 3.3 GB. A model of 10,000 steps with its diagram writes 225,000 '='.
    assert reader.MOST_ATTRIBUTES == 2_000_000
    monkeypatch.setattr(reader, "MOST_ATTRIBUTES", 1_000)
    fits = '<process id="p"><task id="t" name="T"/></process>'
    assert read_model(write_model(tmp_path, "fits.bpmn", fits)).parties[0]["id"] == "p"
    wide = '<process id="p"><task id="t" ' + " ".join(f'a{i}=""' for i in range(1_200)) + "/></process>"
    path = write_model(tmp_path, "wide.bpmn", wide)
    parsed = []
    monkeypatch.setattr(reader, "_Builder", lambda name: parsed.append(name))  # any parse would fail loudly
    with pytest.raises(InputError) as err:
        vc.load(path, customers=["x"])
    assert parsed == []  # refused before the parser made any attribute
    (problem,) = err.value.problems
    assert problem.code == Code.TOO_LARGE and problem.file == str(path)
    assert "1,000 attributes" in problem.message and "split the model" in problem.hint


@pytest.mark.parametrize(("encoding", "declared"), [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16BE")])
def test_a_utf16_model_of_cyrillic_names_is_not_counted_as_attributes(tmp_path, monkeypatch, encoding, declared):
    """In UTF-16 the Cyrillic 'н' (U+043D) is written with the byte of '=': the attributes are counted as '='
    characters, not bytes (a Russian model of long names was refused as one of too many attributes)."""
    import valuechain.io.bpmn as reader

    monkeypatch.setattr(reader, "MOST_ATTRIBUTES", 1_000)
    name = "Приёмка и оценка заявки на изменение " * 300  # 1,200 'н', and a few attributes
    body = f'<process id="p" name="{name}"><task id="t"/></process></definitions>'
    path = tmp_path / "cyrillic.bpmn"
    path.write_bytes((HEAD.replace("UTF-8", declared) + body).encode(encoding))
    assert path.read_bytes().count(b"=") > 1_000
    assert read_model(path).parties[0]["group"].startswith("Приёмка")


def test_the_picture_of_models_shows_each_partys_pool_and_model_files_on_hover(tmp_path):
    sample = Path(__file__).resolve().parent.parent / "data" / "order-to-cash" / "order-to-cash.bpmn"
    other = write_model(
        tmp_path,
        "reporting.bpmn",
        '<collaboration id="c"><participant id="P" name="Order to cash" processRef="p"/></collaboration>'
        '<process id="p"><laneSet id="ls"><lane id="a" name="Sales Reporting"><flowNodeRef>t</flowNodeRef></lane>'
        '<lane id="b" name="Sales"><flowNodeRef>u</flowNodeRef></lane></laneSet><task id="t" name="Weekly figures"/>'
        '<task id="u" name="Read"/><sequenceFlow id="f" sourceRef="t" targetRef="u"/></process>',
    )
    chain = vc.load([sample, other], customers=["Customer"])
    hover = {
        text.split("</b>")[0].removeprefix("<b>"): text
        for trace in chain.plot().data
        if trace.hovertext is not None
        for text in trace.hovertext
    }
    assert hover["Credit"].endswith("<br>Model file: order-to-cash.bpmn") and "Order to cash · " in hover["Credit"]
    assert hover["Sales Reporting"].endswith("<br>Model file: order-to-cash.bpmn; reporting.bpmn")
    assert hover["Supplier"].split("<br>")[1].startswith("Supplier · ")  # a black-box pool is its own group
    assert ("Sales Reporting", "Sales", "Weekly figures") in set(
        zip(chain.handoffs["source"], chain.handoffs["target"], chain.handoffs["deliverable"])
    )
