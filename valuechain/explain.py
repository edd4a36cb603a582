"""The findings in words and detail: why each orphan has no line of sight, what it delivers to whom,
the hand-offs of each loop and mutual pair, and the teams that hang on each single point of failure.

Used by the dashboard and the report, and handy in a notebook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.analysis import EdgeSets
from valuechain.exceptions import PartyNotFound
from valuechain.vocabulary import Reason

if TYPE_CHECKING:
    from valuechain.model import Chain

MOST = 5  # names listed in a sentence before "and N more"


def listing(names: list[str], most: int = MOST, total: int | None = None) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``, ``"A, B, C and 4 more"``.

    ``total`` is how many there are in all, when ``names`` holds only the first of them.

    Examples
    --------
    >>> listing(["Archives"]), listing(["A", "B", "C"]), listing(list("ABCDEFG"), most=3)
    ('Archives', 'A, B and C', 'A, B, C and 4 more')
    >>> listing(["A", "B"], most=2, total=9)
    'A, B and 7 more'
    """
    names = [str(n) for n in names]
    total = len(names) if total is None else total
    if total > most:
        return f"{', '.join(names[:most])} and {total - most} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


class _Index:
    """Per party: name, status and out-neighbours, for writing sentences."""

    def __init__(self, chain: Chain):
        found = chain.analyze()
        self.chain = chain
        self.found = found
        self.ids = chain.arrays.ids
        self.names = chain.parties["name"].astype(str).to_numpy()
        self.reason = found.parties["reason"].to_numpy(dtype=object)
        self.connected = found.parties["connected"].to_numpy(dtype=bool)
        self.loop = found.parties["loop"].to_numpy(dtype=float)
        edges = EdgeSets.of(chain)
        order = np.argsort(edges.source, kind="stable")
        self.out = edges.target[order]
        self.out_essential = edges.essential[order]
        self.starts = np.searchsorted(edges.source[order], np.arange(len(self.ids) + 1))
        self.position = {p: i for i, p in enumerate(self.ids.tolist())}

    def receivers(self, i: int, essential: bool | None = None) -> np.ndarray:
        s, e = self.starts[i], self.starts[i + 1]
        out = self.out[s:e]
        return out if essential is None else out[self.out_essential[s:e] == essential]

    def why(self, i: int) -> str:
        reason = self.reason[i]
        if pd.isna(reason):
            return "reaches the customer" if self.connected[i] else "is not a team, and has no line of sight"
        if reason == Reason.DEAD_END:
            return Reason.DEAD_END.sentence
        if reason == Reason.PREFERENCE_ONLY:
            optional = self.receivers(i, essential=False)
            tail = f" (its own non-essential hand-offs go to {listing(self.names[optional].tolist())})"
            return Reason(reason).sentence + (tail if len(optional) else "")
        if reason == Reason.CLOSED_LOOP:
            members = np.flatnonzero(self.loop == self.loop[i])
            others = self.names[members[members != i]].tolist()
            return f"only delivers within a loop with {listing(others)} that never reaches the customer"
        if reason == Reason.SERVES_OUTSIDE_ONLY:
            outside = [r for r in self.receivers(i) if self.chain.arrays.is_outside[r]]
            if outside:
                return f"delivers to {listing(self.names[outside].tolist())} (outside), never to a customer"
            teams = self.names[self.receivers(i)].tolist()
            if teams:
                return f"delivers to {listing(teams)}, whose work ends only at outside parties, never at a customer"
            return Reason(reason).sentence
        # feeds_orphans: say why each receiver has no line of sight
        receivers = self.receivers(i)
        parts = [f"{self.names[r]} ({self._why_short(r)})" for r in receivers[:MOST]]
        if len(receivers) == 1:
            return f"delivers only to {self.names[receivers[0]]}, which {self._why_short(receivers[0])}"
        more = f" and {len(receivers) - MOST} more" if len(receivers) > MOST else ""
        return f"delivers only to {listing(parts) if not more else ', '.join(parts) + more}"

    def _why_short(self, r: int) -> str:
        reason = self.reason[r]
        if pd.isna(reason):
            return "has no line of sight to the customer"
        return Reason(reason).sentence


def why(chain: Chain, party: str) -> str:
    """One sentence on whether and why ``party`` has no line of sight to the customer.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/software-services/handoffs.csv", parties="data/software-services/parties.csv")
    >>> why(chain, "knowledge")
    'Knowledge management delivers to nobody'
    >>> why(chain, "legal")
    'Legal delivers only to Knowledge management, which delivers to nobody'
    """
    index = _Index(chain)
    if party not in index.position:
        raise PartyNotFound(party, index.position)
    i = index.position[party]
    return f"{index.names[i]} {index.why(i)}"


