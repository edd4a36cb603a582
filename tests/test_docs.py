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
