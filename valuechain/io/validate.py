"""Turn raw string tables into validated hand-offs and parties, collecting every problem.

The rules are DESIGN.md's "Input" section: ids are trimmed, NFC-normalised
strings; ``essential`` reads yes/no, true/false, y/n, 1/0 (blank is yes); kinds
are matched ignoring case, spaces and hyphens. One pass reports all problems of
a table together; nothing is dropped.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from valuechain.io.columns import HANDOFF_FIELDS, PARTY_FIELDS, REQUIRED, match_columns
from valuechain.io.read import RawTable
from valuechain.problems import Problem, closest

#: Every kind of party, ``team`` first (the default).
KINDS = (
    "team",
    "external_customer",
    "supplier",
    "vendor_partner",
    "regulator",
    "government_agency",
    "community",
)
#: Parties outside the organisation that are never customers.
OUTSIDE_KINDS = frozenset(KINDS[2:])

_TRUE = {"yes", "true", "y", "1"}
_FALSE = {"no", "false", "n", "0"}
_NOT_BOOL = "'{}' is not a yes/no value"
_BOOL_HINT = "write yes or no (also true/false, y/n, 1/0)"
#: How many distinct unknown ids get a "did you mean" suggestion (each costs a fuzzy search).
SUGGESTIONS = 50


def clean_ids(values: pd.Series) -> pd.Series:
    """Ids as DESIGN.md compares them: strings, trimmed, Unicode NFC.

    Examples
    --------
    >>> clean_ids(pd.Series([" 007 ", "Cafe\\u0301"])).tolist() == ["007", "Caf\\u00e9"]
    True
    """
    values = values.astype(str).str.strip()
    odd = ~values.str.isascii()
    if odd.any():
        values = values.copy()
        values[odd] = values[odd].str.normalize("NFC")
    return values


def parse_bool(values: pd.Series, blank: bool) -> tuple[pd.Series, pd.Series]:
    """Read yes/no cells; returns (flags, unreadable) boolean Series.

    Examples
    --------
    >>> flags, bad = parse_bool(pd.Series(["Yes", "", "0", "maybe"]), blank=True)
    >>> flags.tolist(), bad.tolist()
    ([True, True, False, True], [False, False, False, True])
    """
    text = values.astype(str).str.strip().str.lower()
    flags = pd.Series(blank, index=values.index, dtype=bool)
    flags[text.isin(_TRUE)] = True
    flags[text.isin(_FALSE)] = False
    unreadable = ~(text.isin(_TRUE) | text.isin(_FALSE) | (text == ""))
    return flags, unreadable


def normalise_kind(values: pd.Series) -> pd.Series:
    """Kinds in canonical spelling: lower case, runs of spaces or hyphens as ``_``.

    Examples
    --------
    >>> normalise_kind(pd.Series([" External - Customer", "team"])).tolist()
    ['external_customer', 'team']
    """
    codes, distinct = pd.factorize(values.astype(str))  # few distinct kinds: clean each once
    clean = [re.sub(r"[\s\-_]+", "_", str(k).strip().lower()) for k in distinct]
    return pd.Series(np.asarray([*clean, ""], dtype=object)[codes], index=values.index, dtype=str)


def parse_handoffs(raw: RawTable) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a raw hand-offs table.

    Returns
    -------
    handoffs : pandas.DataFrame
        Columns ``source``, ``target``, ``deliverable``, ``essential`` (bool),
        then every other column as written; the index is the spreadsheet row.
    problems : list of Problem
        Errors and warnings, in row order.

    Examples
    --------
    >>> from valuechain.io.read import read_table
    >>> raw = read_table(pd.DataFrame({"from": ["a", "a"], "to": ["b", "a"]}), "handoffs")
    >>> table, problems = parse_handoffs(raw)
    >>> table[["source", "target", "essential"]].to_dict("list")
    {'source': ['a', 'a'], 'target': ['b', 'a'], 'essential': [True, True]}
    >>> print(problems[0])
    handoffs table, row 3: 'a' hands off to itself; a self hand-off takes part in no finding
    """
    frame, label = raw.frame, raw.label
    mapping, problems = match_columns(raw, HANDOFF_FIELDS, REQUIRED["handoffs"])
    if any(p.severity == "error" for p in problems):
        return pd.DataFrame(), problems + raw.problems
    out = pd.DataFrame(index=frame.index)
    for name in ("source", "target"):
        out[name] = clean_ids(frame[mapping[name]])
        problems += _empty_cells(
            out[name],
            label,
            mapping[name],
            f"the {name} id is empty",
            "write the id of the party, as in the parties table",
        )
        problems += _invisible(out[name], label, mapping[name])
    if len(frame) == 0:
        problems.append(Problem.warning(label, "the table has no hand-offs, only its header", "add rows", row=1))
    out["deliverable"] = frame[mapping["deliverable"]].str.strip() if "deliverable" in mapping else ""
    if "essential" in mapping:
        flags, unreadable = parse_bool(frame[mapping["essential"]], blank=True)
        out["essential"] = flags
        problems += _cell_errors(
            frame, unreadable, mapping["essential"], label, "'{}' is not a yes/no value", _BOOL_HINT
        )
    else:
        out["essential"] = True
    _add_extras(out, frame, mapping)

    own = (out["source"] != "") & (out["source"] == out["target"])
    hint = "a self hand-off takes part in no finding"
    for row, party in out.loc[own, "source"].items():
        problems.append(Problem.warning(label, f"'{party}' hands off to itself", hint, row=int(row)))
    problems.sort(key=lambda p: (p.row or 0, p.severity))
    return out, raw.problems + problems


