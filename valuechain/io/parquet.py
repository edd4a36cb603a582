"""Read a table from a Parquet file into strings, as a CSV file is read: its record numbers as rows.

A Parquet file has no rows as a spreadsheet shows them: its column names are the header (row 1) and its
records are rows 2, 3 and so on, so every message names a row as it would for the same table saved as CSV.
Every cell becomes text: text as it is, whole numbers in digits, ``true``/``false``, dates as ISO dates;
missing values (null, NaN) are blank cells. What is not a table of text is refused with one message naming
the column: lists, structs and maps (nested data), bytes (binary columns), times and durations.

The file is checked before its data is read: it must be Parquet (``PAR1`` at both ends), hold at most
:data:`PARQUET_MAX_COLUMNS` columns and :data:`PARQUET_MAX_CELLS` cells, and declare at most
:data:`PARQUET_MAX_BYTES` of data once decompressed (a small file that unpacks to gigabytes, in one huge
row group or many, is refused). Text columns are read dictionary-encoded, so a short value repeated
millions of times costs its index, and the text they would expand to is counted against the same bound
before it is expanded.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from valuechain.problems import Code, InputError, Problem, shown

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from valuechain.io.read import RawTable

#: The first and last bytes of every Parquet file.
MAGIC = b"PAR1"
#: Columns a Parquet table may have (as for CSV and Excel: hand-offs and parties have a handful).
PARQUET_MAX_COLUMNS = 1_000
#: Cells (records times columns): 100 million hand-offs of five columns.
PARQUET_MAX_CELLS = 500_000_000
#: Bytes of data once decompressed, declared by the file and then counted as text: 8 GiB.
PARQUET_MAX_BYTES = 8 << 30

_HINT = "check that it is a real Parquet file, or save the table again (as Parquet or CSV)"
#: The hint for a column that holds no text (the Parquet reader of tables and of event logs).
AS_TEXT = "store the column as text (a string column), or leave it out"


def is_parquet(data: bytes) -> bool:
    """Whether ``data`` looks like a Parquet file (``PAR1`` at both ends).

    Examples
    --------
    >>> is_parquet(b"PAR1" + bytes(8) + b"PAR1"), is_parquet(b"source,target\\n")
    (True, False)
    """
    return len(data) >= 12 and data.startswith(MAGIC) and data.endswith(MAGIC)


def is_parquet_file(path: Path) -> bool:
    """:func:`is_parquet` for a file on disk, reading only its two ends.

    Examples
    --------
    >>> is_parquet_file(Path("data/restaurant/handoffs.csv"))
    False
    """
    size = path.stat().st_size
    if size < 12:
        return False
    with path.open("rb") as handle:
        head = handle.read(len(MAGIC))
        handle.seek(size - len(MAGIC))
        return head == MAGIC and handle.read(len(MAGIC)) == MAGIC


def _fail(label: str, message: str, hint: str = _HINT, *, code: Code = Code.UNREADABLE_FILE) -> InputError:
    return InputError([Problem.error(label, message, hint, code=code)])


def from_parquet(data: bytes, label: str) -> RawTable:
    """The table in the Parquet file ``data``: its columns' names as the header (row 1), its records from row 2.

    Parameters
    ----------
    data : bytes
        The whole file.
    label : str
        How messages name the file.

    Returns
    -------
    RawTable

    Raises
    ------
    InputError
        One clear message: an empty file, not a Parquet file, a damaged one, a column that is not text
        (nested, binary, times), or a table beyond the bounds of this module.

    Examples
    --------
    >>> import io, pyarrow as pa, pyarrow.parquet as pq
    >>> buffer = io.BytesIO()
    >>> pq.write_table(pa.table({"source": ["kitchen", None], "target": ["floor", "diners"], "n": [1, 2]}), buffer)
    >>> raw = from_parquet(buffer.getvalue(), "handoffs.parquet")
    >>> raw.frame.to_dict("index")
    {2: {'source': 'kitchen', 'target': 'floor', 'n': '1'}, 3: {'source': '', 'target': 'diners', 'n': '2'}}
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not data.strip():
        raise _fail(
            label, "the file is empty", "the Parquet file must hold a table with named columns", code=Code.EMPTY
        )
    if not is_parquet(data):
        raise _fail(
            label,
            "this is not a Parquet file (it does not start and end with PAR1)",
            "save the table as Parquet again, or give a CSV or .xlsx file its own suffix",
        )
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        meta = parquet.metadata
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as err:
        raise _fail(label, f"the Parquet file cannot be read ({shown(str(err).strip(), 200)})") from None
    _check_bounds(meta, schema, label)
    text_columns = [f.name for f in schema if _text_like(f.type)]
    try:
        table = pq.ParquetFile(io.BytesIO(data), read_dictionary=text_columns).read(use_threads=True)
    except pa.ArrowMemoryError:
        raise _fail(
            label,
            f"there is not enough memory to read this file ({len(data) / 1e6:,.1f} MB)",
            "split it into smaller files, or close other programs and try again",
            code=Code.TOO_LARGE,
        ) from None
    except (pa.ArrowException, OSError, ValueError) as err:
        raise _fail(label, f"the Parquet file cannot be read ({shown(str(err).strip(), 200)})") from None
    names = [str(name) for name in table.column_names]
    _check_expanded(table, names, label)
    columns = [_as_text(table.column(pos), names[pos], label) for pos in range(table.num_columns)]
    return _raw_table(names, columns, label)


