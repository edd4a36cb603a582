"""The library works without its heavy optional dependencies, and the wheel ships what users need.

Streamlit (extra ``app``: the dashboard) and kaleido (extra ``image``: PNG/SVG/PDF figures) are not needed to
import valuechain, load an org, analyse it, write HTML/Markdown/Excel/CSV reports or run the command line.
The fast tests run in a fresh interpreter where a meta-path finder makes both unimportable (as if they were not
installed); the slow one installs the wheel without extras into a throwaway virtual environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

HANDOFFS = ROOT / "data" / "restaurant" / "handoffs.csv"
PARTIES = ROOT / "data" / "restaurant" / "parties.csv"
OPTIONAL = ("streamlit", "kaleido")

#: Prepended to a script: streamlit and kaleido are not found, exactly as when they are not installed (the finder
#: of installed modules is wrapped: ``import`` raises ModuleNotFoundError, ``importlib.util.find_spec`` gives None).
WITHOUT_OPTIONAL = f"""
import importlib.machinery, importlib.util, sys

class WithoutOptional(importlib.machinery.PathFinder):
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.partition(".")[0] in {OPTIONAL!r}:
            return None
        return super().find_spec(name, path, target)

sys.meta_path[:] = [WithoutOptional if f is importlib.machinery.PathFinder else f for f in sys.meta_path]
assert all(importlib.util.find_spec(name) is None for name in {OPTIONAL!r})
"""

#: An image of a figure: it needs kaleido; without it, the error says what to install. Prints the error as JSON.
IMAGE_USE = f"""
import json
import valuechain as vc
from valuechain.plot import save_image

chain = vc.load({str(HANDOFFS)!r}, parties={str(PARTIES)!r})
try:
    save_image(chain.plot(), "chain.png")
    print(json.dumps("written"))
except vc.ToolMissing as err:
    print(json.dumps(str(err)))
"""

#: What a user of the core library does: load, analyse, the reports that need no browser, the command line.
#: It prints one JSON line with what it found.
LIBRARY_USE = f"""
import contextlib, io, json, runpy, sys
from pathlib import Path

import valuechain as vc

chain = vc.load({str(HANDOFFS)!r}, parties={str(PARTIES)!r})
found = chain.analyze()
written = {{s: chain.report(f"report.{{s}}").stat().st_size for s in ("html", "md", "xlsx", "csv")}}
out = io.StringIO()
sys.argv = ["valuechain", "analyze", {str(HANDOFFS)!r}, "--parties", {str(PARTIES)!r}, "--format", "json"]
with contextlib.redirect_stdout(out):
    try:
        runpy.run_module("valuechain", run_name="__main__")
        code = 0
    except SystemExit as done:
        code = done.code or 0
print(json.dumps({{
    "orphans": found.summary.orphans,
    "written": written,
    "cli_code": code,
    "cli_orphans": json.loads(out.getvalue())["summary"]["orphans"],
    "loaded": [m for m in {OPTIONAL!r} if m in sys.modules],
}}))
"""


def run_python(python: str | Path, script: str, cwd: Path, source: bool = True, wait: float = 120) -> dict:
    """Run ``script`` with ``python`` in ``cwd``; its last line of output, read as JSON.

    With ``source``, valuechain is imported from this checkout (whatever is installed in the environment).
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    command = [str(python), "-c", script]
    done = subprocess.run(command, cwd=cwd, env=env if source else None, capture_output=True, text=True, timeout=wait)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_streamlit_and_kaleido_the_library_loads_analyses_reports_and_runs_the_cli(tmp_path):
    result = run_python(sys.executable, WITHOUT_OPTIONAL + LIBRARY_USE, tmp_path)
    assert result["orphans"] == result["cli_orphans"] == 2
    assert result["cli_code"] == 0
    assert all(size > 0 for size in result["written"].values()), result["written"]
    assert result["loaded"] == []


def test_without_kaleido_an_image_says_which_extra_to_install(tmp_path):
    said = run_python(sys.executable, WITHOUT_OPTIONAL + IMAGE_USE, tmp_path)
    assert "pip install valuechain[image]" in said, said
    assert not (tmp_path / "chain.png").exists()


def test_importing_valuechain_loads_no_front_end_and_no_figure_library(tmp_path):
    script = (
        "import sys, json, valuechain\n"
        "print(json.dumps(sorted({m.partition('.')[0] for m in sys.modules} & "
        "{'streamlit', 'kaleido', 'plotly', 'networkx', 'click', 'duckdb', 'pyspark'})))"
    )
    assert run_python(sys.executable, script, tmp_path) == []


def test_the_optional_dependencies_are_extras_and_dev_installs_them_with_the_type_checker():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    required = " ".join(project["dependencies"])
    for name in OPTIONAL:
        assert name not in required
    extras = project["optional-dependencies"]
    assert [r.split(">")[0] for r in extras["app"]] == ["streamlit"]
    assert [r.split(">")[0] for r in extras["image"]] == ["kaleido"]
    assert [r.split(">")[0] for r in extras["spark"]] == ["pyspark"]
    assert "valuechain[app,image,spark]" in extras["dev"]
    installed = __import__("importlib.metadata").metadata.version("mypy")
    assert f"mypy=={installed}" in extras["dev"], "dev pins the mypy that .venv runs"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built as pip builds it for `pip install .` (about 3 s).

    From a copy of what the build reads: setuptools would leave ``build/`` in the checkout, and files left there
    by an earlier build would go into the wheel.
    """
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "valuechain", source / "valuechain", ignore=shutil.ignore_patterns("__pycache__"))
    folder = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = folder.glob("valuechain-*.whl")
    return found


def test_the_wheel_ships_py_typed_and_asks_for_streamlit_and_kaleido_only_as_extras(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    assert "valuechain/py.typed" in names
    requires = [line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert any(r.startswith("igraph") and "extra" not in r for r in requires), requires
    for name, extra in (("streamlit", "app"), ("kaleido", "image")):
        lines = [r for r in requires if r.startswith(name)]
        assert lines and all(f'extra == "{extra}"' in r for r in lines), lines


@pytest.mark.slow
def test_pip_install_without_extras_imports_analyses_and_reports(wheel, tmp_path):
    """`pip install valuechain` into an empty virtual environment: about a minute, most of it downloading
    pandas, pyarrow and scipy: 630 MB, 21 packages; the extras app and image add 140 MB, 30 packages (measured)."""
    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format", "json"], capture_output=True, text=True)
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert "valuechain" in installed and not installed & set(OPTIONAL), installed
    work = tmp_path / "work"
    work.mkdir()
    result = run_python(python, LIBRARY_USE, work, source=False)
    assert result["orphans"] == result["cli_orphans"] == 2 and result["cli_code"] == 0
    assert all(size > 0 for size in result["written"].values())
    assert "pip install valuechain[image]" in run_python(python, IMAGE_USE, work, source=False)
