"""Event logs in DuckDB: read CSV and Parquet files (a file, a folder, a glob, several paths) into a table of
events, check them by the log's reading rules, and run the handover rule as SQL, out of core.

The events are never held in pandas: DuckDB reads the files, cleans the ids (trimmed, NFC), reads the times
(ISO 8601 in SQL; other ways of writing a time by the pandas rules, once per distinct text), and spills to a
temporary folder beyond its memory limit. Only what a person reads comes back: at most a few hundred rows
with problems, and the aggregated hand-offs.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from valuechain.eventlog import sql
from valuechain.eventlog.findings import KEPT, LogFindings, assemble
from valuechain.eventlog.read import (
    _FORMAT_OPTION,
    _RANGE,
    LISTED,
    ZONE,
    _map_teams,
    _match,
    _times_in_format,
    _times_not_iso,
)
from valuechain.io.read import RawTable
from valuechain.io.validate import invisible_characters
from valuechain.problems import Code, InputError, Problem, shown
from valuechain.vocabulary import counted

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

#: Python's whitespace (what ``str.strip()`` removes): DuckDB's trim characters, and their code points.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)  # tests/test_eventlog.py checks it is every character whose str.isspace() is True
_WHITESPACE_CODES = ", ".join(str(ord(c)) for c in WHITESPACE)
#: ISO 8601 as both pandas and DuckDB read it the same way (DuckDB alone takes 24:00 as the next day, so the hour
#: stops at 23); other cells go the pandas way, once per distinct text.
ISO = r"\d{4}-\d{2}-\d{2}(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
#: What nanosecond timestamps hold (the range the pandas reader and the report keep).
EARLIEST, LATEST = "1677-09-21 00:12:43.145225+00", "2262-04-11 23:47:16.854775+00"
LOG_SUFFIXES = (".csv", ".parquet", ".pq")
#: How many distinct times that are not ISO 8601 are read the pandas way, one by one (beyond: give a format).
OTHER_TIMES = 2_000_000
#: How many events of one file DuckDB numbers: the file's index times this, plus the row (ties keep file order).
_PER_FILE = 1 << 40


class CsvForTheTableReader(Exception):
    """DuckDB cannot read this one CSV (ragged rows, an encoding it refuses): the table reader reads it."""


@dataclass
class Engine:
    """How DuckDB runs: its memory limit (``"2GB"``; DuckDB's default, 80% of the memory, when None), its temporary
    folder for what does not fit (a fresh one, removed after, when None), its threads, and the waits: exact
    quantiles, or approximate ones (a sketch per hand-off, in bounded memory)."""

    memory_limit: str | None = None
    temp_directory: str | Path | None = None
    threads: int | None = None
    approximate_waits: bool = False


@dataclass
class Events:
    """The table ``events`` in a DuckDB connection, and how messages name its files and columns."""

    labels: list[str]
    columns: dict[str, str]
    problems: list[Problem] = field(default_factory=list)


@contextmanager
def connection(engine: Engine) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection in UTC with the engine's limits; its temporary folder is removed after.

    Examples
    --------
    >>> with connection(Engine(memory_limit="1GB")) as con:
    ...     con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    '953.6 MiB'
    """
    import duckdb

    from valuechain.exceptions import OptionError

    own = engine.temp_directory is None
    spill = Path(tempfile.mkdtemp(prefix="valuechain-duckdb-")) if own else Path(str(engine.temp_directory))
    con = duckdb.connect(config={"preserve_insertion_order": True})
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET temp_directory = ?", [str(spill)])
        if engine.memory_limit is not None:
            try:
                con.execute("SET memory_limit = ?", [str(engine.memory_limit)])
            except duckdb.Error as err:
                message = f"the memory limit '{engine.memory_limit}' cannot be used ({str(err).splitlines()[0]})"
                raise OptionError(f"{message}; write it as 2GB, 500MB or 80%") from None
        if engine.threads is not None:
            con.execute(f"SET threads = {int(engine.threads)}")
        try:
            yield con
        except duckdb.OutOfMemoryException as err:
            raise OptionError(_out_of_memory(engine, str(err).splitlines()[0])) from None
        except duckdb.IOException as err:
            first = str(err).splitlines()[0]
            if str(spill) not in first:
                raise OSError(f"DuckDB cannot read or write a file ({first})") from None
            message = f"DuckDB cannot write its temporary files in '{spill}' ({first})"
            hint = "give --temp-directory (temp_directory= in Python) a folder it can write"
            raise OptionError(f"{message}; {hint}") from None
    finally:
        con.close()
        if own:
            shutil.rmtree(spill, ignore_errors=True)


def _out_of_memory(engine: Engine, error: str) -> str:
    """What to do when DuckDB needs more memory than it may take (``error``: DuckDB's first line)."""
    if engine.memory_limit is None:
        return (
            f"DuckDB ran out of memory ({error}); give a --memory-limit (memory_limit= in Python) below the memory "
            "this machine has free, so that it spills the rest to disk"
        )
    return (
        f"DuckDB needs more memory than the limit '{engine.memory_limit}' allows ({error}); give a larger "
        "--memory-limit (memory_limit= in Python), such as 500MB or more"
    )


def log_files(source: object) -> list[Path] | None:
    """The files a source names when DuckDB should read it: a ``.csv`` or ``.parquet`` path, a folder of them, a
    glob (``'events/*.parquet'``), or a list of those; None for anything else (uploads, DataFrames, Excel, XES).

    Raises
    ------
    InputError
        A glob or folder with no log file, files of both kinds, a path that does not exist.

    Examples
    --------
    >>> [p.name for p in log_files("data/order-to-delivery/events.csv")]
    ['events.csv']
    >>> log_files(pd.DataFrame()) is None
    True
    """
    items = list(source) if isinstance(source, list | tuple) else [source]
    if not items or not all(isinstance(i, str | Path) for i in items):
        return None
    files: list[Path] = []
    for item in items:
        text = str(item)
        if glob.has_magic(text) and not Path(text).exists():  # a file or folder named 'events [2026].csv' is itself
            matches = glob.glob(text, recursive=True)  # folders named like files are left out, as in a folder
            found = sorted(Path(p) for p in matches if p.lower().endswith(LOG_SUFFIXES) and not os.path.isdir(p))
            if not found:
                hint = "check the pattern (quote it, so that the shell does not expand it)"
                raise InputError([Problem.error(text, "no .csv or .parquet file matches", hint, code=Code.EMPTY)])
            files += found
        elif Path(text).is_dir():
            found = sorted(p for p in Path(text).rglob("*") if p.suffix.lower() in LOG_SUFFIXES and p.is_file())
            if not found:
                hint = "give the folder that holds the log's .csv or .parquet files"
                raise InputError(
                    [Problem.error(text, "the folder holds no .csv or .parquet file", hint, code=Code.EMPTY)]
                )
            files += found
        elif Path(text).suffix.lower() in LOG_SUFFIXES:
            files.append(Path(text))
        elif len(items) == 1:
            return None  # one file of another kind (Excel, XES): the reader of tables reads it
        else:
            message = "several logs are read together only as .csv or .parquet files"
            raise InputError([Problem.error(text, message, "convert it to CSV or Parquet", code=Code.BAD_OPTION)])
    kinds = {"parquet" if f.suffix.lower() != ".csv" else "csv" for f in files}
    if len(kinds) > 1:
        message = "the log's files are both CSV and Parquet"
        raise InputError([Problem.error(str(items[0]), message, "give files of one kind", code=Code.BAD_OPTION)])
    for path in files:
        if path.exists() and not path.is_file():  # reading a pipe or a device would never end
            message, hint = "this is not a regular file (a device, a pipe or a socket)", "give a file saved on disk"
            raise InputError([Problem.error(str(path), message, hint, code=Code.UNREADABLE_FILE)])
        if not path.is_file():
            hint = "check the path"
            raise InputError([Problem.error(str(path), "the file does not exist", hint, code=Code.EMPTY)])
    seen: dict[Path, Path] = {}
    for path in files:  # a path and a glob, or two globs, that name one file: its events would count twice
        first = seen.setdefault(path.resolve(), path)
        if first is not path:
            message = f"this file is named twice (also as '{first}'): its events would count twice"
            raise InputError([Problem.error(str(path), message, "name each file once", code=Code.BAD_OPTION)])
    return files


def duckdb_reads_csv(path: Path) -> bool:
    """Whether DuckDB reads this CSV as the table reader does: UTF-8 (or ASCII) without blank lines (which the
    table reader skips while counting them in row numbers). Other CSVs (UTF-16, legacy encodings) are read by
    the table reader: such exports are small."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return False
        handle.seek(0)
        previous = b""
        while chunk := handle.read(1 << 24):
            text = previous + chunk
            if b"\n\n" in text or b"\n\r\n" in text or (text.startswith((b"\n", b"\r\n")) and not previous):
                return False
            previous = text[-2:]
    return True


def read_files(
    con: duckdb.DuckDBPyConnection,
    files: Sequence[Path],
    given: dict[str, str | None],
    time_format: str | None,
    label: str,
) -> Events:
    """Read log files into the table ``events`` (``case``, ``activity``, ``team``, ``time``, ``ord``, ``row``,
    ``file``, ``text``: the time as written), checked by the log's reading rules.

    Raises
    ------
    InputError
        As :func:`valuechain.eventlog.read_log`: a missing column, an empty cell, an unreadable time, dates
        read both ways, a time outside what nanosecond timestamps hold.
    """
    import duckdb

    labels = [str(f) for f in files]
    parquet = files[0].suffix.lower() != ".csv"
    paths = sql.DUCKDB_EXACT.quoted  # a literal for each path
    names: list[str] = []  # a CSV's headers, as the table reader splits them; its columns are c0, c1...
    if parquet and (wrong := [p for p in map(_not_parquet, files) if p is not None]):
        raise InputError(wrong[:1])
    if not parquet:
        empty = [f for f in files if not _csv_first_line(f).strip()] if len(files) > 1 else []  # alone: the reader
        if empty:
            hint = "the first row must hold the column headers; fill it in, or leave the file out"
            raise InputError([Problem.error(str(empty[0]), "the file is empty", hint, row=1, code=Code.EMPTY)])
        names = _csv_header(files[0])
        if len(labels) > 1 and any(_csv_header(f) != names for f in files[1:]):
            odd = next(f for f in files[1:] if _csv_header(f) != names)
            message = f"its headers differ from those of {labels[0]}"
            hint = "give files with the same header line"
            raise InputError([Problem.error(str(odd), message, hint, row=1, code=Code.BAD_LOG)])
    try:
        if parquet:
            listed = "[" + ", ".join(paths(p) for p in labels) + "]"
            con.execute(
                f"CREATE TEMP VIEW raw AS SELECT * EXCLUDE (filename, file_row_number), "
                f"list_position({listed}, filename) - 1 AS file, file_row_number + 1 AS row "
                f"FROM read_parquet({listed}, filename = true, file_row_number = true, union_by_name = true)"
            )
        else:
            con.execute("CREATE TEMP TABLE raw_csv (file INTEGER)")  # the files in order; rowid: the file order
            created = False
            for index, path in enumerate(labels):
                delimiter = paths(_csv_delimiter(files[index]))
                typed = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(names))) + "}"
                read = (
                    f"read_csv({paths(path)}, header = true, auto_detect = false, columns = {typed}, "
                    f"delim = {delimiter}, quote = '\"', escape = '\"', strict_mode = true)"
                )
                try:
                    if not created:
                        con.execute(f"CREATE OR REPLACE TEMP TABLE raw_csv AS SELECT {index} AS file, * FROM {read}")
                        created = True
                    else:
                        con.execute(f"INSERT INTO raw_csv BY NAME SELECT {index} AS file, * FROM {read}")
                except duckdb.InvalidInputException as err:
                    if len(files) > 1:  # alone, the table reader reads it (below)
                        raise InputError([_csv_row_problem(path, str(err))]) from None
                    raise
            con.execute(
                "CREATE TEMP VIEW raw AS SELECT * EXCLUDE (file), file, "
                "rowid - min(rowid) OVER (PARTITION BY file) + 2 AS row FROM raw_csv"
            )
    except duckdb.Error as err:
        if not parquet and len(files) == 1:  # the table reader reads it, and says what is wrong in its words
            con.execute("DROP VIEW IF EXISTS raw")
            con.execute("DROP TABLE IF EXISTS raw_csv")
            raise CsvForTheTableReader(labels[0]) from None
        message = f"DuckDB cannot read the log ({str(err).splitlines()[0]})"
        hint = "check that it is a CSV or Parquet file"
        raise InputError([Problem.error(label, message, hint, code=Code.BAD_LOG)]) from None
    schemas = _parquet_schemas(files) if parquet else {}
    headers = {path: [name.strip() for name in schema.names] for path, schema in schemas.items()}
    if repeated := _repeated_parquet_columns(headers):
        raise InputError(repeated)
    described = con.execute("DESCRIBE raw").fetchall()
    types = {name: kind for name, kind, *_ in described if name not in ("file", "row")}
    shown = [n.strip() for n in names] if names else [name.strip() for name in types]
    internal = dict(zip(shown, types, strict=True))
    columns, problems = _match(RawTable(label, pd.DataFrame(columns=shown)), given)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    sql_name = {field: internal[header] for field, header in columns.items()}
    if wrong := _not_text(schemas, set(columns.values())):
        raise InputError(problems + wrong)
    if missing := _missing_parquet_columns(headers, columns):
        raise InputError(problems + missing)

    def identifier(column: str) -> str:
        return '"' + column.replace('"', '""') + '"'

    def text(column: str) -> str:
        value = identifier(column)
        if types[column].upper() in ("FLOAT", "DOUBLE"):  # as the Parquet reader of tables: NaN blank, 2.0 as 2
            # NaN by its text: isnan() on a Parquet column is folded to false from the file's statistics
            written = f"CAST({value} AS VARCHAR)"
            whole = f"coalesce(regexp_replace({written}, '\\.0$', ''), '')"
            return f"CASE WHEN {written} IN ('nan', '-nan') THEN '' ELSE {whole} END"
        return f"coalesce(CAST({value} AS VARCHAR), '')"

    def trimmed(value: str) -> str:  # as str.strip() trims (DuckDB's trim with characters is slow: only when needed)
        edge = f"unicode({value}) IN ({_WHITESPACE_CODES}) OR unicode({value}[-1]) IN ({_WHITESPACE_CODES})"
        return f"CASE WHEN {edge} THEN trim({value}, getvariable('whitespace')) ELSE {value} END"

    def cleaned(column: str) -> str:  # trimmed, and NFC where not ASCII (read_log's _ids)
        value = text(column)
        nfc = f"nfc_normalize({trimmed(value)})"
        return f"CASE WHEN strlen({value}) <> length({value}) THEN {nfc} ELSE {trimmed(value)} END"

    con.execute("SET VARIABLE whitespace = ?", [WHITESPACE])
    time_column = sql_name["time"]
    typed = types[time_column].upper().startswith(("TIMESTAMP", "DATE"))
    time_text = trimmed(text(time_column))
    if typed:
        parsed = "CAST(raw_time AS TIMESTAMPTZ)"
    elif time_format is not None:
        parsed = _in_format(time_format)
    else:
        parsed = f"CASE WHEN regexp_full_match(time_text, '{ISO}') THEN try_cast(time_text AS TIMESTAMPTZ) END"
    try:
        if time_format is not None and not typed:
            first = con.execute(f"SELECT file, row, {time_text} FROM raw ORDER BY file, row LIMIT 1").fetchone()
            if wrong := _unusable_format(first, labels, columns["time"], time_format):
                raise InputError(problems + wrong)
        con.execute(
            f"""CREATE TEMP TABLE events AS
        SELECT "case", activity, team, {parsed} AS time, CAST(file AS BIGINT) * {_PER_FILE} + row AS ord,
               row, CAST(file AS INTEGER) AS file, time_text AS text
        FROM (SELECT {cleaned(sql_name["case"])} AS "case", {cleaned(sql_name["activity"])} AS activity,
                     {cleaned(sql_name["team"])} AS team, {time_text} AS time_text,
                         {identifier(time_column)} AS raw_time, file, row FROM raw)"""
        )
    except (duckdb.OutOfMemoryException, duckdb.IOException):
        raise  # said by connection()
    except duckdb.Error as err:
        first_line = str(err).splitlines()[0]
        if time_format is None or typed or "Failed to read file" in first_line:  # a file damaged past its footer
            hint = "check that it is a CSV or Parquet file, or save it again"
            message = f"DuckDB cannot read the log ({first_line})"
            raise InputError([*problems, Problem.error(label, message, hint, code=Code.BAD_LOG)]) from None
        # a format pandas reads and DuckDB's strptime does not
        message = f"'{time_format}' is not a time format that can be used ({first_line})"
        hint = f"fix {_FORMAT_OPTION}: directives such as %Y %m %d %H %M %S %z, e.g. '%d/%m/%Y %H:%M'"
        raise InputError(
            [*problems, Problem.error(label, message, hint, row=2, column=columns["time"], code=Code.TIME_FORMAT)]
        ) from None
    found = Events(labels, columns, problems)
    found.problems += _empty_cells(con, found)
    if time_format is not None and not typed:
        found.problems += _format_problems(con, found, time_format)
    elif not typed:
        other = _other_times(con, found)
        found.problems += other
        if any(p.code == Code.TIME_FORMAT for p in other):  # the column cannot be read one way: nothing more
            raise InputError(found.problems)
        found.problems += _unreadable_times(con, found)
    found.problems += _out_of_range(con, found)  # then the zone warning: the order the pandas reader says them
    if not typed and time_format is None:
        found.problems += _zone_warning(con, found)
    if any(p.severity == "error" for p in found.problems):
        raise InputError(found.problems)
    return found


def _csv_row_problem(path: str, error: str) -> Problem:
    """What DuckDB's error on one CSV of several says, in the table reader's words: the file, the row (DuckDB's
    line, the header being line 1) and what to do."""
    import re

    line = re.search(r"CSV Error on Line: (\d+)", error)
    cells = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", error)
    row = int(line.group(1)) if line else None
    if cells:
        header, found = int(cells.group(1)), int(cells.group(2))
        message = f"this row has {found} cells but the header has {header}"
        if found > header:
            hint = "remove the extra cells, or quote values that contain the delimiter"
        else:
            hint = "fill in the missing cells (with the delimiter between them)"
    elif "unterminated quote" in error:
        message, hint = "a quote opened in this row is never closed", "close the quote, or remove it"
    else:
        message = f"DuckDB cannot read this CSV ({error.splitlines()[0]})"
        hint = "read it alone, where its problems are named, or save it again as UTF-8 CSV"
    return Problem.error(path, message, hint, row=row, code=Code.BAD_ROW)


def _not_parquet(path: Path) -> Problem | None:
    """The error for a file with a Parquet suffix that is empty or does not start and end with ``PAR1`` (a CSV
    saved as .parquet, a truncated copy), said as the Parquet reader of tables says it; None for a Parquet file."""
    from valuechain.io.parquet import is_parquet_file

    if path.stat().st_size == 0:
        return Problem.error(str(path), "the file is empty", "the Parquet file must hold a table with named columns",
                             code=Code.EMPTY)  # fmt: skip
    if is_parquet_file(path):
        return None
    message = "this is not a Parquet file (it does not start and end with PAR1)"
    hint = "save it as Parquet again (a truncated copy ends early), or give a CSV file the suffix .csv"
    return Problem.error(str(path), message, hint, code=Code.UNREADABLE_FILE)


def _parquet_schemas(files: Sequence[Path]) -> dict[Path, pa.Schema]:
    """Each Parquet file's schema, from its footer (DuckDB has read the footers already)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = {}
    for path in files:
        try:
            schemas[path] = pq.read_schema(path)
        except (pa.ArrowException, OSError):  # pragma: no cover - DuckDB has read this file's schema already
            continue
    return schemas


def _repeated_parquet_columns(headers: dict[Path, list[str]]) -> list[Problem]:
    """An error for each column name a Parquet file repeats, as the table reader says it of a CSV header
    (DuckDB would rename the second one and read the first)."""
    from valuechain.io.read import repeated_header

    problems = []
    for path, names in headers.items():
        seen: dict[str, int] = {}
        for pos, name in enumerate(names):
            if name in seen:
                problems.append(repeated_header(str(path), name, seen[name], pos, row=1))
            seen.setdefault(name, pos)
    return problems


def _missing_parquet_columns(headers: dict[Path, list[str]], columns: dict[str, str]) -> list[Problem]:
    """An error for each Parquet file that lacks a column the log reads (``columns``: field to header), as CSV
    files with different headers are refused: DuckDB would read its events with blank cells."""
    problems = []
    for path, names in headers.items():
        for what, header in columns.items():
            if header not in names:
                message = f"the file has no '{shown(header)}' column (the {what}), which other files of the log have"
                hint = "give files with the same columns, or leave this one out"
                problems.append(Problem.error(str(path), message, hint, row=1, column=shown(header), code=Code.BAD_LOG))
    return problems


def _not_text(schemas: dict[Path, pa.Schema], read: set[str]) -> list[Problem]:
    """An error for each column the log reads (``read``: its headers) that holds lists, structs, maps or bytes,
    refused as the Parquet reader of tables refuses them (a bytes column read as text would show escapes, a list
    its brackets)."""
    from valuechain.io.parquet import AS_TEXT, not_text

    problems = []
    for path, schema in schemas.items():
        for column in schema:
            name = column.name.strip()
            why = not_text(column.type) if name in read else ""
            if why in ("lists, structs or maps", "bytes"):
                message = f"the column '{shown(name)}' holds {why} ({column.type}), not text"
                problems.append(Problem.error(str(path), message, AS_TEXT, column=shown(name),
                                              code=Code.UNREADABLE_FILE))  # fmt: skip
    return problems


def _csv_first_line(path: Path) -> str:
    """The first line of a CSV (its header), as text (a BOM dropped); at most 1 MB is read."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if b"\r" in line:  # lines that end with a carriage return alone (old Mac files): the table reader splits them
        raise CsvForTheTableReader(str(path))
    try:
        return line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvForTheTableReader(str(path)) from None


def _csv_delimiter(path: Path) -> str:
    """The delimiter the table reader would choose for this CSV (from its header line)."""
    from valuechain.io.read import _delimiter

    return _delimiter(_csv_first_line(path))


def _csv_header(path: Path) -> list[str]:
    """A CSV's headers, split as the table reader splits them; a header line DuckDB should not read (a quote
    inside, a header repeated or empty) is for the table reader."""
    import csv

    line = _csv_first_line(path)
    try:
        names = next(csv.reader([line], delimiter=_csv_delimiter(path)), [])
    except csv.Error:  # a header csv cannot split: the table reader names what is wrong
        raise CsvForTheTableReader(str(path)) from None
    stripped = [n.strip() for n in names]
    if not names or "" in stripped or len(set(stripped)) < len(stripped):
        raise CsvForTheTableReader(str(path))
    return names


def _in_format(time_format: str) -> str:
    """The SQL reading a time in the user's strftime format (DuckDB's strptime), as UTC."""
    literal = sql.DUCKDB_EXACT.quoted(time_format)
    return f"CAST(try_strptime(time_text, {literal}) AS TIMESTAMPTZ)"


def one(con: duckdb.DuckDBPyConnection, query: str, parameters: list | None = None) -> tuple:
    """The one row an aggregate query gives."""
    found = con.execute(query, parameters or []).fetchone()
    if found is None:  # pragma: no cover - an aggregate without GROUP BY always gives a row
        raise RuntimeError(f"no row from {query}")
    return found


def _rows(con: duckdb.DuckDBPyConnection, where: str, limit: int = LISTED, what: str = "text") -> list[tuple]:
    """The first ``limit`` events matching ``where`` (file order): file, row, ``what``; and how many match."""
    return con.execute(
        f"SELECT file, row, {what}, count(*) OVER () FROM events WHERE {where} ORDER BY ord LIMIT {int(limit)}"
    ).fetchall()


def _empty_cells(con: duckdb.DuckDBPyConnection, events: Events) -> list[Problem]:
    problems = []
    for name in ("case", "activity", "team"):
        rows = _rows(con, f"\"{name}\" = ''")
        for file, row, _, _ in rows:
            problems.append(
                Problem.error(
                    events.labels[file],
                    f"no {name} in this event",
                    f"fill in the {name}",
                    row=int(row),
                    column=events.columns[name],
                    code=Code.EMPTY_CELL,
                )
            )
        if rows and rows[0][3] > LISTED:
            problems.append(
                Problem.error(
                    events.labels[0], f"{rows[0][3] - LISTED} more events with no {name}", "", code=Code.EMPTY_CELL
                )
            )
    return problems


def _other_times(con: duckdb.DuckDBPyConnection, events: Events) -> list[Problem]:
    """Times that are not ISO 8601 as DuckDB reads it: read by the pandas rules once per distinct text (a column is
    read one way), then written into the events; the errors that decide the column (dates both ways) or a cell
    (no year)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE other_texts AS SELECT text, min(ord) AS first, arg_min(file, ord) AS file, "
        "arg_min(row, ord) AS row FROM events WHERE time IS NULL AND text <> '' GROUP BY text"
    )
    count, file, row, cell = one(
        con, "SELECT count(*), arg_min(file, first), arg_min(row, first), arg_min(text, first) FROM other_texts"
    )
    if count > OTHER_TIMES:  # read cell by cell in pandas: bounded, and --time-format reads them in SQL
        message = (
            f"{count:,} different times are not written as ISO 8601 (the first: '{cell}'), too many to read one by one"
        )
        hint = f"give their format with {_FORMAT_OPTION}, e.g. '%d/%m/%Y %H:%M'"
        column = events.columns["time"]
        return [Problem.error(events.labels[file], message, hint, row=int(row), column=column, code=Code.TIME_FORMAT)]
    distinct = con.execute("SELECT text, first, file, row FROM other_texts ORDER BY first").fetch_df()
    con.execute("DROP TABLE other_texts")
    if distinct.empty:
        return []
    label, column = events.labels[int(distinct.iloc[0, 2])], events.columns["time"]
    values = pd.Series(distinct["text"].to_numpy(dtype=object), index=distinct.iloc[:, 3].astype("int64").to_numpy())
    parsed, problems = _times_not_iso(values, label, column)
    if parsed is None:
        return problems
    times = pd.DataFrame({"text": distinct["text"], "time": parsed.dt.tz_convert("UTC").to_numpy()})
    times = times[times["time"].notna()]
    con.register("other_times", times)
    con.execute(
        "UPDATE events SET time = CAST(other_times.time AS TIMESTAMPTZ) FROM other_times "
        "WHERE events.time IS NULL AND events.text = other_times.text"
    )
    con.unregister("other_times")
    return problems


