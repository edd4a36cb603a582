"""The README and docs stand on their own in a clone: every relative link resolves inside the repository."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

DOCS = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves_inside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(ROOT.resolve()), f"{page.name} links outside the repository: {target}"
        assert resolved.exists(), f"{page.name} links to a missing file: {target}"


def test_the_readme_names_the_json_contract_and_the_input_rules():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    formats = (ROOT / "docs" / "FORMATS.md").read_text(encoding="utf-8")
    assert "docs/FORMATS.md" in readme
    assert "../shared" not in readme.split("## Layout")[0], "a user is sent outside the clone"
    for key in ("customers", "summary", "orphans", "loops", "mutual_pairs", "single_points_of_failure", "distance"):
        assert f"`{key}`" in formats or f'"{key}"' in formats
    for reason in ("preference_only", "dead_end", "closed_loop", "serves_outside_only", "feeds_orphans"):
        assert reason in formats


def test_the_formats_page_lists_every_key_of_what_changed():
    from valuechain.scenarios.changes import COLUMNS, FindingChanges

    formats = (ROOT / "docs" / "FORMATS.md").read_text(encoding="utf-8")
    assert set(COLUMNS) == set(FindingChanges.__dataclass_fields__)
    for name in FindingChanges.__dataclass_fields__:
        assert f"`{name}`" in formats, name


#: A command line as the docs write it: ``valuechain COMMAND ...`` (also ``.venv/bin/valuechain``), up to the end of
#: its line, its code span or a comment.
COMMAND_LINE = re.compile(r"(?:^|[\s`/])valuechain\s+([a-z][a-z-]+)((?:[^`#\n\\]|\\\n)*)", re.MULTILINE)


def _notebook_text() -> list[tuple[str, str]]:
    import json

    pages = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        pages.append((path.name, "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")))
    return pages


@pytest.mark.parametrize(
    ("name", "text"),
    [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in (*DOCS, *sorted(ROOT.glob("data/*/README.md")))]
    + _notebook_text(),
    ids=lambda v: v if v.endswith((".md", ".ipynb")) else "",
)
def test_every_command_line_in_the_docs_uses_options_its_command_has(name, text):
    """A reader copies the command lines of the README, the docs and the notebooks: each option must be one its
    command takes (``--fail-on`` is analyze's, not check's)."""
    from valuechain.cli import main

    for command, rest in COMMAND_LINE.findall(text):
        if command not in main.commands:
            continue  # prose ("valuechain reads ..."), not a command line
        known = {o for p in main.commands[command].params for o in (*p.opts, *p.secondary_opts)}
        for option in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", rest):
            assert option in known, f"{name}: 'valuechain {command}' has no option {option}"


#: The README's stand-ins for a reader's own files, named as such in the paragraph before its command lines.
YOURS = ("org.xlsx", "handoffs.csv", "parties.csv", "decisions.csv", "order.bpmn", "invoice.bpmn")
FENCED = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
WRITTEN_BY = {"-o", "--output", "--parties-output"}
A_FILE = re.compile(r"\.(?:csv|xlsx|parquet|bpmn2?|xml|graphml|gexf|json|xes|html|pdf|png|md)$")


def _files_read(text: str) -> list[tuple[str, str]]:
    """The (command, file) of every file a command line of ``text`` reads that no earlier line of it writes."""
    import shlex

    read, written = [], set()
    for command, rest in COMMAND_LINE.findall(text):
        words = shlex.split(rest.replace("\\\n", " "))
        for before, word in zip(["", *words], words):
            if before in WRITTEN_BY:
                written.add(word)
            elif A_FILE.search(word) and not word.startswith("-") and word not in written:
                read.append((command, word))
    return read


@pytest.mark.parametrize(
    "page", [ROOT / "README.md", *sorted(ROOT.glob("data/*/README.md"))], ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_file_a_command_line_reads_is_in_the_clone(page):
    """A newcomer copies the command lines from the clone's folder: each file they read is in the repository,
    written by an earlier line, or (in the README) one of the stand-ins it names as the reader's own files."""
    text = page.read_text(encoding="utf-8")
    yours: set[str] = set()
    if page == ROOT / "README.md":
        said = next(p for p in text.split("\n\n") if "stand for your own files" in p)
        assert all(f"`{name}`" in said for name in YOURS), said
        text, yours = "\n".join(FENCED.findall(text)), set(YOURS)
        assert len(_files_read(text)) > 20, "the README's command lines were not found"
    read = _files_read(text)
    for command, file in read:
        assert (ROOT / file).exists() or file in yours, f"{page.relative_to(ROOT)}: 'valuechain {command}' reads {file}"


def test_the_readmes_first_python_block_runs_as_printed(monkeypatch):
    """Its paths are the samples', from the clone's folder: load, findings, what-if, diff and the review."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```python\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert block is not None and "with_decisions" in block.group(1)
    monkeypatch.chdir(ROOT)
    exec(compile(block.group(1), "README.md", "exec"), {})
