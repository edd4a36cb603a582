"""Process models (BPMN 2.0) in: the rule of DESIGN.md case by case, a property against a plain traversal, the
shared reference models, hostile XML, the command line and the order-to-cash sample."""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import valuechain as vc
from tests.conftest import DATA, SHARED
from valuechain.cli import main
from valuechain.exceptions import InputError
from valuechain.io.bpmn import is_bpmn_file, name_of, read_model, read_models
from valuechain.problems import Code

NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DI = (
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)
SAMPLE = DATA / "order-to-cash" / "order-to-cash.bpmn"
MODELS = SHARED / "acceptance" / "bpmn"
CASES = sorted(MODELS.rglob("*.expected.json")) if MODELS.exists() else []


def bpmn(body: str, prefix: str = "bpmn") -> str:
    """A model: ``body`` written with ``<p:`` for the model's prefix, inside ``definitions``."""
    tag = f"{prefix}:" if prefix else ""
    body = body.replace("<p:", f"<{tag}").replace("</p:", f"</{tag}")
    xmlns = f'xmlns{":" + prefix if prefix else ""}="{NS}"'
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{tag}definitions {xmlns} {DI} id="d">{body}</{tag}definitions>'


def read(write, body: str, name: str = "m.bpmn", prefix: str = "bpmn", **kwargs) -> vc.Chain:
    path = write(name, bpmn(body, prefix))
    kwargs.setdefault("customers", None)
    return vc.load(path, **kwargs)


def model(write, body: str, prefix: str = "bpmn"):
    return read_model(write("m.bpmn", bpmn(body, prefix)))


def lanes(*specs: tuple[str, str, list[str]], lane_set: str = "ls") -> str:
    """A lane set: (id, name, node ids) per lane."""
    inner = "".join(
        f'<p:lane id="{i}" name="{n}">' + "".join(f"<p:flowNodeRef>{r}</p:flowNodeRef>" for r in refs) + "</p:lane>"
        for i, n, refs in specs
    )
    return f'<p:laneSet id="{lane_set}">{inner}</p:laneSet>'


def flow(i: str, source: str, target: str) -> str:
    return f'<p:sequenceFlow id="{i}" sourceRef="{source}" targetRef="{target}"/>'


def shape(element: str, x: float, y: float, w: float, h: float) -> str:
    return (
        f'<bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}">'
        f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNShape>'
    )


def diagram(*shapes: str) -> str:
    return (
        '<bpmndi:BPMNDiagram id="dg"><bpmndi:BPMNPlane id="pl">'
        + "".join(shapes)
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
    )


# ------------------------------------------------------------------------------------------- the rule


def test_lanes_are_parties_and_a_flow_across_lanes_is_a_handoff(write):
    m = model(
        write,
        '<p:collaboration id="c"><p:participant id="pa" name="Shop" processRef="p"/></p:collaboration>'
        '<p:process id="p">'
        + lanes(("l1", "Sales", ["a", "b"]), ("l2", "Credit", ["c", "e"]))
        + '<p:startEvent id="a"/><p:task id="b" name="Take order"/><p:task id="c" name="Check credit"/>'
        '<p:endEvent id="e" name="Done"/>'
        + flow("f1", "a", "b")
        + flow("f2", "b", "c")
        + flow("f3", "c", "e")
        + "</p:process>",
    )
    assert [(p["id"], p["kind"], p["group"]) for p in m.parties] == [
        ("Sales", "team", "Shop"),
        ("Credit", "team", "Shop"),
    ]
    assert m.handoffs == [("Sales", "Credit", "Take order")]  # a flow within a lane is no hand-off
    assert m.end_events == [("Credit", "Done")]


def test_nested_lanes_innermost_are_parties_and_an_empty_child_lane_set_is_innermost(write):
    m = model(
        write,
        '<p:process id="p" name="Org"><p:laneSet id="ls">'
        '<p:lane id="top" name="Operations"><p:flowNodeRef>a</p:flowNodeRef><p:childLaneSet id="cs">'
        '<p:lane id="in1" name="Picking"><p:flowNodeRef>a</p:flowNodeRef></p:lane>'
        '<p:lane id="in2" name="Packing"><p:flowNodeRef>b</p:flowNodeRef></p:lane>'
        "</p:childLaneSet></p:lane>"
        '<p:lane id="lone" name="Office"><p:flowNodeRef>c</p:flowNodeRef><p:childLaneSet id="empty"/></p:lane>'
        "</p:laneSet>"
        '<p:task id="a" name="Pick"/><p:task id="b" name="Pack"/><p:task id="c" name="File"/>'
        + flow("f1", "a", "b")
        + flow("f2", "b", "c")
        + "</p:process>",
    )
    assert [p["id"] for p in m.parties] == ["Picking", "Packing", "Office"]
    assert m.handoffs == [("Picking", "Packing", "Pick"), ("Packing", "Office", "Pack")]


