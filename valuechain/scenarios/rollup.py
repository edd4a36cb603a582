"""Department roll-up: the findings at the level of the parties' ``group``.

Teams are rolled up into their group; parties without a group (customers,
outside parties, ungrouped teams) stay themselves. The group-to-group matrix
counts hand-offs between distinct parties; loops and mutual dependencies
between departments come from the analysis of the rolled-up chain, while the
share of connected teams comes from the team-level findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.analysis import EdgeSets, Findings
from valuechain.exceptions import NotFound
from valuechain.jsonable import is_missing, number, records
from valuechain.problems import Code, InputError, Problem, closest, listing
from valuechain.vocabulary import counted

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Party columns that hold a number per team (summed in a roll-up): never a way to group teams.
MEASURES = ("headcount", "cost")


@dataclass
class Rollup:
    """The org by department.

    Attributes
    ----------
    departments : pandas.DataFrame
        Per group: ``group``, ``teams``, ``connected``, ``orphans``,
        ``share_connected`` (0 to 1), ``line_of_sight`` (any team connected),
        and ``headcount``/``orphan_headcount`` when given; by name.
    matrix : pandas.DataFrame
        Hand-offs (distinct ordered pairs of parties, self hand-offs and those
        from customers left out) from the row's unit to the column's unit.
    no_line_of_sight : list of str
        Departments none of whose teams reaches a customer.
    mutual_pairs : pandas.DataFrame
        ``a``, ``b``: departments that hand off to each other.
    loops : pandas.DataFrame
        Loops among departments and other units (``members``, ``connected``).
    findings : Findings
        The analysis of the rolled-up chain.
    chain : Chain
        The rolled-up chain itself (departments as parties).

    Examples
    --------
    >>> import valuechain as vc
    >>> rolled = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv").rollup()
    >>> len(rolled.departments), rolled.no_line_of_sight
    (11, ['Executive'])
    """

    departments: pd.DataFrame
    matrix: pd.DataFrame
    no_line_of_sight: list[str]
    mutual_pairs: pd.DataFrame
    loops: pd.DataFrame
    findings: Findings
    chain: Chain

    def __repr__(self) -> str:
        return (
            f"<Rollup: {counted(len(self.departments), 'department')}, {len(self.no_line_of_sight)} with no line of "
            f"sight, {counted(len(self.mutual_pairs), 'mutual pair')}, {counted(len(self.loops), 'loop')}>"
        )

    def _repr_html_(self) -> str:
        from valuechain.display import summary_html

        facts = [
            ("departments", len(self.departments)),
            ("with no line of sight", ", ".join(self.no_line_of_sight) or "none"),
            ("mutual pairs between departments", len(self.mutual_pairs)),
            ("loops among departments", len(self.loops)),
        ]
        return summary_html("valuechain.Rollup", facts, [("Departments", self.departments)])

    def to_dict(self) -> dict:
        """JSON-ready data."""
        return {
            "departments": records(self.departments),
            "no_line_of_sight": list(self.no_line_of_sight),
            "mutual_pairs": self.mutual_pairs[["a", "b"]].values.tolist(),
            "loops": [
                {"members": list(m), "connected": bool(c)}
                for m, c in zip(self.loops["members"], self.loops["connected"])
            ],
            "matrix": {
                row: {col: int(v) for col, v in values.items() if v}
                for row, values in self.matrix.to_dict("index").items()
            },
        }


def rollup(chain: Chain, by: str = "group") -> Rollup:
    """Roll the chain up to departments (or any party column named by ``by``).

    Parameters
    ----------
    chain : Chain
    by : str
        A party column that names each team's unit: ``group`` (the
        department) by default, or any other column, text or not. Values are
        used as they are: a number such as a cost-centre ``4711`` is the unit
        ``"4711"``, a yes/no column such as ``primary`` gives the units
        ``"primary: yes"`` and ``"primary: no"``. Teams with no value stay
        themselves.

    Raises
    ------
    InputError
        For a column the parties do not have (naming the columns they have),
        and for ``headcount`` and ``cost``, which are numbers per team, not a
        way to group teams.

    Examples
    --------
    >>> import valuechain as vc
    >>> r = vc.load("data/software-services/handoffs.csv", parties="data/software-services/parties.csv").rollup()
    >>> r.departments[["group", "teams", "connected"]].values.tolist()
    [['Back office', 6, 1], ['Delivery', 4, 4], ['People', 3, 2]]
    >>> r.no_line_of_sight
    []
    >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> try:
    ...     chain.rollup("headcount")
    ... except vc.InputError as err:
    ...     print(err.problems[0].message)
    'headcount' is a number per team, not a way to group teams
    """

    found = chain.analyze()
    parties = chain.parties
    group, grouped, unit = _units(chain, by)

    status = found.parties
    connected = status["connected"].to_numpy(dtype=bool)
    rows = []
    for name in sorted({g for g in group[grouped]}):
        members = grouped & (group == name)
        row = {"group": name, "teams": int(members.sum()), "connected": int((members & connected).sum())}
        row["orphans"] = row["teams"] - row["connected"]
        row["share_connected"] = round(row["connected"] / row["teams"], 4)
        row["line_of_sight"] = row["connected"] > 0
        if "headcount" in parties.columns:
            heads = parties["headcount"].to_numpy(dtype=float)
            row["headcount"] = number(np.nansum(heads[members]))
            row["orphan_headcount"] = number(np.nansum(heads[members & ~connected]))
        rows.append(row)
    departments = pd.DataFrame(
        rows,
        columns=["group", "teams", "connected", "orphans", "share_connected", "line_of_sight"]
        + (["headcount", "orphan_headcount"] if "headcount" in parties.columns else []),
    )

    edges = EdgeSets.of(chain)
    pairs = pd.DataFrame({"source": unit[edges.source], "target": unit[edges.target]})
    labels = sorted(set(unit.tolist()), key=str)
    counts = pairs.groupby(["source", "target"]).size()
    matrix = counts.unstack(fill_value=0).reindex(index=labels, columns=labels, fill_value=0).astype(int)
    units = unit_chain(chain, by=by)
    unit_found = units.analyze()
    departments_only = set(departments["group"])
    mutual = unit_found.mutual_pairs
    mutual = mutual[mutual["a"].isin(departments_only) & mutual["b"].isin(departments_only)].reset_index(drop=True)
    return Rollup(
        departments=departments,
        matrix=matrix,
        no_line_of_sight=departments.loc[~departments["line_of_sight"], "group"].tolist(),
        mutual_pairs=mutual,
        loops=unit_found.loops,
        findings=unit_found,
        chain=units,
    )


def _units(chain: Chain, by: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per party: its ``by`` value, whether it is a grouped team, and the unit it rolls up to.

    A department named like a party that stays itself is called ``"<name> (department)"``.
    """
    parties = chain.parties
    group = unit_labels(parties, by)
    team = (parties["kind"] == "team").to_numpy(dtype=bool) & ~parties["id"].isin(chain.customers).to_numpy(dtype=bool)
    grouped = team & pd.notna(group)
    ids = parties["id"].to_numpy(dtype=object)
    clash = set(group[grouped].tolist()) & set(ids[~grouped].tolist())
    if clash:
        group = np.array([f"{g} (department)" if g in clash else g for g in group], dtype=object)
    return group, grouped, np.where(grouped, group, ids)


