"""The valuechain dashboard: pick a sample org or upload your own, and see whether the work reaches the customer.

Thin by design: every number, table, sentence and figure comes from the
``valuechain`` library; this file only lays them out. Results are cached on
the uploaded bytes and the settings, so switching tabs is instant.
Run it with ``make run`` (or ``streamlit run app.py``).
"""

from __future__ import annotations

import io
import json
from functools import cached_property, partial
from pathlib import Path

import pandas as pd
import streamlit as st

import valuechain as vc
from valuechain.eventlog import read_log
from valuechain.explain import (
    REASON_TITLE,
    handoffs_between,
    loop_details,
    mutual_details,
    orphan_details,
    spof_details,
)
from valuechain.export import graph_bytes, not_writable_as_xml, org_graph
from valuechain.io import HANDOFF_FIELDS, PARTY_FIELDS, RawTable, match_columns, named_ids, read_table
from valuechain.io.graphs import is_graph_file
from valuechain.plot import MAX_PARTIES, drawn_units, flow_figure, rollup_figures, scenario_figure
from valuechain.report import findings_tables, neutral_frame, render, write_excel
from valuechain.scenarios.changes import LOST_WHY
from valuechain.scenarios.whatif import refused_addition, suggested_addition
from valuechain.streamlit_patches import keep_file_upload_answers

keep_file_upload_answers()  # else Streamlit can lose a file chosen just before a run starts (see the module)

DATA = Path(__file__).parent / "data"
SAMPLES = sorted(p.name for p in DATA.iterdir() if (p / "handoffs.csv").exists())
DEFAULT = "midsize"
LATER = {"midsize": "midsize-reorganised"}  # a sample's newer version, for Compare
UPLOAD_TYPES = ["csv", "txt", "tsv", "xlsx", "xls"]  # .xls is refused with a message, not by the browser
GRAPH_TYPES = ["graphml", "gexf", "json"]
REQUIRED_H, REQUIRED_P = ("source", "target"), ("id",)
PROBLEM_COLUMNS = ["severity", "file", "row", "column", "message", "hint"]
NONE = "(none)"
# the problems' message and hint columns: wide, and wrapped in taller rows when a text is longer than a line
PROBLEM_TEXT_PIXELS = {"message": 300, "hint": 340}  # with file, row and column: about 900 px, a laptop's main area
CHAR_PIXELS = 7  # a generous average width of one character of the table's font
LINE_PIXELS = 20
ROW_PADDING_PIXELS = 12
WRAP_MIN_ROW_PIXELS = 68
MAX_LINES = 12
FIELD_WORDS = {
    "source": "who hands off (source)",
    "target": "who receives (target)",
    "deliverable": "what is handed off (deliverable)",
    "essential": "essential (yes/no)",
    "id": "party id",
    "name": "party name",
    "kind": "kind (team, supplier...)",
    "group": "group (department)",
}