def parse_parties(raw: RawTable) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a raw parties table.

    Returns
    -------
    parties : pandas.DataFrame
        Columns ``id``, ``name``, ``kind``, ``group``, ``primary`` (bool), then
        ``headcount`` and ``cost`` (numbers) when given, then every other column
        as written; the index is the spreadsheet row.
    problems : list of Problem

    Examples
    --------
    >>> from valuechain.io.read import read_table
    >>> raw = read_table(pd.DataFrame({"ID": ["k", "d"], "Type": ["", "External Customer"]}), "parties")
    >>> parse_parties(raw)[0][["id", "name", "kind"]].to_dict("list")
    {'id': ['k', 'd'], 'name': ['k', 'd'], 'kind': ['team', 'external_customer']}
    """
    frame, label = raw.frame, raw.label
    mapping, problems = match_columns(raw, PARTY_FIELDS, REQUIRED["parties"])
    if any(p.severity == "error" for p in problems):
        return pd.DataFrame(), problems + raw.problems
    out = pd.DataFrame(index=frame.index)
    out["id"] = clean_ids(frame[mapping["id"]])
    problems += _empty_cells(out["id"], label, mapping["id"], "the party id is empty", "give every party a unique id")
    problems += _invisible(out["id"], label, mapping["id"])
    dup = (out["id"] != "") & out["id"].duplicated(keep=False)
    if dup.any():
        first_row = out[dup].groupby("id", sort=False).head(1)
        first_row = dict(zip(first_row["id"], first_row.index))
        later = dup & out["id"].duplicated(keep="first")
        for row, party in out.loc[later, "id"].items():
            message = f"the id '{party}' is already used in row {first_row[party]}"
            hint = "give each party its own id, or merge the two rows"
            problems.append(Problem.error(label, message, hint, row=int(row), column=mapping["id"]))
    name = frame[mapping["name"]].str.strip() if "name" in mapping else pd.Series("", index=frame.index)
    out["name"] = name.where(name != "", out["id"])
    if "kind" in mapping:
        kind = normalise_kind(frame[mapping["kind"]])
        kind = kind.where(kind != "", "team")
        for row, value in frame.loc[~kind.isin(KINDS), mapping["kind"]].items():
            guess = closest(str(normalise_kind(pd.Series([value])).iloc[0]), KINDS)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            message, hint = f"unknown kind '{value}'", hint + "kinds are " + ", ".join(KINDS)
            problems.append(Problem.error(label, message, hint, row=int(row), column=mapping["kind"]))
        out["kind"] = kind
    else:
        out["kind"] = "team"
    if "group" in mapping:
        group = frame[mapping["group"]].str.strip()
        out["group"] = group.astype(object).where(group != "", None)
    else:
        out["group"] = None
    if "primary" in mapping:
        flags, unreadable = parse_bool(frame[mapping["primary"]], blank=False)
        out["primary"] = flags
        problems += _cell_errors(frame, unreadable, mapping["primary"], label, _NOT_BOOL, _BOOL_HINT)
    else:
        out["primary"] = False
    for name in ("headcount", "cost"):
        if name in mapping:
            text = frame[mapping[name]].str.strip()
            numbers = _to_numbers(text)
            odd = numbers.isna() & (text != "")
            if odd.any():  # thousands separators: "1,200", "1 200"
                numbers[odd] = pd.to_numeric(text[odd].str.replace(r"[,_\s]", "", regex=True), errors="coerce")
            bad = numbers.isna() & (text != "")
            hint = "write a plain number such as 12 or 1250000"
            problems += _cell_errors(frame, bad, mapping[name], label, "'{}' is not a number", hint)
            out[name] = numbers.astype(float)
    _add_extras(out, frame, mapping)
    problems.sort(key=lambda p: (p.row or 0, p.severity))
    return out, raw.problems + problems


def _to_numbers(text: pd.Series) -> pd.Series:
    """Numbers from text cells; NaN where empty or unreadable (Arrow's cast first: fast)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from valuechain.io.ids import arrow

    cells = arrow(text)
    try:
        cast = pc.cast(pc.if_else(pc.equal(cells, ""), pa.scalar(None, pa.string()), cells), pa.float64())
        return pd.Series(cast.to_numpy(zero_copy_only=False), index=text.index, dtype=float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(text, errors="coerce").astype(float)


def check_references(
    handoffs: pd.DataFrame,
    source: np.ndarray,
    target: np.ndarray,
    parties: pd.DataFrame,
    labels: tuple[str, str],
    columns: dict[str, str] | None = None,
) -> list[Problem]:
    """Errors for hand-offs naming a party the parties table lacks, with the closest id.

    ``source`` and ``target`` are the parties' positions (-1 where unknown),
    from :func:`valuechain.io.ids.index_of`.
    """
    handoffs_label, parties_label = labels
    problems: list[Problem] = []
    suggestions: dict[str, list[str]] = {}
    ids: list[str] | None = None
    for name, position in (("source", source), ("target", target)):
        values = handoffs[name]
        missing = (position < 0) & (values != "").to_numpy(dtype=bool)
        for row, party in values[missing].items():
            if party not in suggestions and len(suggestions) < SUGGESTIONS:
                ids = parties["id"].tolist() if ids is None else ids
                suggestions[party] = closest(party, _near(party, ids))
            guess = suggestions.get(party)
            hint = f"did you mean '{guess[0]}'?" if guess else f"add '{party}' to {parties_label}"
            column = (columns or {}).get(name, name)
            message = f"'{party}' is not in the parties table"
            problems.append(Problem.error(handoffs_label, message, hint, row=int(row), column=column))
    problems.sort(key=lambda p: p.row or 0)
    return problems


def repeated_handoffs(handoffs: pd.DataFrame, source: np.ndarray, target: np.ndarray, label: str) -> list[Problem]:
    """Warnings for hand-offs that repeat an earlier row's source, target and deliverable.

    ``source`` and ``target`` are party positions (non-negative integers).
    """
    if len(handoffs) == 0:
        return []
    n = int(max(source.max(), target.max())) + 1
    # only rows whose (source, target) pair repeats can repeat a deliverable too
    repeated = np.array(pd.Series(source * n + target).duplicated(keep=False), dtype=bool)
    if not repeated.any():
        return []
    rows = np.flatnonzero(repeated)
    deliverable = pd.factorize(handoffs["deliverable"].iloc[rows])[0]
    keys = pd.DataFrame({"s": source[rows], "t": target[rows], "d": deliverable})
    repeated[rows] = keys.duplicated(keep=False).to_numpy()
    rows = np.flatnonzero(repeated)
    sub = handoffs.iloc[rows][["source", "target", "deliverable"]]
    first_of = {}
    problems = []
    for row, triple in zip(sub.index.tolist(), sub.itertuples(index=False, name=None)):
        if triple not in first_of:
            first_of[triple] = row
            continue
        what = f" '{triple[2]}'" if triple[2] else ""
        message = f"the hand-off{what} from '{triple[0]}' to '{triple[1]}' repeats row {first_of[triple]}"
        problems.append(Problem.warning(label, message, "both rows are kept; remove one if it is a copy", row=row))
    return problems


def _near(word: str, ids: list[str]) -> list[str]:
    """Narrow a large id list to plausible typo candidates before a fuzzy search."""
    if len(ids) <= 20000:
        return ids
    head = word[:1].casefold()
    return [i for i in ids if i[:1].casefold() == head and abs(len(i) - len(word)) <= 3][:20000]


def _empty_cells(values: pd.Series, label: str, column: str, message: str, hint: str) -> list[Problem]:
    return [Problem.error(label, message, hint, row=int(row), column=column) for row in values.index[values == ""]]


#: Characters that do not show: zero-width and direction marks, the byte-order mark, control characters.
INVISIBLE = re.compile("[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _invisible(values: pd.Series, label: str, column: str) -> list[Problem]:
    """An error for each id holding a character that does not show, naming the character (never stripped)."""
    import unicodedata

    found = values.str.contains(INVISIBLE, regex=True)
    problems = []
    for row, value in values[found].items():
        char = INVISIBLE.search(value).group()
        name = unicodedata.name(char, "CONTROL CHARACTER")
        visible = INVISIBLE.sub("", value)
        message = f"the id '{visible}' holds an invisible character (U+{ord(char):04X} {name})"
        problems.append(Problem.error(label, message, "delete it: ids must match character for character",
                                      row=int(row), column=column))  # fmt: skip
    return problems


def _cell_errors(frame: pd.DataFrame, mask: pd.Series, column: str, label: str, message: str, hint: str):
    """One error per cell of ``column`` where ``mask`` holds; ``message`` formats the cell's value."""
    return [
        Problem.error(label, message.format(value), hint, row=int(row), column=column)
        for row, value in frame.loc[mask, column].items()
    ]


def _add_extras(out: pd.DataFrame, frame: pd.DataFrame, mapping: dict[str, str]) -> None:
    """Keep every column that is not a known field, under its own header, as written."""
    used = set(mapping.values())
    for header in frame.columns:
        if header not in used:
            name = header if header not in out.columns else f"{header} (column)"
            out[name] = frame[header].to_numpy()


def named_ids(handoffs: RawTable, parties: RawTable | None = None) -> list[str]:
    """Every party id the tables name, for a person to pick from: the parties' ids, else the
    hand-offs' sources and targets in order of first mention (empty when the columns are not found).

    Examples
    --------
    >>> from valuechain.io.read import read_table
    >>> named_ids(read_table(pd.DataFrame({"from": ["a", "b"], "to": ["b", "c"]}), "handoffs"))
    ['a', 'b', 'c']
    """
    if parties is not None:
        mapping, _ = match_columns(parties, PARTY_FIELDS, ())
        if "id" in mapping:
            ids = clean_ids(parties.frame[mapping["id"]])
            return list(dict.fromkeys(i for i in ids if i))
    mapping, _ = match_columns(handoffs, HANDOFF_FIELDS, ())
    if "source" not in mapping or "target" not in mapping:
        return []
    both = np.column_stack([clean_ids(handoffs.frame[mapping[c]]).to_numpy() for c in ("source", "target")])
    return list(dict.fromkeys(i for i in both.ravel().tolist() if i))
