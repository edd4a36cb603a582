"""valuechain: map how an organisation's work reaches its external customer.

Read an organisation's parties and hand-offs, build the value chain that ends
at the external customer, and find the teams with no line of sight to it
(orphans, and why), mutual dependencies and loops, and the single points of
failure every path hangs on.

Examples
--------
>>> import valuechain as vc
>>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
>>> found = chain.analyze()
>>> found.summary["orphans"]
2
"""

from valuechain._version import __version__
from valuechain.analysis import REASONS, Findings, Summary
from valuechain.eventlog import LogFindings, from_log
from valuechain.exceptions import (
    InputError,
    NotFound,
    OptionError,
    OutputError,
    PartyNotFound,
    ToolFailed,
    ToolMissing,
    ValuechainError,
)
from valuechain.io import KINDS, OUTSIDE_KINDS
from valuechain.model import Chain, load
from valuechain.problems import Code, Problem
from valuechain.scenarios import Diff, FindingChanges, Ranking, Rollup, Scenario
from valuechain.vocabulary import Finding, Reason

__all__ = [
    "KINDS",
    "OUTSIDE_KINDS",
    "REASONS",
    "Chain",
    "Code",
    "Diff",
    "Finding",
    "FindingChanges",
    "Findings",
    "InputError",
    "LogFindings",
    "NotFound",
    "OptionError",
    "OutputError",
    "PartyNotFound",
    "Problem",
    "Ranking",
    "Reason",
    "Rollup",
    "Scenario",
    "Summary",
    "ToolFailed",
    "ToolMissing",
    "ValuechainError",
    "__version__",
    "from_log",
    "load",
]
