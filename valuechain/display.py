"""How results show themselves in Jupyter: a short HTML summary (``_repr_html_``), every string escaped."""

from __future__ import annotations

import html

import pandas as pd

ROWS = 10  # table rows shown in a summary


def summary_html(title: str, facts: list[tuple[str, object]], tables: list[tuple[str, pd.DataFrame]] = ()) -> str:
    """A title, a two-column list of facts, then the first rows of some tables.

    Examples
    --------
    >>> text = summary_html("Chain", [("parties", 3), ("name", "<b>x</b>")])
    >>> "<th" in text and "&lt;b&gt;x&lt;/b&gt;" in text and "<b>x" not in text
    True
    """
    rows = "".join(
        f'<tr><th style="text-align:left">{html.escape(str(k))}</th><td style="text-align:left">'
        f"{html.escape(str(v))}</td></tr>"
        for k, v in facts
    )
    parts = [f'<div class="valuechain"><strong>{html.escape(title)}</strong><table>{rows}</table>']
    for caption, frame in tables:
        if frame is None or len(frame) == 0:
            continue
        more = f" (first {ROWS} of {len(frame)})" if len(frame) > ROWS else ""
        shown = frame.head(ROWS).map(lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v)
        parts.append(f"<p><em>{html.escape(caption)}{more}</em></p>")
        parts.append(shown.to_html(index=False, escape=True, na_rep="", border=0))
    parts.append("</div>")
    return "".join(parts)