def orphan_details(chain: Chain) -> pd.DataFrame:
    """The orphans with what they deliver to whom, and why they have no line of sight.

    Returns
    -------
    pandas.DataFrame
        The columns of ``chain.analyze().orphans``, then ``delivers`` (each
        hand-off as ``deliverable → receiver``, non-essential ones marked) and
        ``why`` (a sentence).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/software-services/handoffs.csv", parties="data/software-services/parties.csv")
    >>> orphan_details(chain).set_index("id").loc["training", "delivers"]
    'training records → HR business partners (non-essential)'
    """
    index = _Index(chain)
    table = index.found.orphans.copy()
    handoffs = chain.handoffs
    names = dict(zip(chain.parties["id"], chain.parties["name"].astype(str)))
    words = (
        handoffs["deliverable"].astype(object).where(handoffs["deliverable"].astype(str) != "", "(unnamed)").astype(str)
        + " → "
        + handoffs["target"].map(names)
        + np.where(handoffs["essential"].to_numpy(dtype=bool), "", " (non-essential)")
    )
    delivers = words.groupby(handoffs["source"].to_numpy(), sort=False).agg(lambda w: "; ".join(dict.fromkeys(w)))
    table["delivers"] = table["id"].map(delivers).astype(object).fillna("nothing")  # object: delivers may be empty
    table["why"] = [f"{index.names[index.position[p]]} {index.why(index.position[p])}" for p in table["id"]]
    return table


def handoffs_between(chain: Chain, members: list[str]) -> pd.DataFrame:
    """The hand-off rows among ``members`` (a loop's or a mutual pair's), with their spreadsheet row.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> handoffs_between(chain, ["repair-agents", "spare-parts"])[["source", "target", "deliverable"]].values.tolist()
    [['spare-parts', 'repair-agents', 'spare parts'], ['repair-agents', 'spare-parts', 'parts orders']]
    """
    rows = chain.handoffs
    inside = rows["source"].isin(members) & rows["target"].isin(members) & (rows["source"] != rows["target"])
    return rows.loc[inside, ["source", "target", "deliverable", "essential"]].reset_index()


def loop_details(chain: Chain) -> pd.DataFrame:
    """Each loop with its members' names, its hand-offs and whether it reaches the customer.

    Returns
    -------
    pandas.DataFrame
        ``loop`` (number), ``members`` (ids), ``names``, ``size``, ``connected``,
        ``handoffs`` (how many among the members) and ``flows`` (each as
        ``source → target: deliverable``).
    """
    found = chain.analyze()
    names = dict(zip(chain.parties["id"], chain.parties["name"].astype(str)))
    rows = []
    for number, (members, size, connected) in enumerate(
        zip(found.loops["members"], found.loops["size"], found.loops["connected"])
    ):
        between = handoffs_between(chain, list(members))
        rows.append(
            {
                "loop": number,
                "members": list(members),
                "names": listing([names[m] for m in members], most=12),
                "size": int(size),
                "connected": bool(connected),
                "handoffs": len(between),
                "flows": "; ".join(
                    f"{names[s]} → {names[t]}" + (f": {d}" if d else "")
                    for s, t, d in zip(between["source"], between["target"], between["deliverable"])
                ),
            }
        )
    columns = ["loop", "members", "names", "size", "connected", "handoffs", "flows"]
    return pd.DataFrame(rows, columns=columns)


def mutual_details(chain: Chain) -> pd.DataFrame:
    """Each mutual pair with what flows each way and whether both reach the customer.

    Returns
    -------
    pandas.DataFrame
        ``a``, ``b``, ``a_to_b`` and ``b_to_a`` (the deliverables), ``connected``
        (both have a line of sight).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> mutual_details(chain).iloc[0][["a_to_b", "b_to_a"]].tolist()
    ['parts orders', 'spare parts']
    """
    found = chain.analyze()
    connected = dict(zip(found.parties["id"], found.parties["connected"]))
    rows = chain.handoffs
    flows = rows.groupby(["source", "target"], sort=False)["deliverable"].agg(
        lambda d: "; ".join(dict.fromkeys(x if x else "(unnamed)" for x in d))
    )
    table = found.mutual_pairs.copy()
    table["a_to_b"] = [flows.get((a, b), "") for a, b in zip(table["a"], table["b"])]
    table["b_to_a"] = [flows.get((b, a), "") for a, b in zip(table["a"], table["b"])]
    table["connected"] = [bool(connected[a] and connected[b]) for a, b in zip(table["a"], table["b"])]
    return table