def test_a_black_box_pool_is_a_vendor_partner_and_message_flows_reach_pools(write):
    m = model(
        write,
        '<p:collaboration id="c"><p:participant id="shop" name="Shop" processRef="p"/>'
        '<p:participant id="sup" name="Supplier"/>'
        '<p:participant id="cust" name="Customer" processRef="empty"/>'
        '<p:messageFlow id="m1" sourceRef="order" targetRef="sup"/>'
        '<p:messageFlow id="m2" name="Parts" sourceRef="sup" targetRef="recv"/>'
        '<p:messageFlow id="m3" messageRef="msg" sourceRef="cust" targetRef="shop"/>'
        '<p:messageFlow id="m4" sourceRef="order" targetRef="nowhere"/>'
        "</p:collaboration>"
        '<p:message id="msg" name="  Purchase\n order "/>'
        '<p:process id="empty"/>'
        '<p:process id="p">'
        + lanes(("l1", "Buying", ["order"]), ("l2", "Stores", ["recv"]))
        + '<p:sendTask id="order" name="Order parts"/><p:receiveTask id="recv"/></p:process>',
    )
    kinds = {p["id"]: p["kind"] for p in m.parties}
    assert kinds == {"Buying": "team", "Stores": "team", "Supplier": "vendor_partner", "Customer": "vendor_partner",
                     "Shop": "team"}  # fmt: skip
    assert set(m.handoffs) == {
        ("Buying", "Supplier", "Order parts"),  # no name, no message: the source's name
        ("Supplier", "Stores", "Parts"),
        ("Customer", "Shop", "Purchase order"),  # to a pool with lanes: a party named after the pool
    }
    assert m.black_boxes == ["Supplier", "Customer"]
    edge, warning = m.problems
    assert "'m4'" in warning.message and "nowhere" in warning.message and warning.severity == "warning"
    assert edge.message.startswith("a message flow ends at the edge of a pool with lanes, not at a step in a lane")
    assert "'m3' (targetRef pool 'shop', 'Shop')" in edge.message and "lane that receives" in edge.hint


def test_gateways_in_other_lanes_are_passed_through(write):
    m = model(
        write,
        '<p:process id="p">'
        + lanes(("l1", "A", ["a", "b"]), ("l2", "B", ["g1", "g2"]), ("l3", "C", ["c"]))
        + '<p:task id="a" name="Start work"/><p:task id="b" name="Finish"/><p:task id="c" name="Review"/>'
        '<p:exclusiveGateway id="g1"/><p:parallelGateway id="g2"/>'
        + flow("f1", "a", "g1")
        + flow("f2", "g1", "g2")
        + flow("f3", "g2", "g1")
        + flow("f4", "g2", "b")
        + flow("f5", "g1", "c")
        + "</p:process>",
    )
    assert [p["id"] for p in m.parties] == ["A", "B", "C"]  # a gateway's lane is a party all the same
    assert m.handoffs == [("A", "C", "Start work")]  # through both gateways, each visited once


def test_sub_process_nodes_belong_to_its_party_and_boundary_events_to_their_activity(write):
    m = model(
        write,
        '<p:process id="p">'
        + lanes(("l1", "Front", ["s", "x"]), ("l2", "Back", ["t", "bt"]))
        + '<p:subProcess id="s" name="Handle"><p:startEvent id="s1"/><p:task id="s2" name="Inner"/>'
        + flow("sf1", "s1", "s2")
        + flow("sf2", "s2", "t")
        + "</p:subProcess>"
        '<p:task id="t" name="Back task"/><p:task id="x" name="Escalate"/>'
        '<p:boundaryEvent id="b1" attachedToRef="t"/><p:boundaryEvent id="bt" name="Late" attachedToRef="s"/>'
        + flow("f1", "b1", "x")
        + flow("f2", "bt", "x")
        + "</p:process>",
    )
    assert set(m.handoffs) == {
        ("Front", "Back", "Inner"),  # flows inside sub-processes count the same
        ("Back", "Front", "boundaryEvent"),  # b1: no lane, no DI: its activity's party; no name: its type
        ("Back", "Front", "Late"),  # listed by a lane: that lane
    }


def test_unnamed_lane_takes_its_pool_name_and_collisions_become_pool_slash_lane(write):
    m = model(
        write,
        '<p:collaboration id="c"><p:participant id="p1" name="North" processRef="a"/>'
        '<p:participant id="p2" name="South" processRef="b"/><p:participant id="p3" name="Team" processRef="t"/>'
        "</p:collaboration>"
        '<p:process id="a">'
        + lanes(("a1", "Sales", ["n1"]), ("a2", "", ["n2"]), lane_set="lsa")
        + '<p:task id="n1"/><p:task id="n2"/></p:process>'
        '<p:process id="b">' + lanes(("b1", "Sales", ["s1"]), lane_set="lsb") + '<p:task id="s1"/></p:process>'
        '<p:process id="t">' + lanes(("t1", "North", ["t1n"]), lane_set="lst") + '<p:task id="t1n"/></p:process>',
    )
    assert [p["id"] for p in m.parties] == ["North / Sales", "North / North", "South / Sales", "Team / North"]
    assert {p["group"] for p in m.parties} == {"North", "South", "Team"}


def test_parties_still_sharing_an_id_are_one_party(write):
    m = model(
        write,
        '<p:collaboration id="c"><p:participant id="p1" name="Ops" processRef="a"/>'
        '<p:participant id="p2" name="Ops" processRef="b"/></p:collaboration>'
        '<p:process id="a"><p:task id="x"/></p:process><p:process id="b"><p:task id="y"/></p:process>',
    )
    assert [p["id"] for p in m.parties] == ["Ops / Ops"]


def test_di_fallback_places_unlisted_nodes_by_their_centre(write):
    m = model(
        write,
        '<p:collaboration id="c"><p:participant id="pool" name="P" processRef="p"/></p:collaboration>'
        '<p:process id="p">' + lanes(("l1", "Upper", []), ("l2", "Lower", []))
        + '<p:task id="a" name="Up"/><p:task id="b" name="Down"/><p:task id="z" name="Nowhere"/>'
        + flow("f1", "a", "b") + flow("f2", "b", "z") + "</p:process>"
        + diagram(shape("pool", 0, 0, 500, 200), shape("l1", 30, 0, 470, 100), shape("l2", 30, 100, 470, 100),
                  shape("a", 100, 20, 100, 60), shape("b", 100, 120, 100, 60), shape("z", 700, 20, 100, 60)),
    )  # fmt: skip
    assert m.handoffs == [("Upper", "Lower", "Up"), ("Lower", "P", "Down")]
    (warning,) = m.problems
    assert "'Nowhere'" in warning.message and "'P'" in warning.message


