"""The chain figure: one marker per party, status colours and shapes, direction, legend, layout, scale rule."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given

import valuechain as vc
from benchmarks.synthetic import organisation
from tests.conftest import DATA, REAL, SAMPLES
from tests.test_findings_oracle import oracle_graph, orgs
from valuechain.analysis import EdgeSets
from valuechain.plot import drawn_units, flow_figure, layout, rollup_figures, scenario_figure, status
from valuechain.plot.chain import _focus as focus_of
from valuechain.plot.flow import flow_units
from valuechain.plot.matrix import department_matrix
from valuechain.plot.units import department_units
from valuechain.vocabulary import LOOKS, Handoff, Reason, counted, look

REAL_CASES = sorted(p.parent for p in REAL.rglob("expected.json")) if REAL.exists() else []


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def party_traces(fig):
    return [t for t in fig.data if t.meta == "parties"]


@pytest.mark.parametrize("name", SAMPLES)
def test_one_marker_per_party_with_its_status(name):
    chain = load(name)
    fig = chain.plot()
    traces = party_traces(fig)
    assert sum(len(t.x) for t in traces) == len(chain.parties)
    ids = [i for t in traces for i in t.customdata]
    assert sorted(ids) == sorted(chain.parties["id"])
    by_name = {drawn.legend: drawn for drawn in LOOKS}
    kind = dict(zip(chain.parties["id"], status(chain)))
    for t in traces:
        drawn = by_name[t.name]
        assert {kind[i] for i in t.customdata} == {drawn.value}
        assert t.marker.color == drawn.colour and t.marker.symbol == drawn.shape
        assert all(look(kind[i]).legend in text for i, text in zip(t.customdata, t.hovertext))
    arrows = [t for t in fig.data if t.meta == "arrows"]
    assert len(arrows) == 1 and len(arrows[0].x) == len(EdgeSets.of(chain).source)


def test_every_orphan_reason_has_its_legend_entry():
    names = {t.name for t in load("software-services").plot().data}
    for reason in vc.REASONS:
        assert Reason(reason).legend in names
    assert Handoff.ESSENTIAL.legend in names and Handoff.PREFERENCE.legend in names


@pytest.mark.parametrize("name", SAMPLES)
def test_layout_customers_right_receivers_to_the_right_orphans_below(name):
    chain = load(name)
    pos = layout(chain).set_index("id")
    found = chain.analyze()
    assert (pos.loc[chain.customers, "x"] == 0).all()
    assert pos["x"].max() == 0
    others = pos.drop(index=chain.customers)
    assert (others["x"] < 0).all()
    connected = found.parties.set_index("id")["connected"]
    if (~connected).any() and connected.any():
        assert pos.loc[~connected, "y"].max() < pos.loc[connected, "y"].min()
    # every connected party sits exactly one column left of the next party on its shortest path
    for party, d in found.distance.items():
        assert pos.loc[party, "x"] == -d


def test_focus_draws_the_path_to_the_customer():
    fig = load("restaurant").plot(focus="purchasing")
    [path] = [t for t in fig.data if t.meta == "path"]
    assert list(path.x) == [-3.0, -2.0, -1.0, 0.0]
    orphan = load("restaurant").plot(focus="marketing").layout.title.subtitle.text
    assert f"({Reason.PREFERENCE_ONLY.sentence}); drawn: everywhere its work goes" in orphan
    with pytest.raises(vc.PartyNotFound, match="'nobody' is not a party"):
        load("restaurant").plot(focus="nobody")


def test_hover_text_and_labels_are_escaped():
    chain = vc.load(pd.DataFrame({"source": ["<b>x</b>"], "target": ["c"]}), customers=["c"])
    fig = chain.plot(focus="<b>x</b>")
    hover = [s for t in fig.data if t.meta in ("parties", "highlight") for s in _list(t.hovertext)]
    names = [a.text for a in fig.layout.annotations] + [a.hovertext for a in fig.layout.annotations]
    for texts in (hover, names):
        assert any("&lt;b&gt;x&lt;/b&gt;" in s for s in texts)
        assert not any("<b>x</b>" in s for s in texts)
    assert all("<b>x" not in (t.name or "") for t in fig.data)


def _list(values) -> list:
    return [] if values is None else list(values)


def test_names_are_written_as_svg_text_up_to_150_parties_and_the_most_important_above():
    for name in ("restaurant", "midsize"):
        fig = load(name).plot()
        assert all(t.mode == "markers" for t in party_traces(fig))  # names are annotations (SVG), not trace text
        assert sorted(a.hovertext for a in fig.layout.annotations) == sorted(load(name).parties["name"])
    assert len(load("midsize").plot(labels=False).layout.annotations) == 0
    parties, handoffs = organisation(600, seed=2)
    assert 0 < len(vc.load(handoffs, parties=parties).plot().layout.annotations) <= 40


def test_large_orgs_are_drawn_by_department():
    chain = load("midsize")
    fig = chain.plot(max_parties=50)
    ids = {i for t in party_traces(fig) for i in t.customdata}
    assert "Supply Chain" in ids and "sc-warehouse" not in ids
    assert "by department" in fig.layout.title.text


@pytest.mark.parametrize("case", REAL_CASES, ids=[c.name for c in REAL_CASES])
def test_real_graphs_draw_every_figure(case):
    chain = vc.load(case / "handoffs.csv", parties=case / "parties.csv")
    fig = chain.plot()
    assert sum(len(t.x) for t in party_traces(fig)) == len(chain.parties)
    assert np.isfinite(layout(chain)[["x", "y"]].to_numpy()).all()
    found = chain.analyze()
    team = chain.parties.loc[chain.arrays.is_team, "id"]
    if len(team):
        assert highlighted(chain.plot(focus=team.iloc[0]))
    if len(found.loops):
        assert highlighted(chain.plot(loop=0)) == set(found.loops["members"].iloc[0])
    flow = flow_figure(chain)
    assert sum(flow.data[0].link.value) > 0 or len(chain.handoffs) == 0
    assert sum(len(t.x) for t in party_traces(chain.plot(max_parties=10))) <= len(chain.parties)
    if chain.parties["group"].notna().any():
        group = chain.parties["group"].dropna().iloc[0]
        assert highlighted(chain.plot(department=group))
        graph, heat = rollup_figures(chain)
        assert party_traces(graph)
        assert heat.data[0].z.shape == department_matrix(chain).shape
        assert heat.data[0].z.sum() == chain.rollup().matrix.to_numpy().sum()
    whatif = chain.whatif(remove=[team.iloc[0]]) if len(team) else None
    if whatif is not None:
        assert any(t.name == "Removed party" for t in scenario_figure(whatif).data)


def test_rollup_figures():
    from valuechain.plot import rollup_figures

    chain = load("midsize")
    graph, heat = rollup_figures(chain)
    ids = {i for t in party_traces(graph) for i in t.customdata}
    assert {"Supply Chain", "Executive", "households"} <= ids
    [weights] = [t for t in graph.data if t.meta == "weights"]
    assert any("Manufacturing → Supply Chain" in s for s in weights.text)
    assert heat.data[0].z.sum() == chain.analyze().summary["handoffs"]


def test_scenario_figure_marks_what_changed():
    from valuechain.plot import scenario_figure

    chain = load("phone-repair")
    fig = scenario_figure(chain.whatif(remove=["repair-agents"], add_handoffs=[("marketing", "phone-owners")]))
    marks = {t.name: list(t.text) for t in fig.data if t.meta == "changes" and "markers" in t.mode}
    assert marks.pop("Removed party") == ["removed: <b>Authorised repair agents</b> (repair-agents)"]
    assert marks == {"Newly orphaned": ["finance", "spare-parts", "warranty"], "Newly connected": ["marketing"]}
    [added] = [t for t in fig.data if t.name == "Added hand-off"]
    assert list(added.x[:2]) == [-1.0, 0.0]  # marketing, now one hand-off from the customer
    [removed] = [t for t in fig.data if t.name == "Removed party"]
    assert removed.x[0] == -1 and removed.y[0] < min(y for t in fig.data if t.meta == "parties" for y in t.y)
    later = load("midsize-reorganised")
    d = load("midsize").diff(later)
    fig = scenario_figure((d, later))
    assert len(next(t for t in fig.data if t.name == "Newly connected").x) == 12


def highlighted(fig, kind="highlight") -> set[str]:
    return {i for t in fig.data if t.meta == kind and t.customdata is not None for i in t.customdata}


@given(orgs())
def test_focus_views_match_brute_force(org):
    parties, handoffs = org
    chain = vc.load(handoffs, parties=parties)
    g = oracle_graph(parties, handoffs)
    customers = set(chain.customers)
    g.remove_edges_from([(u, v) for u, v in list(g.edges) if u == v or u in customers])
    essential = nx.DiGraph([(u, v) for u, v, e in g.edges(data="essential") if e])
    essential.add_nodes_from(g)
    connected = {v for v in g if any(nx.has_path(essential, v, c) for c in customers)}
    found = chain.analyze()
    ids = chain.arrays.ids
    for number, party in enumerate(chain.parties["id"]):
        # what the focus view draws on top (valuechain.plot.chain._focus); the first party's whole figure too
        mark = focus_of(chain, party)
        marked = set(ids[mark.parties])
        if number == 0:
            fig = chain.plot(focus=party)
            assert highlighted(fig) == marked and mark.note in fig.layout.title.subtitle.text
        if party in connected:
            # every party on some essential path from it to a customer
            on_paths = essential.subgraph(connected | {party})
            assert marked == {party} | nx.descendants(on_paths, party)
            if party not in customers:
                assert len(mark.path) == found.distance[party] + 1
        else:
            assert marked == {party} | nx.descendants(g, party)
            assert "no line of sight" in mark.note
    for number, members in enumerate(found.loops["members"]):
        fig = chain.plot(loop=number, labels=False)
        assert highlighted(fig) == set(members)
        assert chain.plot(loop=members[-1], labels=False).layout.title.subtitle.text == fig.layout.title.subtitle.text


def test_loop_view_draws_the_loop_and_its_hand_offs_only():
    chain = load("phone-repair")
    fig = chain.plot(loop=0)
    assert highlighted(fig) == {"finance", "repair-agents", "spare-parts", "warranty"}
    [edges] = [t for t in fig.data if t.meta == "highlight" and t.mode == "lines"]
    assert len(edges.x) == 3 * 5  # five hand-offs among the four
    assert all(t.marker.opacity == 0.2 for t in party_traces(fig))  # the rest is faded
    with pytest.raises(vc.NotFound, match="no loop 3"):
        chain.plot(loop=3)
    with pytest.raises(vc.NotFound, match="in no loop"):
        chain.plot(loop="marketing")


def test_department_view():
    chain = load("midsize")
    fig = chain.plot(department="Finance")
    members = set(chain.parties.loc[chain.parties["group"] == "Finance", "id"])
    assert highlighted(fig) == members
    with pytest.raises(vc.NotFound, match="groups are Customer Service"):
        chain.plot(department="Fnance")


def test_unknown_focus_suggests_the_closest_id():
    with pytest.raises(vc.PartyNotFound, match="did you mean 'kitchen'"):
        load("restaurant").plot(focus="kitchn")
    with pytest.raises(vc.PartyNotFound, match="did you mean 'kitchen'"):  # drawn by unit too
        load("restaurant").plot(focus="kitchn", max_parties=3)


def test_units_hold_every_party_and_every_hand_off_between_units():
    chain = load("midsize")
    for limit in (40, 20, 10):
        unit, how = drawn_units(chain, max_parties=limit)
        fig = chain.plot(max_parties=limit)
        drawn = {i for t in party_traces(fig) for i in t.customdata}
        assert drawn == set(unit)
        assert how in fig.layout.title.text
        # the drawn hand-offs are exactly the unit pairs of the party hand-offs
        edges = EdgeSets.of(chain)
        pairs = {(unit[s], unit[t]) for s, t in zip(edges.source, edges.target) if unit[s] != unit[t]}
        from valuechain.plot.scale import drawn_chain

        merged = drawn_chain(chain, unit)
        assert set(zip(merged.handoffs["source"], merged.handoffs["target"])) == pairs
        assert merged.parties["members"].sum() == len(chain.parties)


def test_orgs_without_departments_are_drawn_by_distance_and_a_layer_can_be_expanded():
    chain = load("phone-repair")
    plain = vc.load(chain.handoffs, parties=chain.parties.drop(columns="group"))
    unit, how = drawn_units(plain, max_parties=3)
    assert how == "by distance to the customer"
    labels = dict(zip(plain.parties["id"], unit))
    assert labels["phone-owners"] == "phone-owners"  # customers stay themselves
    assert labels["marketing"] == "teams with no line of sight (preference only)"
    assert labels["finance"] == labels["spare-parts"] == "teams, 2 hand-offs from the customer"
    assert labels["warranty"] == "teams, 3 hand-offs from the customer"
    assert labels["components"] == "suppliers, 3 hand-offs from the customer"
    fig = plain.plot(max_parties=3, expand="teams, 2 hand-offs from the customer")
    drawn = {i for t in party_traces(fig) for i in t.customdata}
    assert {"finance", "spare-parts", "manufacturing"} <= drawn and "warranty" not in drawn
    with pytest.raises(vc.NotFound, match="no unit"):
        plain.plot(max_parties=3, expand="nothing")


def test_a_department_can_be_expanded_and_focused_when_rolled_up():
    chain = load("midsize")
    fig = chain.plot(max_parties=40, expand="Finance")
    drawn = {i for t in party_traces(fig) for i in t.customdata}
    finance = set(chain.parties.loc[chain.parties["group"] == "Finance", "id"])
    assert finance <= drawn and "Supply Chain" in drawn and "Finance" not in drawn
    ring = [t for t in chain.plot(max_parties=40, department="Sales").data if t.meta == "highlight"]
    assert len(ring) == 1 and len(ring[0].x) == 1


def test_department_chain_edge_widths_follow_the_counts():
    chain = load("midsize")
    graph, _ = rollup_figures(chain)
    # between the units drawn: departments, outside parties by kind, customers
    unit = department_units(chain)
    edges = EdgeSets.of(chain)
    pairs = pd.Series(list(zip(unit[edges.source], unit[edges.target])))
    off = pairs[[a != b for a, b in pairs]].value_counts().to_numpy()  # hand-offs per pair of distinct units
    lines = [t for t in graph.data if t.meta == "edges"]
    assert sum(len(t.x) // 3 for t in lines) == int((off > 0).sum())
    widths = [t.line.width for t in lines]
    assert widths == sorted(widths) and len(set(widths)) == len(widths)
    [one] = [t for t in lines if t.name == "Between departments: 1 hand-off"]
    assert len(one.x) // 3 == int((off == 1).sum())


@pytest.mark.parametrize("name", SAMPLES)
def test_flow_runs_towards_the_customer_and_says_what_it_leaves_out(name):
    chain = load(name)
    fig = flow_figure(chain)
    sankey = fig.data[0]
    unit, _ = flow_units(chain)  # departments (or layers), outside parties by kind
    edges = EdgeSets.of(chain)
    between = sum(unit[s] != unit[t] for s, t in zip(edges.source, edges.target))
    assert sum(sankey.link.value) + fig.layout.meta["left_out_handoffs"] == between
    # drawn links never close a loop: the drawing is acyclic
    g = nx.DiGraph(zip(sankey.link.source, sankey.link.target))
    assert nx.is_directed_acyclic_graph(g)
    words = fig.layout.title.subtitle.text.replace("<br>", " ")  # the note wraps to fit the figure
    if fig.layout.meta["left_out"]:
        assert counted(fig.layout.meta["left_out_handoffs"], "hand-off") in words and "left out" in words
    else:
        assert "nothing is left out" in words


def test_laying_out_large_orgs_never_crashes_the_process():
    """Eight 1,500-party orgs laid out in a fresh interpreter, which must live to print "ok" (igraph's Sugiyama
    layout, used here until it crashed a test run, killed it with a segmentation fault in about half of them)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import valuechain as vc\n"
        "from benchmarks.synthetic import organisation\n"
        "from valuechain.plot import layout\n"
        "for seed in range(1, 9):\n"
        "    parties, handoffs = organisation(1500, seed=seed)\n"
        "    layout(vc.load(handoffs, parties=parties))\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_a_figure_draws_at_most_its_share_of_lines_and_says_so():
    """Issue 19 point 5: 10,000 parties in 301 departments make 20,000 links between them; a person tells apart
    far fewer, and the browser draws megabytes for nothing. Each party's way towards the customer comes first."""
    from valuechain.plot.chain import MOST_LINES

    parties, handoffs = organisation(10_000, seed=7)
    fig = vc.load(handoffs, parties=parties).plot()
    segments = sum(int(np.isnan(np.asarray(t.x, dtype=float)).sum()) for t in fig.data if t.meta == "edges")
    assert segments == MOST_LINES
    assert fig.layout.title.subtitle.text.startswith(f"{MOST_LINES:,} of 20,329 links drawn")
    assert len(fig.to_json()) < 600_000  # 2.3 MB before
