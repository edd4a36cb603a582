"""Corpus cases of the dominator step's worst-case shapes (issue 14, point 10): orgs that once took the level-by-level
dominator passes minutes, each analysed right and fast now. Written by ``make_corpus.py algorithms``.

The small ones are stored; the large ones (a 6,000-party staircase, a 2,000-deep ladder) are generated at test
time by :func:`large_cases` from the generators in ``benchmarks/synthetic.py``.
"""

from __future__ import annotations

from benchmarks.synthetic import csv_texts, ladder, staircase


def _case(shape) -> tuple[str, str, str, str]:
    handoffs, parties = csv_texts(shape)
    return handoffs, parties, "ok", ""


# name: (hand-offs content, parties content, expect, message fragment)
CASES = {
    "algorithms-small-staircase.csv": _case(staircase(40, 3)),
    "algorithms-small-ladder.csv": _case(ladder(30)),
}


def large_cases() -> dict[str, tuple[str, str, str, str]]:
    """The staircase (2,000 levels of three teams; before the hand-over to igraph: minutes) and the 2,000-deep ladder
    (before: 10 s or more)."""
    return {
        "algorithms-staircase.csv": _case(staircase(2000)),
        "algorithms-ladder.csv": _case(ladder(2000)),
    }