def test_a_lane_listing_a_node_but_having_child_lanes_places_it_by_bounds(write):
    m = model(
        write,
        '<p:process id="p"><p:laneSet id="ls"><p:lane id="top" name="Top"><p:flowNodeRef>a</p:flowNodeRef>'
        '<p:flowNodeRef>b</p:flowNodeRef><p:childLaneSet id="c"><p:lane id="i1" name="One"/><p:lane id="i2" '
        'name="Two"/></p:childLaneSet></p:lane></p:laneSet><p:task id="a" name="A"/><p:task id="b" name="B"/>'
        + flow("f", "a", "b") + "</p:process>"
        + diagram(shape("i1", 0, 0, 300, 100), shape("i2", 0, 100, 300, 100), shape("a", 10, 10, 50, 50),
                  shape("b", 10, 150, 50, 50)),
    )  # fmt: skip
    assert m.handoffs == [("One", "Two", "A")]


@pytest.mark.parametrize("prefix", ["bpmn", "bpmn2", "semantic", "model", ""])
def test_any_prefix_or_none_and_qname_references(write, prefix):
    ref = f"{prefix}:" if prefix else ""
    m = model(
        write,
        '<p:process id="p">' + lanes(("l1", "A", [f"{ref}a"]), ("l2", "B", [f" {ref}b "]))
        + f'<p:task id="a" name="Hand over"/><p:task id="b"/>'
        f'<p:sequenceFlow id="f" sourceRef="{ref}a" targetRef="b"/></p:process>',
        prefix=prefix,
    )  # fmt: skip
    assert m.handoffs == [("A", "B", "Hand over")]


def test_whitespace_in_names_is_one_space(write):
    m = model(
        write,
        '<p:process id="p">' + lanes(("l1", " Sales&#10;  team\u00a0", ["a"]), ("l2", "Credit", ["b"]))
        + '<p:task id="a" name="Take&#10;order "/><p:task id="b" name="   "/>' + flow("f", "a", "b")
        + flow("g", "b", "a") + "</p:process>",
    )  # fmt: skip
    assert set(m.handoffs) == {("Sales team", "Credit", "Take order"), ("Credit", "Sales team", "task")}
    assert name_of("\u2003a\tb\r\n") == "a b"


def test_skipped_elements_are_counted_in_one_warning(write):
    m = model(
        write,
        '<p:process id="p"><p:task id="a"/><p:dataObject id="d1"/><p:dataObjectReference id="d2"/>'
        '<p:textAnnotation id="t"/><p:association id="as"/><p:association id="as2"/></p:process>',
    )
    (warning,) = m.problems
    assert warning.code == Code.BAD_MODEL
    assert warning.message.startswith("5 elements") and "2 association" in warning.message


def test_a_process_no_participant_names_is_a_pool_of_its_own_and_an_empty_one_is_skipped(write):
    m = model(
        write,
        '<p:collaboration id="c"><p:participant id="pa" name="Main" processRef="p"/></p:collaboration>'
        '<p:process id="p"><p:callActivity id="ca" calledElement="q"/></p:process>'
        '<p:process id="q" name="Called"><p:task id="t"/></p:process><p:process id="nothing"/>',
    )
    assert [p["id"] for p in m.parties] == ["Main", "Called"]


# ---------------------------------------------------------------------------------------- the customer


ORDER = (
    '<p:collaboration id="c"><p:participant id="cp" name="Client"/><p:participant id="sp" name="Shop" '
    'processRef="p"/><p:messageFlow id="m" name="Goods" sourceRef="t2" targetRef="cp"/></p:collaboration>'
    '<p:process id="p">' + lanes(("l1", "Sales", ["t1", "e1"]), ("l2", "Delivery", ["t2", "e2"]))
    + '<p:task id="t1" name="Sell"/><p:endEvent id="e1" name="Lost&#10;sale"/><p:task id="t2" name="Deliver"/>'
    '<p:endEvent id="e2" name="Delivered"/>' + flow("f1", "t1", "t2") + flow("f2", "t2", "e2") + flow("f3", "t1", "e1")
    + "</p:process>"
)  # fmt: skip


def test_no_customer_lists_black_box_pools_first_then_end_event_parties(write):
    with pytest.raises(InputError) as err:
        read(write, ORDER)
    (problem,) = err.value.problems
    assert problem.code == Code.NO_CUSTOMER and problem.file == "m.bpmn"
    assert "candidates: 'Client', 'Sales', 'Delivery'" in problem.hint
    assert "'Delivered', 'Lost sale'" in problem.hint


def test_a_named_customer_even_a_black_box_pool_is_the_customer(write):
    chain = read(write, ORDER, customers=["Client"])
    assert chain.customers == ["Client"]
    assert chain.parties.set_index("id").loc["Client", "kind"] == "external_customer"
    assert chain.analyze().summary["orphans"] == 0


def test_outcomes_hand_off_to_the_customer(write):
    chain = read(write, ORDER, outcomes=["Delivered"])
    assert chain.customers == ["customer"]
    assert ("Delivery", "customer", "Delivered") in set(
        zip(chain.handoffs["source"], chain.handoffs["target"], chain.handoffs["deliverable"])
    )
    assert chain.handoffs["essential"].all()
    named = read(write, ORDER, outcomes=[" Lost\nsale"], customers=["buyers"])
    assert named.customers == ["buyers"]
    assert set(named.analyze().orphans["id"]) == {"Delivery"}


def test_an_outcome_that_is_no_end_event_is_an_error(write):
    with pytest.raises(InputError) as err:
        read(write, ORDER, outcomes=["Deliverd"])
    (problem,) = err.value.problems
    assert problem.code == Code.BAD_OPTION and "'Deliverd'" in problem.message and "'Delivered'" in problem.hint


