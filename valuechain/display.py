"""How results show themselves in Jupyter: a short HTML summary (``_repr_html_``), every string escaped.

Tables are shown as a person reads them (:func:`valuechain.vocabulary.readable`): labelled headers, reasons
as titles, shares as percentages.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd

from valuechain.vocabulary import Column, readable

ROWS = 10  # table rows shown in a summary

#: A table to show: its caption and the library's table, and optionally the codes it reads otherwise
#: (``read_as`` of :func:`~valuechain.vocabulary.readable`, such as
#: :data:`~valuechain.vocabulary.DEPARTMENT_COLUMNS`).
Shown = tuple[str, pd.DataFrame | None] | tuple[str, pd.DataFrame | None, Mapping[str, Column]]


def summary_html(title: str, facts: Sequence[tuple[str, object]], tables: Sequence[Shown] = ()) -> str:
    """A title, a two-column list of facts (named as a person reads them), then the first rows of some tables,
    labelled.

    Examples
    --------
    >>> text = summary_html("Chain", [("Parties", 3), ("Name", "<b>x</b>")])
    >>> "<th" in text and "&lt;b&gt;x&lt;/b&gt;" in text and "<b>x" not in text
    True
    >>> orphans = pd.DataFrame({"id": ["archives"], "reason": ["dead_end"]})
    >>> "<th>Reason</th>" in summary_html("Findings", [], [("Orphans", orphans)])
    True
    """
    rows = "".join(
        f'<tr><th style="text-align:left">{html.escape(str(k))}</th>'
        f'<td style="text-align:left">{html.escape(str(v))}</td></tr>'
        for k, v in facts
    )
    parts = [f'<div class="valuechain"><strong>{html.escape(title)}</strong><table>{rows}</table>']
    for caption, frame, *read_as in tables:
        if frame is None or len(frame) == 0:
            continue
        more = f" (first {ROWS} of {len(frame)})" if len(frame) > ROWS else ""
        shown = readable(frame.head(ROWS), read_as=read_as[0] if read_as else None)
        shown = shown.map(lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v)
        parts.append(f"<p><em>{html.escape(caption)}{more}</em></p>")
        parts.append(shown.to_html(index=False, escape=True, na_rep="", border=0))
    parts.append("</div>")
    return "".join(parts)
