"""Fuzzing: arbitrary bytes and tables never make the readers raise anything but InputError, and
arbitrary text never breaks a writer.

The number of cases tried per property is written to tests/output/fuzz-counts.txt.
"""

from __future__ import annotations

import io
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import valuechain as vc
from tests.conftest import OUTPUT
from valuechain.io.read import read_table
from valuechain.problems import Code

EXAMPLES = 1000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 200  # make test-slow: thorough
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COUNTS: dict[str, int] = {}

HEADERS = ["source", "target", "from", "to", "deliverable", "essential", "id", "kind", "", " ", "source", "x"]
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "a", "b", "c", "yes", "no", "maybe", "=1+1", "team", "external_customer", "\u200b"]),
)


@pytest.fixture(scope="module", autouse=True)
def record_counts():
    yield
    OUTPUT.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}: {count} cases" for name, count in sorted(COUNTS.items())]
    (OUTPUT / f"fuzz-counts-{os.getpid()}.txt").write_text("\n".join(lines) + "\n")


def tried(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def upload(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def coded(problems: list[vc.Problem]) -> bool:
    """Every problem says what kind it is, with a code of the set other than the catch-all."""
    return all(isinstance(p.code, Code) and p.code is not Code.OTHER for p in problems)


def loads_or_explains(*args, **kwargs) -> vc.Chain | None:
    try:
        chain = vc.load(*args, **kwargs)
    except vc.InputError as err:
        assert err.problems and all(p.message for p in err.problems)
        assert coded(err.problems), [(p.code, str(p)) for p in err.problems]
        return None
    assert coded(chain.warnings), [(p.code, str(p)) for p in chain.warnings]
    chain.analyze()
    return chain


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["h.csv", "h.tsv", "h.txt", "h.xlsx", "h.graphml", "h.json"]))
def test_arbitrary_bytes(data, name):
    tried("arbitrary bytes, any extension")
    loads_or_explains(upload(data, name))


@FUZZ
@given(st.lists(st.lists(CELLS, min_size=0, max_size=5), max_size=8), st.sampled_from([",", ";", "\t"]))
def test_arbitrary_csv_text(rows, sep):
    tried("arbitrary CSV text (cells, delimiters, quotes)")
    text = "\n".join(sep.join(row) for row in rows)
    loads_or_explains(upload(text.encode("utf-8"), "h.csv"))


@FUZZ
@given(st.data())
def test_arbitrary_table_shapes(data):
    tried("arbitrary table shapes (headers and cells)")
    width = data.draw(st.integers(0, 5))
    headers = data.draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    rows = data.draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=8))
    frame = pd.DataFrame(rows, columns=range(width))
    frame.columns = headers if len(set(headers)) == len(headers) else [f"{h}{i}" for i, h in enumerate(headers)]
    known = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["team", "team", "external_customer"]})
    parties = data.draw(st.one_of(st.none(), st.just(known)))
    chain = loads_or_explains(frame, parties=parties)
    if chain is not None and len(chain.parties) <= 50:
        chain.plot()


@FUZZ
@given(st.lists(st.lists(CELLS, min_size=4, max_size=4), max_size=10))
def test_arbitrary_event_logs(rows):
    tried("arbitrary event logs")
    frame = pd.DataFrame(rows, columns=["case", "activity", "team", "timestamp"])
    try:
        chain = vc.from_log(frame)
    except vc.InputError as err:
        assert err.problems and coded(err.problems), [(p.code, str(p)) for p in err.problems]
        return
    assert coded(chain.warnings), [(p.code, str(p)) for p in chain.warnings]
    chain.analyze()


WRITE = settings(max_examples=EXAMPLES // 10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Any text at all: every Unicode category, control characters included (not lone surrogates: no file holds them).
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)


@WRITE
@given(st.lists(st.tuples(ANY_TEXT, ANY_TEXT, ANY_TEXT), min_size=1, max_size=4), ANY_TEXT)
def test_arbitrary_text_through_every_writer(rows, extra):
    """Names, groups, deliverables and an extra column of any text: every writer writes (GraphML and GEXF
    may refuse a control character, saying so), and the graph files read back as the same org."""
    import tempfile
    from pathlib import Path

    from tests.test_export import assert_same_org
    from valuechain.report import render

    teams = [f"t{i}" for i in range(len(rows))]
    parties = pd.DataFrame(
        {
            "id": [*teams, "customer"],
            "name": [name for name, _, _ in rows] + ["Customer"],
            "kind": ["team"] * len(rows) + ["external_customer"],
            "group": [group for _, group, _ in rows] + [""],
            "note": [extra] * (len(rows) + 1),
        }
    )
    handoffs = pd.DataFrame(
        {"source": teams, "target": [*teams[1:], "customer"], "deliverable": [d for _, _, d in rows]}
    )
    chain = vc.load(handoffs, parties=parties)
    for fmt in ("html", "md", "xlsx", "csv"):
        assert render(chain, fmt)
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("json", "graphml", "gexf"):
            path = Path(folder) / f"org.{fmt}"
            try:
                chain.export(path)
            except ValueError as err:
                assert fmt != "json" and "XML, which cannot hold" in str(err)
                continue
            assert_same_org(vc.load(path), chain)
    tried("arbitrary text through every writer")


