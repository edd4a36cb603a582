"""The chain's names without a browser: every party named up to 150 parties, label boxes (estimated from the font)
apart from each other and from the markers, at most 40 names above 150, line styles per kind of hand-off, the
legend lists only what is drawn, focus labels, and a party found by its name."""

from __future__ import annotations

import html
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import valuechain as vc
from benchmarks.synthetic import organisation
from tests.conftest import DATA, SAMPLES
from tests.test_findings_oracle import orgs
from valuechain.plot.labels import (
    ELLIPSIS,
    KEEP,
    MOST_LABELS,
    Label,
    overlapping_pairs,
    text_width,
    wrap,
)
from valuechain.plot.names import FADED_TEXT, MARGIN, label_frame
from valuechain.vocabulary import Handoff

WORDS = [
    "Regional",
    "Customer",
    "Onboarding",
    "Operations",
    "Coordination",
    "Procurement",
    "Compliance",
    "Engineering",
    "Quality",
    "Assurance",
    "Infrastructure",
    "Reliability",
    "International",
    "Partnerships",
    "Supervisory",
    "Documentation",
    "Intercontinental",
]


def load(name: str) -> vc.Chain:
    return vc.load(DATA / name / "handoffs.csv", parties=DATA / name / "parties.csv")


def long_named_org(n: int = 150, seed: int = 7) -> vc.Chain:
    """A generated org of ``n`` parties whose names run from 20 to 60 characters."""
    parties, handoffs = organisation(n, seed=seed)
    rng = np.random.default_rng(seed)
    names = [" ".join(rng.choice(WORDS, int(rng.integers(2, 6)))) + f" {i}" for i in range(n)]
    return vc.load(handoffs, parties=parties.assign(name=names))


def name_labels(fig) -> list:
    return [a for a in fig.layout.annotations if a.name == "party name"]


def shown(annotation) -> str:
    """The label's text as read: lines joined by spaces, bold and escapes undone."""
    return " ".join(html.unescape(annotation.text.replace("<b>", "").replace("</b>", "")).split("<br>"))


def squash(text: str) -> str:
    """Text without spaces and hyphens: a name and its wrapped label squash alike."""
    return text.replace(" ", "").replace("-", "")


def reads_as(text: str, name: str) -> bool:
    """Whether a label reads as the name: the whole of it, or its first characters (at least 8) and "…"."""
    if text.endswith(ELLIPSIS):
        stem = squash(text[:-1])
        return len(text[:-1].replace(" ", "")) >= KEEP and squash(name).startswith(stem)
    return squash(text) == squash(name)


def boxes(fig, chain: vc.Chain) -> tuple[np.ndarray, np.ndarray]:
    """Estimated pixel boxes of the labels and of the party markers at the design width (the narrowest)."""
    parties = [t for t in fig.data if t.meta == "parties"]
    x = np.concatenate([np.asarray(t.x, dtype=float) for t in parties])
    y = np.concatenate([np.asarray(t.y, dtype=float) for t in parties])
    size = np.concatenate([np.broadcast_to(np.asarray(t.marker.size, dtype=float), len(t.x)) for t in parties])
    frame = label_frame(fig)
    px, py = frame.pixels(x, y)
    markers = np.c_[px - size / 2, py - size / 2, px + size / 2, py + size / 2]
    at = {(float(a), float(b)): i for i, (a, b) in enumerate(zip(x, y))}
    labels = []
    for a in name_labels(fig):
        i = at[(float(a.x), float(a.y))]
        lines = html.unescape(a.text.replace("<b>", "").replace("</b>", "")).split("<br>")
        label = Label(i, lines, a.xanchor, a.xshift or 0.0, a.yshift or 0.0, "<b>" in a.text)
        labels.append(label.box(px[i], py[i]))
    return np.array(labels).reshape(-1, 4), markers


def named(chain: vc.Chain) -> list[str]:
    return sorted(chain.parties["name"].astype(str))


