"""Turn raw string tables into validated hand-offs and parties, collecting every problem.

The rules are docs/FORMATS.md's: ids are trimmed, NFC-normalised
strings; ``essential`` reads yes/no, true/false, y/n, 1/0 (blank is yes); kinds
are matched ignoring case, spaces and hyphens. One pass reports all problems of
a table together; nothing is dropped.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from valuechain.io.columns import HANDOFF_FIELDS, PARTY_FIELDS, REQUIRED, match_columns, unmapped_hints
from valuechain.io.ids import text_from_codes
from valuechain.io.read import RawTable
from valuechain.problems import Code, Problem, closest, closest_each

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


#: A number written with thousands separators (comma, space or underscore) in groups of three digits.
THOUSANDS = r"-?\d{1,3}(?:(?:,\d{3})+|(?: \d{3})+|(?:_\d{3})+)(?:\.\d+)?"
#: What is trimmed from the ends of an id: Unicode's spaces (White_Space), but not the control characters that
#: Python's ``str.strip`` also takes (U+001C-U+001F, U+0085): those are refused as invisible instead.
SPACES = " \t\n\r\x0b\x0c\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"


def clean_ids(values: pd.Series) -> pd.Series:
    """Ids as valuechain compares them: strings, trimmed, Unicode NFC.

    Examples
    --------
    >>> clean_ids(pd.Series([" 007 ", "Cafe\\u0301"])).tolist() == ["007", "Caf\\u00e9"]
    True
    """
    values = values.astype(str).str.strip(SPACES)
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
    values = values.astype(str)
    # a column holds few distinct cells (yes, no, blank): each is read once, then spread by its code
    codes, distinct = pd.factorize(values)
    text = pd.Series(distinct, dtype=values.dtype).str.strip().str.lower()
    is_true, is_false = text.isin(_TRUE).to_numpy(dtype=bool), text.isin(_FALSE).to_numpy(dtype=bool)
    known = is_true | is_false | (text == "").to_numpy(dtype=bool)
    flag_of = np.where(is_true, True, np.where(is_false, False, blank))
    flags = pd.Series(np.append(flag_of, blank)[codes], index=values.index, dtype=bool)
    unreadable = pd.Series(~np.append(known, False)[codes], index=values.index, dtype=bool)
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
    return text_from_codes(np.where(codes < 0, len(clean), codes), [*clean, ""], values.index)


def parse_handoffs(raw: RawTable, chosen: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a raw hand-offs table; ``chosen``: the headers the user chose for some fields.

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
    mapping, problems = match_columns(raw, HANDOFF_FIELDS, REQUIRED["handoffs"], chosen)
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
        problems += invisible_characters(out[name], label, mapping[name])
    if len(frame) == 0:
        message = "the table has no hand-offs, only its header"
        problems.append(Problem.warning(label, message, "add rows", row=1, code=Code.EMPTY))
    out["deliverable"] = frame[mapping["deliverable"]].str.strip() if "deliverable" in mapping else ""
    if "essential" in mapping:
        flags, unreadable = parse_bool(frame[mapping["essential"]], blank=True)
        out["essential"] = flags
        problems += _cell_errors(
            frame, unreadable, mapping["essential"], label, "'{}' is not a yes/no value", _BOOL_HINT
        )
    else:
        out["essential"] = True
    out = _add_extras(out, frame, mapping)
    problems += unmapped_hints(raw, mapping, "handoffs")

    own = (out["source"] != "") & (out["source"] == out["target"])
    hint = "a self hand-off takes part in no finding"
    for row, party in out.loc[own, "source"].items():
        message = f"'{party}' hands off to itself"
        problems.append(Problem.warning(label, message, hint, row=int(row), code=Code.SELF_HANDOFF))
    problems.sort(key=lambda p: (p.row or 0, p.severity))
    return out, raw.problems + problems


def parse_parties(raw: RawTable, chosen: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a raw parties table; ``chosen``: the headers the user chose for some fields.

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
    mapping, problems = match_columns(raw, PARTY_FIELDS, REQUIRED["parties"], chosen)
    if any(p.severity == "error" for p in problems):
        return pd.DataFrame(), problems + raw.problems
    out = pd.DataFrame(index=frame.index)
    out["id"] = clean_ids(frame[mapping["id"]])
    problems += _empty_cells(out["id"], label, mapping["id"], "the party id is empty", "give every party a unique id")
    problems += invisible_characters(out["id"], label, mapping["id"])
    dup = (out["id"] != "") & out["id"].duplicated(keep=False)
    if dup.any():
        first_row = out[dup].groupby("id", sort=False).head(1)
        first_row = dict(zip(first_row["id"], first_row.index))
        later = dup & out["id"].duplicated(keep="first")
        for row, party in out.loc[later, "id"].items():
            message = f"the id '{party}' is already used in row {first_row[party]}"
            hint = "give each party its own id, or merge the two rows"
            problems.append(
                Problem.error(label, message, hint, row=int(row), column=mapping["id"], code=Code.DUPLICATE)
            )
    name = frame[mapping["name"]].str.strip() if "name" in mapping else pd.Series("", index=frame.index)
    out["name"] = name.where(name != "", out["id"])
    if "kind" in mapping:
        kind = normalise_kind(frame[mapping["kind"]])
        kind = kind.where(kind != "", "team")
        for row, value in frame.loc[~kind.isin(KINDS), mapping["kind"]].items():
            guess = closest(str(normalise_kind(pd.Series([value])).iloc[0]), KINDS)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            message, hint = f"unknown kind '{value}'", hint + "kinds are " + ", ".join(KINDS)
            problems.append(
                Problem.error(label, message, hint, row=int(row), column=mapping["kind"], code=Code.BAD_VALUE)
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
        problems += _cell_errors(frame, unreadable, mapping["primary"], label, _NOT_BOOL, _BOOL_HINT)
    else:
        out["primary"] = False
    for name in ("headcount", "cost"):
        if name in mapping:
            text = frame[mapping[name]].str.strip()
            numbers = _to_numbers(text)
            odd = numbers.isna() & (text != "")
            grouped = odd & text.str.fullmatch(THOUSANDS)
            if grouped.any():  # thousands separators in groups of three: "1,200", "1 200", "1_250_000.50"
                numbers[grouped] = pd.to_numeric(text[grouped].str.replace(r"[,_\s]", "", regex=True), errors="coerce")
            bad = numbers.isna() & (text != "")
            hint = "write a plain number such as 12 or 1250000"
            problems += _cell_errors(frame, bad, mapping[name], label, "'{}' is not a number", hint)
            problems += _unusable_numbers(numbers, frame[mapping[name]], name, label, mapping[name])
            out[name] = numbers.astype(float)
    out = _add_extras(out, frame, mapping)
    problems += unmapped_hints(raw, mapping, "parties")
    problems.sort(key=lambda p: (p.row or 0, p.severity))
    return out, raw.problems + problems


#: What a number of each column is, for messages.
_NUMBER_OF = {"headcount": "the number of people in the team", "cost": "the team's yearly cost"}


def _unusable_numbers(numbers: pd.Series, text: pd.Series, name: str, label: str, column: str) -> list[Problem]:
    """Errors for numbers that read but cannot be counted: infinite, too large (``1e400``), negative, or
    so large that the column's total is not a number any more (findings add them up, and JSON holds
    no infinity).

    Examples
    --------
    >>> text = pd.Series(["3", "inf", "1e400", "-2"], index=[2, 3, 4, 5])
    >>> for p in _unusable_numbers(pd.to_numeric(text), text, "headcount", "p.csv", "headcount"):
    ...     print(p.row, p.message)
    3 'inf' is not a usable headcount: it is infinite
    4 '1e400' is not a usable headcount: it is too large to be held as a number
    5 '-2' is not a usable headcount: it is negative
    """
    values = numbers.to_numpy(dtype=float)
    infinite = np.isinf(values)
    negative = values < 0
    hint = f"write {_NUMBER_OF.get(name, 'the number')}, 0 or more, such as 12 or 1250000"
    problems = []
    wrong = infinite | negative
    for row, cell, inf in zip(text.index[wrong], text[wrong], infinite[wrong]):
        if inf:
            reason = "it is infinite" if "inf" in cell.casefold() else "it is too large to be held as a number"
        else:
            reason = "it is negative"
        message = f"'{cell}' is not a usable {name}: {reason}"
        problems.append(Problem.error(label, message, hint, row=int(row), column=column, code=Code.BAD_VALUE))
    usable = np.where(np.isfinite(values) & ~negative, values, 0.0)
    with np.errstate(over="ignore"):
        running = np.cumsum(usable)
    if not problems and len(running) and not np.isfinite(running[-1]):
        at = int(np.argmax(~np.isfinite(running)))
        message = f"'{text.iloc[at]}' is not a usable {name}: with the rows above, the total is too large to count"
        problems.append(
            Problem.error(label, message, hint, row=int(text.index[at]), column=column, code=Code.BAD_VALUE)
        )
    return problems


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
    unknown = []
    for name, position in (("source", source), ("target", target)):
        values = handoffs[name]
        missing = (position < 0) & (values != "").to_numpy(dtype=bool)
        unknown.append((name, values[missing]))
    first = list(dict.fromkeys(party for _, cells in unknown for party in cells.tolist()))[:SUGGESTIONS]
    suggestions = closest_each(first, parties["id"].tolist()) if first else {}
    for name, cells in unknown:
        for row, party in cells.items():
            guess = suggestions.get(party)
            hint = f"did you mean '{guess[0]}'?" if guess else f"add '{party}' to {parties_label}"
            column = (columns or {}).get(name, name)
            message = f"'{party}' is not in the parties table"
            problems.append(
                Problem.error(handoffs_label, message, hint, row=int(row), column=column, code=Code.UNKNOWN_PARTY)
            )
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
        hint = "both rows are kept; remove one if it is a copy"
        problems.append(Problem.warning(label, message, hint, row=row, code=Code.DUPLICATE))
    return problems


def _empty_cells(values: pd.Series, label: str, column: str, message: str, hint: str) -> list[Problem]:
    return [
        Problem.error(label, message, hint, row=int(row), column=column, code=Code.EMPTY_CELL)
        for row in values.index[values == ""]
    ]


#: Code points with the Unicode property Default_Ignorable_Code_Point: DerivedCoreProperties.txt (Unicode 14.0,
#: the version of Python 3.11's unicodedata; read with Perl's ``Unicode::UCD::prop_invlist``). They show as
#: nothing: soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul fillers, Khmer inherent vowels,
#: Mongolian variation selectors and vowel separator, zero-width space/joiners and direction marks, bidi
#: embeddings and isolates, invisible operators, variation selectors, the byte-order mark, shorthand format
#: controls, musical beam/phrase controls, tag characters and the reserved rest of plane 14.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
#: Other code points that show as nothing or as something else: control characters (Cc), the remaining
#: format characters (Cf: Arabic number signs, interlinear annotation, Egyptian hieroglyph controls...),
#: line and paragraph separators (Zl, Zp) and the braille blank U+2800, which looks like a space.
OTHER_INVISIBLE = (
    (0x0000, 0x001F), (0x007F, 0x009F), (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x2028, 0x2029), (0x2800, 0x2800), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F),
)  # fmt: skip
#: Spaces that look like the ordinary one (Zs other than U+0020): no-break, narrow no-break, en, em, thin,
#: ideographic... An id holding one would not match the same id typed with a space.
LOOK_ALIKE_SPACES = ((0x00A0, 0x00A0), (0x1680, 0x1680), (0x2000, 0x200A), (0x202F, 0x202F), (0x205F, 0x205F),
                     (0x3000, 0x3000))  # fmt: skip


def _character_class(*ranges: tuple[tuple[int, int], ...]) -> str:
    parts = [chr(a) if a == b else f"{chr(a)}-{chr(b)}" for group in ranges for a, b in group]
    return "[" + "".join(parts) + "]"


#: An id holding any of these is refused: they do not show, or show as an ordinary space.
INVISIBLE = re.compile(_character_class(DEFAULT_IGNORABLE, OTHER_INVISIBLE, LOOK_ALIKE_SPACES))
_SPACES = re.compile(_character_class(LOOK_ALIKE_SPACES))


def character_name(char: str) -> str:
    """``U+XXXX NAME`` of a character, for messages (code points without a name say what they are).

    Examples
    --------
    >>> character_name("\u2066"), character_name("\x1b"), character_name("\U000e0080")
    ('U+2066 LEFT-TO-RIGHT ISOLATE', 'U+001B CONTROL CHARACTER', 'U+E0080 UNASSIGNED CODE POINT')
    """
    import unicodedata

    fallback = "CONTROL CHARACTER" if unicodedata.category(char) == "Cc" else "UNASSIGNED CODE POINT"
    return f"U+{ord(char):04X} {unicodedata.name(char, fallback)}"


def invisible_characters(values: pd.Series, label: str, column: str | None) -> list[Problem]:
    """An error for each id holding a character that does not show or looks like a space, naming the
    characters (the id is never changed: ids must match character for character).

    Examples
    --------
    >>> [p] = invisible_characters(pd.Series(["ok", "Sales\u00a0Team\u2066"], index=[2, 3]), "h.csv", "source")
    >>> print(p)
    h.csv, row 3, column 'source': the id 'Sales Team' holds a look-alike space (U+00A0 NO-BREAK SPACE) \
