"""The fix-up editor: the uploaded tables as editable grids, so a broken cell is fixed without uploading again.

Edits made here replace the tables until the files change (kept in the session under ``edits``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from valuechain.dashboard.widgets import plain
from valuechain.io import RawTable
from valuechain.vocabulary import label


def edited(
    upload_key: tuple[Any, ...], raw_h: RawTable, raw_p: RawTable | None
) -> tuple[RawTable, RawTable | None, dict[str, pd.DataFrame]]:
    """The tables with the edits made in the editor for these files (none once other files are given)."""
    if st.session_state.get("edits_for") != upload_key:
        st.session_state["edits_for"] = upload_key
        st.session_state["edits"] = {}
    edits: dict[str, pd.DataFrame] = st.session_state["edits"]
    raw_h = raw_h.edited(edits["handoffs"]) if "handoffs" in edits else raw_h
    raw_p = raw_p.edited(edits["parties"]) if raw_p is not None and "parties" in edits else raw_p
    return raw_h, raw_p, edits


def editor(raw_h: RawTable, raw_p: RawTable | None) -> None:
    """The tables as editable grids; "Check again" re-runs with the edits, without uploading again.

    The grids sit in a form: editing a cell does not rerun the page (which would end the edit and drop the
    selection), so any number of cells can be edited one after the other; **Check again** sends them all.
    """
    tables = [("handoffs", raw_h)] + ([("parties", raw_p)] if raw_p is not None else [])
    with st.form("fix-up", border=False, enter_to_submit=False):
        st.caption(
            "Fix cells here and press **Check again**: the rows keep their numbers, so the messages still match. "
            "Edits are kept until you press it."
        )
        changed = {}
        for name, raw in tables:
            st.markdown(f"**{plain(raw.label)}**")
            changed[name] = st.data_editor(
                raw.frame,
                num_rows="dynamic",
                key=f"editor-{name}",
                width="stretch",
                # the row numbers the messages name, not editable
                column_config={"_index": st.column_config.NumberColumn(label("row"), disabled=True)},
            )
        if st.form_submit_button("Check again", key="recheck", type="primary"):
            st.session_state["edits"] = changed
            st.rerun()