SMALL = [name for name in SAMPLES if len(load(name).parties) <= 150]


@pytest.mark.parametrize("name", SMALL)
def test_every_party_is_named_up_to_150_parties(name):
    chain = load(name)
    fig = chain.plot()
    labels = name_labels(fig)
    assert len(labels) == len(chain.parties)
    assert sorted(html.unescape(a.hovertext) for a in labels) == named(chain)
    for a in labels:
        assert reads_as(shown(a), html.unescape(a.hovertext)), shown(a)
    assert all(not t.mode or "text" not in t.mode for t in fig.data if t.meta == "parties")  # no WebGL text


def test_a_150_party_org_with_long_names_is_named_in_full_or_shortened_keeping_8_characters():
    chain = long_named_org()
    fig = chain.plot()
    labels = name_labels(fig)
    assert len(labels) == 150
    assert sorted(html.unescape(a.hovertext) for a in labels) == named(chain)  # the full name on hover
    for a in labels:
        assert reads_as(shown(a), html.unescape(a.hovertext)), shown(a)
    assert sum(not shown(a).endswith(ELLIPSIS) for a in labels) > 50  # many names of up to 60 characters in full


@pytest.mark.parametrize("name", [*SMALL, "long-names-150"])
def test_label_boxes_overlap_neither_each_other_nor_a_marker(name):
    chain = long_named_org() if name == "long-names-150" else load(name)
    fig = chain.plot()
    labels, markers = boxes(fig, chain)
    assert overlapping_pairs(labels) == []
    hits = [(i, j) for i, box in enumerate(labels) for j in range(len(markers)) if overlapping_pairs([box, markers[j]])]
    assert hits == []


def test_above_150_parties_at_most_40_labels_by_priority_never_overlapping():
    parties, handoffs = organisation(1000, seed=3)
    chain = vc.load(handoffs, parties=parties)
    fig = chain.plot()
    labels = name_labels(fig)
    assert 10 <= len(labels) <= MOST_LABELS
    texts = {shown(a) for a in labels}
    orphans = set(chain.analyze().orphans["name"])
    assert len(texts & orphans) >= min(10, len(orphans))
    biggest = chain.analyze().single_points_of_failure["name"].iloc[0]
    assert biggest in texts
    found, _ = boxes(fig, chain)
    assert overlapping_pairs(found) == []


def test_above_150_parties_the_focus_is_named_first():
    parties, handoffs = organisation(1000, seed=3)
    chain = vc.load(handoffs, parties=parties)
    fig = chain.plot(focus="t0000500")
    first = name_labels(fig)[0]
    assert shown(first) == "Team 500" and "<b>" in first.text


def test_the_focus_view_names_the_team_and_its_paths_in_bold_the_rest_faded():
    chain = load("midsize")
    fig = chain.plot(focus="sc-warehouse")
    [path] = [t for t in fig.data if t.meta == "path"]
    names = chain.parties.set_index("id")["name"]
    on_path = {names[i] for t in fig.data if t.meta == "highlight" and t.customdata is not None for i in t.customdata}
    bold = [a for a in name_labels(fig) if "<b>" in a.text]
    assert {html.unescape(a.hovertext) for a in bold} == on_path and len(path.x) > 1
    assert names["sc-warehouse"] in on_path
    assert all(reads_as(shown(a), html.unescape(a.hovertext)) for a in bold)
    faded = [a for a in name_labels(fig) if "<b>" not in a.text]
    assert len(faded) + len(bold) == len(chain.parties) and {a.font.color for a in faded} == {FADED_TEXT}


