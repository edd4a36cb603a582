"""What valuechain relies on inside its dependencies, beyond their public API: a new release that changes
it fails here, by name, instead of every workbook becoming 'the workbook cannot be opened'."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet


def test_openpyxl_still_has_the_internals_the_sheet_reader_uses():
    book = Workbook()
    book.active.append(["source", "target"])
    buffer = io.BytesIO()
    book.save(buffer)
    reader = ExcelReader(io.BytesIO(buffer.getvalue()), read_only=True, data_only=True)
    reader.read()
    wb = reader.wb
    for name in ("_date_formats", "_timedelta_formats", "_cell_styles", "_number_formats", "epoch", "_sheets"):
        assert hasattr(wb, name), f"openpyxl's Workbook has no {name}"
    sheet = wb.worksheets[0]
    assert isinstance(sheet, ReadOnlyWorksheet)
    for name in ("_shared_strings", "_get_source", "_get_size"):
        assert hasattr(sheet, name), f"openpyxl's ReadOnlyWorksheet has no {name}"
    assert hasattr(reader, "parser") and hasattr(reader.parser, "find_sheets") and hasattr(reader, "valid_files")
