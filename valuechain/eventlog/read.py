"""Reading an event log by its rules, in pandas: one table (a CSV, an Excel sheet, an XES log, an upload or a
DataFrame) into events. Files on disk go through DuckDB (:mod:`valuechain.eventlog.duck`), which reads times
that are not ISO 8601 with the functions here, once per distinct text.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

from valuechain.io.read import FileSource, RawTable, TableSource, read_bytes, read_table, sheet_key
from valuechain.io.validate import clean_ids, invisible_characters
from valuechain.problems import Code, InputError, Problem, listing, shown
from valuechain.vocabulary import counted

if TYPE_CHECKING:
    pass

#: Accepted headers per field, most specific first (XES names, then common synonyms).
LOG_FIELDS: dict[str, tuple[str, ...]] = {
    "case": ("case:concept:name", "case id", "case", "caseid", "case number", "order id", "ticket id"),
    "activity": ("concept:name", "activity", "event", "task", "step", "action"),
    "team": (
        "org:group",
        "team",
        "department",
        "group",
        "org:role",
        "role",
        "unit",
        "org:resource",
        "resource",
        "person",
        "user",
        "employee",
        "agent",
    ),  # teams first; people only when the log names no team
    "time": ("time:timestamp", "timestamp", "time", "date", "datetime", "start", "end", "completed"),
}
ZONE = r"(?i)(?:Z|[+-]\d\d:?\d\d)\s*$"  # a time zone at the end of a timestamp (RE2 syntax, run by Arrow)
CUSTOMER = "customer"
HOURS = np.timedelta64(1, "h")


def read_log(
    source: TableSource,
    *,
    case: str | None = None,
    activity: str | None = None,
    team: str | None = None,
    time: str | None = None,
    time_format: str | None = None,
    team_map: TableSource | dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read an event log into ``case``, ``activity``, ``team``, ``time`` (UTC), indexed by spreadsheet row.

    Parameters
    ----------
    source : path, upload or DataFrame
        CSV or ``.xlsx``, one row per event, in any order.
    case, activity, team, time : str, optional
        The headers of those columns, where they are not the XES names or a
        common synonym.
    time_format : str, optional
        A ``strftime`` format for the timestamps (faster, and unambiguous); it
        must name the year. Without it, timestamps are ISO 8601, or dates
        written with numbers (``05/01/2026``) read one way for the whole
        column: day-first when some date can only be day-first, month-first
        likewise, refused when none decides or when both kinds occur.
    team_map : path, DataFrame or dict, optional
        People to teams (columns ``person`` and ``team``), applied before the
        handover rule.

    Returns
    -------
    events : pandas.DataFrame
    warnings : list of Problem

    Raises
    ------
    InputError
        A missing column, a row with no case, activity or team, an unreadable
        time, dates that can be read day-first or month-first, a time outside
        1677-09-22 to 2262-04-11, a ``time_format`` that cannot be used.

    Examples
    --------
    >>> log = pd.DataFrame({"case": ["1", "1"], "activity": ["order", "ship"], "team": ["Sales", "Depot"],
    ...                     "timestamp": ["2026-01-05 09:00", "2026-01-05 11:30"]})
    >>> events, warnings = read_log(log)
    >>> events["team"].tolist(), str(events["time"].iloc[1])
    (['Sales', 'Depot'], '2026-01-05 11:30:00+00:00')
    """
    if _is_xes(source):
        source = xes_table(source)
    raw = read_table(source, "events") if not isinstance(source, RawTable) else source
    given = {"case": case, "activity": activity, "team": team, "time": time}
    columns, problems = _match(raw, given)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    frame, label = raw.frame, raw.label
    # ids as tables compare them: trimmed and NFC (Cafe + U+0301 and Caf\u00e9 are one team, case or activity)
    events = pd.DataFrame(
        {name: (frame[h].str.strip() if name == "time" else _ids(frame[h])) for name, h in columns.items()},
        index=frame.index,
    )
    for name in ("case", "activity", "team"):
        empty = events[name] == ""
        for row in events.index[empty][:200]:
            problems.append(
                Problem.error(
                    label,
                    f"no {name} in this event",
                    f"fill in the {name}",
                    row=int(row),
                    column=columns[name],
                    code=Code.EMPTY_CELL,
                )
            )
        if empty.sum() > 200:
            problems.append(
                Problem.error(label, f"{int(empty.sum()) - 200} more events with no {name}", "", code=Code.EMPTY_CELL)
            )
    times, time_problems = _times(events["time"], label, columns["time"], time_format)
    problems += time_problems
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    events["time"] = times
    if team_map is not None:
        events["team"], map_problems = _map_teams(events["team"], team_map)
        problems += map_problems
        if any(p.severity == "error" for p in problems):
            raise InputError(problems)
    events.attrs.update(label=label, columns=columns)  # for messages about the events, such as from_log's
    return events, problems