def test_a_parties_table_beside_the_model_overrides_by_id(write):
    table = "id,name,kind,group,headcount,owner\nClient,Our clients,external_customer,,,\n"
    table += "Sales,,,Commerce,4,Ann\nSails,,,,1,\n"
    parties = write("p.csv", table)
    chain = read(write, ORDER, parties=parties)
    table = chain.parties.set_index("id")
    assert chain.customers == ["Client"]
    assert table.loc["Client", "name"] == "Our clients" and table.loc["Sales", "group"] == "Commerce"
    assert table.loc["Delivery", "group"] == "Shop" and table.loc["Sales", "headcount"] == 4
    (warning,) = [w for w in chain.warnings if w.code == Code.UNKNOWN_PARTY]
    assert warning.file == str(parties) and "did you mean 'Sales'" in warning.hint
    assert warning.row == 4
    no_kind = read(write, ORDER, customers=["Sales"], parties=write("q.csv", "id,cost\nClient,5\n"))
    assert no_kind.parties.set_index("id").loc["Client", "kind"] == "vendor_partner"  # a blank kind keeps the model's
    assert table.loc["Sales", "owner"] == "Ann" and table.loc["Sales", "name"] == "Sales"  # a blank name: the id


def test_several_models_settle_ids_per_file_then_equal_ids_are_one_party(write):
    first = write("order.bpmn", bpmn(ORDER))
    second = write(
        "invoice.bpmn",
        bpmn('<p:process id="p" name="Billing">' + lanes(("l1", "Delivery", ["a"]), ("l2", "Invoicing", ["b"]))
             + '<p:task id="a" name="Report delivery"/><p:task id="b" name="Invoice"/>' + flow("f", "a", "b")
             + "</p:process>"),
    )  # fmt: skip
    chain = vc.load([first, second], customers=["Client"])
    table = chain.parties.set_index("id")
    assert sorted(table.index) == ["Client", "Delivery", "Invoicing", "Sales"]
    assert table.loc["Delivery", "source_file"] == "order.bpmn; invoice.bpmn"
    assert ("Delivery", "Invoicing", "Report delivery") in set(
        zip(chain.handoffs["source"], chain.handoffs["target"], chain.handoffs["deliverable"])
    )


def test_xml_files_are_models_when_their_root_is_bpmn_definitions(write):
    path = write("model.xml", bpmn(ORDER, prefix="semantic"))
    assert is_bpmn_file(path)
    assert not is_bpmn_file(write("other.xml", "<definitions xmlns='urn:other'/>"))
    assert vc.load(path, customers=["Client"]).customers == ["Client"]


def test_outcomes_and_several_files_are_refused_for_tables():
    with pytest.raises(InputError, match="outcomes are read only with process models"):
        vc.load(DATA / "restaurant" / "handoffs.csv", outcomes=["x"])
    with pytest.raises(InputError, match=r"handoffs\.csv: not a BPMN 2\.0 process model"):
        vc.load([DATA / "restaurant" / "handoffs.csv", SAMPLE])


# ----------------------------------------------------------------------------- a plain per-step oracle


@st.composite
def collaborations(draw):
    """A random collaboration: pools (with lanes or not), steps and gateways in lanes, sequence and message flows;
    with the parties and hand-offs a plain traversal gives."""
    pools = []
    node = 0
    for p in range(draw(st.integers(1, 3))):
        lane_count = draw(st.integers(0, 3))
        owners = [f"P{p}L{i}" for i in range(lane_count)] or [f"P{p}"]
        nodes = []
        for _ in range(draw(st.integers(1, 7))):
            kind = draw(st.sampled_from(["task", "userTask", "intermediateThrowEvent", "exclusiveGateway",
                                         "parallelGateway"]))  # fmt: skip
            nodes.append((f"n{node}", kind, draw(st.sampled_from(owners)), draw(st.sampled_from(["", f"step {node}"]))))
            node += 1
        ids = [n[0] for n in nodes]
        flows = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=12))
        pools.append((f"P{p}", lane_count, nodes, flows))
    steps = [(n[0], p[0]) for p in pools for n in p[2] if "Gateway" not in n[1]]
    messages = draw(st.lists(st.tuples(st.sampled_from(steps), st.sampled_from(steps)), max_size=4)) if steps else []
    return pools, [(a[0], b[0]) for a, b in messages if a[1] != b[1]]


def to_xml(pools, messages) -> str:
    parts = ['<p:collaboration id="c">']
    parts += [f'<p:participant id="part{name}" name="{name}" processRef="proc{name}"/>' for name, *_ in pools]
    parts += [f'<p:messageFlow id="mf{i}" sourceRef="{a}" targetRef="{b}"/>' for i, (a, b) in enumerate(messages)]
    parts.append("</p:collaboration>")
    for name, lane_count, nodes, flows in pools:
        parts.append(f'<p:process id="proc{name}">')
        if lane_count:
            parts.append(lanes(*[(f"{name}L{i}", f"{name}L{i}", [n[0] for n in nodes if n[2] == f"{name}L{i}"])
                                 for i in range(lane_count)], lane_set=f"ls{name}"))  # fmt: skip
        parts += [f'<p:{kind} id="{i}"' + (f' name="{label}"' if label else "") + "/>" for i, kind, _, label in nodes]
        parts += [flow(f"{name}f{k}", a, b) for k, (a, b) in enumerate(flows)]
        parts.append("</p:process>")
    return "".join(parts)


