"""Turn raw string tables into validated hand-offs and parties, collecting every problem.

The rules are DESIGN.md's "Input" section: ids are trimmed, NFC-normalised
strings; ``essential`` reads yes/no, true/false, y/n, 1/0 (blank is yes); kinds
are matched ignoring case, spaces and hyphens. One pass reports all problems of
a table together; nothing is dropped.
"""

from __future__ import annotations

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
    """Kinds in canonical spelling: lower case, runs of spaces or hyphens as ``_``."""
    return values.astype(str).str.strip().str.lower().str.replace(r"[\s\-_]+", "_", regex=True)


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
    out["deliverable"] = frame[mapping["deliverable"]].str.strip() if "deliverable" in mapping else ""
    if "essential" in mapping:
        flags, unreadable = parse_bool(frame[mapping["essential"]], blank=True)
        out["essential"] = flags
        for row, value in frame.loc[unreadable, mapping["essential"]].items():
            problems.append(
                Problem("error", label, int(row), mapping["essential"], f"'{value}' is not a yes/no value", _BOOL_HINT)
            )
    else:
        out["essential"] = True
    _add_extras(out, frame, mapping)

    ok = (out["source"] != "") & (out["target"] != "")
    own = ok & (out["source"] == out["target"])
    for row, party in out.loc[own, "source"].items():
        problems.append(
            Problem(
                "warning",
                label,
                int(row),
                None,
                f"'{party}' hands off to itself",
                "a self hand-off takes part in no finding",
            )
        )
    repeated = ok & out.duplicated(["source", "target", "deliverable"], keep=False)
    if repeated.any():
        first = out[repeated].groupby(["source", "target", "deliverable"], sort=False).head(1)
        first_row = {
            key: row
            for row, key in zip(
                first.index, first[["source", "target", "deliverable"]].itertuples(index=False, name=None)
            )
        }
        later = repeated & out.duplicated(["source", "target", "deliverable"], keep="first")
        for row, key in zip(
            out.index[later], out.loc[later, ["source", "target", "deliverable"]].itertuples(index=False, name=None)
        ):
            what = f" '{key[2]}'" if key[2] else ""
            problems.append(
                Problem(
                    "warning",
                    label,
                    int(row),
                    None,
                    f"the hand-off{what} from '{key[0]}' to '{key[1]}' repeats row {first_row[key]}",
                    "both rows are kept; remove one if it is a copy",
                )
            )
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
    dup = (out["id"] != "") & out["id"].duplicated(keep=False)
    if dup.any():
        first_row = out[dup].groupby("id", sort=False).head(1)
        first_row = dict(zip(first_row["id"], first_row.index))
        later = dup & out["id"].duplicated(keep="first")
        for row, party in out.loc[later, "id"].items():
            problems.append(
                Problem(
                    "error",
                    label,
                    int(row),
                    mapping["id"],
                    f"the id '{party}' is already used in row {first_row[party]}",
                    "give each party its own id, or merge the two rows",
                )
            )
    name = frame[mapping["name"]].str.strip() if "name" in mapping else pd.Series("", index=frame.index)
    out["name"] = name.where(name != "", out["id"])
    if "kind" in mapping:
        kind = normalise_kind(frame[mapping["kind"]])
        kind = kind.where(kind != "", "team")
        for row, value in frame.loc[~kind.isin(KINDS), mapping["kind"]].items():
            guess = closest(str(normalise_kind(pd.Series([value])).iloc[0]), KINDS)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            problems.append(
                Problem(
                    "error",
                    label,
                    int(row),
                    mapping["kind"],
                    f"unknown kind '{value}'",
                    hint + "kinds are " + ", ".join(KINDS),
                )
            )
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
        for row, value in frame.loc[unreadable, mapping["primary"]].items():
            problems.append(
                Problem("error", label, int(row), mapping["primary"], f"'{value}' is not a yes/no value", _BOOL_HINT)
            )
    else:
        out["primary"] = False
    for name in ("headcount", "cost"):
        if name in mapping:
            text = frame[mapping[name]].str.strip()
            numbers = pd.to_numeric(text.str.replace(r"[,_\s]", "", regex=True), errors="coerce")
            for row, value in frame.loc[numbers.isna() & (text != ""), mapping[name]].items():
                problems.append(
                    Problem(
                        "error",
                        label,
                        int(row),
                        mapping[name],
                        f"'{value}' is not a number",
                        "write a plain number such as 12 or 1250000",
                    )
                )
            out[name] = numbers.astype(float)
    _add_extras(out, frame, mapping)
    problems.sort(key=lambda p: (p.row or 0, p.severity))
    return out, raw.problems + problems


def check_references(
    handoffs: pd.DataFrame,
    parties: pd.DataFrame,
    handoffs_label: str,
    parties_label: str,
    columns: dict[str, str] | None = None,
) -> list[Problem]:
    """Errors for hand-offs naming a party the parties table lacks, with the closest id."""
    known = pd.Index(parties["id"])
    problems: list[Problem] = []
    suggestions: dict[str, list[str]] = {}
    ids = parties["id"].tolist()
    for name in ("source", "target"):
        values = handoffs[name]
        missing = (values != "") & ~values.isin(known)
        for row, party in values[missing].items():
            if party not in suggestions and len(suggestions) < SUGGESTIONS:
                suggestions[party] = closest(party, _near(party, ids))
            guess = suggestions.get(party)
            hint = f"did you mean '{guess[0]}'?" if guess else f"add '{party}' to {parties_label}"
            column = (columns or {}).get(name, name)
            problems.append(
                Problem("error", handoffs_label, int(row), column, f"'{party}' is not in the parties table", hint)
            )
    problems.sort(key=lambda p: p.row or 0)
    return problems


def _near(word: str, ids: list[str]) -> list[str]:
    """Narrow a large id list to plausible typo candidates before a fuzzy search."""
    if len(ids) <= 20000:
        return ids
    head = word[:1].casefold()
    return [i for i in ids if i[:1].casefold() == head and abs(len(i) - len(word)) <= 3][:20000]


def _empty_cells(values: pd.Series, label: str, column: str, message: str, hint: str) -> list[Problem]:
    return [Problem("error", label, int(row), column, message, hint) for row in values.index[values == ""]]


def _add_extras(out: pd.DataFrame, frame: pd.DataFrame, mapping: dict[str, str]) -> None:
    """Keep every column that is not a known field, under its own header, as written."""
    used = set(mapping.values())
    for header in frame.columns:
        if header not in used:
            name = header if header not in out.columns else f"{header} (column)"
            out[name] = frame[header].to_numpy()
