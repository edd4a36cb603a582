"""Write order-to-cash.bpmn beside this file: the sample collaboration (pools, lanes, flows) with its diagram.

Usage: python data/order-to-cash/generate.py
"""

from pathlib import Path
from xml.sax.saxutils import quoteattr as q

W = 1800
pools = [
    ("P_customer", "Customer", None, 0, 120),
    ("P_o2c", "Order to cash", "Process_o2c", 160, 750),
    ("P_supplier", "Supplier", None, 950, 120),
]
lanes = [
    ("Lane_sales", "Sales", 160),
    ("Lane_credit", "Credit", 310),
    ("Lane_warehouse", "Warehouse", 460),
    ("Lane_billing", "Billing", 610),
    ("Lane_reporting", "Sales Reporting", 760),
]
LANE_H = 150
lane_y = {lane[0]: lane[2] for lane in lanes}
# (id, type, name, lane, x centre)
nodes = [
    ("Start_order", "startEvent", "Order received", "Lane_sales", 120, "message"),
    ("Task_enter", "userTask", "Enter order", "Lane_sales", 240, None),
    ("Task_clarify", "userTask", "Clarify order", "Lane_sales", 560, None),
    ("Task_check", "userTask", "Check credit", "Lane_credit", 400, None),
    ("Gw_credit", "exclusiveGateway", "Credit approved?", "Lane_credit", 560, None),
    ("Task_pick", "manualTask", "Pick and pack", "Lane_warehouse", 720, None),
    ("Gw_stock", "exclusiveGateway", "In stock?", "Lane_warehouse", 860, None),
    ("Task_reorder", "sendTask", "Reorder stock", "Lane_warehouse", 980, None),
    ("Event_stock", "intermediateCatchEvent", "Stock received", "Lane_warehouse", 1110, "message"),
    ("Task_ship", "sendTask", "Ship goods", "Lane_warehouse", 1240, None),
    ("Task_invoice", "sendTask", "Send invoice", "Lane_billing", 1240, None),
    ("Event_paid", "intermediateCatchEvent", "Payment received", "Lane_billing", 1380, "message"),
    ("Task_record", "serviceTask", "Record payment", "Lane_billing", 1500, None),
    ("Gw_split", "parallelGateway", "", "Lane_billing", 1620, None),
    ("End_paid", "endEvent", "Order paid", "Lane_billing", 1720, None),
    ("Task_report", "userTask", "Compile weekly sales report", "Lane_reporting", 1620, None),
    ("End_report", "endEvent", "Report filed", "Lane_reporting", 1740, None),
]
size = {
    "startEvent": (36, 36),
    "endEvent": (36, 36),
    "intermediateCatchEvent": (36, 36),
    "exclusiveGateway": (50, 50),
    "parallelGateway": (50, 50),
}
flows = [
    ("Start_order", "Task_enter", ""),
    ("Task_enter", "Task_check", ""),
    ("Task_check", "Gw_credit", ""),
    ("Gw_credit", "Task_pick", "yes"),
    ("Gw_credit", "Task_clarify", "no"),
    ("Task_clarify", "Task_check", ""),
    ("Task_pick", "Gw_stock", ""),
    ("Gw_stock", "Task_ship", "yes"),
    ("Gw_stock", "Task_reorder", "no"),
    ("Task_reorder", "Event_stock", ""),
    ("Event_stock", "Task_pick", ""),
    ("Task_ship", "Task_invoice", ""),
    ("Task_invoice", "Event_paid", ""),
    ("Event_paid", "Task_record", ""),
    ("Task_record", "Gw_split", ""),
    ("Gw_split", "End_paid", ""),
    ("Gw_split", "Task_report", ""),
    ("Task_report", "End_report", ""),
]
messages = [
    ("P_customer", "Start_order", "Purchase order"),
    ("Task_ship", "P_customer", "Goods"),
    ("Task_invoice", "P_customer", "Invoice"),
    ("P_customer", "Event_paid", "Payment"),
    ("Task_reorder", "P_supplier", "Stock order"),
    ("P_supplier", "Event_stock", "Stock delivery"),
]

box = {}
for pid, _, _, y, h in pools:
    box[pid] = (0, y, W, h)
for lid, _, y in lanes:
    box[lid] = (30, y, W - 30, LANE_H)
for nid, kind, _, lane, cx, _ in nodes:
    w, h = size.get(kind, (100, 80))
    cy = lane_y[lane] + LANE_H / 2
    box[nid] = (cx - w / 2, cy - h / 2, w, h)


def centre(i):
    x, y, w, h = box[i]
    return x + w / 2, y + h / 2


