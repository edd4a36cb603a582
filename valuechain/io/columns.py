"""Which column holds which field: header synonyms, matched ignoring case, spaces and punctuation, and
ignoring a ``team`` or ``party`` word before or after (``From Team``, ``to_party``, ``Team ID``).

Also: columns left unmapped whose content suggests a field (yes/no values, a department-like name)
get a warning that says how to map them.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from valuechain.io.read import RawTable
from valuechain.problems import Code, Problem, closest, listing

#: Accepted headers per field; the first is canonical (docs/FORMATS.md, "Headers").
HANDOFF_FIELDS: dict[str, tuple[str, ...]] = {
    "source": ("source", "from", "supplier", "provider", "sender", "giver"),
    "target": ("target", "to", "receiver", "consumer", "recipient"),
    "deliverable": ("deliverable", "output", "work product", "item"),
    "essential": ("essential", "critical", "required"),
}
PARTY_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "party", "party id", "team id"),
    "name": ("name", "label", "display name"),
    "kind": ("kind", "type", "party type"),
    "group": ("group", "department", "division", "unit"),
    "primary": ("primary",),
    "headcount": ("headcount",),
    "cost": ("cost",),
}
REQUIRED = {"handoffs": ("source", "target"), "parties": ("id",)}

#: Words a header may carry before or after a field's name: ``From Team`` is ``from``, ``Party-Name`` is ``name``.
TABLE_WORDS = ("team", "party")
#: Header words that suggest a department (a ``group`` column under another name).
DEPARTMENT_WORDS = frozenset(
    {"dept", "depts", "department", "departments", "division", "divisions", "div", "unit", "units", "bu"}
    | {"function", "functions", "area", "areas", "section", "branch", "org", "organisation", "organization"}
)
_TRUE_FALSE = frozenset({"yes", "no", "true", "false", "y", "n", "1", "0"})
#: How many unmapped-column warnings name their column; more are counted in one last warning.
NAMED_HINTS = 5


def header_key(header: object) -> str:
    """A header reduced for matching: letters and digits only, case folded (compatibility forms unified).

    Examples
    --------
    >>> header_key(" Work-Product "), header_key("TEAM_ID"), header_key("Needed?")
    ('workproduct', 'teamid', 'needed')
    """
    text = unicodedata.normalize("NFKC", str(header)).casefold()
    return re.sub(r"[\W_]+", "", text)


def header_keys(header: object) -> tuple[str, ...]:
    """The keys a header can match: its own key, then the key without a leading or trailing ``team``/``party``
    word (or both). A header that is only such a word keeps only its own key.

    Examples
    --------
    >>> header_keys("From Team")
    ('fromteam', 'from')
    >>> header_keys("Team-ID")
    ('teamid', 'id')
    >>> header_keys("party")
    ('party',)
    """
    own = header_key(header)
    lead = _drop_word(own, leading=True)
    trail = _drop_word(own, leading=False)
    both = _drop_word(lead, leading=False) if lead else None
    keys = [own, lead, trail, both]
    return tuple(dict.fromkeys(k for k in keys if k))


def _drop_word(key: str, leading: bool) -> str | None:
    """``key`` without a leading (or trailing) ``team``/``party`` word; None if it has none or is only that."""
    for word in TABLE_WORDS:
        if len(key) > len(word) and (key.startswith(word) if leading else key.endswith(word)):
            return key[len(word) :] if leading else key[: -len(word)]
    return None


def match_columns(
    raw: RawTable,
    fields: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    chosen: dict[str, str] | None = None,
) -> tuple[dict[str, str], list[Problem]]:
    """Map each field to the header that holds it.

    Headers match ignoring case, spaces and punctuation, and ignoring a
    ``team`` or ``party`` word before or after. A header written as the
    field's own name (``Source``, ``source_``) wins over a synonym or a header
    that matches only after dropping such a word (that column is then kept as
    an ordinary attribute); two of those for one field is an error naming both.
    ``chosen`` (from :func:`resolve_mapping`) maps fields to headers first: the
    other columns that would match those fields stay ordinary attributes.

    Returns
    -------
    mapping : dict
        Field name to the header as written in the file.
    problems : list of Problem
        Missing required columns and ambiguous synonyms.

    Examples
    --------
    >>> import pandas as pd
    >>> from valuechain.io.read import read_table
    >>> raw = read_table(pd.DataFrame({"From Team": ["a"], "to_party": ["b"], "Work Product": ["x"]}), "handoffs")
    >>> match_columns(raw, HANDOFF_FIELDS, ("source", "target"))[0]
    {'source': 'From Team', 'target': 'to_party', 'deliverable': 'Work Product'}
    """
    mapping: dict[str, str] = {name: header for name, header in (chosen or {}).items() if name in fields}
    taken = set(mapping.values())
    keys = {header: header_keys(header) for header in raw.frame.columns if header not in taken}
    problems: list[Problem] = []
    ambiguous_fields: set[str] = set()

    def ambiguous(name: str, headers: list[str], hint: str) -> None:
        listed = " and ".join(f"'{h}'" for h in headers[:2])
        message = f"columns {listed} both look like the '{name}' column"
        problems.append(Problem.error(raw.label, message, hint, row=1, column=headers[1], code=Code.AMBIGUOUS_COLUMN))
        ambiguous_fields.add(name)

    for name, synonyms in fields.items():
        if name in mapping:
            continue
        canonical_key = header_key(synonyms[0])
        canonical = [h for h, k in keys.items() if k[:1] == (canonical_key,)]
        if len(canonical) > 1:
            ambiguous(name, canonical, f"rename or remove one of them, or say which holds it: {how_to_map(name)}")
        if canonical:
            mapping[name] = canonical[0]
            continue
        accepted = {header_key(s) for s in synonyms}
        found = [h for h, k in keys.items() if any(x in accepted for x in k)]
        if len(found) == 1:
            mapping[name] = found[0]
        elif len(found) > 1:
            ambiguous(name, found, f"say which holds it: {how_to_map(name)}; or rename the one you mean '{name}'")
    for name in required:
        if name not in mapping and name not in ambiguous_fields:
            wanted = {header_key(s) for s in fields[name]}
            lent = [(f, h) for f, h in (chosen or {}).items() if f in fields and header_key(h) in wanted]
            if lent:  # the user's mapping gave this field's own column to another field
                other, header = lent[0]
                message = f"no '{name}' column: the column '{header}' is mapped to '{other}'"
                hint = f"map another column as '{name}': {how_to_map(name)}"
                problems.append(Problem.error(raw.label, message, hint, row=1, column=header, code=Code.MISSING_COLUMN))
                continue
            message = f"no '{name}' column (the headers are {listing(list(raw.frame.columns))})"
            hint = missing_column_hint(name, fields[name])
            problems.append(Problem.error(raw.label, message, hint, row=1, code=Code.MISSING_COLUMN))
    return mapping, problems


def how_to_map(field: str, header: str = "HEADER") -> str:
    """How each front end says which column holds ``field``.

    Examples
    --------
    >>> how_to_map("essential", "Needed?")
    "--column essential='Needed?' on the command line, columns={'essential': 'Needed?'} in Python, \
or Columns in the dashboard's sidebar"
    """
    python = repr(header) if header != "HEADER" else "..."
    return (
        f"--column {field}={shlex.quote(header)} on the command line, columns={{{field!r}: {python}}} in Python, "
        "or Columns in the dashboard's sidebar"
    )


def missing_column_hint(field: str, synonyms: tuple[str, ...]) -> str:
    """The hint of a missing required column: map it, or name it as one of the accepted headers.

    Examples
    --------
    >>> missing_column_hint("id", ("id", "party"))
    "say which column holds it: --column id=HEADER on the command line, columns={'id': ...} in Python, \
or Columns in the dashboard's sidebar; accepted headers: id, party (a 'team' or 'party' word before or after is fine)"
    """
    return (
        f"say which column holds it: {how_to_map(field)}; accepted headers: {', '.join(synonyms)} "
        "(a 'team' or 'party' word before or after is fine)"
    )


# --- unmapped columns that mean something ------------------------------------------------------------


def yes_no_columns(frame: pd.DataFrame, headers: list[str]) -> list[str]:
    """The columns among ``headers`` whose cells are all yes/no, true/false, y/n or 1/0 (any case, blanks
    allowed), with a word among them or both 1 and 0.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": ["Yes", "", "n"], "b": ["1", "0", "2"], "c": ["", "", ""], "d": ["1", "1", "1"]})
    >>> yes_no_columns(frame, ["a", "b", "c", "d"])
    ['a']
    """
    if not headers or len(frame) == 0:
        return []
    sample = headers
    if len(frame) > 200:  # look at the first rows of every column, then at the whole of the columns that pass
        sample = [h for h, ok in zip(headers, _all_yes_no(frame.iloc[:200], headers)[0]) if ok]
    if not sample:
        return []
    passes, any_set = _all_yes_no(frame, sample)
    return [h for h, ok, some in zip(sample, passes, any_set) if ok and some]


def _all_yes_no(frame: pd.DataFrame, headers: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per column: every cell is blank or yes/no; and it reads as yes/no, not as a number: a word (yes, n,
    true...) or both 1 and 0 (a column of 1s alone is a count as likely as a flag). One pass over the
    distinct cells."""
    cells = frame[headers].to_numpy(dtype=object).ravel(order="F")
    codes, distinct = pd.factorize(cells)
    text = [str(v).strip().casefold() for v in distinct]

    def flags(test: Callable[[str], bool]) -> np.ndarray:
        return np.array([test(t) for t in text] + [False], dtype=bool)[codes]

    codes = codes.reshape(len(headers), len(frame))
    blank, yes_no = flags(lambda t: t == ""), flags(lambda t: t in _TRUE_FALSE)
    words = flags(lambda t: t in _TRUE_FALSE and t not in ("1", "0")).any(axis=1)
    both_digits = flags(lambda t: t == "1").any(axis=1) & flags(lambda t: t == "0").any(axis=1)
    return np.asarray((blank | yes_no).all(axis=1)), np.asarray(words | both_digits)


