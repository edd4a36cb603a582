"""The Loops and mutual pairs tab: loops whose members depend on each other, one drawn with its hand-offs,
and pairs of teams that are each other's internal customer."""

from __future__ import annotations

import streamlit as st

from valuechain.dashboard.decisions import editor
from valuechain.dashboard.state import Results
from valuechain.dashboard.widgets import table
from valuechain.explain import handoffs_between
from valuechain.vocabulary import Finding


def render(results: Results) -> None:
    """The Loops and mutual pairs tab."""
    loops = results.loops
    st.subheader("Loops: each member depends on the others")
    if loops.empty:
        st.success("No loops.")
    else:
        editor(results, loops, Finding.LOOP, key="loops", hide=("members",))
        number = st.selectbox(
            "Show a loop",
            loops["loop"].tolist(),
            format_func=lambda n: f"Loop {n}: {loops['names'].iloc[n]}",
            key="loop",
        )
        st.plotly_chart(results.figure(loop=int(number)), width="stretch", key="loop-figure")
        table(handoffs_between(results.chain, loops["members"].iloc[int(number)]), key="loop-handoffs")
    st.subheader("Mutual pairs: each is the other's internal customer")
    if results.mutual.empty:
        st.success("No mutual pairs.")
    else:
        editor(results, results.mutual, Finding.MUTUAL_PAIR, key="mutual")