def plain_handoffs(pools, messages) -> set[tuple[str, str, str]]:
    """For each step, every step reached through gateways only; a hand-off where the lane differs."""
    info = {n[0]: n for _, _, nodes, _ in pools for n in nodes}
    out: dict[str, list[str]] = {}
    for _, _, _, flows in pools:
        for a, b in flows:
            out.setdefault(a, []).append(b)

    def reached(start: str) -> set[str]:
        found, seen_gateways = set(), set()

        def visit(n: str) -> None:
            for m in out.get(n, []):
                if "Gateway" in info[m][1]:
                    if m not in seen_gateways:
                        seen_gateways.add(m)
                        visit(m)
                else:
                    found.add(m)

        visit(start)
        return found

    result = set()
    for step, kind, owner, label in info.values():
        if "Gateway" in kind:
            continue
        for target in reached(step):
            if info[target][2] != owner:
                result.add((owner, info[target][2], label or kind))
    for a, b in messages:
        if info[a][2] != info[b][2]:
            result.add((info[a][2], info[b][2], info[a][3] or info[a][1]))
    return result


@given(collaborations())
def test_property_handoffs_match_a_plain_per_step_traversal(collaboration):
    pools, messages = collaboration
    import io

    source = io.BytesIO(bpmn(to_xml(pools, messages)).encode())
    source.name = "random.bpmn"
    m = read_model(source)
    assert set(m.handoffs) == plain_handoffs(pools, messages)
    assert len(m.handoffs) == len(set(m.handoffs))
    expected_parties = {f"{name}L{i}" for name, count, *_ in pools for i in range(count)}
    expected_parties |= {name for name, count, *_ in pools if not count}
    assert {p["id"] for p in m.parties} == expected_parties


# ------------------------------------------------------------------------------- the shared reference models


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")).strip()


def test_the_shared_models_are_present():
    if not CASES:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs the shared BPMN models at {MODELS}")
        pytest.skip(f"the shared BPMN models are not at {MODELS}")
    assert len(CASES) >= 127


@pytest.mark.parametrize("expected", CASES, ids=[str(c.relative_to(MODELS)) for c in CASES])
def test_reference_model_matches_its_expected_file(expected: Path):
    want = json.loads(expected.read_text(encoding="utf-8"))
    path = expected.with_name(expected.name.removesuffix(".expected.json") + ".bpmn")
    customers = [want["customer"]] if want.get("customer") else None
    if "refused" in want:
        with pytest.raises(InputError) as err:
            vc.load(path, customers=customers)
        assert path.name in str(err.value)
        return
    chain = vc.load(path, customers=customers)
    assert {_clean(p) for p in chain.parties["id"]} == {_clean(p) for p in want["parties"]}
    h = chain.handoffs
    got = {(_clean(s), _clean(t), _clean(d)) for s, t, d in zip(h["source"], h["target"], h["deliverable"])}
    assert got == {(_clean(s), _clean(t), _clean(d)) for s, t, d in want["handoffs"]}
    m = read_model(path)
    groups = {p["id"]: (p["kind"], p["group"]) for p in m.parties}
    assert groups == {p: (v["kind"], _clean(v["group"])) for p, v in want["parties"].items()}
    ends: dict[str, list[str]] = {}
    for party, name in m.end_events:
        ends.setdefault(party, []).append(name)
    assert {p: sorted(n) for p, n in ends.items()} == want["end_events"]


# ------------------------------------------------------------------------------------------- hostile XML


HOSTILE = {
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]><definitions xmlns="' + NS.encode() + b'"><process id="p" name="&c;"/>'
    b"</definitions>",
    "external entity": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><definitions '
    b'xmlns="' + NS.encode() + b'"><process id="p" name="&x;"/></definitions>',
    "50 MB attribute": b'<definitions xmlns="' + NS.encode() + b'"><process id="p" name="' + b"a" * 50_000_000
    + b'"/></definitions>',
    "100,000-deep nesting": b'<definitions xmlns="' + NS.encode() + b'">' + b"<a>" * 100_000 + b"</a>" * 100_000
    + b"</definitions>",
    "binary": bytes(range(256)) * 40,
    "empty": b"",
    "not BPMN XML": b'<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns"/>',
    "no process": b'<definitions xmlns="' + NS.encode() + b'"><message id="m"/></definitions>',
    "truncated": b'<definitions xmlns="' + NS.encode() + b'"><process id="p">',
}  # fmt: skip


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_xml_is_refused_with_one_clear_message(write, case):
    path = write("hostile.bpmn", HOSTILE[case])
    start = time.perf_counter()
    with pytest.raises(InputError) as err:
        vc.load(path, customers=["x"])
    assert time.perf_counter() - start < 60  # a quadratic parse of the 50 MB attribute took minutes
    (problem,) = err.value.problems
    assert problem.severity == "error" and problem.file == str(path)
    assert problem.code in (Code.BAD_MODEL, Code.TOO_LARGE, Code.EMPTY)
    assert "Traceback" not in str(err.value) and len(problem.message) < 300


