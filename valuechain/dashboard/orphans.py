"""The Orphans tab: every orphaned team, why it has no line of sight and what it delivers, filtered by
department and reason, with what was decided about it."""

from __future__ import annotations

import streamlit as st

from valuechain.dashboard.decisions import editor
from valuechain.dashboard.state import Results
from valuechain.explain import filter_orphans, reason_counts
from valuechain.vocabulary import Finding, Reason, label


def render(results: Results) -> None:
    """The Orphans tab."""
    orphans = results.orphans
    if orphans.empty:
        st.success("Every team has a line of sight to the customer.")
        return
    left, right = st.columns(2)
    groups = sorted({str(g) for g in orphans["group"].dropna()})
    chosen_groups = left.multiselect(label("group"), groups, key="orphan-groups")
    chosen_reasons = right.multiselect(
        label("reason"), list(reason_counts(orphans)), format_func=lambda r: Reason(r).title, key="orphan-reasons"
    )
    shown = filter_orphans(orphans, groups=chosen_groups, reasons=chosen_reasons)
    st.caption(f"{len(shown)} of {len(orphans)} orphaned teams")
    editor(results, shown, Finding.ORPHAN, key="orphans", lead=("id", "name", "reason"))
