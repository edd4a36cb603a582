"""The input UI: a sample, uploaded files, an event log or a graph file; which column holds what; the customers.

:func:`choose` draws the sidebar, reads and analyses what it is given (through the cached readers of
:mod:`valuechain.dashboard.state`) and returns it all as an :class:`Input`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from valuechain.dashboard import decisions, fixes, state
from valuechain.dashboard.overview import LISTED
from valuechain.dashboard.problems import unreadable
from valuechain.dashboard.widgets import FIELD_WORDS, NONE, plain
from valuechain.explain import matching
from valuechain.io import HANDOFF_FIELDS, PARTY_FIELDS, RawTable, match_columns, named_ids
from valuechain.io.columns import REQUIRED
from valuechain.io.graphs import is_graph_file
from valuechain.problems import Problem

SOURCES = ["Sample organisation", "Upload files", "Event log", "Process models (BPMN)"]
#: Each table's fields and the ones it cannot do without (as :mod:`valuechain.io.columns` requires them).
TABLES = {"handoffs": (HANDOFF_FIELDS, REQUIRED["handoffs"]), "parties": (PARTY_FIELDS, REQUIRED["parties"])}


@dataclass
class Input:
    """What the sidebar was given, and the org analysed from it (or the problems that stop it)."""

    source: str
    result: state.Results | list[Problem]
    signature: tuple[Any, ...]
    sample: str | None = None
    raw_h: RawTable | None = None
    raw_p: RawTable | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> header, applied to a newer version too
    unmapped: dict[str, list[str]] = field(default_factory=dict)  # file -> required fields no column holds yet
    customers: list[str] = field(default_factory=list)
    primary: list[str] = field(default_factory=list)
    uploaded: set[str] = field(default_factory=set)  # the names of the files given, for sentences
    review: decisions.ReviewInput | None = None  # last review's decisions and the day of this review


def choose_columns(
    raw: RawTable,
    table: str,
    key: str,
    preset: dict[str, str],
    title: str = "Columns of {}",
    fresh_for: tuple[Any, ...] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Say which header holds which field: one selectbox per field, in an expander open while one was missing.

    ``preset`` maps fields to headers chosen elsewhere (the sidebar's, for a newer version). Returns the
    choices that differ from what valuechain finds by itself, and the required fields still without a column
    (the prompt to choose them shows only while there are some). When ``fresh_for`` changes (another file,
    another preset), earlier choices are dropped, so the boxes never show one column while another is used.
    """
    fields, required = TABLES[table]
    if fresh_for is not None and st.session_state.get(f"{key}-for-{raw.label}") != fresh_for:
        st.session_state[f"{key}-for-{raw.label}"] = fresh_for
        for name in fields:
            st.session_state.pop(f"{key}-{name}", None)
    found, _ = match_columns(raw, fields, ())
    found = {**found, **preset}
    chosen = dict(preset)
    mapped = dict(found)
    with st.expander(title.format(raw.label), expanded=any(f not in found for f in required)):
        prompt = st.empty()  # filled after the choices below, so it goes as soon as they are made
        headers = [NONE, *map(str, raw.frame.columns)]
        for name in [f for f in fields if f in FIELD_WORDS]:
            default = found.get(name, NONE)
            choice = st.selectbox(FIELD_WORDS[name], headers, index=headers.index(default), key=f"{key}-{name}")
            if choice != NONE:
                mapped[name] = choice
                if choice != default:
                    chosen[name] = choice
        missing = [f for f in required if f not in mapped]
        if missing:
            prompt.warning("Say which column holds " + " and ".join(FIELD_WORDS[f] for f in missing) + ".")
    return chosen, missing


def choose() -> Input:
    """The sidebar: what to analyse. Stops the page (with a message) until there is something to analyse."""
    with st.sidebar:
        st.header("Organisation")
        source = st.radio("Data", SOURCES, key="source")
        sample = None
        if source == "Event log":
            log = _event_log()
        elif source == SOURCES[3]:
            models = _process_models()
        elif source == "Sample organisation":
            sample = st.selectbox("Sample", state.SAMPLES, index=state.SAMPLES.index(state.DEFAULT), key="sample")
            folder = state.DATA / sample
            files = ((folder / "handoffs.csv").read_bytes(), "handoffs.csv", (folder / "parties.csv").read_bytes())
            sample_files = (*files, "parties.csv")
        else:
            uploads = _uploads()
    if source == SOURCES[3]:
        given = _models(source, *models)
    else:
        given = _given(source, sample, log if source == "Event log" else sample_files if sample else uploads)
    with st.sidebar:
        given.review = decisions.choose(sample)
    return given


