"""Fuzzing the readers: arbitrary bytes and arbitrary tables never raise anything but InputError.

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
