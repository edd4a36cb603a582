"""Read a table from CSV, Excel or a DataFrame into strings, keeping spreadsheet row numbers.

Nothing is interpreted here: every cell is a string exactly as written, the
header is the first row, blank rows are skipped, and each kept row remembers
the row number a spreadsheet would show for it (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from valuechain.problems import InputError, Problem

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
GRAPH_SUFFIXES = {".graphml", ".gexf", ".json", ".gml"}  # read by valuechain.io.graphs (not .gml), not as tables
DELIMITERS = (",", ";", "\t")


@dataclass
class RawTable:
    """A table of strings as the user wrote it.

    Attributes
    ----------
    label : str
        How messages name the table: the file path, with the sheet for Excel.
    frame : pandas.DataFrame
        One string column per header (headers as written, stripped of
        surrounding spaces); the index holds spreadsheet row numbers.
    problems : list of Problem
        Warnings found while reading (an unusual encoding, a column without a
        header).
    """

    label: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def edited(self, frame: pd.DataFrame) -> RawTable:
        """This table after a person edited its cells (in the dashboard): same label and row numbers.

        Rows keep their spreadsheet row number (the index); added rows (no
        number) are numbered after the last; blank rows are dropped; every cell
        becomes a string.

        Examples
        --------
        >>> raw = read_table(pd.DataFrame({"from": ["a", "b"], "to": ["b", "c"]}), "handoffs")
        >>> new = pd.DataFrame({"from": ["a", "x"], "to": ["b", "y"]}, index=[2, None])
        >>> raw.edited(new).frame.to_dict("index")
        {2: {'from': 'a', 'to': 'b'}, 4: {'from': 'x', 'to': 'y'}}
        """
        body = frame.astype(object).where(frame.notna(), "").astype(str)
        numbers = pd.to_numeric(pd.Series(frame.index, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
        last = int(max(np.nanmax(numbers) if np.isfinite(numbers).any() else 1, self.frame.index.max() or 1))
        missing = ~np.isfinite(numbers)
        numbers[missing] = last + 1 + np.arange(int(missing.sum()))
        body.index = pd.Index(numbers.astype(np.int64), name="row")
        return RawTable(self.label, body.loc[~_blank_rows(body)], list(self.problems))

    def renamed(self, columns: dict[str, str]) -> RawTable:
        """This table with the headers the user chose for each field (``{"source": "From team"}``).

        A column that already carried a field's own name, but is not the one
        chosen, is kept as ``"<name> (not used)"``.

        Examples
        --------
        >>> raw = read_table(pd.DataFrame({"A": ["x"], "B": ["y"]}), "handoffs")
        >>> list(raw.renamed({"source": "A", "target": "B"}).frame.columns)
        ['source', 'target']
        """
        missing = [h for h in columns.values() if h not in self.frame.columns]
        if missing:
            have = ", ".join(f"'{c}'" for c in self.frame.columns)
            raise InputError(
                [Problem.error(self.label, f"no column '{h}' to use (the headers are {have})", row=1) for h in missing]
            )
        chosen = {header: name for name, header in columns.items()}
        rename = {}
        for header in self.frame.columns:
            if header in chosen:
                rename[header] = chosen[header]
            elif header in columns and columns[header] != header:
                rename[header] = f"{header} (not used)"
        return RawTable(self.label, self.frame.rename(columns=rename), list(self.problems))


#: A table: a path, an open binary file (an upload) with a ``name``, a DataFrame, or a table already read.
TableSource = str | os.PathLike | BinaryIO | pd.DataFrame | RawTable


def _fail(label: str, message: str, hint: str = "", row: int | None = None) -> InputError:
    return InputError([Problem.error(label, message, hint, row=row)])


def read_table(source: TableSource, table: str, label: str | None = None) -> RawTable:
    """Read one table (``"handoffs"`` or ``"parties"``) from a file or a DataFrame.

    Parameters
    ----------
    source : path, binary file or DataFrame
        A CSV file (comma, semicolon or tab separated), an ``.xlsx`` workbook
        (the sheet named after ``table`` if there is one, else the first
        sheet), an open binary file with a ``name`` (an upload), or a DataFrame
        whose columns are the headers.
    table : {"handoffs", "parties"}
        Which table this is; chooses the sheet of a workbook.
    label : str, optional
        How messages name the table; defaults to the path or file name.

    Returns
    -------
    RawTable

    Raises
    ------
    InputError
        If the file cannot be read as a table at all.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = read_table(pd.DataFrame({"from": ["a"], "to": ["b"]}), "handoffs")
    >>> raw.frame.to_dict("records"), list(raw.frame.index)
    ([{'from': 'a', 'to': 'b'}], [2])
    """
    if isinstance(source, RawTable):
        return RawTable(label or source.label, source.frame, list(source.problems))
    if isinstance(source, pd.DataFrame):
        return _from_dataframe(source, label or f"{table} table")
    name, data = read_bytes(source, label, f"{table}.csv", what=f"the {table} file")
    label = label or name
    suffix = Path(name).suffix.lower()
    if suffix in GRAPH_SUFFIXES:
        raise _fail(
            label,
            f"this is a graph file ({suffix}), not a table",
            "give a .graphml, .gexf or node-link .json file on its own (without a parties file), "
            "or the hand-offs as CSV or .xlsx",
        )
    if suffix == ".xls":
        raise _fail(label, "old Excel .xls workbooks are not read", "save it as .xlsx or .csv")
    if suffix in EXCEL_SUFFIXES:
        return _from_excel(data, table, label)
    return _from_csv(data, label)


_PERMISSIONS = "check the path and its permissions"


def read_bytes(
    source, label: str | None = None, default_name: str = "input", what: str = "the file"
) -> tuple[str, bytes]:
    """The name and bytes of a path or an open binary file (an upload), for every reader of input.

    A path must be a regular file: a folder, a device such as ``/dev/zero`` or a
    named pipe is refused with a message (reading one would never end). An open
    file is read whole and put back where it was (one upload can hold two tables).

    Raises
    ------
    InputError
        The file does not exist, is not a regular file, or cannot be read.

    Examples
    --------
    >>> read_bytes("/dev/zero")
    Traceback (most recent call last):
    ...
    valuechain.problems.InputError: 1 problem in the input:
      /dev/zero: this is not a regular file (a device, a pipe or a socket); give a file saved on disk
    """
    import stat

    if hasattr(source, "read"):
        name = str(getattr(source, "name", "") or default_name)
        position = source.tell() if source.seekable() else None
        data = source.read()
        if position is not None:
            source.seek(position)  # the same upload can hold both tables
        if isinstance(data, str):
            data = data.encode("utf-8")
        return name, data
    name = str(source)
    shown = label or name
    path = Path(source)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise _fail(shown, "file not found", "check the path and the working folder") from None
    except OSError as err:
        raise _fail(shown, f"the file cannot be read ({err.strerror or err})", _PERMISSIONS) from None
    if stat.S_ISDIR(mode):
        raise _fail(shown, "this is a folder, not a file", f"name {what} inside it")
    if not stat.S_ISREG(mode):
        raise _fail(shown, "this is not a regular file (a device, a pipe or a socket)", "give a file saved on disk")
    try:
        return name, path.read_bytes()
    except OSError as err:
        raise _fail(shown, f"the file cannot be read ({err.strerror or err})", _PERMISSIONS) from None


def workbook_sheets(source: TableSource) -> list[str]:
    """The sheet names of an Excel workbook (empty for anything else, or an unreadable workbook)."""
    if isinstance(source, pd.DataFrame):
        return []
    if hasattr(source, "read"):
        if Path(str(getattr(source, "name", ""))).suffix.lower() not in EXCEL_SUFFIXES:
            return []
        position = source.tell()
        data = source.read()
        source.seek(position)
    else:
        path = Path(source)
        if path.suffix.lower() not in EXCEL_SUFFIXES or not path.is_file():
            return []
        data = path.read_bytes()
    return _sheets(data)


def _sheets(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file; the caller reports it
        return []
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def sheet_key(name: str) -> str:
    """A sheet or header name reduced for matching: case, spaces, ``_`` and ``-`` ignored."""
    return re.sub(r"[\s_\-]+", "", str(name)).casefold()


# --- CSV ---------------------------------------------------------------------------------


def _decode(data: bytes, label: str) -> tuple[str | None, str, list[Problem]]:
    """Choose how to decode the bytes; returns (encoding, text-or-empty, warnings).

    UTF-8 is passed to pandas undecoded (the fast path), so its text is empty.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return None, data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise _fail(label, "the file starts like UTF-16 but is not valid UTF-16", "save it as UTF-8 CSV") from None
    try:
        data.decode("utf-8")
        return "utf-8", "", []
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise _fail(label, "this is not a text table (it holds binary data)", "export the sheet as CSV or .xlsx")
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding != "cp1252" and not _other_script(data, encoding):
        # Latin text fits many single-byte code pages; Windows-1252 is the usual one.
        encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        encoding, text = "cp1252", data.decode("cp1252", errors="replace")
    warning = Problem.warning(
        label, f"the file is not UTF-8; it was read as {encoding}", "check accented names, or save the file as UTF-8"
    )
    return None, text, [warning]


