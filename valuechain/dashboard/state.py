"""Loading and caching: the analysed org (:class:`Results`) and the cached readers behind the sidebar.

Results are cached on the uploaded bytes and the settings, so switching tabs is instant. Input that cannot be
analysed comes back as its list of :class:`~valuechain.problems.Problem`, never as an exception.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import valuechain as vc
from valuechain.analysis import Findings
from valuechain.eventlog import read_log
from valuechain.explain import loop_details, mutual_details, orphan_details, spof_details
from valuechain.export import graph_bytes, not_writable_as_xml, org_graph
from valuechain.io import RawTable, read_table
from valuechain.io.bpmn import CustomerChoices, customer_choices, read_model
from valuechain.jsonable import to_json
from valuechain.plot import drawn_units, flow_figure, rollup_figures, scenario_figure
from valuechain.problems import Problem
from valuechain.report import findings_tables, render, write_excel
from valuechain.scenarios.diff import Diff
from valuechain.scenarios.rollup import Rollup
from valuechain.scenarios.whatif import Ranking, Scenario

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLES = sorted(p.name for p in DATA.iterdir() if (p / "handoffs.csv").exists()) if DATA.is_dir() else []
DEFAULT = "midsize"
LATER = {"midsize": "midsize-reorganised"}  # a sample's newer version, for Compare
UPLOAD_TYPES = ["csv", "txt", "tsv", "xlsx", "xls", "parquet"]  # .xls is refused with a message, not by the browser
GRAPH_TYPES = ["graphml", "gexf", "json"]
MODEL_TYPES = ["bpmn", "bpmn2", "xml"]
#: A process model to try the BPMN way in with.
SAMPLE_MODEL = DATA / "order-to-cash" / "order-to-cash.bpmn"

T = TypeVar("T")


def problems_or(make: Callable[..., T], *args: Any, **kwargs: Any) -> T | list[Problem]:
    """``make(*args, **kwargs)``, or the problems of the :class:`valuechain.InputError` it raises.

    Examples
    --------
    >>> problems_or(int, "3")
    3
    >>> def refuse() -> None:
    ...     raise vc.InputError([Problem.error("h.csv", "the file is empty")])
    >>> [p.message for p in problems_or(refuse)]
    ['the file is empty']
    """
    try:
        return make(*args, **kwargs)
    except vc.InputError as err:
        return list(err.problems)


class Results:
    """One analysed org and what the tabs show, each computed on first use (the object is cached)."""

    def __init__(self, chain: vc.Chain) -> None:
        self.chain = chain
        self.found: Findings = chain.analyze()
        self._figures: dict[tuple[Any, ...], Any] = {}

    def figure(self, **options: Any) -> go.Figure:
        """The chain drawn with these options (``focus``, ``expand``, ``loop``, ``department``), drawn once."""
        key = tuple(sorted(options.items()))
        if key not in self._figures:
            self._figures[key] = self.chain.plot(**options)
        figure: go.Figure = self._figures[key]
        return figure

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
    def parties(self) -> list[str]:
        """Every party's id, in the org's order (for the select boxes)."""
        return [str(p) for p in self.chain.parties["id"]]

    @cached_property
    def units(self) -> list[str]:
        """The departments or layers a large org is drawn as, biggest first (for expanding one)."""
        unit, _ = drawn_units(self.chain)
        counts = pd.Series(unit).value_counts()
        return [str(u) for u in counts[counts > 1].index]

    @cached_property
    def has_groups(self) -> bool:
        return bool(self.chain.parties["group"].notna().any())

    @cached_property
    def departments(self) -> tuple[Rollup, go.Figure, go.Figure, go.Figure] | None:
        """The roll-up by department, its graph and matrix, and the flow figure; None without departments."""
        if not self.has_groups:
            return None
        graph, matrix = rollup_figures(self.chain)
        return self.chain.rollup(), graph, matrix, self.flow

    @cached_property
    def flow(self) -> go.Figure:
        return flow_figure(self.chain)

    @cached_property
    def excel(self) -> bytes:
        return bytes(write_excel(findings_tables(self.chain)))

    @cached_property
    def json(self) -> bytes:
        return to_json(self.found.to_dict(plain_maps=False)).encode("utf-8")  # the command line's JSON, byte for byte

    @cached_property
    def orphans_csv(self) -> bytes:
        return render(self.chain, "csv")  # the report's list of orphaned teams, in the vocabulary's words

    def graph(self, fmt: str) -> bytes:
        return graph_bytes(self.chain, fmt)

    @cached_property
    def not_xml(self) -> str | None:
        """Why GraphML and GEXF cannot hold this org (a control character), or None."""
        return not_writable_as_xml(org_graph(self.chain, "graphml"), escaped=True)  # the graph export writes

    def report(self, fmt: str) -> bytes:
        return render(self.chain, fmt)

    def whatif(
        self,
        remove: tuple[str, ...],
        remove_handoffs: tuple[tuple[str, str], ...],
        add_handoffs: tuple[tuple[str, str], ...],
    ) -> tuple[Scenario, go.Figure]:
        """The what-if and its figure, computed once per set of changes."""
        key = ("whatif", remove, remove_handoffs, add_handoffs)
        if key not in self._figures:
            scenario = self.chain.whatif(remove=remove, remove_handoffs=remove_handoffs, add_handoffs=add_handoffs)
            self._figures[key] = (scenario, scenario_figure(scenario))
        done: tuple[Scenario, go.Figure] = self._figures[key]
        return done

    @cached_property
    def ranking(self) -> Ranking:
        return self.chain.rank()


#: What :class:`Results` computes that review decisions change (made again for a decided chain) ...
DECIDED = ("found", "excel", "json", "orphans_csv")
#: ... and what they do not (shared with the undecided results). Every cached property is in one of the two
#: (tests/test_app_decisions.py checks it), so a new one cannot leak the decisions of one session to another.
SHARED = ("orphans", "loops", "mutual", "spof", "parties", "units", "has_groups", "departments", "flow", "not_xml",
          "ranking")  # fmt: skip


def decided(results: Results, chain: vc.Chain) -> Results:
    """``results`` for the same org with review decisions (``chain``, from ``results.chain.with_decisions``):
    what decisions do not change (the tables, the figures, the roll-up, what-ifs) is shared, not made again.
    """
    out = Results.__new__(Results)
    out.__dict__.update({k: v for k, v in results.__dict__.items() if k not in DECIDED})
    out.chain, out.found = chain, chain.analyze()
    # figures are shared; what-ifs are not (they carry the decisions, and ``results`` serves other sessions)
    out._figures = {k: v for k, v in results._figures.items() if k[0] != "whatif"}
    return out


def as_file(data: bytes, name: str) -> io.BytesIO:
    """Bytes as a named file, for the readers that tell formats by the name."""
    f = io.BytesIO(data)
    f.name = name  # the readers tell CSV from Excel by it
    return f


@st.cache_resource(show_spinner="Reading the files…", max_entries=16)
def read_raw(data: bytes, name: str, table: str) -> RawTable | list[Problem]:
    """The table as written (cached on the bytes), or its problems when it cannot be read at all."""
    return problems_or(read_table, as_file(data, name), table)


def _results(chain: vc.Chain | list[Problem]) -> Results | list[Problem]:
    return chain if isinstance(chain, list) else Results(chain)


@st.cache_resource(show_spinner="Analysing the org…", max_entries=16)
def analyse(
    handoffs: RawTable,
    parties: RawTable | None,
    columns: tuple[tuple[str, str], ...],
    customers: tuple[str, ...],
    primary: tuple[str, ...],
    _signature: tuple[Any, ...],
) -> Results | list[Problem]:
    """Load and analyse (cached on the bytes, the edits and the settings in ``_signature``)."""
    chain = problems_or(
        vc.load,
        handoffs,
        parties=parties,
        customers=list(customers) or None,
        primary=list(primary) or None,
        columns=dict(columns) or None,
    )
    return _results(chain)


@st.cache_resource(show_spinner="Reading the event log…", max_entries=8)
def log_activities(data: bytes, name: str, time_format: str | None = None) -> list[str]:
    """The log's activities (for picking the outcomes); empty when the log cannot be read."""
    read = problems_or(read_log, as_file(data, name), time_format=time_format)
    return [] if isinstance(read, list) else sorted(read[0]["activity"].unique().tolist())