# --- issue 14: the shapes a table reader meets (blank lines, repeated headers, encodings, Excel) ----------

#: Cells the oracle below can judge: letters, digits and spaces (white space is the same to every reader).
PLAIN = st.text(alphabet="abcXYZ019 éßü", max_size=5)
NAMES = ["source", "target", "deliverable", "note", "essential"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "cp1252"]


@FUZZ
@given(st.data())
def test_blank_lines_repeated_headers_and_encodings_are_read_exactly(data):
    """Blank lines before the header are skipped with the rows keeping their line numbers, blank rows are
    dropped, a row repeating the header is an error naming it: in every encoding, through both CSV readers."""
    tried("blank lines, repeated headers, encodings (CSV, exact rows)")
    sep = data.draw(st.sampled_from([",", ";", "\t"]))
    headers = data.draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    rows = data.draw(st.lists(st.lists(PLAIN, min_size=len(headers), max_size=len(headers)), max_size=6))
    if data.draw(st.booleans()):
        rows.insert(data.draw(st.integers(0, len(rows))), list(headers))
    lead = data.draw(st.lists(st.sampled_from(["", " ", sep, f" {sep} "]), max_size=3))
    encoding = data.draw(st.sampled_from(ENCODINGS[:-1]))  # not cp1252: told apart from others by guessing
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    lines = [*lead, sep.join(headers), *(sep.join(row) for row in rows)]
    content = (newline.join(lines) + newline).encode(encoding)
    kept, repeated = [], []
    for number, row in enumerate(rows, start=len(lead) + 2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        (repeated if cells == headers else kept).append(number)
    try:
        raw = read_table(upload(content, "h.csv"), "handoffs")
    except vc.InputError as err:
        assert [(p.row, p.message) for p in err.errors] == [
            (n, f"row {n} repeats the header row; two files pasted together? delete it") for n in repeated
        ]
        assert repeated
        return
    assert not repeated
    assert list(raw.frame.columns) == headers
    assert list(raw.frame.index) == kept
    expected = [row for row in rows if any(cell.strip() for cell in row)]
    assert raw.frame.to_numpy().tolist() == expected


@FUZZ
@given(
    st.lists(st.lists(CELLS, min_size=1, max_size=4), max_size=6),
    st.integers(0, 3),
    st.sampled_from(ENCODINGS),
    st.sampled_from([0, 0, 1_100]),
    st.booleans(),
)
def test_arbitrary_text_in_every_encoding_and_width(rows, blank_lines, encoding, extra, repeat):
    """Any cells, blank lines before the header, a pasted second header, any encoding, rows of 1,100 more
    cells: a table or an InputError, nothing else."""
    tried("arbitrary CSV text, encodings, blank lines, wide rows")
    wide = [[f"c{i}" for i in range(extra)]] + [["x"] * extra] * max(len(rows) - 1, 0)  # distinct headers
    lines = [",".join(row + more) for row, more in zip(rows, wide)]
    if repeat and lines:
        lines.append(lines[0])
    text = "\n" * blank_lines + "\n".join(lines)
    loads_or_explains(upload(text.encode(encoding, errors="replace"), "h.csv"))


ERROR_CODES = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"]
#: (kind, value) of one Excel cell: text, a number shown with a format, a date, a Boolean, an error, a formula
#: whose result was never saved.
EXCEL_CELLS = st.one_of(
    st.tuples(st.just("s"), CELLS),
    st.tuples(st.just("n"), st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False))),
    st.tuples(st.just("d"), st.integers(1, 80_000)),
    st.tuples(st.just("b"), st.sampled_from(["0", "1"])),
    st.tuples(st.just("e"), st.sampled_from(ERROR_CODES)),
    st.tuples(st.just("f"), st.just("1+1")),
)
EXCEL_COLUMNS = [1, 2, 3, 4, 1_000, 1_001, 16_384]
STYLES = 5  # General, 000, 0.00, a date, "ID-"000 (see xlsx())


