"""The value chain: parties, hand-offs, customers, integer arrays, and the NetworkX graph on demand.

The analysis works on the arrays (:class:`ChainArrays`); the NetworkX graph is
built only when :attr:`Chain.graph` is asked for, because at a million parties
building it costs several times the whole analysis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.io import (
    OUTSIDE_KINDS,
    check_references,
    parse_handoffs,
    parse_parties,
    read_table,
)
from valuechain.io.ids import first_mentions, index_of, index_of_pair
from valuechain.io.read import RawTable, TableSource, sheet_key, workbook_sheets
from valuechain.io.validate import clean_ids, repeated_handoffs
from valuechain.jsonable import is_missing, or_none
from valuechain.problems import InputError, Problem, closest, shown

if TYPE_CHECKING:  # the layers above the chain import it; it names them only for types, and imports them when asked
    import networkx as nx
    import plotly.graph_objects as go

    from valuechain.analysis import Findings
    from valuechain.decisions import Decisions
    from valuechain.eventlog import LogFindings
    from valuechain.scenarios.diff import Diff
    from valuechain.scenarios.rollup import Rollup
    from valuechain.scenarios.whatif import Ranking, Scenario


@dataclass(frozen=True)
class ChainArrays:
    """The chain as integer arrays: party ``i`` is ``ids[i]``.

    Attributes
    ----------
    ids : numpy.ndarray
        Party ids (strings), in the order of the parties table.
    is_customer, is_team, is_outside : numpy.ndarray of bool
        Per party: one of the customers; of kind ``team`` and not a customer;
        an outside party (supplier, vendor partner, regulator, agency, community).
    row_source, row_target : numpy.ndarray of int
        Per hand-off row, the party positions.
    edge_source, edge_target : numpy.ndarray of int
        One entry per distinct ordered pair (self hand-offs included).
    edge_essential : numpy.ndarray of bool
        An edge is essential if any of its hand-offs is.
    """

    ids: np.ndarray
    is_customer: np.ndarray
    is_team: np.ndarray
    is_outside: np.ndarray
    row_source: np.ndarray
    row_target: np.ndarray
    edge_source: np.ndarray
    edge_target: np.ndarray
    edge_essential: np.ndarray

    @property
    def n(self) -> int:
        """Number of parties."""
        return len(self.ids)


class Chain:
    """An organisation's value chain: who hands what to whom, ending at the customers.

    Build one with :func:`valuechain.load`. A chain is read-only: change the
    tables and load again, or use a what-if scenario.

    Attributes
    ----------
    parties : pandas.DataFrame
        One row per party: ``id``, ``name``, ``kind``, ``group``, ``primary``,
        ``headcount``/``cost`` when given, then every other column; the index is
        the row in the user's file.
    handoffs : pandas.DataFrame
        One row per hand-off: ``source``, ``target``, ``deliverable``,
        ``essential``, then every other column; the index is the file's row.
    customers : list of str
        The external customers, sorted.
    warnings : list of Problem
        What was odd in the input but kept (self hand-offs, repeated rows...).
    log : LogFindings or None
        For a chain built from an event log (:func:`valuechain.from_log`):
        ping-pong pairs, the slowest hand-offs, cases that never reach an outcome.

    Examples
    --------
    >>> import pandas as pd
    >>> import valuechain as vc
    >>> chain = vc.load(pd.DataFrame({"source": ["kitchen", "floor"], "target": ["floor", "diners"]}),
    ...                 customers=["diners"])
    >>> chain
    <Chain: 3 parties (2 teams), 2 hand-offs, customers: diners>
    >>> sorted(chain.graph.edges)
    [('floor', 'diners'), ('kitchen', 'floor')]
    """

    def __init__(
        self,
        parties: pd.DataFrame,
        handoffs: pd.DataFrame,
        customers: Iterable[str],
        warnings: Iterable[Problem] = (),
        *,
        positions: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.parties = parties
        self.handoffs = handoffs
        self.customers: list[str] = sorted(customers)
        self.warnings: list[Problem] = list(warnings)
        self._positions = positions
        self.log: LogFindings | None = None  # what an event log adds, for chains built by valuechain.from_log
        self.decisions: Decisions | None = None  # review decisions (valuechain.decisions), when given
        self.as_of: dt.date | str | None = None  # the day that decides what is overdue (None: today)

    def __repr__(self) -> str:
        teams = int(self.arrays.is_team.sum())
        return (
            f"<Chain: {len(self.parties)} parties ({teams} teams), {len(self.handoffs)} hand-offs, "
            f"customers: {', '.join(self.customers)}>"
        )

    def _repr_html_(self) -> str:
        from valuechain.display import summary_html
        from valuechain.vocabulary import FACTS

        found = self.analyze()
        s = found.summary
        facts: list[tuple[str, object]] = [
            ("External customers", ", ".join(self.customers)),
            (FACTS["parties"].label, f"{s.parties:,} ({s.teams:,} teams)"),
            (FACTS["handoffs"].label, f"{len(self.handoffs):,} rows, {s.handoffs:,} distinct pairs"),
            (FACTS["connected"].label, f"{s.connected:,} of {s.teams:,}"),
            *((FACTS[key].label, s[key]) for key in ("orphans", "loops", "mutual_pairs", "single_points_of_failure")),
            ("Warnings in the input", len(self.warnings)),
        ]
        return summary_html("valuechain.Chain", facts, [("Orphans", found.orphans)])

    @cached_property
    def arrays(self) -> ChainArrays:
        """The integer-array form the analysis runs on (built once)."""
        ids = self.parties["id"].to_numpy(dtype=object)
        if self._positions is None:
            self._positions = index_of_pair(self.handoffs["source"], self.handoffs["target"], ids)
        src, dst = self._positions
        if (src < 0).any() or (dst < 0).any():
            raise ValueError("a hand-off names a party that is not in the parties table")
        n = len(ids)
        # One sort of the pair keys, each with its "not essential" bit below it: a pair's first entry says
        # whether any of its hand-offs is essential.
        keyed = np.sort((src * n + dst) * 2 + ~self.handoffs["essential"].to_numpy(dtype=bool))
        first = np.ones(len(keyed), dtype=bool)
        np.not_equal(keyed[1:] >> 1, keyed[:-1] >> 1, out=first[1:])
        pairs, essential = keyed[first] >> 1, (keyed[first] & 1) == 0
        kind_code, kinds = pd.factorize(self.parties["kind"])
        is_customer = index_of(self.parties["id"], pd.Series(self.customers, dtype=str)) >= 0
        is_kind = {k: kind_code == i for i, k in enumerate(kinds)}
        no = np.zeros(len(ids), dtype=bool)
        return ChainArrays(
            ids=ids,
            is_customer=is_customer,
            is_team=is_kind.get("team", no) & ~is_customer,
            is_outside=np.isin(kind_code, [i for i, k in enumerate(kinds) if k in OUTSIDE_KINDS]),
            row_source=src,
            row_target=dst,
            edge_source=pairs // n,
            edge_target=pairs % n,
            edge_essential=essential,
        )

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The chain as a :class:`networkx.DiGraph`, built on first use.

        Nodes carry every party column (missing values left out),
        ``customer`` and ``row`` (the parties file's row); each edge, one per ordered pair, carries ``essential``
        (any of its hand-offs is), ``deliverables`` (the non-empty ones, in file
        order) and ``handoffs``: every row's attributes, with its ``row``.
        """
        import networkx as nx

        g = nx.DiGraph(customers=list(self.customers))
        customers = set(self.customers)
        columns = [c for c in self.parties.columns if c != "id"]
        rows = self.parties.index
        for party, row, values in zip(
            self.parties["id"], rows, self.parties[columns].itertuples(index=False, name=None)
        ):
            attrs = {c: or_none(v) for c, v in zip(columns, values) if not is_missing(v)}
            attrs["customer"] = party in customers
            attrs["row"] = int(row)
            g.add_node(party, **attrs)
        columns = [c for c in self.handoffs.columns if c not in ("source", "target")]
        for row, source, target, values in zip(
            self.handoffs.index,
            self.handoffs["source"],
            self.handoffs["target"],
            self.handoffs[columns].itertuples(index=False, name=None),
        ):
            attrs = {c: or_none(v) for c, v in zip(columns, values) if not is_missing(v)}
            attrs["row"] = int(row)
            if g.has_edge(source, target):
                data = g.edges[source, target]
                data["essential"] = data["essential"] or attrs["essential"]
            else:
                g.add_edge(source, target, essential=attrs["essential"], deliverables=[], handoffs=[])
                data = g.edges[source, target]
            data["handoffs"].append(attrs)
            if attrs.get("deliverable") and attrs["deliverable"] not in data["deliverables"]:
                data["deliverables"].append(attrs["deliverable"])
        return g

    def analyze(self, *, as_of: dt.date | str | None = None) -> Findings:
        """Every finding (docs/FINDINGS.md): orphans and why, loops, mutual pairs, distances,
        single points of failure, and per-customer reach (computed once, then cached).

        With decisions (``load(..., decisions=...)``), each finding carries its decision and the summary
        counts what is decided, accepted, overdue (``due`` before ``as_of``, default the chain's ``as_of``,
        else today) and undecided.

        Returns
        -------
        Findings

        Examples
        --------
        >>> import valuechain as vc
        >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
        >>> found = chain.analyze()
        >>> found.orphans["id"].tolist(), found.summary["single_points_of_failure"]
        (['marketing'], 2)
        """
        if "_findings" not in self.__dict__:
            from valuechain.analysis import analyze

            self.__dict__["_findings"] = analyze(self)
        found: Findings = self.__dict__["_findings"]
        if self.decisions is not None:
            from valuechain.decisions import _as_of, review

            day = _as_of(as_of if as_of is not None else self.as_of)
            cached = self.__dict__.get("_reviewed")
            if cached is None or cached[0] is not self.decisions or cached[1] != day:
                cached = (self.decisions, day, review(found, self.decisions, day))
                self.__dict__["_reviewed"] = cached
            return cached[2]
        return found

    def with_decisions(
        self,
        decisions: TableSource | Decisions,
        *,
        as_of: dt.date | str | None = None,
        previous: Chain | Iterable[str] | None = None,
        columns: dict[str, str] | None = None,
    ) -> Chain:
        """This chain with review decisions (a decisions file or table, :mod:`valuechain.decisions`).

        ``previous``: the org's previous version (or its party ids), the one the decisions were taken on: a
        decision may name its ids (its status is then ``party_removed``), and two rows on one loop of this org
        may be loops decided apart that have merged since (both stay open on it; without ``previous`` they are
        refused as a duplicate). The findings are not computed again.

        Raises
        ------
        InputError
            With every problem of the decisions file.

        Examples
        --------
        >>> import valuechain as vc
        >>> before = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
        >>> after = vc.load("data/midsize-reorganised/handoffs.csv", parties="data/midsize-reorganised/parties.csv")
        >>> reviewed = after.with_decisions("data/midsize/decisions.csv", previous=before, as_of="2026-07-01")
        >>> summary = reviewed.analyze().summary
        >>> summary["accepted"], summary["overdue"], summary["undecided"]
        (2, 1, 51)
        """
        import copy

        from valuechain.decisions import read_decisions, same_loop_rows
        from valuechain.vocabulary import Finding

        if previous is None:
            older = None
        elif isinstance(previous, Chain):
            older = previous.parties["id"].tolist()
        else:
            older = [str(i) for i in previous]
        read = read_decisions(decisions, self.parties["id"].tolist(), previous=older, columns=columns)
        # two rows naming parts of one loop of this org decide it twice; with a previous version the loops they
        # named may have merged since (both decisions then stay open on the merged loop)
        if previous is None and (read.table["finding"] == Finding.LOOP.value).sum() > 1:
            same = same_loop_rows(self.analyze(), read)
            if same:
                raise InputError(same)
        chain = copy.copy(self)
        chain.__dict__.pop("_reviewed", None)
        chain.decisions, chain.as_of = read, as_of if as_of is not None else self.as_of
        return chain

    def whatif(
        self,
        remove: Iterable[str] = (),
        *,
        remove_handoffs: Iterable[tuple[str, str]] = (),
        add_handoffs: Iterable[tuple[str, str]] = (),
    ) -> Scenario:
        """Remove parties or hand-offs (``(source, target)`` pairs), add hand-offs, and compare.

        See :func:`valuechain.scenarios.whatif.whatif`.

        Examples
        --------
        >>> import valuechain as vc
        >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
        >>> chain.whatif(remove=["finance"]).changes.new_orphans["id"].tolist()
        ['warranty']
        """
        from valuechain.scenarios.whatif import whatif

        return whatif(self, remove=remove, remove_handoffs=remove_handoffs, add_handoffs=add_handoffs)

    def rank(self) -> Ranking:
        """How many teams hang on each party and each hand-off alone (:func:`valuechain.scenarios.whatif.rank`).

        Examples
        --------
        >>> import valuechain as vc
        >>> vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv").rank()
        <Ranking: 2 parties and 4 hand-offs that teams hang on; most: repair-agents (3 teams)>
        """
        from valuechain.scenarios.whatif import rank

        return rank(self)

    def plot(
        self,
        *,
        focus: str | None = None,
        loop: int | str | None = None,
        department: str | None = None,
        expand: str | None = None,
        max_parties: int = 2000,
        labels: bool | None = None,
    ) -> go.Figure:
        """The chain as a Plotly figure, customers on the right (:func:`valuechain.plot.chain_figure`).

        ``focus`` draws one party's paths to the customer on top (an id, or a
        party's exact name), ``loop`` one loop (its number or a member),
        ``department`` one group's parties; above ``max_parties`` the figure
        shows departments (or distance layers), ``expand`` draws one of them
        party by party. ``labels`` writes names beside the markers: by default
        every party's name up to 150 parties, never overlapping, and above that
        the 40 that matter most (orphans, the largest single points of failure,
        customers).

        Examples
        --------
        >>> import valuechain as vc
        >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
        >>> fig = chain.plot(loop="finance")
        >>> fig.layout.title.subtitle.text
        'Loop 0: 4 parties that each depend on the others; it reaches the customer.'
        """
        from valuechain.plot import chain_figure

        return chain_figure(
            self, focus=focus, loop=loop, department=department, expand=expand, max_parties=max_parties, labels=labels
        )

    def diff(self, other: Chain) -> Diff:
        """Compare this version of the org with ``other`` (the newer one): :func:`valuechain.scenarios.diff.diff`.

        Examples
        --------
        >>> import valuechain as vc
        >>> before = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
        >>> after = vc.load("data/midsize-reorganised/handoffs.csv", parties="data/midsize-reorganised/parties.csv")
        >>> len(before.diff(after).changes.resolved_orphans)
        12
        """
        from valuechain.scenarios.diff import diff

        return diff(self, other)

    def rollup(self, by: str = "group") -> Rollup:
        """The findings by department: :func:`valuechain.scenarios.rollup.rollup`.

        Examples
        --------
        >>> import valuechain as vc
        >>> vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv").rollup()
        <Rollup: 4 departments, 1 with no line of sight, 0 mutual pairs, 1 loop>
        """
        from valuechain.scenarios.rollup import rollup

        return rollup(self, by=by)

    def report(self, path: str | Path, *, previous: Chain | None = None, title: str | None = None) -> Path:
        """Write the leaders' report, format by extension (.html, .pdf, .md, .xlsx, .csv):
        :func:`valuechain.report.write`.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> import valuechain as vc
        >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
        >>> written = chain.report(Path(tempfile.mkdtemp()) / "report.md")
        >>> written.name, written.read_text(encoding="utf-8").startswith("# Value chain report")
        ('report.md', True)
        """
        from valuechain.report import write

        return write(self, path, previous=previous, title=title)

    def brief(self, path: str | Path, *, previous: Chain | None = None, title: str | None = None) -> Path:
        """Write the one-page brief a leader reads, format by extension (.html, .pdf, .png):
        :func:`valuechain.report.brief.write`.

        One landscape A4 page: the headline, the chain, and at most seven things to decide, largest first; with
        ``previous`` (an earlier version of the org), what improved and what got worse. PDF and PNG need Chromium
        (:class:`~valuechain.exceptions.ToolMissing` says so where there is none).

        Examples
        --------
        >>> import valuechain as vc
        >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
        >>> chain.brief("brief.pdf")  # doctest: +SKIP
        PosixPath('brief.pdf')
        """
        from valuechain.report.brief import write

        return write(self, path, previous=previous, title=title)

    def export(self, path: str | Path) -> Path:
        """Write the chain as GraphML, GEXF or node-link JSON, by extension: :func:`valuechain.export.export`.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> import networkx as nx
        >>> import valuechain as vc
        >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
        >>> graph = nx.read_graphml(chain.export(Path(tempfile.mkdtemp()) / "phone-repair.graphml"))
        >>> graph.number_of_nodes() == len(chain.parties)
        True
        """
        from valuechain.export import export

        return export(self, path)

    @property
    def primary_customers(self) -> list[str]:
        """The customers marked ``primary`` in the parties table.

        Examples
        --------
        >>> import pandas as pd
        >>> import valuechain as vc
        >>> parties = pd.DataFrame({"id": ["shop", "buyers", "resellers"], "primary": [False, True, False],
        ...                         "kind": ["team", "external_customer", "external_customer"]})
        >>> handoffs = pd.DataFrame({"source": ["shop", "shop"], "target": ["buyers", "resellers"]})
        >>> vc.load(handoffs, parties=parties).primary_customers
        ['buyers']
        """
        marked = self.parties.loc[self.parties["primary"].astype(bool), "id"]
        return sorted(set(marked) & set(self.customers))


