"""The valuechain dashboard: pick a sample org or upload your own, and see whether the work reaches the customer.

Only the entry point: the page lives in :mod:`valuechain.dashboard` (one module per tab, the sidebar, loading
and caching). Run it with ``make run`` (or ``streamlit run app.py``).
"""

from __future__ import annotations

import streamlit as st

from valuechain.dashboard import main
from valuechain.dashboard.patches import keep_file_upload_answers

keep_file_upload_answers()  # else Streamlit can lose a file chosen just before a run starts (see the module)
st.set_page_config(page_title="valuechain", layout="wide")
main()
