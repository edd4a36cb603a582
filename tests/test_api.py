"""The public API: every exported name exists, and the fixed names of DESIGN.md are there."""

from __future__ import annotations

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
