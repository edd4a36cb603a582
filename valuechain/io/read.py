"""Read a table from CSV, Excel or a DataFrame into strings, keeping spreadsheet row numbers.

Nothing is interpreted here: every cell is a string exactly as written (an
Excel number as its display format shows it where that format only pads or
fixes decimals), the header is the first non-blank row, blank rows are
skipped, and each kept row remembers the row number a spreadsheet would show
for it (a header on the first line is row 1; blank lines before it count).

What cannot be read exactly is refused with a message naming the file, row and
column: a row repeating the header, an Excel error value (``#N/A``), a formula
whose result was never saved, a sheet far wider or larger than any org's table,
a workbook that unpacks to far more than its size (a zip bomb).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, TypeAlias, cast

import numpy as np
import pandas as pd

from valuechain.problems import Code, InputError, Problem, listing, shown

if TYPE_CHECKING:
    from collections.abc import Iterator

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet"}
GRAPH_SUFFIXES = {".graphml", ".gexf", ".json", ".gml"}  # read by valuechain.io.graphs (not .gml), not as tables
DELIMITERS = (",", ";", "\t")  # and "|" when a "sep=|" line names it


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
            have = listing(list(self.frame.columns))
            raise InputError(
                [
                    Problem.error(
                        self.label,
                        f"no column '{shown(h)}' to use (the headers are {have})",
                        row=1,
                        code=Code.MISSING_COLUMN,
                    )
                    for h in missing
                ]
            )
        chosen = {header: name for name, header in columns.items()}
        rename = {}
        for header in self.frame.columns:
            if header in chosen:
                rename[header] = chosen[header]
            elif header in columns and columns[header] != header:
                rename[header] = f"{header} (not used)"
        return RawTable(self.label, self.frame.rename(columns=rename), list(self.problems))


#: A file: a path, or an open binary file (an upload) with a ``name``.
FileSource: TypeAlias = str | os.PathLike[str] | BinaryIO
#: A table: a path, an open binary file (an upload) with a ``name``, a DataFrame, or a table already read.
TableSource: TypeAlias = str | os.PathLike[str] | BinaryIO | pd.DataFrame | RawTable


def _fail(label: str, message: str, hint: str = "", row: int | None = None, *, code: Code) -> InputError:
    return InputError([Problem.error(label, message, hint, row=row, code=code)])


#: How messages name each table read by ``read_table``.
_TABLE_WORDS = {
    "handoffs": "hand-offs",
    "parties": "parties",
    "events": "events",
    "team map": "team map",
    "decisions": "decisions",
}


def read_table(source: TableSource, table: str, *, label: str | None = None) -> RawTable:
    """Read one table (``"handoffs"`` or ``"parties"``) from a file or a DataFrame.

    Parameters
    ----------
    source : path, binary file or DataFrame
        A CSV file (comma, semicolon or tab separated), an ``.xlsx`` workbook
        (the sheet named after ``table`` if there is one, else the first
        visible sheet), a Parquet file (``.parquet``; its records are rows 2, 3 and so on,
        :mod:`valuechain.io.parquet`), an open binary file with a ``name`` (an upload), or a DataFrame
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
    name, data = read_bytes(source, label=label, default_name=f"{table}.csv", what=f"the {table} file")
    label = label or name
    suffix = Path(name).suffix.lower()
    if suffix in GRAPH_SUFFIXES:
        raise _fail(
            label,
            f"this is a graph file ({suffix}), not a table",
            "give a .graphml, .gexf or node-link .json file on its own (without a parties file), "
            "or the hand-offs as CSV or .xlsx",
            code=Code.UNREADABLE_FILE,
        )
    if suffix == ".xls":
        raise _fail(
            label, "old Excel .xls workbooks are not read", "save it as .xlsx or .csv", code=Code.UNREADABLE_FILE
        )
    try:
        if suffix in EXCEL_SUFFIXES:
            return _from_excel(data, table, label)
        from valuechain.io.parquet import from_parquet, is_parquet

        if suffix in PARQUET_SUFFIXES or is_parquet(data):  # a Parquet file is one by its content too
            return from_parquet(data, label)
        return _from_csv(data, label)
    except MemoryError:
        raise _fail(
            label,
            f"there is not enough memory to read this file ({len(data) / 1e6:,.1f} MB)",
            "split it into smaller files, or close other programs and try again",
            code=Code.TOO_LARGE,
        ) from None


_PERMISSIONS = "check the path and its permissions"


def read_bytes(
    source: FileSource, *, label: str | None = None, default_name: str = "input", what: str = "the file"
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
    valuechain.exceptions.InputError: 1 problem in the input:
      /dev/zero: this is not a regular file (a device, a pipe or a socket); give a file saved on disk
    """
    import stat

    if hasattr(source, "read"):
        upload = cast(BinaryIO, source)
        name = str(getattr(upload, "name", "") or default_name)
        position = upload.tell() if upload.seekable() else None
        data: bytes | str = upload.read()
        if position is not None:
            upload.seek(position)  # the same upload can hold both tables
        return name, data.encode("utf-8") if isinstance(data, str) else data
    path = Path(source)
    name = str(source)
    shown = label or name
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise _fail(
            shown, "file not found", "check the path and the working folder", code=Code.UNREADABLE_FILE
        ) from None
    except OSError as err:
        raise _fail(
            shown, f"the file cannot be read ({err.strerror or err})", _PERMISSIONS, code=Code.UNREADABLE_FILE
        ) from None
    if stat.S_ISDIR(mode):
        raise _fail(shown, "this is a folder, not a file", f"name {what} inside it", code=Code.UNREADABLE_FILE)
    if not stat.S_ISREG(mode):
        raise _fail(
            shown,
            "this is not a regular file (a device, a pipe or a socket)",
            "give a file saved on disk",
            code=Code.UNREADABLE_FILE,
        )
    try:
        return name, path.read_bytes()
    except OSError as err:
        raise _fail(
            shown, f"the file cannot be read ({err.strerror or err})", _PERMISSIONS, code=Code.UNREADABLE_FILE
        ) from None
    except MemoryError:
        size = f"{path.stat().st_size / 1e6:,.1f} MB"
        raise _fail(
            shown,
            f"there is not enough memory to read this file ({size})",
            "split it into smaller files",
            code=Code.TOO_LARGE,
        ) from None


def workbook_sheets(source: TableSource) -> list[str]:
    """The sheet names of an Excel workbook, hidden ones included (empty for anything else, or an unreadable
    or refused workbook: reading it then says why)."""
    if isinstance(source, pd.DataFrame | RawTable):
        return []
    if hasattr(source, "read"):
        upload = cast(BinaryIO, source)
        if Path(str(getattr(upload, "name", ""))).suffix.lower() not in EXCEL_SUFFIXES:
            return []
        position = upload.tell()
        data = upload.read()
        upload.seek(position)
    else:
        path = Path(cast("str | os.PathLike[str]", source))
        if path.suffix.lower() not in EXCEL_SUFFIXES or not path.is_file():
            return []
        data = path.read_bytes()
    return _sheets(data)


def _sheets(data: bytes) -> list[str]:
    try:
        wb = _open_workbook(data, "workbook")
    except InputError:
        return []
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def sheet_key(name: str) -> str:
    """A sheet or header name reduced for matching: case, spaces, ``_`` and ``-`` ignored."""
    return re.sub(r"[\s_\-]+", "", str(name)).casefold()


# --- CSV ---------------------------------------------------------------------------------

#: Tables wider than this are kept as one block of Python strings: pandas' string columns cost about 50 µs
#: each to build, so 50,000 of them took seconds; no org's table comes near (hand-offs have a handful).
WIDE = 1_000


def _decode(data: bytes, label: str) -> tuple[bytes | str, list[Problem]]:
    """The file's content and warnings: UTF-8 bytes without a BOM (for Arrow's fast reader), or decoded text.

    UTF-8 (with or without a BOM), UTF-16 and UTF-32 (with a BOM, or without one when the pattern of NUL
    bytes says so) are read as they are; anything else is detected (or read as Windows-1252) with a warning.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :], []
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32")):
        if data.startswith(bom):
            text = _decoded(data, codec, declared=True)
            if text is not None:
                return text, []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decoded(data, "utf-16", declared=True)
        if text is None:
            raise _fail(
                label,
                "the file starts like UTF-16 but is not valid UTF-16",
                "save it as UTF-8 CSV",
                code=Code.UNREADABLE_FILE,
            )
        return text, []
    nul = b"\x00" in data[:4096]
    if nul:
        for guess in dict.fromkeys((_wide_unicode(data[:4096]), *_utf16_by_text(data))):
            text = _decoded(data, guess) if guess else None
            if text is not None:
                return text, []
    try:
        data.decode("utf-8")
        return data, []
    except UnicodeDecodeError:
        pass
    if nul:
        raise _fail(
            label,
            "this is not a text table (it holds binary data)",
            "export the sheet as CSV or .xlsx",
            code=Code.UNREADABLE_FILE,
        )
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
        label,
        f"the file is not UTF-8; it was read as {encoding}",
        "check accented names, or save the file as UTF-8",
        code=Code.ENCODING,
    )
    return text, [warning]