def _given(source: str, sample: str | None, files: Any) -> Input:
    """The org the sidebar was given, read and analysed."""
    if source == "Event log":
        data, name, outcomes, customer, time_format = files
        signature = ("log", name, len(data), hash(data), outcomes, customer, time_format)
        return Input(source, state.analyse_log(*files), signature, uploaded={name})
    if source == "Sample organisation":
        return _tables(source, sample, files)
    data_h, name_h = files[0], str(files[1])
    if is_graph_file(name_h):  # a whole org in one graph file: nodes are parties, edges hand-offs
        graph = ("graph", name_h, len(data_h), hash(data_h))
        return Input(source, state.analyse_graph(data_h, name_h), graph, uploaded={name_h})
    return _tables(source, None, files)


def _uploads() -> tuple[bytes, str, bytes | None, str | None]:
    up_h = st.file_uploader(
        "1. Hand-offs (CSV, Excel or Parquet), or a graph file",
        type=state.UPLOAD_TYPES + state.GRAPH_TYPES,
        key="handoffs",
    )
    up_p = st.file_uploader("2. Parties (optional)", type=state.UPLOAD_TYPES, key="parties")
    if up_h is None:
        st.info(
            "Upload a hand-offs file to begin: one row per hand-off, with a column for who hands off "
            "(source) and one for who receives (target). A parties file (id, name, kind, group) is optional."
        )
        st.stop()
    state.refuse_if_too_large([up_h, up_p])
    if up_p is None:
        return up_h.getvalue(), up_h.name, None, None
    return up_h.getvalue(), up_h.name, up_p.getvalue(), up_p.name


def _event_log() -> tuple[bytes, str, tuple[str, ...], str, str | None]:
    """The event log and how to read it: its bytes and name, the outcomes, the customer's id, the time format."""
    up_log = st.file_uploader("Event log (CSV, Excel or XES)", type=[*state.UPLOAD_TYPES, "xes"], key="log")
    if up_log is None:
        st.info(
            "Upload an event log: one row per event, with a case id, an activity, the team (or person) "
            "doing it and a timestamp. Each hand-over between teams becomes a hand-off."
        )
        st.stop()
    state.refuse_if_too_large([up_log])
    data, name = up_log.getvalue(), up_log.name
    time_format = (
        st.text_input(
            "Time format (only if the dates are refused as ambiguous)",
            key="time-format",
            placeholder="%d/%m/%Y %H:%M",
            help="How the timestamps are written, as a strftime format: %d/%m/%Y %H:%M for day-first dates "
            "such as 05/01/2026 09:00, %m/%d/%Y %H:%M for month-first ones. Empty: read from the dates.",
        ).strip()
        or None
    )
    outcomes = st.multiselect(
        "Outcomes: activities that end a case at the customer (none: every case does)",
        state.log_activities(data, name, time_format),
        key="outcomes",
    )
    customer = st.text_input("The customer's id", value="customer", key="customer-id").strip() or "customer"
    return data, name, tuple(outcomes), customer, time_format


Models = tuple[tuple[tuple[bytes, str], ...], tuple[bytes, str] | None, tuple[str, ...], tuple[str, ...]]


def _process_models() -> Models:
    """Process models and how to find the customer in them: the models, a parties table, customers, outcomes."""
    ups = st.file_uploader(
        "Process models (BPMN 2.0: .bpmn, .bpmn2, or .xml); several of one org at once",
        type=state.MODEL_TYPES,
        accept_multiple_files=True,
        key="models",
    )
    files = tuple((u.getvalue(), u.name) for u in ups or [])
    if not files and st.checkbox(f"Try the sample model ({state.SAMPLE_MODEL.name})", key="sample-model"):
        files = ((state.SAMPLE_MODEL.read_bytes(), state.SAMPLE_MODEL.name),)
    if not files:
        st.info(
            "Upload the BPMN export of a collaboration diagram (any modelling tool): each lane is a team, a "
            "black-box pool an outside party, and the flows that cross lanes and the messages between pools are "
            "the hand-offs."
        )
        st.stop()
    state.refuse_if_too_large(list(ups or []))
    up_p = st.file_uploader("Parties (optional: names, kinds, departments, headcount)", type=state.UPLOAD_TYPES,
                            key="model-parties")  # fmt: skip
    state.refuse_if_too_large([up_p])
    parties = (up_p.getvalue(), up_p.name) if up_p is not None else None
    choices = state.model_choices(files)
    if isinstance(choices, list):
        return files, parties, (), ()
    customers = st.multiselect(
        "The customer: a pool or a lane (black-box pools first)",
        [*choices.candidates, *choices.others],
        key="model-customers",
        max_selections=50,
    )
    outcomes = st.multiselect(
        "Or: end events that reach the customer (their lanes hand off to a party 'customer')",
        choices.outcomes,
        key="model-outcomes",
    )
    return files, parties, tuple(customers), tuple(outcomes)


