"""The valuechain dashboard: pick a sample org or upload your own, and see whether the work reaches the customer.

Thin by design: every number, table, sentence and figure comes from the library; this package only lays them
out, and every word a person reads comes from :mod:`valuechain.vocabulary`. One module per part of the page:

* :mod:`~valuechain.dashboard.state`: loading and caching (:class:`~valuechain.dashboard.state.Results`);
* :mod:`~valuechain.dashboard.sidebar`: the input (sample, upload, event log, graph file, columns, customers);
* :mod:`~valuechain.dashboard.problems` and :mod:`~valuechain.dashboard.fixes`: input that cannot be analysed,
  and the editor that fixes it;
* one module per tab, each with ``render(results)``: ``overview``, ``orphans``, ``loops``, ``single_points``,
  ``whatif``, ``compare``, ``departments``, ``downloads``;
* :mod:`~valuechain.dashboard.decisions`: review decisions (a decisions file, a decision column in each
  findings table, the honest headline);
* :mod:`~valuechain.dashboard.widgets`: labelled tables and metrics; :mod:`~valuechain.dashboard.patches`: a fix
  for a Streamlit race that loses uploads.

Run it with ``make run`` (or ``streamlit run app.py``).
"""

from __future__ import annotations

import streamlit as st

from valuechain.dashboard import (
    compare,
    decisions,
    departments,
    downloads,
    loops,
    orphans,
    overview,
    sidebar,
    single_points,
    whatif,
)
from valuechain.dashboard.problems import results_or_stop

TITLE = "valuechain: does the work reach the customer?"
TABS = [
    "Overview",
    "Orphans",
    "Loops and mutual pairs",
    "Single points of failure",
    "What-if",
    "Compare",
    "Departments",
    "Downloads",
]

__all__ = ["TABS", "main"]


def main() -> None:
    """Run the page: the sidebar, loading, the problems (if any), the headline counts, then the open tab.

    Call it from a Streamlit script after ``st.set_page_config`` (as ``app.py`` does).
    """
    st.title(TITLE)
    given = sidebar.choose()
    results = results_or_stop(given)
    if given.review is not None:
        results = decisions.apply(results, given.review, given.signature)
    overview.headline(results)
    decisions.headline(results)
    # only the open tab runs (on_change="rerun"), so a large org is not drawn eight times over
    tabs = st.tabs(TABS, key="view", on_change="rerun")
    pages = [
        lambda: overview.render(results),
        lambda: orphans.render(results),
        lambda: loops.render(results),
        lambda: single_points.render(results),
        lambda: whatif.render(results, given.signature),
        lambda: compare.render(results, given),
        lambda: departments.render(results),
        lambda: downloads.render(results),
    ]
    for tab, page in zip(tabs, pages):
        with tab:
            if tab.open:
                page()