# --- loading -------------------------------------------------------------------------------


def load(
    handoffs: TableSource,
    parties: TableSource | None = None,
    *,
    customers: Iterable[str] | None = None,
    primary: Iterable[str] | None = None,
    columns: dict[str, str] | None = None,
    decisions: TableSource | Decisions | None = None,
    as_of: dt.date | str | None = None,
    outcomes: Iterable[str] | None = None,
) -> Chain:
    """Read an organisation's hand-offs (and parties) and build its value chain.

    Parameters
    ----------
    handoffs : path or DataFrame
        The hand-offs table: CSV (comma, semicolon or tab), an ``.xlsx``
        workbook (its ``handoffs`` sheet, else its first sheet) or a DataFrame;
        or a whole org as a graph file (``.graphml``, ``.gexf``, node-link
        ``.json``), nodes as parties and edges as hand-offs; or a BPMN 2.0
        process model (``.bpmn``, or ``.xml`` holding one), or a list of them
        read as one org (:mod:`valuechain.io.bpmn`: lanes and pools as parties,
        flows that cross them as hand-offs).
    parties : path or DataFrame, optional
        The parties table. Without it, parties come from a ``parties`` sheet of
        the hand-offs workbook, or else are inferred from the hand-offs as teams.
        Beside process models, it overrides their parties' name, kind, group,
        headcount and cost by id.
    customers : list of str, optional
        The external customers' ids; they replace the parties of kind
        ``external_customer``.
    primary : list of str, optional
        The primary customer segment(s); they replace the ``primary`` column.
    columns : dict, optional
        Which header holds which field, where the headers are not ones
        valuechain knows: ``{"source": "From team", "id": "Team code"}``
        (fields of either table: source, target, deliverable, essential, id,
        name, kind, group, primary, headcount, cost; and the decisions file's finding, decision, owner,
        due, note; its id too, where it has the header chosen for the parties' id).
    decisions : path or DataFrame, optional
        Review decisions (CSV or an Excel sheet ``decisions``, :mod:`valuechain.decisions`): the findings
        of :meth:`Chain.analyze` then carry them.
    as_of : date or ISO text, optional
        The day that decides which decisions are overdue (default: today).
    outcomes : list of str, optional
        Process models only: names of end events that reach the customer; the
        party of each hands off to the customer (``customer``, or the one id in
        ``customers``).

    Returns
    -------
    Chain

    Raises
    ------
    InputError
        With every problem found (file, row, column, message, hint).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> chain.customers
    ['diners']
    >>> vc.load("data/order-to-cash/order-to-cash.bpmn", outcomes=["Order paid"]).customers
    ['customer']
    """
    for given, what in ((handoffs, "handoffs"), (parties, "parties")):
        if isinstance(given, bytes | bytearray):
            hint = "give a path as text or a Path, an open file, or a DataFrame"
            raise InputError([Problem.error(what, f"the {what} are given as bytes", hint, code="bad_option")])
    models = _models(handoffs)
    if models is not None:
        return _load_models(models, parties, customers=customers, outcomes=outcomes, primary=primary,
                            columns=columns, decisions=decisions, as_of=as_of)  # fmt: skip
    if outcomes is not None:
        hint = "outcomes name end events of a process model (.bpmn); for an event log use valuechain.from_log"
        raise InputError([Problem.error("outcomes", "outcomes are read only with process models", hint,
                                        code="bad_option")])  # fmt: skip
    if parties is None and not isinstance(handoffs, pd.DataFrame | RawTable):
        sheets = {sheet_key(s) for s in workbook_sheets(handoffs)}
        if "parties" in sheets and "handoffs" in sheets:
            parties = handoffs
    from valuechain.io.columns import HANDOFF_FIELDS, PARTY_FIELDS
    from valuechain.io.graphs import is_graph_file, read_graph

    if parties is None and is_graph_file(handoffs):
        graph_handoffs, graph_parties, flagged = read_graph(handoffs)
        return load(
            graph_handoffs,
            parties=graph_parties,
            customers=customers if customers is not None else flagged,
            primary=primary,
            columns=columns,
            decisions=decisions,
            as_of=as_of,
        )
    columns = dict(columns or {})
    for_decisions = decision_columns(columns)
    columns = {k: v for k, v in columns.items() if k not in DECISION_ONLY}
    unknown = sorted(set(columns) - set(HANDOFF_FIELDS) - set(PARTY_FIELDS))
    if unknown:
        fields = ", ".join([*HANDOFF_FIELDS, *PARTY_FIELDS, *DECISION_ONLY])
        raise InputError(
            [
                Problem.error("columns", f"unknown field '{f}'", f"the fields are {fields}", code="bad_option")
                for f in unknown
            ]
        )
    unused = [] if parties is not None else [f for f in columns if f in PARTY_FIELDS]
    jobs = [(handoffs, "handoffs", parse_handoffs, {k: v for k, v in columns.items() if k in HANDOFF_FIELDS})]
    if parties is not None:
        jobs.append((parties, "parties", parse_parties, {k: v for k, v in columns.items() if k in PARTY_FIELDS}))
    if len(jobs) == 2 and parties is not handoffs:
        # the two files are read and checked side by side (Arrow and pandas release the GIL for much of it)
        with ThreadPoolExecutor(2) as pool:
            done = list(pool.map(lambda job: _read_and_parse(*job), jobs))
    else:
        done = [_read_and_parse(*job) for job in jobs]
    problems = [p for _, _, found, _ in done for p in found]
    raw_handoffs, table, _, handoff_columns = done[0]
    raw_parties, party_table, party_problems, _ = done[1] if len(done) > 1 else (None, None, [], {})
    party_label = raw_parties.label if raw_parties is not None else "parties"
    if (
        table is None
        or "source" not in table.columns
        or (parties is not None and (party_table is None or "id" not in party_table.columns))
    ):
        raise InputError(problems)  # a file is unreadable or lacks a required column: nothing more to check
    assert raw_handoffs is not None  # read, since its table is
    if party_table is None:
        if any(p.severity == "error" for p in problems):
            raise InputError(problems)
        party_table, src, dst = _inferred_parties(table)
    else:
        from valuechain.io.columns import match_columns

        src, dst = index_of_pair(table["source"], table["target"], party_table["id"])
        named = match_columns(raw_handoffs, HANDOFF_FIELDS, (), handoff_columns)[0]  # headers as in the file
        problems += check_references(table, src, dst, party_table, (raw_handoffs.label, party_label), named)
    known = (src >= 0) & (dst >= 0)
    if known.all():
        problems += repeated_handoffs(table, src, dst, raw_handoffs.label)
    else:
        problems += repeated_handoffs(table[known], src[known], dst[known], raw_handoffs.label)
    problems.sort(key=lambda p: (p.file != raw_handoffs.label, p.row or 0))
    chosen: list[str] = []
    if not any(p.severity == "error" for p in party_problems):
        chosen, customer_problems = resolve_customers(
            party_table, src[known], dst[known], customers, party_label, inferred=parties is None
        )
        problems += customer_problems
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    if primary is not None:
        given = pd.Series([primary] if isinstance(primary, str) else list(primary), dtype=object)
        marked = list(dict.fromkeys(clean_ids(given).tolist()))  # trimmed and NFC, as the ids in the files
        strays = [p for p in marked if p not in chosen]
        if strays:
            hint = f"the customers are {', '.join(chosen)}"
            raise InputError(
                [
                    Problem.error("primary", f"'{p}' is not one of the customers", hint, code="bad_customer")
                    for p in strays
                ]
            )
        party_table = party_table.assign(primary=party_table["id"].isin(marked).to_numpy())
    if parties is None and customers is not None:
        party_table.loc[party_table["id"].isin(chosen), "kind"] = "external_customer"
    for field in unused:
        message = f"'{field}' is mapped to the column '{shown(columns[field])}', but there is no parties table to read"
        hint = "give the parties table (--parties, parties=), or leave the mapping out"
        problems.append(Problem.warning("columns", message, hint, code="bad_option"))
    chain = Chain(party_table, table, chosen, problems, positions=(src, dst))
    if decisions is not None:
        chain = chain.with_decisions(decisions, as_of=as_of, columns=for_decisions)
    elif as_of is not None:
        chain.as_of = as_of
    return chain


