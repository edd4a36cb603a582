"""The department views without a browser: the vocabulary's words, outside parties by kind, labels in full."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

import valuechain as vc
from tests.conftest import DATA, SAMPLES, frame
from valuechain.plot import flow_figure, rollup_figures
from valuechain.plot.departments import department_figure
from valuechain.plot.flow import flow_units
from valuechain.plot.matrix import department_matrix, matrix_figure
from valuechain.plot.units import _wrapped, department_units
from valuechain.vocabulary import COLUMNS, KIND_GROUPS, Kind

GROUPED = [s for s in SAMPLES if (DATA / s / "parties.csv").exists()]
#: Codes a person must never read: kinds, columns and statuses as machines spell them.
CODES = re.compile(r"\b[a-z]+_[a-z_]+\b")  # snake_case: external_customer, share_connected, teams_cut_off


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<br\s*/?>", " ", str(text))).split())


def words(fig) -> list[str]:
    """Every text of a figure a person reads without hovering: titles, labels, legend entries, tick labels."""
    out = [fig.layout.title.text or "", (fig.layout.title.subtitle.text or "") if fig.layout.title.subtitle else ""]
    out += [a.text for a in fig.layout.annotations]
    out += [t.name for t in fig.data if t.name and t.showlegend is not False]
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        out += [str(v) for v in axis.ticktext or ()] + ([axis.title.text] if axis.title and axis.title.text else [])
    for trace in fig.data:
        if trace.type == "sankey":
            out += list(trace.node.label)
        if trace.type == "heatmap":
            out += [str(v) for v in (*trace.x, *trace.y)]
    return [plain(w) for w in out if w]


@pytest.mark.parametrize("name", GROUPED)
def test_the_matrix_holds_departments_and_kinds_of_party_only(name):
    chain = load(name)
    table = department_matrix(chain)
    departments = set(chain.parties["group"].dropna())
    kinds = set(KIND_GROUPS.values())
    assert set(table.index) == set(table.columns)
    assert set(table.index) <= departments | kinds
    assert not set(table.index) & set(chain.parties["id"]) - departments  # no party's id
    assert int(table.to_numpy().sum()) == chain.analyze().summary.handoffs  # every hand-off counted once
    # departments first, external customers last
    first_kind = min(i for i, u in enumerate(table.index) if u in kinds)
    assert all(u in departments for u in table.index[:first_kind])
    assert table.index[-1] == KIND_GROUPS["external_customer"]


def test_outside_parties_are_grouped_by_kind_with_the_vocabulary_words():
    chain = load("midsize")
    table = department_matrix(chain)
    assert list(table.index[-6:]) == [
        "Suppliers",
        "Vendor partners",
        "Regulators",
        "Government agencies",
        "Community parties",
        "External customers",
    ]
    unit = dict(zip(chain.parties["id"], department_units(chain, matrix=True)))
    assert unit["steel-supplier"] == unit["staffing"] == "Suppliers"  # both suppliers, one row
    assert unit["households"] == unit["businesses"] == "External customers"
    # the Suppliers row is what the four suppliers hand off, to whichever unit
    suppliers = chain.parties.loc[chain.parties["kind"] == "supplier", "id"]
    handoffs = chain.handoffs.drop_duplicates(["source", "target"])
    assert table.loc["Suppliers"].sum() == handoffs["source"].isin(suppliers).sum()
    # in the figures customers stay themselves, by name
    assert dict(zip(chain.parties["id"], department_units(chain)))["households"] == "households"


def test_the_kind_words_come_from_the_vocabulary(monkeypatch):
    monkeypatch.setitem(KIND_GROUPS, "supplier", "Providers of goods")
    chain = load("midsize")
    assert "Providers of goods" in department_matrix(chain).index
    assert "Providers of goods" in list(matrix_figure(chain).data[0].y)
    assert any(w.startswith("Providers of goods") for w in words(flow_figure(chain)))
    assert any(w.startswith("Providers of goods") for w in words(department_figure(chain)))


def test_a_department_named_like_a_kind_keeps_its_name():
    parties = frame(
        [
            ("c", "Clients", "external_customer", None),
            ("a", "Buying", "team", "Suppliers"),
            ("s", "Steel", "supplier", None),
        ],
        "id,name,kind,group",
    )
    handoffs = frame([("s", "a"), ("a", "c")], "source,target")
    chain = vc.load(handoffs, parties=parties)
    assert list(department_matrix(chain).index) == ["Suppliers", "Suppliers (outside parties)", "External customers"]


@pytest.mark.parametrize("name", GROUPED)
def test_what_a_person_reads_is_words_not_codes(name):
    chain = load(name)
    graph, matrix = rollup_figures(chain)
    for fig in (graph, matrix, flow_figure(chain)):
        for text in words(fig):
            assert not CODES.search(text), text


def test_every_label_is_written_in_full():
    chain = load("midsize")
    graph, matrix = rollup_figures(chain)
    departments = sorted(chain.parties["group"].dropna().unique())
    labels = [plain(a.text) for a in graph.layout.annotations]
    for department in departments:
        assert any(label.startswith(f"{department} ") for label in labels), department
    assert "Product Development 8 teams, 2 orphaned teams" in labels
    assert "Households (consumers)" in labels  # a customer by its name
    assert "Suppliers (4)" in labels
    assert [plain(y) for y in matrix.data[0].y][: len(departments)] == departments
    flow = [plain(n) for n in flow_figure(chain).data[0].node.label]
    assert "Product Development (8 teams)" in flow and "Legal and Compliance (5 teams)" in flow


def test_counts_and_shares_read_as_words():
    graph = department_figure(load("midsize"))
    [hover] = [h for t in graph.data if t.meta == "parties" for h in t.hovertext if h.startswith("<b>Finance")]
    assert "7 teams, 4 orphaned teams" in hover
    assert f"{COLUMNS['share_connected'].label}: 43%" in hover
    [weights] = [t for t in graph.data if t.meta == "weights"]
    # a customer by its name, not its id
    assert "Customer Service → Households (consumers): 2 hand-offs" in weights.text
    assert any(re.fullmatch(r".+ → .+: 1 hand-off", s) for s in weights.text)
    assert any(re.fullmatch(r".+ → .+: \d+ hand-offs", s) for s in weights.text)


def test_long_names_wrap_and_are_never_cut():
    name = "Research, Development and Industrial Design Engineering & Co"
    text = _wrapped(name, 20)
    lines = text.split("<br>")
    assert len(lines) > 1 and all(len(html.unescape(line)) <= 20 for line in lines)
    assert plain(text) == name


def test_long_department_names_wrap_in_every_view():
    from benchmarks.synthetic import organisation

    parties, handoffs = organisation(300, seed=1)
    long = "Research, Development and Industrial Design Engineering"
    parties["group"] = np.where(parties["group"] == "dept-0", long, parties["group"])
    chain = vc.load(handoffs, parties=parties)
    graph, matrix = rollup_figures(chain)
    [label] = [a.text for a in graph.layout.annotations if plain(a.text).startswith(long)]
    assert "<br>" in label.split(Kind.TEAM.plural)[0]  # the name wraps
    assert long in [plain(y) for y in matrix.data[0].y]
    assert all(len(line) <= 22 for y in matrix.data[0].y for line in str(y).split("<br>"))
    assert any(plain(n).startswith(long) for n in flow_figure(chain).data[0].node.label)


@pytest.mark.parametrize("name", GROUPED)
def test_the_flow_labels_only_boxes_it_draws(name):
    chain = load(name)
    sankey = flow_figure(chain).data[0]
    drawn = set(sankey.link.source) | set(sankey.link.target)
    assert drawn == set(range(len(sankey.node.label)))
    unit, how = flow_units(chain)
    assert len(sankey.node.label) <= len(set(unit))
    assert how == "by department"


def test_matrix_rows_and_columns_are_all_labelled():
    fig = matrix_figure(load("midsize"))
    heat = fig.data[0]
    assert list(fig.layout.yaxis.tickvals) == list(heat.y) and list(fig.layout.xaxis.tickvals) == list(heat.x)
    assert fig.layout.height >= 22 * len(heat.y)  # room for every row's label
    assert heat.colorbar.dtick == 1 or heat.colorbar.tickformat == ",d"  # whole hand-offs on the colour bar
    cells = np.asarray(heat.text)
    assert (cells[np.asarray(heat.z) == 0] == "").all()  # counts in the cells, none for an empty one
    assert pd.Series(cells[np.asarray(heat.z) > 0]).str.fullmatch(r"\d+").all()


def test_a_matrix_of_many_departments_keeps_the_busiest_and_the_rest_together():
    from benchmarks.synthetic import organisation

    parties, handoffs = organisation(1500, seed=4)
    parties["group"] = [f"Department number {i // 15} of a large organisation" for i in range(len(parties))]
    chain = vc.load(handoffs, parties=parties)
    fig = matrix_figure(chain)
    heat = fig.data[0]
    rows = [plain(y) for y in heat.y]
    assert len(rows) <= 40 and len(rows) == len(heat.x)
    [other] = [r for r in rows if r.startswith("Other departments (")]
    kept = [r for r in rows if r.startswith("Department number")]
    assert int(other.split("(")[1].rstrip(")")) + len(kept) == chain.parties["group"].nunique()
    assert int(np.asarray(heat.z).sum()) == chain.analyze().summary.handoffs  # nothing lost, only grouped
    assert "the others together" in plain(fig.layout.title.text)
    full = department_matrix(chain)
    busiest = (full.sum(axis=0) + full.sum(axis=1)).loc[full.index.str.startswith("Department")]
    assert set(kept) <= set(busiest.index) and busiest[kept].min() >= busiest.drop(kept).max()


def test_a_crowded_flow_fits_its_labels_and_keeps_them_whole_on_hover():
    from valuechain.plot.flow import _fitted

    assert _fitted("Research and Development (40 teams)", 12) == "Research and<br>Development<br>(40 teams)"
    cut = _fitted("Teams with no line of sight (closed loop) (86)", 9)
    assert cut.endswith("…") and all(len(line) <= 9 for line in cut.split("<br>")) and cut.count("<br>") == 2
    from benchmarks.synthetic import organisation

    parties, handoffs = organisation(3000, seed=2)
    chain = vc.load(handoffs, parties=parties.assign(group=None))
    sankey = flow_figure(chain).data[0]
    assert all(label.count("<br>") <= 2 for label in sankey.node.label)
    squeezed = lambda text: plain(text).rstrip("…").replace(" ", "")  # noqa: E731  (a word may break across lines)
    assert all(
        squeezed(full).startswith(squeezed(label)) for label, full in zip(sankey.node.label, sankey.node.customdata)
    )


def test_units_by_another_column_are_named_by_its_label():
    graph, matrix = rollup_figures(load("midsize"), by="kind")
    assert graph.layout.title.text.startswith("Units by kind:")
    assert plain(matrix.layout.title.text).startswith("Hand-offs from each kind (rows)")
    assert "Suppliers" in list(matrix.data[0].y)
