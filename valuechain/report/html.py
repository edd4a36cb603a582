"""The leaders' report as one self-contained HTML file: opens offline, prints cleanly on A4 and Letter.

Plotly's JavaScript is inlined once; nothing is fetched from the network.
Every string from the user's files is escaped (names like
``</script><script>...`` show as text); figure data is JSON with ``<`` and
``/`` escaped by Plotly.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import plotly.graph_objects as go

from valuechain.report import brief as one_page
from valuechain.report.content import Section
from valuechain.report.safe import escape

STYLE = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink);
       max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta { color: var(--muted); margin-top: 0; }
section > p.answer { font-weight: 600; }
.brief { break-after: page; page-break-after: always; }
.headline { font-size: 1.25rem; font-weight: 600; background: #f0f4f8; border-left: 5px solid #D55E00;
            padding: .8rem 1rem; }
nav ol { columns: 2; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .4rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
td.number { text-align: right; white-space: nowrap; }
.figure { margin: .5rem 0 1.5rem; overflow-x: auto; }
footer { color: var(--muted); font-size: .8rem; margin-top: 3rem; border-top: 1px solid var(--line); }
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; }
  tr, .figure, .headline { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .figure { zoom: var(--print-zoom, 1); overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"""


def render(sections: list[Section], title: str, brief: one_page.Brief | None = None) -> str:
    """The report's HTML page; with ``brief``, it opens with the one-page brief (a landscape page of its own)."""
    from plotly.offline import get_plotlyjs

    now = dt.datetime.now(dt.UTC)
    when = now.strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}{one_page.STYLE if brief is not None else ''}</style>",
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        "</head><body>",
    ]
    if brief is not None:
        parts += [one_page.fragment(brief, when=now), f"<script>{one_page.FIT}</script>"]
    parts += [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">Written by valuechain on {when}.</p>',
        "<nav><ol>" + "".join(f'<li><a href="#{s.key}">{escape(s.title)}</a></li>' for s in sections) + "</ol></nav>",
    ]
    for number, section in enumerate(sections):
        parts.append(f'<section id="{section.key}"><h2>{escape(section.title)}</h2>')
        for i, paragraph in enumerate(section.paragraphs):
            css = ' class="headline"' if number == 0 and i == 0 else ' class="answer"' if i == 0 else ""
            parts.append(f"<p{css}>{escape(paragraph)}</p>")
        for shown in section.tables:
            if shown.caption:
                parts.append(f"<h3>{escape(shown.caption)}</h3>")
            parts.append(table(shown.shown()))
        for fig in section.figures:
            parts.append(figure(fig))
        parts.append("</section>")
    parts.append(
        "<footer><p>valuechain reads who hands off what to whom and follows every team's work to the external "
        "customer. A team is <em>orphaned</em> when none of its essential hand-offs leads there.</p></footer>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


#: Figures are laid out at this width at least (their labels are placed for it), never squeezed by the page.
FIGURE_WIDTH = 1000
#: What a figure may fill on a printed page (A4 portrait, 12 and 14 mm margins, a line for its heading), in CSS
#: pixels of 1/96 inch; Letter is wider and only a little shorter.
PRINTED_PAGE = (703, 980)


def figure(fig: go.Figure) -> str:
    """A figure of the report: laid out at its own size (at least :data:`FIGURE_WIDTH` wide), and printed
    scaled down to fit one page, so that what fits on screen (no label on another) fits on paper too.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> html = figure(go.Figure(layout={"width": 1400, "height": 700}))
    >>> "--print-zoom: 0.502" in html and '"responsive": false' in html
    True
    """
    width = max(int(fig.layout.width or 0), FIGURE_WIDTH)
    height = int(fig.layout.height or 450)  # Plotly's own default height
    zoom = min(1.0, PRINTED_PAGE[0] / width, PRINTED_PAGE[1] / height)
    sized = go.Figure(fig).update_layout(width=width, height=height)
    html = sized.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False, "responsive": False})
    return f'<div class="figure" style="--print-zoom: {zoom:.3f}">{html}</div>'


#: Text that reads as a number ("12,000", "43%", "-2.50"): right-aligned like one.
NUMBER = re.compile(r"-?[\d,]+(\.\d+)?%?")


def table(frame: pd.DataFrame) -> str:
    """``frame`` as an HTML table, every cell escaped; numbers (and text that reads as one) right-aligned.

    Examples
    --------
    >>> text = table(pd.DataFrame({"Name": ["<b>x</b>"], "Teams": ["12,000"]}))
    >>> "<td>&lt;b&gt;x&lt;/b&gt;</td>" in text, '<td class="number">12,000</td>' in text
    (True, True)
    """
    head = "".join(f"<th>{escape(c)}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for value in values:
            if isinstance(value, list | tuple):
                value = ", ".join(map(str, value))
            number = (isinstance(value, int | float) and not isinstance(value, bool)) or (
                isinstance(value, str) and NUMBER.fullmatch(value) is not None
            )
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if number and not isinstance(value, str) and abs(value) >= 10_000:
                value = f"{value:,}"
            text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
            if isinstance(text, bool):
                text = "yes" if text else "no"
            cells.append(f'<td class="number">{escape(text)}</td>' if number else f"<td>{escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