def _models(handoffs: object) -> list | None:
    """The process models to read, when ``handoffs`` is one (``.bpmn``, or ``.xml`` holding BPMN) or a list of
    them; None for any other input. A list is read only as process models: anything else in it is refused, and
    so is an ``.xml`` file that is neither a process model nor a graph file (GraphML, GEXF)."""
    from valuechain.io.bpmn import is_bpmn_file, readable_head, xml_root
    from valuechain.io.graphs import is_graph_file

    if isinstance(handoffs, list | tuple):
        if not handoffs:
            raise InputError([Problem.error("handoffs", "no file is given", "give a hand-offs table or process "
                                            "models", code="bad_option")])  # fmt: skip
        others = [h for h in handoffs if not is_bpmn_file(h)]
        if others:
            hint = (
                "a list of files is read only as process models (.bpmn); give a hand-offs table or a graph file "
                "on its own, not in a list"
            )
            problems = [
                Problem.error(_file_name(other) or "handoffs", "not a BPMN 2.0 process model", hint, code="bad_option")
                for other in others
            ]
            raise InputError(problems)
        return list(handoffs)
    if is_bpmn_file(handoffs):
        return [handoffs]
    readable = _file_name(handoffs).lower().endswith(".xml") and readable_head(handoffs)
    if readable and not is_graph_file(handoffs):  # (one that cannot be read is the table reader's to name)
        root = xml_root(handoffs)
        found = f"its first element is <{shown(root, 40)}>" if root else "it holds no XML element"
        message = f"an .xml file is read as a BPMN 2.0 process model or a GraphML or GEXF graph, and {found}"
        hint = "export the process model as BPMN 2.0 XML, or the graph as GraphML; a table is read as CSV or Excel"
        raise InputError([Problem.error(_file_name(handoffs), message, hint, code="bad_option")])
    return None


