"""Safety of what is written: spreadsheet formulas neutralised, HTML escaped.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets ("CSV
injection"). Text cells like that get a leading apostrophe, which the
spreadsheet shows as text; numbers stay numbers.
"""

from __future__ import annotations

import html

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value):
    """``value`` as safe for a spreadsheet cell: text that would be a formula gets a leading ``'``.

    Examples
    --------
    >>> neutral("=HYPERLINK(\\"http://x\\")"), neutral("-5 days"), neutral(-5), neutral("Kitchen")
    ('\\'=HYPERLINK("http://x")', "'-5 days", -5, 'Kitchen')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and header) neutralised; numbers and booleans untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: neutral(_text(v)))
    out.columns = [neutral(str(c)) for c in out.columns]
    return out


def _text(value):
    """Lists (loop members) as comma-separated text; other values as they are."""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value


def escape(value) -> str:
    """``value`` as text safe inside HTML (tags shown as text, quotes escaped)."""
    return html.escape(str(value), quote=True)
