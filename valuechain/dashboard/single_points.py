"""The Single points of failure tab: parties whose loss alone cuts teams off, ranked, with those teams."""

from __future__ import annotations

import streamlit as st

from valuechain.dashboard.state import Results
from valuechain.dashboard.widgets import table


def render(results: Results) -> None:
    """The Single points of failure tab."""
    if results.spof.empty:
        st.success("No single points of failure: every team has more than one way to the customer.")
        return
    st.caption("Ranked by how many teams lose their line of sight if this party alone goes away.")
    table(results.spof, key="spof")
