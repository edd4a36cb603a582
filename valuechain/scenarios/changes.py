"""What changed between two sets of findings: the part that what-if and diff share.

Teams are matched by id. Loops are matched by shared members: a loop that
gains or loses members is *changed*, not resolved and new.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from valuechain.analysis import Findings
from valuechain.jsonable import or_none, records


@dataclass
class FindingChanges:
    """Findings that appear, vanish or change between ``before`` and ``after``.

    Attributes
    ----------
    new_orphans, resolved_orphans : pandas.DataFrame
        Teams that lose / gain their line of sight (``id``, ``name``,
        ``group``, ``reason``: the reason after, or before for resolved ones).
    new_loops, resolved_loops : pandas.DataFrame
        ``members``, ``connected``.
    changed_loops : pandas.DataFrame
        ``before``, ``after`` (member lists), ``joined``, ``left``.
    new_mutual_pairs, resolved_mutual_pairs : pandas.DataFrame
        ``a``, ``b``.
    new_single_points_of_failure, resolved_single_points_of_failure : pandas.DataFrame
        ``id``, ``dependents`` (after, or before for resolved ones).
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
    new_loops: pd.DataFrame
    resolved_loops: pd.DataFrame
    changed_loops: pd.DataFrame
    new_mutual_pairs: pd.DataFrame
    resolved_mutual_pairs: pd.DataFrame
    new_single_points_of_failure: pd.DataFrame
    resolved_single_points_of_failure: pd.DataFrame
    distance_changes: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """How many of each change."""
        return {name: len(getattr(self, name)) for name in self.__dataclass_fields__}

    def __repr__(self) -> str:
        shown = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in self.counts().items() if v)
        return f"<FindingChanges: {shown or 'nothing changed'}>"

    def _repr_html_(self) -> str:
        return changes_html("valuechain.FindingChanges", self, [])

    def to_dict(self) -> dict:
        """Plain lists and dicts, for JSON."""
        out = {}
        for name in ("new_orphans", "resolved_orphans"):
            out[name] = records(getattr(self, name))
        for name in ("new_loops", "resolved_loops"):
            out[name] = [
                {"members": list(r["members"]), "connected": bool(r["connected"])}
                for r in getattr(self, name).to_dict("records")
            ]
        out["changed_loops"] = [
            {k: list(r[k]) for k in ("before", "after", "joined", "left")}
            for r in self.changed_loops.to_dict("records")
        ]
        for name in ("new_mutual_pairs", "resolved_mutual_pairs"):
            out[name] = getattr(self, name)[["a", "b"]].values.tolist()
        for name in ("new_single_points_of_failure", "resolved_single_points_of_failure"):
            out[name] = [
                {"id": r["id"], "dependents": int(r["dependents"])} for r in getattr(self, name).to_dict("records")
            ]
        out["distance_changes"] = [
            {"id": r["id"], "before": or_none(r["before"]), "after": or_none(r["after"])}
            for r in self.distance_changes.to_dict("records")
        ]
        return out


def compare(before: Findings, after: Findings, ignore: set[str] = frozenset()) -> FindingChanges:
    """The changes from ``before`` to ``after``; parties in ``ignore`` (removed ones) are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> import valuechain as vc
    >>> old = vc.load(pd.DataFrame({"source": ["a", "b"], "target": ["c", "a"]}), customers=["c"])
    >>> new = vc.load(pd.DataFrame({"source": ["b"], "target": ["c"]}), customers=["c"])
    >>> compare(old.analyze(), new.analyze()).distance_changes.to_dict("records")
    [{'id': 'b', 'before': 2, 'after': 1}]
    """
    orphans_before = before.orphans.set_index("id")
    orphans_after = after.orphans.set_index("id")
    teams_before = set(before.parties.loc[before.parties["kind"] == "team", "id"])
    teams_after = set(after.parties.loc[after.parties["kind"] == "team", "id"])
    both = (teams_before & teams_after) - ignore
    lost = sorted(both & (set(orphans_after.index) - set(orphans_before.index)))
    gained = sorted(both & (set(orphans_before.index) - set(orphans_after.index)))
    columns = ["id", "name", "group", "reason"]

    new_loops, resolved_loops, changed_loops = _loops(before.loops, after.loops, ignore)

    pairs_before = set(map(tuple, before.mutual_pairs[["a", "b"]].values.tolist()))
    pairs_after = set(map(tuple, after.mutual_pairs[["a", "b"]].values.tolist()))
    pairs = lambda found: pd.DataFrame(sorted(found), columns=["a", "b"])  # noqa: E731

    spof_before = dict(zip(before.single_points_of_failure["id"], before.single_points_of_failure["dependents"]))
    spof_after = dict(zip(after.single_points_of_failure["id"], after.single_points_of_failure["dependents"]))
    appear = sorted(set(spof_after) - set(spof_before) - ignore)
    vanish = sorted(set(spof_before) - set(spof_after) - ignore)

    ids = sorted((set(before.parties["id"]) & set(after.parties["id"])) - ignore)
    rows = []
    for party in ids:
        b, a = before.distance.get(party), after.distance.get(party)
        if b != a:
            rows.append({"id": party, "before": b, "after": a})
    return FindingChanges(
        new_orphans=orphans_after.loc[lost].reset_index()[columns] if lost else _empty(columns),
        resolved_orphans=orphans_before.loc[gained].reset_index()[columns] if gained else _empty(columns),
        new_loops=new_loops,
        resolved_loops=resolved_loops,
        changed_loops=changed_loops,
        new_mutual_pairs=pairs(pairs_after - pairs_before),
        resolved_mutual_pairs=pairs(pairs_before - pairs_after),
        new_single_points_of_failure=pd.DataFrame(
            {"id": appear, "dependents": [spof_after[p] for p in appear]}, columns=["id", "dependents"]
        ),
        resolved_single_points_of_failure=pd.DataFrame(
            {"id": vanish, "dependents": [spof_before[p] for p in vanish]}, columns=["id", "dependents"]
        ),
        distance_changes=pd.DataFrame(rows, columns=["id", "before", "after"]).astype(
            {"before": "Int64", "after": "Int64"}
        ),
    )


def _loops(before: pd.DataFrame, after: pd.DataFrame, ignore: set[str]):
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


def changes_html(title: str, changes: FindingChanges, facts: list[tuple[str, object]]) -> str:
    """A scenario's or a diff's HTML summary: some facts, the counts of changes, the changed teams."""
    from valuechain.display import summary_html

    counts = [(k.replace("_", " "), v) for k, v in changes.counts().items() if v]
    return summary_html(
        title,
        facts + (counts or [("changes to the findings", "none")]),
        [
            ("Teams that lose their line of sight", changes.new_orphans),
            ("Teams that gain one", changes.resolved_orphans),
            ("New single points of failure", changes.new_single_points_of_failure),
        ],
    )
