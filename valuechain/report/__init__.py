"""Reports of the findings for people who do not run the tool: HTML, PDF, Markdown, Excel and CSV.

:func:`write` picks the format from the file's extension; the dashboard, the
command line and notebooks all use it. The HTML report opens with the one-page
brief (:mod:`valuechain.report.brief`, also written on its own by
``chain.brief``), and its long tables close it, in an appendix. Everything written is safe: user
strings are escaped in HTML and Markdown, spreadsheet formulas neutralised in
CSV and Excel.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from valuechain.exceptions import OutputError
from valuechain.report.content import Section, Table, headline, sections
from valuechain.report.excel import write_excel
from valuechain.report.safe import escape, neutral, neutral_frame
from valuechain.report.tables import findings_tables, labelled

if TYPE_CHECKING:
    from valuechain.model import Chain

FORMATS = (".html", ".pdf", ".md", ".xlsx", ".csv")

__all__ = [
    "FORMATS",
    "Section",
    "Table",
    "escape",
    "findings_tables",
    "headline",
    "labelled",
    "neutral",
    "neutral_frame",
    "render",
    "sections",
    "write",
    "write_excel",
]


def render(chain: Chain, fmt: str, previous: Chain | None = None, title: str | None = None) -> bytes:
    """The report as bytes in ``fmt``: ``html``, ``md``, ``xlsx`` or ``csv`` (PDF needs a file: :func:`write`).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> render(chain, "md").decode().splitlines()[0]
    '# Value chain report'
    """
    title = title or "Value chain report"
    fmt = fmt.lower().lstrip(".")
    if fmt == "html":
        from valuechain.report import html
        from valuechain.report.brief import brief

        page = brief(chain, previous, title=title)
        return html.render(sections(chain, previous, appendix=True), title, page).encode("utf-8")
    if fmt == "md":
        from valuechain.report import markdown
        from valuechain.report.brief import as_section, brief

        opening = as_section(brief(chain, previous, figure=False))
        return markdown.render([opening, *sections(chain, previous, figures=False, appendix=True)], title).encode(
            "utf-8"
        )
    if fmt == "xlsx":
        tables = findings_tables(chain)
        if previous is not None:
            for section in sections(chain, previous, figures=False)[-1:]:
                for shown in section.tables:
                    tables[(shown.caption or section.title)[:31]] = shown.shown(text=False)
        return write_excel(tables)
    if fmt == "csv":
        return neutral_frame(findings_tables(chain)["Orphans"]).to_csv(index=False).encode("utf-8-sig")
    raise OutputError(f"unknown report format '{fmt}': use one of {', '.join(FORMATS)}")


def write(chain: Chain, path: str | Path, previous: Chain | None = None, title: str | None = None) -> Path:
    """Write the leaders' report; the format comes from the extension.

    ``.html`` (self-contained, opens offline, prints on A4 and Letter), ``.pdf``
    (that page printed by headless Chromium), ``.md``, ``.xlsx`` (a sheet per
    table) or ``.csv`` (the orphaned teams). With ``previous`` (an earlier
    version of the org) the report says what changed since.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> write(chain, "report.html")  # doctest: +SKIP
    PosixPath('report.html')
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"cannot write a report to '{path.name}': use a {', '.join(FORMATS)} file name")
    if suffix == ".pdf":
        from valuechain.report.pdf import html_to_pdf

        return html_to_pdf(render(chain, "html", previous, title).decode("utf-8"), path)
    path.write_bytes(render(chain, suffix, previous, title))
    return path
