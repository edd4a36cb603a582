"""Excel workbooks of the findings: a sheet per table, bold frozen headers, filters, sensible widths.

Every cell is written as a value, never as a formula: text that a
spreadsheet would read as a formula is neutralised first. Two limits of the
format are shown in the cell rather than failing or being hidden: control
characters (which an ``.xlsx`` cannot hold) appear as their control pictures
(U+0007 as ␇), and text over Excel's 32,767 characters per cell is cut with a
note saying how long it was (the graph files keep it whole).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import overload

import pandas as pd

from valuechain.report.safe import NOT_IN_XML, neutral_frame, visible_controls

WIDEST = 60  # characters
CELL_LIMIT = 32_767  # Excel's most characters in a cell


@overload
def write_excel(tables: dict[str, pd.DataFrame], target: None = None) -> bytes: ...


@overload
def write_excel(tables: dict[str, pd.DataFrame], target: str | Path) -> Path: ...


@overload
def write_excel(tables: dict[str, pd.DataFrame], target: io.BytesIO) -> io.BytesIO: ...


def write_excel(
    tables: dict[str, pd.DataFrame], target: str | Path | io.BytesIO | None = None
) -> bytes | Path | io.BytesIO:
    """Write ``tables`` (sheet name to DataFrame) to an ``.xlsx`` file (a path or a buffer), or return its bytes.

    Examples
    --------
    >>> import valuechain as vc
    >>> from valuechain.report.tables import findings_tables
    >>> data = write_excel(findings_tables(vc.load("data/restaurant/handoffs.csv",
    ...                                            parties="data/restaurant/parties.csv")))
    >>> data[:2]
    b'PK'
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, frame in tables.items():
        sheet = book.create_sheet(title=sheet_name(name, book.sheetnames))
        safe = neutral_frame(frame)
        sheet.append([str(c) for c in safe.columns])
        for row in safe.itertuples(index=False, name=None):
            sheet.append([_cell(v) for v in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":  # openpyxl takes text starting with "=" as a formula: never here
                    cell.data_type = "s"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        if safe.shape[1]:
            sheet.auto_filter.ref = f"A1:{get_column_letter(safe.shape[1])}{max(1, len(safe) + 1)}"
        for position, column in enumerate(safe.columns, start=1):
            values = [str(column)] + [str(v) for v in safe.iloc[:200, position - 1].tolist()]
            sheet.column_dimensions[get_column_letter(position)].width = min(WIDEST, max(len(v) for v in values) + 2)
    if target is None:
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    book.save(target)
    return Path(target) if not isinstance(target, io.BytesIO) else target


def sheet_name(name: str, taken: list[str]) -> str:
    """``name`` as a valid, new sheet name: at most 31 characters, none of ``: \\ / ? * [ ]``.

    Examples
    --------
    >>> sheet_name("Orphans resolved: these teams", ["Orphans resolved- these teams"])
    'Orphans resolved- these teams 2'
    """
    clean = re.sub(r"[:\\/?*\[\]]", "-", str(name)).strip("'") or "Sheet"
    candidate, number = clean[:31], 1
    while candidate in taken:
        number += 1
        candidate = f"{clean[: 31 - len(str(number)) - 1]} {number}"
    return candidate


def _cell(value):
    """A plain cell value: missing values empty, NumPy numbers as Python numbers, text Excel can hold.

    Examples
    --------
    >>> _cell("bell\\x07"), _cell(float("nan"))
    ('bell␇', None)
    >>> cut = _cell("x" * 40_000)
    >>> len(cut), cut[-60:]
    (32767, "… (cut at Excel's limit of 32,767 characters: 40,000 in all)")
    """
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, str):
        if NOT_IN_XML.search(value):
            value = visible_controls(value)
        if len(value) > CELL_LIMIT:
            note = f"… (cut at Excel's limit of {CELL_LIMIT:,} characters: {len(value):,} in all)"
            value = value[: CELL_LIMIT - len(note)] + note
    return value
