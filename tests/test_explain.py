"""The findings in words: every orphan explained, loops and pairs with their hand-offs, what hangs on whom."""

from __future__ import annotations

import pytest

import valuechain as vc
from tests.conftest import DATA, SAMPLES
from valuechain.explain import (
    handoffs_between,
    loop_details,
    mutual_details,
    orphan_details,
    spof_details,
    why,
)
from valuechain.vocabulary import Reason


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def test_one_sentence_per_reason():
    chain = load("software-services")
    said = orphan_details(chain).set_index("id")["why"].to_dict()
    assert said == {
        "finance": "Finance only delivers within a loop with Portfolio office that never reaches the customer",
        "knowledge": "Knowledge management delivers to nobody",
        "legal": "Legal delivers only to Knowledge management, which delivers to nobody",
        "payroll": "Payroll delivers to Tax office (outside), never to a customer",
        "pmo": "Portfolio office only delivers within a loop with Finance that never reaches the customer",
        "training": "Training academy reaches the customer only through hand-offs marked non-essential "
        "(its own non-essential hand-offs go to HR business partners)",
    }
    connected = chain.parties.loc[chain.analyze().parties["connected"].to_numpy(), "id"].iloc[-1]
    assert why(chain, connected).endswith("reaches the customer")
    with pytest.raises(vc.PartyNotFound, match="'knowledg' is not a party; did you mean 'knowledge'"):
        why(chain, "knowledg")


@pytest.mark.parametrize("name", SAMPLES)
def test_every_orphan_is_explained_with_what_it_delivers(name):
    chain = load(name)
    table = orphan_details(chain)
    assert list(table["id"]) == list(chain.analyze().orphans["id"])
    names = dict(zip(chain.parties["id"], chain.parties["name"]))
    for party, delivers, sentence, reason in zip(table["id"], table["delivers"], table["why"], table["reason"]):
        assert sentence.startswith(names[party])
        targets = chain.handoffs.loc[chain.handoffs["source"] == party, "target"]
        assert delivers == "nothing" if targets.empty else all(names[t] in delivers for t in targets)
        if reason in ("dead_end", "preference_only"):
            assert Reason(reason).sentence in sentence


def test_loops_and_pairs_with_their_hand_offs():
    chain = load("midsize")
    loops = loop_details(chain)
    found = chain.analyze()
    assert len(loops) == len(found.loops)
    for members, count, flows in zip(loops["members"], loops["handoffs"], loops["flows"]):
        rows = handoffs_between(chain, members)
        assert count == len(rows) >= len(members)  # a loop has at least one hand-off per member
        assert flows.count("→") == count
    pairs = mutual_details(load("phone-repair"))
    assert pairs[["a", "b", "a_to_b", "b_to_a", "connected"]].values.tolist() == [
        ["repair-agents", "spare-parts", "parts orders", "spare parts", True]
    ]


def test_single_points_of_failure_list_the_teams_that_hang_on_them():
    chain = load("midsize")
    table = spof_details(chain, most=1000)
    found = chain.analyze()
    names = dict(zip(chain.parties["id"], chain.parties["name"]))
    for party, dependents, teams in zip(table["id"], table["dependents"], table["teams"]):
        hanging = found.hangs_on(party)
        assert len(hanging) == dependents
        assert all(names[t] in teams for t in hanging)
    assert list(table["dependents"]) == sorted(table["dependents"], reverse=True)