def _unreadable_times(con: duckdb.DuckDBPyConnection, events: Events) -> list[Problem]:
    column = events.columns["time"]
    problems = []
    empty = _rows(con, "time IS NULL AND text = ''")
    for file, row, _, _ in empty:
        problems.append(
            Problem.error(
                events.labels[file], "no time in this event", "fill in the time", row=int(row), column=column,
                code=Code.EMPTY_CELL,
            )
        )  # fmt: skip
    bad = _rows(con, "time IS NULL AND text <> ''")
    hint = "write it as 2026-01-31 14:05:00+01:00 (ISO 8601), or give its format with " + _FORMAT_OPTION
    for file, row, cell, _ in bad:
        problems.append(
            Problem.error(
                events.labels[file], f"cannot read the time '{cell}'", hint, row=int(row), column=column,
                code=Code.BAD_VALUE,
            )
        )  # fmt: skip
    more = max((empty[0][3] if empty else 0) - LISTED, 0) + max((bad[0][3] if bad else 0) - LISTED, 0)
    if more > 0:
        message = f"{more} more events with no time or one that cannot be read"
        problems.append(Problem.error(events.labels[0], message, "", code=Code.BAD_VALUE))
    return problems


def _unusable_format(first: tuple | None, labels: list[str], column: str, time_format: str) -> list[Problem]:
    """The error when the format cannot be used or has no year, checked as the pandas reader checks it on the
    first cell (``first``: its file, row and text), so that the message is the same."""
    if first is None:
        return []
    file, row, cell = first
    _, problems = _times_in_format(pd.Series([cell], index=[int(row)]), labels[file], column, time_format)
    return [p for p in problems if p.code == Code.TIME_FORMAT and "does not match" not in p.message]


