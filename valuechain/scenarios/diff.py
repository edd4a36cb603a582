"""Compare two versions of the same organisation, matched by id.

Parties and hand-offs added, removed and changed, and what that did to the
findings: orphans new, resolved and removed (parties that left), loops new,
resolved, removed and changed, single points of failure new, resolved, lost
(the teams behind them lost their path) and removed, distances that moved
(see :class:`~valuechain.scenarios.changes.FindingChanges`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from valuechain.analysis import Summary
from valuechain.jsonable import or_none, records
from valuechain.scenarios.changes import FindingChanges, changes_summary, compare

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Party fields whose change is reported.
PARTY_FIELDS = ("name", "kind", "group")
#: Below this share of shared ids, the versions probably use different ids for the same parties.
SHARED_IDS = 0.5


@dataclass
class Diff:
    """Two versions of an org compared.

    Attributes
    ----------
    parties_added, parties_removed : pandas.DataFrame
        ``id``, ``name``, ``kind``, ``group``.
    parties_changed : pandas.DataFrame
        ``id``, ``field``, ``before``, ``after``: one row per changed field.
    handoffs_added, handoffs_removed : pandas.DataFrame
        ``source``, ``target``, ``deliverable``, ``essential``.
    handoffs_changed : pandas.DataFrame
        ``source``, ``target``, ``deliverable``, ``essential_before``, ``essential_after``.
    changes : FindingChanges
        What happened to the findings: a party added in the newer version that
        is an orphan there is in ``changes.new_orphans``; one removed that was
        an orphan is in ``changes.removed_orphans`` (not resolved).
    shared_ids : float
        The share of party ids found in both versions.
    notes : list of str
        Warnings for the reader (most ids differ: renamed ids cannot be matched).
    summary_before, summary_after : valuechain.analysis.Summary
        The counts of the findings of each version.

    Examples
    --------
    >>> import valuechain as vc
    >>> before = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> after = vc.load("data/midsize-reorganised/handoffs.csv", parties="data/midsize-reorganised/parties.csv")
    >>> d = before.diff(after)
    >>> len(d.changes.resolved_orphans), len(d.handoffs_added)
    (12, 6)
    """

    parties_added: pd.DataFrame
    parties_removed: pd.DataFrame
    parties_changed: pd.DataFrame
    handoffs_added: pd.DataFrame
    handoffs_removed: pd.DataFrame
    handoffs_changed: pd.DataFrame
    changes: FindingChanges
    shared_ids: float
    notes: list[str]
    summary_before: Summary
    summary_after: Summary

    def __repr__(self) -> str:
        return (
            f"<Diff: parties +{len(self.parties_added)} -{len(self.parties_removed)} "
            f"~{self.parties_changed['id'].nunique()}, hand-offs +{len(self.handoffs_added)} "
            f"-{len(self.handoffs_removed)} ~{len(self.handoffs_changed)}; {changes_summary(self.changes)}>"
        )

    def _repr_html_(self) -> str:
        from valuechain.scenarios.changes import changes_html

        facts = [
            ("parties added / removed / changed",
             f"{len(self.parties_added)} / {len(self.parties_removed)} / {self.parties_changed['id'].nunique()}"),
            ("hand-offs added / removed / changed",
             f"{len(self.handoffs_added)} / {len(self.handoffs_removed)} / {len(self.handoffs_changed)}"),
            ("share of ids in both versions", f"{self.shared_ids:.0%}"),
            *[("note", n) for n in self.notes],
        ]  # fmt: skip
        return changes_html("valuechain.Diff", self.changes, facts)

    def to_dict(self) -> dict:
        """JSON-ready data, keys as in the JSON contract (docs/FORMATS.md)."""
        return {
            "parties_added": records(self.parties_added),
            "parties_removed": records(self.parties_removed),
            "parties_changed": records(self.parties_changed),
            "handoffs_added": records(self.handoffs_added),
            "handoffs_removed": records(self.handoffs_removed),
            "handoffs_changed": records(self.handoffs_changed),
            **self.changes.to_dict(),
            "shared_ids": round(self.shared_ids, 4),
            "notes": list(self.notes),
            "summary_before": dict(self.summary_before),
            "summary_after": dict(self.summary_after),
        }


def diff(old: Chain, new: Chain) -> Diff:
    """Compare ``old`` with ``new``.

    Hand-offs are matched by (source, target, deliverable); one whose
    ``essential`` flag differs is *changed*.

    Examples
    --------
    >>> import pandas as pd
    >>> import valuechain as vc
    >>> old = vc.load(pd.DataFrame({"source": ["a", "b"], "target": ["c", "a"]}), customers=["c"])
    >>> new = vc.load(pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"]}), customers=["c"])
    >>> d = diff(old, new)
    >>> d.handoffs_added[["source", "target"]].values.tolist(), d.changes.distance_changes["id"].tolist()
    ([['b', 'c']], ['b'])
    """
    columns = ["id", *PARTY_FIELDS]
    p_old = old.parties[columns].astype(object).set_index("id")
    p_new = new.parties[columns].astype(object).set_index("id")
    added = sorted(set(p_new.index) - set(p_old.index))
    removed = sorted(set(p_old.index) - set(p_new.index))
    common = sorted(set(p_old.index) & set(p_new.index))
    changed = []
    for field in PARTY_FIELDS:
        before, after = p_old.loc[common, field], p_new.loc[common, field]
        differs = ~((before == after) | (before.isna() & after.isna()))
        for party in before.index[differs.to_numpy(dtype=bool)]:
            changed.append(
                {"id": party, "field": field, "before": or_none(before[party]), "after": or_none(after[party])}
            )
    changed.sort(key=lambda r: (r["id"], PARTY_FIELDS.index(r["field"])))

    h_old, h_new = _handoffs(old), _handoffs(new)
    keys = ["source", "target", "deliverable"]
    merged = h_old.merge(h_new, on=keys, how="outer", suffixes=("_before", "_after"), indicator=True)
    gone = merged[merged["_merge"] == "left_only"]
    came = merged[merged["_merge"] == "right_only"]
    both = merged[merged["_merge"] == "both"]
    flipped = both[both["essential_before"] != both["essential_after"]]

    union = len(set(p_old.index) | set(p_new.index))
    shared = len(common) / union if union else 1.0
    notes = []
    if shared < SHARED_IDS:
        notes.append(
            f"only {shared:.0%} of party ids appear in both versions: renamed ids cannot be matched, "
            "so renamed parties show as removed and added"
        )
    before_found, after_found = old.analyze(), new.analyze()
    return Diff(
        parties_added=p_new.loc[added].reset_index()[columns],
        parties_removed=p_old.loc[removed].reset_index()[columns],
        parties_changed=pd.DataFrame(changed, columns=["id", "field", "before", "after"]),
        handoffs_added=came[[*keys, "essential_after"]]
        .rename(columns={"essential_after": "essential"})
        .reset_index(drop=True)
        .astype({"essential": bool}),
        handoffs_removed=gone[[*keys, "essential_before"]]
        .rename(columns={"essential_before": "essential"})
        .reset_index(drop=True)
        .astype({"essential": bool}),
        handoffs_changed=flipped[[*keys, "essential_before", "essential_after"]].reset_index(drop=True),
        changes=compare(before_found, after_found),
        shared_ids=shared,
        notes=notes,
        summary_before=before_found.summary,
        summary_after=after_found.summary,
    )


def _handoffs(chain: Chain) -> pd.DataFrame:
    """Distinct (source, target, deliverable) with ``essential`` if any such row is, sorted."""
    table = chain.handoffs[["source", "target", "deliverable", "essential"]].astype(
        {"source": object, "target": object, "deliverable": object, "essential": bool}
    )
    table = table.groupby(["source", "target", "deliverable"], as_index=False, sort=True)["essential"].any()
    return table