@st.cache_resource(show_spinner="Turning the event log into hand-offs…", max_entries=8)
def analyse_log(
    data: bytes, name: str, outcomes: tuple[str, ...], customer: str, time_format: str | None = None
) -> Results | list[Problem]:
    """The org an event log shows, analysed."""
    file = as_file(data, name)
    return _results(
        problems_or(vc.from_log, file, outcomes=list(outcomes) or None, customer=customer, time_format=time_format)
    )


@st.cache_resource(show_spinner="Reading the process models…", max_entries=8)
def model_choices(files: tuple[tuple[bytes, str], ...]) -> CustomerChoices | list[Problem]:
    """Where the customer of these process models can be (for the sidebar's choices), or their problems."""
    models = [problems_or(read_model, as_file(data, name)) for data, name in files]
    problems = [p for m in models if isinstance(m, list) for p in m]
    return problems or customer_choices([m for m in models if not isinstance(m, list)])


@st.cache_resource(show_spinner="Reading the process models…", max_entries=8)
def analyse_models(
    files: tuple[tuple[bytes, str], ...],
    parties: tuple[bytes, str] | None,
    customers: tuple[str, ...],
    outcomes: tuple[str, ...],
) -> Results | list[Problem]:
    """The org one or several process models show (lanes and pools as parties), analysed."""
    return _results(
        problems_or(
            vc.load,
            [as_file(data, name) for data, name in files],
            parties=as_file(*parties) if parties else None,
            customers=list(customers) or None,
            outcomes=list(outcomes) or None,
        )
    )


