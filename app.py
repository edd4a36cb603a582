"""The valuechain dashboard: pick a sample org or upload your own, and see its findings.

Thin by design: every number and table comes from the ``valuechain`` library.
Run it with ``make run`` (or ``streamlit run app.py``).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import streamlit as st

import valuechain as vc
from valuechain.cli import REASON_WORDS
from valuechain.plot import rollup_figures

DATA = Path(__file__).parent / "data"
SAMPLES = sorted(p.name for p in DATA.iterdir() if (p / "handoffs.csv").exists())
DEFAULT = "midsize"


@st.cache_data(show_spinner="Analysing…", max_entries=32)
def analyse(
    handoffs: bytes, handoffs_name: str, parties: bytes | None, parties_name: str | None, customers: tuple[str, ...]
) -> dict:
    """Load and analyse uploaded bytes; cached on the bytes and settings."""

    def as_file(data: bytes, name: str) -> io.BytesIO:
        f = io.BytesIO(data)
        f.name = name
        return f

    try:
        chain = vc.load(
            as_file(handoffs, handoffs_name),
            parties=as_file(parties, parties_name) if parties is not None else None,
            customers=list(customers) or None,
        )
    except vc.InputError as err:
        return {"problems": [p.to_dict() for p in err.problems]}
    found = chain.analyze()
    graph, matrix = rollup_figures(chain) if chain.parties["group"].notna().any() else (None, None)
    return {
        "figure": chain.plot(),
        "departments": graph,
        "matrix": matrix,
        "problems": [p.to_dict() for p in chain.warnings],
        "findings": found.to_dict(),
        "orphans": found.orphans,
        "loops": found.loops,
        "mutual_pairs": found.mutual_pairs,
        "spof": found.single_points_of_failure,
        "parties": chain.parties["id"].tolist(),
    }


def sample_bytes(name: str) -> tuple[bytes, str, bytes, str]:
    folder = DATA / name
    return (
        (folder / "handoffs.csv").read_bytes(),
        "handoffs.csv",
        (folder / "parties.csv").read_bytes(),
        "parties.csv",
    )


st.set_page_config(page_title="valuechain", layout="wide")
st.title("valuechain: does the work reach the customer?")

with st.sidebar:
    st.header("Organisation")
    source = st.radio("Data", ["Sample organisation", "Upload files"], key="source")
    customers: tuple[str, ...] = ()
    if source == "Sample organisation":
        name = st.selectbox("Sample", SAMPLES, index=SAMPLES.index(DEFAULT), key="sample")
        handoffs, handoffs_name, parties, parties_name = sample_bytes(name)
    else:
        up_h = st.file_uploader("Hand-offs (CSV or Excel)", type=["csv", "txt", "tsv", "xlsx"], key="handoffs")
        up_p = st.file_uploader("Parties (optional)", type=["csv", "txt", "tsv", "xlsx"], key="parties")
        if up_h is None:
            st.info("Upload a hand-offs file to begin: one row per hand-off, with source and target columns.")
            st.stop()
        handoffs, handoffs_name = up_h.getvalue(), up_h.name
        parties, parties_name = (up_p.getvalue(), up_p.name) if up_p is not None else (None, None)
        typed = st.text_input("Customer ids (comma-separated, optional)", key="customers")
        customers = tuple(c.strip() for c in typed.split(",") if c.strip())

result = analyse(handoffs, handoffs_name, parties, parties_name, customers)
problems = pd.DataFrame(result["problems"], columns=["severity", "file", "row", "column", "message", "hint"])
if "findings" not in result:
    st.error(f"The files cannot be analysed yet: {int((problems['severity'] == 'error').sum())} problem(s) to fix.")
    st.dataframe(problems, hide_index=True, width="stretch")
    st.stop()
if len(problems):
    with st.expander(f"{len(problems)} warning(s): kept, but worth a look"):
        st.dataframe(problems, hide_index=True, width="stretch")

f = result["findings"]
s = f["summary"]
st.caption(f"Customers: {', '.join(f['customers'])} · {s['parties']} parties · {s['handoffs']} hand-offs")
cols = st.columns(5)
cols[0].metric("Teams with line of sight", f"{s['connected']} of {s['teams']}")
cols[1].metric("Orphaned teams", s["orphans"])
cols[2].metric("Loops", s["loops"])
cols[3].metric("Mutual pairs", s["mutual_pairs"])
cols[4].metric("Single points of failure", s["single_points_of_failure"])
if "orphan_headcount" in s:
    st.caption(f"People in orphaned teams: {s['orphan_headcount']} of {s['total_headcount']}")

st.plotly_chart(result["figure"], width="stretch", key="chain")

tabs = st.tabs(["Orphans", "Loops and mutual pairs", "Single points of failure", "Departments"])
with tabs[0]:
    orphans = result["orphans"].copy()
    orphans["why"] = orphans["reason"].map(REASON_WORDS)
    st.dataframe(orphans, hide_index=True, width="stretch")
with tabs[1]:
    loops = result["loops"].copy()
    loops["members"] = loops["members"].map(", ".join)
    st.subheader("Loops")
    st.dataframe(loops, hide_index=True, width="stretch")
    st.subheader("Mutual pairs: each is the other's internal customer")
    st.dataframe(result["mutual_pairs"], hide_index=True, width="stretch")
with tabs[2]:
    st.dataframe(result["spof"], hide_index=True, width="stretch")
with tabs[3]:
    if result["departments"] is None:
        st.info("The parties have no group (department) column to roll up by.")
    else:
        st.plotly_chart(result["departments"], width="stretch", key="departments")
        st.plotly_chart(result["matrix"], width="stretch", key="matrix")
