"""Problems found in the user's input: errors that stop a load, warnings that do not.

Every problem names where it is (file, spreadsheet row, column) and says how to
fix it, so that one run can report everything wrong with a file at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


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


class InputError(ValueError):
    """The input cannot be analysed; ``problems`` lists every reason.

    The message shows the first 50 problems and how many more there are.

    Examples
    --------
    >>> err = InputError([Problem("error", "h.csv", None, "source", "missing column")])
    >>> print(err)
    1 problem in the input:
      h.csv, column 'source': missing column
    """

    shown = 50

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the load."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that would not have stopped the load on their own."""
        return [p for p in self.problems if p.severity == "warning"]

    def _text(self) -> str:
        errors = self.errors or self.problems
        n = len(errors)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the input:"]
        lines += [f"  {p}" for p in errors[: self.shown]]
        if n > self.shown:
            lines.append(f"  ... and {n - self.shown} more")
        return "\n".join(lines)


#: Up to this many candidates, suggestions are difflib's own; above, rapidfuzz picks the few that difflib ranks.
EXACT_POOL = 2000
#: How many of rapidfuzz's best candidates difflib ranks, in a large pool.
SHORTLIST = 20


def closest(word: str, candidates: Iterable[str], limit: int = 1) -> list[str]:
    """The candidates that look most like ``word`` (typo suggestions), best first.

    The measure is difflib's ratio (at least 0.6), else the same id in another case. In a large pool
    (over :data:`EXACT_POOL`), rapidfuzz's Indel ratio, which is never below difflib's, first picks the
    :data:`SHORTLIST` best candidates in C; difflib then ranks those. 20,000 ids of 40 characters take
    milliseconds per word instead of half a second.

    Examples
    --------
    >>> closest("Kitchn", ["Floor", "Kitchen", "Diners"])
    ['Kitchen']
    >>> closest("FLOOR", ["floor", "kitchen"])
    ['floor']
    """
    import difflib

    pool = candidates if isinstance(candidates, list) else list(candidates)
    folded = word.casefold()
    if len(pool) <= EXACT_POOL:
        found = difflib.get_close_matches(word, pool, n=limit, cutoff=0.6)
        return found or [c for c in pool if c.casefold() == folded][:limit]
    from rapidfuzz import fuzz, process, utils

    wanted = max(SHORTLIST, limit)
    best = process.extract(word, pool, scorer=fuzz.ratio, limit=wanted, score_cutoff=59)
    found = difflib.get_close_matches(word, [pool[index] for _, _, index in best], n=limit, cutoff=0.6)
    if not found:  # the same id in another case: rapidfuzz's processor folds case (and drops punctuation)
        same = process.extract(word, pool, scorer=fuzz.ratio, processor=utils.default_process, limit=wanted,
                               score_cutoff=100)  # fmt: skip
        found = [pool[index] for _, _, index in same if pool[index].casefold() == folded][:limit]
    return found
