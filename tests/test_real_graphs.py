"""The real public graphs in ../shared/acceptance/real, with findings computed independently."""

from __future__ import annotations

import json
import os

import pytest

import valuechain as vc
from tests.conftest import REAL
from tests.oracle import from_json

CASES = sorted(p.parent for p in REAL.rglob("expected.json")) if REAL.exists() else []

pytestmark = pytest.mark.skipif(
    not CASES and not os.environ.get("CI"), reason=f"the shared acceptance data is not at {REAL}"
)


def test_the_shared_data_is_present_in_ci():
    assert CASES, f"no real graphs found under {REAL}"
    assert len(CASES) >= 24


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(REAL)) for c in CASES])
def test_findings_match_expected(case):
    chain = vc.load(case / "handoffs.csv", parties=case / "parties.csv")
    got = from_json(chain.analyze().to_dict())
    want = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert got["orphans"] == want["orphans"]
    assert got["loops"] == sorted(sorted(x) for x in want["loops"])
    assert got["mutual_pairs"] == sorted(sorted(x) for x in want["mutual_pairs"])
    assert got["spof"] == want["spof"]
    assert got["distance"] == want["distance"]


def test_facts_of_the_readme_table():
    stats = [json.loads(line) for line in (REAL / "STATS.jsonl").read_text().splitlines() if line.strip()]
    for s in stats:
        case = REAL / s["dataset"]
        found = vc.load(case / "handoffs.csv", parties=case / "parties.csv").analyze()
        assert found.summary["parties"] == s["parties"], s["dataset"]
        assert found.summary["teams"] == s["teams"], s["dataset"]
        assert found.summary["orphans"] == s["orphan_teams"], s["dataset"]
        assert found.summary["loops"] == s["loops"], s["dataset"]
        assert found.summary["handoffs"] == s["distinct_edges"], s["dataset"]
        assert found.customers == s["customers"], s["dataset"]
        assert max(found.distance.values()) == s["max_distance"], s["dataset"]
