"""The findings: orphans and why, loops, mutual pairs, distances, single points of failure.

Definitions are in docs/FINDINGS.md. Two edge sets:

* **all**: every distinct ordered pair except self hand-offs and edges that
  start at a customer;
* **essential**: the edges of **all** with at least one essential hand-off.

Every finding is computed on integer arrays in time linear in the graph (a
reverse breadth-first search from the customers, strong components, one
dominator tree); see :mod:`valuechain.algorithms`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from valuechain._version import __version__
from valuechain.algorithms import (
    Reversed,
    immediate_dominators,
    strong_components,
    subtree_sums,
    two_way_pairs,
)
from valuechain.exceptions import PartyNotFound
from valuechain.io.ids import arrow, sort_rank
from valuechain.jsonable import PartyMap, number
from valuechain.vocabulary import FACTS, Reason, counted

if TYPE_CHECKING:
    from valuechain.decisions import Review
    from valuechain.model import Chain, ChainArrays

#: Orphan reasons' codes, in the order they are tried (:class:`valuechain.vocabulary.Reason` has their words).
REASONS = tuple(Reason)

#: Ids, each id's position, the dominator tree's children in CSR form (children, starts), which parties are teams.
DominatorTree = tuple[np.ndarray, dict[str, int], np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Summary(Mapping[str, int | float]):
    """The counts of a :class:`Findings`, as attributes and as the JSON contract's ``summary`` mapping.

    It reads like the dict it replaces (``summary["orphans"]``, ``dict(summary)``, ``summary.items()``).
    ``parties`` counts every party (customers and outside parties too), ``teams`` those of kind ``team``,
    ``handoffs`` the distinct ordered pairs the findings use (self hand-offs and hand-offs that start at a
    customer left out: a file's rows can be more), ``connected`` and ``orphans`` count teams with and without
    a line of sight. The headcount and cost totals are keys only when the parties table gives them (their
    attributes are then ``None``); so are ``decided``, ``accepted``, ``overdue`` and ``undecided``, keys
    only when decisions are given (:mod:`valuechain.decisions`). :data:`valuechain.vocabulary.FACTS` has
    each count's words and docs/FINDINGS.md the exact definitions.

    Examples
    --------
    >>> import valuechain as vc
    >>> s = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv").analyze().summary
    >>> s.orphans, s["orphans"], "orphan_cost" in s
    (2, 2, False)
    >>> list(s)[:4]
    ['parties', 'teams', 'handoffs', 'connected']
    """

    parties: int
    teams: int
    handoffs: int
    connected: int
    orphans: int
    loops: int
    mutual_pairs: int
    single_points_of_failure: int
    orphan_headcount: int | float | None = None
    total_headcount: int | float | None = None
    orphan_cost: int | float | None = None
    total_cost: int | float | None = None
    decided: int | float | None = None
    accepted: int | float | None = None
    overdue: int | float | None = None
    undecided: int | float | None = None

    def __getitem__(self, key: str) -> int | float:
        value = getattr(self, key, None) if key in _SUMMARY_KEYS else None
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return (key for key in _SUMMARY_KEYS if getattr(self, key) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"Summary({dict(self)})"


_SUMMARY_KEYS = tuple(f.name for f in fields(Summary))


@dataclass(frozen=True)
class EdgeSets:
    """The two edge sets the findings use, as index arrays into the parties."""

    n: int
    source: np.ndarray  # all
    target: np.ndarray
    essential: np.ndarray  # mask over all

    @classmethod
    def of(cls, chain: Chain) -> EdgeSets:
        a = chain.arrays
        keep = (a.edge_source != a.edge_target) & ~a.is_customer[a.edge_source]
        return cls(a.n, a.edge_source[keep], a.edge_target[keep], a.edge_essential[keep])


class _DictOnRead:
    """How :class:`Findings` keeps ``distance`` and ``reaches``: given a :class:`~valuechain.jsonable.PartyMap`,
    read as a dict.

    The analysis gives them as PartyMaps (arrays: a million entries in a large
    org). The first read builds the dict and keeps it, so ``found.distance`` is an
    ordinary dict (:func:`json.dumps`, pandas and ``isinstance(..., dict)`` take it);
    until then ``Findings.to_dict(plain_maps=False)`` hands the PartyMap to
    :func:`~valuechain.jsonable.to_json`, which writes it without building the dict.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, found: Findings | None, owner: type | None = None) -> Any:
        if found is None:
            return self
        value = found.__dict__[self.name]
        if isinstance(value, PartyMap):
            value = found.__dict__[self.name] = dict(value)
        return value

    def __set__(self, found: Findings, value: Any) -> None:
        found.__dict__[self.name] = value


