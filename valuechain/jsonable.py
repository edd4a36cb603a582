"""Plain Python values from pandas and NumPy ones, for JSON and for NetworkX attributes."""

from __future__ import annotations

import numpy as np
import pandas as pd


def is_missing(value) -> bool:
    """None, NaN or pandas' NA.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(pd.NA), is_missing(""), is_missing(0)
    (True, True, False, False)
    """
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def or_none(value):
    """The value as a plain Python value, ``None`` where it is missing."""
    if is_missing(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def number(value: float) -> int | float:
    """A whole number as ``int``, anything else as ``float``.

    Examples
    --------
    >>> number(4.0), number(2.5)
    (4, 2.5)
    """
    return int(value) if float(value).is_integer() else float(value)


def records(table: pd.DataFrame) -> list[dict]:
    """The rows as dicts of plain values (missing values as ``None``)."""
    return [{k: or_none(v) for k, v in row.items()} for row in table.to_dict("records")]