# ------------------------------------------------------------------------------ the command line and sample


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_analyze_json_on_the_sample():
    result = run("analyze", SAMPLE, "--customer", "Customer", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["customers"] == ["Customer"]
    assert [o["id"] for o in found["orphans"]] == ["Sales Reporting"]
    assert found["orphans"][0]["group"] == "Order to cash"
    assert ["Credit", "Sales"] in found["mutual_pairs"]


def test_cli_outcome_and_several_models(tmp_path):
    result = run("analyze", SAMPLE, "--outcome", "Order paid", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["customers"] == ["customer"]
    other = tmp_path / "reporting.bpmn"
    other.write_text(bpmn('<p:process id="p" name="Reporting">' + lanes(("l1", "Sales Reporting", ["a"]),
                     ("l2", "Sales", ["b"])) + '<p:task id="a" name="Weekly figures"/><p:task id="b"/>'
                     + flow("f", "a", "b") + "</p:process>"))  # fmt: skip
    result = run("analyze", SAMPLE, other, "-c", "Customer", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["orphans"] == []  # the second model connects the reporting lane
    missing = run("analyze", SAMPLE)
    assert missing.exit_code == 2 and "candidates: 'Customer', 'Supplier'" in missing.stderr


def test_cli_export_graphml_reads_back_as_the_same_org(tmp_path):
    out = tmp_path / "o2c.graphml"
    result = run("export", SAMPLE, "-c", "Customer", "-o", out)
    assert result.exit_code == 0, result.output
    model, graph = vc.load(SAMPLE, customers=["Customer"]), vc.load(out)
    assert graph.customers == ["Customer"]
    assert sorted(graph.parties["id"]) == sorted(model.parties["id"])
    assert set(graph.parties["source_file"]) == {"order-to-cash.bpmn"}
    key = ["source", "target", "deliverable"]
    assert sorted(map(tuple, graph.handoffs[key].values)) == sorted(map(tuple, model.handoffs[key].values))


def test_the_sample_shows_what_its_readme_says():
    found = vc.load(SAMPLE, customers=["Customer"]).analyze()
    assert dict(zip(found.orphans["id"], found.orphans["reason"])) == {"Sales Reporting": "dead_end"}
    assert found.mutual_pairs.values.tolist() == [["Credit", "Sales"], ["Supplier", "Warehouse"]]
    assert found.single_points_of_failure[["id", "dependents"]].values.tolist() == [["Warehouse", 2], ["Credit", 1]]
    readme = (SAMPLE.parent / "README.md").read_text(encoding="utf-8")
    for word in ("Sales Reporting", "Credit", "Sales", "Warehouse", "Supplier", "--outcome"):
        assert word in readme
    assert read_models([SAMPLE], customers=["Customer"])[0].problems == []


def test_every_command_that_reads_an_org_reads_a_model(tmp_path):
    customer = ("-c", "Customer")
    assert run("check", SAMPLE, *customer).exit_code == 0
    assert "OK: 7 parties, 12 hand-offs" in run("check", SAMPLE, *customer).stdout
    whatif = run("whatif", SAMPLE, *customer, "--remove", "Warehouse", "--format", "json")
    assert whatif.exit_code == 0, whatif.output
    assert "Sales" in whatif.stdout
    report = run("report", SAMPLE, *customer, "-o", tmp_path / "r.md")
    assert report.exit_code == 0, report.output
    assert "Sales Reporting" in (tmp_path / "r.md").read_text(encoding="utf-8")
    brief = run("brief", SAMPLE, "--outcome", "Order paid", "-o", tmp_path / "b.html")
    assert brief.exit_code == 0, brief.output
    diff = run("diff", SAMPLE, SAMPLE, *customer, "--format", "json")
    assert diff.exit_code == 0, diff.output
    assert run("export", SAMPLE, *customer, "-o", tmp_path / "o.gexf").exit_code == 0


def test_several_files_on_the_command_line_must_all_be_models(tmp_path):
    table = DATA / "restaurant" / "handoffs.csv"
    mixed = run("analyze", SAMPLE, table)
    assert mixed.exit_code == 2 and "is not a process model" in mixed.stderr
    tables = run("analyze", table, table)
    assert tables.exit_code == 2 and "Got unexpected extra argument" in tables.stderr
    refused = run("report", SAMPLE, SAMPLE, "-c", "Customer", "-o", SAMPLE)
    assert refused.exit_code == 2 and "destroy the input" in refused.stderr


def test_a_participant_in_several_collaborations_is_one_pool(write):
    m = model(
        write,
        '<p:collaboration id="c1"><p:participant id="x" name="Bank"/><p:participant id="s" name="Shop" '
        'processRef="p"/><p:messageFlow id="m" sourceRef="t" targetRef="x"/></p:collaboration>'
        '<p:collaboration id="c2"><p:participant id="x" name="Bank"/></p:collaboration>'
        '<p:process id="p"><p:task id="t" name="Pay"/></p:process>',
    )
    assert [p["id"] for p in m.parties] == ["Bank", "Shop"]
    assert m.handoffs == [("Shop", "Bank", "Pay")]


def test_a_model_too_large_is_refused_before_it_is_read(write, monkeypatch):
    import valuechain.io.bpmn as reader

    monkeypatch.setattr(reader, "LARGEST_MODEL", 1000)
    path = write("big.bpmn", bpmn('<p:process id="p"><p:task id="t" name="' + "x" * 2000 + '"/></p:process>'))
    with pytest.raises(InputError) as err:
        vc.load(path, customers=["x"])
    (problem,) = err.value.problems
    assert problem.code == Code.TOO_LARGE and "big.bpmn" in problem.file


def test_a_model_whose_gateways_multiply_its_handoffs_is_refused(write):
    n = 1_100  # each of 1,100 steps, through one gateway, hands off to every other lane: 1.2 million hand-offs
    tasks = "".join(f'<p:task id="t{i}" name="step {i}"/>' for i in range(n))
    flows = "".join(flow(f"a{i}", f"t{i}", "g") + flow(f"b{i}", "g", f"t{i}") for i in range(n))
    lane_set = lanes(*((f"l{i}", f"Lane {i}", [f"t{i}"]) for i in range(n)))
    path = write(
        "fan.bpmn", bpmn(f'<p:process id="p">{lane_set}{tasks}<p:exclusiveGateway id="g"/>{flows}</p:process>')
    )
    assert path.stat().st_size < 300_000
    with pytest.raises(InputError) as err:
        vc.load(path, customers=["Lane 0"])
    (problem,) = err.value.problems
    assert problem.code == Code.TOO_LARGE and "fan.bpmn" in problem.file and "1,000,000 hand-offs" in problem.message


def test_column_mappings_a_model_cannot_use_are_warned_about(write):
    chain = read(write, ORDER, customers=["Client"], columns={"source": "From"})
    (warning,) = [w for w in chain.warnings if w.code == Code.BAD_OPTION]
    assert "'source'" in warning.message and "process model" in warning.message


def test_nodes_in_no_lane_are_one_warning_with_a_count(write):
    tasks = "".join(f'<p:task id="t{i}" name="Task {i}"/>' for i in range(8))
    flows = "".join(flow(f"f{i}", f"t{i}", f"t{i + 1}") for i in range(7))
    m = model(write, '<p:process id="p" name="Pool">' + lanes(("l1", "Lane", [])) + tasks + flows + "</p:process>")
    (warning,) = m.problems
    assert warning.message.startswith("8 nodes are in no lane") and warning.message.endswith("and 3 more")
    assert [p["id"] for p in m.parties] == ["Lane", "Pool"] and m.handoffs == []


# ------------------------------------------------------------------------------------------- review fixes


def gateway_ring(steps: int, lanes_count: int, seed: int = 1) -> tuple[str, set[tuple[str, str, str]]]:
    """A gateway ring (step i, in lane i % lanes, flows to gateway i; gateway i to gateway i + 1 round the ring and
    to a random step), and its hand-offs: every step reaches every gateway, so every lane a gateway leads to."""
    import random

    rng = random.Random(seed)
    chosen = [rng.randrange(steps) for _ in range(steps)]
    specs = [(f"l{j}", f"Lane {j}", [f"t{i}" for i in range(j, steps, lanes_count)]) for j in range(lanes_count)]
    body = "".join(f'<p:task id="t{i}" name="T {i}"/><p:exclusiveGateway id="g{i}"/>' for i in range(steps))
    body += "".join(
        flow(f"f{i}", f"t{i}", f"g{i}")
        + flow(f"r{i}", f"g{i}", f"g{(i + 1) % steps}")
        + flow(f"k{i}", f"g{i}", f"t{t}")
        for i, t in enumerate(chosen)
    )
    reached = {f"Lane {t % lanes_count}" for t in chosen}
    expected = {
        (f"Lane {i % lanes_count}", lane, f"T {i}")
        for i in range(steps)
        for lane in reached - {f"Lane {i % lanes_count}"}
    }
    return f'<p:process id="p" name="Org">{lanes(*specs)}{body}</p:process>', expected


def test_gateways_in_a_ring_are_followed_in_near_linear_time(write):
    body, expected = gateway_ring(3000, 20)
    start = time.process_time()
    m = model(write, body)
    took = time.process_time() - start
    assert set(m.handoffs) == expected and len(m.handoffs) == len(expected)
    assert took < 2.5, f"{took:.2f} s CPU for 3,000 steps in a gateway ring (8.3 s when quadratic)"


def test_components_of_gateways_pass_on_what_they_reach(write):
    # g1 <-> g2 is one component that leads to g3 (another component), which leads to a step in lane C
    body = (
        '<p:process id="p">'
        + lanes(("a", "A", ["s", "t"]), ("b", "B", ["u"]), ("c", "C", ["v"]))
        + '<p:task id="s" name="S"/><p:task id="t" name="T"/><p:task id="u" name="U"/><p:task id="v" name="V"/>'
        + "".join(f'<p:parallelGateway id="g{i}"/>' for i in (1, 2, 3))
        + flow("f1", "s", "g1") + flow("f2", "g1", "g2") + flow("f3", "g2", "g1") + flow("f4", "g2", "g3")
        + flow("f5", "g3", "v") + flow("f6", "g1", "u") + flow("f7", "t", "g2") + flow("f8", "u", "g3")
        + "</p:process>"
    )  # fmt: skip
    m = model(write, body)
    assert set(m.handoffs) == {("A", "C", "S"), ("A", "B", "S"), ("A", "C", "T"), ("A", "B", "T"), ("B", "C", "U")}


CUSTOMER_LANE = (
    '<p:collaboration id="c"><p:participant id="P" name="Org" processRef="p"/></p:collaboration>'
    '<p:process id="p">' + lanes(("l1", "Sales", ["t1"]), ("l2", "customer", ["t2", "e"]))
    + '<p:task id="t1" name="Sell"/><p:task id="t2" name="Pack"/><p:endEvent id="e" name="Done"/>'
    + flow("f1", "t1", "t2") + flow("f2", "t2", "e") + "</p:process>"
)  # fmt: skip


def test_a_lane_with_the_customer_id_is_refused_when_outcomes_hand_off_to_it(write):
    with pytest.raises(InputError) as err:
        read(write, CUSTOMER_LANE, name="a.bpmn", outcomes=["Done"])
    (problem,) = err.value.problems
    assert problem.file == "a.bpmn" and problem.code == Code.BAD_OPTION
    assert "'customer'" in problem.message and "lane 'l2'" in problem.message
    assert "another id with --customer" in problem.hint and "customers=[...]" in problem.hint
    chain = read(write, CUSTOMER_LANE, name="a.bpmn", outcomes=["Done"], customers=["buyers"])
    assert ("customer", "buyers", "Done") in set(
        zip(chain.handoffs["source"], chain.handoffs["target"], chain.handoffs["deliverable"])
    )
    assert chain.parties.set_index("id").loc["customer", "kind"] == "team"


def test_a_list_is_read_only_as_process_models_and_each_other_file_is_named(write, tmp_path):
    table = write("one.csv", "source,target\na,c\n")
    graph = vc.load(SAMPLE, outcomes=["Order paid"]).export(tmp_path / "org.graphml")
    as_xml = write("org.xml", graph.read_bytes())
    for files in ([table], [as_xml], [SAMPLE, table]):
        with pytest.raises(InputError) as err:
            vc.load(files, customers=["c"])
        (problem,) = err.value.problems
        assert problem.file == Path(files[-1]).name and problem.message == "not a BPMN 2.0 process model"


def test_an_xml_graph_file_is_read_as_a_graph_and_other_xml_is_refused(write, tmp_path):
    chain = vc.load(SAMPLE, outcomes=["Order paid"])
    as_xml = write("org.xml", chain.export(tmp_path / "org.graphml").read_bytes())
    again = vc.load(as_xml)
    assert set(again.parties["id"]) == set(chain.parties["id"]) and len(again.handoffs) == len(chain.handoffs)
    assert run("analyze", as_xml, "--format", "json").exit_code == 0
    other = write("other.xml", '<?xml version="1.0"?><catalog><book id="1"/></catalog>')
    with pytest.raises(InputError) as err:
        vc.load(other, customers=["c"])
    (problem,) = err.value.problems
    assert problem.file == "other.xml" and "<catalog>" in problem.message and "GraphML" in problem.message
    with pytest.raises(InputError, match="file not found"):
        vc.load(tmp_path / "missing.xml", customers=["c"])
    refused = run("analyze", other, "-c", "c")
    assert refused.exit_code != 0 and "other.xml" in refused.output + refused.stderr


def test_an_outcome_of_a_model_without_named_end_events_is_said_in_a_sentence(write):
    no_end = '<p:process id="p">' + lanes(("l", "Ops", ["a"])) + '<p:task id="a" name="A"/></p:process>'
    with pytest.raises(InputError) as err:
        read(write, no_end, outcomes=["Nope"])
    (problem,) = err.value.problems
    assert (
        problem.hint == "the model has no end event: name the customer with --customer ID (customers=[...] in Python)"
    )
    unnamed = no_end.replace("</p:process>", '<p:endEvent id="e"/></p:process>').replace(
        "<p:flowNodeRef>a</p:flowNodeRef>", "<p:flowNodeRef>a</p:flowNodeRef><p:flowNodeRef>e</p:flowNodeRef>"
    )
    with pytest.raises(InputError) as err:
        read(write, unnamed, outcomes=["Nope"])
    assert err.value.problems[0].hint.startswith("none of its end events has a name: name them in the modelling tool")


def test_name_problems_of_a_lane_point_at_the_model_and_the_lane(write):
    body = (
        '<p:collaboration id="c"><p:participant id="P" name="Shop" processRef="p"/><p:participant id="C" '
        'name="Client"/><p:messageFlow id="m" sourceRef="b" targetRef="C"/></p:collaboration><p:process id="p">'
        + lanes(("l", "Sales\u200b", ["a"]), ("l2", "Ware", ["b"]))
        + '<p:task id="a" name="A"/><p:task id="b" name="B"/>' + flow("f", "a", "b") + "</p:process>"
    )  # fmt: skip
    with pytest.raises(InputError) as err:
        read(write, body, name="inv.bpmn", customers=["Client"])
    (problem,) = err.value.problems  # one, though the id is in the hand-offs and the parties tables
    assert problem.file == "inv.bpmn" and problem.row is None and problem.column is None
    assert problem.message.startswith("lane 'l': the id 'Sales") and "U+200B" in problem.message
    alone = '<p:process id="p" name="Shop">' + lanes(("l", "Ops", ["a", "e"])) + '<p:task id="a" name="A"/>'
    alone += '<p:endEvent id="e" name="Done"/>' + flow("f", "a", "e") + "</p:process>"
    (warning,) = read(write, alone, name="one.bpmn", customers=["Ops"]).warnings
    assert (
        warning.file == "one.bpmn" and warning.row is None and warning.message.startswith("the model makes no hand-off")
    )


def test_what_merging_and_references_leave_out_is_a_counted_warning_naming_file_and_element(write):
    first = write(
        "k1.bpmn",
        bpmn(
            '<p:collaboration id="c"><p:participant id="P" name="Shop" processRef="p"/><p:participant id="S" '
            'name="Billing"/><p:participant id="C" name="Client"/><p:participant id="X" name="Lost" '
            'processRef="missing"/><p:messageFlow id="m1" sourceRef="b" targetRef="C"/><p:messageFlow id="m2" '
            'sourceRef="a" targetRef="S"/></p:collaboration><p:process id="p">'
            + lanes(("l", "Sales", ["a", "ghost"]), ("l2", "Ware", ["b", "gone"]))
            + '<p:task id="a" name="A"/><p:task id="b" name="B"/>' + flow("f", "a", "b") + "</p:process>"
        ),
    )  # fmt: skip
    second = write(
        "k2.bpmn",
        bpmn(
            '<p:process id="p" name="Office">' + lanes(("lb", "Billing", ["i"]), ("lw", "Ware", ["s"]))
            + '<p:task id="i" name="Invoice"/><p:task id="s" name="Ship"/>' + flow("f", "i", "s") + "</p:process>"
        ),
    )  # fmt: skip
    m = read_model(first)
    missing_process, missing_nodes = m.problems
    assert missing_process.message == (
        "a participant names a process that is not in the model; it is read as a black-box pool: "
        "participant 'X' (processRef 'missing')"
    )
    assert missing_nodes.message.startswith("2 lane references name nodes that are not in the model")
    assert "lane 'l' lists 'ghost', lane 'l2' lists 'gone'" in missing_nodes.message
    chain = vc.load([first, second], customers=["Client"])
    (mixed,) = [w for w in chain.warnings if "black-box pool in one model" in w.message]
    assert "'Billing' (black-box pool 'S' in k1.bpmn; with work: lane 'lb' in k2.bpmn; group 'Billing')" in (
        mixed.message
    )
    assert chain.parties.set_index("id").loc["Billing", "kind"] == "team"  # one team, as the rule has it
