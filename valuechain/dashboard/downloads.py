"""The Downloads tab: the findings for people who do not run the tool, and the graph for other tools."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from valuechain.dashboard import decisions
from valuechain.dashboard.state import Results
from valuechain.dashboard.widgets import plain
from valuechain.report.brief import brief_bytes
from valuechain.report.pdf import find_chromium
from valuechain.vocabulary import BRIEF

#: Download buttons in a row.
PER_ROW = 4


def files(results: Results) -> list[tuple[str, Callable[[], bytes], str]]:
    """Each download's label, how its bytes are made (when its button is pressed), and its file name.

    The one-page brief comes first: as HTML, and as PDF where Chromium is there to print it.
    """
    brief = [(f"{BRIEF.download} (HTML)", partial(brief_bytes, results.chain, "html"), "valuechain-brief.html")]
    if find_chromium() is not None:
        brief.append((f"{BRIEF.download} (PDF)", partial(brief_bytes, results.chain, "pdf"), "valuechain-brief.pdf"))
    return [
        *brief,
        ("Leaders' report (HTML)", partial(results.report, "html"), "valuechain-report.html"),
        ("Leaders' report (Markdown)", partial(results.report, "md"), "valuechain-report.md"),
        ("Findings (Excel)", lambda: results.excel, "valuechain-findings.xlsx"),
        ("Findings (JSON)", lambda: results.json, "valuechain-findings.json"),
        ("Orphaned teams (CSV)", lambda: results.orphans_csv, "valuechain-orphans.csv"),
        ("Decisions (CSV, to upload next review)", partial(decisions.download, results), decisions.FILE),
        ("Graph (GraphML)", partial(results.graph, "graphml"), "valuechain-graph.graphml"),
        ("Graph (GEXF)", partial(results.graph, "gexf"), "valuechain-graph.gexf"),
        ("Graph (node-link JSON)", partial(results.graph, "json"), "valuechain-graph.json"),
    ]


def render(results: Results) -> None:
    """The Downloads tab."""
    st.caption("The findings for people who do not run the tool, and the graph for other tools.")
    offered = files(results)
    cells = [cell for _ in range(0, len(offered), PER_ROW) for cell in st.columns(PER_ROW)]
    for column, (name, make, file) in zip(cells, offered):
        if file.endswith((".graphml", ".gexf")) and results.not_xml:
            column.download_button(name, b"", file, key=f"get-{file}", disabled=True, help=results.not_xml)
        else:
            column.download_button(name, make, file, key=f"get-{file}", on_click="ignore")
    if results.not_xml:
        st.warning(f"No GraphML or GEXF for this org: {plain(results.not_xml)}.")
