"""What-if, ranking, diff and roll-up against brute-force recomputation on random graphs, and on samples."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import valuechain as vc
from tests.conftest import DATA
from tests.oracle import findings
from tests.test_findings_oracle import KINDS, oracle_graph, orgs
from valuechain.vocabulary import CHANGES


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
def scenarios(draw, base=None):
    parties, handoffs = draw(base if base is not None else orgs())
    ids = parties["id"].tolist()
    customers = customers_of(parties)
    removable = [p for p in ids if p not in customers[:1]]  # keep one customer
    remove = draw(st.lists(st.sampled_from(removable), max_size=2, unique=True)) if removable else []
    left = [p for p in ids if p not in remove]
    pairs = sorted({(s, t) for s, t in zip(handoffs["source"], handoffs["target"]) if s in left and t in left})
    cut = draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True)) if pairs else []
    essential = handoffs["essential"].astype(str).str.lower().isin(["yes", "true", "1", "y", ""])
    have = set(zip(handoffs["source"][essential], handoffs["target"][essential]))
    # additions that would change something (a self hand-off or an essential one the org has are refused)
    addable = [(s, t) for s in left for t in left if s != t and (s, t) not in have]
    add = draw(st.lists(st.sampled_from(addable), max_size=2)) if addable else []
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
    teams = set(parties.loc[parties["kind"] == "team", "id"]) - set(customers_of(parties))
    assert set(scenario.changes.removed_orphans["id"]) == (teams - before) & set(remove)
    assert all(p not in set(scenario.chain.parties["id"]) for p in remove)


@given(orgs())
def test_ranking_matches_one_removal_at_a_time(org):
    parties, handoffs = org
    chain = vc.load(handoffs, parties=parties)
    ranking = chain.rank()
    customers = customers_of(parties)
    before = connected_teams(parties, handoffs, customers)
    assert sorted(ranking.parties["id"]) == sorted(set(parties["id"]) - set(chain.customers))
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
    teams_new -= set(customers_of(p_new))
    # a party added as an orphan is a new orphan; one that left (or is no longer a team) is removed, not resolved
    assert set(d.changes.new_orphans["id"]) == orphans_new - orphans_old
    assert set(d.changes.resolved_orphans["id"]) == (orphans_old - orphans_new) & teams_new
    assert set(d.changes.removed_orphans["id"]) == (orphans_old - orphans_new) - teams_new


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
    # the pair and the loop go with the repair agents: not resolved (no improvement), removed
    assert s.changes.resolved_mutual_pairs.empty and s.changes.resolved_loops.empty
    assert s.changes.removed_mutual_pairs.values.tolist() == [["repair-agents", "spare-parts"]]
    assert s.changes.removed_loops["members"].tolist() == [["finance", "repair-agents", "spare-parts", "warranty"]]
    mended = chain.whatif(add_handoffs=[("marketing", "phone-owners")])
    assert mended.changes.resolved_orphans["id"].tolist() == ["marketing"]


def test_ranking_of_the_restaurant():
    chain = vc.load(DATA / "restaurant" / "handoffs.csv", parties=DATA / "restaurant" / "parties.csv")
    r = chain.rank()
    # the customer is left out: every path ends there, so it would top every ranking
    assert r.parties.head(3)[["id", "teams_cut_off"]].values.tolist() == [["floor", 4], ["kitchen", 1], ["bar", 0]]
    assert "diners" not in set(r.parties["id"])
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


# --- what changed, in full: every finding before is kept, resolved, lost or removed -------------------------


def oracle_of(parties: pd.DataFrame, handoffs: pd.DataFrame) -> tuple[vc.Chain, dict, set[str]]:
    """The chain, the brute-force findings, and the teams (kind team, not a customer)."""
    chain = vc.load(handoffs, parties=parties)
    want = findings(oracle_graph(parties, handoffs), chain.customers)
    teams = set(parties.loc[parties["kind"] == "team", "id"]) - set(chain.customers)
    return chain, want, teams


def spof_fate(x: str, old: dict, new: dict, new_chain: vc.Chain, teams_new: set[str]) -> str:
    """What became of a single point of failure that vanished, from the brute-force findings alone."""
    if x not in set(new_chain.parties["id"]):
        return "removed"
    if x in new_chain.customers:
        return "customer"
    if x not in new["distance"]:
        return "became_orphan" if x in teams_new else "lost_its_path"
    still = set(old["hangs_on"][x]) & teams_new
    if still - set(new["distance"]):
        return "dependents_lost_path"
    return "resolved" if still else "dependents_removed"


def assert_changes_add_up(changes, old: dict, new: dict, new_chain: vc.Chain, teams_new: set[str], gone: set[str]):
    """after == before - resolved - lost - removed + new, for orphans, loops (by members) and single points of
    failure; each vanished finding in exactly one table; which one, from the brute-force findings."""
    c = changes
    # orphans
    before, after = set(old["orphans"]), set(new["orphans"])
    new_o, resolved, removed = (set(c.new_orphans["id"]), set(c.resolved_orphans["id"]), set(c.removed_orphans["id"]))
    assert after == (before - resolved - removed) | new_o
    assert resolved | removed == before - after and not resolved & removed and not new_o & before
    assert resolved <= teams_new and not removed & teams_new
    assert {r["id"]: r["reason_before"] for r in c.resolved_orphans.to_dict("records")} == {
        o: old["orphans"][o] for o in resolved
    }
    assert {r["id"]: r["reason"] for r in c.new_orphans.to_dict("records")} == {o: new["orphans"][o] for o in new_o}
    kinds = dict(zip(new_chain.parties["id"], new_chain.parties["kind"]))
    for r in c.removed_orphans.to_dict("records"):
        want = "removed" if r["id"] not in kinds else "customer" if r["id"] in new_chain.customers else kinds[r["id"]]
        assert r["now"] == want and r["reason_before"] == old["orphans"][r["id"]]
    # loops, by members; a changed loop is matched one to one
    members = lambda table, column="members": [frozenset(m) for m in table[column]]  # noqa: E731
    loops_before = {frozenset(m) for m in old["loops"]}
    loops_after = {frozenset(m) for m in new["loops"]}
    vanished = set(members(c.resolved_loops)) | set(members(c.removed_loops)) | set(members(c.changed_loops, "before"))
    assert vanished <= loops_before
    kept = loops_before - vanished
    assert loops_after == kept | set(members(c.new_loops)) | set(members(c.changed_loops, "after"))
    assert len(c.resolved_loops) + len(c.removed_loops) + len(c.changed_loops) + len(kept) == len(loops_before)
    assert all(set(m) & gone for m in c.removed_loops["members"])  # went with a member that left
    assert not any(set(m) & gone for m in c.resolved_loops["members"])
    # mutual pairs: removed when both parties left
    pairs = lambda table: set(map(tuple, table[["a", "b"]].values.tolist()))  # noqa: E731
    p_before, p_after = set(map(tuple, old["mutual_pairs"])), set(map(tuple, new["mutual_pairs"]))
    p_resolved, p_removed = pairs(c.resolved_mutual_pairs), pairs(c.removed_mutual_pairs)
    assert p_after == (p_before - p_resolved - p_removed) | pairs(c.new_mutual_pairs)
    assert p_resolved | p_removed == p_before - p_after and not p_resolved & p_removed
    assert all(set(pair) & gone for pair in p_removed) and not any(set(pair) & gone for pair in p_resolved)
    # single points of failure
    s_before, s_after = set(old["spof"]), set(new["spof"])
    tables = {
        "new": c.new_single_points_of_failure,
        "resolved": c.resolved_single_points_of_failure,
        "lost": c.lost_single_points_of_failure,
        "removed": c.removed_single_points_of_failure,
    }
    ids = {name: set(table["id"]) for name, table in tables.items()}
    assert s_after == (s_before - ids["resolved"] - ids["lost"] - ids["removed"]) | ids["new"]
    assert sum(len(tables[k]) for k in ("resolved", "lost", "removed")) == len(s_before - s_after)
    assert dict(zip(tables["new"]["id"], tables["new"]["dependents"])) == {x: new["spof"][x] for x in ids["new"]}
    fate = {x: spof_fate(x, old, new, new_chain, teams_new) for x in s_before - s_after}
    got = {x: "resolved" for x in ids["resolved"]}
    got |= dict(zip(tables["lost"]["id"], tables["lost"]["why"]))
    got |= dict(zip(tables["removed"]["id"], tables["removed"]["now"]))
    assert got == fate
    for name in ("resolved", "lost", "removed"):
        assert dict(zip(tables[name]["id"], tables[name]["dependents"])) == {x: old["spof"][x] for x in ids[name]}


@st.composite
def trees(draw):
    """Small orgs shaped like trees towards the customers, plus a few other hand-offs: rich in single points of
    failure (the random orgs of :func:`orgs` seldom have one)."""
    n = draw(st.integers(3, 10))
    ids = [f"p{i}" for i in range(n)]
    customers = draw(st.integers(1, 2))
    kinds = ["external_customer"] * customers + draw(
        st.lists(
            st.sampled_from(["team"] * 8 + ["supplier", "regulator"]), min_size=n - customers, max_size=n - customers
        )
    )
    rows = [(ids[i], ids[draw(st.integers(0, i - 1))], "", "yes") for i in range(customers, n)]
    extra = st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.just("x"), st.sampled_from(["yes", "no"]))
    rows += draw(st.lists(extra, max_size=3))
    parties = pd.DataFrame({"id": ids, "kind": kinds, "primary": ""})
    return parties, pd.DataFrame(rows, columns=["source", "target", "deliverable", "essential"])


@st.composite
def versions(draw):
    """An org and a newer version of it: parties removed, added and changed in kind, hand-offs dropped, added
    and flipped (independent random orgs rarely share a loop or a single point of failure)."""
    parties, handoffs = draw(st.one_of(orgs(), trees()))
    ids = parties["id"].tolist()
    customers = customers_of(parties)
    gone = draw(st.lists(st.sampled_from([p for p in ids if p not in customers[:1]] or ids), max_size=2, unique=True))
    added = [f"n{i}" for i in range(draw(st.integers(0, 3)))]
    kinds = dict(zip(parties["id"], parties["kind"]))
    for party in draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)):
        kinds[party] = draw(st.sampled_from(KINDS))
    kinds |= {party: draw(st.sampled_from(KINDS)) for party in added}
    left = [p for p in ids if p not in gone] + added
    if not left:
        left, gone = ids[:1], [p for p in gone if p != ids[0]]
    rows = [r for r in handoffs.itertuples(index=False) if r.source in left and r.target in left]
    rows = [r for r, keep in zip(rows, draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))) if keep]
    rows = [(s, t, d, draw(st.sampled_from(["yes", "no", e]))) for s, t, d, e in rows]
    rows += draw(
        st.lists(st.tuples(st.sampled_from(left), st.sampled_from(left), st.just("new"), st.just("yes")), max_size=6)
    )
    if "external_customer" not in {kinds[p] for p in left}:
        kinds[left[0]] = "external_customer"
    newer = pd.DataFrame({"id": left, "kind": [kinds[p] for p in left], "primary": ""})
    return (parties, handoffs), (newer, pd.DataFrame(rows, columns=handoffs.columns))


@given(versions())
def test_diff_of_an_edited_version_adds_up(pair):
    (p_old, h_old), (p_new, h_new) = pair
    old_chain, old, _ = oracle_of(p_old, h_old)
    new_chain, new, teams_new = oracle_of(p_new, h_new)
    gone = set(old_chain.parties["id"]) - set(new_chain.parties["id"])
    assert_changes_add_up(old_chain.diff(new_chain).changes, old, new, new_chain, teams_new, gone)


@given(orgs(), orgs())
def test_diff_changes_add_up(old_org, new_org):
    old_chain, old, _ = oracle_of(*old_org)
    new_chain, new, teams_new = oracle_of(*new_org)
    d = old_chain.diff(new_chain)
    gone = set(old_chain.parties["id"]) - set(new_chain.parties["id"])
    assert_changes_add_up(d.changes, old, new, new_chain, teams_new, gone)
    out = d.to_dict()
    assert all(len(out[name]) == n for name, n in d.changes.counts().items())


@given(st.data())
def test_whatif_changes_add_up(data):
    case = data.draw(scenarios(st.one_of(orgs(), trees())))
    parties, handoffs, remove, cut, add = case
    chain, old, _ = oracle_of(parties, handoffs)
    scenario = chain.whatif(remove=remove, remove_handoffs=cut, add_handoffs=add)
    kept = handoffs[~handoffs["source"].isin(remove) & ~handoffs["target"].isin(remove)]
    kept = kept.loc[[(s, t) not in set(cut) for s, t in zip(kept["source"], kept["target"])]]
    edited = pd.concat([kept, pd.DataFrame([(s, t, "(what-if)", "yes") for s, t in add], columns=kept.columns)])
    new_chain, new, teams_new = oracle_of(parties[~parties["id"].isin(remove)], edited)
    assert_changes_add_up(scenario.changes, old, new, new_chain, teams_new, set(remove))


def two_versions(old_rows, old_parties, new_rows, new_parties) -> vc.Diff:
    load = lambda rows, kinds: vc.load(  # noqa: E731
        pd.DataFrame(rows, columns=["source", "target", "essential"]),
        parties=pd.DataFrame({"id": list(kinds), "kind": list(kinds.values())}),
    )
    return load(old_rows, old_parties).diff(load(new_rows, new_parties))


def test_an_orphan_added_in_the_newer_version_is_a_new_orphan():
    # issue 14 point 3: x and y are orphans; in the newer version x reaches the customer, y does not, and a new
    # team z delivers nothing. The orphan count stays 2: one resolved, one new (today's new_orphans was empty).
    kinds = {"a": "team", "c": "external_customer", "x": "team", "y": "team", "q": "supplier"}
    d = two_versions(
        [("a", "c", "yes"), ("y", "q", "yes")],
        kinds,
        [("a", "c", "yes"), ("x", "a", "yes"), ("y", "q", "yes")],
        kinds | {"z": "team"},
    )
    assert (d.summary_before["orphans"], d.summary_after["orphans"]) == (2, 2)
    assert (d.summary_before.orphans, d.summary_after.connected) == (2, 2)  # a Summary, read by attribute too
    assert d.to_dict()["summary_after"] == dict(d.summary_after) and type(d.to_dict()["summary_after"]) is dict
    assert d.changes.new_orphans.to_dict("records") == [{"id": "z", "name": "z", "group": None, "reason": "dead_end"}]
    assert d.changes.resolved_orphans.to_dict("records") == [
        {"id": "x", "name": "x", "group": None, "reason_before": "dead_end"}
    ]
    assert d.changes.removed_orphans.empty
    assert d.to_dict()["new_orphans"] == [{"id": "z", "name": "z", "group": None, "reason": "dead_end"}]
    assert repr(d).endswith("orphans +1 -1 resolved -0 removed; loops +0 -0 resolved -0 removed ~0; "
                            "single points of failure +1 -0 resolved -0 lost -0 removed>")  # fmt: skip


def test_a_removed_orphan_is_removed_not_resolved():
    a = vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv")
    b = vc.load(DATA / "midsize-reorganised" / "handoffs.csv", parties=DATA / "midsize-reorganised" / "parties.csv")
    c = a.diff(b).changes
    assert c.removed_orphans.to_dict("records") == [
        {
            "id": "mf-lean",
            "name": "Lean office",
            "group": "Manufacturing",
            "reason_before": "feeds_orphans",
            "now": "removed",
        }
    ]
    assert (len(c.resolved_orphans), len(c.new_orphans)) == (12, 0)
    assert a.analyze().summary["orphans"] - 12 - 1 + 0 == b.analyze().summary["orphans"] == 9
    # the same in a what-if: removing an orphan does not resolve it
    s = a.whatif(remove=["mf-lean"])
    assert s.changes.removed_orphans["id"].tolist() == ["mf-lean"] and s.changes.resolved_orphans.empty
    assert s.to_dict()["removed_orphans"][0]["now"] == "removed"


def test_a_loop_or_single_point_of_failure_formed_by_added_parties_is_new():
    kinds = {"a": "team", "c": "external_customer"}
    d = two_versions(
        [("a", "c", "yes")],
        kinds,
        [("a", "c", "yes"), ("n1", "a", "yes"), ("n2", "n1", "yes"), ("n3", "n4", "yes"), ("n4", "n3", "yes")],
        kinds | {"n1": "team", "n2": "team", "n3": "team", "n4": "team"},
    )
    assert d.changes.new_loops.to_dict("records") == [{"members": ["n3", "n4"], "connected": False}]
    assert d.changes.new_single_points_of_failure.to_dict("records") == [
        {"id": "a", "dependents": 2},
        {"id": "n1", "dependents": 1},
    ]
    assert sorted(d.changes.new_orphans["id"]) == ["n3", "n4"]
    assert d.changes.new_mutual_pairs.values.tolist() == [["n3", "n4"]]


def test_a_single_point_of_failure_whose_teams_lost_their_path_is_lost_not_resolved():
    chain = vc.load(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}), customers=["c"])
    # b's own hand-off to the customer goes: b and a become orphans; today this was "resolved"
    s = chain.whatif(remove_handoffs=[("b", "c")])
    c = s.changes
    assert c.resolved_single_points_of_failure.empty
    assert c.lost_single_points_of_failure.to_dict("records") == [{"id": "b", "dependents": 1, "why": "became_orphan"}]
    assert s.to_dict()["lost_single_points_of_failure"] == [{"id": "b", "dependents": 1, "why": "became_orphan"}]
    # a's hand-off to b goes: b still reaches the customer, the team behind it does not
    c = chain.whatif(remove_handoffs=[("a", "b")]).changes
    assert c.lost_single_points_of_failure.to_dict("records") == [
        {"id": "b", "dependents": 1, "why": "dependents_lost_path"}
    ]
    # the only team behind b is taken away
    c = chain.whatif(remove=["a"]).changes
    assert c.lost_single_points_of_failure.to_dict("records") == [
        {"id": "b", "dependents": 1, "why": "dependents_removed"}
    ]
    assert c.removed_orphans.empty and c.resolved_orphans.empty
    # a gets a second way to the customer: a real improvement, resolved
    c = chain.whatif(add_handoffs=[("a", "c")]).changes
    assert c.resolved_single_points_of_failure.to_dict("records") == [{"id": "b", "dependents": 1}]
    assert c.lost_single_points_of_failure.empty
    # b itself goes: removed, with what it carried before
    c = chain.whatif(remove=["b"]).changes
    assert c.removed_single_points_of_failure.to_dict("records") == [{"id": "b", "dependents": 1, "now": "removed"}]


def test_the_phone_makers_finance_team_is_a_lost_single_point_of_failure():
    chain = vc.load(DATA / "phone-repair" / "handoffs.csv", parties=DATA / "phone-repair" / "parties.csv")
    c = chain.whatif(remove=["repair-agents"]).changes
    assert c.lost_single_points_of_failure.values.tolist() == [["finance", 1, "became_orphan"]]
    assert c.removed_single_points_of_failure.values.tolist() == [["repair-agents", 3, "removed"]]
    assert c.resolved_single_points_of_failure.empty
    html = c._repr_html_()
    assert CHANGES["lost_single_points_of_failure"] in html and CHANGES["resolved_single_points_of_failure"] not in html


def test_changes_to_dict_has_every_table_with_its_columns():
    chain = vc.load(DATA / "phone-repair" / "handoffs.csv", parties=DATA / "phone-repair" / "parties.csv")
    c = chain.whatif(remove=["repair-agents"], add_handoffs=[("marketing", "phone-owners")]).changes
    out = c.to_dict()
    assert list(out) == list(c.counts()) == [
        "new_orphans", "resolved_orphans", "removed_orphans", "new_loops", "resolved_loops", "removed_loops",
        "changed_loops", "new_mutual_pairs", "resolved_mutual_pairs", "removed_mutual_pairs",
        "new_single_points_of_failure", "resolved_single_points_of_failure", "lost_single_points_of_failure",
        "removed_single_points_of_failure", "distance_changes",
    ]  # fmt: skip
    assert out["resolved_orphans"] == [
        {"id": "marketing", "name": "Marketing", "group": "Commercial", "reason_before": "preference_only"}
    ]
    assert list(c.resolved_orphans.columns) == ["id", "name", "group", "reason_before"]
    assert list(c.lost_single_points_of_failure.columns) == ["id", "dependents", "why"]
    assert list(c.removed_single_points_of_failure.columns) == ["id", "dependents", "now"]
    assert list(c.removed_orphans.columns) == ["id", "name", "group", "reason_before", "now"]


def test_ranking_top_says_how_many_rows_it_left_out():
    chain = vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv")
    r = chain.rank()
    shown, hidden = r.top(20)
    assert len(shown) == 20 and hidden == len(chain.parties) - len(chain.customers) - 20 == 66
    assert shown.equals(r.parties.head(20))
    shown, hidden = r.top(5, "handoffs")
    assert len(shown) == 5 and hidden == len(r.handoffs) - 5
    assert r.top(10_000)[1] == 0
    nothing, hidden = r.top(-3)
    assert nothing.empty and hidden == len(r.parties)
    assert not set(chain.customers) & set(r.parties["id"])
    with pytest.raises(vc.OptionError, match="table is 'parties' or 'handoffs', not 'teams'"):
        r.top(5, "teams")


def test_expanding_a_department_that_is_not_there_is_not_found():
    from valuechain.scenarios.rollup import unit_chain

    chain = vc.load(DATA / "restaurant" / "handoffs.csv", parties=DATA / "restaurant" / "parties.csv")
    assert "kitchen" in set(unit_chain(chain, expand="Back of house").parties["id"])
    with pytest.raises(vc.NotFound, match="no department 'Legal' to expand") as err:
        unit_chain(chain, expand="Legal")
    assert isinstance(err.value, KeyError) and str(err.value) == "no department 'Legal' to expand"


# --- roll-up by any column ------------------------------------------------------------------------------------


@pytest.fixture
def midsize_with_cost_centres(write):
    text = (DATA / "midsize" / "parties.csv").read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ",cost_centre"] + [line + f",{4711 + i % 3}" for i, line in enumerate(text[1:])]
    parties = write("parties.csv", "\n".join(rows) + "\n")
    return vc.load(DATA / "midsize" / "handoffs.csv", parties=parties)


@pytest.mark.parametrize("column", ["headcount", "cost"])
def test_rollup_refuses_a_number_per_team(midsize_with_cost_centres, column):
    with pytest.raises(vc.InputError) as err:
        midsize_with_cost_centres.rollup(column)
    assert [str(p) for p in err.value.problems] == [
        f"roll-up, column '{column}': '{column}' is a number per team, not a way to group teams; "
        "roll up by group or another text column"
    ]


def test_rollup_by_an_unknown_column_lists_the_columns(midsize_with_cost_centres):
    with pytest.raises(vc.InputError) as err:
        midsize_with_cost_centres.rollup("grup")
    assert [str(p) for p in err.value.problems] == [
        "roll-up: the parties have no column 'grup'; did you mean 'group'? the columns are 'id', 'name', 'kind', "
        "'group', 'primary', 'headcount', 'cost', 'cost_centre'"
    ]


def test_rollup_by_a_number_column_uses_its_values(midsize_with_cost_centres):
    chain = midsize_with_cost_centres
    r = chain.rollup("cost_centre")
    assert r.departments["group"].tolist() == ["4711", "4712", "4713"]
    assert int(r.departments["teams"].sum()) == chain.analyze().summary["teams"]
    assert int(r.departments["connected"].sum()) == chain.analyze().summary["connected"]
    # the same numbers as a DataFrame column of ints, and of floats with a gap
    parties = pd.read_csv(DATA / "midsize" / "parties.csv")
    parties["cost_centre"] = [4711 + i % 3 for i in range(len(parties))]
    handoffs = pd.read_csv(DATA / "midsize" / "handoffs.csv", dtype=str, keep_default_na=False)
    assert vc.load(handoffs, parties=parties).rollup("cost_centre").departments.equals(r.departments)
    # blank for the parties that are not teams
    parties["cost_centre"] = parties["cost_centre"].astype("Int64").where(parties["kind"] == "team")
    r = vc.load(handoffs, parties=parties).rollup("cost_centre")
    assert r.departments[["group", "teams"]].values.tolist() == [["4711", 25], ["4712", 25], ["4713", 25]]


def test_rollup_by_a_yes_no_column(midsize_with_cost_centres):
    chain = midsize_with_cost_centres
    r = chain.rollup("primary")
    assert r.departments[["group", "teams"]].values.tolist() == [["primary: no", 75]]
    assert r.to_dict()["departments"][0]["group"] == "primary: no"
    parties = chain.parties.assign(primary=chain.parties["id"].str.startswith("cs-"))
    r = vc.load(chain.handoffs, parties=parties).rollup("primary")
    assert r.departments["group"].tolist() == ["primary: no", "primary: yes"]


def test_whatif_ids_are_compared_as_the_files_ids_are_trimmed_and_nfc():
    chain = vc.load(pd.DataFrame({"source": ["Caf\u00e9", "b"], "target": ["b", "c"]}), customers=["c"])
    assert chain.whatif(remove=[" Cafe\u0301 "]).to_dict()["removed_parties"] == ["Caf\u00e9"]
    assert chain.whatif(add_handoffs=[("Cafe\u0301", "c")]).to_dict()["added_handoffs"] == [["Caf\u00e9", "c"]]
    assert chain.whatif(remove_handoffs=[("Cafe\u0301", "b")]).changes.new_orphans["id"].tolist() == ["Caf\u00e9"]


def test_an_added_hand_off_naming_a_removed_party_is_refused_with_a_reason():
    chain = vc.load(DATA / "restaurant" / "handoffs.csv", parties=DATA / "restaurant" / "parties.csv")
    with pytest.raises(vc.InputError) as err:
        chain.whatif(remove=["kitchen"], add_handoffs=[("kitchen", "diners")])
    assert [p.message for p in err.value.problems] == [
        "the added hand-off from 'kitchen' to 'diners' names 'kitchen', which the scenario removes"
    ]


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        (("kitchen", "kitchen"), "the added hand-off goes from 'kitchen' to itself"),
        (("kitchen", "floor"), "there is an essential hand-off from 'kitchen' to 'floor' already"),
    ],
)
def test_an_addition_that_changes_nothing_is_refused_with_a_reason(pair, message):
    chain = vc.load(DATA / "restaurant" / "handoffs.csv", parties=DATA / "restaurant" / "parties.csv")
    with pytest.raises(vc.InputError) as err:
        chain.whatif(add_handoffs=[pair])
    assert [p.message for p in err.value.problems] == [message]


def test_the_options_of_the_scenario_functions_are_keyword_only():
    import inspect

    from valuechain.scenarios.changes import compare
    from valuechain.scenarios.rollup import rollup, unit_chain
    from valuechain.scenarios.whatif import whatif

    keyword_only = {
        whatif: {"remove_handoffs", "add_handoffs"},  # what to remove stays the second argument, as in Chain.whatif
        compare: {"ignore"},
        unit_chain: {"expand"},
        rollup: set(),  # by stays positional, as in Chain.rollup
    }
    for function, names in keyword_only.items():
        parameters = inspect.signature(function).parameters.values()
        assert {p.name for p in parameters if p.kind is p.KEYWORD_ONLY} == names, function.__name__
