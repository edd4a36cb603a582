"""The array graph algorithms against NetworkX on random graphs, and on shapes that stress them."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuechain import algorithms as alg


@st.composite
def graphs(draw, max_n: int = 25):
    n = draw(st.integers(1, max_n))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=4 * n, unique=True))
    edges = [(u, v) for u, v in edges if u != v]
    source = np.array([u for u, _ in edges], dtype=np.int64)
    target = np.array([v for _, v in edges], dtype=np.int64)
    return n, source, target


def nx_graph(n, source, target) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(source.tolist(), target.tolist()))
    return g


@given(graphs())
def test_dominators_match_networkx(graph):
    n, source, target = graph
    g = nx_graph(n, source, target)
    want = nx.immediate_dominators(g, 0)
    for got in (alg.immediate_dominators(n, source, target, 0), alg._dominators_igraph(n, source, target, 0)):
        for v in range(n):
            assert got[v] == (want[v] if v in want and v != 0 else -1)


def test_deep_chains_go_to_igraph_and_agree():
    n = alg.LEVELS + 50
    source, target = np.arange(n - 1), np.arange(1, n)
    # a shortcut from the root to the middle: the second half is dominated by the middle, not the first half
    source, target = np.append(source, 0), np.append(target, n // 2)
    idom = alg.immediate_dominators(n, source, target, 0)
    assert idom[n // 2] == 0 and idom[n // 2 + 1] == n // 2 and idom[5] == 4


@given(graphs(), st.data())
def test_reverse_search_matches_networkx(graph, data):
    n, source, target = graph
    seeds = np.array(data.draw(st.lists(st.integers(0, n - 1), max_size=3)), dtype=np.int64)
    g = nx_graph(n, source, target)
    order, distance, parent = alg.Reversed(n, source, target).tree(seeds)
    want = {}
    for s in seeds.tolist():
        for v, d in nx.shortest_path_length(g, target=s).items():
            want[v] = min(d, want.get(v, d))
    assert {v: int(distance[v]) for v in range(n) if distance[v] >= 0} == want
    assert set(order.tolist()) == set(want)
    assert set(alg.Reversed(n, source, target).search(seeds).tolist()) == set(want)
    for v in order.tolist():
        if distance[v] > 0:
            assert g.has_edge(v, parent[v]) and distance[parent[v]] == distance[v] - 1


@given(graphs())
def test_components_and_two_way_pairs(graph):
    n, source, target = graph
    g = nx_graph(n, source, target)
    labels, sizes = alg.strong_components(n, source, target)
    for comp in nx.strongly_connected_components(g):
        comp = sorted(comp)
        assert len(set(labels[comp].tolist())) == 1 and sizes[labels[comp[0]]] == len(comp)
    a, b = alg.two_way_pairs(n, source, target)
    assert list(zip(a.tolist(), b.tolist())) == sorted((u, v) for u, v in g.edges if u < v and g.has_edge(v, u))


def test_tree_depths_of_a_long_chain():
    n = 100_000
    parent = np.arange(-1, n - 1)
    parent[0] = -9999
    assert alg.tree_depths(parent, 0, np.arange(1, n))[-1] == n - 1


@pytest.mark.parametrize("deep", [False, True])
def test_subtree_sums_shallow_and_deep(deep):
    rng = np.random.default_rng(3)
    n = 3000
    if deep:
        parent = np.arange(-1, n - 1)  # a chain: the sequential path
    else:
        parent = np.r_[-1, rng.integers(0, np.arange(1, n))]  # a random shallow-ish tree
    level = alg.tree_depths(np.where(parent < 0, 0, parent), 0, np.arange(1, n))
    weight = rng.integers(0, 2, n)
    got = alg.subtree_sums(parent, np.arange(n), weight, level)
    want = np.zeros(n, dtype=np.int64)
    for v in range(n):
        u = parent[v]
        while u >= 0:
            want[u] += weight[v]
            u = parent[u]
    assert got.tolist() == want.tolist()
