"""Fuzzing: arbitrary bytes and tables never make the readers raise anything but InputError, and
arbitrary text never breaks a writer.

The number of cases tried per property is written to tests/output/fuzz-counts.txt.
"""

from __future__ import annotations

import io
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import valuechain as vc
from tests.conftest import OUTPUT

EXAMPLES = 1000 if os.environ.get("CI") else 200
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COUNTS: dict[str, int] = {}

HEADERS = ["source", "target", "from", "to", "deliverable", "essential", "id", "kind", "", " ", "source", "x"]
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "a", "b", "c", "yes", "no", "maybe", "=1+1", "team", "external_customer", "\u200b"]),
)


@pytest.fixture(scope="module", autouse=True)
def record_counts():
    yield
    OUTPUT.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}: {count} cases" for name, count in sorted(COUNTS.items())]
    (OUTPUT / f"fuzz-counts-{os.getpid()}.txt").write_text("\n".join(lines) + "\n")


def tried(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def upload(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def loads_or_explains(*args, **kwargs) -> vc.Chain | None:
    try:
        chain = vc.load(*args, **kwargs)
    except vc.InputError as err:
        assert err.problems and all(p.message for p in err.problems)
        return None
    chain.analyze()
    return chain


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["h.csv", "h.tsv", "h.txt", "h.xlsx", "h.graphml", "h.json"]))
def test_arbitrary_bytes(data, name):
    tried("arbitrary bytes, any extension")
    loads_or_explains(upload(data, name))


@FUZZ
@given(st.lists(st.lists(CELLS, min_size=0, max_size=5), max_size=8), st.sampled_from([",", ";", "\t"]))
def test_arbitrary_csv_text(rows, sep):
    tried("arbitrary CSV text (cells, delimiters, quotes)")
    text = "\n".join(sep.join(row) for row in rows)
    loads_or_explains(upload(text.encode("utf-8"), "h.csv"))


@FUZZ
@given(st.data())
def test_arbitrary_table_shapes(data):
    tried("arbitrary table shapes (headers and cells)")
    width = data.draw(st.integers(0, 5))
    headers = data.draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    rows = data.draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=8))
    frame = pd.DataFrame(rows, columns=range(width))
    frame.columns = headers if len(set(headers)) == len(headers) else [f"{h}{i}" for i, h in enumerate(headers)]
    known = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["team", "team", "external_customer"]})
    parties = data.draw(st.one_of(st.none(), st.just(known)))
    chain = loads_or_explains(frame, parties=parties)
    if chain is not None and len(chain.parties) <= 50:
        chain.plot()


@FUZZ
@given(st.lists(st.lists(CELLS, min_size=4, max_size=4), max_size=10))
def test_arbitrary_event_logs(rows):
    tried("arbitrary event logs")
    frame = pd.DataFrame(rows, columns=["case", "activity", "team", "timestamp"])
    try:
        vc.from_log(frame).analyze()
    except vc.InputError as err:
        assert err.problems


WRITE = settings(max_examples=EXAMPLES // 10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Any text at all: every Unicode category, control characters included (not lone surrogates: no file holds them).
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)


@WRITE
@given(st.lists(st.tuples(ANY_TEXT, ANY_TEXT, ANY_TEXT), min_size=1, max_size=4), ANY_TEXT)
def test_arbitrary_text_through_every_writer(rows, extra):
    """Names, groups, deliverables and an extra column of any text: every writer writes (GraphML and GEXF
    may refuse a control character, saying so), and the graph files read back as the same org."""
    import tempfile
    from pathlib import Path

    from tests.test_export import assert_same_org
    from valuechain.report import render

    teams = [f"t{i}" for i in range(len(rows))]
    parties = pd.DataFrame(
        {
            "id": [*teams, "customer"],
            "name": [name for name, _, _ in rows] + ["Customer"],
            "kind": ["team"] * len(rows) + ["external_customer"],
            "group": [group for _, group, _ in rows] + [""],
            "note": [extra] * (len(rows) + 1),
        }
    )
    handoffs = pd.DataFrame(
        {"source": teams, "target": [*teams[1:], "customer"], "deliverable": [d for _, _, d in rows]}
    )
    chain = vc.load(handoffs, parties=parties)
    for fmt in ("html", "md", "xlsx", "csv"):
        assert render(chain, fmt)
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("json", "graphml", "gexf"):
            path = Path(folder) / f"org.{fmt}"
            try:
                chain.export(path)
            except ValueError as err:
                assert fmt != "json" and "XML, which cannot hold" in str(err)
                continue
            assert_same_org(vc.load(path), chain)
    tried("arbitrary text through every writer")
