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
    assert repr(found).startswith("<Findings: 0 of 3 teams reach the customer; 3 orphans, 1 loop, 1 mutual pair")


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


# --- the typed API: options by keyword, every public function annotated --------------------------------------------

RESTAURANT = ("data/restaurant/handoffs.csv", "data/restaurant/parties.csv")


def test_options_are_keyword_only():
    import inspect

    from valuechain.model import resolve_customers

    keyword_only = {
        vc.load: {"customers", "primary", "columns", "decisions", "as_of", "outcomes"},
        vc.Chain.analyze: {"as_of"},
        vc.Chain.with_decisions: {"as_of", "previous", "columns"},
        vc.Chain.whatif: {"remove_handoffs", "add_handoffs"},
        vc.Chain.plot: {"focus", "loop", "department", "expand", "max_parties", "labels"},
        vc.Chain.report: {"previous", "title"},
        vc.Chain.__init__: {"positions"},
        resolve_customers: {"inferred"},
    }
    for function, names in keyword_only.items():
        parameters = inspect.signature(function).parameters.values()
        assert {p.name for p in parameters if p.kind is p.KEYWORD_ONLY} == names, function.__qualname__
    with pytest.raises(TypeError, match="positional"):
        vc.load(*RESTAURANT, ["diners"])
    chain = vc.load(*RESTAURANT)
    assert chain.whatif(["floor"]).after.customers == ["diners"]  # what to remove stays the first argument
    assert len(chain.rollup("group").departments) > 0  # kept positional: tests and the CLI pass it so


def _public_callables(module):
    """The public functions and methods defined in ``module`` (not imported into it)."""
    import inspect

    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value):
            yield name, value
        elif inspect.isclass(value):
            for attribute, member in vars(value).items():
                function = member.fget if isinstance(member, property) else getattr(member, "func", member)
                if inspect.isfunction(function) and (not attribute.startswith("_") or attribute == "__init__"):
                    yield f"{name}.{attribute}", function


def test_every_public_function_of_the_core_is_annotated():
    import inspect

    import valuechain.analysis
    import valuechain.exceptions
    import valuechain.model

    bare = []
    for module in (valuechain.model, valuechain.analysis, valuechain.exceptions):
        for name, function in _public_callables(module):
            signature = inspect.signature(function)
            missing = [
                p.name
                for p in signature.parameters.values()
                if p.annotation is p.empty and p.name not in ("self", "cls")
            ]
            if missing or signature.return_annotation is signature.empty:
                bare.append(f"{module.__name__}.{name}: {missing or 'return'}")
    assert bare == []


def test_the_notebook_summary_of_findings_speaks_the_vocabulary():
    from valuechain.vocabulary import FACTS

    html = vc.load(*RESTAURANT).analyze()._repr_html_()
    assert FACTS["single_points_of_failure"].label in html and FACTS["orphans"].label in html
    assert "single_points_of_failure" not in html and "single points of failure</th>" not in html


def test_the_reprs_count_in_words_with_the_verb_agreeing():
    """One of a thing is said in the singular, and its verb agrees: '1 team loses its path', '1 loop'."""
    from tests.conftest import DATA

    chain = vc.load(DATA / "phone-repair" / "handoffs.csv", parties=DATA / "phone-repair" / "parties.csv")
    assert repr(chain.whatif(remove=["finance"])).startswith("<Scenario: 1 team loses its path, 0 gain one; ")
    assert repr(chain.whatif(remove=["repair-agents"])).startswith("<Scenario: 3 teams lose their path, ")
    assert repr(chain.analyze()) == (
        "<Findings: 4 of 5 teams reach the customer; 1 orphan, 1 loop, 1 mutual pair, 2 single points of failure>"
    )
