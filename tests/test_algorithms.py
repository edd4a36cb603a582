"""The array graph algorithms against NetworkX on random graphs, and on shapes that stress them."""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.synthetic import SHAPES, Shape, organisation, staircase
from tests.oracle import worst_case_shapes
from valuechain import algorithms as alg
from valuechain.exceptions import OptionError


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


def reversed_shape(shape: Shape) -> tuple[int, np.ndarray, np.ndarray, int]:
    """The graph the findings take dominators of: hand-offs turned round, a root (the last node) to the customers."""
    root = shape.n
    source = np.concatenate([np.full(len(shape.customers), root), shape.target])
    target = np.concatenate([shape.customers, shape.source])
    return shape.n + 1, source, target, root


# the worst-case shapes of benchmarks/synthetic.py, small, as graphs rooted at their last node
shapes = worst_case_shapes(80).map(reversed_shape)


def assert_dominators(n, source, target, root, got):
    want = nx.immediate_dominators(nx_graph(n, source, target), root)
    assert got.tolist() == [want[v] if v in want and v != root else -1 for v in range(n)]


@given(graphs())
def test_dominators_match_networkx(graph):
    n, source, target = graph
    for method in ("auto", "levels", "igraph"):
        assert_dominators(n, source, target, 0, alg.immediate_dominators(n, source, target, 0, method=method))


@given(shapes)
def test_dominators_of_worst_case_shapes_match_networkx_on_every_path(graph):
    n, source, target, root = graph
    for method in ("auto", "levels", "igraph"):
        assert_dominators(n, source, target, root, alg.immediate_dominators(n, source, target, root, method=method))


@given(shapes, st.integers(0, 3000))
def test_a_hand_over_at_any_point_gives_the_same_dominators(graph, budget):
    """However much work the passes may do before handing over (none, part of a level, a pass...), same answer."""
    n, source, target, root = graph
    levels = alg.immediate_dominators(n, source, target, root, method="levels")
    reached = np.count_nonzero(levels >= 0) + 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(alg, "WORK_PER_EDGE", budget / (reached + len(source)))
        assert alg.immediate_dominators(n, source, target, root).tolist() == levels.tolist()


def test_a_small_staircase_is_handed_over_and_agrees_with_the_levels(monkeypatch):
    """The staircase needs a pass per step (12 here): the budget runs out, igraph answers, and the answer is the
    one the level-by-level passes reach when left to finish."""
    n, source, target, root = reversed_shape(staircase(60, 5))
    levels = alg.immediate_dominators(n, source, target, root, method="levels")
    calls = []
    real = alg._dominators_igraph
    monkeypatch.setattr(alg, "_dominators_igraph", lambda *args: calls.append(args) or real(*args))
    monkeypatch.setattr(alg, "STEPS_PER_LEVEL", 0)  # past the depth check: the hand-over happens during the passes
    spent = []
    monkeypatch.setattr(alg._Work, "spend", lambda self, k, spend=alg._Work.spend: spent.append(k) or spend(self, k))
    got = alg.immediate_dominators(n, source, target, root)
    assert len(calls) == 1 and spent, "the passes started, then handed over"
    assert got.tolist() == levels.tolist()
    assert_dominators(n, source, target, root, got)
    # the main team of the deepest level depends on nobody but the customer; the cross team below it on its own
    assert got[60] == 0 and got[2 * 60 + 60] == 2 * 60 + 59


def test_an_ordinary_org_stays_on_the_levels(monkeypatch):
    parties, handoffs = organisation(3000, seed=5)
    ids = {p: i for i, p in enumerate(parties["id"])}
    shape = Shape(
        len(ids),
        handoffs["source"].map(ids).to_numpy(),
        handoffs["target"].map(ids).to_numpy(),
        np.flatnonzero(parties["kind"] == "external_customer"),
    )
    n, source, target, root = reversed_shape(shape)
    monkeypatch.setattr(alg, "_dominators_igraph", lambda *args: pytest.fail("handed over"))
    got = alg.immediate_dominators(n, source, target, root)
    assert_dominators(n, source, target, root, got)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_worst_case_shapes_at_full_size_take_a_second_or_two(name):
    """Before the hand-over the staircase took minutes and the ladder 10 s or more; igraph checks the answer."""
    n, source, target, root = reversed_shape(SHAPES[name]())
    start = time.perf_counter()
    got = alg.immediate_dominators(n, source, target, root)
    took = time.perf_counter() - start
    assert got.tolist() == alg.immediate_dominators(n, source, target, root, method="igraph").tolist()
    assert took < 5, f"{name}: {took:.1f} s"


def test_deep_chains_go_to_igraph_and_agree(monkeypatch):
    n = 5000
    source, target = np.arange(n - 1), np.arange(1, n)
    # a shortcut from the root to the middle: the second half is dominated by the middle, not the first half
    source, target = np.append(source, 0), np.append(target, n // 2)
    monkeypatch.setattr(alg._Work, "spend", lambda *_: pytest.fail("the passes started on a chain"))
    idom = alg.immediate_dominators(n, source, target, 0)
    assert idom[n // 2] == 0 and idom[n // 2 + 1] == n // 2 and idom[5] == 4


def test_an_unknown_method_is_refused():
    with pytest.raises(OptionError, match="method is 'auto', 'levels' or 'igraph', not 'fast'"):
        alg.immediate_dominators(2, np.array([0]), np.array([1]), 0, method="fast")


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


@given(graphs(max_n=40), st.data())
def test_breadth_first_depths_are_the_distances_networkx_finds(graph, data):
    n, source, target = graph
    seeds = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3)))
    order, distance, _ = alg.Reversed(n, source, target).tree(seeds)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(target.tolist(), source.tolist()))  # the search runs against the edges
    want = nx.multi_source_dijkstra_path_length(g, set(seeds.tolist()))
    assert {v: int(distance[v]) for v in order.tolist()} == want
    assert (distance >= 0).sum() == len(want)


def test_breadth_first_depths_hand_a_deep_tree_to_pointer_jumping():
    n = 2_000  # a chain: 2,000 levels, past the binary searches' 512
    order, distance, parent = alg.Reversed(n, np.arange(1, n), np.arange(n - 1)).tree(np.array([0]))
    assert order.tolist() == list(range(n)) and distance.tolist() == list(range(n))
    whole = np.r_[n, order]
    assert alg.breadth_first_depths(whole, np.r_[parent, -1]) is None


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