@st.cache_resource(show_spinner="Reading the graph file…", max_entries=8)
def analyse_graph(data: bytes, name: str) -> Results | list[Problem]:
    """The org a graph file holds (nodes are parties, edges hand-offs), analysed."""
    return _results(problems_or(vc.load, as_file(data, name)))


@st.cache_resource(show_spinner="Comparing the two versions…", max_entries=8)
def compare(
    _results: Results,
    signature: tuple[Any, ...],
    later_h: bytes,
    name_h: str,
    later_p: bytes | None,
    name_p: str | None,
    columns: tuple[tuple[str, str], ...] = (),
    customers: tuple[str, ...] = (),
    primary: tuple[str, ...] = (),
) -> tuple[Diff, go.Figure] | list[Problem]:
    """The org against its newer version, read with the same column mapping and customers as the org."""
    later = problems_or(
        vc.load,
        as_file(later_h, name_h),
        parties=as_file(later_p, name_p or "parties.csv") if later_p else None,
        columns=dict(columns) or None,
        customers=list(customers) or None,
        primary=list(primary) or None,
    )
    if isinstance(later, list):
        return later
    d = _results.chain.diff(later)
    return d, scenario_figure((d, later))


def refuse_if_too_large(uploads: list[Any]) -> None:
    """Stop with a message when an upload is over the limit (the browser enforces it too; this is for the rest)."""
    limit = st.get_option("server.maxUploadSize")
    for upload in uploads:
        if upload is not None and upload.size > limit * 1024 * 1024:
            st.error(
                f"{upload.name} is {upload.size / 1024 / 1024:.1f} MB; uploads are limited to {limit} MB "
                "(server.maxUploadSize in .streamlit/config.toml). Split the file, or use the command line."
            )
            st.stop()
