"""The public API: every exported name exists, and the fixed names of DESIGN.md are there."""

from __future__ import annotations

import pytest

import valuechain as vc
import valuechain.plot
import valuechain.scenarios


def test_every_exported_name_exists():
    for module in (vc, valuechain.plot, valuechain.scenarios):
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert missing == [], f"{module.__name__} exports names it does not define: {missing}"


def test_design_names():
    chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    found = chain.analyze()
    for attribute in ("orphans", "loops", "mutual_pairs", "single_points_of_failure", "distance", "summary"):
        assert hasattr(found, attribute)
    for method in ("analyze", "plot", "whatif", "diff", "rollup"):
        assert callable(getattr(chain, method))


def test_every_result_has_a_readable_repr_and_an_escaped_html_summary():
    import pandas as pd

    hostile = "<script>alert(1)</script>"
    chain = vc.load(
        pd.DataFrame({"source": [hostile, "b", "c"], "target": ["b", "c", "b"]}),
        parties=pd.DataFrame({"id": [hostile, "b", "c", "z"], "kind": ["team", "team", "team", "external_customer"]}),
    )
    later = vc.load(pd.DataFrame({"source": [hostile, "b"], "target": ["b", "z"]}), customers=["z"])
    found = chain.analyze()
    results = {
        "Chain": chain,
        "Findings": found,
        "Scenario": chain.whatif(remove=["c"]),
        "FindingChanges": chain.whatif(remove=["c"]).changes,
        "Diff": chain.diff(later),
        "Rollup": chain.rollup(),
        "Ranking": chain.rank(),
    }
    for name, result in results.items():
        assert repr(result).startswith(f"<{name}: "), repr(result)
        html = result._repr_html_()
        assert f"valuechain.{name}" in html
        assert "<script>" not in html, name
    assert "&lt;script&gt;" in results["Findings"]._repr_html_()  # the orphan's id, escaped
    assert repr(found).startswith("<Findings: 0 of 3 teams reach the customer; 3 orphans, 1 loops")


def test_notebooks_are_stored_without_outputs():
    import json

    from tests.conftest import ROOT

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert len(notebooks) >= 5
    for path in notebooks:
        cells = json.loads(path.read_text())["cells"]
        assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in cells), path.name


def test_a_path_given_as_bytes_is_an_input_error():
    with pytest.raises(vc.InputError, match="the handoffs are given as bytes"):
        vc.load(b"data/restaurant/handoffs.csv")
