"""Problems found in the user's input: errors that stop a load, warnings that do not.

Every problem names where it is (file, spreadsheet row, column) and says how to
fix it, so that one run can report everything wrong with a file at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Literal

from valuechain.exceptions import InputError

__all__ = ["Code", "InputError", "Problem", "closest", "closest_each", "listing"]

Severity = Literal["error", "warning"]


class Code(StrEnum):
    """What kind of problem a :class:`Problem` is, for front ends to act on (never on the message's text).

    The value is what JSON holds (``"no_customer"``); the message says the same to a person.

    Attributes
    ----------
    NO_CUSTOMER
        No external customer is found in the parties, and none is named: a front end offers to choose one.
    BAD_CUSTOMER
        A customer (or primary customer) is named that is no party, an outside party, or not a customer; a
        team of an event log has the customer's id.
    MISSING_COLUMN
        A column the table needs is not there, or a column named to use (``--column``) is not in the file.
    AMBIGUOUS_COLUMN
        Two columns look like the same field: the user says which one holds it.
    UNMAPPED_COLUMN
        A column looks like a field that no column is read as (a yes/no column, a department): it could be mapped.
    NO_HEADER
        A column with values has no header (its values are kept under a made-up one).
    UNKNOWN_PARTY
        A hand-off or an edge names a party the parties table (or the graph) does not have.
    DUPLICATE
        Something is given twice: a party id, a header, a node id, a repeated hand-off row.
    EMPTY_CELL
        A cell that must hold a value is empty (an id, an event's case, team, activity or time).
    BAD_VALUE
        A cell cannot be read as its type (a yes/no, a number, a kind, a time), or holds an Excel error or a
        formula whose result was never saved.
    TIME_FORMAT
        Times cannot be read one way without a time format (dates written day-first and month-first, or
        either way), or the time format given cannot be used or does not fit the times: a front end offers
        the time format option.
    EXCEL_FORMAT
        Excel shows a cell otherwise than it is read (a date, a padded number, a number past 15 digits).
    SELF_HANDOFF
        A party hands off to itself (the row is kept, and takes part in no finding).
    EMPTY
        There is nothing to read: an empty file or header row, a table or log with no rows, no hand-offs.
    BAD_ROW
        A row that cannot be a row of the table: more cells than the header, a repeat of the header row.
    SHEET_CHOICE
        Which sheet of a workbook holds the table: none, only hidden ones, only the other table's, or a guess.
    ENCODING
        The file is not UTF-8: its encoding was guessed, so accented names may read wrong.
    UNREADABLE_FILE
        The file cannot be read as a table at all: not found, not a regular file, binary, a wrong format, a
        broken workbook or CSV quoting, a zip bomb.
    TOO_LARGE
        The input is larger than is read: more memory than there is, a sheet too wide or with too many cells,
        a workbook that unpacks to too much.
    SUSPICIOUS_TEXT
        Text that does not read as it shows: an id holding characters that do not show or only look like
        spaces (ids must match character for character), or values a spreadsheet would take for formulas.
    BAD_GRAPH
        A graph file (GraphML, GEXF, node-link JSON) is not one valuechain reads as it is written.
    BAD_LOG
        An event log cannot give hand-offs as it is: a broken XES file, a person the team map lacks.
    BAD_MODEL
        A process model (BPMN) cannot be read as it is written: not well-formed or not BPMN 2.0 XML, a DTD or
        entities, no process and no collaboration; or, as a warning, what the reading skipped or had to guess
        (flows naming missing nodes, a node in no lane).
    BAD_OPTION
        An option or argument of the call is wrong: an unknown field to map, a time format, an outcome no
        event has, a roll-up column, input given as bytes.
    BAD_SCENARIO
        A what-if scenario cannot be applied: a party or hand-off it names is not in the org, or it removes
        every customer.
    BAD_DECISION
        A row of a decisions file cannot be a decision: an unknown finding or decision, an id that names no
        finding's members (a loop or a pair needs two or more).
    OTHER
        Anything not said above: the default of a problem made without a code. The library never uses it.

    Examples
    --------
    >>> Code.NO_CUSTOMER == "no_customer", Code("bad_value").name
    (True, 'BAD_VALUE')
    """

    NO_CUSTOMER = "no_customer"
    BAD_CUSTOMER = "bad_customer"
    MISSING_COLUMN = "missing_column"
    AMBIGUOUS_COLUMN = "ambiguous_column"
    UNMAPPED_COLUMN = "unmapped_column"
    NO_HEADER = "no_header"
    UNKNOWN_PARTY = "unknown_party"
    DUPLICATE = "duplicate"
    EMPTY_CELL = "empty_cell"
    BAD_VALUE = "bad_value"
    TIME_FORMAT = "time_format"
    EXCEL_FORMAT = "excel_format"
    SELF_HANDOFF = "self_handoff"
    EMPTY = "empty"
    BAD_ROW = "bad_row"
    SHEET_CHOICE = "sheet_choice"
    ENCODING = "encoding"
    UNREADABLE_FILE = "unreadable_file"
    TOO_LARGE = "too_large"
    SUSPICIOUS_TEXT = "suspicious_text"
    BAD_GRAPH = "bad_graph"
    BAD_LOG = "bad_log"
    BAD_MODEL = "bad_model"
    BAD_OPTION = "bad_option"
    BAD_SCENARIO = "bad_scenario"
    BAD_DECISION = "bad_decision"
    OTHER = "other"


#: How a cell starts that a spreadsheet reads as a formula ("CSV injection"); see :mod:`valuechain.report.safe`.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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
    code : Code or str
        What kind of problem it is (:class:`Code`), for front ends to act on; a string is taken as the
        code of that value. Problems made without one have :attr:`Code.OTHER`.

    Examples
    --------
    >>> p = Problem("error", "handoffs.csv", 3, "target", "unknown party 'Kitchn'",
    ...             "did you mean 'Kitchen'?", code=Code.UNKNOWN_PARTY)
    >>> str(p)
    "handoffs.csv, row 3, column 'target': unknown party 'Kitchn'; did you mean 'Kitchen'?"
    >>> p.code, p.to_dict()["code"]
    (<Code.UNKNOWN_PARTY: 'unknown_party'>, 'unknown_party')
    """

    severity: Severity
    file: str
    row: int | None
    column: str | None
    message: str
    hint: str = ""
    code: Code = Code.OTHER

    @classmethod
    def error(
        cls,
        file: str,
        message: str,
        hint: str = "",
        row: int | None = None,
        column: str | None = None,
        *,
        code: Code | str = Code.OTHER,
    ) -> Problem:
        """An error at ``file`` (and ``row``/``column`` when given), of the kind ``code``.

        Examples
        --------
        >>> Problem.error("h.csv", "the file is empty", code=Code.EMPTY).code
        <Code.EMPTY: 'empty'>
        """
        return cls("error", file, row, column, message, hint, Code(code))

    @classmethod
    def warning(
        cls,
        file: str,
        message: str,
        hint: str = "",
        row: int | None = None,
        column: str | None = None,
        *,
        code: Code | str = Code.OTHER,
    ) -> Problem:
        """A warning at ``file`` (and ``row``/``column`` when given), of the kind ``code``.

        Examples
        --------
        >>> str(Problem.warning("h.csv", "this column has no header", row=1, code="no_header"))
        'h.csv, row 1: this column has no header'
        """
        return cls("warning", file, row, column, message, hint, Code(code))

    def __post_init__(self) -> None:
        if not isinstance(self.code, Code):  # a code given as its value ("no_customer"); an unknown one fails
            object.__setattr__(self, "code", Code(self.code))
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

    def to_dict(self) -> dict[str, Any]:
        """The problem as a plain dict (for tables and JSON): its fields in order, the code as its value.

        Examples
        --------
        >>> Problem.error("h.csv", "the file is empty", code=Code.EMPTY).to_dict()
        {'severity': 'error', 'file': 'h.csv', 'row': None, 'column': None, 'message': 'the file is empty', \
'hint': '', 'code': 'empty'}
        """
        fields = asdict(self)
        fields["code"] = self.code.value
        return fields


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
