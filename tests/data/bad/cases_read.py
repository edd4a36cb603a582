"""Corpus cases for reading CSV and Excel files exactly (issue 14, points 5, 7, 11 and 15).

Workbooks are built here with openpyxl (their bytes are the cases). The CSV of 50,000 columns is timed in
tests/test_io.py (reading only: what follows the reading is another part's).
"""

from __future__ import annotations

import io
import itertools
import zipfile

GOOD = "source,target,deliverable\nkitchen,floor,dishes\nfloor,diners,service\n"
PARTIES = "id,name,kind\nkitchen,Kitchen,team\nfloor,Floor,team\ndiners,Diners,external_customer\n"


def workbook(sheets: dict[str, list[list]], hidden: dict[str, str] | None = None, formats: dict | None = None) -> bytes:
    """An .xlsx holding ``sheets`` (name -> rows, ``None`` for an empty cell, ``(row, column, value)`` triples
    allowed for cells far away), with sheet states (``"hidden"``, ``"veryHidden"``) and number formats
    (``{(sheet, "A2"): "000"}``)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            if isinstance(row, tuple):
                sheet.cell(row=row[0], column=row[1], value=row[2])
            else:
                sheet.append(row)
        sheet.sheet_state = (hidden or {}).get(name, "visible")
    for (name, cell), code in (formats or {}).items():
        book[name][cell].number_format = code
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def hidden_sheet_first() -> bytes:
    """A stale hidden sheet before the visible one: pandas read the hidden one."""
    return workbook(
        {
            "Old export": [["source", "target"], ["ghost", "diners"]],
            "Current": [["source", "target", "deliverable"], ["kitchen", "floor", "dishes"], ["floor", "diners", "x"]],
            "Notes": [["read me"]],
        },
        hidden={"Old export": "hidden"},
    )


def error_cells() -> bytes:
    """Cells holding Excel errors (pandas read #N/A and #REF! as empty cells, and dropped a row of errors)."""
    return workbook(
        {
            "handoffs": [
                ["source", "target"],
                ["kitchen", "floor"],
                ["floor", "#N/A"],
                ["#REF!", "#DIV/0!"],
            ]
        }
    )


def formatted_ids() -> bytes:
    """Ids typed as numbers and shown with a format: 007 (format 000) and 1.50 (format 0.00)."""
    rows = [["source", "target"], [7, 1.5], [1.5, "diners"]]
    formats = {("handoffs", "A2"): "000", ("handoffs", "B2"): "0.00", ("handoffs", "A3"): "0.00"}
    return workbook({"handoffs": rows}, formats=formats)


def far_column(rows: int = 600) -> bytes:
    """Each row holds one value in column XFD (16,384): a 10 KB file that took 26 s and 981 MB to read."""
    cells = [["source", "target"], ["kitchen", "floor"], ["floor", "diners"]]
    return workbook({"handoffs": cells + [(r, 16_384, "x") for r in range(4, 4 + rows)]})


def zip_bomb(padding: int = 20_000_000) -> bytes:
    """A workbook whose sheet unpacks to 20 MB of white space from about 20 KB (a ratio of 1,000)."""
    plain = workbook({"handoffs": [["source", "target"], ["kitchen", "floor"], ["floor", "diners"]]})
    source = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
            bomb.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def _shifted(book: bytes) -> bytes:
    """The same workbook with every row moved down by two (rows 1 and 2 empty)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(book))
    for sheet in wb.worksheets:
        sheet.insert_rows(1, 2)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def header_on_row_three() -> bytes:
    """The header on row 3 of the sheet (rows 1 and 2 empty)."""
    return _shifted(workbook({"handoffs": [["source", "target"], ["kitchen", "floor"], ["floor", "diners"]]}))


def repeated_header_below_blank_rows() -> bytes:
    """The header on row 3, and row 5 repeating it (two sheets pasted one below the other)."""
    rows = [["source", "target"], ["kitchen", "floor"], ["source", "target"], ["floor", "diners"]]
    return _shifted(workbook({"handoffs": rows}))


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_xml(rows: list[str]) -> bytes:
    """A workbook whose one sheet, 'handoffs', is hand-written XML: ``rows`` are each row's cells (row 1 first),
    as Excel or a crafted file may write them."""
    body = "".join(f'<row r="{n}">{cells}</row>' for n, cells in enumerate(rows, start=1))
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'.encode()
    book = workbook({"handoffs": [["x"]]})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, xml if item.filename.startswith("xl/worksheets/sheet") else src.read(item.filename))
    return out.getvalue()


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


_HEADER = _text("A1", "source") + _text("B1", "target")


def _chain(sep: str, ids: list[str]) -> str:
    """Hand-offs along ``ids``, the last the customer."""
    return f"source{sep}target\n" + "".join(f"{a}{sep}{b}\n" for a, b in itertools.pairwise(ids))


# name: (hand-offs content, parties content or None, expect, message fragment)
CASES: dict[str, tuple] = {
    # point 5: Excel
    "read-hidden-sheet.xlsx": (hidden_sheet_first(), PARTIES, "warning", "(the first visible sheet) as the hand-offs"),
    "read-error-cells.xlsx": (error_cells(), PARTIES, "error", "holds the Excel error #N/A"),
    "read-formatted-ids.xlsx": (
        formatted_ids(),
        "id,kind\n007,team\n1.50,team\ndiners,external_customer\n",
        "ok",
        "",
    ),
    # point 11: sizes
    # number formats that change what Excel shows were read as the bare number without a word (the first
    # section of a conditional format was applied: 5 with [>100]000;0.0 was read as 005, Excel shows 5.0)
    "read-number-format-shown-otherwise.xlsx": (
        workbook(
            {"handoffs": [["source", "target", "cost"], [123456789, "floor", 5], ["floor", "diners", 0.5]]},
            formats={("handoffs", "A2"): "000-00-0000", ("handoffs", "C2"): "[>100]000;0.0", ("handoffs", "C3"): "0%"},
        ),
        "id,kind\n123456789,team\nfloor,team\ndiners,external_customer\n",
        "warning",
        "shows as '123-45-6789' with the format '000-00-0000'; it is read as 123456789",
    ),
    # a text formula with no saved result was read as an empty cell
    "read-unsaved-text-formula.xlsx": (
        sheet_xml([_HEADER, _text("A2", "kitchen") + '<c r="B2" t="str"><f>IF(A2="","","floor")</f></c>']),
        PARTIES,
        "error",
        "cell B2 holds a formula (=IF",
    ),
    # a reference without letters put the value in the last column; a cell listed twice: the later won
    "read-cell-without-column.xlsx": (
        sheet_xml([_HEADER, _text("A2", "kitchen") + _text("2", "floor")]),
        PARTIES,
        "error",
        "whose reference '2' names no column",
    ),
    "read-cell-listed-twice.xlsx": (
        sheet_xml([_HEADER, _text("A2", "kitchen") + _text("B2", "floor") + _text("B2", "diners")]),
        PARTIES,
        "error",
        "lists cell B2 twice",
    ),
    "read-far-column.xlsx": (far_column(), PARTIES, "error", "declares 16,384 columns"),
    "read-zip-bomb.xlsx": (zip_bomb(), PARTIES, "error", "zip bomb"),
    # point 7: blank lines before the header (a .txt: the corpus counts CSV rows from the file's first line),
    # a repeated header
    "read-blank-lines-before-header.txt": ("\n\n" + GOOD, PARTIES, "ok", ""),
    "read-blank-lines-then-unknown.txt": (
        "\r\n ; \r\nsource;target\r\nkitchen;flor\r\n",
        PARTIES,
        "error",
        "did you mean 'floor'",
    ),
    # Excel's sep= line, then blank lines (rows 1 and 2 in Excel): the unknown id is on row 4 (was said row 2)
    "read-sep-line-then-blank-lines.txt": (
        "sep=;\n\n\nsource;target\nkitchen;flor\n",
        PARTIES,
        "error",
        "did you mean 'floor'",
    ),
    "read-repeated-header.csv": (GOOD + GOOD, PARTIES, "error", "row 4 repeats the header row"),
    "read-repeated-header-latin1.csv": (
        ("source;target\ncaf\xe9;diners\n\nsource;target\nfloor;diners\n").encode("latin-1"),
        "id;kind\ncaf\xe9;team\nfloor;team\ndiners;external_customer\n".encode("latin-1"),
        "error",
        "row 4 repeats the header row",
    ),
    "read-repeated-header-other-case.csv": (
        "From Team,To Team\nkitchen,floor\nfrom team,to team\nfloor,diners\n",
        PARTIES,
        "error",
        "row 3 repeats the header row",
    ),
    "read-header-on-row-3.xlsx": (header_on_row_three(), PARTIES, "ok", ""),
    "read-repeated-header.xlsx": (repeated_header_below_blank_rows(), PARTIES, "error", "row 5 repeats the header row"),
    # point 15: UTF-16 and UTF-32 without a BOM (no final line end: the corpus counts rows by UTF-8 lines)
    "read-utf16le-no-bom.csv": (GOOD.rstrip("\n").encode("utf-16-le"), PARTIES, "ok", ""),
    "read-utf16be-no-bom.csv": (GOOD.rstrip("\n").encode("utf-16-be"), PARTIES, "ok", ""),
    "read-utf32le-no-bom.csv": (GOOD.rstrip("\n").encode("utf-32-le"), PARTIES, "ok", ""),
    "read-utf32-bom.csv": (GOOD.encode("utf-32"), PARTIES, "ok", ""),
    # mostly non-Latin UTF-16 without a BOM (a .txt: the corpus counts CSV rows by UTF-8 lines): Chinese was
    # "binary data", Russian (valid UTF-8 with NULs) "line 1 holds a NUL byte"
    "read-utf16le-chinese-no-bom.txt": (
        _chain(",", ["销售与市场营销部门", "客户服务与支持中心部门", "财务与会计核算部门", "全国客户"]).encode(
            "utf-16-le"
        ),
        "id,kind\n销售与市场营销部门,team\n客户服务与支持中心部门,team\n财务与会计核算部门,team\n全国客户,external_customer\n",
        "ok",
        "",
    ),
    "read-utf16be-russian-no-bom.txt": (
        _chain(";", ["Маркетинговый", "Обслуживающий", "Бухгалтерский", "Потребители"]).encode("utf-16-be"),
        "id;kind\nМаркетинговый;team\nОбслуживающий;team\nБухгалтерский;team\nПотребители;external_customer\n",
        "ok",
        "",
    ),
    # a NUL character in UTF-32 text: was "not valid UTF-16"
    "read-nul-in-utf32.csv": (
        (GOOD + "floor,diners,x\x00y\n").encode("utf-32"),
        PARTIES,
        "error",
        "line 4 holds a NUL",
    ),
    "read-nul-in-header.csv": (b"source,tar\x00get\nkitchen,floor\n", PARTIES, "error", "line 1 holds a NUL byte"),
    "read-escape-in-header.csv": (
        b"source,target,tar\x1bget,tar\x1bget\nkitchen,floor,x,y\n",
        PARTIES,
        "error",
        "the header 'tar\\x1bget'",
    ),
}


def large_cases() -> dict[str, tuple]:
    """Cases too large to store: cells longer than Python's csv limit (131,072 characters) on its paths."""
    long = "h" * 200_000
    return {
        # a long header: Python's csv reader raised "field larger than field limit" (not an input error)
        "read-long-header-cell.csv": (
            f"source,target,{long}\nkitchen,floor,1\nfloor,diners,2\n",
            PARTIES,
            "ok",
            "",
        ),
        # a long id, and a row with a cell too many: was "a stray quote (field larger than field limit)"
        "read-long-cell-and-extra-cell.csv": (
            f"source,target\n{long},floor\nfloor,diners,zz\n",
            PARTIES,
            "error",
            "this row has 3 cells but the header has 2",
        ),
    }