def unit_labels(parties: pd.DataFrame, by: str) -> np.ndarray:
    """Per party, the text of its ``by`` value (``None`` where it has none): the unit a team rolls up to.

    Text stays as it is (blank text is no value); a whole number is written
    without decimals (``4711``, also when read as ``4711.0``), another number
    as Python writes it, a yes/no value as ``"<by>: yes"`` / ``"<by>: no"``.

    Raises
    ------
    InputError
        For a column the parties do not have, and for ``headcount`` and ``cost``.

    Examples
    --------
    >>> unit_labels(pd.DataFrame({"cc": [4711, 4712.0, None], "primary": [True, False, True]}), "cc").tolist()
    ['4711', '4712', None]
    >>> unit_labels(pd.DataFrame({"primary": [True, False]}), "primary").tolist()
    ['primary: yes', 'primary: no']
    """
    check_grouping(parties, by)
    codes, uniques = pd.factorize(parties[by], use_na_sentinel=True)  # each distinct value labelled once
    labels = np.array([_label(v, by) for v in pd.Series(uniques).astype(object).tolist()] + [None], dtype=object)
    return labels[codes]


def check_grouping(parties: pd.DataFrame, by: str) -> None:
    """Refuse a column the parties cannot be rolled up by: one they do not have, or a number per team.

    Raises
    ------
    InputError
        For a column the parties do not have (with the closest one), and for ``headcount`` and ``cost``.

    Examples
    --------
    >>> check_grouping(pd.DataFrame({"group": ["Ops"]}), "grup")
    Traceback (most recent call last):
    ...
    valuechain.exceptions.InputError: 1 problem in the input:
      roll-up: the parties have no column 'grup'; did you mean 'group'? the columns are 'group'
    """
    if by not in parties.columns:
        guess = closest(str(by), [str(c) for c in parties.columns])
        hint = (f"did you mean '{guess[0]}'? " if guess else "") + "the columns are " + listing(list(parties.columns))
        raise InputError([Problem.error("roll-up", f"the parties have no column '{by}'", hint, code=Code.BAD_OPTION)])
    if by in MEASURES:
        raise InputError(
            [
                Problem.error(
                    "roll-up",
                    f"'{by}' is a number per team, not a way to group teams",
                    "roll up by group or another text column",
                    column=by,
                    code=Code.BAD_OPTION,
                )
            ]
        )


