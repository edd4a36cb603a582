"""The problems of input that cannot be analysed (or is analysed with warnings), and what to do about them.

Decisions are taken on a problem's ``code``, never on its message's text. The table keeps the columns a
person needs (severity, file, row, column, message, hint) under the vocabulary's labels; long texts wrap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from valuechain.dashboard.fixes import editor
from valuechain.dashboard.widgets import FIELD_WORDS, plain, table
from valuechain.problems import Code, Problem
from valuechain.vocabulary import counted

if TYPE_CHECKING:
    from valuechain.dashboard.sidebar import Input
    from valuechain.dashboard.state import Results

PROBLEM_COLUMNS = ["severity", "file", "row", "column", "message", "hint"]
# the problems' message and hint columns: wide, and wrapped in taller rows when a text is longer than a line
PROBLEM_TEXT_PIXELS = {"message": 300, "hint": 340}  # with file, row and column: about 900 px, a laptop's main area
CHAR_PIXELS = 7  # a generous average width of one character of the table's font
LINE_PIXELS = 20
ROW_PADDING_PIXELS = 12
WRAP_MIN_ROW_PIXELS = 68
MAX_LINES = 12


def asks_for_customer(problems: Iterable[Problem]) -> bool:
    """Whether one of the problems is that no external customer is found (the sidebar can name one).

    Examples
    --------
    >>> asks_for_customer([Problem.error("parties", "no external customer", code=Code.NO_CUSTOMER)])
    True
    """
    return any(p.code == Code.NO_CUSTOMER for p in problems)


def problems_table(problems: Iterable[Problem]) -> pd.DataFrame:
    """The problems as a table: a problem without a row or a column has an empty cell there, never "None".

    Examples
    --------
    >>> problems_table([Problem.error("h.csv", "no 'source' column")]).loc[0, ["row", "column"]].tolist()
    [<NA>, '']
    """
    frame = pd.DataFrame([p.to_dict() for p in problems], columns=PROBLEM_COLUMNS)
    frame["row"] = pd.to_numeric(frame["row"], errors="coerce").astype("Int64")  # 2, not 2.0, beside a blank
    for text in ("file", "column", "message", "hint"):
        frame[text] = frame[text].map(lambda cell: "" if cell is None or cell is pd.NA else str(cell))
    return frame


def text_lines(frame: pd.DataFrame, columns: dict[str, int]) -> int:
    """How many lines the longest cell needs when each column wraps at the given width in pixels.

    Examples
    --------
    >>> text_lines(pd.DataFrame({"message": ["x" * 100]}), {"message": 350})
    2
    """
    lines = 1
    for column, width in columns.items():
        if column in frame and len(frame):
            longest = int(frame[column].astype(str).str.len().max())
            lines = max(lines, -(-longest // max(1, width // CHAR_PIXELS)))
    return min(lines, MAX_LINES)


def problem_table(problems: pd.DataFrame, key: str) -> None:
    """Problems with the whole message and hint on screen: long texts wrap (taller rows), blanks stay blank."""
    wide = PROBLEM_TEXT_PIXELS
    lines = text_lines(problems, wide)
    config = {
        "row": st.column_config.NumberColumn(width="small", format="%d"),
        **{name: st.column_config.TextColumn(width=pixels) for name, pixels in wide.items()},
    }
    # Streamlit wraps text only in rows taller than 4rem (64 px): one line is left at the default height
    row_height = None if lines == 1 else max(WRAP_MIN_ROW_PIXELS, LINE_PIXELS * lines + ROW_PADDING_PIXELS)
    table(problems, key=key, column_config=config, row_height=row_height, placeholder="")


def named_files(problems: pd.DataFrame, uploaded: set[str], otherwise: str) -> str:
    """The uploaded files the problems are in, for a sentence ("handoffs.csv and parties.csv", escaped for
    Markdown by :func:`~valuechain.dashboard.widgets.plain`), else ``otherwise``
    (a problem may name no file: a missing customer is in "parties" when there is no parties file).

    Examples
    --------
    >>> print(named_files(pd.DataFrame({"file": ["a.csv", "b.csv", "a.csv"]}), {"a.csv", "b.csv"}, "The files"))
    a\\.csv and b\\.csv
    """
    names = [plain(f) for f in dict.fromkeys(problems["file"]) if f in uploaded]  # shown as written
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or otherwise


def unreadable(problems: list[Problem], sentence: str, key: str) -> None:
    """Files that cannot be read as a table at all: the sentence, then their problems."""
    st.error(sentence)
    problem_table(problems_table(problems).drop(columns="severity"), key=key)


def results_or_stop(given: Input) -> Results:
    """The analysed org, with its warnings in an expander; or its errors, what to do, and a stop of the page."""
    result = given.result
    problems = problems_table(result if isinstance(result, list) else result.chain.warnings)
    errors, warnings = problems[problems["severity"] == "error"], problems[problems["severity"] == "warning"]
    if isinstance(result, list) or len(errors):
        st.error(
            f"{named_files(errors, given.uploaded, 'The files')} cannot be analysed yet: "
            f"{counted(len(errors), 'problem')} "
            "to fix. Each names the file, row and column."
        )
        problem_table(errors.drop(columns="severity"), key="errors")
        for file, missing in given.unmapped.items():
            wanted = " and ".join(FIELD_WORDS[f] for f in missing)
            flags = " ".join(f"--column {f}=HEADER" for f in missing)
            st.info(
                f"{file} has no column valuechain recognises as {wanted}. Say which of its columns "
                f"{'holds it' if len(missing) == 1 else 'hold them'} in the sidebar, under **Columns of {file}** "
                f"(on the command line: {flags})."
            )
        if given.raw_h is not None and isinstance(result, list) and asks_for_customer(result):
            st.info("Choose the external customer(s) in the sidebar, under **Customers**.")
        if len(warnings):
            st.subheader(counted(len(warnings), "warning"))
            problem_table(warnings.drop(columns="severity"), key="warnings")
        if given.raw_h is not None:
            editor(given.raw_h, given.raw_p)
        st.stop()
    if len(warnings):
        # filled only while open (on_change="rerun"): a closed expander's table was built and sent on every run
        box = st.expander(
            f"{counted(len(warnings), 'warning')}: the rows are kept, but worth a look (open to list them)",
            key="warnings-open",
            on_change="rerun",
        )
        if box.open:
            with box:
                problem_table(warnings.drop(columns="severity"), key="warnings")
                # the grids hold the whole tables (megabytes for a large org): drawn only when asked for
                if given.raw_h is not None and st.toggle("Fix cells in the tables here", key="fix-up-open"):
                    editor(given.raw_h, given.raw_p)
    return result
