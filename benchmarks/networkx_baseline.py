"""The plain NetworkX way to the same findings, for comparison in the benchmark.

Builds a ``networkx.DiGraph`` from the validated tables and computes the core
findings with NetworkX's own algorithms (breadth-first search from a virtual
root, strongly connected components, immediate dominators).
"""

from __future__ import annotations

import time

import networkx as nx
import pandas as pd

ROOT = "__root__"


def build(parties: pd.DataFrame, handoffs: pd.DataFrame) -> nx.DiGraph:
    """The chain as a DiGraph with an ``essential`` flag per edge (any row essential)."""
    g = nx.DiGraph()
    g.add_nodes_from(parties["id"].tolist())
    for s, t, e in zip(handoffs["source"].tolist(), handoffs["target"].tolist(), handoffs["essential"].tolist()):
        if g.has_edge(s, t):
            g[s][t]["essential"] |= e
        else:
            g.add_edge(s, t, essential=e)
    return g


def findings(g: nx.DiGraph, customers: list[str], teams: set[str]) -> dict:
    """Connected parties and distances, loops, mutual pairs and dominator-based dependents."""
    cs = set(customers)
    ess = nx.DiGraph()
    ess.add_nodes_from(g)
    ess.add_edges_from((v, u) for u, v, e in g.edges(data="essential") if e and u != v and u not in cs)
    ess.add_edges_from((ROOT, c) for c in customers)
    distance = nx.single_source_shortest_path_length(ess, ROOT)
    everything = nx.DiGraph((u, v) for u, v in g.edges if u != v and u not in cs)
    loops = [c for c in nx.strongly_connected_components(everything) if len(c) > 1]
    mutual = [(u, v) for u, v in everything.edges if u < v and everything.has_edge(v, u)]
    idom = nx.immediate_dominators(ess, ROOT)
    below = dict.fromkeys(idom, 0)
    for v in sorted(idom, key=distance.get, reverse=True):
        if v != ROOT and idom[v] != ROOT:
            below[idom[v]] += below[v] + (v in teams)
    spof = {v: k for v, k in below.items() if k and v not in cs and v != ROOT}
    return {"connected": len(distance) - 1, "loops": len(loops), "mutual": len(mutual), "spof": len(spof)}


def timed(parties: pd.DataFrame, handoffs: pd.DataFrame, customers: list[str], teams: set[str]) -> dict:
    """Seconds to build the graph and to compute the findings, and the counts found."""
    start = time.perf_counter()
    g = build(parties, handoffs)
    built = time.perf_counter()
    counts = findings(g, customers, teams)
    return {"build": built - start, "findings": time.perf_counter() - built, **counts}