@dataclass
class Findings:
    """What :meth:`Chain.analyze` finds. DataFrames for tables, plain values for the rest.

    Attributes
    ----------
    summary : Summary
        Counts, as in the JSON contract's ``summary`` (read as attributes or by key).
    orphans : pandas.DataFrame
        ``id``, ``name``, ``group``, ``reason`` (and ``headcount``/``cost`` when
        given), sorted by id.
    loops : pandas.DataFrame
        ``members`` (sorted list), ``size``, ``connected``; largest first.
    mutual_pairs : pandas.DataFrame
        ``a``, ``b`` with ``a < b``, sorted.
    single_points_of_failure : pandas.DataFrame
        ``id``, ``name``, ``dependents``; most dependents first.
    distance : dict
        Hops along essential hand-offs to the nearest customer, per connected party
        (built from arrays on first read).
    reaches : dict or None
        With several customers: each connected team's sorted customers (built on first read).
    non_primary_only : list or None
        With a primary customer: the connected teams that reach only other customers.
    parties : pandas.DataFrame
        One row per party with its status: ``connected``, ``distance``,
        ``reason`` (orphans), ``loop`` (row of ``loops``), ``dependents``.

    Examples
    --------
    >>> import valuechain as vc
    >>> found = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv").analyze()
    >>> found.summary["connected"], found.summary["teams"], found.orphans["reason"].tolist()
    (5, 7, ['serves_outside_only', 'preference_only'])
    """

    customers: list[str]
    summary: Summary
    orphans: pd.DataFrame
    loops: pd.DataFrame
    mutual_pairs: pd.DataFrame
    single_points_of_failure: pd.DataFrame
    distance: Mapping[str, int]  # a dict when read (_DictOnRead, below the class)
    parties: pd.DataFrame
    reaches: Mapping[str, list[str]] | None = None  # a dict when read
    non_primary_only: list[str] | None = None
    dominator: np.ndarray | None = field(default=None, repr=False)
    review: Review | None = field(default=None, repr=False)
    _tree: DominatorTree | None = field(default=None, init=False, repr=False, compare=False)

    def hangs_on(self, party: str) -> list[str]:
        """The teams whose every essential path to the customer passes through ``party`` (sorted ids).

        Their number is ``party``'s ``dependents``; they are its descendants in
        the dominator tree.

        Examples
        --------
        >>> import valuechain as vc
        >>> found = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv").analyze()
        >>> found.hangs_on("kitchen")
        ['purchasing']
        """
        return sorted(self._below(party))

    def nearest_dependents(self, party: str, most: int) -> list[str]:
        """Up to ``most`` of the teams that hang on ``party``, nearest first (then by id).

        "Nearest" is by depth in the dominator tree: first the teams that hang
        on ``party`` directly, then those that hang on them. It stops once it
        has ``most``, so listing a few for every single point of failure costs
        little even where there are thousands, each carrying thousands.

        Examples
        --------
        >>> import valuechain as vc
        >>> found = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv").analyze()
        >>> found.nearest_dependents("floor", most=2)
        ['bar', 'dishwash']
        """
        return self._below(party, most)

    def _below(self, party: str, most: int | None = None) -> list[str]:
        """Teams below ``party`` in the dominator tree, level by level (ids sorted within a level)."""
        if self._tree is None:
            self._tree = self._dominator_tree()
        ids, position, children, starts, team = self._tree
        if party not in position:
            raise PartyNotFound(party, position)
        if self.dominator is None:
            return []
        found: list[str] = []
        frontier = np.array([position[party]])
        while len(frontier) and (most is None or len(found) < most):
            kids = np.concatenate([children[starts[f] : starts[f + 1]] for f in frontier.tolist()])
            found += sorted(ids[kids[team[kids]]].tolist())
            frontier = kids
        return found if most is None else found[:most]

    def _dominator_tree(self) -> DominatorTree:
        """Ids, the position of each, the dominator tree's children (CSR), and which parties are teams."""
        ids = self.parties["id"].to_numpy(dtype=object)
        position = {p: i for i, p in enumerate(ids.tolist())}
        parent = self.dominator if self.dominator is not None else np.full(len(ids), -1)
        children = np.argsort(parent, kind="stable")
        starts = np.searchsorted(parent[children], np.arange(len(parent) + 1))
        team = (self.parties["kind"].to_numpy(dtype=object) == "team") & ~np.isin(ids, self.customers)
        return ids, position, children, starts, team

    def __repr__(self) -> str:
        s = self.summary
        reach = "reaches" if s.connected == 1 else "reach"
        return (
            f"<Findings: {s.connected:,} of {counted(s.teams, 'team')} {reach} the customer; "
            f"{counted(s.orphans, 'orphan')}, {counted(s.loops, 'loop')}, {counted(s.mutual_pairs, 'mutual pair')}, "
            f"{counted(s.single_points_of_failure, 'single point', 'single points')} of failure>"
        )

    def _repr_html_(self) -> str:
        from valuechain.display import summary_html

        facts: list[tuple[str, object]] = [("Customers", ", ".join(self.customers))]
        facts += [(FACTS[key].label, FACTS[key].text(value)) for key, value in self.summary.items()]
        return summary_html(
            "valuechain.Findings",
            facts,
            [
                ("Orphans", self.orphans),
                ("Loops", self.loops),
                ("Mutual pairs", self.mutual_pairs),
                ("Single points of failure", self.single_points_of_failure),
            ],
        )

    def to_dict(self, *, plain_maps: bool = True) -> dict[str, Any]:
        """The findings as the JSON contract of ``valuechain analyze --format json``.

        With ``plain_maps=False`` the two maps that grow with the org (``distance``,
        ``reaches``), if not read yet, stay read-only mappings over arrays
        (:class:`~valuechain.jsonable.PartyMap`), which :func:`valuechain.jsonable.to_json`
        writes without building their dicts (a million parties: about a second
        less); :func:`json.dumps` needs the default.
        """
        stored = self.__dict__  # distance and reaches as given, not built by reading them (_DictOnRead)
        orphans = self.orphans
        groups = orphans["group"].astype(object).where(orphans["group"].notna(), None).tolist()
        out: dict[str, Any] = {
            "valuechain": __version__,
            "customers": list(self.customers),
            "summary": dict(self.summary),
            "orphans": [
                {"id": i, "name": name, "group": group, "reason": reason}
                for i, name, group, reason in zip(*_columns(orphans, "id", "name"), groups, orphans["reason"].tolist())
            ],
            "loops": [
                {"members": list(members), "connected": bool(connected)}
                for members, connected in zip(*_columns(self.loops, "members", "connected"))
            ],
            "mutual_pairs": [[a, b] for a, b in zip(*_columns(self.mutual_pairs, "a", "b"))],
            "single_points_of_failure": [
                {"id": i, "dependents": int(d)}
                for i, d in zip(*_columns(self.single_points_of_failure, "id", "dependents"))
            ],
            "distance": self.distance if plain_maps else stored["distance"],
        }
        if stored["reaches"] is not None:
            out["reaches"] = self.reaches if plain_maps else stored["reaches"]
        if self.non_primary_only is not None:
            out["non_primary_only"] = list(self.non_primary_only)
        if self.review is not None:
            self._add_decisions(out, self.review)
        return out

    @staticmethod
    def _add_decisions(out: dict[str, Any], review: Review) -> None:
        """Each finding's ``decision`` (None when undecided), pairs as objects, the ``decisions`` by status."""
        for item in out["orphans"]:
            item["decision"] = review.decision("orphan", [item["id"]])
        for item in out["loops"]:
            item["decision"] = review.decision("loop", item["members"])
        out["mutual_pairs"] = [
            {"members": list(pair), "decision": review.decision("mutual_pair", pair)} for pair in out["mutual_pairs"]
        ]
        for item in out["single_points_of_failure"]:
            item["decision"] = review.decision("single_point_of_failure", [item["id"]])
        out["decisions"] = review.to_dict()


