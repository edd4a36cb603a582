"""The leaders' report in Markdown: the same sections as the HTML report, without the figures."""

from __future__ import annotations

import pandas as pd

from valuechain.report.content import Section


def render(sections: list[Section], title: str) -> str:
    """The report as Markdown text."""
    lines = [f"# {_text(title)}", ""]
    for section in sections:
        lines += [f"## {_text(section.title)}", ""]
        for paragraph in section.paragraphs:
            lines += [_text(paragraph), ""]
        for shown in section.tables:
            if shown.caption:
                lines += [f"### {_text(shown.caption)}", ""]
            lines += [table(shown.shown()), ""]
    return "\n".join(lines)


def table(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown table (pipes and line breaks in cells escaped)."""
    head = "| " + " | ".join(_cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(_cell(v) for v in values) + " |" for values in frame.itertuples(index=False, name=None)]
    return "\n".join([head, rule, *rows])


def _cell(value) -> str:
    if isinstance(value, list | tuple):
        value = ", ".join(map(str, value))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text(str(value)).replace("|", "\\|").replace("\n", " ")


def _text(text: str) -> str:
    """Text with the characters that would start HTML in a Markdown viewer escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
