"""What changed between two sets of findings: the part that what-if and diff share.

Teams are matched by id. Loops are matched by shared members: a loop that
gains or loses members is *changed*, not resolved and new.

Every finding that is there before and gone after is accounted for once, so the
counts add up::

    orphans after = orphans before + new - resolved - removed
    loops after   = loops before + new - resolved - removed   (changed ones matched one to one)
    single points of failure after = before + new - resolved - lost - removed

*Resolved* is an improvement (an orphan that gained a path, a single point of
failure whose teams found another way); *removed* is a finding whose parties
left the org (or are no longer of a kind that can have it); *lost* is a single
point of failure that vanished because the teams behind it lost their path.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.algorithms import subtree_sums
from valuechain.analysis import Findings
from valuechain.jsonable import or_none, records
from valuechain.vocabulary import CHANGES

#: Why a single point of failure is *lost* (``lost_single_points_of_failure["why"]``), as a plain sentence.
LOST_WHY = {
    "became_orphan": "it lost its own path to the customer (it is an orphan now)",
    "lost_its_path": "it lost its own path to the customer",
    "dependents_lost_path": "teams that hung on it lost their path to the customer",
    "dependents_removed": "every team that hung on it was removed or is no longer a team",
}
#: Columns of each table of :class:`FindingChanges` (the same keys in ``to_dict``).
COLUMNS = {
    "new_orphans": ["id", "name", "group", "reason"],
    "resolved_orphans": ["id", "name", "group", "reason_before"],
    "removed_orphans": ["id", "name", "group", "reason_before", "now"],
    "new_loops": ["members", "connected"],
    "resolved_loops": ["members", "connected"],
    "removed_loops": ["members", "connected"],
    "changed_loops": ["before", "after", "joined", "left"],
    "new_mutual_pairs": ["a", "b"],
    "resolved_mutual_pairs": ["a", "b"],
    "removed_mutual_pairs": ["a", "b"],
    "new_single_points_of_failure": ["id", "dependents"],
    "resolved_single_points_of_failure": ["id", "dependents"],
    "lost_single_points_of_failure": ["id", "dependents", "why"],
    "removed_single_points_of_failure": ["id", "dependents", "now"],
    "distance_changes": ["id", "before", "after"],
}


@dataclass
class FindingChanges:
    """Findings that appear, vanish or change between ``before`` and ``after``.

    Each finding present before and gone after is in exactly one of the
    *resolved*, *lost* (single points of failure only) and *removed* tables,
    so that ``after = before + new - resolved - lost - removed`` holds for
    orphans, loops (by members, changed loops matched one to one), mutual
    pairs and single points of failure.

    Attributes
    ----------
    new_orphans : pandas.DataFrame
        Orphans after that were not orphans before, parties added in the newer
        version included: ``id``, ``name``, ``group``, ``reason`` (the reason now).
    resolved_orphans : pandas.DataFrame
        Orphans before that are teams after and reach a customer now:
        ``id``, ``name``, ``group`` (as they are now) and ``reason_before``,
        the reason they *were* orphans (it no longer holds: they are connected).
    removed_orphans : pandas.DataFrame
        Orphans before that are no longer teams after, so neither orphans nor
        resolved: ``id``, ``name``, ``group``, ``reason_before`` (as before) and
        ``now``: ``"removed"`` (not in the org any more), ``"customer"``, or
        the party's new kind (``"supplier"``, ...).
    new_loops, resolved_loops : pandas.DataFrame
        ``members``, ``connected``. A resolved loop has a member left after.
    removed_loops : pandas.DataFrame
        ``members``, ``connected``: loops that vanished with a member that left the org.
    changed_loops : pandas.DataFrame
        ``before``, ``after`` (member lists), ``joined``, ``left``.
    new_mutual_pairs, resolved_mutual_pairs, removed_mutual_pairs : pandas.DataFrame
        ``a``, ``b``; removed: a party of the pair left the org.
    new_single_points_of_failure : pandas.DataFrame
        ``id``, ``dependents`` (after), parties added in the newer version included.
    resolved_single_points_of_failure : pandas.DataFrame
        ``id``, ``dependents`` (before): the party still reaches a customer and
        so does every team that hung on it and is still a team, each by
        another way now (redundancy added); at least one such team is left.
    lost_single_points_of_failure : pandas.DataFrame
        ``id``, ``dependents`` (before), ``why``: gone, but not as an
        improvement. ``why`` is the first that applies: ``became_orphan`` (the
        team itself lost its path), ``lost_its_path`` (the same for a party that
        is not a team), ``dependents_lost_path`` (some team that hung on it
        lost its path), ``dependents_removed`` (every team that hung on it left
        the org or is no longer a team). :data:`LOST_WHY` says each in words.
    removed_single_points_of_failure : pandas.DataFrame
        ``id``, ``dependents`` (before), ``now``: ``"removed"`` (the party left
        the org) or ``"customer"`` (a customer cannot be one).
    distance_changes : pandas.DataFrame
        ``id``, ``before``, ``after`` (missing where not connected) for every
        party present in both whose distance differs.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> chain.whatif(remove=["repair-agents"]).changes.new_orphans["id"].tolist()
    ['finance', 'spare-parts', 'warranty']
    """

    new_orphans: pd.DataFrame
    resolved_orphans: pd.DataFrame
    removed_orphans: pd.DataFrame
    new_loops: pd.DataFrame
    resolved_loops: pd.DataFrame
    removed_loops: pd.DataFrame
    changed_loops: pd.DataFrame
    new_mutual_pairs: pd.DataFrame
    resolved_mutual_pairs: pd.DataFrame
    removed_mutual_pairs: pd.DataFrame
    new_single_points_of_failure: pd.DataFrame
    resolved_single_points_of_failure: pd.DataFrame
    lost_single_points_of_failure: pd.DataFrame
    removed_single_points_of_failure: pd.DataFrame
    distance_changes: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """How many of each change, by table name (every table, zeros included).

        Examples
        --------
        >>> import valuechain as vc
        >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
        >>> counts = chain.whatif(remove=["repair-agents"]).changes.counts()
        >>> counts["new_orphans"], counts["lost_single_points_of_failure"]
        (3, 1)
        """
        return {name: len(getattr(self, name)) for name in self.__dataclass_fields__}

    def __repr__(self) -> str:
        shown = ", ".join(f"{CHANGES[k].lower()}: {v}" for k, v in self.counts().items() if v)
        return f"<FindingChanges: {shown or 'nothing changed'}>"

    def _repr_html_(self) -> str:
        return changes_html("valuechain.FindingChanges", self, [])

    def to_dict(self) -> dict:
        """Plain lists and dicts, for JSON: one key per table, in the order of :func:`counts`.

        Orphans are objects with the table's columns; loops ``{"members", "connected"}``;
        changed loops ``{"before", "after", "joined", "left"}``; mutual pairs ``[a, b]``;
        single points of failure ``{"id", "dependents"}``, with ``why`` (lost) or ``now``
        (removed); distance changes ``{"id", "before", "after"}``.
        """
        out = {}
        for name in ("new_orphans", "resolved_orphans", "removed_orphans"):
            out[name] = records(getattr(self, name)[COLUMNS[name]])
        for name in ("new_loops", "resolved_loops", "removed_loops"):
            out[name] = [
                {"members": list(r["members"]), "connected": bool(r["connected"])}
                for r in getattr(self, name).to_dict("records")
            ]
        out["changed_loops"] = [
            {k: list(r[k]) for k in ("before", "after", "joined", "left")}
            for r in self.changed_loops.to_dict("records")
        ]
        for name in ("new_mutual_pairs", "resolved_mutual_pairs", "removed_mutual_pairs"):
            out[name] = getattr(self, name)[["a", "b"]].values.tolist()
        for name in (
            "new_single_points_of_failure",
            "resolved_single_points_of_failure",
            "lost_single_points_of_failure",
            "removed_single_points_of_failure",
        ):
            extra = COLUMNS[name][2:]
            out[name] = [
                {"id": r["id"], "dependents": int(r["dependents"]), **{k: r[k] for k in extra}}
                for r in getattr(self, name).to_dict("records")
            ]
        out["distance_changes"] = [
            {"id": r["id"], "before": or_none(r["before"]), "after": or_none(r["after"])}
            for r in self.distance_changes.to_dict("records")
        ]
        return out


def compare(before: Findings, after: Findings, *, ignore: Set[str] = frozenset()) -> FindingChanges:
    """The changes from ``before`` to ``after``.

    Parties found before but not after (and those in ``ignore``) have left the
    org: their findings are *removed*, and loops are matched without them.

    Examples
    --------
    >>> import pandas as pd
    >>> import valuechain as vc
    >>> old = vc.load(pd.DataFrame({"source": ["a", "b"], "target": ["c", "a"]}), customers=["c"])
    >>> new = vc.load(pd.DataFrame({"source": ["b"], "target": ["c"]}), customers=["c"])
    >>> compare(old.analyze(), new.analyze()).distance_changes.to_dict("records")
    [{'id': 'b', 'before': 2, 'after': 1}]

    An orphan added in the newer version is a new orphan:

    >>> newer = vc.load(pd.DataFrame({"source": ["b", "d"], "target": ["c", "d"]}), customers=["c"])
    >>> compare(new.analyze(), newer.analyze()).new_orphans[["id", "reason"]].to_dict("records")
    [{'id': 'd', 'reason': 'dead_end'}]
    """
    after_parties = after.parties.set_index("id")
    gone = (set(before.parties["id"]) - set(after_parties.index)) | set(ignore)
    customers_after = set(after.customers)
    teams_after = _teams(after)

    def now(party: str) -> str:
        if party in gone:
            return "removed"
        return "customer" if party in customers_after else str(after_parties.at[party, "kind"])

    orphans_before = before.orphans.set_index("id")
    orphans_after = after.orphans.set_index("id")
    vanished = set(orphans_before.index) - set(orphans_after.index)
    new = sorted(set(orphans_after.index) - set(orphans_before.index))
    resolved = sorted(vanished & teams_after)
    removed = sorted(vanished - teams_after)
    resolved_frame = _empty(COLUMNS["resolved_orphans"])
    if resolved:
        resolved_frame = after_parties.loc[resolved, ["name", "group"]].reset_index()
        resolved_frame["reason_before"] = orphans_before.loc[resolved, "reason"].to_numpy()
    removed_frame = _empty(COLUMNS["removed_orphans"])
    if removed:
        removed_frame = orphans_before.loc[removed, ["name", "group", "reason"]].reset_index()
        removed_frame = removed_frame.rename(columns={"reason": "reason_before"})
        removed_frame["now"] = [now(p) for p in removed]

    new_loops, resolved_loops, changed_loops = _loops(before.loops, after.loops, gone)
    # a loop or pair that vanished because a member left the org went with it: not an improvement
    all_gone = np.array([bool(set(m) & gone) for m in resolved_loops["members"]], dtype=bool)
    removed_loops = resolved_loops[all_gone].reset_index(drop=True)
    resolved_loops = resolved_loops[~all_gone].reset_index(drop=True)

    pairs_before = set(map(tuple, before.mutual_pairs[["a", "b"]].values.tolist()))
    pairs_after = set(map(tuple, after.mutual_pairs[["a", "b"]].values.tolist()))
    pairs = lambda found: pd.DataFrame(sorted(found), columns=["a", "b"])  # noqa: E731
    pairs_gone = {p for p in pairs_before - pairs_after if set(p) & gone}

    spof_before = dict(zip(before.single_points_of_failure["id"], before.single_points_of_failure["dependents"]))
    spof_after = dict(zip(after.single_points_of_failure["id"], after.single_points_of_failure["dependents"]))
    appear = sorted(set(spof_after) - set(spof_before))
    vanish = sorted(set(spof_before) - set(spof_after))
    spof_removed = [p for p in vanish if p in gone or p in customers_after]
    why = _why_lost(before, [p for p in vanish if p not in gone and p not in customers_after], after, teams_after)
    spof_lost = [p for p in vanish if why.get(p)]
    spof_resolved = [p for p in vanish if p in why and not why[p]]

    ids = sorted((set(before.parties["id"]) & set(after_parties.index)) - gone)
    rows = []
    for party in ids:
        b, a = before.distance.get(party), after.distance.get(party)
        if b != a:
            rows.append({"id": party, "before": b, "after": a})
    return FindingChanges(
        new_orphans=orphans_after.loc[new].reset_index()[COLUMNS["new_orphans"]]
        if new
        else _empty(COLUMNS["new_orphans"]),
        resolved_orphans=resolved_frame[COLUMNS["resolved_orphans"]],
        removed_orphans=removed_frame[COLUMNS["removed_orphans"]],
        new_loops=new_loops,
        resolved_loops=resolved_loops,
        removed_loops=removed_loops,
        changed_loops=changed_loops,
        new_mutual_pairs=pairs(pairs_after - pairs_before),
        resolved_mutual_pairs=pairs(pairs_before - pairs_after - pairs_gone),
        removed_mutual_pairs=pairs(pairs_gone),
        new_single_points_of_failure=_spof(appear, spof_after),
        resolved_single_points_of_failure=_spof(spof_resolved, spof_before),
        lost_single_points_of_failure=_spof(spof_lost, spof_before, why=[why[p] for p in spof_lost]),
        removed_single_points_of_failure=_spof(spof_removed, spof_before, now=[now(p) for p in spof_removed]),
        distance_changes=pd.DataFrame(rows, columns=["id", "before", "after"]).astype(
            {"before": "Int64", "after": "Int64"}
        ),
    )


def _teams(found: Findings) -> set[str]:
    """The ids of the teams (kind ``team``, not a customer): the parties that can be orphans."""
    return set(found.parties.loc[_team_mask(found), "id"])


def _team_mask(found: Findings) -> np.ndarray:
    """Per party of ``found``: whether it is a team (kind ``team``, not a customer)."""
    parties = found.parties
    return (parties["kind"] == "team").to_numpy(dtype=bool) & ~parties["id"].isin(found.customers).to_numpy(dtype=bool)


def _why_lost(before: Findings, vanished: list[str], after: Findings, teams_after: set[str]) -> dict[str, str]:
    """For each single point of failure that vanished but whose party is still a non-customer party:
    why it is lost (see :class:`FindingChanges`), or ``""`` when it is resolved.

    The teams that hung on each are its descendants in the dominator tree
    before; two sums over that tree (teams that lost their path, teams that
    kept one) answer for all of them at once, in linear time.
    """
    if not vanished:
        return {}
    parties = before.parties
    ids = parties["id"].to_numpy(dtype=object)
    team_before = _team_mask(before)
    # each party's status after, aligned with the parties before by one hash join (absent: neither)
    status = pd.DataFrame(
        {
            "team": _team_mask(after),
            "connected": after.parties["connected"].to_numpy(dtype=bool),
        },
        index=pd.Index(after.parties["id"].to_numpy(dtype=object)),
    )
    status = status.reindex(pd.Index(ids), fill_value=False)
    still_team = status["team"].to_numpy(dtype=bool)
    reaches_after = status["connected"].to_numpy(dtype=bool)
    lost_path = (team_before & still_team & ~reaches_after).astype(np.int64)
    kept_path = (team_before & still_team & reaches_after).astype(np.int64)
    position = {p: i for i, p in enumerate(ids.tolist())}
    # analyze() always records the dominator tree; without one, no team hangs on anything
    parent = before.dominator if before.dominator is not None else np.full(len(ids), -1, dtype=np.int64)
    distance = parties["distance"].to_numpy(dtype=float, na_value=np.nan)
    order = np.flatnonzero(~np.isnan(distance))
    level = np.nan_to_num(distance, nan=-1).astype(np.int64)
    lost_below = subtree_sums(parent, order, lost_path, level)
    kept_below = subtree_sums(parent, order, kept_path, level)
    why = {}
    for party in vanished:
        at = position[party]
        if not reaches_after[at]:
            why[party] = "became_orphan" if party in teams_after else "lost_its_path"
        elif lost_below[at]:
            why[party] = "dependents_lost_path"
        elif not kept_below[at]:
            why[party] = "dependents_removed"
        else:
            why[party] = ""
    return why


def _spof(ids: list[str], dependents: dict, **extra: list) -> pd.DataFrame:
    """A table of single points of failure: ``id``, ``dependents`` (from ``dependents``) and ``extra`` columns."""
    columns = ["id", "dependents", *extra]
    data = {"id": ids, "dependents": [int(dependents[p]) for p in ids], **extra}
    return pd.DataFrame(data, columns=columns).astype({"id": object, "dependents": np.int64})


def _loops(
    before: pd.DataFrame, after: pd.DataFrame, ignore: Set[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Match loops by shared members (removed parties do not count)."""
    old = [(frozenset(m) - ignore, m, c) for m, c in zip(before["members"], before["connected"])]
    new = [(frozenset(m) - ignore, m, c) for m, c in zip(after["members"], after["connected"])]
    matched_old, matched_new, changed = set(), set(), []
    for j, (members_new, list_new, _) in enumerate(new):
        for i, (members_old, list_old, _) in enumerate(old):
            if i not in matched_old and members_new & members_old:
                matched_old.add(i)
                matched_new.add(j)
                if set(list_new) != set(list_old):
                    changed.append(
                        {
                            "before": list(list_old),
                            "after": list(list_new),
                            "joined": sorted(set(list_new) - set(list_old)),
                            "left": sorted(set(list_old) - set(list_new)),
                        }
                    )
                break
    frame = lambda rows: pd.DataFrame(  # noqa: E731
        {"members": [list(r[1]) for r in rows], "connected": [bool(r[2]) for r in rows]},
        columns=["members", "connected"],
    )
    return (
        frame([new[j] for j in range(len(new)) if j not in matched_new]),
        frame([old[i] for i in range(len(old)) if i not in matched_old]),
        pd.DataFrame(changed, columns=["before", "after", "joined", "left"]),
    )


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def changes_summary(changes: FindingChanges) -> str:
    """The counts of changes in one line, for ``__repr__``: new, resolved, lost and removed per finding.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> print(changes_summary(chain.whatif(remove=["repair-agents"]).changes).replace("; ", "\\n"))
    orphans +3 -0 resolved -0 removed
    loops +0 -0 resolved -1 removed ~0
    single points of failure +1 -0 resolved -1 lost -1 removed
    """
    c = changes.counts()
    return (
        f"orphans +{c['new_orphans']} -{c['resolved_orphans']} resolved -{c['removed_orphans']} removed; "
        f"loops +{c['new_loops']} -{c['resolved_loops']} resolved -{c['removed_loops']} removed "
        f"~{c['changed_loops']}; single points of failure +{c['new_single_points_of_failure']} "
        f"-{c['resolved_single_points_of_failure']} resolved -{c['lost_single_points_of_failure']} lost "
        f"-{c['removed_single_points_of_failure']} removed"
    )


