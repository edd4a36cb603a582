"""The corpus of broken and unusual inputs (tests/data/bad): a clear message or a correct analysis, from the
library, the command line (exit 2 on errors) and the dashboard; never a traceback, no row silently dropped."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

import valuechain as vc
from tests.conftest import ROOT
from tests.data.bad.make_corpus import all_large_cases
from valuechain.cli import main

BAD = ROOT / "tests" / "data" / "bad"
# MANIFEST.csv and one MANIFEST.AREA.csv per case module (make_corpus.py)
MANIFEST = [row for path in sorted(BAD.glob("MANIFEST*.csv")) for row in csv.DictReader(path.open(encoding="utf-8"))]
LARGE = all_large_cases()


def write_large(name: str, folder: Path) -> dict:
    """Write the large case ``name`` into ``folder``: its paths (``path``, ``parties``), ``expect`` and ``message``."""
    handoffs, parties, expect, words = LARGE[name]
    parties_path = None
    if parties is not None:
        default = (f"{Path(name).stem}.parties.csv", parties)
        parties_name, content = parties if isinstance(parties, tuple) else default
        parties_path = folder / parties_name
        parties_path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (folder / name).write_bytes(handoffs if isinstance(handoffs, bytes) else handoffs.encode("utf-8"))
    return {"path": folder / name, "parties": parties_path, "expect": expect, "message": words}


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("large")
    return {name: write_large(name, folder) for name in LARGE}


def cases() -> list:
    return [pytest.param(row, id=row["handoffs"]) for row in MANIFEST]


def paths(row) -> tuple[Path, Path | None]:
    return BAD / row["handoffs"], (BAD / row["parties"]) if row["parties"] else None


def data_rows(path: Path) -> int:
    """Rows with any non-blank cell, after the header, as a spreadsheet would show them."""
    csv.field_size_limit(10_000_000)
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    header = next((line for line in text.splitlines() if line.strip()), "")
    sep = "\t" if path.suffix == ".tsv" else ";" if header.count(";") > header.count(",") else ","
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=sep) if any(c.strip() for c in row)]
    return len(rows) - 1  # blank lines (before the header too) are no rows; the header is none either


def assert_printable(problems) -> None:
    """No problem's text holds a raw control or direction character (they show escaped, as \\x1b)."""
    import re

    unsafe = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
    for p in problems:
        assert not unsafe.search(str(p)), repr(str(p))


def check(handoffs: Path, parties: Path | None, expect: str, words: str) -> None:
    if expect == "error":
        with pytest.raises(vc.InputError) as err:
            vc.load(handoffs, parties=parties)
        problems = err.value.problems
        assert problems and all(p.file for p in problems)
        assert_printable(problems)
        assert any(words.lower() in (p.message + " " + p.hint).lower() for p in problems), [str(p) for p in problems]
        assert any(handoffs.name in p.file or (parties and parties.name in p.file) for p in problems)
        return
    chain = vc.load(handoffs, parties=parties)
    assert_printable(chain.warnings)
    found = chain.analyze()
    assert found.summary["parties"] == len(chain.parties)
    if handoffs.suffix in (".csv", ".tsv") and not handoffs.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff")):
        assert len(chain.handoffs) == data_rows(handoffs), "a hand-off row was dropped"
    if expect == "warning":
        assert any(words.lower() in w.message.lower() for w in chain.warnings), [str(w) for w in chain.warnings]


def test_the_corpus_has_at_least_30_kinds():
    assert len(MANIFEST) + len(LARGE) >= 30


@pytest.mark.parametrize("row", cases())
def test_library(row):
    check(*paths(row), row["expect"], row["message"])


@pytest.mark.parametrize("name", sorted(LARGE))
def test_library_large(name, large):
    case = large[name]
    check(case["path"], case["parties"], case["expect"], case["message"])


