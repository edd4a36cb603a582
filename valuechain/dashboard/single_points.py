"""The Single points of failure tab: parties whose loss alone cuts teams off, ranked, with those teams."""

from __future__ import annotations

import streamlit as st

from valuechain.dashboard.decisions import editor
from valuechain.dashboard.state import Results
from valuechain.vocabulary import Finding


def render(results: Results) -> None:
    """The Single points of failure tab."""
    if results.spof.empty:
        st.success("No single points of failure: every team has more than one way to the customer.")
        return
    st.caption("Ranked by how many teams lose their line of sight if this party alone goes away.")
    editor(results, results.spof, Finding.SINGLE_POINT_OF_FAILURE, key="spof")
