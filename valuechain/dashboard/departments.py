"""The Departments tab: the org rolled up by department (its table, graph, matrix and flow), and one department
coloured in the chain."""

from __future__ import annotations

import streamlit as st

from valuechain.dashboard.state import Results
from valuechain.dashboard.widgets import NONE, table
from valuechain.vocabulary import DEPARTMENT_COLUMNS


def render(results: Results) -> None:
    """The Departments tab."""
    if results.departments is None:
        st.info("The parties have no group (department) column to roll up by.")
        st.plotly_chart(results.flow, width="stretch", key="flow")
        return
    rolled, graph, matrix, flow = results.departments
    table(rolled.departments, key="departments", read_as=DEPARTMENT_COLUMNS)  # connected: a count
    groups = rolled.departments["group"].tolist()
    chosen = st.selectbox("Colour one department in the chain", [NONE, *groups], key="department")
    if chosen != NONE:
        st.plotly_chart(results.figure(department=chosen), width="stretch", key="department-figure")
    st.plotly_chart(graph, width="stretch", key="departments-figure")
    st.plotly_chart(matrix, width="stretch", key="matrix")
    st.plotly_chart(flow, width="stretch", key="flow")