def test_large_cases_are_analysed_right(large):
    deep = vc.load(large["deep-chain.csv"]["path"], parties=large["deep-chain.csv"]["parties"]).analyze()
    assert deep.distance["t0"] == 20_000 and deep.summary["orphans"] == 0
    assert deep.summary["single_points_of_failure"] == 19_999  # every team but the first carries all before it
    loop = vc.load(large["huge-loop.csv"]["path"], parties=large["huge-loop.csv"]["parties"]).analyze()
    assert loop.summary["loops"] == 1 and loop.loops["size"].iloc[0] == 20_000 and loop.summary["orphans"] == 0


@pytest.mark.parametrize("row", cases())
def test_command_line(row):
    handoffs, parties = paths(row)
    args = ["analyze", str(handoffs), "--format", "json"] + (["--parties", str(parties)] if parties else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == (2 if row["expect"] == "error" else 0), result.output
    assert "Traceback" not in result.output
    if row["expect"] == "error":
        assert "error:" in result.output


@pytest.mark.parametrize("row", [*cases(), *[pytest.param({"large": n}, id=n) for n in sorted(LARGE)]])
def test_dashboard(row, large):
    if "large" in row:
        case = large[row["large"]]
        handoffs, parties, expect = case["path"], case["parties"], case["expect"]
    else:
        (handoffs, parties), expect = paths(row), row["expect"]
    from valuechain.dashboard.state import UPLOAD_TYPES

    if handoffs.suffix == ".parquet" and "parquet" not in UPLOAD_TYPES:
        pytest.skip("the dashboard's upload does not take .parquet files yet (valuechain/dashboard/state.py)")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.radio(key="source").set_value("Upload files").run()
    at.file_uploader(key="handoffs").upload(handoffs.name, handoffs.read_bytes(), "application/octet-stream")
    if parties is not None:
        at.file_uploader(key="parties").upload(parties.name, parties.read_bytes(), "text/csv")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if expect == "error":
        assert at.error, "an error is shown"
    else:
        assert not at.error and any(m.label == "Orphaned teams" for m in at.metric)


def test_an_upload_over_the_size_limit_is_refused_with_a_message():
    from streamlit import config

    saved = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 1)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.radio(key="source").set_value("Upload files").run()
        big = b"source,target\n" + b"a,b\n" * 400_000  # 1.6 MB
        at.file_uploader(key="handoffs").upload("big.csv", big, "text/csv")
        at.run()
    finally:
        config.set_option("server.maxUploadSize", saved)
    assert not at.exception
    assert at.error and "uploads are limited to 1 MB" in at.error[0].value


WRITERS = ["html", "md", "xlsx", "csv", "graphml", "gexf", "json"]


@pytest.mark.parametrize(
    "row",
    [pytest.param(r, id=r["handoffs"]) for r in MANIFEST if r["expect"] != "error"]
    + [pytest.param({"large": n}, id=n) for n in sorted(LARGE) if LARGE[n][2] != "error"],
)
def test_every_writer_takes_every_analysable_case(row, large, tmp_path):
    """Reports and graph files of unusual input: written, or (GraphML/GEXF only) refused with the reason;
    graph files read back as the same org. The large cases (20,000 parties in a line or a loop) go through
    the report's content and the graph once each: the writers' own parts are covered above."""
    from tests.test_export import assert_same_org
    from valuechain.report import write

    if "large" in row:
        case = large[row["large"]]
        chain, formats = vc.load(case["path"], parties=case["parties"]), ["html", "csv", "json"]
    else:
        chain, formats = vc.load(*paths(row)), WRITERS
    for fmt in formats:
        target = tmp_path / f"out.{fmt}"
        if fmt in ("graphml", "gexf", "json"):
            try:
                chain.export(target)
            except ValueError as err:
                assert fmt != "json" and "XML, which cannot hold" in str(err) and "party 'kitchen'" in str(err)
                continue
            assert_same_org(vc.load(target), chain)
        else:
            assert write(chain, target).stat().st_size > 0