def _file_name(source: object) -> str:
    """A path's or an upload's file name as messages show it ('' for a table given as data)."""
    if isinstance(source, pd.DataFrame | RawTable):
        return ""
    name = source if isinstance(source, str | Path) else getattr(source, "name", "")
    return shown(Path(str(name)).name) if isinstance(name, str | Path) and str(name) else ""


def _load_models(
    models: list,
    parties: TableSource | None,
    *,
    customers: Iterable[str] | None,
    outcomes: Iterable[str] | None,
    primary: Iterable[str] | None,
    columns: dict[str, str] | None,
    decisions: TableSource | Decisions | None,
    as_of: dt.date | str | None,
) -> Chain:
    """:func:`load` for process models: read them by the rule, a parties table beside them overriding by id."""
    from valuechain.io.bpmn import point_at_models, read_models
    from valuechain.io.columns import PARTY_FIELDS, match_columns

    table, label = None, "parties"
    unread = [f for f in columns or {} if f not in PARTY_FIELDS or parties is None]
    if parties is not None:
        party_columns = {k: v for k, v in (columns or {}).items() if k in PARTY_FIELDS}
        raw, table, found, chosen_headers = _read_and_parse(parties, "parties", parse_parties, party_columns)
        if raw is None or table is None or any(p.severity == "error" for p in found):
            raise InputError(found)
        label = raw.label
        kind = match_columns(raw, PARTY_FIELDS, (), chosen_headers)[0].get("kind")
        written = raw.frame[kind].fillna("").astype(str).str.strip() != "" if kind else None
        # a blank kind keeps the model's (a black-box pool stays an outside party); parsing made it a team
        table = table.assign(kind=table["kind"].where(written, None) if written is not None else None)
    handoffs, party_table, chosen, origins = read_models(
        models, customers=customers, outcomes=outcomes, parties=table, parties_label=label
    )
    if parties is not None:
        handoffs.problems.extend(found)  # the parties table's warnings
    for field in unread:
        assert columns is not None  # fields come from it
        message = f"'{field}' is mapped to the column '{shown(columns[field])}', but a process model has no columns"
        hint = "leave the mapping out (a parties table given beside the model is mapped by its party fields)"
        handoffs.problems.append(Problem.warning("columns", message, hint, code="bad_option"))
    try:
        chain = load(handoffs, parties=party_table, customers=chosen, primary=primary, decisions=decisions,
                     as_of=as_of)  # fmt: skip
    except InputError as err:
        raise InputError(point_at_models(err.problems, handoffs, party_table, origins)) from None
    chain.warnings = point_at_models(chain.warnings, handoffs, party_table, origins)
    return chain