def _ids(values: pd.Series) -> pd.Series:
    """Ids as :func:`valuechain.io.validate.clean_ids` makes them (trimmed, NFC); a column of plain ASCII, which
    NFC leaves as it is, is only trimmed (found with one Arrow pass: a log has millions of ids)."""
    import pyarrow.compute as pc

    from valuechain.io.ids import arrow

    trimmed = values.str.strip()
    return trimmed if pc.all(pc.string_is_ascii(arrow(trimmed))).as_py() in (True, None) else clean_ids(trimmed)


def _invisible_teams(names: Iterable[str], events: pd.DataFrame, mapped: bool = False) -> list[Problem]:
    """An error for each of the distinct team ``names`` holding an invisible character (the check tables use),
    at the first of ``events`` with it; ``mapped``: the teams come from a team map."""
    label, column = events.attrs["label"], events.attrs["columns"]["team"]
    distinct = pd.Series(list(names), dtype=object)
    bad = invisible_characters(distinct, label, column)
    if not bad:
        return []
    # one pass over the events for every bad team: its first row and how many events have it
    codes, teams = pd.factorize(events["team"])
    codes_seen, first = np.unique(codes, return_index=True)
    first_of = dict(zip(codes_seen.tolist(), first.tolist()))
    counts = np.bincount(codes[codes >= 0], minlength=len(teams))
    position = {team: i for i, team in enumerate(teams)}
    problems = []
    for found in bad:
        code = position[distinct[found.row]]
        more = f"; {counts[code] - 1} more events have this team" if counts[code] > 1 else ""
        mapped_from = " (the team map gives it)" if mapped else ""
        row = int(events.index[first_of[code]])
        problems.append(replace(found, row=row, message=found.message + mapped_from + more))
    return problems


def _is_xes(source: object) -> TypeGuard[FileSource]:
    name = source if isinstance(source, str | Path) else getattr(source, "name", None)
    return isinstance(name, str | Path) and str(name).lower().endswith(".xes")


def xes_table(source: FileSource) -> RawTable:
    """An XES event log as a table of strings: one row per event (its attributes, and its trace's as
    ``case:<key>``), numbered in file order; only ``complete`` events when the log records lifecycles.

    The XML is parsed with defusedxml: entity declarations and external references are refused.
    """
    import defusedxml.ElementTree as safe
    from defusedxml import DefusedXmlException

    name, data = read_bytes(source, default_name="log.xes", what="the event log")
    label = Path(name).name
    try:
        root = safe.fromstring(data)
    except DefusedXmlException as err:
        message = f"the XML declares entities or external references ({type(err).__name__}), which are not read"
        raise InputError(
            [Problem.error(label, message, "export the log again without a DTD", code=Code.BAD_LOG)]
        ) from err
    except Exception as err:
        raise InputError(
            [Problem.error(label, f"not well-formed XES ({err})", "export the log again", code=Code.BAD_LOG)]
        ) from err

    def local(tag: object) -> str:
        return str(tag).rsplit("}", 1)[-1]

    def attributes(element: Any) -> dict[str, str]:
        return {c.get("key"): c.get("value", "") for c in element if local(c.tag) != "event" and c.get("key")}

    rows = []
    for trace in (e for e in root.iter() if local(e.tag) == "trace"):
        case = {f"case:{k}": v for k, v in attributes(trace).items()}
        rows += [{**case, **attributes(event)} for event in trace if local(event.tag) == "event"]
    if not rows:
        traces = "no traces" if not any(local(e.tag) == "trace" for e in root.iter()) else "traces with no events"
        raise InputError(
            [
                Problem.error(
                    label, f"the XES log holds {traces}", "export the log again with its events", code=Code.EMPTY
                )
            ]
        )
    frame = pd.DataFrame(rows, dtype=object).fillna("")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    if "lifecycle:transition" in frame.columns:
        transition = frame["lifecycle:transition"].str.lower()
        frame = frame[transition.isin(["complete", ""])]
    return RawTable(label, frame.astype(str))


