"""A brute-force reading of DESIGN.md's findings, on the NetworkX graph.

Deliberately naive (one path search per party, one removal per party): it
shares nothing with the array implementation but the definitions, so the two
can check each other on many random graphs.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import strategies as st

from benchmarks.synthetic import (
    Shape,
    chain_with_skips,
    comb,
    complete_layers,
    ladder,
    random_dag_with_back_edges,
    staircase,
)

OUTSIDE = {"supplier", "vendor_partner", "regulator", "government_agency", "community"}


def findings(g: nx.DiGraph, customers: list[str]) -> dict:
    customers = set(customers)
    kind = {v: g.nodes[v].get("kind", "team") for v in g}
    teams = {v for v in g if kind[v] == "team" and v not in customers}
    all_edges = [(u, v) for u, v in g.edges if u != v and u not in customers]
    ess_edges = [(u, v) for u, v in all_edges if g.edges[u, v]["essential"]]
    g_all = nx.DiGraph(all_edges)
    g_all.add_nodes_from(g)
    g_ess = nx.DiGraph(ess_edges)
    g_ess.add_nodes_from(g)

    def reaches(graph, v, targets):
        return any(nx.has_path(graph, v, t) for t in targets)

    connected = {v for v in g if reaches(g_ess, v, customers)}
    distance = {}
    for v in connected:
        distance[v] = min(nx.shortest_path_length(g_ess, v, c) for c in customers if nx.has_path(g_ess, v, c))

    loops = [sorted(c) for c in nx.strongly_connected_components(g_all) if len(c) >= 2]
    in_loop = {v for c in loops for v in c}
    outside = {v for v in g if kind[v] in OUTSIDE}
    orphans = {}
    for v in sorted(teams - connected):
        if reaches(g_all, v, customers):
            orphans[v] = "preference_only"
        elif g_all.out_degree(v) == 0:
            orphans[v] = "dead_end"
        elif v in in_loop:
            orphans[v] = "closed_loop"
        elif reaches(g_all, v, outside - {v}):
            orphans[v] = "serves_outside_only"
        else:
            orphans[v] = "feeds_orphans"

    mutual = sorted(sorted([u, v]) for u, v in all_edges if u < v and g_all.has_edge(v, u))

    spof, hangs_on = {}, {}
    for x in g:
        if x in customers:
            continue
        h = g_ess.copy()
        h.remove_node(x)
        lost = sorted(t for t in teams & connected if t != x and not reaches(h, t, customers))
        if lost:
            spof[x] = len(lost)
            hangs_on[x] = lost

    reach = {}
    if len(customers) >= 2:
        for t in sorted(teams & connected):
            reach[t] = sorted(c for c in customers if nx.has_path(g_ess, t, c))
    return {
        "orphans": orphans,
        "loops": sorted(loops),
        "mutual_pairs": mutual,
        "spof": spof,
        "hangs_on": hangs_on,
        "distance": distance,
        "reaches": reach,
        "connected_teams": len(teams & connected),
        "handoffs": len(all_edges),
    }


def from_json(d: dict, found=None) -> dict:
    """The same shape from the JSON contract (to compare with :func:`findings`); the Findings object
    ``found`` gives the teams that hang on each single point of failure."""
    spof = [s["id"] for s in d["single_points_of_failure"]]
    return {
        "hangs_on": {x: found.hangs_on(x) for x in spof} if found is not None else {},
        "orphans": {o["id"]: o["reason"] for o in d["orphans"]},
        "loops": sorted(sorted(x["members"]) for x in d["loops"]),
        "mutual_pairs": sorted(sorted(p) for p in d["mutual_pairs"]),
        "spof": {s["id"]: s["dependents"] for s in d["single_points_of_failure"]},
        "distance": d["distance"],
        "reaches": d.get("reaches", {}),
        "connected_teams": d["summary"]["connected"],
        "handoffs": d["summary"]["handoffs"],
    }


def worst_case_shapes(most: int = 40) -> st.SearchStrategy[Shape]:
    """The worst-case shapes of benchmarks/synthetic.py (for the dominator step), small: about ``most`` parties
    at most (complete layers: 31)."""
    few = max(most // 3, 1)
    return st.one_of(
        st.builds(staircase, st.integers(1, few), st.integers(1, 8)),
        st.builds(ladder, st.integers(1, max(most // 2, 1))),
        st.builds(comb, st.integers(1, max(most // 4, 1)), st.integers(1, 3)),
        st.builds(chain_with_skips, st.integers(1, most), st.floats(0, 1), st.integers(2, 20), st.integers(0, 99)),
        st.builds(complete_layers, st.integers(1, 6), st.integers(1, 5)),
        st.builds(
            random_dag_with_back_edges, st.integers(4, most), st.floats(1, 3), st.floats(0, 0.5), st.integers(0, 99)
        ),
    )