def _check_bounds(meta: pq.FileMetaData, schema: pa.Schema, label: str) -> None:
    """Refuse, from the file's own description, what is not a table of text or is too large to read."""
    if meta.num_columns == 0 or len(schema) == 0:
        raise _fail(label, "the file is empty (it has no columns)", "the first row must hold the column headers")
    if len(schema) > PARQUET_MAX_COLUMNS:
        raise _fail(
            label,
            f"the table has {len(schema):,} columns, more than {PARQUET_MAX_COLUMNS:,}",
            "keep the columns of the hand-offs or the parties (a handful)",
            code=Code.TOO_LARGE,
        )
    for field in schema:
        why = not_text(field.type)
        if why:
            raise _fail(label, f"the column '{shown(str(field.name))}' holds {why} ({field.type}), not text", AS_TEXT)
    cells = meta.num_rows * len(schema)
    if cells > PARQUET_MAX_CELLS:
        raise _fail(
            label,
            f"the table has {meta.num_rows:,} records of {len(schema):,} columns ({cells:,} cells), "
            f"more than {PARQUET_MAX_CELLS:,}",
            "split it into smaller files",
            code=Code.TOO_LARGE,
        )
    unpacked = 0
    for group in range(meta.num_row_groups):
        row_group = meta.row_group(group)
        unpacked += sum(max(row_group.column(c).total_uncompressed_size, 0) for c in range(row_group.num_columns))
    if unpacked > PARQUET_MAX_BYTES:
        raise _fail(
            label,
            f"the file unpacks to {unpacked / 2**30:,.1f} GiB of data, more than {PARQUET_MAX_BYTES / 2**30:,.0f} GiB",
            "split it into smaller files",
            code=Code.TOO_LARGE,
        )


def _text_like(kind: pa.DataType) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        return _text_like(kind.value_type)
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind))


def not_text(kind: pa.DataType) -> str:
    """What a column of this type holds when it cannot become text exactly ('' when it can)."""
    import pyarrow as pa

    t = pa.types
    if t.is_dictionary(kind):
        return not_text(kind.value_type)
    if t.is_nested(kind):
        return "lists, structs or maps"
    if t.is_binary(kind) or t.is_large_binary(kind) or t.is_fixed_size_binary(kind) or t.is_binary_view(kind):
        return "bytes"
    if t.is_time(kind) or t.is_duration(kind) or t.is_interval(kind):
        return "times of day or durations"
    plain = (t.is_string, t.is_large_string, t.is_string_view, t.is_integer, t.is_floating, t.is_boolean)
    if any(test(kind) for test in plain) or t.is_null(kind) or t.is_date(kind) or t.is_timestamp(kind):
        return ""
    if t.is_decimal(kind):
        return ""
    return "values of another kind"


