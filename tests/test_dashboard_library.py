"""What the dashboard shows that a notebook can have too: orphans filtered by reason and department, and the
changes to single points of failure before and after a what-if, in words."""

from __future__ import annotations

import valuechain as vc
from tests.conftest import DATA
from valuechain.explain import ORPHAN_COLUMNS, filter_orphans, orphan_details, reason_counts
from valuechain.scenarios.changes import LOST_WHY, lost_single_points_explained, single_point_changes
from valuechain.vocabulary import Reason


def midsize() -> vc.Chain:
    return vc.load(DATA / "midsize" / "handoffs.csv", parties=DATA / "midsize" / "parties.csv")


def test_filtering_orphans_by_reason_and_department():
    orphans = orphan_details(midsize())
    dead_ends = filter_orphans(orphans, reasons=["dead_end"])
    assert 0 < len(dead_ends) < len(orphans) and set(dead_ends["reason"]) == {"dead_end"}
    people = filter_orphans(orphans, groups=["People"])
    assert len(people) and set(people["group"]) == {"People"}
    both = filter_orphans(orphans, groups=["People"], reasons=["dead_end"])
    assert set(both["id"]) == set(dead_ends["id"]) & set(people["id"])
    assert len(filter_orphans(orphans)) == len(orphans) == 22  # no filter: every orphan


def test_the_orphans_table_leads_with_who_why_and_to_whom():
    orphans = orphan_details(midsize())
    shown = filter_orphans(orphans, reasons=[])
    assert tuple(shown.columns[: len(ORPHAN_COLUMNS)]) == ORPHAN_COLUMNS
    assert set(shown.columns) == set(orphans.columns)  # reordered, nothing lost


def test_reason_counts_follow_the_order_of_the_reasons_and_add_up():
    orphans = orphan_details(midsize())
    counts = reason_counts(orphans)
    assert sum(counts.values()) == len(orphans)
    assert list(counts) == [r for r in Reason if r in counts] and all(n > 0 for n in counts.values())
    assert all(isinstance(r, Reason) for r in counts)
    assert reason_counts(orphans.iloc[:0]) == {}


def test_single_points_of_failure_lost_with_their_teams_are_explained_in_words():
    changes = midsize().whatif(remove=["sc-warehouse"]).changes
    lost = lost_single_points_explained(changes)
    assert len(lost) == 13 and "mf-qc" in set(lost["id"])
    assert set(lost["why"]) <= set(LOST_WHY.values())
    assert set(changes.lost_single_points_of_failure["why"]) <= set(LOST_WHY)  # the codes stay for machines
    parts = single_point_changes(changes)
    assert list(parts) == ["new", "resolved", "removed", "lost"]
    assert parts["lost"].equals(lost) and parts["new"].equals(changes.new_single_points_of_failure)
