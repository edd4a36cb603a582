"""Corpus cases for Parquet tables (issue 19, point 3): read like CSV, record numbers as rows; what is not a
table of text, or not Parquet at all, gets one clear message. The files are built here with pyarrow."""

from __future__ import annotations

import io

PARTIES = "id,name,kind\nkitchen,Kitchen,team\nfloor,Floor,team\ndiners,Diners,external_customer\n"


def parquet(columns: dict) -> bytes:
    """A Parquet file of ``columns`` (name -> list of values, or an Arrow array)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    return buffer.getvalue()


def _damaged() -> bytes:
    """A Parquet file whose footer (its description of the columns) is overwritten."""
    data = bytearray(parquet({"source": ["kitchen", "floor"], "target": ["floor", "diners"]}))
    data[-40:-8] = b"\xff" * 32
    return bytes(data)


def _typed() -> bytes:
    import pyarrow as pa

    return parquet(
        {
            "source": ["kitchen", "floor"],
            "target": ["floor", "diners"],
            "essential": [True, None],
            "volume": pa.array([12, None], pa.int64()),
        }
    )


# name: (hand-offs content, parties content or (name, content) or None, expect, message fragment)
CASES: dict[str, tuple] = {
    "parquet-ok.parquet": (
        parquet({"source": ["kitchen", "floor"], "target": ["floor", "diners"], "deliverable": ["dishes", "meal"]}),
        (
            "parquet-ok.parties.parquet",
            parquet({"id": ["kitchen", "floor", "diners"], "kind": ["team", "team", "external_customer"]}),
        ),
        "ok",
        "",
    ),
    # numbers, booleans and nulls become text as CSV would hold it; a null yes/no cell is blank (yes)
    "parquet-typed-columns.parquet": (_typed(), PARTIES, "ok", ""),
    "parquet-unknown-party.parquet": (
        parquet({"source": ["kitchen", "floor"], "target": ["flor", "diners"]}),
        PARTIES,
        "error",
        "did you mean 'floor'",
    ),
    "parquet-list-column.parquet": (
        parquet({"source": [["kitchen"], ["floor"]], "target": ["floor", "diners"]}),
        PARTIES,
        "error",
        "the column 'source' holds lists, structs or maps",
    ),
    "parquet-binary-column.parquet": (
        parquet({"source": [b"kitchen", b"floor"], "target": ["floor", "diners"]}),
        PARTIES,
        "error",
        "the column 'source' holds bytes",
    ),
    "parquet-nul-in-id.parquet": (
        parquet({"source": ["kit\x00chen", "floor"], "target": ["floor", "diners"]}),
        PARTIES,
        "error",
        "holds a NUL character",
    ),
    "parquet-csv-inside.parquet": (
        "source,target\nkitchen,floor\nfloor,diners\n",
        PARTIES,
        "error",
        "this is not a Parquet file",
    ),
    "parquet-empty.parquet": (b"", PARTIES, "error", "the file is empty"),
    "parquet-damaged.parquet": (_damaged(), PARTIES, "error", "the Parquet file cannot be read"),
}