#: The fields of a decisions file that ``columns`` may map (``id`` is the parties table's).
DECISION_ONLY = ("finding", "decision", "owner", "due", "note")


def decision_columns(columns: dict[str, str]) -> dict[str, str]:
    """The part of a ``columns`` mapping a decisions file reads: its own fields, and ``id`` (used where the
    decisions file has that header, :func:`valuechain.decisions.read_decisions`).

    Examples
    --------
    >>> decision_columns({"id": "Team code", "source": "From", "decision": "Action"})
    {'id': 'Team code', 'decision': 'Action'}
    """
    return {k: v for k, v in columns.items() if k in DECISION_ONLY or k == "id"}


def _read_and_parse(
    source: TableSource,
    table: str,
    parse: Callable[[RawTable, dict[str, str]], tuple[pd.DataFrame, list[Problem]]],
    columns: dict[str, str],
) -> tuple[RawTable | None, pd.DataFrame | None, list[Problem], dict[str, str]]:
    """(raw table, validated table, problems, the headers chosen per field); the tables are None when the
    file cannot be read. Chosen headers are matched as in the file, else ignoring case and punctuation."""
    from valuechain.io.columns import resolve_mapping

    try:
        raw = read_table(source, table)
        chosen = resolve_mapping(raw, columns) if columns else {}
    except InputError as err:
        return None, None, err.problems, {}
    frame, problems = parse(raw, chosen)
    return raw, frame, problems, chosen