out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<!-- A sample order-to-cash collaboration written for valuechain (CC0): a customer pool, a company pool with "
    "five lanes (one of them orphaned), a supplier pool, and a credit check that goes back and forth. -->",
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Definitions_o2c" '
    'targetNamespace="http://valuechain.example/order-to-cash" exporter="valuechain sample" exporterVersion="1">',
    '  <bpmn:collaboration id="Collaboration_o2c">',
]
for pid, name, proc, _, _ in pools:
    out.append(f'    <bpmn:participant id="{pid}" name={q(name)}' + (f' processRef="{proc}"' if proc else "") + " />")
for i, (s, t, n) in enumerate(messages, 1):
    out.append(f'    <bpmn:messageFlow id="Message_{i}" name={q(n)} sourceRef="{s}" targetRef="{t}" />')
out.append("  </bpmn:collaboration>")
out.append('  <bpmn:process id="Process_o2c" name="Order to cash" isExecutable="false">')
out.append('    <bpmn:laneSet id="LaneSet_o2c">')
for lid, name, _ in lanes:
    out.append(f'      <bpmn:lane id="{lid}" name={q(name)}>')
    for nid, _, _, lane, _, _ in nodes:
        if lane == lid:
            out.append(f"        <bpmn:flowNodeRef>{nid}</bpmn:flowNodeRef>")
    out.append("      </bpmn:lane>")
out.append("    </bpmn:laneSet>")
for nid, kind, name, _, _, definition in nodes:
    attrs = f' id="{nid}"' + (f" name={q(name)}" if name else "")
    inner = [f"      <bpmn:incoming>Flow_{i}</bpmn:incoming>" for i, (s, t, _) in enumerate(flows, 1) if t == nid]
    inner += [f"      <bpmn:outgoing>Flow_{i}</bpmn:outgoing>" for i, (s, t, _) in enumerate(flows, 1) if s == nid]
    if definition:
        inner.append(f'      <bpmn:{definition}EventDefinition id="{nid}_definition" />')
    out.append(f"    <bpmn:{kind}{attrs}>")
    out.extend(inner)
    out.append(f"    </bpmn:{kind}>")
for i, (s, t, n) in enumerate(flows, 1):
    out.append(
        f'    <bpmn:sequenceFlow id="Flow_{i}"'
        + (f" name={q(n)}" if n else "")
        + f' sourceRef="{s}" targetRef="{t}" />'
    )
out.append("  </bpmn:process>")
out.append('  <bpmndi:BPMNDiagram id="Diagram_o2c">')
out.append('    <bpmndi:BPMNPlane id="Plane_o2c" bpmnElement="Collaboration_o2c">')


def shape(i, extra=""):
    x, y, w, h = box[i]
    out.append(f'      <bpmndi:BPMNShape id="{i}_di" bpmnElement="{i}"{extra}>')
    out.append(f'        <dc:Bounds x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" />')
    out.append("      </bpmndi:BPMNShape>")


for pid, *_ in pools:
    shape(pid, ' isHorizontal="true"')
for lid, *_ in lanes:
    shape(lid, ' isHorizontal="true"')
for nid, *_ in nodes:
    shape(nid)


def edge(eid, s, t):
    (sx, sy), (tx, ty) = centre(s), centre(t)
    out.append(f'      <bpmndi:BPMNEdge id="{eid}_di" bpmnElement="{eid}">')
    points = [(sx, sy), (tx, ty)] if sx == tx or sy == ty else [(sx, sy), (sx, ty), (tx, ty)]
    if s in ("Task_clarify", "Event_stock"):  # the ways back: over the top
        points = (
            [(sx, sy), (sx, sy - 55), (tx, sy - 55), (tx, ty)] if s == "Event_stock" else [(sx, sy), (tx, sy), (tx, ty)]
        )
    for x, y in points:
        out.append(f'        <di:waypoint x="{x:g}" y="{y:g}" />')
    out.append("      </bpmndi:BPMNEdge>")


for i, (s, t, _) in enumerate(flows, 1):
    edge(f"Flow_{i}", s, t)
for i, (s, t, _) in enumerate(messages, 1):
    (sx, sy), (tx, ty) = centre(s), centre(t)
    pool_end = s if s.startswith("P_") else t
    other = t if pool_end == s else s
    ox, _ = centre(other)
    px, py, pw, ph = box[pool_end]
    edge_y = py + ph if py < 160 else py
    pts = [(ox, edge_y), (ox, centre(other)[1])] if pool_end == s else [(ox, centre(other)[1]), (ox, edge_y)]
    out.append(f'      <bpmndi:BPMNEdge id="Message_{i}_di" bpmnElement="Message_{i}">')
    for x, y in pts:
        out.append(f'        <di:waypoint x="{x:g}" y="{y:g}" />')
    out.append("      </bpmndi:BPMNEdge>")
out += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>", "</bpmn:definitions>", ""]
(Path(__file__).resolve().parent / "order-to-cash.bpmn").write_text("\n".join(out), encoding="utf-8")
