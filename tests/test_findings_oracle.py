"""Every finding against a brute-force reading of the definitions, on many random graphs."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import valuechain as vc
from benchmarks.synthetic import tables
from tests.oracle import findings, from_json, worst_case_shapes
from valuechain import algorithms

KINDS = ["team"] * 6 + ["external_customer"] * 2 + ["supplier", "vendor_partner", "regulator", "community"]


@st.composite
def orgs(draw):
    n = draw(st.integers(2, 12))
    ids = [f"p{i}" for i in range(n)]
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=n, max_size=n))
    if "external_customer" not in kinds:
        kinds[draw(st.integers(0, n - 1))] = "external_customer"
    primary = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    pair = st.tuples(
        st.sampled_from(ids),
        st.sampled_from(ids),
        st.sampled_from(["a", "b", ""]),
        st.sampled_from(["yes", "no", "", "Y", "0"]),
    )
    rows = draw(st.lists(pair, min_size=0, max_size=3 * n))
    parties = pd.DataFrame({"id": ids, "kind": kinds, "primary": ["yes" if p else "" for p in primary]})
    handoffs = pd.DataFrame(rows, columns=["source", "target", "deliverable", "essential"])
    return parties, handoffs


def oracle_graph(parties: pd.DataFrame, handoffs: pd.DataFrame) -> nx.DiGraph:
    """The graph built straight from the rows, sharing no code with valuechain.model."""
    g = nx.DiGraph()
    for pid, kind in zip(parties["id"], parties["kind"]):
        g.add_node(pid, kind=kind)
    for s, t, _, e in handoffs.itertuples(index=False):
        essential = e.strip().lower() not in ("no", "0", "n", "false")
        if g.has_edge(s, t):
            g.edges[s, t]["essential"] |= essential
        else:
            g.add_edge(s, t, essential=essential)
    return g


@given(orgs())
def test_every_finding_matches_brute_force(org):
    parties, handoffs = org
    chain = vc.load(handoffs, parties=parties)
    found = chain.analyze()
    got = from_json(found.to_dict(), found)
    want = findings(oracle_graph(parties, handoffs), chain.customers)
    assert got == want
    others = set(chain.parties["id"]) - set(want["spof"]) - set(chain.customers)
    assert all(found.hangs_on(p) == [] for p in others)


@given(orgs(), st.data())
def test_explicit_customers_match_brute_force(org, data):
    parties, handoffs = org
    eligible = parties.loc[~parties["kind"].isin(vc.OUTSIDE_KINDS), "id"].tolist()
    chosen = data.draw(st.lists(st.sampled_from(eligible), min_size=1, max_size=3, unique=True))
    chain = vc.load(handoffs, parties=parties, customers=chosen)
    found = chain.analyze()
    assert from_json(found.to_dict(), found) == findings(oracle_graph(parties, handoffs), chosen)


@given(orgs())
def test_non_primary_only_lists_teams_missing_every_primary_customer(org):
    parties, handoffs = org
    found = vc.load(handoffs, parties=parties).analyze()
    primary = set(parties.loc[(parties["primary"] == "yes") & (parties["kind"] == "external_customer"), "id"])
    if not primary:
        assert found.non_primary_only is None
        return
    reaches = found.reaches or {
        t: found.customers
        for t in found.parties.query("connected")["id"]
        if t in set(found.parties.loc[found.parties["kind"] == "team", "id"])
    }
    want = sorted(t for t, cs in reaches.items() if not primary & set(cs))
    assert found.non_primary_only == want


@given(orgs())
def test_graph_and_arrays_agree(org):
    parties, handoffs = org
    chain = vc.load(handoffs, parties=parties)
    a = chain.arrays
    edges = set(zip(a.ids[a.edge_source], a.ids[a.edge_target]))
    assert edges == set(chain.graph.edges)
    assert set(chain.graph.nodes) == set(parties["id"])
    for s, t, ess in zip(a.ids[a.edge_source], a.ids[a.edge_target], a.edge_essential):
        assert chain.graph.edges[s, t]["essential"] == ess
    assert sum(len(d["handoffs"]) for *_, d in chain.graph.edges(data=True)) == len(handoffs)


def test_more_customers_than_a_bit_mask_holds():
    customers = [f"c{i:02d}" for i in range(70)]
    rows = [("hub", c) for c in customers] + [("a", "hub"), ("b", "c05"), ("b", "c64")]
    parties = pd.DataFrame(
        {
            "id": ["hub", "a", "b", *customers],
            "kind": ["team"] * 3 + ["external_customer"] * 70,
            "primary": [""] * 3 + ["yes" if c == "c64" else "" for c in customers],
        }
    )
    handoffs = pd.DataFrame(rows, columns=["source", "target"])
    found = vc.load(handoffs, parties=parties).analyze()
    assert found.reaches["hub"] == customers and found.reaches["a"] == customers
    assert found.reaches["b"] == ["c05", "c64"]
    assert found.non_primary_only == []
    want = findings(
        oracle_graph(parties.assign(kind=parties["kind"]), handoffs.assign(deliverable="", essential="")), customers
    )
    assert from_json(found.to_dict(), found) == want


@given(orgs(), st.integers(1, 4))
def test_nearest_dependents_are_the_nearest_of_the_teams_that_hang_on_each(org, most):
    parties, handoffs = org
    chain = vc.load(handoffs, parties=parties)
    found = chain.analyze()
    want = findings(oracle_graph(parties, handoffs), chain.customers)["hangs_on"]
    for x, below in want.items():
        got = found.nearest_dependents(x, most)
        assert len(got) == min(most, len(below)) and set(got) <= set(below)
        assert sorted(found.nearest_dependents(x, len(below))) == sorted(below)
        for i, a in enumerate(got):
            # whatever a itself hangs on below x is nearer to x: listed, and listed before a
            nearer = {b for b in below if a in want.get(b, ())}
            assert nearer <= set(got[:i]), (x, got, a, nearer)


@st.composite
def shaped_orgs(draw):
    """An org of one of the worst-case shapes for the dominator step, some hand-offs not essential."""
    parties, handoffs = tables(draw(worst_case_shapes()), prefix="p")
    essential = draw(st.lists(st.sampled_from(["yes"] * 5 + ["no"]), min_size=len(handoffs), max_size=len(handoffs)))
    handoffs = handoffs.assign(deliverable="", essential=essential)
    return parties, handoffs


# the dominators' work budget per node and edge: 0 hands over to igraph before any pass, a little hands over
# during the passes, the default may or may not, unbounded never hands over
BUDGETS = st.sampled_from([0.0, 0.5, 2.0, 8.0, algorithms.WORK_PER_EDGE, float("inf")])


@given(shaped_orgs(), BUDGETS)
def test_worst_case_shapes_match_brute_force_on_both_dominator_paths(org, budget):
    parties, handoffs = org
    chain = vc.load(handoffs, parties=parties)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(algorithms, "WORK_PER_EDGE", budget)
        found = chain.analyze()
    got = from_json(found.to_dict(), found)
    assert got == findings(oracle_graph(parties, handoffs), chain.customers)


def test_the_hand_over_is_taken_on_a_staircase_and_not_on_an_ordinary_org(monkeypatch):
    """Which path answered, on the two kinds of org the shapes above stand for."""
    from benchmarks.synthetic import organisation, staircase

    handed = []
    real = algorithms._dominators_igraph
    monkeypatch.setattr(algorithms, "_dominators_igraph", lambda *a: handed.append(a[0]) or real(*a))
    vc.load(*reversed(organisation(2000, seed=3))).analyze()
    assert handed == []
    parties, handoffs = tables(staircase(300, 4))
    found = vc.load(handoffs, parties=parties).analyze()
    assert handed == [len(parties) + 1]  # every party is connected, plus the virtual root
    # main teams escape both ways (down their chain, or up the staircase to the side chain); side teams have one way
    assert found.hangs_on("t1") == []
    assert found.hangs_on("t301") == sorted(f"t{i}" for i in range(302, 601))
    # the last cross and main teams take no step up (it would leave the staircase): they hang on the last that does
    assert found.hangs_on("t896") == ["t897", "t898", "t899", "t900"]
    assert found.hangs_on("t296") == ["t297", "t298", "t299"]
    assert found.summary["single_points_of_failure"] == 299 + 4 + 3  # s1-s299, x296-x299, m296-m298