def _inferred_parties(handoffs: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Every id the hand-offs name, as a team, in order of first mention; and the rows' positions."""
    ids, src, dst = first_mentions(handoffs["source"], handoffs["target"])
    table = pd.DataFrame(
        {"id": ids, "name": ids, "kind": "team", "group": None, "primary": False},
        index=pd.RangeIndex(len(ids), name="row"),
    )
    table = table.astype({"id": str, "name": str, "kind": str})
    return table, src, dst


def resolve_customers(
    parties: pd.DataFrame,
    source: np.ndarray,
    target: np.ndarray,
    customers: Iterable[str] | None,
    label: str,
    *,
    inferred: bool = False,
) -> tuple[list[str], list[Problem]]:
    """The customer ids, from ``customers`` if given, else the parties of kind ``external_customer``.

    ``source`` and ``target`` are the hand-offs' party positions.

    Returns
    -------
    customers : list of str
    problems : list of Problem
        An unknown id (with the closest one), an outside party named as a
        customer, or no customer at all (naming the candidate sinks).

    Examples
    --------
    >>> parties = pd.DataFrame({"id": ["kitchen", "diners"], "kind": ["team", "external_customer"]})
    >>> resolve_customers(parties, np.array([0]), np.array([1]), None, "parties.csv")
    (['diners'], [])
    >>> resolve_customers(parties, np.array([0]), np.array([1]), ["diner"], "parties.csv")[1][0].hint
    "did you mean 'diners'?"
    """
    problems: list[Problem] = []
    kinds = parties["kind"].to_numpy(dtype=object)
    if customers is not None:
        if isinstance(customers, str):
            customers = [customers]
        chosen = list(dict.fromkeys(clean_ids(pd.Series(list(customers), dtype=object)).tolist()))
        where = index_of(pd.Series(chosen, dtype=object), parties["id"])
        for party, at in zip(chosen, where):
            if at < 0:
                guess = closest(party, parties["id"].tolist())
                hint = f"did you mean '{guess[0]}'?" if guess else "name a party from the files"
                problems.append(
                    Problem.error("customers", f"the customer '{party}' is not a party", hint, code="bad_customer")
                )
            elif kinds[at] in OUTSIDE_KINDS:
                message = f"'{party}' is a {kinds[at].replace('_', ' ')}, and outside parties are never customers"
                problems.append(
                    Problem.error("customers", message, "name the external customer instead", code="bad_customer")
                )
    else:
        chosen = parties.loc[(parties["kind"] == "external_customer").to_numpy(dtype=bool), "id"].tolist()
    if not chosen and not problems:
        sends = np.zeros(len(parties), dtype=bool)
        sends[source[source != target]] = True
        sinks = parties["id"].to_numpy(dtype=object)[~sends & ~np.isin(kinds, list(OUTSIDE_KINDS))].tolist()
        listed = ", ".join(f"'{s}'" for s in sinks[:10]) + (f" and {len(sinks) - 10} more" if len(sinks) > 10 else "")
        why = "the hand-offs name no parties table" if inferred else f"no party in {label} has kind external_customer"
        hint = (
            "name the customer with --customer ID (customers=[...] in Python)"
            + ("" if inferred else ", or set its kind to external_customer")
            + (f"; parties that deliver to nobody: {listed}" if sinks else "")
        )
        problems.append(Problem.error(label, f"no external customer: {why}", hint, code="no_customer"))
    return sorted(chosen), problems