def _format_problems(con: duckdb.DuckDBPyConnection, events: Events, time_format: str) -> list[Problem]:
    """Empty cells and cells that do not match the format, as :func:`valuechain.eventlog.read._times_in_format`
    says them."""
    column, problems = events.columns["time"], []
    for file, row, _, _ in _rows(con, "time IS NULL AND text = ''"):
        problems.append(
            Problem.error(
                events.labels[file], "no time in this event", "fill in the time", row=int(row), column=column,
                code=Code.EMPTY_CELL,
            )
        )  # fmt: skip
    bad = _rows(con, "time IS NULL AND text <> ''", limit=6)
    if bad:
        file, row, cell, count = bad[0]
        message = f"the time '{cell}' does not match the time format '{time_format}'"
        if count > 1:
            shown = ", ".join(str(r[1]) for r in bad[1:6]) + (", ..." if count > 6 else "")
            rows_do = f"{count - 1} more rows do" if count - 1 != 1 else "1 more row does"
            message += f"; {rows_do} not match either ({shown})"
        hint = f"give {_FORMAT_OPTION} the format the column is written in, or leave it out"
        problems.append(
            Problem.error(events.labels[file], message, hint, row=int(row), column=column, code=Code.TIME_FORMAT)
        )
    return problems


def _out_of_range(con: duckdb.DuckDBPyConnection, events: Events) -> list[Problem]:
    where = f"time < TIMESTAMPTZ '{EARLIEST}' OR time > TIMESTAMPTZ '{LATEST}'"
    rows = _rows(con, where, what="text, year(time)")
    problems = [
        Problem.error(
            events.labels[file],
            f"the time '{cell}' is in the year {year}: times must lie between {_RANGE}",
            "check the year",
            row=int(row),
            column=events.columns["time"],
            code=Code.BAD_VALUE,
        )
        for file, row, cell, year, _ in rows
    ]
    if rows and rows[0][4] > LISTED:
        message = f"{rows[0][4] - LISTED} more times outside {_RANGE}"
        problems.append(Problem.error(events.labels[0], message, "", code=Code.BAD_VALUE))
    return problems