# Installed once the dataclass is made (its __init__ then sets them through _DictOnRead, and a read gives a dict).
Findings.distance = _DictOnRead("distance")  # type: ignore[assignment]
Findings.reaches = _DictOnRead("reaches")  # type: ignore[assignment]


def analyze(chain: Chain) -> Findings:
    """Compute every finding of ``chain`` (use :meth:`Chain.analyze`, which caches it).

    Examples
    --------
    >>> import pandas as pd
    >>> import valuechain as vc
    >>> hand = pd.DataFrame({"source": ["kitchen", "floor", "archive"], "target": ["floor", "diners", "archive"]})
    >>> found = vc.load(hand, customers=["diners"]).analyze()
    >>> found.orphans[["id", "reason"]].to_dict("records")
    [{'id': 'archive', 'reason': 'dead_end'}]
    >>> found.distance
    {'diners': 0, 'floor': 1, 'kitchen': 2}
    """
    a = chain.arrays
    n = a.n
    edges = EdgeSets.of(chain)
    ess_s, ess_t = edges.source[edges.essential], edges.target[edges.essential]
    customers = np.flatnonzero(a.is_customer)

    back = Reversed(n, ess_s, ess_t)
    order, distance, parent = back.tree(customers)
    connected = distance >= 0

    labels, sizes = strong_components(n, edges.source, edges.target)
    reason = _orphan_reasons(a, edges, connected, customers, sizes[labels] >= 2)
    dependents, dominator = _dependents(n, ess_s, ess_t, customers, order, distance, parent, a.is_team)

    ids = a.ids
    arrow_ids = arrow(chain.parties["id"])
    by_name, rank = sort_rank(arrow_ids)
    parties = chain.parties
    status = pd.DataFrame(
        {
            "id": parties["id"].array,
            "name": parties["name"].array,
            "kind": parties["kind"].array,
            "group": parties["group"].array,
            "connected": connected,
            "distance": pd.arrays.IntegerArray(np.where(connected, distance, 0), ~connected),
            "reason": reason,
            "dependents": dependents,
        }
    )

    orphans = _orphan_table(parties, status, reason, rank)
    loops, loop_of = _loop_table(ids, rank, labels, sizes, connected)
    status["loop"] = pd.array(loop_of, dtype="Int64")
    status.loc[loop_of < 0, "loop"] = pd.NA
    pair_a, pair_b = two_way_pairs(n, edges.source, edges.target)
    first = np.where(rank[pair_a] < rank[pair_b], pair_a, pair_b)
    second = np.where(rank[pair_a] < rank[pair_b], pair_b, pair_a)
    pairs = np.lexsort((rank[second], rank[first]))
    mutual = pd.DataFrame({"a": ids[first[pairs]], "b": ids[second[pairs]]})
    spof = _spof_table(status, a.is_customer, dependents, rank)

    dist_order = by_name[connected[by_name]]
    distance_map = PartyMap(ids, dist_order, distance[dist_order], arrow_ids=arrow_ids)

    totals = {}
    for column in ("headcount", "cost"):
        if column in parties.columns:
            values = parties[column].to_numpy(dtype=float)
            values = np.where(np.isnan(values), 0.0, values)
            totals[f"orphan_{column}"] = number(values[a.is_team & ~connected].sum())
            totals[f"total_{column}"] = number(values[a.is_team].sum())
    summary = Summary(
        parties=n,
        teams=int(a.is_team.sum()),
        handoffs=len(edges.source),
        connected=int((connected & a.is_team).sum()),
        orphans=len(orphans),
        loops=len(loops),
        mutual_pairs=len(mutual),
        single_points_of_failure=len(spof),
        **totals,
    )

    reaches = non_primary = None
    primary = chain.primary_customers
    if len(customers) >= 2:
        reaches, non_primary = _reaches(back, customers, ids, arrow_ids, (by_name, rank), a.is_team, primary)
        non_primary = non_primary if primary else None
    elif primary:
        non_primary = []
    return Findings(
        customers=list(chain.customers),
        summary=summary,
        orphans=orphans,
        loops=loops,
        mutual_pairs=mutual,
        single_points_of_failure=spof,
        distance=distance_map,
        parties=status,
        reaches=reaches,
        non_primary_only=non_primary,
        dominator=dominator,
    )


