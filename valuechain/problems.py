"""Problems found in the user's input: errors that stop a load, warnings that do not.

Every problem names where it is (file, spreadsheet row, column) and says how to
fix it, so that one run can report everything wrong with a file at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from valuechain.exceptions import InputError

__all__ = ["InputError", "Problem", "closest", "closest_each", "listing"]

Severity = Literal["error", "warning"]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: What a problem's text never holds raw: control characters and the marks that reorder text on screen.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or odd) in the input.

    Parameters
    ----------
    severity : {"error", "warning"}
        Errors stop the load; warnings keep the row and are reported.
    file : str
        The file (or table) the problem is in, as the user named it.
    row : int or None
        The row as a spreadsheet shows it: the header is row 1.
    column : str or None
        The column header as written in the file.
    message : str
        What is wrong, as a plain sentence.
    hint : str
        How to fix it (may be empty).

    Examples
    --------
    >>> p = Problem("error", "handoffs.csv", 3, "target", "unknown party 'Kitchn'",
    ...             "did you mean 'Kitchen'?")
    >>> str(p)
    "handoffs.csv, row 3, column 'target': unknown party 'Kitchn'; did you mean 'Kitchen'?"
    """

    severity: Severity
    file: str
    row: int | None
    column: str | None
    message: str
    hint: str = ""

    @classmethod
    def error(
        cls, file: str, message: str, hint: str = "", row: int | None = None, column: str | None = None
    ) -> Problem:
        """An error at ``file`` (and ``row``/``column`` when given)."""
        return cls("error", file, row, column, message, hint)

    @classmethod
    def warning(
        cls, file: str, message: str, hint: str = "", row: int | None = None, column: str | None = None
    ) -> Problem:
        """A warning at ``file`` (and ``row``/``column`` when given)."""
        return cls("warning", file, row, column, message, hint)

    def __post_init__(self) -> None:
        # text quoted from the user's files (a cell, a header, an id, a file name) shows its control and
        # direction characters escaped, wherever a problem is shown: a terminal, the dashboard, JSON, a log
        for name in ("file", "column", "message", "hint"):
            value = getattr(self, name)
            if isinstance(value, str) and _UNSAFE.search(value):
                object.__setattr__(self, name, _UNSAFE.sub(_escape, value))

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = f"{', '.join(where)}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text

    def to_dict(self) -> dict:
        """The problem as a plain dict (for tables and JSON)."""
        return asdict(self)


#: Up to this many candidates, suggestions are difflib's own; above, rapidfuzz picks the few that difflib ranks.
EXACT_POOL = 2000
#: How many of rapidfuzz's best candidates difflib ranks, in a large pool.
SHORTLIST = 20
#: How many words are scored against a large pool at once (a block of this many bytes per candidate).
_BLOCK = 16


def closest(word: str, candidates: Iterable[str], limit: int = 1) -> list[str]:
    """The candidates that look most like ``word`` (typo suggestions), best first.

    The measure is difflib's ratio (at least 0.6), else the same id in another case. See
    :func:`closest_each` for large pools and many words.

    Examples
    --------
    >>> closest("Kitchn", ["Floor", "Kitchen", "Diners"])
    ['Kitchen']
    >>> closest("FLOOR", ["floor", "kitchen"])
    ['floor']
    """
    return closest_each([word], candidates, limit)[word]


def closest_each(words: Iterable[str], candidates: Iterable[str], limit: int = 1) -> dict[str, list[str]]:
    """:func:`closest` for several words at once: each word's suggestions, best first.

    In a pool of up to :data:`EXACT_POOL` candidates the suggestions are difflib's. In a larger pool,
    rapidfuzz's Indel ratio (never below difflib's ratio, so no candidate that difflib would accept is
    lost) scores every candidate in C, a block of words at a time, and difflib ranks the best
    :data:`SHORTLIST` of them. 50 words against 20,000 ids of 40 characters: about a second instead of
    half a minute; against a million short ids: a few seconds.

    Examples
    --------
    >>> closest_each(["kichen", "flor", "zzz"], ["kitchen", "floor"])
    {'kichen': ['kitchen'], 'flor': ['floor'], 'zzz': []}
    """
    import difflib

    words = list(dict.fromkeys(words))
    pool = candidates if isinstance(candidates, list) else list(candidates)
    found: dict[str, list[str]] = {}
    if len(pool) <= EXACT_POOL:
        for word in words:
            found[word] = difflib.get_close_matches(word, pool, n=limit, cutoff=0.6)
    else:
        import numpy as np
        from rapidfuzz import fuzz, process

        wanted = max(SHORTLIST, limit)
        for start in range(0, len(words), _BLOCK):
            block = words[start : start + _BLOCK]
            scores = process.cdist(block, pool, scorer=fuzz.ratio, score_cutoff=59, dtype=np.uint8, workers=1)
            for word, row in zip(block, scores):
                best = int(row.max()) if len(row) else 0
                if best == 0:
                    found[word] = []
                    continue
                near = np.flatnonzero(row)  # the candidates over the cutoff (the others score 0)
                if len(near) > wanted:
                    near = np.sort(near[np.argpartition(-row[near].astype(np.int16), wanted)[:wanted]])
                found[word] = difflib.get_close_matches(word, [pool[i] for i in near], n=limit, cutoff=0.6)
    missing = [w for w in words if not found[w]]
    if missing:
        for word, same in zip(missing, _same_but_case(missing, pool)):
            found[word] = same[:limit]
    return found


def _same_but_case(words: list[str], pool: list[str]) -> list[list[str]]:
    """Per word, the candidates equal to it but for case (casefolded), in pool order."""
    if len(pool) <= EXACT_POOL:
        by_fold: dict[str, list[str]] = {}
        for candidate in pool:
            by_fold.setdefault(candidate.casefold(), []).append(candidate)
        return [by_fold.get(word.casefold(), []) for word in words]
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    same = []
    for start in range(0, len(words), _BLOCK):  # rapidfuzz's processor folds case in C; then check casefold
        block = words[start : start + _BLOCK]
        scores = process.cdist(block, pool, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=100,
                               dtype=np.uint8, workers=1)  # fmt: skip
        for word, row in zip(block, scores):
            hits = (pool[i] for i in np.flatnonzero(row == 100))
            same.append([c for c in hits if c.casefold() == word.casefold()])
    return same


#: How many headers a message lists before "and N more".
LISTED_HEADERS = 12


def shown(text: object, limit: int = 60) -> str:
    """A value as messages quote it: control characters escaped (a NUL shows as ``\\x00``), long text cut.

    Examples
    --------
    >>> shown("s\\x00o\\x1b[31m"), shown("x" * 100, limit=10)
    ('s\\\\x00o\\\\x1b[31m', 'xxxxxxxxx…')
    """
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listing(headers: list, limit: int = LISTED_HEADERS) -> str:
    """Headers quoted (as :func:`shown`) and listed, the first ``limit`` of them and how many more.

    Examples
    --------
    >>> listing(["a", "b"])
    "'a', 'b'"
    >>> listing([f"c{i}" for i in range(5)], limit=2)
    "'c0', 'c1' and 3 more"
    """
    listed = ", ".join(f"'{shown(h)}'" for h in list(headers)[:limit])
    return listed + (f" and {len(headers) - limit:,} more" if len(headers) > limit else "")