def _wide_unicode(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 (LE or BE) without a BOM, told by where the NUL bytes fall in the first bytes.

    Text in those encodings has a zero in the high bytes of nearly every character (every one for UTF-32,
    whose top byte is always zero; the ASCII delimiters, digits and line ends for UTF-16). The caller
    decodes strictly and checks the text, so binary data that happens to match is still refused.

    Examples
    --------
    >>> [_wide_unicode("id,kind\\n".encode(c)) for c in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")]
    ['utf-16-le', 'utf-16-be', 'utf-32-le', 'utf-32-be']
    """

    def zero_share(offset: int, step: int) -> float:
        part = sample[offset : len(sample) - len(sample) % step : step]
        return part.count(0) / len(part) if part else 0.0

    if len(sample) >= 4:
        if zero_share(3, 4) == 1 and zero_share(2, 4) > 0.95 and zero_share(0, 4) < 0.5:
            return "utf-32-le"
        if zero_share(0, 4) == 1 and zero_share(1, 4) > 0.95 and zero_share(3, 4) < 0.5:
            return "utf-32-be"
    if len(sample) >= 2:
        if zero_share(1, 2) > 0.3 and zero_share(0, 2) < 0.05:
            return "utf-16-le"
        if zero_share(0, 2) > 0.3 and zero_share(1, 2) < 0.05:
            return "utf-16-be"
    return None


def _utf16_by_text(data: bytes) -> list[str]:
    r"""UTF-16 (LE or BE) without a BOM, told by the text: mostly non-Latin text has too few NUL bytes for
    ``_wide_unicode`` (Chinese), or is even valid UTF-8 (Russian: every byte below 0x80).

    A codec is kept when the first 4 KB decode strictly to text whose first line holds a delimiter, that
    has a line end (or is the whole file), and holds no control character but tab, CR, LF (and NUL, reported
    later with its line). The wrong byte
    order turns the ASCII delimiters and line ends into other characters, so at most one passes.

    Examples
    --------
    >>> _utf16_by_text("来源,目标\n销售部门,客户\n".encode("utf-16-le")), _utf16_by_text(b"ab\x00\x00" * 3)
    (['utf-16-le'], [])
    """
    found: list[str] = []
    if len(data) % 2:
        return found
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            sample = codecs.getincrementaldecoder(codec)().decode(data[:4096], final=len(data) <= 4096)
        except UnicodeDecodeError:
            continue
        line = _LINE_END_TEXT.search(sample)
        if line is None and len(data) > 4096:
            continue
        first = sample[: line.start() if line else len(sample)]
        if any(d in first for d in DELIMITERS) and not any(c < " " and c not in "\t\r\n\x00" for c in sample):
            found.append(codec)
    return found


def _decoded(data: bytes, codec: str, declared: bool = False) -> str | None:
    """The text, if ``data`` is valid in ``codec`` and reads as text (few control characters, NUL included).

    With ``declared`` (the file starts with the codec's byte-order mark), any valid text is returned: a
    NUL in it is then reported with its line by the caller, not taken for another encoding.
    """
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if declared:
        return text
    sample = text[:4096]
    control = sum(1 for c in sample if c < " " and c not in "\t\r\n\x00")
    # a NUL or two in text is kept for the caller to report with its line; more is binary data
    return None if control > len(sample) / 100 or text.count("\x00") > max(2, len(text) / 100) else text


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
#: Lines before the header holding nothing but spaces, tabs and delimiters (an export's blank top rows).
_BLANK_LINES = r"\A(?:[ \t,;]*(?:\r\n|\n|\r))*"
_BLANK_LINES_TEXT, _BLANK_LINES_BYTES = re.compile(_BLANK_LINES), re.compile(_BLANK_LINES.encode())
_LINE_END_TEXT, _LINE_END_BYTES = re.compile(r"\r\n|\n|\r"), re.compile(rb"\r\n|\n|\r")


def _delimiter(first_line: str) -> str:
    """The delimiter that splits the header line most (comma on a tie)."""
    bare = _QUOTED.sub("", first_line)
    counts = {d: bare.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _skip_blank_lines(content: bytes | str) -> tuple[bytes | str, int]:
    """The content from the header's line on, and how many blank lines came before it."""
    if isinstance(content, bytes):
        lead = _end(_BLANK_LINES_BYTES.match(content))
        return content[lead:], len(_LINE_END_BYTES.findall(content, 0, lead))
    lead = _end(_BLANK_LINES_TEXT.match(content))
    return content[lead:], len(_LINE_END_TEXT.findall(content, 0, lead))


def _end(match: re.Match | None) -> int:
    """Where a match of a pattern that always matches (it may match nothing) ends."""
    assert match is not None  # the patterns match the empty string
    return match.end()


def _first_line(content: bytes | str) -> tuple[str, int | None]:
    """The first line of the content as text, and where the next line starts (None when there is none).

    Examples
    --------
    >>> _first_line(b"a,b\\r\\nc,d"), _first_line("a;b")
    (('a,b', 5), ('a;b', None))
    """
    if isinstance(content, bytes):
        found_bytes = _LINE_END_BYTES.search(content)
        line = content[: found_bytes.start() if found_bytes else len(content)].decode("utf-8")
        return line, found_bytes.end() if found_bytes else None
    found = _LINE_END_TEXT.search(content)
    return content[: found.start() if found else len(content)], found.end() if found else None


def _nul_line(content: bytes | str) -> int | None:
    """The line (from 1) holding the first NUL character, if any."""
    if isinstance(content, bytes):
        at = content.find(b"\x00")
        return content.count(b"\n", 0, at) + 1 if at >= 0 else None
    at = content.find("\x00")
    return content.count("\n", 0, at) + 1 if at >= 0 else None


def _from_csv(data: bytes, label: str) -> RawTable:
    content, problems = _decode(data, label)
    line = _nul_line(content)
    if line is not None:  # no text table holds one; kept, it would reach every message that quotes the cell
        raise _fail(
            label,
            f"this is not a text table: line {line:,} holds a NUL byte",
            "export the sheet again as CSV (UTF-8) or .xlsx",
            code=Code.UNREADABLE_FILE,
        )
    content, skipped = _skip_blank_lines(content)
    first_line, next_line = _first_line(content)
    told = _SEP_LINE.fullmatch(first_line)
    if told and next_line is not None:  # Excel's "sep=;" line names the delimiter; Excel shows neither it nor a row
        content, below = _skip_blank_lines(content[next_line:])  # blank lines below it are rows in Excel
        return _from_csv_rows(content, label, problems, skipped + below, told.group(1))
    return _from_csv_rows(content, label, problems, skipped)


#: The line Excel reads as the delimiter's name (``sep=;``) when it opens a CSV file.
_SEP_LINE = re.compile(r"sep=([,;\t|])", re.IGNORECASE)


def _from_csv_rows(
    content: bytes | str, label: str, problems: list[Problem], skipped: int, sep: str | None = None
) -> RawTable:
    """The table from the header's line on (``skipped`` blank lines came before it)."""
    first_line = _first_line(content)[0]
    if not first_line.strip(" \t,;"):
        raise _fail(label, "the file is empty", "the first row must hold the column headers", code=Code.EMPTY)
    sep = sep or _delimiter(first_line)
    _allow_fields(len(content))
    width = len(next(csv.reader([first_line], delimiter=sep)))
    if width > WIDE:  # Python's csv reader: Arrow and pandas build each of thousands of columns on its own
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        frame, ragged = _ragged(text, sep, label, skipped, strict=True)
        if ragged:
            raise InputError(ragged)
        return _with_header(frame, label, problems, first=skipped + 1)
    quotes = content.count(b'"') if isinstance(content, bytes) else 1  # (text goes to pandas' reader)
    if isinstance(content, bytes) and quotes % 2 == 0:  # bytes with balanced quotes: Arrow's reader
        frame = _arrow_csv(content, sep, width, has_quotes=quotes > 0)
        # no blank line (Arrow skips them), or as many lines as rows: Arrow's rows are the spreadsheet's
        if frame is not None and (
            not _has_blank_lines(content) or content.count(b"\n") + (not content.endswith(b"\n")) == len(frame)
        ):
            return _with_header(frame, label, problems, first=skipped + 1)
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            dtype=str if width <= WIDE else object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as exc:
        if "fields in line" not in str(exc):
            raise InputError([_parser_problem(str(exc), label, skipped)]) from None
        frame, ragged = _ragged(text, sep, label, skipped)
        if ragged:
            raise InputError(ragged) from None
    except pd.errors.EmptyDataError as exc:
        message = f"the file cannot be read as a table ({exc})"
        raise _fail(label, message, "save it as CSV (UTF-8) or .xlsx", code=Code.UNREADABLE_FILE) from None
    return _with_header(frame, label, problems, first=skipped + 1)


#: The longest field Python's csv reader may be allowed (its limit is a C long; 2 GiB fits everywhere).
_FIELD_LIMIT_MAX = 2**31 - 1


def _allow_fields(size: int) -> None:
    """Let Python's csv reader read cells as long as ``size`` characters (a whole file in one cell).

    Its default limit (131,072 characters) made a long header or cell fail with ``_csv.Error``, or be taken
    for a stray quote. The limit is only ever raised (readers in other threads may rely on it), to what the
    data needs.
    """
    needed = min(size + 1, _FIELD_LIMIT_MAX)
    if csv.field_size_limit() < needed:
        csv.field_size_limit(needed)


def _has_blank_lines(data: bytes) -> bool:
    """Blank lines would shift Arrow's row numbers (it skips them); the slower reader keeps them."""
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    return any(data.find(blank, 0, end) >= 0 for blank in (b"\n\n", b"\n\r\n", b"\r\r"))


def _arrow_csv(data: bytes, sep: str, width: int, has_quotes: bool = True) -> pd.DataFrame | None:
    """Read UTF-8 CSV with Arrow's multi-threaded reader, every cell a string.

    Returns None when Arrow cannot read it as is (rows of uneven length, odd
    quoting); the caller then uses pandas' reader, which reports the details.
    Without a quote in the data (``has_quotes`` False) no value can hold a line
    break, and Arrow splits the blocks between its threads at any line end
    (twice as fast at three million rows).
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [f"f{i}" for i in range(width)]
    try:
        table = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=has_quotes),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),  # pandas' own storage: no copy after
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    if width > WIDE:
        cells = np.empty((table.num_rows, width), dtype=object)
        for pos, column in enumerate(table.columns):
            cells[:, pos] = column.to_numpy(zero_copy_only=False)
        return pd.DataFrame(cells, dtype=object)
    text = pd.Series([], dtype=str).dtype
    frame = table.to_pandas(types_mapper=lambda t: text if t in (pa.string(), pa.large_string()) else None)
    frame.columns = range(width)
    return frame


def _ragged(
    text: str, sep: str, label: str, skipped: int = 0, strict: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read rows of uneven length (the slow path): empty extra cells are trimmed,
    non-empty ones are an error for every such row. ``strict`` refuses stray quotes."""
    _allow_fields(len(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=strict)
    try:
        rows = list(reader)
    except csv.Error as exc:
        message = "a quoted value is never closed" if "end of data" in str(exc) else f"a stray quote ({exc})"
        line = None if "end of data" in str(exc) else skipped + reader.line_num
        raise InputError(
            [Problem.error(label, message, 'check the quotes (")', row=line, code=Code.UNREADABLE_FILE)]
        ) from None
    width = len(rows[0]) if rows else 0
    problems = []
    for number, row in enumerate(rows, start=skipped + 1):
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                problems.append(
                    Problem.error(
                        label,
                        f"this row has {len(row)} cells but the header has {width}",
                        "remove the extra cells, or quote values that contain the delimiter",
                        row=number,
                        code=Code.BAD_ROW,
                    )
                )
            del row[width:]
        elif len(row) < width:
            row.extend([""] * (width - len(row)))
    if width > WIDE:
        return pd.DataFrame(np.array(rows, dtype=object).reshape(len(rows), width), dtype=object), problems
    return pd.DataFrame(rows, dtype=str), problems


def _parser_problem(message: str, label: str, skipped: int = 0) -> Problem:
    if "EOF" in message:
        row = re.search(r"(?:line|row) (\d+)", message)
        return Problem.error(
            label,
            "a quoted value is never closed",
            'add the missing closing quote (")',
            row=int(row.group(1)) + 1 + skipped if row else None,
            code=Code.UNREADABLE_FILE,
        )
    return Problem.error(
        label,
        f"the file cannot be read as a table ({shown(message, 200)})",
        "check the delimiter and quotes",
        code=Code.UNREADABLE_FILE,
    )


# --- Excel -------------------------------------------------------------------------------

# What a workbook may hold before it is refused. A sheet is read sparsely (only the cells it holds), so
# what it declares (its dimension, a stray value in column XFD) never makes a grid by itself; the table
# built from it is bounded instead. No org's table comes near these limits: hand-offs and parties have a
# handful of columns, and Excel itself stops at 1,048,576 rows.
#: Columns of content: a value further right (column XFD is number 16,384) refuses the sheet.
EXCEL_MAX_COLUMNS = 1_000
#: Cells of the table built (rows with content times columns): a million rows of 20 columns.
EXCEL_MAX_CELLS = 20_000_000
#: Rows a sheet may list: Excel's own limit.
EXCEL_MAX_ROWS = 1_048_576
#: The workbook's files unpacked, in all: 1 GiB (a sheet of 20 million cells is about 800 MB of XML).
ZIP_MAX_UNPACKED = 1 << 30
#: A file inside the workbook that unpacks to more than this many times its packed size, once past
#: ZIP_RATIO_FROM bytes, is a zip bomb: real sheets pack about 5 to 30 times (a sheet of one
#: value repeated 300,000 times packs 17 times), and parsing costs time in proportion to the unpacked size.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM = 10 << 20

_EXCEL_HINT = "check that it is a real .xlsx file, or save it again from Excel"


def _check_zip(data: bytes, label: str) -> None:
    """Refuse a workbook that is not a zip file, or whose files unpack to far more than it holds.

    The sizes are read from the zip's directory before anything is unpacked; Python's zipfile never
    unpacks more than a file's stated size (and fails on a mismatch), so the check bounds the work.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _fail(label, "the workbook cannot be opened", _EXCEL_HINT, code=Code.UNREADABLE_FILE) from None
    total = sum(m.file_size for m in members)
    if total > ZIP_MAX_UNPACKED:
        raise _fail(
            label,
            f"the workbook unpacks to {total / 1e6:,.0f} MB (more than {ZIP_MAX_UNPACKED / 1e6:,.0f} MB are not read)",
            "save the table alone as CSV, or split the workbook",
            code=Code.TOO_LARGE,
        )
    for member in members:
        if member.file_size > ZIP_RATIO_FROM and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1):
            raise _fail(
                label,
                f"the workbook's part '{shown(member.filename)}' unpacks to {member.file_size / 1e6:,.0f} MB from "
                f"{member.compress_size / 1e3:,.0f} KB, over {ZIP_MAX_RATIO} times its size (a zip bomb?)",
                "save the workbook again from Excel, or give the table as CSV",
                code=Code.UNREADABLE_FILE,
            )


def _open_workbook(data: bytes, label: str) -> Any:
    """An openpyxl workbook in read-only mode with saved formula results, once the zip's sizes are checked."""
    _check_zip(data, label)
    try:
        return _lazy_workbook(data)
    except MemoryError:
        raise
    except Exception:  # openpyxl raises many kinds for a broken file
        raise _fail(label, "the workbook cannot be opened", _EXCEL_HINT, code=Code.UNREADABLE_FILE) from None


def _lazy_workbook(data: bytes) -> Any:
    """openpyxl's read-only workbook, without the size of every sheet worked out on opening.

    openpyxl reads each sheet's ``dimension`` when it opens a workbook, and parses the whole sheet when there
    is none (files written by openpyxl itself, or crafted ones): every sheet, even those never read. The rows
    here are read sparsely and never need it. Should openpyxl's internals change, ``load_workbook`` is used.
    """
    from openpyxl import load_workbook
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            pass

    class Reader(ExcelReader):
        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files:
                    continue
                if "chartsheet" in rel.Type:
                    self.read_chartsheet(sheet, rel)
                    continue
                ws = Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
                self.wb._sheets.append(ws)

    try:
        reader = Reader(io.BytesIO(data), read_only=True, data_only=True)
    except TypeError:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _from_excel(data: bytes, table: str, label: str) -> RawTable:
    wb = _open_workbook(data, label)
    try:
        sheet, problems = _choose_sheet(wb, table, label)
        where = f"{label} [{shown(sheet.title)}]"
        try:
            frame, numbers, cell_problems = _sheet_table(wb, sheet, where, table)
        except (InputError, MemoryError):
            raise
        except Exception as exc:  # a sheet openpyxl cannot parse (bad XML, a bad row number...)
            message = f"the sheet '{shown(sheet.title)}' cannot be read ({shown(exc, 120)})"
            hint = "save the workbook again from Excel, or give the table as CSV"
            raise _fail(where, message, hint, code=Code.UNREADABLE_FILE) from None
    finally:
        wb.close()
    problems += cell_problems
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return _with_header(frame, where, problems, numbers=numbers)


def _choose_sheet(wb: Any, table: str, label: str) -> tuple[Any, list[Problem]]:
    """The sheet to read as ``table``: the one named for it, else the first visible one (with a warning when
    the workbook has others); a hidden sheet is read only when it is named for the table."""
    what = _TABLE_WORDS.get(table, table)
    sheets = list(wb.worksheets)  # chart sheets hold no cells
    if not sheets:
        raise _fail(label, "the workbook has no worksheet", "put the table on a worksheet", code=Code.SHEET_CHOICE)
    named = [s for s in sheets if sheet_key(s.title) == sheet_key(table)]
    if named:
        sheet = next((s for s in named if s.sheet_state == "visible"), named[0])
        if sheet.sheet_state != "visible":
            message = f"the sheet '{shown(sheet.title)}' is hidden; it was read as the {what} because of its name"
            hint = "unhide it in Excel, or rename it if it is not the table"
            return sheet, [Problem.warning(label, message, hint, code=Code.SHEET_CHOICE)]
        return sheet, []
    other = {"handoffs": "parties", "parties": "handoffs"}.get(table)
    others = [s for s in sheets if other and sheet_key(s.title) == other]
    if others and len(wb.sheetnames) > 1:
        message = f"the workbook has a '{shown(others[0].title)}' sheet but no '{table}' sheet"
        raise _fail(label, message, f"name the sheet with the {table} '{table}'", code=Code.SHEET_CHOICE)
    if others:
        message, hint = f"this workbook holds only the {other} sheet", f"give the {table} file separately"
        raise _fail(label, message, hint, code=Code.SHEET_CHOICE)
    visible = [s for s in sheets if s.sheet_state == "visible"]
    if not visible:
        message, hint = "every sheet of the workbook is hidden", f"unhide the sheet that holds the {what}"
        raise _fail(label, message, hint, code=Code.SHEET_CHOICE)
    sheet = visible[0]
    if len(wb.sheetnames) > 1:
        message = f"read sheet '{shown(sheet.title)}' (the first visible sheet) as the {what}"
        return sheet, [Problem.warning(label, message, f"name the sheet '{table}' to choose", code=Code.SHEET_CHOICE)]
    return sheet, []


def _sheet_rows(wb: Any, sheet: Any) -> Iterator[tuple[int, list[dict]]]:
    """Each row of a sheet that lists cells, as ``(row number, cells)``; a cell is a dict of ``column``,
    ``value``, ``data_type`` (as openpyxl names them: n, s, b, d, e, plus "unsaved formula" for a formula
    whose result was never saved, which openpyxl reads as an empty cell) and ``style_id``.

    The sheet's XML is read with expat directly, in chunks, keeping only the cells it lists: about ten times
    faster than openpyxl's parser, which builds an element per tag. A document type declaration (and so any
    entity) is refused, as defusedxml refuses it.
    """
    from xml.parsers import expat

    from openpyxl.utils.datetime import from_excel, from_ISO8601

    dates = (from_excel, from_ISO8601)
    shared, epoch = sheet._shared_strings, wb.epoch
    date_formats, timedelta_formats = wb._date_formats, wb._timedelta_formats
    rows: list[tuple[int, list[dict]]] = []
    state: dict[str, Any] = {"row": 0, "cells": None, "cell": None, "text": None, "inline": 0, "phonetic": 0}

    def refuse(*args: object) -> NoReturn:
        raise ValueError("the sheet declares a document type or entities")

    def start(tag: str, attrs: dict[str, str]) -> None:
        if ":" in tag:  # a namespace prefix (x:c)
            tag = tag.rpartition(":")[2]
        if tag == "c":
            cells = state["cells"]
            ref = attrs.get("r")
            column = _column_number(ref) if ref else (cells[-1]["column"] + 1 if cells else 1)
            style = attrs.get("s")
            state["cell"] = {
                "ref": ref,
                "column": column,
                "t": attrs.get("t", "n"),
                "style_id": int(style) if style else 0,
                "v": None,
                "f": None,
                "is": None,
            }
        elif tag == "v" or tag == "f":
            if state["cell"] is not None:
                state["text"] = []
        elif tag == "row":
            number = attrs.get("r")
            state["row"] = int(float(number)) if number else state["row"] + 1
            state["cells"] = []
        elif tag == "is":
            state["inline"] = 1
            if state["cell"] is not None:
                state["cell"]["is"] = []
        elif tag == "rPh":
            state["phonetic"] += 1
        elif tag == "t" and state["inline"] and not state["phonetic"]:
            state["text"] = []

    def end(tag: str) -> None:
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        cell = state["cell"]
        if tag in ("v", "f") and cell is not None and state["text"] is not None:
            cell[tag] = "".join(state["text"])
            state["text"] = None
        elif tag == "t" and state["text"] is not None and cell is not None and cell["is"] is not None:
            cell["is"].append("".join(state["text"]))
            state["text"] = None
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "is":
            state["inline"] = 0
        elif tag == "c" and cell is not None:
            state["cell"] = None
            if state["cells"] is not None:
                state["cells"].append(_cell_value(cell, shared, epoch, date_formats, timedelta_formats, dates))
        elif tag == "row":
            rows.append((state["row"], state["cells"] or []))
            state["cells"] = None

    def text(data: str) -> None:
        if state["text"] is not None:
            state["text"].append(data)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    with sheet._get_source() as source:
        while chunk := source.read(1 << 20):
            parser.Parse(chunk, False)
            yield from rows
            rows.clear()
        parser.Parse(b"", True)
        yield from rows


def _column_number(ref: str) -> int:
    """The column of a cell reference: ``"B7"`` -> 2, ``"XFD1"`` -> 16,384."""
    number = 0
    for char in ref:
        code = ord(char) | 32  # lower case
        if not 97 <= code <= 122:
            break
        number = number * 26 + code - 96
    return number


def _cell_value(
    cell: dict, shared: Any, epoch: Any, date_formats: Any, timedelta_formats: Any, dates: tuple[Any, Any]
) -> dict:
    """A cell's value as openpyxl reads it with ``data_only=True``, and its type (``dates``: openpyxl's
    ``from_excel`` and ``from_ISO8601``)."""
    from_excel, from_ISO8601 = dates
    kind, raw, style = cell["t"], cell["v"], cell["style_id"]
    out = {"ref": cell["ref"], "column": cell["column"], "style_id": style, "data_type": kind, "value": None}
    if kind == "inlineStr":
        out["data_type"] = "s"
        out["value"] = "".join(cell["is"]) if cell["is"] is not None else raw
        return out
    if not raw:  # no value (or an empty one): an empty cell, unless a formula's result was never saved
        # (no <v> at all; a text result may be saved empty, <v></v>: Excel writes =IF(A1,"","x") so)
        if cell["f"] is not None and (kind != "str" or raw is None):
            out["data_type"], out["value"] = "unsaved formula", "=" + cell["f"]
        return out
    if kind == "n":
        value: object = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
        if style in date_formats:
            try:
                out["data_type"] = "d"
                value = from_excel(value, epoch, timedelta=style in timedelta_formats)
            except (OverflowError, ValueError):
                out["data_type"], value = "e", "#VALUE!"
        out["value"] = value
    elif kind == "s":
        out["value"] = shared[int(raw)]
    elif kind == "b":
        out["value"] = bool(int(raw))
    elif kind == "str":
        out["data_type"], out["value"] = "s", raw
    elif kind == "d":
        out["value"] = from_ISO8601(raw)
    else:  # "e", and any type Excel does not write: read as text
        out["value"] = raw
    return out


def _sheet_table(wb: Any, sheet: Any, where: str, table: str) -> tuple[pd.DataFrame, np.ndarray, list[Problem]]:
    """The sheet's cells as a table of strings (rows with content only) and their row numbers, read sparsely,
    with the problems of single cells (Excel errors, formulas never calculated, dates, shown formats)."""
    from array import array

    from openpyxl.utils import get_column_letter

    formats = _NumberFormats(wb)
    title = shown(sheet.title)
    positions, columns, texts = array("q"), array("q"), []
    numbers: list[int] = []
    width, listed = 0, 0
    notes: dict[tuple[str, int], tuple[int, int, str]] = {}  # (kind, column) -> the first such cell
    failed: list[tuple[int, int, str, str]] = []  # (row, column, kind, value)
    for number, cells in _sheet_rows(wb, sheet):
        listed += 1
        if listed > EXCEL_MAX_ROWS or number > EXCEL_MAX_ROWS or (numbers and number <= numbers[-1]):
            what = "lists rows out of order" if number <= (numbers or [0])[-1] else "lists more rows than Excel allows"
            message = f"the sheet '{title}' {what} (row {number:,})"
            raise _fail(where, message, "save the workbook again from Excel", code=Code.UNREADABLE_FILE)
        kept = False
        seen: set[int] = set()
        for cell in cells:
            value, kind, column = cell["value"], cell["data_type"], cell["column"]
            if column < 1 or column in seen:
                raise _cell_place_error(where, title, number, cell["ref"], column)
            seen.add(column)
            if value is None:
                continue
            if kind in ("e", "unsaved formula"):
                if len(failed) < 1000:
                    failed.append((number, column, kind, str(value)))
                text = str(value)
            elif kind == "n":
                text = formats.text(value, cell["style_id"], notes, number, column)
            elif kind == "d":
                text = _date_text(value)
                notes.setdefault(("date", column), (number, column, text))
            elif kind == "b":
                text = "TRUE" if value else "FALSE"
            else:
                text = str(value)
            if text == "":
                continue
            if column > EXCEL_MAX_COLUMNS:
                cell_name = f"{get_column_letter(column)}{number}"
                raise _fail(
                    where,
                    f"the sheet '{title}' declares {column:,} columns (cell {cell_name} holds a value); "
                    f"a table wider than {EXCEL_MAX_COLUMNS:,} columns is not read",
                    "delete the cells far to the right of the table, or save the table alone as CSV",
                    code=Code.TOO_LARGE,
                )
            if not kept:
                numbers.append(number)
                kept = True
            positions.append(len(numbers) - 1)
            columns.append(column - 1)
            texts.append(text)
            width = max(width, column)
        if len(numbers) * width > EXCEL_MAX_CELLS:
            raise _fail(
                where,
                f"the sheet '{title}' holds more than {EXCEL_MAX_CELLS:,} cells "
                f"({len(numbers):,} rows of {width:,} columns so far)",
                "save the table alone as CSV, or split it",
                code=Code.TOO_LARGE,
            )
    grid = np.full((len(numbers), width), "", dtype=object)
    if texts:
        grid[np.frombuffer(positions, dtype=np.int64), np.frombuffer(columns, dtype=np.int64)] = np.array(
            texts, dtype=object
        )
    frame = pd.DataFrame(grid, dtype=object)
    row_numbers = np.asarray(numbers, dtype=np.int64)
    header = _header_names(frame)
    problems = [_cell_problem(where, header, *cell) for cell in failed]
    problems += _format_notes(where, header, notes, table)
    return frame, row_numbers, problems


def _cell_place_error(where: str, title: str, row: int, ref: str | None, column: int) -> InputError:
    """A cell whose reference names no column (``r="2"``), or a second cell at one place: which value the
    sheet holds there cannot be told (openpyxl put the first in the last column, or kept the later)."""
    from openpyxl.utils import get_column_letter

    if column < 1:
        message = f"the sheet '{title}' has a cell on row {row:,} whose reference '{shown(ref)}' names no column"
    else:
        cell = f"{get_column_letter(column)}{row}" if column <= 18_278 else shown(ref)
        message = f"the sheet '{title}' lists cell {cell} twice; which value it holds cannot be told"
    hint = "save the workbook again from Excel, or give the table as CSV"
    return _fail(where, message, hint, row=row, code=Code.UNREADABLE_FILE)


def _header_names(frame: pd.DataFrame) -> dict[int, str]:
    """Column position (from 1) -> the header a message names it by (the first non-blank row's cell)."""
    for pos in range(len(frame)):
        cells = [str(c).strip() for c in frame.iloc[pos]]
        if any(cells):
            return {i + 1: c for i, c in enumerate(cells) if c}
    return {}


def _cell_problem(where: str, header: dict[int, str], row: int, column: int, kind: str, value: str) -> Problem:
    from openpyxl.utils import get_column_letter

    cell = f"{get_column_letter(column)}{row}"
    name = header.get(column, f"column {get_column_letter(column)}")
    if kind == "e":
        message = f"cell {cell} holds the Excel error {shown(value)}"
        hint = "fix the formula or type the value in the workbook (an empty cell is read as empty)"
    else:
        message = f"cell {cell} holds a formula ({shown(value)}) whose result was never saved"
        hint = "open the workbook in Excel and save it, so that the results are stored"
    return Problem.error(where, message, hint, row=row, column=shown(name), code=Code.BAD_VALUE)


def _format_notes(where: str, header: dict, notes: dict, table: str) -> list[Problem]:
    """Warnings for columns whose cells Excel shows otherwise than they are read (dates, numbers with text)."""
    from openpyxl.utils import get_column_letter

    problems = []
    for (kind, column), (row, _, detail) in sorted(notes.items(), key=lambda item: item[0][1]):
        cell = f"{get_column_letter(column)}{row}"
        name = shown(header.get(column, f"column {get_column_letter(column)}"))
        if kind == "date" and table in ("handoffs", "parties"):
            message = f"this column holds dates (cell {cell} is read as {detail})"
            hint = "if these are ids that Excel turned into dates, format the column as Text and type them again"
        elif kind == "shown":
            code, read, display = detail
            as_shown = f" as '{shown(display)}'" if display is not None else ""
            message = (
                f"cell {cell} holds a number that Excel shows{as_shown} with the format '{shown(code)}'; "
                f"it is read as {read}"
            )
            hint = "if the column holds ids, format it as Text in Excel and type them as they should read"
        elif kind == "long":
            message = f"cell {cell} holds the number {detail}, longer than the 15 digits Excel keeps"
            hint = "if it is an id, its last digits are lost: format the column as Text in Excel and type it again"
        else:
            continue
        problems.append(Problem.warning(where, message, hint, row=row, column=name, code=Code.EXCEL_FORMAT))
    return problems


def _date_text(value: object) -> str:
    """A date as ISO text (``2026-01-05``, with the time when there is one).

    Examples
    --------
    >>> import datetime as dt
    >>> _date_text(dt.datetime(2026, 1, 5)), _date_text(dt.datetime(2026, 1, 5, 9, 30)), _date_text(dt.time(9, 30))
    ('2026-01-05', '2026-01-05 09:30:00', '09:30:00')
    """
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


#: Number formats that only pad with zeros or fix decimals (``000``, ``0.00``, ``#0.0#``): read as shown.
_PLAIN_FORMAT = re.compile(r"#*(0+)(?:\.(0*)(#*))?")
#: Brackets that change no text: a colour (``[Red]``, ``[Color 10]``) or a locale without a symbol (``[$-409]``).
_SILENT_BRACKETS = re.compile(
    r"\[(?:black|blue|cyan|green|magenta|red|white|yellow|colou?r\s*\d+|\$-[0-9a-f]+)\]", re.IGNORECASE
)
#: A condition of a format section (``[>100]``): which section Excel uses is then not told by the sign alone.
_CONDITION = re.compile(r"\[(?:[<>]=?|=|<>)[^\]]*\]")
#: The parts of a format section: quoted text, an escaped or padding character, a bracket, any one character.
_FORMAT_TOKENS = re.compile(r'"[^"]*"?|\\.|_.|\*.|\[[^\]]*\]?|.', re.S)


class _NumberFormats:
    """Numbers as Excel shows them where the format only pads or fixes decimals, else as plain numbers, with a
    warning (the first such cell of each column) saying what Excel shows."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.cache: dict[int, str] = {}
        self.plains: dict[str, tuple[int, int, int] | None] = {}

    def code(self, style_id: int) -> str:
        if style_id not in self.cache:
            from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

            code = "General"
            try:
                fmt_id = self.wb._cell_styles[style_id].numFmtId
                if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
                    code = BUILTIN_FORMATS.get(fmt_id, "General")
                else:
                    code = self.wb._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
            except (IndexError, AttributeError, TypeError):
                pass
            self.cache[style_id] = code
        return self.cache[style_id]

    def text(self, value: float, style_id: int, notes: dict, row: int, column: int) -> str:
        if isinstance(value, float) and value.is_integer() and abs(value) >= 1e15:
            notes.setdefault(("long", column), (row, column, _general(value)))
        code = self.code(style_id) if style_id else "General"
        if code.strip().casefold() in ("general", "@", "") or not math.isfinite(value):
            return _general(value)
        section, signed = _format_section(code, value)
        if section is not None and signed:
            plain = self.plain(section)
            if plain:  # pads or fixes decimals: read as shown
                return _padded(value, *plain)
        read = _general(value)
        if ("shown", column) not in notes:  # the first such cell of a column is named
            display = _formatted(value, section, signed) if section is not None else None
            if display != read:
                notes[("shown", column)] = (row, column, (code, read, display))
        return read

    def plain(self, section: str) -> tuple[int, int, int] | None:
        """The digits, decimals and optional decimals of a section that only pads or fixes decimals."""
        if section not in self.plains:
            found = _PLAIN_FORMAT.fullmatch(_SILENT_BRACKETS.sub("", section))
            self.plains[section] = (
                (len(found.group(1)), len(found.group(2) or ""), len(found.group(3) or "")) if found else None
            )
        return self.plains[section]


def _format_section(code: str, value: float) -> tuple[str | None, bool]:
    r"""The section of a number format Excel uses for ``value``, and whether it shows the minus sign itself
    (one section, or a negative value falling back to the first); ``None`` when conditions (``[>100]``) choose.

    Examples
    --------
    >>> _format_section("000;(000)", 5), _format_section("000;(000)", -5), _format_section("0;-0;\"zero\"", 0)
    (('000', True), ('(000)', False), ('"zero"', False))
    >>> _format_section("[>100]000;0.0", 5)
    (None, False)
    """
    sections = _split_sections(code)
    if _conditional(code):
        return None, False
    if value > 0 or len(sections) == 1:
        return sections[0], True
    if value < 0:
        return sections[1], False
    return (sections[2], False) if len(sections) >= 3 else (sections[0], True)


@functools.lru_cache(maxsize=256)
def _conditional(code: str) -> bool:
    """Does a section of the format carry a condition (``[>100]``)?"""
    return any(_CONDITION.search(part) for part in _split_sections(code))


@functools.lru_cache(maxsize=256)
def _split_sections(code: str) -> tuple[str, ...]:
    """A format's sections, split at the semicolons outside quotes and escapes (a workbook has few formats)."""
    sections, current = [], ""
    for token in _FORMAT_TOKENS.findall(code):
        if token == ";":
            sections.append(current)
            current = ""
        else:
            current += token
    return (*sections, current)


def _formatted(value: float, section: str, signed: bool) -> str | None:
    """``value`` as Excel shows it with one format section, for digits, decimals, thousands separators, percent
    and text of the format's own; ``None`` for anything else (fractions, exponents, dates, scaling, fills).

    Examples
    --------
    >>> _formatted(123456789, "000-00-0000", True), _formatted(0.5, "0%", True), _formatted(-5, "(000)", False)
    ('123-45-6789', '50%', '(005)')
    >>> _formatted(1234.5, "#,##0.00", True), _formatted(7, '"ID-"000', True), _formatted(0.5, "# ?/?", True)
    ('1,234.50', 'ID-007', None)
    """
    from decimal import ROUND_HALF_UP, Decimal

    parts: list[tuple[str, str]] = []  # ("digit", "0"/"#"/"?"), ("point", "."), ("text", ...), ("comma", ",")
    percent = False
    for token in _FORMAT_TOKENS.findall(_SILENT_BRACKETS.sub("", section)):
        if token in ("0", "#", "?"):
            parts.append(("digit", token))
        elif token == "." and not any(kind == "point" for kind, _ in parts):
            parts.append(("point", token))
        elif token == ",":
            parts.append(("comma", token))
        elif token == "%":
            percent = True
            parts.append(("text", token))
        elif token.startswith('"'):
            parts.append(("text", token.strip('"')))
        elif token.startswith("\\"):
            parts.append(("text", token[1:]))
        elif token.startswith("_"):
            parts.append(("text", " "))
        elif token.startswith("[$"):  # a currency symbol and its locale: [$€-407]
            parts.append(("text", token[2:].split("-")[0].rstrip("]")))
        elif token in "$-+/():!^&'~{}<>= " or (ord(token[0]) > 127 and not token[0].isalpha()):
            if token == "/":
                return None  # a fraction
            parts.append(("text", token))
        else:
            return None  # E+, @, dates, [h], fills, General inside a section: not worked out here
    digits = [i for i, (kind, _) in enumerate(parts) if kind == "digit"]
    if not digits:  # text alone (a zero shown as "none"), or no digit to work out
        return "".join(text for _, text in parts) if parts and all(k == "text" for k, _ in parts) else None
    point = next((i for i, (kind, _) in enumerate(parts) if kind == "point"), len(parts))
    commas = [i for i, (kind, _) in enumerate(parts) if kind == "comma"]
    whole = [i for i in digits if i < point]
    fraction = [i for i in digits if i > point]
    if any(not whole or c > whole[-1] or c < whole[0] for c in commas):
        return None  # a comma after the digits scales by 1,000
    grouped = bool(commas)
    if grouped and any(kind == "text" for kind, _ in parts[whole[0] : whole[-1] + 1]):
        return None
    number = Decimal(repr(value) if isinstance(value, float) else value)
    number = abs(number * 100 if percent else number)
    number = number.quantize(Decimal(1).scaleb(-len(fraction)), rounding=ROUND_HALF_UP)
    int_text, _, frac_text = f"{number:f}".partition(".")
    int_text = int_text.lstrip("0")
    shown_digits: dict[int, str] = {}
    if grouped:
        zeros = sum(1 for i in whole if parts[i][1] == "0")
        text = f"{int(int_text or 0):,}" if int_text or zeros else ""
        while len(text.replace(",", "")) < zeros:
            text = ("0," if len(text.replace(",", "")) % 3 == 0 and text else "0") + text
        shown_digits = {i: "" for i in whole}
        shown_digits[whole[0]] = text
    else:
        rest = int_text
        for pos, i in enumerate(reversed(whole)):
            filler = {"0": "0", "#": "", "?": " "}[parts[i][1]]
            if pos == len(whole) - 1:
                shown_digits[i] = rest or filler
            else:
                shown_digits[i], rest = (rest[-1], rest[:-1]) if rest else (filler, "")
    frac_text = frac_text.ljust(len(fraction), "0")
    keep = len(frac_text)
    while keep and frac_text[keep - 1] == "0" and parts[fraction[keep - 1]][1] != "0":
        keep -= 1
    for pos, i in enumerate(fraction):
        filler = " " if parts[i][1] == "?" else ""
        shown_digits[i] = frac_text[pos] if pos < keep else filler
    out = "".join(shown_digits.get(i, text if kind != "comma" else "") for i, (kind, text) in enumerate(parts))
    return ("-" if signed and value < 0 and number else "") + out


def _general(value: float) -> str:
    """A number as Excel's General format shows it, to 15 significant digits (``0.1+0.2`` is ``0.3``).

    Examples
    --------
    >>> _general(7), _general(7.0), _general(0.30000000000000004), _general(1.5e-7)
    ('7', '7', '0.3', '1.5E-07')
    """
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < 1e21:  # Excel's formula bar shows the digits up to 21 of them
        return str(int(value))
    return format(value, ".15G")


def _padded(value: float, digits: int, decimals: int, optional: int) -> str:
    """A number with at least ``digits`` integer digits and ``decimals`` (up to ``decimals + optional``) decimals.

    Examples
    --------
    >>> _padded(7, 3, 0, 0), _padded(1.5, 1, 2, 0), _padded(2.5, 1, 0, 0), _padded(1.25, 1, 1, 2)
    ('007', '1.50', '3', '1.25')
    """
    from decimal import ROUND_HALF_UP, Decimal

    places = decimals + optional
    number = Decimal(repr(value) if isinstance(value, float) else value).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(decimals, "0") if optional else fraction
    text = whole.rjust(digits, "0") + (f".{fraction}" if fraction else "")
    return ("-" if number < 0 else "") + text


# --- DataFrames and the common part --------------------------------------------------------


def _from_dataframe(df: pd.DataFrame, label: str) -> RawTable:
    try:
        headers = pd.DataFrame([[str(c) for c in df.columns]], columns=range(df.shape[1]))
        body = df.astype(object).where(df.notna(), "").astype(str)
    except UnicodeEncodeError:  # pandas keeps text in Arrow, as UTF-8, which has no lone surrogate
        raise InputError([_surrogate_cell(df, label)]) from None
    body.columns = range(df.shape[1])
    frame = pd.concat([headers, body], ignore_index=True)
    return _with_header(frame, label, [], header_first=True)


def _surrogate_cell(df: pd.DataFrame, label: str) -> Problem:
    """The first header or cell of a DataFrame holding a lone surrogate (U+D800-U+DFFF): half of a character,
    left by text decoded with the wrong codec or ``errors="surrogateescape"``; no file can hold it.

    Examples
    --------
    >>> print(_surrogate_cell(pd.DataFrame({"source": ["a", "b" + chr(0xDCFF)]}, dtype=object), "handoffs"))
    handoffs, row 3, column 'source': the text holds U+DCFF, half of a character; decode ...
    """
    hint = "decode the text with its own codec (UTF-8, most often) before giving the table"

    def odd(value: object) -> str | None:
        text = str(value)
        found = next((c for c in text if "\ud800" <= c <= "\udfff"), None)
        return f"the text holds U+{ord(found):04X}, half of a character" if found else None

    for pos, header in enumerate(df.columns):
        if found := odd(header):
            column = f"column {_column_letter(pos)}"
            return Problem.error(label, f"the header {found}", hint, row=1, column=column, code=Code.BAD_VALUE)
    for pos, header in enumerate(df.columns):
        for number, value in enumerate(df.iloc[:, pos].tolist(), start=2):
            message = odd(value) if isinstance(value, str) else None
            if message:
                return Problem.error(label, message, hint, row=number, column=shown(str(header)), code=Code.BAD_VALUE)
    return Problem.error(label, "the table holds text that cannot be written as UTF-8", hint, code=Code.BAD_VALUE)


def _with_header(
    frame: pd.DataFrame,
    label: str,
    problems: list[Problem],
    first: int = 1,
    numbers: np.ndarray | None = None,
    header_first: bool = False,
) -> RawTable:
    """Take the first non-blank row as the header (the first row, with ``header_first``: a DataFrame's
    columns); number the rows as a spreadsheet does; drop blank rows.

    ``frame`` holds the cells by position; its rows are numbered from ``first`` on, or by ``numbers``.
    A later row that repeats the header (two exports pasted together) is an error.
    """
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise _fail(label, "the file is empty", "the first row must hold the column headers", code=Code.EMPTY)
    frame = frame.fillna("") if frame.shape[1] <= WIDE else frame
    numbers = np.arange(first, first + len(frame), dtype=np.int64) if numbers is None else np.asarray(numbers)
    blank = _blank_rows(frame).to_numpy(dtype=bool)
    if header_first and blank[0]:
        hint = "the first row must hold the column headers"
        raise _fail(label, "the header row is empty", hint, row=1, code=Code.EMPTY)
    if blank.all():
        raise _fail(label, "the file is empty", "the first row must hold the column headers", code=Code.EMPTY)
    top = int(np.argmax(~blank))
    header_row = int(numbers[top])
    written = [str(h) for h in frame.iloc[top].tolist()]
    written[0] = written[0].lstrip("\ufeff")
    headers = [h.strip() for h in written]
    rows = np.flatnonzero(~blank)
    rows = rows[rows > top]
    errors = [
        Problem.error(
            label,
            f"row {int(numbers[pos])} repeats the header row; two files pasted together? delete it",
            row=int(numbers[pos]),
            code=Code.BAD_ROW,
        )
        for pos in _repeated_header(frame, rows, headers)
    ]
    keep: list[int] = []
    names: list[str] = []
    seen: dict[str, int] = {}
    for pos, header in enumerate(headers):
        if not header:
            if not _has_values(frame, rows, pos):
                continue  # an empty column with no header (a trailing delimiter)
            header = f"column {_column_letter(pos)}"
            hint = f"its values are kept as '{header}'; give it a header"
            message = "this column has no header"
            problems.append(Problem.warning(label, message, hint, row=header_row, column=header, code=Code.NO_HEADER))
        if header in seen:
            errors.append(repeated_header(label, header, seen[header], pos, row=header_row))
            continue
        seen[header] = pos
        keep.append(pos)
        names.append(header)
    if errors:
        raise InputError(errors + problems)
    contiguous = len(rows) == len(frame) - top - 1  # no blank row: a slice, not a copy by row positions
    body = frame.iloc[top + 1 :] if contiguous else frame.iloc[rows]
    if keep != list(range(frame.shape[1])):
        body = body.iloc[:, keep]
    if len(keep) <= WIDE:
        body = body.astype(str)
    else:
        body = body.copy()
    body.columns = names
    body.index = pd.Index(numbers[rows], dtype=np.int64, name="row")
    return RawTable(label, body, problems)


def _repeated_header(frame: pd.DataFrame, rows: np.ndarray, headers: list[str]) -> list[int]:
    """The positions among ``rows`` whose every cell is the header's, compared as headers are matched (case,
    spaces, punctuation and a leading or trailing ``team``/``party`` word ignored): a second file's header.

    Only rows whose first cell may match the header's first cell (``_may_be_header``, vectorised) are
    compared in full, so a large file costs a regular expression over one column.
    """
    if frame.shape[1] > WIDE:  # few rows: the first cell of each, then (rarely) the rest
        cells = frame.to_numpy(dtype=object)
        first = _loose(headers[0])
        found = [int(pos) for pos in rows if _loose(cells[pos, 0]) == first]
        if not found:
            return []
        keys = [_loose(h) for h in headers]
        return [pos for pos in found if [_loose(c) for c in cells[pos, 1:]] == keys[1:]]
    keys = [_loose(h) for h in headers]
    if len(rows) == 0:
        return []
    contiguous = rows[-1] - rows[0] + 1 == len(rows)
    first = (frame.iloc[rows[0] : rows[-1] + 1, 0] if contiguous else frame.iloc[rows, 0]).astype(str)
    match = _may_be_header(first, keys[0])
    candidates = rows[match]
    if len(candidates) == 0:
        return []
    cells = frame.iloc[candidates].to_numpy(dtype=object)
    return [int(pos) for pos, row in zip(candidates, cells) if [_loose(c) for c in row] == keys]


def _may_be_header(cells: pd.Series, key: str) -> np.ndarray:
    """Which cells may reduce to ``key`` (as ``_loose`` reduces them): a regular expression over the cells in
    compatibility form, letters and digits of ``key`` in any case with anything else between them, a ``team``
    or ``party`` word allowed before and after. Vectorised (about 40 ms a million cells); the rows it keeps
    are compared exactly."""
    import pyarrow as pa
    import pyarrow.compute as pc

    gap = r"[^\p{L}\p{N}]*"
    word = rf"(?:(?:team|party){gap})?"
    letters = gap.join("(?:ss|\u00df)" if part == "ss" else re.escape(part) for part in re.findall(r"ss|.", key))
    pattern = f"^{gap}{word}{letters}{gap}{word}$"
    array = pa.array(cells, type=pa.string(), from_pandas=True)  # no copy: pandas keeps strings in Arrow
    if not pc.all(pc.string_is_ascii(array)).as_py():
        array = pc.utf8_normalize(array, "NFKC")
    return pc.match_substring_regex(array, pattern, ignore_case=True).to_numpy(zero_copy_only=False)


def _loose(cell: object) -> str:
    """A cell reduced as headers are matched (``valuechain.io.columns.header_keys``, its last key): ``From Team``
    and ``from-team`` are ``from``.

    Examples
    --------
    >>> _loose(" SOURCE "), _loose("From Team"), _loose("\ufeffTeam_ID"), _loose(""), _loose("team")
    ('source', 'from', 'id', '', 'team')
    """
    from valuechain.io.columns import header_keys  # imported here: columns imports this module

    found = header_keys(cell)
    return found[-1] if found else ""


def _has_values(frame: pd.DataFrame, rows: np.ndarray, pos: int) -> bool:
    column = frame.iloc[rows, pos]
    if frame.shape[1] > WIDE:
        return any(str(c).strip() for c in column.to_numpy(dtype=object))
    return bool((column.astype(str).str.strip() != "").any())


def _blank_rows(body: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is empty or white space (narrowed column by column; row by row when wide)."""
    if body.shape[1] == 0:
        return pd.Series(True, index=body.index)
    if body.shape[1] > WIDE:
        cells = body.to_numpy(dtype=object)
        blank = np.fromiter((not "".join(map(str, row)).strip() for row in cells), dtype=bool, count=len(cells))
        return pd.Series(blank, index=body.index)
    first = body.iloc[:, 0].astype(str)
    candidates = np.flatnonzero(((first == "") | first.str.isspace()).to_numpy(dtype=bool))
    for pos in range(1, body.shape[1]):
        if len(candidates) == 0:
            break
        col = body.iloc[candidates, pos].astype(str)
        candidates = candidates[((col == "") | col.str.isspace()).to_numpy(dtype=bool)]
    blank = np.zeros(len(body), dtype=bool)
    blank[candidates] = True
    return pd.Series(blank, index=body.index)


def repeated_header(label: str, header: str, first: int, second: int, *, row: int) -> Problem:
    """The error for a header that two columns share (positions ``first`` and ``second``, from 0).

    Examples
    --------
    >>> print(repeated_header("parties.csv", "id", 0, 2, row=1))
    parties.csv, row 1, column 'id': two columns have the header 'id' (columns A and C); rename or remove one of them
    """
    columns = f"columns {_column_letter(first)} and {_column_letter(second)}"
    message = f"two columns have the header '{shown(header)}' ({columns})"
    return Problem.error(label, message, "rename or remove one of them", row=row, column=shown(header),
                         code=Code.DUPLICATE)  # fmt: skip


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
