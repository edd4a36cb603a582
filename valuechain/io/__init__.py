"""Reading and validating input: CSV, Excel and DataFrames into checked tables.

The public entry is :func:`valuechain.load`; this package holds its parts.
"""

from valuechain.io.read import RawTable, read_table
from valuechain.io.validate import KINDS, OUTSIDE_KINDS, check_references, parse_handoffs, parse_parties

__all__ = [
    "KINDS",
    "OUTSIDE_KINDS",
    "RawTable",
    "check_references",
    "parse_handoffs",
    "parse_parties",
    "read_table",
]