def _zone_warning(con: duckdb.DuckDBPyConnection, events: Events) -> list[Problem]:
    zoned, naive, file, row = one(
        con,
        f"SELECT count(*) FILTER (WHERE z), count(*) FILTER (WHERE NOT z), arg_min(file, ord) FILTER (WHERE NOT z), "
        f"arg_min(row, ord) FILTER (WHERE NOT z) FROM (SELECT regexp_matches(text, '{ZONE}') AS z, file, row, ord "
        f"FROM events)",
    )
    if not zoned or not naive:
        return []
    return [
        Problem.warning(
            events.labels[file],
            f"{counted(naive, 'timestamp')} {'has' if naive == 1 else 'have'} no time zone while others have one; "
            "they are taken as UTC",
            "give every timestamp a zone (or none)",
            row=int(row),
            column=events.columns["time"],
            code=Code.BAD_VALUE,
        )
    ]


def load_frame(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, label: str, columns: dict[str, str]) -> Events:
    """The events :func:`valuechain.eventlog.read_log` read (small inputs: uploads, DataFrames, Excel, XES) as the
    table ``events``, in the order they were read."""
    table = pd.DataFrame(
        {
            "case": frame["case"].to_numpy(dtype=object),
            "activity": frame["activity"].to_numpy(dtype=object),
            "team": frame["team"].to_numpy(dtype=object),
            "time": frame["time"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[us]"),
            "ord": range(len(frame)),
            "row": frame.index.to_numpy(dtype="int64"),
        }
    )
    con.register("frame", table)
    con.execute(
        'CREATE TEMP TABLE events AS SELECT "case", activity, team, CAST(time AS TIMESTAMPTZ) AS time, ord, row, '
        "0 AS file, '' AS text FROM frame"
    )
    con.unregister("frame")
    return Events([label], columns)


def map_teams(con: duckdb.DuckDBPyConnection, events: Events, team_map: Any) -> list[Problem]:
    """People to teams in the table ``events`` (the map read by the pandas rules, once per distinct person)."""
    people = con.execute("SELECT team, arg_min(row, ord) FROM events GROUP BY team ORDER BY min(ord)").fetchall()
    series = pd.Series([p for p, _ in people], index=[int(r) for _, r in people], dtype=object)
    mapped, problems = _map_teams(series, team_map)
    if any(p.severity == "error" for p in problems):
        return problems
    con.register(
        "team_map", pd.DataFrame({"person": series.to_numpy(dtype=object), "team": mapped.to_numpy(dtype=object)})
    )
    con.execute("UPDATE events SET team = team_map.team FROM team_map WHERE events.team = team_map.person")
    con.unregister("team_map")
    return problems


def invisible_teams(con: duckdb.DuckDBPyConnection, events: Events, mapped: bool) -> list[Problem]:
    """An error for each team holding an invisible character, at its first event, with how many events have it."""
    teams = [t for (t,) in con.execute("SELECT DISTINCT team FROM events").fetchall()]
    bad = invisible_characters(pd.Series(teams, dtype=object), events.labels[0], events.columns["team"])
    problems = []
    for found in bad:
        team = teams[int(found.row or 0)]
        file, row, count = one(
            con, "SELECT arg_min(file, ord), arg_min(row, ord), count(*) FROM events WHERE team = ?", [team]
        )
        more = f"; {count - 1} more events have this team" if count > 1 else ""
        mapped_from = " (the team map gives it)" if mapped else ""
        problems.append(
            Problem.error(
                events.labels[file],
                found.message + mapped_from + more,
                found.hint,
                row=int(row),
                column=events.columns["team"],
                code=found.code,
            )
        )
    return problems


def pseudonymise(con: duckdb.DuckDBPyConnection) -> None:
    """Replace every team by its :func:`~valuechain.eventlog.pseudonym` (computed once per distinct team)."""
    from valuechain.eventlog.findings import pseudonym

    teams = [t for (t,) in con.execute("SELECT DISTINCT team FROM events").fetchall()]
    con.register("codes", pd.DataFrame({"team": teams, "code": [pseudonym(t) for t in teams]}, dtype=object))
    con.execute("UPDATE events SET team = codes.code FROM codes WHERE events.team = codes.team")
    con.unregister("codes")


def handover_rule(
    con: duckdb.DuckDBPyConnection, outcomes: list[str] | None, customer: str, approximate: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, LogFindings]:
    """The handover rule on the table ``events``: hand-offs, parties and what the log adds, computed in SQL."""
    dialect = sql.DUCKDB_APPROXIMATE if approximate else sql.DUCKDB_EXACT
    con.execute(f"CREATE OR REPLACE TEMP TABLE moves AS {sql.moves(dialect)}")
    handoffs = con.execute(sql.handoffs(dialect, outcomes, customer)).fetch_df()
    pairs = con.execute(sql.ping_pong(dialect, KEPT)).fetch_df()
    stuck = con.execute(sql.stuck(dialect, outcomes, KEPT)).fetch_df()
    teams = [t for (t,) in con.execute("SELECT DISTINCT team FROM events").fetchall()]
    cases, count = one(con, 'SELECT count(DISTINCT "case"), count(*) FROM events')
    con.execute("DROP TABLE moves")
    return assemble(handoffs, pairs, stuck, teams, (int(cases), int(count)), customer, dialect.waits, "duckdb")