def spof_details(chain: Chain, most: int = 20) -> pd.DataFrame:
    """The single points of failure, ranked, with the teams that hang on each.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``group``, ``dependents``, ``teams`` (their names,
        the ``most`` nearest: those that hang on it directly first).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> spof_details(chain)[["id", "dependents", "teams"]].values.tolist()[0]
    ['floor', 4, 'Bar, Dishwashing, Kitchen and Purchasing']
    """
    found = chain.analyze()
    names = dict(zip(chain.parties["id"], chain.parties["name"].astype(str)))
    groups = dict(zip(chain.parties["id"], chain.parties["group"]))
    table = found.single_points_of_failure.copy()
    table.insert(2, "group", table["id"].map(groups))
    table["teams"] = [
        listing([names[t] for t in found.nearest_dependents(p, most)], most=most, total=int(d))
        for p, d in zip(table["id"], table["dependents"])
    ]
    return table


# --- the orphans table as a dashboard or a notebook filters it ----------------------------------------------

#: The columns an orphans table leads with; the others (headcount, cost...) follow in their own order.
ORPHAN_COLUMNS = ("id", "name", "group", "reason", "why", "delivers")


def reason_counts(orphans: pd.DataFrame) -> dict[str, int]:
    """How many orphans have each reason, in the order the reasons apply; reasons no orphan has left out.

    Parameters
    ----------
    orphans : pandas.DataFrame
        A table with a ``reason`` column of reason codes (:func:`orphan_details`, ``Findings.orphans``).

    Returns
    -------
    dict
        :class:`valuechain.vocabulary.Reason` (a code, with its title) to count.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> {reason.title: n for reason, n in reason_counts(orphan_details(chain)).items()}
    {'Preference only': 1, 'Serves outside parties only': 1}
    """
    from valuechain.vocabulary import Reason

    counts = orphans["reason"].value_counts()
    return {reason: int(counts[reason]) for reason in Reason if counts.get(reason, 0)}


def filter_orphans(
    orphans: pd.DataFrame, *, groups: list[str] | None = None, reasons: list[str] | None = None
) -> pd.DataFrame:
    """The orphans of some groups (departments) and reasons, their leading columns first.

    Parameters
    ----------
    orphans : pandas.DataFrame
        The orphans' details (:func:`orphan_details`).
    groups : list of str, optional
        Keep orphans in these groups (compared as text); none or empty: every group.
    reasons : list of str, optional
        Keep orphans with these reason codes; none or empty: every reason.

    Returns
    -------
    pandas.DataFrame
        The rows kept, in their order, with :data:`ORPHAN_COLUMNS` first and the other columns after them.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> filter_orphans(orphan_details(chain), reasons=["preference_only"])[["id", "reason"]].values.tolist()
    [['marketing', 'preference_only']]
    """
    kept = orphans
    if groups:
        kept = kept[kept["group"].astype(str).isin([str(g) for g in groups])]
    if reasons:
        kept = kept[kept["reason"].isin(list(reasons))]
    first = [c for c in ORPHAN_COLUMNS if c in kept.columns]
    return kept[first + [c for c in kept.columns if c not in first]]


def find_parties(chain: Chain, text: str, most: int = 20) -> list[str]:
    """The ids of the parties whose id or name holds ``text`` (any case): exact matches first, then those that
    start with it, then the rest, at most ``most`` (for picking one party of a large org by typing).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> find_parties(chain, "KITCH"), find_parties(chain, "nobody")
    (['kitchen'], [])
    """
    return matching(chain.parties["id"], text, most, names=chain.parties["name"])


def matching(
    ids: Sequence[str] | pd.Series, text: str, most: int = 20, names: Sequence[str] | pd.Series | None = None
) -> list[str]:
    """Those of ``ids`` that (or whose ``names``) hold ``text``, any case: exact first, then those starting with it.

    Examples
    --------
    >>> matching(["ops", "devops", "sales"], "OPS")
    ['ops', 'devops']
    """
    wanted = text.strip().lower()
    if not wanted:
        return []
    as_text = pd.Series(ids, dtype=object).astype(str)
    keys = [as_text.str.lower()]
    if names is not None:
        keys.append(pd.Series(names, dtype=object).astype(str).str.lower())
    exact = np.logical_or.reduce([(k == wanted).to_numpy(dtype=bool) for k in keys])
    start = np.logical_or.reduce([k.str.startswith(wanted).to_numpy(dtype=bool) for k in keys])
    inside = np.logical_or.reduce([k.str.contains(wanted, regex=False).to_numpy(dtype=bool) for k in keys])
    rank = np.where(exact, 0, np.where(start, 1, 2))[inside]
    hits = as_text.to_numpy(dtype=object)[inside]
    return [str(i) for i in hits[np.argsort(rank, kind="stable")][:most]]
