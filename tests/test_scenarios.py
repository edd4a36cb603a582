"""What-if, ranking, diff and roll-up against brute-force recomputation on random graphs, and on samples."""

from __future__ import annotations

import networkx as nx
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import valuechain as vc
from tests.conftest import DATA
from tests.oracle import findings
from tests.test_findings_oracle import oracle_graph, orgs


def connected_teams(parties: pd.DataFrame, handoffs: pd.DataFrame, customers: list[str]) -> set[str]:
    """The teams with a path to a customer along essential hand-offs, searched one team at a time."""
    g = oracle_graph(parties, handoffs)
    ess = nx.DiGraph((u, v) for u, v, e in g.edges(data="essential") if e and u != v and u not in customers)
    ess.add_nodes_from(g)
    teams = set(parties.loc[(parties["kind"] == "team") & ~parties["id"].isin(customers), "id"])
    return {t for t in teams if any(nx.has_path(ess, t, c) for c in customers)}


def customers_of(parties: pd.DataFrame) -> list[str]:
    return sorted(parties.loc[parties["kind"] == "external_customer", "id"])


@st.composite
def scenarios(draw):
    parties, handoffs = draw(orgs())
    ids = parties["id"].tolist()
    customers = customers_of(parties)
    removable = [p for p in ids if p not in customers[:1]]  # keep one customer
    remove = draw(st.lists(st.sampled_from(removable), max_size=2, unique=True)) if removable else []
    left = [p for p in ids if p not in remove]
    pairs = sorted({(s, t) for s, t in zip(handoffs["source"], handoffs["target"]) if s in left and t in left})
    cut = draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True)) if pairs else []
    add = draw(st.lists(st.tuples(st.sampled_from(left), st.sampled_from(left)), max_size=2))
    return parties, handoffs, remove, cut, add


@given(scenarios())
def test_whatif_matches_recomputing_from_edited_tables(case):
    parties, handoffs, remove, cut, add = case
    chain = vc.load(handoffs, parties=parties)
    scenario = chain.whatif(remove=remove, remove_handoffs=cut, add_handoffs=add)

    kept = handoffs[~handoffs["source"].isin(remove) & ~handoffs["target"].isin(remove)]
    kept = kept.loc[[(s, t) not in set(cut) for s, t in zip(kept["source"], kept["target"])]]
    edited = pd.concat([kept, pd.DataFrame([(s, t, "(what-if)", "yes") for s, t in add], columns=kept.columns)])
    edited_parties = parties[~parties["id"].isin(remove)]
    customers = customers_of(edited_parties)
    want = findings(oracle_graph(edited_parties, edited), customers)
    got = scenario.after.to_dict()
    assert {o["id"]: o["reason"] for o in got["orphans"]} == want["orphans"]
    assert sorted(sorted(x["members"]) for x in got["loops"]) == want["loops"]
    assert {s["id"]: s["dependents"] for s in got["single_points_of_failure"]} == want["spof"]

    before = connected_teams(parties, handoffs, customers_of(parties))
    after = connected_teams(edited_parties, edited, customers)
    teams_after = set(edited_parties.loc[edited_parties["kind"] == "team", "id"]) - set(customers)
    assert set(scenario.changes.new_orphans["id"]) == (before - after) & teams_after
    assert set(scenario.changes.resolved_orphans["id"]) == (after - before) - set(customers_of(parties))
    assert all(p not in set(scenario.chain.parties["id"]) for p in remove)


@given(orgs())
def test_ranking_matches_one_removal_at_a_time(org):
    parties, handoffs = org
    chain = vc.load(handoffs, parties=parties)
    ranking = chain.rank()
    customers = customers_of(parties)
    before = connected_teams(parties, handoffs, customers)
    for party, cut_off in zip(ranking.parties["id"], ranking.parties["teams_cut_off"]):
        rest = parties[parties["id"] != party]
        rows = handoffs[(handoffs["source"] != party) & (handoffs["target"] != party)]
        after = connected_teams(rest, rows, [c for c in customers if c != party])
        assert cut_off == len(before - after - {party}), party
    for s, t, cut_off in zip(ranking.handoffs["source"], ranking.handoffs["target"], ranking.handoffs["teams_cut_off"]):
        rows = handoffs[~((handoffs["source"] == s) & (handoffs["target"] == t))]
        assert cut_off == len(before - connected_teams(parties, rows, customers)), (s, t)