def _other_script(data: bytes, encoding: str) -> bool:
    """Does decoding as ``encoding`` give mostly non-Latin letters (Cyrillic, Greek, CJK...)?"""
    import unicodedata

    try:
        text = data[: 1 << 16].decode(encoding, errors="ignore")
    except LookupError:
        return False
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return latin < len(letters) / 2


_QUOTED = re.compile(r'"[^"]*"')


def _delimiter(first_line: str) -> str:
    """The delimiter that splits the header line most (comma on a tie)."""
    bare = _QUOTED.sub("", first_line)
    counts = {d: bare.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _from_csv(data: bytes, label: str) -> RawTable:
    encoding, text, problems = _decode(data, label)
    if encoding is not None:
        head = data[:65536].decode(encoding, errors="ignore")
        buffer: io.IOBase = io.BytesIO(data)
    else:
        head = text[:65536]
        buffer = io.StringIO(text)
    first_line = next((line for line in head.splitlines() if line.strip()), "")
    if not first_line:
        raise _fail(label, "the file is empty", "the first row must hold the column headers")
    sep = _delimiter(first_line)
    if encoding is not None and data.count(b'"') % 2 == 0:
        frame = _arrow_csv(data, sep, len(next(csv.reader([first_line], delimiter=sep))))
        lines = data.count(b"\n") + (not data.endswith(b"\n"))
        # one line per row: nothing skipped, so Arrow's rows are the spreadsheet's
        if frame is not None and (lines == len(frame) or not _has_blank_lines(data)):
            return _with_header(frame, label, problems)
    try:
        frame = pd.read_csv(
            buffer,
            sep=sep,
            header=None,
            dtype=str,
            encoding=encoding,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as exc:
        if "fields in line" not in str(exc):
            raise InputError([_parser_problem(str(exc), label)]) from None
        frame, ragged = _ragged(text or data.decode(encoding or "utf-8", errors="replace"), sep, label)
        if ragged:
            raise InputError(ragged) from None
    except (pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise _fail(label, f"the file cannot be read as a table ({exc})", "save it as CSV (UTF-8) or .xlsx") from None
    return _with_header(frame, label, problems)


def _has_blank_lines(data: bytes) -> bool:
    """Blank lines would shift Arrow's row numbers (it skips them); the slower reader keeps them."""
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    return any(data.find(blank, 0, end) >= 0 for blank in (b"\n\n", b"\n\r\n", b"\r\r"))


def _arrow_csv(data: bytes, sep: str, width: int) -> pd.DataFrame | None:
    """Read UTF-8 CSV with Arrow's multi-threaded reader, every cell a string.

    Returns None when Arrow cannot read it as is (rows of uneven length, odd
    quoting); the caller then uses pandas' reader, which reports the details.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [f"f{i}" for i in range(width)]
    try:
        table = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    text = pd.Series([], dtype=str).dtype
    frame = table.to_pandas(types_mapper=lambda t: text if t == pa.string() else None)
    frame.columns = range(width)
    return frame


def _ragged(text: str, sep: str, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read rows of uneven length (the slow path): empty extra cells are trimmed,
    non-empty ones are an error for every such row."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    width = len(rows[0]) if rows else 0
    problems = []
    for number, row in enumerate(rows, start=1):
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                problems.append(
                    Problem.error(
                        label,
                        f"this row has {len(row)} cells but the header has {width}",
                        "remove the extra cells, or quote values that contain the delimiter",
                        row=number,
                    )
                )
            del row[width:]
        elif len(row) < width:
            row.extend([""] * (width - len(row)))
    return pd.DataFrame(rows, dtype=str), problems


def _parser_problem(message: str, label: str) -> Problem:
    if "EOF" in message:
        row = re.search(r"(?:line|row) (\d+)", message)
        return Problem.error(
            label,
            "a quoted value is never closed",
            'add the missing closing quote (")',
            row=int(row.group(1)) + 1 if row else None,
        )
    return Problem.error(label, f"the file cannot be read as a table ({message})", "check the delimiter and quotes")


# --- Excel -------------------------------------------------------------------------------


def _from_excel(data: bytes, table: str, label: str) -> RawTable:
    sheets = _sheets(data)
    if not sheets:
        raise _fail(
            label, "the workbook cannot be opened", "check that it is a real .xlsx file, or save it again from Excel"
        )
    by_key = {sheet_key(s): s for s in sheets}
    other = "parties" if table == "handoffs" else "handoffs"
    if table in by_key:
        sheet = by_key[table]
    elif other in by_key and len(sheets) > 1:
        message = f"the workbook has a '{by_key[other]}' sheet but no '{table}' sheet"
        raise _fail(label, message, f"name the sheet with the {table} '{table}'")
    elif other in by_key:
        raise _fail(label, f"this workbook holds only the {other} sheet", f"give the {table} file separately")
    else:
        sheet = sheets[0]
    frame = pd.read_excel(io.BytesIO(data), sheet_name=sheet, header=None, dtype=str, engine="openpyxl")
    return _with_header(frame.fillna(""), f"{label} [{sheet}]", [])


# --- DataFrames and the common part --------------------------------------------------------


def _from_dataframe(df: pd.DataFrame, label: str) -> RawTable:
    headers = pd.DataFrame([[str(c) for c in df.columns]], columns=range(df.shape[1]))
    body = df.astype(object).where(df.notna(), "").astype(str)
    body.columns = range(df.shape[1])
    frame = pd.concat([headers, body], ignore_index=True)
    return _with_header(frame, label, [])


def _with_header(frame: pd.DataFrame, label: str, problems: list[Problem]) -> RawTable:
    """Take row 0 as the header (row 1); number the rest as a spreadsheet does; drop blank rows."""
    frame = frame.fillna("")
    if frame.shape[0] == 0:
        raise _fail(label, "the file is empty", "the first row must hold the column headers")
    headers = [str(h).strip() for h in frame.iloc[0].tolist()]
    body = frame.iloc[1:]
    body.index = pd.RangeIndex(2, 2 + len(body), name="row")
    blank = _blank_rows(body)
    if blank.any():
        body = body.loc[~blank]
    keep, names, seen = [], [], {}
    errors: list[Problem] = []
    for pos, header in enumerate(headers):
        column = body.iloc[:, pos]
        if not header:
            if not (column.str.strip() != "").any():
                continue  # an empty column with no header (a trailing delimiter)
            header = f"column {_column_letter(pos)}"
            hint = f"its values are kept as '{header}'; give it a header"
            problems.append(Problem.warning(label, "this column has no header", hint, row=1, column=header))
        if header in seen:
            columns = f"columns {_column_letter(seen[header])} and {_column_letter(pos)}"
            message = f"two columns have the header '{header}' ({columns})"
            errors.append(Problem.error(label, message, "rename or remove one of them", row=1, column=header))
            continue
        seen[header] = pos
        keep.append(pos)
        names.append(header)
    if errors:
        raise InputError(errors + problems)
    if not names:
        raise _fail(label, "the header row is empty", "the first row must hold the column headers", row=1)
    body = body.iloc[:, keep].copy()
    body.columns = names
    return RawTable(label, body, problems)


def _blank_rows(body: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is empty or white space (narrowed column by column)."""
    if body.shape[1] == 0:
        return pd.Series(True, index=body.index)
    first = body.iloc[:, 0]
    candidates = np.flatnonzero(((first == "") | first.str.isspace()).to_numpy(dtype=bool))
    for pos in range(1, body.shape[1]):
        if len(candidates) == 0:
            break
        col = body.iloc[candidates, pos]
        candidates = candidates[((col == "") | col.str.isspace()).to_numpy(dtype=bool)]
    blank = np.zeros(len(body), dtype=bool)
    blank[candidates] = True
    return pd.Series(blank, index=body.index)


def _column_letter(pos: int) -> str:
    """Spreadsheet column letters: 0 -> A, 26 -> AA.

    Examples
    --------
    >>> _column_letter(0), _column_letter(27)
    ('A', 'AB')
    """
    letters = ""
    pos += 1
    while pos:
        pos, rem = divmod(pos - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