def xlsx(sheets: list[tuple[str, str, dict[tuple[int, int], tuple[str, object, int]]]]) -> bytes:
    """A workbook written by hand (fast, and able to hold what openpyxl will not write): ``(name, state, cells)``
    with cells ``{(row, column): (kind, value, style)}``."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    from openpyxl.utils import get_column_letter

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        book.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' + overrides + "</Types>",
        )
        book.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" state="{state}" r:id="rId{i}"/>'
            for i, (name, state, _) in enumerate(sheets, 1)
        )
        book.writestr(
            "xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{entries}</sheets></workbook>'
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        links += f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" Target="styles.xml"/>'
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{links}</Relationships>',
        )
        book.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{main}"><numFmts count="2"><numFmt numFmtId="164" formatCode="000"/>'
            '<numFmt numFmtId="165" formatCode="&quot;ID-&quot;000"/></numFmts>'
            '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/>'
            '<xf numFmtId="2"/><xf numFmtId="14"/><xf numFmtId="165"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        )
        for i, (_, _, cells) in enumerate(sheets, 1):
            rows: dict[int, list[str]] = {}
            for (row, column), (kind, value, style) in sorted(cells.items()):
                ref = f"{get_column_letter(column)}{row}"
                if kind == "s":
                    text = "".join(c for c in str(value) if c >= " " or c in "\t\n")
                    xml = f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
                elif kind == "f":
                    xml = f'<c r="{ref}"><f>{value}</f></c>'
                else:
                    t = {"n": "", "d": "", "b": ' t="b"', "e": ' t="e"'}[kind]
                    s = {"n": f' s="{style}"', "d": ' s="3"'}.get(kind, "")
                    xml = f'<c r="{ref}"{t}{s}><v>{escape(str(value))}</v></c>'
                rows.setdefault(row, []).append(xml)
            body = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
            book.writestr(
                f"xl/worksheets/sheet{i}.xml", f'<worksheet xmlns="{main}"><sheetData>{body}</sheetData></worksheet>'
            )
    return out.getvalue()


@FUZZ
@given(st.data())
def test_arbitrary_workbooks(data):
    """Hidden sheets, error values, formulas never calculated, shown formats, values far to the right: the
    sheet read is the one named for the table or the first visible, every error cell is named, a value past
    column 1,000 refuses the sheet; nothing but an InputError is ever raised."""
    tried("arbitrary workbooks (hidden sheets, error cells, formats, far columns)")
    names = data.draw(
        st.lists(st.sampled_from(["Sheet1", "Data", "handoffs", "Notes"]), min_size=1, max_size=3, unique=True)
    )
    sheets = []
    for name in names:
        state = data.draw(st.sampled_from(["visible", "visible", "hidden", "veryHidden"]))
        keys = st.tuples(st.integers(1, 8), st.sampled_from(EXCEL_COLUMNS))
        values = st.tuples(EXCEL_CELLS, st.integers(0, STYLES - 1)).map(lambda c: (c[0][0], c[0][1], c[1]))
        sheets.append((name, state, data.draw(st.dictionaries(keys, values, max_size=12))))
    named = [s for s in sheets if s[0] == "handoffs"]
    visible = [s for s in sheets if s[1] == "visible"]
    chosen = named[0] if named else visible[0] if visible else None
    try:
        raw = read_table(upload(xlsx(sheets), "h.xlsx"), "handoffs")
    except vc.InputError as err:
        assert err.errors and all(p.message and "\x00" not in str(p) for p in err.problems)
        assert coded(err.problems), [(p.code, str(p)) for p in err.problems]
        messages = [p.message for p in err.errors]
        if chosen is None:
            assert messages == ["every sheet of the workbook is hidden"]
            return
        cells = chosen[2]
        if any(c > 1_000 and (kind != "s" or value != "") for (_, c), (kind, value, _) in cells.items()):
            assert len(messages) == 1 and " declares " in messages[0]
            return
        failed = sorted((r, c) for (r, c), (kind, _, _) in cells.items() if kind in "ef")
        if failed:
            from openpyxl.utils import get_column_letter

            assert [(p.row, p.message.split(" holds ")[0]) for p in err.errors] == [
                (r, f"cell {get_column_letter(c)}{r}") for r, c in failed
            ]
        return
    assert chosen is not None
    cells = chosen[2]
    assert not any(kind in "ef" for kind, _, _ in cells.values())
    assert not any(c > 1_000 and (kind != "s" or value != "") for (r, c), (kind, value, _) in cells.items())
    assert raw.label.endswith(f"[{chosen[0]}]")
    assert all(int(n) in {r for r, _ in cells} for n in raw.frame.index)
