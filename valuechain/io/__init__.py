"""Reading and validating input: CSV, Excel and DataFrames into checked tables.

The public entry is :func:`valuechain.load`; this package holds its parts.
"""

from valuechain.io.columns import HANDOFF_FIELDS, PARTY_FIELDS, match_columns
from valuechain.io.read import RawTable, read_table
from valuechain.io.validate import KINDS, OUTSIDE_KINDS, check_references, named_ids, parse_handoffs, parse_parties

__all__ = [
    "HANDOFF_FIELDS",
    "KINDS",
    "OUTSIDE_KINDS",
    "PARTY_FIELDS",
    "RawTable",
    "check_references",
    "match_columns",
    "named_ids",
    "parse_handoffs",
    "parse_parties",
    "read_table",
]
