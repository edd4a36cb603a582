"""Process models in the dashboard (issue 18, point 2), driven headless with Streamlit's AppTest: a BPMN upload,
the customer named from the pools and lanes or picked as end events, several models of one org at once."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

import valuechain as vc
from tests.conftest import DATA
from tests.test_app import assert_clean, metric, read, start

MODEL = DATA / "order-to-cash" / "order-to-cash.bpmn"
SOURCE = "Process models (BPMN)"


def models_source() -> AppTest:
    at = start()
    at.radio(key="source").set_value(SOURCE).run()
    return at


def test_the_page_waits_for_a_model_and_then_for_the_customer():
    at = models_source()
    assert not at.exception and "Upload the BPMN export" in at.info[0].value
    at.file_uploader(key="models").upload(MODEL.name, MODEL.read_bytes(), "application/xml").run()
    assert not at.exception and not at.metric
    assert "Name the customer in the sidebar" in at.info[0].value and "'Customer'" in at.info[0].value
    # black-box pools first, then the lanes holding end events, then the other lanes
    assert at.multiselect(key="model-customers").options[:2] == ["Customer", "Supplier"]
    assert at.multiselect(key="model-outcomes").options == ["Order paid", "Report filed"]


def test_an_uploaded_model_with_its_customer_pool_shows_the_lanes_findings():
    at = models_source()
    at.file_uploader(key="models").upload(MODEL.name, MODEL.read_bytes(), "application/xml").run()
    at.multiselect(key="model-customers").select("Customer").run()
    assert_clean(at)
    found = vc.load(MODEL, customers=["Customer"]).analyze().summary
    assert metric(at, "Teams with line of sight") == f"{found.connected} of {found.teams}" == "4 of 5"
    assert metric(at, "Orphaned teams") == "1" and metric(at, "Mutual pairs") == str(found.mutual_pairs)


def test_outcome_end_events_name_the_customer():
    at = models_source()
    at.checkbox(key="sample-model").check().run()
    at.multiselect(key="model-outcomes").select("Order paid").run()
    assert_clean(at)
    found = vc.load(MODEL, outcomes=["Order paid"]).analyze()
    assert found.customers == ["customer"]
    assert metric(at, "Orphaned teams") == str(found.summary.orphans)
    assert "Customers: customer" in at.caption[0].value


def test_a_broken_model_is_named_with_its_problem():
    at = models_source()
    at.file_uploader(key="models").upload("broken.bpmn", b"<definitions><process", "application/xml").run()
    assert not at.exception
    assert any("broken.bpmn" in read(e.value) for e in at.error), [e.value for e in at.error]


def test_a_hostile_model_is_refused_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">&b;</process>'
        b"</definitions>"
    )
    at = models_source()
    at.file_uploader(key="models").upload("bomb.bpmn", bomb, "application/xml").run()
    assert not at.exception
    assert any("bomb.bpmn" in read(e.value) for e in at.error)


#: A second model of the same org: its Billing lane (one party with the first model's Billing) hands unpaid
#: invoices to a Collections lane, whose work goes nowhere.
COLLECTIONS = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d2">
  <bpmn:collaboration id="c2"><bpmn:participant id="p2" name="Order to cash" processRef="pr2"/></bpmn:collaboration>
  <bpmn:process id="pr2">
    <bpmn:laneSet id="ls2">
      <bpmn:lane id="l1" name="Billing"><bpmn:flowNodeRef>t1</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="l2" name="Collections"><bpmn:flowNodeRef>t2</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:task id="t1" name="Hand over unpaid invoice"/>
    <bpmn:task id="t2" name="Chase payment"/>
    <bpmn:sequenceFlow id="f1" sourceRef="t1" targetRef="t2"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_several_models_in_one_upload_are_one_org():
    at = models_source()
    uploader = at.file_uploader(key="models")
    uploader.upload(MODEL.name, MODEL.read_bytes(), "application/xml")
    uploader.upload("collections.bpmn", COLLECTIONS, "application/xml").run()
    at.multiselect(key="model-customers").select("Customer").run()
    assert_clean(at)
    found = vc.load([MODEL, _named(COLLECTIONS, "collections.bpmn")], customers=["Customer"]).analyze()
    assert "Collections" in set(found.orphans["id"])
    assert metric(at, "Teams with line of sight") == f"{found.summary.connected} of {found.summary.teams}" == "4 of 6"
    assert metric(at, "Orphaned teams") == "2"


def _named(data: bytes, name: str):
    import io

    file = io.BytesIO(data)
    file.name = name
    return file
