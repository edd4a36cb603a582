"""The headline counts above the tabs, and the Overview tab: the orphans by reason, what an event log adds, and
the chain drawn (one team's paths highlighted, one department drawn party by party)."""

from __future__ import annotations

import streamlit as st

from valuechain.dashboard.decisions import statuses
from valuechain.dashboard.state import Results
from valuechain.dashboard.widgets import NONE, fact, plain, table
from valuechain.explain import find_parties, reason_counts
from valuechain.plot import MAX_PARTIES


def headline(results: Results) -> None:
    """The customers, the size of the org and the five counts of its findings."""
    s = results.found.summary
    st.caption(
        f"Customers: {', '.join(plain(c) for c in results.found.customers)} · {s.parties} {fact('parties').lower()} · "
        f"{s.handoffs} {fact('handoffs').lower()}"
    )
    cols = st.columns(5)
    cols[0].metric(fact("connected"), f"{s.connected} of {s.teams}")
    for cell, code in zip(cols[1:], ("orphans", "loops", "mutual_pairs", "single_points_of_failure")):
        cell.metric(fact(code), s[code])


def party_names(results: Results, parties: list[str] | None = None) -> dict[str, str]:
    """Each party's id (of ``parties``, default all) to "Name (id)" (just the id where the name is the id): the
    highlight selector shows these, so typing in it finds a team by its name as well as by its id.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> party_names(Results(chain))["kitchen"]
    'Kitchen (kitchen)'
    """
    table = results.chain.parties
    if parties is not None:
        table = table[table["id"].isin(parties)]
    ids = [str(i) for i in table["id"]]
    names = [str(n) for n in table["name"]]
    return {i: i if n == i else f"{n} ({i})" for i, n in zip(ids, names)}


#: Parties offered in one list at most; a larger org is searched by typing (a list of 100,000 names is
#: megabytes for the browser, and nobody scrolls it).
LISTED = 2000


def _focus(results: Results) -> str:
    """The party whose paths to draw: picked from every party, or for a large org from those matching a search."""
    prompt = "Highlight one team's paths to the customer (type a name or an id)"
    many = len(results.chain.parties) > LISTED  # the list of every id is built only when it is offered
    parties = [] if many else results.parties
    if many:
        text = st.text_input(prompt, key="focus-search", placeholder="a team's name or id")
        parties = find_parties(results.chain, text) if text.strip() else []
        if text.strip() and not parties:
            st.caption(f"No party's name or id holds '{plain(text.strip())}'.")
    named = party_names(results, parties)
    choice: str = st.selectbox(
        "Matching parties" if many else prompt,
        [NONE, *parties],
        format_func=lambda party: named.get(party, party),
        key="focus",
    )
    return choice


def render(results: Results) -> None:
    """The Overview tab."""
    chain, s = results.chain, results.found.summary
    counts = reason_counts(results.found.orphans)
    if counts:
        st.caption("Orphans by reason: " + " · ".join(f"{reason.title}: {n}" for reason, n in counts.items()))
    statuses(results)
    if "orphan_headcount" in s:
        st.caption(f"{fact('orphan_headcount')}: {s['orphan_headcount']} of {s['total_headcount']}")
    if chain.log is not None:
        log = chain.log
        with st.expander(f"What the event log adds ({log.cases} cases, {log.events} events)", expanded=True):
            st.markdown("**Ping-pong**: pairs of teams that hand the same case back and forth")
            table(log.ping_pong, key="ping-pong")
            st.markdown("**Slowest hand-offs** (hours between the two events)")
            table(log.slowest, key="slowest")
            st.markdown("**Cases that never reach an outcome**, and the team where they stop")
            table(log.stuck, key="stuck")
    focus = _focus(results)
    expand = NONE
    if len(chain.parties) > MAX_PARTIES:  # drawn by department or distance layer: one can be opened up
        expand = st.selectbox("Draw one department (or layer) party by party", [NONE, *results.units], key="expand")
    figure = results.figure(focus=None if focus == NONE else focus, expand=None if expand == NONE else expand)
    st.plotly_chart(figure, width="stretch", key="chain")
