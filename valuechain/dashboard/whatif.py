"""The What-if tab: remove parties or hand-offs, or add hand-offs, and see what breaks or mends; with nothing
changed, what hangs on each party alone."""

from __future__ import annotations

import streamlit as st

import valuechain as vc
from valuechain.dashboard.state import Results
from valuechain.dashboard.widgets import fact, fewer_colour, plain, spof_metrics, spof_tables, table
from valuechain.scenarios.changes import lost_single_points_explained
from valuechain.scenarios.whatif import Scenario, refused_addition, suggested_addition

RANKED = 25  # parties shown in the ranking of what hangs on each


def render(results: Results, signature: tuple[object, ...]) -> None:
    """The What-if tab; hand-offs added are kept for the org of this ``signature`` only."""
    chain, parties = results.chain, results.parties
    st.caption("Remove parties or hand-offs, or add hand-offs, and see what breaks or mends.")
    edges = sorted(set(zip(chain.handoffs["source"], chain.handoffs["target"])))
    remove = st.multiselect("Remove parties", parties, key="whatif-remove")
    cut = st.multiselect("Remove hand-offs", edges, format_func=" → ".join, key="whatif-cut")
    left, right, button = st.columns([2, 2, 1])
    first_giver, first_taker = suggested_addition(chain, results.found)
    giver = left.selectbox("Add a hand-off from", parties, index=parties.index(first_giver), key="whatif-from")
    taker = right.selectbox("to", parties, index=parties.index(first_taker), key="whatif-to")
    if st.session_state.get("whatif-added-for") != signature:  # hand-offs added to another org do not carry over
        st.session_state["whatif-added-for"] = signature
        st.session_state["whatif-added"] = []
    added: list[tuple[str, str]] = st.session_state["whatif-added"]
    if button.button("Add", key="whatif-add"):
        refused = refused_addition(giver, taker, chain, set(edges) - set(cut), remove, added)
        if refused:
            st.warning(refused)
        else:
            added.append((giver, taker))
    if added:
        st.caption("Added: " + ", ".join(" → ".join(p) for p in added))
        if st.button("Clear the added hand-offs", key="whatif-clear"):
            added.clear()
            st.rerun()
    if not (remove or cut or added):
        ranking(results)
        return
    try:
        scenario, picture = results.whatif(tuple(remove), tuple(cut), tuple(added))
    except vc.InputError as err:
        st.error("The what-if cannot be run:\n" + "\n".join(f"- {plain(p)}" for p in err.problems))
    except (KeyError, ValueError) as err:
        st.error(f"The what-if cannot be run: {plain(err)}")
    else:
        outcome(results, scenario)
        st.plotly_chart(picture, width="stretch", key="whatif-figure")


def outcome(results: Results, scenario: Scenario) -> None:
    """The counts after the what-if against the org's, and the teams and single points of failure that change."""
    s, after, changes = results.found.summary, scenario.after.summary, scenario.changes
    lost = lost_single_points_explained(changes)
    c = st.columns(5 if len(lost) else 4)
    c[0].metric(fact("connected"), after.connected, after.connected - s.connected)
    fewer = after.orphans - s.orphans
    removed = changes.removed_orphans
    colour = fewer_colour(fewer, removed)
    help_text = f"Not an improvement: {len(removed)} removed from the org." if colour == "off" else None
    c[1].metric(fact("orphans"), after.orphans, fewer, delta_color=colour, help=help_text)
    fewer = after.loops - s.loops
    c[2].metric(fact("loops"), after.loops, fewer, delta_color=fewer_colour(fewer, changes.removed_loops))
    spof_delta = after.single_points_of_failure - s.single_points_of_failure
    spof_metrics(c[3:], spof_delta, changes, lost, after.single_points_of_failure)
    st.markdown("**Teams that lose their line of sight**")
    table(changes.new_orphans, key="whatif-new")
    st.markdown("**Teams that gain one**")
    table(changes.resolved_orphans, key="whatif-resolved")
    spof_tables(changes, "whatif")


def ranking(results: Results) -> None:
    """What hangs on each party alone, the most first."""
    st.markdown("**What hangs on each party alone** (teams that would lose their line of sight; customers left out)")
    shown, hidden = results.ranking.top(RANKED)
    table(shown, key="ranking")
    if hidden:
        st.caption(f"… and {hidden:,} more parties, on which fewer teams hang.")
