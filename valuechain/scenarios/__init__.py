"""Scenarios: what-if removals and additions, two versions of the org compared, the org rolled up by department.

Each compares findings in the same words (:class:`FindingChanges`).
"""

from valuechain.scenarios.changes import FindingChanges
from valuechain.scenarios.diff import Diff
from valuechain.scenarios.rollup import Rollup
from valuechain.scenarios.whatif import Ranking, Scenario

__all__ = ["Diff", "FindingChanges", "Ranking", "Rollup", "Scenario"]