@given(orgs(), orgs())
def test_diff_matches_set_arithmetic(old, new):
    (p_old, h_old), (p_new, h_new) = old, new
    d = vc.load(h_old, parties=p_old).diff(vc.load(h_new, parties=p_new))
    assert set(d.parties_added["id"]) == set(p_new["id"]) - set(p_old["id"])
    assert set(d.parties_removed["id"]) == set(p_old["id"]) - set(p_new["id"])
    keys = lambda h: set(zip(h["source"], h["target"], h["deliverable"]))  # noqa: E731
    added = set(zip(d.handoffs_added["source"], d.handoffs_added["target"], d.handoffs_added["deliverable"]))
    removed = set(zip(d.handoffs_removed["source"], d.handoffs_removed["target"], d.handoffs_removed["deliverable"]))
    assert added == keys(h_new) - keys(h_old)
    assert removed == keys(h_old) - keys(h_new)
    kinds_changed = {r["id"] for r in d.parties_changed.to_dict("records") if r["field"] == "kind"}
    k_old, k_new = dict(zip(p_old["id"], p_old["kind"])), dict(zip(p_new["id"], p_new["kind"]))
    assert kinds_changed == {p for p in set(k_old) & set(k_new) if k_old[p] != k_new[p]}
    teams_old = set(p_old.loc[p_old["kind"] == "team", "id"])
    teams_new = set(p_new.loc[p_new["kind"] == "team", "id"])
    orphans_old = teams_old - connected_teams(p_old, h_old, customers_of(p_old))
    orphans_new = teams_new - connected_teams(p_new, h_new, customers_of(p_new))
    teams_both = teams_old & teams_new
    assert set(d.changes.new_orphans["id"]) == (orphans_new - orphans_old) & teams_both
    assert set(d.changes.resolved_orphans["id"]) == (orphans_old - orphans_new) & teams_both


@given(orgs(), st.data())
def test_rollup_counts_match_the_team_level(org, data):
    parties, handoffs = org
    groups = data.draw(st.lists(st.sampled_from(["Ops", "Sales", ""]), min_size=len(parties), max_size=len(parties)))
    parties = parties.assign(group=groups)
    chain = vc.load(handoffs, parties=parties)
    r = chain.rollup()
    found = chain.analyze()
    assert int(r.matrix.to_numpy().sum()) == found.summary["handoffs"]
    connected = set(found.parties.loc[found.parties["connected"], "id"])
    for row in r.departments.to_dict("records"):
        members = set(parties.loc[(parties["group"] == row["group"]) & (parties["kind"] == "team"), "id"]) - set(
            found.customers
        )
        assert row["teams"] == len(members) and row["connected"] == len(members & connected)
        assert (row["group"] in r.no_line_of_sight) == (not members & connected)
    # mutual dependencies between departments, from the rows themselves
    unit = {
        p: (g if k == "team" and g and p not in found.customers else p)
        for p, g, k in zip(parties["id"], parties["group"], parties["kind"])
    }
    links = {
        (unit[s], unit[t])
        for s, t in zip(handoffs["source"], handoffs["target"])
        if s != t and s not in found.customers and unit[s] != unit[t]
    }
    departments = set(r.departments["group"])
    want = sorted([a, b] for a, b in links if a < b and (b, a) in links and {a, b} <= departments)
    assert r.mutual_pairs.values.tolist() == want


def test_whatif_on_the_phone_maker():
    chain = vc.load(DATA / "phone-repair" / "handoffs.csv", parties=DATA / "phone-repair" / "parties.csv")
    s = chain.whatif(remove=["repair-agents"])
    assert sorted(s.changes.new_orphans["id"]) == ["finance", "spare-parts", "warranty"]
    assert s.changes.resolved_mutual_pairs.values.tolist() == [["repair-agents", "spare-parts"]]
    assert s.changes.resolved_loops["members"].tolist() == [["finance", "repair-agents", "spare-parts", "warranty"]]
    mended = chain.whatif(add_handoffs=[("marketing", "phone-owners")])
    assert mended.changes.resolved_orphans["id"].tolist() == ["marketing"]


def test_ranking_of_the_restaurant():
    chain = vc.load(DATA / "restaurant" / "handoffs.csv", parties=DATA / "restaurant" / "parties.csv")
    r = chain.rank()
    assert r.parties.head(3)[["id", "teams_cut_off"]].values.tolist() == [["diners", 5], ["floor", 4], ["kitchen", 1]]
    assert r.handoffs.head(2)[["source", "target", "teams_cut_off"]].values.tolist() == [
        ["floor", "diners", 5],
        ["kitchen", "floor", 2],
    ]


def test_whatif_refuses_unknown_ids_and_missing_handoffs():
    chain = vc.load(DATA / "restaurant" / "handoffs.csv", parties=DATA / "restaurant" / "parties.csv")
    try:
        chain.whatif(remove=["kitchn"], remove_handoffs=[("bar", "kitchen")])
    except vc.InputError as err:
        messages = [p.message + " " + p.hint for p in err.problems]
    assert messages == [
        "'kitchn' (remove) is not a party did you mean 'kitchen'?",
        "there is no hand-off from 'bar' to 'kitchen' name a hand-off that the org has",
    ]
    try:
        chain.whatif(remove=["diners"])
    except vc.InputError as err:
        assert err.problems[0].message == "the scenario removes every customer"
