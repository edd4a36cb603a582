"""The chain figure: one marker per party, status colours and shapes, direction, legend, layout, scale rule."""

from __future__ import annotations

import numpy as np
import pytest

import valuechain as vc
from tests.conftest import DATA, REAL, SAMPLES
from valuechain.analysis import EdgeSets
from valuechain.plot import STYLE, layout, status

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
    by_name = {label: key for key, (label, _, _) in STYLE.items()}
    kind = dict(zip(chain.parties["id"], status(chain)))
    for t in traces:
        key = by_name[t.name]
        assert {kind[i] for i in t.customdata} == {key}
        assert t.marker.color == STYLE[key][1] and t.marker.symbol == STYLE[key][2]
    arrows = [t for t in fig.data if t.meta == "arrows"]
    assert len(arrows) == 1 and len(arrows[0].x) == len(EdgeSets.of(chain).source)


def test_every_orphan_reason_has_its_legend_entry():
    names = {t.name for t in load("software-services").plot().data}
    for reason in vc.REASONS:
        assert STYLE[reason][0] in names
    assert "Essential hand-off" in names and "Preference (non-essential) hand-off" in names


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
    [path] = [t for t in fig.data if t.meta == "focus"]
    assert list(path.x) == [-3.0, -2.0, -1.0, 0.0]
    with pytest.raises(KeyError):
        load("restaurant").plot(focus="nobody")


def test_hover_text_is_escaped():
    import pandas as pd

    chain = vc.load(pd.DataFrame({"source": ["<b>x</b>"], "target": ["c"]}), customers=["c"])
    texts = [s for t in party_traces(chain.plot()) for s in t.text]
    assert any("&lt;b&gt;x&lt;/b&gt;" in s for s in texts)
    assert not any("<b>x</b>" in s for s in texts)


def test_large_orgs_are_drawn_by_department():
    chain = load("midsize")
    fig = chain.plot(max_parties=50)
    ids = {i for t in party_traces(fig) for i in t.customdata}
    assert "Supply Chain" in ids and "sc-warehouse" not in ids
    assert "by department" in fig.layout.title.text


@pytest.mark.parametrize("case", REAL_CASES, ids=[c.name for c in REAL_CASES])
def test_real_graphs_draw(case):
    chain = vc.load(case / "handoffs.csv", parties=case / "parties.csv")
    fig = chain.plot()
    assert sum(len(t.x) for t in party_traces(fig)) == len(chain.parties)
    assert np.isfinite(layout(chain)[["x", "y"]].to_numpy()).all()


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
    marks = {t.name: list(t.text) for t in fig.data if t.meta == "changes"}
    assert marks == {"Newly orphaned": ["finance", "spare-parts", "warranty"], "Newly connected": ["marketing"]}
    assert "repair-agents" in fig.layout.annotations[-1].text
    later = load("midsize-reorganised")
    d = load("midsize").diff(later)
    fig = scenario_figure((d, later))
    assert len(next(t for t in fig.data if t.name == "Newly connected").x) == 12
