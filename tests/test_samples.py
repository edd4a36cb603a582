"""The sample orgs in data/: findings pinned to what each README says."""

from __future__ import annotations

import pytest

import valuechain as vc
from tests.conftest import DATA, SAMPLES
from tests.oracle import findings, from_json


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def test_every_sample_has_its_files():
    assert set(SAMPLES) >= {"restaurant", "software-services", "phone-repair", "session-supplies", "midsize"}
    for name in SAMPLES:
        assert (DATA / name / "parties.csv").exists()
        assert (DATA / name / "README.md").exists()


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_load_cleanly_and_match_the_oracle(name):
    chain = load(name)
    assert chain.warnings == []
    found = chain.analyze()
    assert from_json(found.to_dict(), found) == findings(chain.graph, chain.customers)


def test_restaurant():
    found = load("restaurant").analyze()
    assert found.customers == ["diners"]
    assert dict(zip(found.orphans["id"], found.orphans["reason"])) == {
        "bookkeeping": "serves_outside_only",
        "marketing": "preference_only",
    }
    assert found.loops.to_dict("records") == [{"members": ["floor", "kitchen"], "size": 2, "connected": True}]
    assert found.mutual_pairs.values.tolist() == [["floor", "kitchen"]]
    assert found.single_points_of_failure[["id", "dependents"]].values.tolist() == [["floor", 4], ["kitchen", 1]]
    assert found.distance["purchasing"] == 3


def test_software_services_has_every_orphan_reason():
    found = load("software-services").analyze()
    assert dict(zip(found.orphans["id"], found.orphans["reason"])) == {
        "finance": "closed_loop",
        "knowledge": "dead_end",
        "legal": "feeds_orphans",
        "payroll": "serves_outside_only",
        "pmo": "closed_loop",
        "training": "preference_only",
    }
    assert found.loops.to_dict("records") == [{"members": ["finance", "pmo"], "size": 2, "connected": False}]
    assert found.single_points_of_failure[["id", "dependents"]].values.tolist() == [["hr", 1]]


def test_phone_maker_and_repair_agents_are_each_others_customer():
    found = load("phone-repair").analyze()
    assert found.mutual_pairs.values.tolist() == [["repair-agents", "spare-parts"]]
    assert found.loops["members"].tolist() == [["finance", "repair-agents", "spare-parts", "warranty"]]
    assert found.loops["connected"].tolist() == [True]
    assert found.single_points_of_failure[["id", "dependents"]].values.tolist() == [
        ["repair-agents", 3],
        ["finance", 1],
    ]
    assert found.orphans["id"].tolist() == ["marketing"]
    assert found.summary["handoffs"] == 11  # broken phones from the customer end the chain


def test_session_supplies_separates_essentials_from_preferences():
    found = load("session-supplies").analyze()
    assert dict(zip(found.orphans["id"], found.orphans["reason"])) == {
        "admin": "preference_only",
        "archive": "dead_end",
        "design-studio": "preference_only",
    }
    assert found.single_points_of_failure[["id", "dependents"]].values.tolist() == [
        ["facilitation", 4],
        ["print-room", 1],
    ]


def test_midsize_company():
    chain = load("midsize")
    found = chain.analyze()
    s = found.summary
    assert 50 <= s["parties"] <= 150
    assert (s["teams"], s["connected"], s["orphans"], s["loops"], s["mutual_pairs"]) == (75, 53, 22, 8, 10)
    assert s["single_points_of_failure"] == 22
    assert (s["orphan_headcount"], s["total_headcount"]) == (69, 550)
    assert set(found.orphans["reason"]) == set(vc.REASONS)
    assert found.customers == ["businesses", "households"]
    assert chain.primary_customers == ["households"]
    assert found.non_primary_only == ["cs-b2b"]
    assert found.reaches["cs-contact"] == ["businesses", "households"]
    assert found.single_points_of_failure.iloc[0][["id", "dependents"]].tolist() == ["sc-warehouse", 27]
    kinds = set(chain.parties["kind"])
    assert {"supplier", "regulator", "external_customer", "vendor_partner"} <= kinds
    assert chain.parties["group"].nunique() >= 5
    assert found.loops["connected"].tolist().count(False) == 3


def test_status_table_has_one_row_per_party():
    found = load("restaurant").analyze()
    status = found.parties.set_index("id")
    assert len(status) == 10
    assert status.loc["floor", ["connected", "distance", "dependents", "loop"]].tolist() == [True, 1, 4, 0]
    assert status.loc["marketing", "reason"] == "preference_only"
    assert status.loc["marketing", "distance"] is __import__("pandas").NA
    assert status.loc["diners", "distance"] == 0
    assert repr(found).startswith("<Findings: 5 of 7 teams reach the customer; 2 orphans")


def test_the_reorganisation_of_the_midsize_company():
    d = load("midsize").diff(load("midsize-reorganised"))
    assert (d.parties_added["id"].tolist(), d.parties_removed["id"].tolist()) == (["cs-selfservice"], ["mf-lean"])
    assert d.parties_changed.values.tolist() == [["it-data", "group", "IT", "Sales"]]
    assert (len(d.handoffs_added), len(d.handoffs_removed), len(d.handoffs_changed)) == (6, 1, 1)
    assert len(d.changes.new_orphans) == 0 and len(d.changes.resolved_orphans) == 12
    assert d.changes.new_loops["members"].tolist() == [["sales-ops", "sc-forecast"]]
    assert d.changes.new_single_points_of_failure.iloc[-1].tolist() == ["sales-pricing", 8]
    assert (d.summary_before["connected"], d.summary_after["connected"]) == (53, 66)
    assert d.notes == []