def suggests_department(header: str) -> bool:
    """Whether a header's words suggest a department (``Dept``, ``Business unit``, ``Function``).

    Examples
    --------
    >>> [suggests_department(h) for h in ("Dept", "Business unit", "DepartmentName", "Area code", "Notes")]
    [True, True, True, True, False]
    """
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(header))  # DepartmentName -> Department Name
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", spaced).casefold())
    return any(w in DEPARTMENT_WORDS for w in words)


def unmapped_hints(raw: RawTable, mapping: dict[str, str], table: str) -> list[Problem]:
    """Warnings for columns left unmapped whose content suggests a field the mapping lacks.

    In the hand-offs, a yes/no column when ``essential`` is not mapped (every hand-off then counts as
    essential); in the parties, a department-like header when ``group`` is not mapped and a yes/no column
    when ``primary`` is not. Each warning names the column and says how to map it in every front end.

    Examples
    --------
    >>> from valuechain.io.read import read_table
    >>> raw = read_table(pd.DataFrame({"from": ["a"], "to": ["b"], "Needed?": ["no"]}), "handoffs")
    >>> [w] = unmapped_hints(raw, {"source": "from", "target": "to"}, "handoffs")
    >>> w.column, w.message.split(": ")[1]
    ('Needed?', 'every hand-off counts as essential')
    """
    used = set(mapping.values())
    unused = [h for h in raw.frame.columns if h not in used]
    hints: list[tuple[str, str, str]] = []  # (header, field, what happens without it)
    if table == "handoffs" and "essential" not in mapping:
        hints += [(h, "essential", "every hand-off counts as essential") for h in yes_no_columns(raw.frame, unused)]
    if table == "parties":
        if "group" not in mapping:
            for header in unused:
                if suggests_department(header) and (raw.frame[header].str.strip() != "").any():
                    hints.append((header, "group", "roll-ups by department have nothing to go by"))
        if "primary" not in mapping:
            hints += [(h, "primary", "no customer is marked primary") for h in yes_no_columns(raw.frame, unused)]
    problems = []
    for header, field, effect in hints[:NAMED_HINTS]:
        kind = "holds only yes/no values" if field != "group" else "looks like a department"
        message = f"the column '{header}' {kind}, but no column is read as '{field}': {effect}"
        hint = f"to use it as '{field}', map it: {how_to_map(field, header)}"
        problems.append(Problem.warning(raw.label, message, hint, row=1, column=header, code=Code.UNMAPPED_COLUMN))
    if len(hints) > NAMED_HINTS:
        rest = [h for h, _, _ in hints[NAMED_HINTS:]]
        message = f"{len(rest):,} more columns could be mapped as the ones above: {listing(rest, 5)}"
        hint = "map the one you mean as shown above"
        problems.append(Problem.warning(raw.label, message, hint, row=1, code=Code.UNMAPPED_COLUMN))
    return problems