def changes_html(title: str, changes: FindingChanges, facts: Sequence[tuple[str, object]]) -> str:
    """A scenario's or a diff's HTML summary: some facts, the counts of changes, the changed teams.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> "New orphaned teams" in changes_html("what-if", chain.whatif(remove=["finance"]).changes, [])
    True
    """
    from valuechain.display import summary_html

    counts: list[tuple[str, object]] = [(CHANGES[k], v) for k, v in changes.counts().items() if v]
    return summary_html(
        title,
        [*facts, *(counts or [("changes to the findings", "none")])],
        [
            (CHANGES[name], getattr(changes, name))
            for name in (
                "new_orphans",
                "resolved_orphans",
                "removed_orphans",
                "new_single_points_of_failure",
                "resolved_single_points_of_failure",
                "lost_single_points_of_failure",
                "removed_single_points_of_failure",
            )
        ],
    )


# --- the changes to single points of failure as a person reads them ------------------------------------------


def lost_single_points_explained(changes: FindingChanges) -> pd.DataFrame:
    """The single points of failure lost with their teams, with ``why`` in words (:data:`LOST_WHY`), not a code.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> lost = lost_single_points_explained(chain.whatif(remove=["repair-agents"]).changes)
    >>> lost["why"].tolist()
    ['it lost its own path to the customer (it is an orphan now)']
    """
    lost = changes.lost_single_points_of_failure
    return lost.assign(why=lost["why"].map(LOST_WHY).fillna(lost["why"]))


def single_point_changes(changes: FindingChanges) -> dict[str, pd.DataFrame]:
    """The changes to single points of failure, before against after, one table each, in the order to show them.

    Returns
    -------
    dict
        ``new``, ``resolved``, ``removed`` and ``lost`` (with ``why`` in words) to their tables, each with
        ``id`` and ``dependents`` (``why`` or ``now`` after them where the table has it).

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> {part: len(t) for part, t in single_point_changes(chain.whatif(remove=["repair-agents"]).changes).items()}
    {'new': 1, 'resolved': 0, 'removed': 1, 'lost': 1}
    """
    return {
        "new": changes.new_single_points_of_failure,
        "resolved": changes.resolved_single_points_of_failure,
        "removed": changes.removed_single_points_of_failure,
        "lost": lost_single_points_explained(changes),
    }