class Results:
    """One analysed org and what the tabs show, each computed on first use (the object is cached)."""

    def __init__(self, chain: vc.Chain):
        self.chain = chain
        self.found = chain.analyze()
        self._figures: dict = {}

    def figure(self, **options):
        key = tuple(sorted(options.items()))
        if key not in self._figures:
            self._figures[key] = self.chain.plot(**options)
        return self._figures[key]

    @cached_property
    def orphans(self) -> pd.DataFrame:
        return orphan_details(self.chain)

    @cached_property
    def loops(self) -> pd.DataFrame:
        return loop_details(self.chain)

    @cached_property
    def mutual(self) -> pd.DataFrame:
        return mutual_details(self.chain)

    @cached_property
    def spof(self) -> pd.DataFrame:
        return spof_details(self.chain)

    @cached_property
    def units(self) -> list[str]:
        """The departments or layers a large org is drawn as, biggest first (for expanding one)."""
        unit, _ = drawn_units(self.chain)
        counts = pd.Series(unit).value_counts()
        return counts[counts > 1].index.tolist()

    @cached_property
    def has_groups(self) -> bool:
        return bool(self.chain.parties["group"].notna().any())

    @cached_property
    def departments(self):
        return (self.chain.rollup(), *rollup_figures(self.chain), flow_figure(self.chain)) if self.has_groups else None

    @cached_property
    def flow(self):
        return flow_figure(self.chain)

    @cached_property
    def excel(self) -> bytes:
        return write_excel(findings_tables(self.chain))

    @cached_property
    def json(self) -> bytes:
        return json.dumps(self.found.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")

    @cached_property
    def orphans_csv(self) -> bytes:
        return neutral_frame(self.orphans).to_csv(index=False).encode("utf-8-sig")

    def graph(self, fmt: str) -> bytes:
        return graph_bytes(self.chain, fmt)

    @cached_property
    def not_xml(self) -> str | None:
        """Why GraphML and GEXF cannot hold this org (a control character), or None."""
        return not_writable_as_xml(org_graph(self.chain, "graphml"), escaped=True)  # the graph export writes

    def report(self, fmt: str) -> bytes:
        return render(self.chain, fmt)

    def whatif(self, remove: tuple, remove_handoffs: tuple, add_handoffs: tuple):
        key = ("whatif", remove, remove_handoffs, add_handoffs)
        if key not in self._figures:
            scenario = self.chain.whatif(remove=remove, remove_handoffs=remove_handoffs, add_handoffs=add_handoffs)
            self._figures[key] = (scenario, scenario_figure(scenario))
        return self._figures[key]

    @cached_property
    def ranking(self):
        return self.chain.rank()


def as_file(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


@st.cache_resource(show_spinner="Reading the files…", max_entries=16)
def read_raw(data: bytes, name: str, table: str) -> RawTable | list[dict]:
    """The table as written (cached on the bytes), or its problems when it cannot be read at all."""
    try:
        return read_table(as_file(data, name), table)
    except vc.InputError as err:
        return [p.to_dict() for p in err.problems]


@st.cache_resource(show_spinner="Analysing the org…", max_entries=16)
def analyse(
    handoffs: RawTable,
    parties: RawTable | None,
    columns: tuple,
    customers: tuple,
    primary: tuple,
    _signature: tuple,
) -> Results | list[dict]:
    """Load and analyse (cached on the bytes, the edits and the settings in ``_signature``)."""
    try:
        chain = vc.load(
            handoffs,
            parties=parties,
            customers=list(customers) or None,
            primary=list(primary) or None,
            columns=dict(columns) or None,
        )
    except vc.InputError as err:
        return [p.to_dict() for p in err.problems]
    return Results(chain)


@st.cache_resource(show_spinner="Reading the event log…", max_entries=8)
def log_activities(data: bytes, name: str, time_format: str | None = None) -> list[str]:
    """The log's activities (for picking the outcomes); empty when the log cannot be read."""
    try:
        events, _ = read_log(as_file(data, name), time_format=time_format)
    except vc.InputError:
        return []
    return sorted(events["activity"].unique().tolist())


@st.cache_resource(show_spinner="Turning the event log into hand-offs…", max_entries=8)
def analyse_log(
    data: bytes, name: str, outcomes: tuple, customer: str, time_format: str | None = None
) -> Results | list[dict]:
    try:
        chain = vc.from_log(
            as_file(data, name), outcomes=list(outcomes) or None, customer=customer, time_format=time_format
        )
    except vc.InputError as err:
        return [p.to_dict() for p in err.problems]
    return Results(chain)


@st.cache_resource(show_spinner="Reading the graph file…", max_entries=8)
def analyse_graph(data: bytes, name: str) -> Results | list[dict]:
    try:
        chain = vc.load(as_file(data, name))
    except vc.InputError as err:
        return [p.to_dict() for p in err.problems]
    return Results(chain)


@st.cache_resource(show_spinner="Comparing the two versions…", max_entries=8)
def compare(
    _results: Results,
    signature: tuple,
    later_h: bytes,
    name_h: str,
    later_p: bytes | None,
    name_p: str | None,
    columns: tuple = (),
    customers: tuple = (),
    primary: tuple = (),
):
    """The org against its newer version, read with the same column mapping and customers as the org."""
    try:
        later = vc.load(
            as_file(later_h, name_h),
            parties=as_file(later_p, name_p) if later_p else None,
            columns=dict(columns) or None,
            customers=list(customers) or None,
            primary=list(primary) or None,
        )
    except vc.InputError as err:
        return [p.to_dict() for p in err.problems]
    d = _results.chain.diff(later)
    return d, scenario_figure((d, later))


def refuse_if_too_large(uploads: list) -> None:
    """Stop with a message when an upload is over the limit (the browser enforces it too; this is for the rest)."""
    limit = st.get_option("server.maxUploadSize")
    for upload in uploads:
        if upload is not None and upload.size > limit * 1024 * 1024:
            st.error(
                f"{upload.name} is {upload.size / 1024 / 1024:.1f} MB; uploads are limited to {limit} MB "
                "(server.maxUploadSize in .streamlit/config.toml). Split the file, or use the command line."
            )
            st.stop()


def problems_table(problems: list[dict]) -> pd.DataFrame:
    """The problems as a table: a problem without a row or a column has an empty cell there, never "None"."""
    frame = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    frame["row"] = pd.to_numeric(frame["row"], errors="coerce").astype("Int64")  # 2, not 2.0, beside a blank
    for text in ("file", "column", "message", "hint"):
        frame[text] = frame[text].map(lambda cell: "" if cell is None or cell is pd.NA else str(cell))
    return frame


def text_lines(frame: pd.DataFrame, columns: dict[str, int]) -> int:
    """How many lines the longest cell needs when each column wraps at the given width in pixels."""
    lines = 1
    for column, width in columns.items():
        if column in frame and len(frame):
            longest = int(frame[column].astype(str).str.len().max())
            lines = max(lines, -(-longest // max(1, width // CHAR_PIXELS)))
    return min(lines, MAX_LINES)


def problem_table(problems: pd.DataFrame, key: str) -> None:
    """Problems with the whole message and hint on screen: long texts wrap (taller rows), blanks stay blank."""
    wide = PROBLEM_TEXT_PIXELS
    lines = text_lines(problems, wide)
    config = {
        "file": st.column_config.TextColumn("file"),
        "row": st.column_config.NumberColumn("row", width="small", format="%d"),
        "column": st.column_config.TextColumn("column"),
        **{name: st.column_config.TextColumn(name, width=pixels) for name, pixels in wide.items()},
    }
    # Streamlit wraps text only in rows taller than 4rem (64 px): one line is left at the default height
    row_height = None if lines == 1 else max(WRAP_MIN_ROW_PIXELS, LINE_PIXELS * lines + ROW_PADDING_PIXELS)
    table(problems, key=key, column_config=config, row_height=row_height, placeholder="")


def choose_columns(
    raw: RawTable,
    fields: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    key: str,
    preset: dict[str, str],
    title: str = "Columns of {}",
    fresh_for: tuple | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Say which header holds which field: one selectbox per field, in an expander open while one was missing.

    ``preset`` maps fields to headers chosen elsewhere (the sidebar's, for a newer version). Returns the
    choices that differ from what valuechain finds by itself, and the required fields still without a column
    (the prompt to choose them shows only while there are some). When ``fresh_for`` changes (another file,
    another preset), earlier choices are dropped, so the boxes never show one column while another is used.
    """
    if fresh_for is not None and st.session_state.get(f"{key}-for-{raw.label}") != fresh_for:
        st.session_state[f"{key}-for-{raw.label}"] = fresh_for
        for field in fields:
            st.session_state.pop(f"{key}-{field}", None)
    found, _ = match_columns(raw, fields, ())
    found = {**found, **preset}
    chosen = dict(preset)
    mapped = dict(found)
    with st.expander(title.format(raw.label), expanded=any(f not in found for f in required)):
        prompt = st.empty()  # filled after the choices below, so it goes as soon as they are made
        headers = [NONE, *map(str, raw.frame.columns)]
        for field in [f for f in fields if f in FIELD_WORDS]:
            default = found.get(field, NONE)
            choice = st.selectbox(FIELD_WORDS[field], headers, index=headers.index(default), key=f"{key}-{field}")
            if choice != NONE:
                mapped[field] = choice
                if choice != default:
                    chosen[field] = choice
        missing = [f for f in required if f not in mapped]
        if missing:
            prompt.warning("Say which column holds " + " and ".join(FIELD_WORDS[f] for f in missing) + ".")
    return chosen, missing


def newer_columns(later: tuple, columns: dict[str, str]) -> tuple[dict[str, str], list[str], list[dict]]:
    """The column mapping for a newer version: the sidebar's, where its headers are there, and choices made here.

    Returns the mapping, the required fields still without a column, and the problems of a file that cannot
    be read as a table (empty when both can).
    """
    data_h, name_h, data_p, name_p = later
    if is_graph_file(name_h):
        return {}, [], []
    tables = [(read_raw(data_h, name_h, "handoffs"), HANDOFF_FIELDS, REQUIRED_H, (name_h, len(data_h), hash(data_h)))]
    if data_p is not None:
        tables.append(
            (read_raw(data_p, name_p, "parties"), PARTY_FIELDS, REQUIRED_P, (name_p, len(data_p), hash(data_p)))
        )
    unreadable = [p for raw, *_ in tables if isinstance(raw, list) for p in raw]
    if unreadable:
        return {}, [], unreadable
    mapping: dict[str, str] = {}
    missing: list[str] = []
    for raw, fields, required, file in tables:
        preset = {f: h for f, h in columns.items() if f in fields and h in raw.frame.columns}
        fresh_for = (file, tuple(sorted(preset.items())))  # another file or another sidebar mapping: choose afresh
        chosen, still = choose_columns(
            raw, fields, required, "later-column", preset, "Columns of the newer {}", fresh_for
        )
        mapping.update(chosen)
        missing += still
    return mapping, missing, []


def lost_single_points(changes) -> pd.DataFrame:
    """Single points of failure that vanish because the teams behind them lost their path (not an improvement),
    with why in words."""
    lost = changes.lost_single_points_of_failure
    return lost.assign(why=lost["why"].map(LOST_WHY))


LOST_HELP = (
    "Single points of failure that vanish because the teams that hung on them lost their line of sight "
    "(or left the org): a loss, not an improvement."
)


def fewer_colour(delta: int, *not_improvements: pd.DataFrame) -> str:
    """The delta colour of a count where fewer is better: green when it falls, red when it grows, grey when
    part of the fall is not an improvement (findings lost with their teams, or removed with their party)."""
    return "off" if delta < 0 and any(len(f) for f in not_improvements) else "inverse"


def lost_metric(cell, lost: pd.DataFrame) -> None:
    """How many single points of failure were lost with their teams, shown as a loss (red, downwards)."""
    cell.metric("Lost with their teams", len(lost), -len(lost), delta_color="normal", help=LOST_HELP)


def spof_metrics(cells: list, delta: int, changes, lost: pd.DataFrame, after: dict) -> None:
    """The single points of failure after a what-if: fewer is better, unless some were lost with their teams
    or removed (then the fall is grey, not green, and the lost ones get a red metric of their own)."""
    removed = changes.removed_single_points_of_failure
    colour = fewer_colour(delta, lost, removed)
    why = [f"{len(lost)} lost with their teams" if len(lost) else "", f"{len(removed)} removed" if len(removed) else ""]
    cells[0].metric(
        "Single points of failure",
        after["single_points_of_failure"],
        delta,
        delta_color=colour,
        help=f"Not an improvement: {', '.join(w for w in why if w)}." if colour == "off" else None,
    )
    if len(lost):
        lost_metric(cells[1], lost)


def spof_tables(changes, lost: pd.DataFrame, key: str) -> None:
    """New, resolved, lost and removed single points of failure, each under its own heading when there are any."""
    for title, frame, part in (
        ("New single points of failure", changes.new_single_points_of_failure, "new"),
        ("Single points of failure resolved (another way now)", changes.resolved_single_points_of_failure, "resolved"),
        ("Single points of failure removed", changes.removed_single_points_of_failure, "removed"),
    ):
        if len(frame):
            st.markdown(f"**{title}** ({len(frame)})")
            table(frame, key=f"{key}-spof-{part}")
    if len(lost):
        st.markdown(
            f"**:red[Single points of failure lost with their teams]** ({len(lost)}): not an improvement, "
            "the teams that hung on them lost their line of sight"
        )
        table(lost, key=f"{key}-spof-lost", column_config={"why": st.column_config.TextColumn("why", width="large")})


def table(frame: pd.DataFrame, key: str, **kwargs) -> None:
    """A table in a keyed container (so tests and the browser can find it by ``key``)."""
    with st.container(key=f"table-{key}"):
        st.dataframe(frame, hide_index=True, width="stretch", **kwargs)


# --- getting data in -------------------------------------------------------------------------------------

st.set_page_config(page_title="valuechain", layout="wide")
st.title("valuechain: does the work reach the customer?")

with st.sidebar:
    st.header("Organisation")
    source = st.radio("Data", ["Sample organisation", "Upload files", "Event log"], key="source")
    if source == "Event log":
        sample, files = None, None
        up_log = st.file_uploader("Event log (CSV, Excel or XES)", type=[*UPLOAD_TYPES, "xes"], key="log")
        if up_log is None:
            st.info(
                "Upload an event log: one row per event, with a case id, an activity, the team (or person) "
                "doing it and a timestamp. Each hand-over between teams becomes a hand-off."
            )
            st.stop()
        refuse_if_too_large([up_log])
        log_bytes, log_name = up_log.getvalue(), up_log.name
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
        activities = log_activities(log_bytes, log_name, time_format)
        outcomes = st.multiselect(
            "Outcomes: activities that end a case at the customer (none: every case does)",
            activities,
            key="outcomes",
        )
        customer_id = st.text_input("The customer's id", value="customer", key="customer-id").strip() or "customer"
    elif source == "Sample organisation":
        sample = st.selectbox("Sample", SAMPLES, index=SAMPLES.index(DEFAULT), key="sample")
        files = [(DATA / sample / "handoffs.csv").read_bytes(), "handoffs.csv"]
        files += [(DATA / sample / "parties.csv").read_bytes(), "parties.csv"]
    else:
        sample = None
        up_h = st.file_uploader(
            "1. Hand-offs (CSV or Excel), or a graph file", type=UPLOAD_TYPES + GRAPH_TYPES, key="handoffs"
        )
        up_p = st.file_uploader("2. Parties (optional)", type=UPLOAD_TYPES, key="parties")
        if up_h is None:
            st.info(
                "Upload a hand-offs file to begin: one row per hand-off, with a column for who hands off "
                "(source) and one for who receives (target). A parties file (id, name, kind, group) is optional."
            )
            st.stop()
        refuse_if_too_large([up_h, up_p])
        files = [up_h.getvalue(), up_h.name]
        files += [up_p.getvalue(), up_p.name] if up_p is not None else [None, None]

columns: dict[str, str] = {}  # the sidebar's column mapping (field -> header), applied to a newer version too
unmapped: dict[str, list[str]] = {}  # file -> required fields that no column holds yet
customers: list[str] = []
primary: list[str] = []
if source == "Event log":
    raw_h = raw_p = None
    signature = ("log", log_name, len(log_bytes), hash(log_bytes), tuple(outcomes), customer_id, time_format)
    result = analyse_log(log_bytes, log_name, tuple(outcomes), customer_id, time_format)
elif is_graph_file(files[1]):  # a whole org in one graph file: nodes are parties, edges hand-offs
    raw_h = raw_p = None
    signature = ("graph", files[1], len(files[0]), hash(files[0]))
    result = analyse_graph(files[0], files[1])
else:
    raw_h = read_raw(files[0], files[1], "handoffs")
    raw_p = read_raw(files[2], files[3], "parties") if files[2] is not None else None
    unreadable = [r for r in (raw_h, raw_p) if isinstance(r, list)]
    if unreadable:
        st.error("A file cannot be read as a table. Fix it and upload it again:")
        problem_table(problems_table([p for r in unreadable for p in r]).drop(columns="severity"), key="unreadable")
        st.stop()

    # edits made in the problems' editor replace the tables until the files change
    upload_key = (files[1], len(files[0]), hash(files[0]), files[3], hash(files[2]) if files[2] else None)
    if st.session_state.get("edits_for") != upload_key:
        st.session_state["edits_for"] = upload_key
        st.session_state["edits"] = {}
    edits = st.session_state["edits"]
    raw_h = raw_h.edited(edits["handoffs"]) if "handoffs" in edits else raw_h
    raw_p = raw_p.edited(edits["parties"]) if raw_p is not None and "parties" in edits else raw_p

    with st.sidebar:
        for raw, fields, required in ((raw_h, HANDOFF_FIELDS, REQUIRED_H), (raw_p, PARTY_FIELDS, REQUIRED_P)):
            if raw is not None:
                chosen, missing = choose_columns(raw, fields, required, "column", {})
                columns.update(chosen)
                if missing:
                    unmapped[raw.label] = missing
        mapped_h = raw_h.renamed({k: v for k, v in columns.items() if k in HANDOFF_FIELDS})
        mapped_p = raw_p.renamed({k: v for k, v in columns.items() if k in PARTY_FIELDS}) if raw_p is not None else None
        ids = named_ids(mapped_h, mapped_p)
        with st.expander("Customers", expanded=False):
            customers = st.multiselect(
                "External customer(s): leave empty to take those the parties file names",
                ids,
                key="customers",
                max_selections=50,
            )
            primary = st.multiselect("Primary segment (optional)", customers or ids, key="primary")

    signature = (upload_key, tuple(sorted(columns.items())), tuple(customers), tuple(primary), repr(edits))
    result = analyse(
        raw_h, raw_p, tuple(sorted(columns.items())), tuple(customers), tuple(primary), _signature=signature
    )

problems = problems_table(result if isinstance(result, list) else [p.to_dict() for p in result.chain.warnings])
errors, warnings = problems[problems["severity"] == "error"], problems[problems["severity"] == "warning"]


def editor() -> None:
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
            st.markdown(f"**{raw.label}**")
            changed[name] = st.data_editor(
                raw.frame,
                num_rows="dynamic",
                key=f"editor-{name}",
                width="stretch",
                column_config={"_index": st.column_config.NumberColumn("row", disabled=True)},  # what messages name
            )
        if st.form_submit_button("Check again", key="recheck", type="primary"):
            st.session_state["edits"] = changed
            st.rerun()


def named_files(problems: pd.DataFrame, uploaded: set, otherwise: str) -> str:
    """The uploaded files the problems are in, for a sentence ("handoffs.csv and parties.csv"), else ``otherwise``
    (a problem may name no file: a missing customer is in "parties" when there is no parties file)."""
    names = [f for f in dict.fromkeys(problems["file"]) if f in uploaded]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or otherwise


uploaded = {raw.label for raw in (raw_h, raw_p) if raw is not None}
uploaded |= {log_name} if source == "Event log" else {files[1]} if raw_h is None else set()


if len(errors):
    st.error(
        f"{named_files(errors, uploaded, 'The files')} cannot be analysed yet: {len(errors)} problem(s) to fix. "
        "Each names the file, row and column."
    )
    problem_table(errors.drop(columns="severity"), key="errors")
    for label, missing in unmapped.items():
        wanted = " and ".join(FIELD_WORDS[f] for f in missing)
        flags = " ".join(f"--column {f}=HEADER" for f in missing)
        st.info(
            f"{label} has no column valuechain recognises as {wanted}. Say which of its columns "
            f"{'holds it' if len(missing) == 1 else 'hold them'} in the sidebar, under **Columns of {label}** "
            f"(on the command line: {flags})."
        )
    if any("customer" in str(m) for m in errors["message"]) and raw_h is not None:
        st.info("Choose the external customer(s) in the sidebar, under **Customers**.")
    if len(warnings):
        st.subheader(f"{len(warnings)} warning(s)")
        problem_table(warnings.drop(columns="severity"), key="warnings")
    if raw_h is not None:
        editor()
    st.stop()

results: Results = result
chain, found = results.chain, results.found
if len(warnings):
    with st.expander(f"{len(warnings)} warning(s): the rows are kept, but worth a look"):
        problem_table(warnings.drop(columns="severity"), key="warnings")
        if raw_h is not None:
            editor()

# --- the findings ---------------------------------------------------------------------------------------------

s = found.summary
parties = chain.parties["id"].tolist()
st.caption(f"Customers: {', '.join(found.customers)} · {s['parties']} parties · {s['handoffs']} hand-offs")
cols = st.columns(5)
cols[0].metric("Teams with line of sight", f"{s['connected']} of {s['teams']}")
cols[1].metric("Orphaned teams", s["orphans"])
cols[2].metric("Loops", s["loops"])
cols[3].metric("Mutual pairs", s["mutual_pairs"])
cols[4].metric("Single points of failure", s["single_points_of_failure"])

# only the open tab runs (on_change="rerun"), so a large org is not drawn eight times over
tabs = st.tabs(
    ["Overview", "Orphans", "Loops and mutual pairs", "Single points of failure", "What-if", "Compare",
     "Departments", "Downloads"],
    key="view",
    on_change="rerun",
)  # fmt: skip

with tabs[0]:
    if tabs[0].open:
        by_reason = found.orphans["reason"].value_counts()
        if len(by_reason):
            st.caption(
                "Orphans by reason: "
                + " · ".join(f"{REASON_TITLE[r]}: {by_reason.get(r, 0)}" for r in REASON_TITLE if by_reason.get(r, 0))
            )
        if "orphan_headcount" in s:
            st.caption(f"People in orphaned teams: {s['orphan_headcount']} of {s['total_headcount']}")
        if chain.log is not None:
            log = chain.log
            with st.expander(f"What the event log adds ({log.cases} cases, {log.events} events)", expanded=True):
                st.markdown("**Ping-pong**: pairs of teams that hand the same case back and forth")
                table(log.ping_pong, key="ping-pong")
                st.markdown("**Slowest hand-offs** (hours between the two events)")
                table(log.slowest, key="slowest")
                st.markdown("**Cases that never reach an outcome**, and the team where they stop")
                table(log.stuck, key="stuck")
        focus = st.selectbox("Highlight one team's paths to the customer", [NONE, *parties], key="focus")
        expand = NONE
        if len(parties) > MAX_PARTIES:  # drawn by department or distance layer: one can be opened up
            expand = st.selectbox("Draw one department (or layer) party by party", [NONE, *results.units], key="expand")
        figure = results.figure(focus=None if focus == NONE else focus, expand=None if expand == NONE else expand)
        st.plotly_chart(figure, width="stretch", key="chain")

with tabs[1]:
    if tabs[1].open:
        orphans = results.orphans
        if orphans.empty:
            st.success("Every team has a line of sight to the customer.")
        else:
            left, right = st.columns(2)
            groups = sorted({str(g) for g in orphans["group"].dropna()})
            chosen_groups = left.multiselect("Group", groups, key="orphan-groups")
            reasons = [r for r in REASON_TITLE if r in set(orphans["reason"])]
            chosen_reasons = right.multiselect("Reason", reasons, format_func=REASON_TITLE.get, key="orphan-reasons")
            shown = orphans
            if chosen_groups:
                shown = shown[shown["group"].astype(str).isin(chosen_groups)]
            if chosen_reasons:
                shown = shown[shown["reason"].isin(chosen_reasons)]
            st.caption(f"{len(shown)} of {len(orphans)} orphaned teams")
            first = ["id", "name", "group", "reason", "why", "delivers"]
            shown = shown[first + [c for c in shown.columns if c not in first]]
            shown = shown.assign(reason=shown["reason"].map(REASON_TITLE))
            wide = {"why": st.column_config.TextColumn("why", width="large")}
            table(shown, key="orphans", column_config=wide)

with tabs[2]:
    if tabs[2].open:
        st.subheader("Loops: each member depends on the others")
        if results.loops.empty:
            st.success("No loops.")
        else:
            table(results.loops.drop(columns="members"), key="loops")
            number = st.selectbox(
                "Show a loop",
                results.loops["loop"].tolist(),
                format_func=lambda n: f"Loop {n}: {results.loops['names'].iloc[n]}",
                key="loop",
            )
            st.plotly_chart(results.figure(loop=int(number)), width="stretch", key="loop-figure")
            table(handoffs_between(chain, results.loops["members"].iloc[int(number)]), key="loop-handoffs")
        st.subheader("Mutual pairs: each is the other's internal customer")
        if results.mutual.empty:
            st.success("No mutual pairs.")
        else:
            table(results.mutual, key="mutual")

with tabs[3]:
    if tabs[3].open:
        if results.spof.empty:
            st.success("No single points of failure: every team has more than one way to the customer.")
        else:
            st.caption("Ranked by how many teams lose their line of sight if this party alone goes away.")
            table(
                results.spof, key="spof", column_config={"teams": st.column_config.TextColumn("teams", width="large")}
            )

with tabs[4]:
    if tabs[4].open:
        st.caption("Remove parties or hand-offs, or add hand-offs, and see what breaks or mends.")
        edges = sorted(set(zip(chain.handoffs["source"], chain.handoffs["target"])))
        remove = st.multiselect("Remove parties", parties, key="whatif-remove")
        cut = st.multiselect("Remove hand-offs", edges, format_func=" → ".join, key="whatif-cut")
        left, right, button = st.columns([2, 2, 1])
        first_giver, first_taker = suggested_addition(chain, found)
        giver = left.selectbox("Add a hand-off from", parties, index=parties.index(first_giver), key="whatif-from")
        taker = right.selectbox("to", parties, index=parties.index(first_taker), key="whatif-to")
        if st.session_state.get("whatif-added-for") != signature:  # hand-offs added to another org do not carry over
            st.session_state["whatif-added-for"] = signature
            st.session_state["whatif-added"] = []
        added = st.session_state["whatif-added"]
        if button.button("Add", key="whatif-add"):
            refused = refused_addition(giver, taker, chain, set(edges) - set(cut), remove, added)
            if refused:
                st.warning(refused)
            else:
                added.append((giver, taker))
        if added:
            st.caption("Added: " + ", ".join(" → ".join(p) for p in added))
            if st.button("Clear the added hand-offs", key="whatif-clear"):
                added.clear()
                st.rerun()
        if remove or cut or added:
            try:
                scenario, picture = results.whatif(tuple(remove), tuple(cut), tuple(added))
            except vc.InputError as err:
                st.error("The what-if cannot be run:\n" + "\n".join(f"- {p}" for p in err.problems))
            except (KeyError, ValueError) as err:
                st.error(f"The what-if cannot be run: {err}")
            else:
                after = scenario.after.summary
                changes = scenario.changes
                lost = lost_single_points(changes)
                c = st.columns(5 if len(lost) else 4)
                c[0].metric("Teams with line of sight", after["connected"], after["connected"] - s["connected"])
                fewer = after["orphans"] - s["orphans"]
                removed = changes.removed_orphans
                colour = fewer_colour(fewer, removed)
                help_text = f"Not an improvement: {len(removed)} removed from the org." if colour == "off" else None
                c[1].metric("Orphaned teams", after["orphans"], fewer, delta_color=colour, help=help_text)
                fewer = after["loops"] - s["loops"]
                c[2].metric(
                    "Loops",
                    after["loops"],
                    fewer,
                    delta_color=fewer_colour(fewer, changes.removed_loops),
                )
                spof_delta = after["single_points_of_failure"] - s["single_points_of_failure"]
                spof_metrics(c[3:], spof_delta, changes, lost, after)
                st.markdown("**Teams that lose their line of sight**")
                table(changes.new_orphans, key="whatif-new")
                st.markdown("**Teams that gain one**")
                table(changes.resolved_orphans, key="whatif-resolved")
                spof_tables(changes, lost, "whatif")
                st.plotly_chart(picture, width="stretch", key="whatif-figure")
        else:
            st.markdown(
                "**What hangs on each party alone** (teams that would lose their line of sight; customers left out)"
            )
            shown, hidden = results.ranking.top(25)
            table(shown, key="ranking")
            if hidden:
                st.caption(f"… and {hidden:,} more parties, on which fewer teams hang.")

with tabs[5]:
    if tabs[5].open:
        st.caption("Compare with a newer version of the org: what was added, removed and changed, and what it did.")
        later_name = LATER.get(sample) if sample else None
        later = None
        if later_name and st.checkbox(f"Use the sample's newer version ({later_name})", value=True, key="use-later"):
            folder = DATA / later_name
            later = ((folder / "handoffs.csv").read_bytes(), "handoffs.csv", (folder / "parties.csv").read_bytes())
            later = (*later, "parties.csv")
        else:
            new_h = st.file_uploader("Newer hand-offs", type=UPLOAD_TYPES, key="later-handoffs")
            new_p = st.file_uploader("Newer parties (optional)", type=UPLOAD_TYPES, key="later-parties")
            refuse_if_too_large([new_h, new_p])
            if new_h is not None:
                later = (
                    new_h.getvalue(),
                    new_h.name,
                    new_p.getvalue() if new_p else None,
                    new_p.name if new_p else None,
                )
        if later is not None:
            later_columns, later_missing, unreadable = newer_columns(later, columns)
            if unreadable:
                st.error("The newer version cannot be read as a table. Fix it and upload it again:")
                problem_table(problems_table(unreadable).drop(columns="severity"), key="later-problems")
                later = None
            elif later_missing:
                st.info("Say which columns of the newer version hold what, above; the comparison follows.")
                later = None
        if later is not None:
            compared = compare(
                results,
                signature,
                *later,
                columns=tuple(sorted(later_columns.items())),
                customers=tuple(customers),
                primary=tuple(primary),
            )
            if isinstance(compared, list):
                later_problems = problems_table(compared)
                newer = named_files(later_problems, {later[1], later[3]}, "")
                st.error(f"The newer version{f' ({newer})' if newer else ''} cannot be analysed:")
                problem_table(later_problems.drop(columns="severity"), key="later-problems")
            else:
                d, picture = compared
                for note in d.notes:
                    st.warning(note)
                lost = lost_single_points(d.changes)
                c = st.columns(5 if len(lost) else 4)
                c[0].metric("Parties added / removed", f"{len(d.parties_added)} / {len(d.parties_removed)}")
                c[1].metric("Hand-offs added / removed", f"{len(d.handoffs_added)} / {len(d.handoffs_removed)}")
                c[2].metric("Orphans resolved", len(d.changes.resolved_orphans))
                c[3].metric("New orphans", len(d.changes.new_orphans))
                if len(lost):
                    lost_metric(c[4], lost)
                st.plotly_chart(picture, width="stretch", key="diff-figure")
                for title, frame, key in (
                    ("Orphans resolved", d.changes.resolved_orphans, "diff-resolved"),
                    ("New orphans", d.changes.new_orphans, "diff-new"),
                    ("Orphans removed (not resolved)", d.changes.removed_orphans, "diff-removed"),
                    ("Parties added", d.parties_added, "diff-parties-added"),
                    ("Parties removed", d.parties_removed, "diff-parties-removed"),
                    ("Parties changed", d.parties_changed, "diff-parties-changed"),
                    ("Hand-offs added", d.handoffs_added, "diff-handoffs-added"),
                    ("Hand-offs removed", d.handoffs_removed, "diff-handoffs-removed"),
                ):
                    if len(frame):
                        st.markdown(f"**{title}** ({len(frame)})")
                        table(frame, key=key)
                spof_tables(d.changes, lost, "diff")

with tabs[6]:
    if tabs[6].open:
        if results.departments is None:
            st.info("The parties have no group (department) column to roll up by.")
            st.plotly_chart(results.flow, width="stretch", key="flow")
        else:
            rolled, graph, matrix, flow = results.departments
            table(rolled.departments, key="departments")
            groups = rolled.departments["group"].tolist()
            chosen = st.selectbox("Colour one department in the chain", [NONE, *groups], key="department")
            if chosen != NONE:
                st.plotly_chart(results.figure(department=chosen), width="stretch", key="department-figure")
            st.plotly_chart(graph, width="stretch", key="departments-figure")
            st.plotly_chart(matrix, width="stretch", key="matrix")
            st.plotly_chart(flow, width="stretch", key="flow")

with tabs[7]:
    if tabs[7].open:
        st.caption("The findings for people who do not run the tool, and the graph for other tools.")
        # each file is made when its button is pressed (a callable), not on every run
        downloads = [
            ("Leaders' report (HTML)", partial(results.report, "html"), "valuechain-report.html"),
            ("Leaders' report (Markdown)", partial(results.report, "md"), "valuechain-report.md"),
            ("Findings (Excel)", lambda: results.excel, "valuechain-findings.xlsx"),
            ("Findings (JSON)", lambda: results.json, "valuechain-findings.json"),
            ("Orphaned teams (CSV)", lambda: results.orphans_csv, "valuechain-orphans.csv"),
            ("Graph (GraphML)", partial(results.graph, "graphml"), "valuechain-graph.graphml"),
            ("Graph (GEXF)", partial(results.graph, "gexf"), "valuechain-graph.gexf"),
            ("Graph (node-link JSON)", partial(results.graph, "json"), "valuechain-graph.json"),
        ]
        for column, (label, make, name) in zip(st.columns(4) + st.columns(4), downloads):
            xml = name.endswith((".graphml", ".gexf"))
            if xml and results.not_xml:
                column.download_button(label, b"", name, key=f"get-{name}", disabled=True, help=results.not_xml)
            else:
                column.download_button(label, make, name, key=f"get-{name}", on_click="ignore")
        if results.not_xml:
            st.warning(f"No GraphML or GEXF for this org: {results.not_xml}.")
