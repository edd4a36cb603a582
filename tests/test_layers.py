"""The package reads bottom-up: no module imports, at module level, a module of a higher layer.

The imports are read with ``ast`` from the source files (fast, and exact about where an import sits):
an ``import`` or ``from ... import`` counts when it runs on import of the module, that is at module level,
also inside a module-level ``if``/``try``/``with``, but not inside a function or class body (imported
when called) nor under ``if TYPE_CHECKING:`` (for type hints only). A higher layer may import a lower
one freely; modules of one layer may import each other.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "valuechain"

#: The layers, lowest first. A module belongs to the layer of the longest name here that is the module's own
#: name or a package above it. Lowest to highest:
#:   base: words, errors, the version and small helpers that know nothing of a chain;
#:   io: reading and validating input; chain: the Chain data class and the loaders that build one;
#:   algorithms: array graph algorithms; analysis: the findings; scenarios: what-if, diff, roll-up;
#:   explain: findings in sentences; plot: Plotly figures; report: reports, export and text renderings;
#:   front ends: the dashboard, the command line and the package's own ``__init__`` (the public facade).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "valuechain._version",
            "valuechain.exceptions",
            "valuechain.problems",
            "valuechain.vocabulary",
            "valuechain.jsonable",
            "valuechain.display",
            "valuechain.terminal",
        ),
    ),
    ("io", ("valuechain.io",)),
    ("chain", ("valuechain.model", "valuechain.eventlog")),
    ("algorithms", ("valuechain.algorithms",)),
    ("analysis", ("valuechain.analysis",)),
    ("scenarios", ("valuechain.scenarios", "valuechain.decisions")),
    ("explain", ("valuechain.explain",)),
    ("plot", ("valuechain.plot",)),
    ("report", ("valuechain.report", "valuechain.export", "valuechain.text")),
    (
        "front ends",
        ("valuechain.dashboard", "valuechain.cli", "valuechain.__main__", "valuechain"),
    ),
]

_RANK = {prefix: rank for rank, (_, prefixes) in enumerate(LAYERS) for prefix in prefixes}


@dataclass(frozen=True)
class Import:
    """One module-level import of a module of the package: who imports what, and on which line."""

    module: str
    line: int
    imported: str


def module_name(path: Path) -> str:
    """``valuechain/io/read.py`` -> ``valuechain.io.read``; a package's ``__init__.py`` is the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    """The rank of ``module``'s layer (0 lowest); None if no layer names it.

    ``valuechain`` alone names only the package's ``__init__``, so a new module must be placed on purpose.
    """
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in _RANK and (prefix != "valuechain" or module == "valuechain"):
            return _RANK[prefix]
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_imports(path: Path, source: str | None = None) -> list[Import]:
    """The imports of package modules that run when the module at ``path`` (its text: ``source``) is imported.

    ``from valuechain.io import read`` counts as importing ``valuechain.io.read`` when that is a module.
    """
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def absolute(node: ast.ImportFrom) -> str:
        if node.level == 0:
            return node.module or ""
        base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        return ".".join([*base, *([node.module] if node.module else [])])

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.extend(Import(module, node.lineno, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                source = absolute(node)
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    is_module = (ROOT / Path(*submodule.split("."))).with_suffix(".py").exists() or (
                        ROOT / Path(*submodule.split(".")) / "__init__.py"
                    ).exists()
                    found.append(Import(module, node.lineno, submodule if is_module else source))
            elif isinstance(node, ast.If):
                if not _is_type_checking(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.With):
                visit(node.body)

    text = path.read_text(encoding="utf-8") if source is None else source
    visit(ast.parse(text, filename=str(path)).body)
    return [i for i in found if i.imported == "valuechain" or i.imported.startswith("valuechain.")]


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    unplaced = [module_name(p) for p in package_modules() if layer_of(module_name(p)) is None]
    assert unplaced == [], f"place these modules in a layer of tests/test_layers.py LAYERS: {unplaced}"


def test_no_module_imports_a_higher_layer_at_module_level():
    upward = []
    for path in package_modules():
        for found in module_level_imports(path):
            mine, theirs = layer_of(found.module), layer_of(found.imported)
            if mine is not None and theirs is not None and theirs > mine:
                where = path.relative_to(ROOT)
                upward.append(
                    f"{where}:{found.line} imports {found.imported} ({LAYERS[theirs][0]}) from {LAYERS[mine][0]}"
                )
    upward = list(dict.fromkeys(upward))  # one line per import statement
    assert upward == [], "imports against the layers (import inside the function, or move the name down):\n" + (
        "\n".join(upward)
    )


def test_the_chain_imports_nothing_above_it_even_for_types_at_runtime():
    """model.py names the analysis, scenarios, plot, report and export only under TYPE_CHECKING or in methods."""
    imported = {i.imported for i in module_level_imports(PACKAGE / "model.py")}
    chain = layer_of("valuechain.model")
    assert chain is not None
    assert all((layer_of(m) or 0) <= chain for m in imported), imported
    assert not any(m.startswith(("valuechain.analysis", "valuechain.scenarios", "valuechain.plot")) for m in imported)


def test_the_engines_of_event_logs_are_imported_only_when_a_log_is_read():
    """duckdb and pyspark load inside the functions of valuechain.eventlog that use them (or for type hints only):
    importing valuechain, or analysing an org, needs neither."""
    engines = ("duckdb", "pyspark")
    found = []

    def visit(path: Path, statements: list[ast.stmt]) -> None:
        for node in statements:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            found.extend(f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n.startswith(engines))
            if isinstance(node, ast.If) and not _is_type_checking(node.test):
                visit(path, node.body)
            if isinstance(node, ast.Try | ast.With):
                visit(path, node.body)

    for path in package_modules():
        visit(path, ast.parse(path.read_text(encoding="utf-8")).body)
    assert found == [], "import these inside the functions that use them:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import valuechain.plot\n", ["valuechain.plot"]),
        ("from valuechain.io import read\n", ["valuechain.io.read"]),
        ("from valuechain.io import KINDS\n", ["valuechain.io"]),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from valuechain.plot import x\n", []),
        ("def f():\n    from valuechain.plot import x\n", []),
        ("class C:\n    import valuechain.plot\n", []),
        ("try:\n    from valuechain.plot import x\nexcept ImportError:\n    pass\n", ["valuechain.plot"]),
        ("from . import analysis\n", ["valuechain.analysis"]),
        ("from .report import write\n", ["valuechain.report"]),
    ],
)
def test_the_import_reader(source, expected):
    path = PACKAGE / "model.py"  # a module of the top package: relative imports resolve from valuechain
    assert [i.imported for i in module_level_imports(path, source)] == expected


def test_layer_of():
    assert LAYERS[layer_of("valuechain.io.read")][0] == "io"
    assert LAYERS[layer_of("valuechain.scenarios.whatif")][0] == "scenarios"
    assert LAYERS[layer_of("valuechain")][0] == "front ends"
    assert layer_of("valuechain.somewhere_new") is None