# --- the user's mapping -----------------------------------------------------------------------------------


def resolve_mapping(raw: RawTable, columns: dict[str, str]) -> dict[str, str]:
    """The headers the user chose for each field (``{"essential": "Needed?"}``), as written in the table.

    A chosen header matches as written, else the one header equal to it ignoring case, spaces and
    punctuation (``--column source="from team"`` finds ``From Team``).

    Raises
    ------
    InputError
        A chosen header is not in the table; the error names the headers it has.

    Examples
    --------
    >>> from valuechain.io.read import read_table
    >>> raw = read_table(pd.DataFrame({"Source": ["x"], "From Team": ["a"], "to": ["b"]}), "handoffs")
    >>> resolve_mapping(raw, {"source": "from team"})
    {'source': 'From Team'}
    """
    from valuechain.problems import InputError

    headers = list(raw.frame.columns)
    by_key: dict[str, list[str]] = {}
    for header in headers:
        by_key.setdefault(header_key(header), []).append(header)
    resolved, problems = {}, []
    for name, header in columns.items():
        loose = by_key.get(header_key(header), [])
        if header in raw.frame.columns or len(loose) == 1:
            resolved[name] = header if header in raw.frame.columns else loose[0]
            continue
        message = f"no column '{header}' to use as '{name}' (the headers are {listing(headers)})"
        guess = loose[:1] or closest(str(header), [str(h) for h in headers])
        hint = f"did you mean '{guess[0]}'?" if guess else "write the header as the file has it"
        problems.append(Problem.error(raw.label, message, hint, row=1, code=Code.MISSING_COLUMN))
    if problems:
        raise InputError(problems)
    return resolved