def _models(source: str, files: Any, parties: Any, customers: tuple[str, ...], outcomes: tuple[str, ...]) -> Input:
    """The org the process models show, read and analysed; the page waits until the customer is named."""
    names = {name for _, name in files} | ({parties[1]} if parties else set())
    choices = state.model_choices(files)
    if not isinstance(choices, list) and not customers and not outcomes:
        such = ", ".join(f"'{plain(c)}'" for c in choices.candidates[:3])
        st.info(
            "Name the customer in the sidebar: a pool or lane"
            + (f" (such as {such})" if such else "")
            + (", or the end events that reach it." if choices.outcomes else ".")
        )
        st.stop()
    signature = ("models", tuple((n, len(d), hash(d)) for d, n in files), parties and hash(parties[0]),
                 customers, outcomes)  # fmt: skip
    return Input(source, state.analyse_models(files, parties, customers, outcomes), signature, uploaded=names)


def _tables(source: str, sample: str | None, files: tuple[bytes, str, bytes | None, str | None]) -> Input:
    """A hand-offs table and an optional parties table: read, edited in the fix-up editor, mapped, analysed."""
    data_h, name_h, data_p, name_p = files
    raw_h = state.read_raw(data_h, name_h, "handoffs")
    raw_p = state.read_raw(data_p, name_p or "parties.csv", "parties") if data_p is not None else None
    problems = [p for r in (raw_h, raw_p) if isinstance(r, list) for p in r]
    if problems:
        unreadable(problems, "A file cannot be read as a table. Fix it and upload it again:", "unreadable")
        st.stop()
    assert isinstance(raw_h, RawTable) and not isinstance(raw_p, list)  # the lists of problems stopped above
    upload_key = (name_h, len(data_h), hash(data_h), name_p, hash(data_p) if data_p else None)
    raw_h, raw_p, edits = fixes.edited(upload_key, raw_h, raw_p)
    given = Input(source, [], (), sample=sample, raw_h=raw_h, raw_p=raw_p)
    given.uploaded = {raw.label for raw in (raw_h, raw_p) if raw is not None}
    with st.sidebar:
        for raw, table in ((raw_h, "handoffs"), (raw_p, "parties")):
            if raw is not None:
                chosen, missing = choose_columns(raw, table, "column", {})
                given.columns.update(chosen)
                if missing:
                    given.unmapped[raw.label] = missing
        mapped_h = raw_h.renamed({k: v for k, v in given.columns.items() if k in HANDOFF_FIELDS})
        mapped_p = raw_p.renamed({k: v for k, v in given.columns.items() if k in PARTY_FIELDS}) if raw_p else None
        ids = named_ids(mapped_h, mapped_p)
        with st.expander("Customers", expanded=False):
            offered = ids
            if len(ids) > LISTED:  # a list of 100,000 ids is megabytes for the browser: search it instead
                text = st.text_input("Find a party to name as a customer", key="customer-search")
                known = set(ids)
                picked = [c for c in st.session_state.get("customers", []) if c in known]
                offered = list(dict.fromkeys([*picked, *matching(ids, text)]))
            given.customers = st.multiselect(
                "External customer(s): leave empty to take those the parties file names",
                offered,
                key="customers",
                max_selections=50,
            )
            segment = given.customers or (offered if len(ids) > LISTED else ids)
            given.primary = st.multiselect("Primary segment (optional)", segment, key="primary")
    columns = tuple(sorted(given.columns.items()))
    given.signature = (upload_key, columns, tuple(given.customers), tuple(given.primary), repr(edits))
    given.result = state.analyse(
        raw_h, raw_p, columns, tuple(given.customers), tuple(given.primary), _signature=given.signature
    )
    return given