def _check_expanded(table: pa.Table, names: list[str], label: str) -> None:
    """Refuse a table whose text, expanded from its dictionaries, would pass :data:`PARQUET_MAX_BYTES`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for pos, column in enumerate(table.columns):
        if not pa.types.is_dictionary(column.type):
            total += column.nbytes
            continue
        for chunk in column.chunks:
            lengths = pc.binary_length(chunk.dictionary).to_numpy(zero_copy_only=False)
            lengths = np.nan_to_num(lengths.astype(np.float64))
            indices = chunk.indices.drop_null().to_numpy(zero_copy_only=False).astype(np.int64)
            counts = np.bincount(indices, minlength=len(lengths))
            total += int(counts @ lengths) + 8 * len(chunk)
        if total > PARQUET_MAX_BYTES:
            raise _fail(
                label,
                f"the column '{shown(names[pos])}' and those before it expand to more than "
                f"{PARQUET_MAX_BYTES / 2**30:,.0f} GiB of text",
                "split it into smaller files",
                code=Code.TOO_LARGE,
            )


def _as_text(column: pa.ChunkedArray, name: str, label: str) -> pa.Array:
    """One column as Arrow text (``large_string``, the storage of pandas' strings): missing values blank."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    kind = array.type
    if pa.types.is_dictionary(kind):
        try:
            array.dictionary.validate(full=True)  # text that is not UTF-8 is refused here, not shown garbled
        except pa.ArrowInvalid:
            raise _fail(label, f"the column '{shown(name)}' holds text that is not valid UTF-8") from None
        array = array.cast(pa.large_string())
    elif pa.types.is_floating(kind):
        array = pc.if_else(pc.is_nan(array), pa.scalar(None, kind), array)
        whole = pc.equal(array, pc.floor(array))
        texts = array.cast(pa.large_string())
        array = pc.if_else(pc.fill_null(whole, False), pc.replace_substring_regex(texts, r"\.0$", ""), texts)
    elif pa.types.is_timestamp(kind):

        def whole(unit: str) -> bool:  # every value falls on a whole day (second): written without the rest
            return pc.all(pc.fill_null(pc.equal(pc.floor_temporal(array, unit=unit), array), True)).as_py() is not False

        if whole("day"):
            array = pc.strftime(array, format="%Y-%m-%d")
        else:
            seconds = whole("second") and kind.unit != "s"
            array = pc.strftime(
                array.cast(pa.timestamp("s", kind.tz)) if seconds else array, format="%Y-%m-%dT%H:%M:%S"
            )
    elif pa.types.is_boolean(kind):
        array = pc.if_else(array, "true", "false")
    elif pa.types.is_null(kind):
        array = pa.nulls(len(array), pa.large_string())
    if array.type != pa.large_string():
        array = array.cast(pa.large_string())
    if array.null_count:
        array = pc.fill_null(array, "")
    if pc.any(pc.match_substring(array, "\x00")).as_py():
        record = int(pc.index(pc.match_substring(array, "\x00"), True).as_py())
        raise InputError(
            [
                Problem.error(
                    label,
                    f"the column '{shown(name)}' holds a NUL character",
                    "remove it (no text table holds one), then save the file again",
                    row=record + 2,
                    column=shown(name),
                    code=Code.UNREADABLE_FILE,
                )
            ]
        )
    return array


def _raw_table(names: list[str], columns: list[pa.Array], label: str) -> RawTable:
    """The columns with their names as the header row (row 1), through the readers' common part."""
    import pandas as pd
    import pyarrow as pa

    from valuechain.io.read import _with_header

    text = pd.Series([], dtype=str).dtype
    with_header = [
        pa.concat_arrays([pa.array([name], pa.large_string()), column]) for name, column in zip(names, columns)
    ]
    frame = pa.table(with_header, names=[f"f{pos}" for pos in range(len(names))]).to_pandas(
        types_mapper=lambda t: text if t in (pa.string(), pa.large_string()) else None
    )
    frame.columns = range(len(names))
    return _with_header(frame, label, [], header_first=True)