def _match(raw: RawTable, given: dict[str, str | None]) -> tuple[dict[str, str], list[Problem]]:
    headers = {sheet_key(h): h for h in raw.frame.columns}
    columns: dict[str, str] = {}
    problems: list[Problem] = []
    for name, synonyms in LOG_FIELDS.items():
        chosen = given[name]
        if chosen is not None:
            if chosen in raw.frame.columns:
                columns[name] = chosen
                continue
            have = listing(list(raw.frame.columns))
            message = f"no column '{shown(chosen)}' (the headers are {have})"
            problems.append(Problem.error(raw.label, message, row=1, code=Code.MISSING_COLUMN))
            continue
        found = next((headers[sheet_key(s)] for s in synonyms if sheet_key(s) in headers), None)
        if found is None:
            have = listing(list(raw.frame.columns))
            hint = f"name it with --{name}, or use one of these headers: {', '.join(synonyms[:4])}"
            problems.append(
                Problem.error(
                    raw.label, f"no {name} column (the headers are {have})", hint, row=1, code=Code.MISSING_COLUMN
                )
            )
        else:
            columns[name] = found
    return columns, problems


#: A date written with numbers only, day and month in either order: 05/01/2026, 13.01.26, 1-5-2026 09:00
#: (RE2 syntax, run by Arrow: no back-references, so the two separators are compared after).
NUMERIC_DATE = (
    r"^(?P<a>\d{1,2})(?P<sep>[/.\- ])(?P<b>\d{1,2})(?P<sep2>[/.\- ])(?P<year>\d{4}|\d{2})(?P<rest>(?:[\sT].*)?)$"
)
#: The times the handover rule can compute with (pandas' nanosecond timestamps): about 1677-09-21 to 2262-04-11.
EARLIEST, LATEST = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
#: How many cells of one kind of problem are listed one by one.
LISTED = 200
_FORMAT_OPTION = "--time-format (time_format= in Python, Time format in the dashboard's sidebar)"
_RANGE = "1677-09-22 and 2262-04-11 (what nanosecond timestamps hold)"


def _times(values: pd.Series, label: str, column: str, time_format: str | None) -> tuple[pd.Series, list[Problem]]:
    """Timestamps as UTC, read one way for the whole column; zone-less ones mixed with zoned ones are taken as
    UTC, with a warning.

    ISO 8601 is the fast path. Otherwise dates written with numbers only (``05/01/2026``) are read day-first
    when some cell can only be day-first (a first field over 12), month-first when some cell can only be
    month-first, and refused when none decides or when both kinds occur; other cells (``5 Jan 2026``) are read
    in the format of the first of them, cell by cell only as a last resort, and must hold a year. Every time
    must lie within what nanosecond timestamps hold (1677 to 2262).

    Examples
    --------
    >>> times, problems = _times(pd.Series(["05/01/2026 09:00", "13/01/2026 10:00"], index=[2, 3]), "log.csv",
    ...                          "timestamp", None)
    >>> [str(t) for t in times], problems
    (['2026-01-05 09:00:00+00:00', '2026-01-13 10:00:00+00:00'], [])
    """
    problems: list[Problem] = []
    if time_format is not None:
        parsed, problems = _times_in_format(values, label, column, time_format)
    else:
        try:
            parsed = pd.to_datetime(values, format="ISO8601", utc=True)
        except (ValueError, TypeError):
            parsed, problems = _times_not_iso(values, label, column)
            if parsed is None:  # the column cannot be read one way: nothing more to say about its cells
                return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]"), problems
        problems += _unreadable(values, parsed, label, column)
    problems += _out_of_range(values, parsed, label, column)
    zoned = _zoned(values) if time_format is None else np.zeros(len(values), dtype=bool)
    if zoned.any() and not zoned.all():
        naive = int((~zoned).sum())
        problems.append(
            Problem.warning(
                label,
                f"{counted(naive, 'timestamp')} {'has' if naive == 1 else 'have'} no time zone while others have one; "
                "they are taken as UTC",
                "give every timestamp a zone (or none)",
                row=int(values.index[~zoned][0]),
                column=column,
                code=Code.BAD_VALUE,
            )
        )
    return parsed, problems