def _label(value: object, by: str) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return f"{by}: {'yes' if value else 'no'}"
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else str(float(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def unit_chain(chain: Chain, by: str = "group", *, expand: str | None = None) -> Chain:
    """The chain with its teams merged into their ``by`` unit (departments); other parties stay themselves.

    A unit hands off to another if any of its parties does, essentially if any such hand-off is.
    The teams of the department named by ``expand`` stay themselves too.

    Raises
    ------
    NotFound
        When ``expand`` names no department of the chain.

    Examples
    --------
    >>> import valuechain as vc
    >>> c = unit_chain(vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv"))
    >>> sorted(c.parties["id"])[:3]
    ['Back of house', 'Back office', 'Front of house']
    """
    group, grouped, unit = _units(chain, by)
    if expand is not None:
        if expand not in set(group[grouped].tolist()):
            raise NotFound(f"no department '{expand}' to expand")
        unit = np.where(grouped & (group == expand), chain.parties["id"].to_numpy(dtype=object), unit)
    kinds = chain.parties["kind"].to_numpy(dtype=object)
    return merged_chain(chain, unit, np.where(grouped, "team", kinds))


def merged_chain(chain: Chain, unit: np.ndarray, kind: np.ndarray) -> Chain:
    """The chain with the parties that share a ``unit`` label merged into one party of that ``kind``.

    A unit's ``name`` says how many parties it holds; a unit hands off to
    another if any of its parties does, essentially if any such hand-off is
    (hand-offs within a unit are left out). Customers must stay units of their own.
    """
    from valuechain.model import Chain

    # on integer codes of the units throughout: grouping 300,000 hand-offs by their units' text took 0.4 s
    code, labels = pd.factorize(pd.Series(unit, dtype=object), use_na_sentinel=False)
    labels = np.asarray(labels, dtype=object)
    text = np.array([str(u) for u in labels], dtype=object)
    order = np.argsort(text, kind="stable")  # the units by their text, as the table lists them
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    edges = EdgeSets.of(chain)
    s, t = rank[code[edges.source]], rank[code[edges.target]]
    between = s != t  # hand-offs within a unit are left out
    pair, where = np.unique(s[between] * len(order) + t[between], return_inverse=True)
    essential = np.bincount(where, weights=edges.essential[between], minlength=len(pair)) > 0
    members = np.bincount(code, minlength=len(labels))[order]
    _, first = np.unique(code, return_index=True)  # each unit's first party gives its kind
    ids = chain.parties["id"].to_numpy(dtype=object)
    at = pd.Index(ids).get_indexer(labels[order])  # a unit that is one of the chain's parties keeps its name
    own = (at >= 0) & (members == 1)
    names = chain.parties["name"].to_numpy(dtype=object)[np.where(at >= 0, at, 0)]
    own_name = np.where(pd.isna(names), text[order], names)
    counted = [f"{u} ({m} part{'y' if m == 1 else 'ies'})" for u, m in zip(text[order].tolist(), members.tolist())]
    parties = pd.DataFrame(
        {
            "id": labels[order],
            "name": np.where(own, own_name, np.array(counted, dtype=object)),
            "kind": np.asarray(kind, dtype=object)[first][order],
            "group": None,
            "primary": pd.Series(labels[order], dtype=object).isin(chain.primary_customers).to_numpy(),
            "members": members,
        }
    )
    handoffs = pd.DataFrame(
        {"source": text[order][pair // len(order)], "target": text[order][pair % len(order)], "essential": essential}
    ).assign(deliverable="")
    return Chain(parties, handoffs, chain.customers)