def test_a_preference_hand_off_inside_a_loop_is_dashed_in_the_loop_colour():
    handoffs = pd.DataFrame(
        {
            "source": ["a", "b", "c", "a", "d", "e"],
            "target": ["b", "a", "cust", "cust", "a", "d"],
            "essential": ["yes", "no", "yes", "yes", "no", "yes"],
        }
    )
    chain = vc.load(handoffs, customers=["cust"])
    edges = {t.name: t for t in chain.plot().data if t.meta == "edges"}
    assert set(edges) == {h.legend for h in Handoff}
    for kind in Handoff:
        assert edges[kind.legend].line.color == kind.colour and edges[kind.legend].line.dash == kind.dash
    assert Handoff.LOOP_PREFERENCE.colour == Handoff.LOOP.colour != Handoff.PREFERENCE.colour
    assert Handoff.LOOP_PREFERENCE.dash == Handoff.PREFERENCE.dash != Handoff.LOOP.dash
    assert len({(k.colour, k.dash) for k in Handoff}) == len(Handoff)  # every combination drawn apart


@pytest.mark.parametrize("name", SAMPLES)
def test_the_legend_lists_only_what_the_figure_draws(name):
    chain = load(name)
    fig = chain.plot()
    for trace in fig.data:
        if trace.showlegend is not False and trace.meta in ("edges", "parties"):
            assert trace.x is not None and len(trace.x) > 0, trace.name
    essential = chain.handoffs["essential"].astype(str).str.lower().isin(["yes", "true", "1"])
    legends = {t.name for t in fig.data}
    if (~essential).any():  # non-essential hand-offs have their entry, inside a loop or not
        assert {Handoff.PREFERENCE.legend, Handoff.LOOP_PREFERENCE.legend} & legends


def test_focus_by_name_or_id_and_did_you_mean():
    chain = load("restaurant")
    [by_id] = [list(t.x) for t in chain.plot(focus="purchasing").data if t.meta == "path"]
    name = chain.parties.set_index("id").loc["purchasing", "name"]
    [by_name] = [list(t.x) for t in chain.plot(focus=name).data if t.meta == "path"]
    assert by_id == by_name and len(by_id) == 4
    with pytest.raises(vc.PartyNotFound, match="did you mean 'Kitchen'"):
        chain.plot(focus="Kitchn")


def test_wrap_keeps_words_whole_and_shortens_with_an_ellipsis():
    assert wrap("Mechanical engineering", 70) == ["Mechanical", "engineering"]
    assert wrap("Intercontinental", 40, 2) == ["Interco-", "ntinental"] or all(
        text_width(line) <= 40 for line in wrap("Intercontinental", 40, 2)
    )
    short = wrap("International Partnerships Supervisory Documentation", 60, 2)
    assert len(short) == 2 and short[-1].endswith(ELLIPSIS)
    assert all(text_width(line) <= 60 for line in short)
    assert len("".join(wrap("Procurement office", 5, 1))) >= KEEP + 1


def test_labels_cost_little_time_on_a_large_org():
    parties, handoffs = organisation(10_000, seed=3)
    chain = vc.load(handoffs, parties=parties)
    chain.plot()  # analysis and layout cached
    start = time.perf_counter()
    fig = chain.plot()
    assert time.perf_counter() - start < 2.0
    assert len(name_labels(fig)) <= MOST_LABELS
    assert MARGIN["t"] > 0


def test_the_dashboard_highlight_selector_shows_names_and_ids():
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    focus = at.selectbox(key="focus")
    warehouse = load("midsize").parties.set_index("id").loc["sc-warehouse", "name"]
    assert f"{warehouse} (sc-warehouse)" in focus.options
    at = focus.select("sc-warehouse").run()
    assert not at.exception and at.selectbox(key="focus").value == "sc-warehouse"


@settings(max_examples=40)
@given(orgs())
def test_names_never_overlap_on_random_orgs(org):
    parties, handoffs = org
    chain = vc.load(handoffs, parties=parties)
    fig = chain.plot()
    assert len(name_labels(fig)) == len(chain.parties)
    labels, markers = boxes(fig, chain)
    assert overlapping_pairs(labels) == []
    assert not any(overlapping_pairs([box, marker]) for box in labels for marker in markers)