def _orphan_reasons(
    a: ChainArrays, edges: EdgeSets, connected: np.ndarray, customers: np.ndarray, in_loop: np.ndarray
) -> np.ndarray:
    """Per party: the orphan reason (object array), ``None`` for non-orphans."""
    n = a.n
    orphan = a.is_team & ~connected
    reason = np.full(n, None, dtype=object)
    if not orphan.any():
        return reason
    back_all = Reversed(n, edges.source, edges.target)
    via_all = np.zeros(n, dtype=bool)
    via_all[back_all.search(customers)] = True
    delivers = np.bincount(edges.source, minlength=n) > 0
    to_outside = np.zeros(n, dtype=bool)
    to_outside[back_all.search(np.flatnonzero(a.is_outside))] = True
    tests = [
        ("preference_only", via_all),
        ("dead_end", ~delivers),
        ("closed_loop", in_loop),
        ("serves_outside_only", to_outside),
        ("feeds_orphans", np.ones(n, dtype=bool)),
    ]
    left = orphan.copy()
    for name, test in tests:
        hit = left & test
        reason[hit] = name
        left &= ~hit
    return reason


def _dependents(
    n: int,
    ess_s: np.ndarray,
    ess_t: np.ndarray,
    customers: np.ndarray,
    order: np.ndarray,
    distance: np.ndarray,
    parent: np.ndarray,
    is_team: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per party, the number of other teams whose every essential path to a customer passes it,
    and its immediate dominator (-1 for none: customers, the unconnected, those only the root dominates).

    The dominator tree of the reversed essential graph, rooted at a virtual
    node joined to every customer, restricted to the connected parties.
    """
    dependents = np.zeros(n, dtype=np.int64)
    dominator = np.full(n, -1, dtype=np.int64)
    if len(order) == 0:
        return dependents, dominator
    # Compact the connected parties to 0..k-1, the virtual root is k.
    k = len(order)
    local = np.full(n, -1, dtype=np.int64)
    local[order] = np.arange(k)
    inside = distance[ess_t] >= 0  # the target is connected, hence the source too
    src = np.concatenate([np.full(len(customers), k), local[ess_t[inside]]])
    dst = np.concatenate([local[customers], local[ess_s[inside]]])
    local_parent = np.append(np.where(parent[order] < 0, k, local[np.maximum(parent[order], 0)]), -1)
    local_depth = np.append(distance[order] + 1, 0)
    idom = immediate_dominators(k + 1, src, dst, k, tree=(local_parent, local_depth))
    parent = np.where(idom == k, -1, idom)[:k]
    counts = subtree_sums(parent, np.arange(k), is_team[order].astype(np.int64), distance[order])
    dependents[order] = counts
    dominator[order] = np.where(parent >= 0, order[np.maximum(parent, 0)], -1)
    return dependents, dominator


def _orphan_table(parties: pd.DataFrame, status: pd.DataFrame, reason: np.ndarray, rank: np.ndarray) -> pd.DataFrame:
    rows = np.flatnonzero(pd.notna(reason))
    rows = rows[np.argsort(rank[rows])]
    table = status.iloc[rows][["id", "name", "group"]].reset_index(drop=True)
    table["reason"] = reason[rows]
    for column in ("headcount", "cost"):
        if column in parties.columns:
            table[column] = parties[column].to_numpy(dtype=float)[rows]
    return table


def _loop_table(
    ids: np.ndarray, rank: np.ndarray, labels: np.ndarray, sizes: np.ndarray, connected: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray]:
    """Loops (components of 2+ parties), largest first then by first member; and each party's loop row."""
    loop_of = np.full(len(ids), -1, dtype=np.int64)
    big = np.flatnonzero(sizes >= 2)
    if len(big) == 0:
        return pd.DataFrame(
            {
                "members": pd.Series([], dtype=object),
                "size": pd.Series([], dtype=int),
                "connected": pd.Series([], dtype=bool),
            }
        ), loop_of
    nodes = np.flatnonzero(sizes[labels] >= 2)
    nodes = nodes[np.lexsort((rank[nodes], labels[nodes]))]  # by loop, members by name
    starts = np.flatnonzero(np.r_[True, labels[nodes[1:]] != labels[nodes[:-1]]])
    lengths = np.diff(np.r_[starts, len(nodes)])
    rows = np.lexsort((rank[nodes[starts]], -lengths))  # largest first, then by first member
    loop_of[nodes] = np.argsort(rows)[np.repeat(np.arange(len(starts)), lengths)]
    names = ids[nodes].tolist()
    bounds = np.c_[starts, starts + lengths][rows].tolist()
    members = [names[lo:hi] for lo, hi in bounds]
    connected_loops = np.logical_or.reduceat(connected[nodes], starts)[rows]
    table = pd.DataFrame({"members": members, "size": lengths[rows], "connected": connected_loops})
    return table, loop_of


def _spof_table(
    status: pd.DataFrame, is_customer: np.ndarray, dependents: np.ndarray, rank: np.ndarray
) -> pd.DataFrame:
    rows = np.flatnonzero((dependents > 0) & ~is_customer)
    rows = rows[np.lexsort((rank[rows], -dependents[rows]))]
    table = status.iloc[rows][["id", "name", "dependents"]].reset_index(drop=True)
    table["dependents"] = table["dependents"].astype(int)
    return table


def _reaches(
    back: Reversed,
    customers: np.ndarray,
    ids: np.ndarray,
    arrow_ids: Any,
    names: tuple[np.ndarray, np.ndarray],
    is_team: np.ndarray,
    primary: list[str],
) -> tuple[Mapping[str, list[str]], list[str]]:
    """Each connected team's sorted customers (one reverse search per customer), and
    the teams that reach none of the ``primary`` customers (ids), sorted.

    ``ids`` is every party's id as an object array, ``arrow_ids`` the same as an
    Arrow array; ``names`` is (sorted order, rank) of the ids. Each team's
    customers are a bit mask; teams with the same mask share one list, built once.
    """
    by_name, rank = names
    customers = customers[np.argsort(rank[customers])]
    if len(customers) > 62:
        return _reaches_by_pairs(back, customers, ids, names, is_team, primary)
    mask = np.zeros(back.n, dtype=np.int64)
    for bit, c in enumerate(customers):
        mask[back.search(np.array([c]))] |= 1 << bit
    teams = by_name[(is_team & (mask != 0))[by_name]]
    codes, distinct = pd.factorize(mask[teams])
    labels = ids[customers].tolist()
    lists = [[labels[b] for b in range(len(labels)) if m >> b & 1] for m in distinct.tolist()]
    reaches = PartyMap(ids, teams, codes, shared=lists, arrow_ids=arrow_ids)
    primary_bits = sum(1 << b for b, label in enumerate(labels) if label in set(primary))
    return reaches, ids[teams[(mask[teams] & primary_bits) == 0]].tolist()


def _reaches_by_pairs(
    back: Reversed,
    customers: np.ndarray,
    ids: np.ndarray,
    names: tuple[np.ndarray, np.ndarray],
    is_team: np.ndarray,
    primary: list[str],
) -> tuple[dict[str, list[str]], list[str]]:
    """The same for more customers than a 64-bit mask holds: (team, customer) pairs, sorted."""
    _, rank = names
    team_parts, which_parts = [], []
    for j, c in enumerate(customers):
        order = back.search(np.array([c]))
        order = order[is_team[order]]
        team_parts.append(order)
        which_parts.append(np.full(len(order), j, dtype=np.int64))
    team, which = np.concatenate(team_parts), np.concatenate(which_parts)
    by = np.lexsort((which, rank[team]))
    team, which = team[by], which[by]
    starts = np.flatnonzero(np.r_[True, team[1:] != team[:-1]])
    ends = [*starts[1:].tolist(), len(team)]
    labels, hits = ids[customers].tolist(), which.tolist()
    values = [[labels[b] for b in hits[lo:hi]] for lo, hi in zip(starts.tolist(), ends)]
    teams = team[starts]
    is_primary = np.isin(np.asarray(labels, dtype=object), list(primary))
    served = np.zeros(back.n, dtype=bool)
    served[team[is_primary[which]]] = True
    return dict(zip(ids[teams].tolist(), values)), ids[teams[~served[teams]]].tolist()


def _columns(table: pd.DataFrame, *names: str) -> list[list[Any]]:
    """Columns as Python lists (much faster than iterating rows of Arrow-backed strings)."""
    return [table[name].tolist() for name in names]