and an invisible character (U+2066 LEFT-TO-RIGHT ISOLATE); delete the invisible character and type \
an ordinary space: ids must match character for character
    """
    if _printable_ascii(values):
        return []
    found = values.str.contains(INVISIBLE.pattern, regex=True)
    problems = []
    for row, value in values[found.to_numpy(dtype=bool)].items():
        chars = list(dict.fromkeys(INVISIBLE.findall(value)))
        spaces = [c for c in chars if _SPACES.fullmatch(c)]
        hidden = [c for c in chars if c not in spaces]
        visible = INVISIBLE.sub(lambda m: " " if _SPACES.fullmatch(m.group()) else "", value)
        said, fixes = [], []
        if spaces:
            said.append(("a look-alike space" if len(spaces) == 1 else "look-alike spaces") + _named(spaces))
            fixes.append("type an ordinary space" if len(spaces) == 1 else "type ordinary spaces")
        if hidden:
            said.append(("an invisible character" if len(hidden) == 1 else "invisible characters") + _named(hidden))
            plural = "s" if len(hidden) > 1 else ""
            fixes.insert(0, "delete it" if len(chars) == 1 else f"delete the invisible character{plural}")
        message = f"the id '{visible}' holds {' and '.join(said)}"
        hint = f"{' and '.join(fixes)}: ids must match character for character"
        problems.append(Problem.error(label, message, hint, row=int(row), column=column, code=Code.SUSPICIOUS_TEXT))
    return problems


def _printable_ascii(values: pd.Series) -> bool:
    """Whether every cell is printable ASCII (no byte below 0x20, none 0x7F or above): then no cell holds an
    invisible character, told from the bytes of the Arrow column at once (a regular expression per cell took
    a quarter of a second on three million hand-offs)."""
    import pyarrow as pa

    from valuechain.io.ids import arrow

    try:
        column = arrow(values)
    except (pa.ArrowException, TypeError, ValueError):
        return False
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return False
        offsets_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        _, offsets, data = chunk.buffers()
        if data is None:
            continue
        bounds = np.frombuffer(offsets, dtype=offsets_type)[chunk.offset : chunk.offset + len(chunk) + 1]
        body = np.frombuffer(data, dtype=np.uint8)[int(bounds[0]) : int(bounds[-1])]
        if len(body) and (int(body.min()) < 0x20 or int(body.max()) >= 0x7F):
            return False
    return True


def _named(chars: list[str], limit: int = 3) -> str:
    names = ", ".join(character_name(c) for c in chars[:limit])
    return f" ({names}{f' and {len(chars) - limit} more' if len(chars) > limit else ''})"


def _cell_errors(
    frame: pd.DataFrame, mask: pd.Series, column: str, label: str, message: str, hint: str
) -> list[Problem]:
    """One error per cell of ``column`` where ``mask`` holds; ``message`` formats the cell's value."""
    return [
        Problem.error(label, message.format(value), hint, row=int(row), column=column, code=Code.BAD_VALUE)
        for row, value in frame.loc[mask, column].items()
    ]


def _add_extras(out: pd.DataFrame, frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """``out`` and every column of ``frame`` that is not a known field, under its own header, as written
    (a header that is a field's own name, where another column holds the field: ``"<header> (not used)"``).

    The columns are added at once (one concat): added one by one, 50,000 columns took minutes.

    Examples
    --------
    >>> out = pd.DataFrame({"source": ["a"]})
    >>> frame = pd.DataFrame({"from": ["a"], "note": ["x"], "source": ["s"]})
    >>> list(_add_extras(out, frame, {"source": "from"}).columns)
    ['source', 'note', 'source (not used)']
    """
    used = set(mapping.values())
    extras = [header for header in frame.columns if header not in used]
    if not extras:
        return out
    taken = set(out.columns)
    added = frame[extras].set_axis([h if h not in taken else f"{h} (not used)" for h in extras], axis=1)
    added.index = out.index
    return pd.concat([out, added], axis=1)


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
