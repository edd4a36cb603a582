"""Safety of what is written: spreadsheet formulas neutralised, HTML escaped, XML-illegal characters found.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets ("CSV
injection"). Text cells like that get a leading apostrophe, which the
spreadsheet shows as text; numbers stay numbers.

XML 1.0 (so GraphML, GEXF and the inside of an ``.xlsx``) cannot hold the
control characters other than tab, line feed and carriage return, not even
escaped; text can carry them in from a terminal or a broken export.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pandas as pd

from valuechain.problems import FORMULA_STARTS

__all__ = ["FORMULA_STARTS", "NOT_IN_XML", "describe_character", "neutral", "neutral_frame", "visible_controls"]

#: Characters no XML 1.0 document can hold: C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def describe_character(char: str) -> str:
    """A character as people can read it in a message.

    Examples
    --------
    >>> describe_character("\\x07")
    'U+0007 (BELL)'
    """
    names = {0: "NULL", 7: "BELL", 8: "BACKSPACE", 11: "VERTICAL TAB", 12: "FORM FEED", 27: "ESCAPE"}
    name = unicodedata.name(char, names.get(ord(char), "CONTROL CHARACTER"))
    return f"U+{ord(char):04X} ({name})"


def visible_controls(text: str) -> str:
    """``text`` with each character XML cannot hold shown as its Unicode control picture (U+0007 as ␇).

    Examples
    --------
    >>> visible_controls("bell\\x07 and nul\\x00")
    'bell␇ and nul␀'
    """
    return NOT_IN_XML.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() < " " else "\ufffd", text)


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
