"""Text for a terminal: characters that a terminal would act on are shown escaped.

Names, ids, groups, deliverables and file names come from the user. Printed
raw, a name holding ``ESC [2J`` clears the screen, ``ESC ] 8 ;;`` prints a
hyperlink, a carriage return hides what came before it on the line, and a
right-to-left override makes the rest of the line read backwards. Every text
the command line writes goes through :func:`echo` (sentences and tables) or
:func:`echo_json` (JSON), so these characters are shown as escapes
(``\\x1b``, ``\\r``, ``\\u202e``) wherever they come from.

Escaped:

- C0 controls U+0000-U+001F except tab and line feed (the command line's own
  layout), and DEL U+007F;
- C1 controls U+0080-U+009F (U+009B is a one-byte CSI on some terminals);
- bidirectional formatting: U+061C, U+200E, U+200F, U+202A-U+202E,
  U+2066-U+2069, and the line and paragraph separators U+2028, U+2029;
- lone surrogates U+D800-U+DFFF (a file name that is not valid UTF-8 reaches
  Python as such), which could not be written at all.
"""

from __future__ import annotations

import re

import click

#: What a terminal could act on, or could not print (see the module's docstring).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on shown as an escape.

    Tabs and line feeds stay; a carriage return becomes ``\\r`` and everything
    else in :data:`UNSAFE` becomes ``\\xNN`` (below U+0100) or ``\\uNNNN``,
    as Python writes them.

    Parameters
    ----------
    text : str
        Any text, typically holding names that came from the user.

    Returns
    -------
    str
        The same text, safe to write to a terminal.

    Examples
    --------
    >>> print(printable("Kitchen\\x1b[2J"))
    Kitchen\\x1b[2J
    >>> print(printable("HR\\u202eevil\\r\\x07\\x00"))
    HR\\u202eevil\\r\\x07\\x00
    >>> printable("Café\\tbar\\n") == "Café\\tbar\\n"
    True
    """
    if _safe_ascii(text) or UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(_escape, text)


#: The bytes of ASCII text that a terminal shows as they are: tab, line feed and the printable characters.
_SHOWN_ASCII = b"\t\n" + bytes(range(0x20, 0x7F))


def _safe_ascii(text: str) -> bool:
    """Whether ``text`` is ASCII holding nothing of :data:`UNSAFE`, told at C speed (the search itself took a
    third of a second over the 70 MB of a million parties' findings).

    Examples
    --------
    >>> _safe_ascii("a\\tb\\n"), _safe_ascii("a\\x1b"), _safe_ascii("café")
    (True, False, False)
    """
    return text.isascii() and not text.encode("ascii").translate(None, _SHOWN_ASCII)


def json_printable(text: str) -> str:
    """JSON text with the characters a terminal would act on written as JSON escapes.

    ``json.dumps(..., ensure_ascii=False)`` already escapes C0 controls
    (``\\u001b``) but leaves C1 and bidirectional controls raw. In JSON,
    ``\\u202e`` inside a string is the same character, so this changes how the
    text looks on a terminal and never what a program reads from it. Such
    characters can only occur inside JSON strings, so a plain replacement is
    exact.

    Examples
    --------
    >>> import json
    >>> text = json.dumps({"name": "HR\\u202eevil\\x9b"}, ensure_ascii=False)
    >>> print(json_printable(text))
    {"name": "HR\\u202eevil\\u009b"}
    >>> json.loads(json_printable(text)) == json.loads(text)
    True
    """
    if _safe_ascii(text) or UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def echo(message: str = "", err: bool = False) -> None:
    """Write a line of text (sentences, tables) to stdout, or to stderr with ``err``, terminal-safe.

    The one place the command line writes text: every character in
    :data:`UNSAFE` is escaped by :func:`printable`.

    Examples
    --------
    >>> echo("team: Kitchen\\x1b]8;;http://x\\x07")
    team: Kitchen\\x1b]8;;http://x\\x07
    """
    click.echo(printable(str(message)), err=err)


def echo_json(text: str) -> None:
    """Write JSON text to stdout, with C1 and bidirectional controls as JSON escapes (:func:`json_printable`).

    Examples
    --------
    >>> echo_json('{"id": "a\\u202eb"}')
    {"id": "a\\u202eb"}
    """
    click.echo(json_printable(text))