def _zoned(values: pd.Series) -> np.ndarray:
    """Which timestamps end with a time zone (Z, +01:00, -0500), as booleans."""
    import pyarrow.compute as pc

    from valuechain.io.ids import arrow

    return pc.fill_null(pc.match_substring_regex(arrow(values), ZONE), False).to_numpy(zero_copy_only=False)


def _unreadable(values: pd.Series, parsed: pd.Series, label: str, column: str) -> list[Problem]:
    """An error for each cell that is empty or was not read as a time (the first 200, then a count)."""
    if not parsed.isna().any():  # the usual case, without a pass over the text
        return []
    problems = []
    empty, bad = values == "", parsed.isna() & (values != "")
    for row in values.index[empty][:LISTED]:
        problems.append(
            Problem.error(
                label, "no time in this event", "fill in the time", row=int(row), column=column, code=Code.EMPTY_CELL
            )
        )
    hint = "write it as 2026-01-31 14:05:00+01:00 (ISO 8601), or give its format with " + _FORMAT_OPTION
    for row, text in values[bad][:LISTED].items():
        problems.append(
            Problem.error(
                label, f"cannot read the time '{text}'", hint, row=int(row), column=column, code=Code.BAD_VALUE
            )
        )
    more = max(int(empty.sum()) - LISTED, 0) + max(int(bad.sum()) - LISTED, 0)
    if more > 0:
        problems.append(
            Problem.error(label, f"{more} more events with no time or one that cannot be read", "", code=Code.BAD_VALUE)
        )
    return problems


def _out_of_range(values: pd.Series, parsed: pd.Series, label: str, column: str) -> list[Problem]:
    """An error for each time nanosecond timestamps cannot hold (the first 200, then a count)."""
    if parsed.empty or (parsed.min() >= EARLIEST and parsed.max() <= LATEST) or parsed.isna().all():
        return []
    outside = ((parsed < EARLIEST) | (parsed > LATEST)).fillna(False).to_numpy(dtype=bool)
    problems = []
    for row, text, when in zip(values.index[outside][:LISTED], values[outside][:LISTED], parsed[outside][:LISTED]):
        message = f"the time '{text}' is in the year {when.year}: times must lie between {_RANGE}"
        hint = "check the year"
        problems.append(Problem.error(label, message, hint, row=int(row), column=column, code=Code.BAD_VALUE))
    if outside.sum() > LISTED:
        problems.append(
            Problem.error(label, f"{int(outside.sum()) - LISTED} more times outside {_RANGE}", "", code=Code.BAD_VALUE)
        )
    return problems


def _times_in_format(values: pd.Series, label: str, column: str, time_format: str) -> tuple[pd.Series, list[Problem]]:
    """Timestamps in the format the user gave; a format that is invalid, has no year or matches no cell is
    one error naming the option and the first row that does not match."""
    nat = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    first = int(values.index[0]) if len(values) else None
    try:
        parsed = pd.to_datetime(values, format=time_format, errors="coerce", utc=True)
    except (ValueError, TypeError, re.error) as err:  # a bad directive; a directive twice (a regex error)
        message = f"'{time_format}' is not a time format that can be used ({err})"
        hint = f"fix {_FORMAT_OPTION}: directives such as %Y %m %d %H %M %S %z, e.g. '%d/%m/%Y %H:%M'"
        return nat, [Problem.error(label, message, hint, row=first, column=column, code=Code.TIME_FORMAT)]
    if not re.search(r"%[-#]?[YyGcx]", time_format):
        example = values.iloc[0] if len(values) else ""
        message = f"the time format '{time_format}' has no year (%Y or %y), so '{example}' would be read as in 1900"
        hint = f"add the year to {_FORMAT_OPTION}, e.g. '%d/%m/%Y %H:%M', or leave it out"
        return nat, [Problem.error(label, message, hint, row=first, column=column, code=Code.TIME_FORMAT)]
    if not parsed.isna().any():  # the usual case, without a pass over the text
        return parsed, []
    empty = values == ""
    problems = [
        Problem.error(
            label, "no time in this event", "fill in the time", row=int(row), column=column, code=Code.EMPTY_CELL
        )
        for row in values.index[empty][:LISTED]
    ]
    bad = parsed.isna() & ~empty
    if bad.any():
        rows = values.index[bad]
        message = f"the time '{values[bad].iloc[0]}' does not match the time format '{time_format}'"
        if len(rows) > 1:
            shown = ", ".join(str(r) for r in rows[1:6]) + (", ..." if len(rows) > 6 else "")
            others = len(rows) - 1
            rows_do = f"{others} more rows do" if others != 1 else "1 more row does"
            message += f"; {rows_do} not match either ({shown})"
        hint = f"give {_FORMAT_OPTION} the format the column is written in, or leave it out"
        problems.append(Problem.error(label, message, hint, row=int(rows[0]), column=column, code=Code.TIME_FORMAT))
    return parsed, problems


