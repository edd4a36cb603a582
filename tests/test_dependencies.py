"""What valuechain relies on inside its dependencies, beyond their public API: a new release that changes
it fails here, by name, instead of every workbook becoming 'the workbook cannot be opened'."""

from __future__ import annotations

import functools
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


# --- what the library imports, against what pyproject.toml declares -----------------------------------------------

#: Extras and the only library modules that may import them (streamlit: the dashboard; kaleido: plotly loads it;
#: pyspark: from_log on a Spark DataFrame).
EXTRAS = {"streamlit": ("valuechain.dashboard",), "kaleido": (), "pyspark": ("valuechain.eventlog.spark",)}


def _third_party_imports() -> list[tuple[str, int, str]]:
    """(module, line, top-level name) of every import of another distribution in the library, at any depth."""
    import ast
    import sys

    from tests.conftest import ROOT
    from tests.test_layers import module_name

    found = []
    for path in sorted((ROOT / "valuechain").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top != "valuechain" and top not in sys.stdlib_module_names:
                    found.append((module_name(path), node.lineno, top))
    return found


@functools.cache
def _distribution(top: str) -> str:
    """The distribution that installs the import name ``top`` (``charset_normalizer`` -> ``charset-normalizer``)."""
    return _packages_distributions().get(top, [top])[0].lower().replace("_", "-")


@functools.cache
def _packages_distributions() -> dict[str, list[str]]:
    from importlib.metadata import packages_distributions

    return dict(packages_distributions())


def test_every_library_import_is_a_declared_dependency_and_the_extras_stay_in_their_corner():
    import re
    import tomllib

    from tests.conftest import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in project["dependencies"]}
    undeclared, misplaced = [], []
    for module, line, top in _third_party_imports():
        if top in EXTRAS:
            if not module.startswith(EXTRAS[top]) or not EXTRAS[top]:
                misplaced.append(f"{module}:{line} imports {top}")
        elif _distribution(top) not in core:
            undeclared.append(f"{module}:{line} imports {top} ({_distribution(top)})")
    assert undeclared == [], f"add to [project] dependencies, or import only where an extra is installed: {undeclared}"
    assert misplaced == [], f"an extra imported outside the part of the library that needs it: {misplaced}"


def test_the_import_scan_sees_the_libraries_it_checks():
    tops = {top for _, _, top in _third_party_imports()}
    assert {"pandas", "numpy", "plotly", "igraph", "openpyxl", "networkx"} <= tops
