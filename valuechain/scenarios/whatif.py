"""What-if scenarios: remove parties or hand-offs, add hand-offs, and see what breaks or mends.

Also :func:`rank`: for every party and every hand-off, how many teams would
lose their path to the customer if it alone went away, from one dominator tree
(no analysis per party).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from valuechain.algorithms import adjacency, immediate_dominators, subtree_sums, tree_depths
from valuechain.analysis import EdgeSets, Findings
from valuechain.exceptions import OptionError
from valuechain.problems import Code, InputError, Problem, closest
from valuechain.scenarios.changes import FindingChanges, changes_html, changes_summary, compare
from valuechain.vocabulary import counted

if TYPE_CHECKING:
    from valuechain.model import Chain

Pair = tuple[str, str]


@dataclass
class Scenario:
    """The result of a what-if: the changed chain, its findings, and what changed.

    Attributes
    ----------
    chain : Chain
        The organisation after the change.
    before, after : Findings
    changes : FindingChanges
        ``new_orphans`` are the teams that lose their path (the orphans of the
        scenario), ``resolved_orphans`` those that gain one, and so on. A
        removed party's findings are in the ``removed_*`` tables, never
        resolved; a single point of failure whose teams lose their path is in
        ``lost_single_points_of_failure``.
    removed_parties, removed_handoffs, added_handoffs : list
        What was asked for.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> scenario = chain.whatif(remove=["sc-warehouse"])
    >>> scenario.before.summary["orphans"], scenario.after.summary["orphans"]
    (22, 49)
    """

    chain: Chain
    before: Findings
    after: Findings
    changes: FindingChanges
    removed_parties: list[str]
    removed_handoffs: list[Pair]
    added_handoffs: list[Pair]

    def __repr__(self) -> str:
        c = self.changes
        lose = "loses its path" if len(c.new_orphans) == 1 else "lose their path"
        gain = "gains one" if len(c.resolved_orphans) == 1 else "gain one"
        return (
            f"<Scenario: {counted(len(c.new_orphans), 'team')} {lose}, {len(c.resolved_orphans):,} {gain}; "
            f"{changes_summary(c)}>"
        )

    def _repr_html_(self) -> str:
        facts = [
            ("removed parties", ", ".join(self.removed_parties) or "none"),
            ("removed hand-offs", ", ".join(f"{s} → {t}" for s, t in self.removed_handoffs) or "none"),
            ("added hand-offs", ", ".join(f"{s} → {t}" for s, t in self.added_handoffs) or "none"),
            ("orphans before → after", f"{self.before.summary['orphans']} → {self.after.summary['orphans']}"),
        ]
        return changes_html("valuechain.Scenario", self.changes, facts)

    def to_dict(self) -> dict:
        """The scenario as JSON-ready data: what was changed, the changes, and summaries before and after; with
        review decisions, what would become of them (``decisions_after``: done, stale, overdue, party_removed)."""
        out = {
            "removed_parties": list(self.removed_parties),
            "removed_handoffs": [list(p) for p in self.removed_handoffs],
            "added_handoffs": [list(p) for p in self.added_handoffs],
            **self.changes.to_dict(),
            "summary_before": dict(self.before.summary),
            "summary_after": dict(self.after.summary),
        }
        if self.after.review is not None:
            out["decisions_after"] = self.after.review.to_dict()
        return out


def whatif(
    chain: Chain,
    remove: Iterable[str] = (),
    *,
    remove_handoffs: Iterable[Pair] = (),
    add_handoffs: Iterable[Pair] = (),
) -> Scenario:
    """Remove parties and hand-offs, add hand-offs, and compare the findings.

    Parameters
    ----------
    chain : Chain
    remove : list of str
        Party ids to take away, with every hand-off they give or receive.
    remove_handoffs : list of (source, target)
        Every hand-off from ``source`` to ``target`` goes.
    add_handoffs : list of (source, target)
        New essential hand-offs (deliverable ``"(what-if)"``).

    Returns
    -------
    Scenario

    Raises
    ------
    InputError
        For an id that is not a party (with the closest one), a hand-off to
        remove that does not exist, or a scenario that leaves no customer.

    Examples
    --------
    >>> import pandas as pd
    >>> import valuechain as vc
    >>> chain = vc.load(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}), customers=["c"])
    >>> s = chain.whatif(remove=["b"])
    >>> s.changes.new_orphans[["id", "reason"]].to_dict("records")
    [{'id': 'a', 'reason': 'dead_end'}]
    """
    from valuechain.model import Chain

    # ids as the files' ids are compared: trimmed, Unicode NFC
    remove = list(dict.fromkeys(_ids([remove] if isinstance(remove, str) else remove)))
    remove_handoffs = [_pair(p) for p in remove_handoffs]
    add_handoffs = [_pair(p) for p in add_handoffs]
    ids = set(chain.parties["id"])
    problems = [_unknown(p, ids, "remove") for p in remove if p not in ids]
    for source, target in remove_handoffs + add_handoffs:
        problems += [_unknown(p, ids, "hand-off") for p in (source, target) if p not in ids]
    existing = set(zip(chain.handoffs["source"], chain.handoffs["target"]))
    for pair in remove_handoffs:
        if pair[0] in ids and pair[1] in ids and pair not in existing:
            problems.append(
                Problem.error(
                    "what-if",
                    f"there is no hand-off from '{pair[0]}' to '{pair[1]}'",
                    "name a hand-off that the org has",
                    code=Code.BAD_SCENARIO,
                )
            )
    essential = set(
        zip(
            chain.handoffs["source"][chain.handoffs["essential"]], chain.handoffs["target"][chain.handoffs["essential"]]
        )
    )
    for pair in add_handoffs:
        if pair[0] == pair[1]:
            message = f"the added hand-off goes from '{pair[0]}' to itself"
            problems.append(
                Problem.error("what-if", message, "a self hand-off takes part in no finding", code=Code.BAD_SCENARIO)
            )
        elif pair in essential:
            message = f"there is an essential hand-off from '{pair[0]}' to '{pair[1]}' already"
            problems.append(
                Problem.error("what-if", message, "add a hand-off the org does not have", code=Code.BAD_SCENARIO)
            )
        for party in dict.fromkeys(p for p in pair if p in set(remove)):
            message = f"the added hand-off from '{pair[0]}' to '{pair[1]}' names '{party}', which the scenario removes"
            problems.append(
                Problem.error(
                    "what-if", message, "keep the party, or add the hand-off elsewhere", code=Code.BAD_SCENARIO
                )
            )
    customers = [c for c in chain.customers if c not in set(remove)]
    if not customers and chain.customers:
        problems.append(
            Problem.error(
                "what-if",
                "the scenario removes every customer",
                "keep at least one external customer",
                code=Code.BAD_SCENARIO,
            )
        )
    if problems:
        raise InputError(problems)

    gone = set(remove)
    handoffs = chain.handoffs
    keep = ~(handoffs["source"].isin(gone) | handoffs["target"].isin(gone)).to_numpy(dtype=bool)
    if remove_handoffs:
        pairs = pd.MultiIndex.from_arrays([handoffs["source"], handoffs["target"]])
        keep &= ~pairs.isin(remove_handoffs)
    handoffs = handoffs[keep]
    if add_handoffs:
        added = pd.DataFrame(
            {
                "source": [s for s, _ in add_handoffs],
                "target": [t for _, t in add_handoffs],
                "deliverable": "(what-if)",
                "essential": True,
            },
            index=pd.RangeIndex(-1, -1 - len(add_handoffs), -1, name="row"),
        )
        handoffs = pd.concat(
            [handoffs, added.astype({"source": str, "target": str, "deliverable": str})], ignore_index=False
        )
    parties = chain.parties[~chain.parties["id"].isin(gone).to_numpy(dtype=bool)]
    after = Chain(parties, handoffs, customers, chain.warnings)
    if chain.decisions is not None:  # which decisions the change would complete (done), and which it leaves
        after = after.with_decisions(chain.decisions, as_of=chain.as_of, previous=chain)
    before_found, after_found = chain.analyze(), after.analyze()
    return Scenario(
        chain=after,
        before=before_found,
        after=after_found,
        changes=compare(before_found, after_found, ignore=gone),
        removed_parties=remove,
        removed_handoffs=remove_handoffs,
        added_handoffs=add_handoffs,
    )


def _ids(values: Iterable[str]) -> list[str]:
    from valuechain.io.validate import clean_ids

    values = list(values)
    return clean_ids(pd.Series(values, dtype=object)).tolist() if values else []


def _pair(pair: Iterable[str]) -> Pair:
    """A hand-off's (source, target) with its ids as the files' ids are compared."""
    return cast(Pair, tuple(_ids(pair)))


def _unknown(party: str, ids: set[str], what: str) -> Problem:
    guess = closest(party, ids)
    hint = f"did you mean '{guess[0]}'?" if guess else "name a party of the org"
    return Problem.error("what-if", f"'{party}' ({what}) is not a party", hint, code=Code.BAD_SCENARIO)


@dataclass
class Ranking:
    """What hangs on each party and each hand-off.

    Customers are left out of ``parties`` (as they are of the single points of
    failure): every path ends at one, so each trivially "cuts off" the teams
    that reach it. Show a long ranking with :meth:`top`, which says how many
    rows it leaves out.

    Attributes
    ----------
    parties : pandas.DataFrame
        ``id``, ``name``, ``kind``, ``teams_cut_off``: the other teams that
        would lose their path to the customer without this party; most first.
        Every party but the customers.
    handoffs : pandas.DataFrame
        ``source``, ``target``, ``essential``, ``teams_cut_off``: the teams
        that would lose their path without the hand-offs from source to target.

    Examples
    --------
    >>> import valuechain as vc
    >>> ranking = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv").rank()
    >>> top = ranking.parties.iloc[0]
    >>> top["id"], int(top["teams_cut_off"])
    ('sc-warehouse', 27)
    """

    parties: pd.DataFrame
    handoffs: pd.DataFrame

    def top(self, n: int, table: str = "parties") -> tuple[pd.DataFrame, int]:
        """The first ``n`` rows of a ranking and how many rows that leaves out.

        Parameters
        ----------
        n : int
            Rows to show (a negative number shows none).
        table : {"parties", "handoffs"}

        Returns
        -------
        shown : pandas.DataFrame
        hidden : int
            The rows not shown, to say "and 12 more".

        Raises
        ------
        OptionError
            For a ``table`` other than ``"parties"`` or ``"handoffs"``.

        Examples
        --------
        >>> import valuechain as vc
        >>> ranking = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv").rank()
        >>> shown, hidden = ranking.top(2)
        >>> shown["id"].tolist(), hidden
        (['floor', 'kitchen'], 7)
        """
        if table not in ("parties", "handoffs"):
            raise OptionError(f"table is 'parties' or 'handoffs', not {table!r}")
        frame = getattr(self, table)
        shown = frame.head(max(int(n), 0))
        return shown, len(frame) - len(shown)

    def __repr__(self) -> str:
        top = self.parties.iloc[0] if len(self.parties) else None
        most = f"; most: {top['id']} ({counted(int(top['teams_cut_off']), 'team')})" if top is not None else ""
        hanging = int((self.parties["teams_cut_off"] > 0).sum())
        handoffs = int((self.handoffs["teams_cut_off"] > 0).sum())
        return (
            f"<Ranking: {counted(hanging, 'party', 'parties')} and {counted(handoffs, 'hand-off')} "
            f"that teams hang on{most}>"
        )

    def _repr_html_(self) -> str:
        from valuechain.display import summary_html

        return summary_html(
            "valuechain.Ranking",
            [("parties ranked (customers left out)", len(self.parties)), ("hand-offs ranked", len(self.handoffs))],
            [("What hangs on each party", self.parties), ("What hangs on each hand-off", self.handoffs)],
        )


def rank(chain: Chain) -> Ranking:
    """For every party but the customers and every hand-off (ordered pair), how many teams hang on it alone.

    One dominator tree of the reversed essential graph in which every
    hand-off is split by a node of its own: a party's subtree holds the teams
    that lose their path without it, and so does a hand-off's node.

    Examples
    --------
    >>> import pandas as pd
    >>> import valuechain as vc
    >>> chain = vc.load(pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"]}), customers=["c"])
    >>> r = rank(chain)
    >>> r.handoffs[["source", "target", "teams_cut_off"]].values.tolist()
    [['b', 'c', 1], ['a', 'b', 0], ['a', 'c', 0]]
    """
    a = chain.arrays
    n = a.n
    edges = EdgeSets.of(chain)
    ess = np.flatnonzero(edges.essential)
    m = len(ess)
    # nodes: parties 0..n-1, one node per essential hand-off n..n+m-1, the root n+m
    root = n + m
    split = n + np.arange(m)
    customers = np.flatnonzero(a.is_customer)
    src = np.concatenate([np.full(len(customers), root), edges.target[ess], split])
    dst = np.concatenate([customers, split, edges.source[ess]])
    size = n + m + 1
    from scipy.sparse.csgraph import breadth_first_order  # imported when searched: see valuechain.algorithms

    order, pred = breadth_first_order(adjacency(size, src, dst), root, return_predecessors=True)
    order, pred = order.astype(np.int64), pred.astype(np.int64)
    depth = tree_depths(np.where(pred < 0, root, pred), root, order[1:])
    parent = np.full(size, -1, dtype=np.int64)
    parent[order[1:]] = pred[order[1:]]
    idom = immediate_dominators(size, src, dst, root, tree=(parent, depth))
    tree_parent = np.where(idom == root, -1, idom)
    weight = np.zeros(size, dtype=np.int64)
    weight[:n] = a.is_team
    below = subtree_sums(tree_parent, order[1:], weight, depth)

    parties = pd.DataFrame(
        {
            "id": a.ids,
            "name": chain.parties["name"].to_numpy(dtype=object),
            "kind": chain.parties["kind"].to_numpy(dtype=object),
            "teams_cut_off": below[:n],
        }
    )
    parties = parties[~a.is_customer]
    parties = parties.sort_values(["teams_cut_off", "id"], ascending=[False, True], ignore_index=True)
    cut = np.zeros(len(edges.source), dtype=np.int64)
    cut[ess] = below[split]
    handoffs = pd.DataFrame(
        {
            "source": a.ids[edges.source],
            "target": a.ids[edges.target],
            "essential": edges.essential,
            "teams_cut_off": cut,
        }
    )
    handoffs = handoffs.sort_values(
        ["teams_cut_off", "source", "target"], ascending=[False, True, True], ignore_index=True
    )
    return Ranking(parties, handoffs)


def suggested_addition(chain: Chain, found: Findings) -> tuple[str, str]:
    """A sensible hand-off to try adding: the first orphaned team to the first customer (or, with no orphans,
    the first team to the first customer it does not already hand off to).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> suggested_addition(chain, chain.analyze())
    ('bookkeeping', 'diners')
    """
    ids = chain.parties["id"].tolist()
    customers = [c for c in found.customers if c in ids]
    teams = chain.parties.loc[(chain.parties["kind"] == "team") & ~chain.parties["id"].isin(customers), "id"].tolist()
    givers = found.orphans["id"].tolist() + teams + [i for i in ids if i not in customers]
    existing = set(zip(chain.handoffs["source"], chain.handoffs["target"]))
    for giver in givers:
        for taker in customers + teams:
            if taker != giver and (giver, taker) not in existing:
                return giver, taker
    return ids[0], ids[-1]


def refused_addition(
    giver: str, taker: str, chain: Chain, existing: set, removed: list[str], added: list[tuple]
) -> str | None:
    """Why a hand-off cannot be added to a what-if being built (a sentence for the dashboard), or None.

    ``existing`` holds the (source, target) pairs left after the removals, ``added`` those added so far.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> refused_addition("kitchen", "kitchen", chain, set(), [], [])
    "A hand-off from 'kitchen' to itself changes nothing: choose two different parties."
    >>> refused_addition("marketing", "diners", chain, set(), [], []) is None
    True
    """
    if giver == taker:
        return f"A hand-off from '{giver}' to itself changes nothing: choose two different parties."
    if giver in set(chain.customers):
        return (
            f"'{giver}' is an external customer: the work ends there, so a hand-off from it is not added. "
            "Choose a team (or another party) to hand off."
        )
    gone = [p for p in (giver, taker) if p in set(removed)]
    if gone:
        return f"'{gone[0]}' is removed in this what-if: take it out of **Remove parties** first."
    if (giver, taker) in added:
        return f"'{giver}' → '{taker}' is already added."
    if (giver, taker) in existing:
        return f"'{giver}' already hands off to '{taker}': choose a pair without a hand-off."
    return None