def _times_not_iso(values: pd.Series, label: str, column: str) -> tuple[pd.Series | None, list[Problem]]:
    """Timestamps that are not all ISO 8601, read one way for the whole column (see :func:`_times`);
    None and one error when the numeric dates are ambiguous or written both ways."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from valuechain.io.ids import arrow

    text_type = pa.large_string()
    cells = arrow(values).cast(text_type)
    found = pc.extract_regex(cells, NUMERIC_DATE)
    parts = {name: pc.struct_field(found, name) for name in ("a", "sep", "b", "sep2", "year", "rest")}
    numeric_arrow = pc.fill_null(pc.and_(pc.is_valid(found), pc.equal(parts["sep"], parts["sep2"])), False)
    numeric = numeric_arrow.to_numpy(zero_copy_only=False)
    a, b = (pc.fill_null(pc.cast(parts[n], "int16"), 0).to_numpy(zero_copy_only=False) for n in ("a", "b"))
    day_first = numeric & (a > 12) & (b <= 12)
    month_first = numeric & (b > 12) & (a <= 12)
    if day_first.any() and month_first.any():
        day_row, month_row = values.index[day_first][0], values.index[month_first][0]
        message = (
            f"the dates are written both day-first (row {day_row}: '{values[day_row]}') and month-first "
            f"(row {month_row}: '{values[month_row]}')"
        )
        hint = "write every date the same way, best as 2026-01-31 (ISO 8601)"
        return None, [
            Problem.error(label, message, hint, row=int(min(day_row, month_row)), column=column, code=Code.TIME_FORMAT)
        ]
    ambiguous = numeric & (a <= 12) & (b <= 12) & (a != b)
    if not day_first.any() and not month_first.any() and ambiguous.any():
        first = int(np.flatnonzero(ambiguous)[0])
        row = values.index[first]
        cell = {name: part[first].as_py() for name, part in parts.items()}
        day, month = _format_of(cell, day_first=True), _format_of(cell, day_first=False)
        message = (
            f"the dates can be read day-first or month-first ('{values[row]}' is {int(cell['a'])} "
            f"{_MONTHS[int(cell['b']) - 1]} or {_MONTHS[int(cell['a']) - 1]} {int(cell['b'])}), and none decides"
        )
        hint = (
            f'give the format with --time-format "{day}" (day-first) or "{month}" (month-first); '
            f'time_format="{day}" in Python, or Time format in the dashboard\'s sidebar'
        )
        return None, [Problem.error(label, message, hint, row=int(row), column=column, code=Code.TIME_FORMAT)]
    text = values
    if numeric.any():  # rewritten year first (ISO order), so that nothing below can read them another way
        year = parts["year"]
        two = pc.equal(pc.utf8_length(year), 2)
        late = pc.greater_equal(pc.cast(year, "int16"), 69)
        century = pc.if_else(late, pa.scalar("19", text_type), pa.scalar("20", text_type))  # as strptime's %y
        dash, nothing = pa.scalar("-", text_type), pa.scalar("", text_type)
        year = pc.if_else(two, pc.binary_join_element_wise(century, year, nothing), year)
        day, month = (parts["a"], parts["b"]) if day_first.any() else (parts["b"], parts["a"])
        month, day = (pc.utf8_lpad(x, width=2, padding="0") for x in (month, day))
        iso = pc.binary_join_element_wise(pc.binary_join_element_wise(year, month, day, dash), parts["rest"], nothing)
        text = pd.Series(pd.arrays.ArrowStringArray(pc.if_else(numeric_arrow, iso, cells)), index=values.index)
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    left = parsed.isna() & (text != "")
    problems: list[Problem] = []
    if left.any():  # other ways of writing a time (5 Jan 2026 09:00): the format of the first, then cell by cell
        rest = text[left]
        found = pd.Series(pd.NaT, index=rest.index, dtype="datetime64[us, UTC]")
        guessed = guess_datetime_format(rest.iloc[0])
        if guessed:
            with contextlib.suppress(ValueError, TypeError, re.error):  # a guess pandas cannot use: cell by cell
                found[:] = pd.to_datetime(rest, format=guessed, errors="coerce", utc=True).astype(found.dtype)
        still = found.isna()
        if still.any():
            mixed = pd.to_datetime(rest[still], format="mixed", errors="coerce", utc=True)
            found[still] = mixed.astype(found.dtype)
        problems = _with_year(rest, found, numeric[left.to_numpy()], label, column)
        parsed = parsed.astype(found.dtype)
        parsed[left] = found
    return parsed, problems


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def _format_of(cell: dict, day_first: bool) -> str:
    """The strftime format of a numeric date such as '05/01/2026 09:00' (for a hint)."""
    date = ["%d", "%m"] if day_first else ["%m", "%d"]
    date = cell["sep"].join([*date, "%Y" if len(cell["year"]) == 4 else "%y"])
    rest = cell["rest"]
    clock = re.fullmatch(r"([\sT])\d{1,2}:\d{2}(:\d{2})?(\.\d+)?(\s*[AaPp][Mm])?", rest or "")
    if not rest:
        return date
    if clock is None:
        return date + " %H:%M"
    sep, seconds, fraction, half = clock.groups()
    hours = "%I" if half else "%H"
    return (
        date + sep + hours + ":%M" + (":%S" if seconds else "") + (".%f" if fraction else "") + (" %p" if half else "")
    )


def _with_year(text: pd.Series, parsed: pd.Series, numeric: np.ndarray, label: str, column: str) -> list[Problem]:
    """Errors for times read cell by cell that do not show the year they were read in (a time alone, such as
    09:00, would otherwise be taken as today). ``numeric`` marks the cells that were numeric dates."""
    hint = "write the date and time, e.g. 2026-01-31 14:05"
    rows = [
        row
        for row, cell, when, was_numeric in zip(text.index, text, parsed, numeric)
        if not was_numeric
        and not pd.isna(when)
        and not re.search(rf"(?<![\d:])(?:{when.year}|{when.year % 100:02d})(?![\d:])", cell)
    ]
    problems = [
        Problem.error(
            label,
            f"the time '{text[row]}' has no date (or no year)",
            hint,
            row=int(row),
            column=column,
            code=Code.BAD_VALUE,
        )
        for row in rows[:LISTED]
    ]
    if len(rows) > LISTED:
        problems.append(
            Problem.error(label, f"{len(rows) - LISTED} more times with no date", hint, code=Code.BAD_VALUE)
        )
    return problems


def _map_teams(people: pd.Series, team_map: TableSource | dict[str, str]) -> tuple[pd.Series, list[Problem]]:
    """People to teams; a person the map does not name is an error (listed once, with a row)."""
    if isinstance(team_map, dict):
        named = [clean_ids(pd.Series(list(side), dtype=str)) for side in (team_map.keys(), team_map.values())]
        mapping, label = dict(zip(*named)), "team map"
    else:
        raw = read_table(team_map, "team map")
        keys = {sheet_key(h): h for h in raw.frame.columns}
        person = next((keys[k] for k in ("person", "resource", "orgresource", "name", "employee") if k in keys), None)
        team = next((keys[k] for k in ("team", "group", "orggroup", "department") if k in keys), None)
        if person is None or team is None:
            message = "a team map needs a 'person' and a 'team' column"
            raise InputError(
                [Problem.error(raw.label, message, "name them person and team", row=1, code=Code.MISSING_COLUMN)]
            )
        mapping, label = dict(zip(clean_ids(raw.frame[person]), clean_ids(raw.frame[team]))), raw.label
    mapped = people.map(mapping)
    problems = []
    for row, person in people[mapped.isna()].drop_duplicates().items():
        message = f"'{person}' (first in row {row} of the log) is not in the team map"
        problems.append(Problem.error(label, message, f"add '{person}' with their team", code=Code.BAD_LOG))
    return mapped.fillna(people), problems
