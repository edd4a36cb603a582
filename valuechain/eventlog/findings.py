"""What an event log adds to a chain's findings, whichever engine computed it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

CUSTOMER = "customer"
#: How many rows of ping-pong pairs and of stuck teams a result keeps (the rest are counted, "and N more").
KEPT = 1000


@dataclass
class LogFindings:
    """What a log adds to the chain's findings.

    Attributes
    ----------
    cases, events : int
        How many cases and events the log holds.
    ping_pong : pandas.DataFrame
        ``a``, ``b``, ``cases``: pairs of teams that hand a case back and
        forth, with the number of cases that bounce between them; most first
        (the first 1,000 pairs; ``more_ping_pong`` counts the others).
    slowest : pandas.DataFrame
        The hand-offs with the longest median wait (``source``, ``target``,
        ``deliverable``, ``cases``, ``median_wait_hours``, ``p90_wait_hours``).
    stuck : pandas.DataFrame
        ``team``, ``cases``, ``last_activity``: where the cases that never
        reach an outcome stop; most first (the first 1,000 teams;
        ``more_stuck`` counts the others).
    waits : str
        How the median and 90th-percentile waits were computed: ``"exact"``,
        ``"approximate_duckdb"`` (DuckDB's ``approx_quantile``) or
        ``"approximate_spark"`` (Spark's ``percentile_approx``); in words:
        ``valuechain.vocabulary.WAITS[waits]``.
    engine : str
        What ran the handover rule: ``"duckdb"`` or ``"spark"``.
    more_ping_pong, more_stuck : int
        Ping-pong pairs and stuck teams left out of the tables above.
    never_reached : int
        Cases that never reach an outcome (all of them, listed or not).

    Examples
    --------
    >>> import valuechain as vc
    >>> log = vc.from_log("data/order-to-delivery/events.csv", outcomes=["deliver order"]).log
    >>> log.stuck["team"].tolist(), log.ping_pong.values.tolist(), log.waits
    (['Review board', 'Sales'], [['Credit', 'Sales', 13]], 'exact')
    """

    cases: int
    events: int
    ping_pong: pd.DataFrame
    slowest: pd.DataFrame
    stuck: pd.DataFrame
    waits: str = "exact"
    engine: str = "duckdb"
    more_ping_pong: int = 0
    more_stuck: int = 0
    never_reached: int | None = None

    def __post_init__(self) -> None:
        if self.never_reached is None:
            self.never_reached = int(self.stuck["cases"].sum()) if len(self.stuck) else 0

    def __repr__(self) -> str:
        pairs = len(self.ping_pong) + self.more_ping_pong
        return (
            f"<LogFindings: {self.cases} cases, {self.events} events; {pairs} ping-pong pairs; "
            f"{self.never_reached} cases never reach an outcome>"
        )


def pseudonym(name: str) -> str:
    """A stable code for a person's name (the same name always gives the same code).

    Pseudonymisation, not anonymisation: anyone who can guess names can
    compute their codes.

    Examples
    --------
    >>> pseudonym("Pete") == pseudonym("Pete"), pseudonym("Pete").startswith("person-")
    (True, True)
    """
    return "person-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def assemble(
    handoff_rows: pd.DataFrame,
    ping_pong_rows: pd.DataFrame,
    stuck_rows: pd.DataFrame,
    teams: list[str],
    counts: tuple[int, int],
    customer: str,
    waits: str,
    engine: str,
) -> tuple[pd.DataFrame, pd.DataFrame, LogFindings]:
    """Hand-offs, parties and :class:`LogFindings` from the small tables an engine brought back.

    ``handoff_rows``: ``source``, ``target``, ``deliverable``, ``cases``, ``handovers``, ``median_wait_hours``,
    ``p90_wait_hours``; ``ping_pong_rows``: ``a``, ``b``, ``cases``, ``pairs`` (all pairs); ``stuck_rows``:
    ``team``, ``cases``, ``last_activity``, ``teams`` (all teams), ``never_reached``; ``counts``: cases and events.

    Examples
    --------
    >>> rows = pd.DataFrame({"source": ["X"], "target": ["customer"], "deliverable": ["a"], "cases": [1],
    ...                      "handovers": [1], "median_wait_hours": [None], "p90_wait_hours": [None]})
    >>> none = pd.DataFrame(columns=["a", "b", "cases", "pairs"])
    >>> handoffs, parties, log = assemble(rows, none, pd.DataFrame(columns=["team", "cases", "last_activity",
    ...     "teams", "never_reached"]), ["X"], (1, 1), "customer", "exact", "duckdb")
    >>> parties["id"].tolist(), log.never_reached
    (['X', 'customer'], 0)
    """
    import numpy as np

    waits_columns = ["median_wait_hours", "p90_wait_hours"]
    table = handoff_rows.astype({"cases": "int64", "handovers": "int64"})
    for column in waits_columns:  # rounded as pandas rounds (half to even), not as SQL's round
        table[column] = np.round(pd.to_numeric(table[column], errors="coerce").astype("float64"), 2)
    handoffs = pd.DataFrame(
        {
            "source": table["source"].astype(object),
            "target": table["target"].astype(object),
            "deliverable": table["deliverable"].astype(object),
            "essential": True,
            "cases": table["cases"],
            "handovers": table["handovers"],
            **{c: table[c] for c in waits_columns},
        }
    )
    handoffs = handoffs.sort_values(["source", "target", "deliverable"], kind="stable").reset_index(drop=True)
    named = sorted(teams)
    parties = pd.DataFrame(
        {
            "id": [*named, customer],
            "name": [*named, "Customer" if customer == CUSTOMER else customer],
            "kind": ["team"] * len(named) + ["external_customer"],
        }
    )
    pairs = int(ping_pong_rows["pairs"].iloc[0]) if len(ping_pong_rows) else 0
    stuck_teams = int(stuck_rows["teams"].iloc[0]) if len(stuck_rows) else 0
    ping_pong = ping_pong_rows[["a", "b", "cases"]].astype({"cases": "int64"}).reset_index(drop=True)
    stuck = stuck_rows[["team", "cases", "last_activity"]].reset_index(drop=True)
    if len(stuck):
        stuck = stuck.astype({"cases": "int64"})
    else:
        stuck = pd.DataFrame(columns=["team", "cases", "last_activity"])
    extra = LogFindings(
        cases=counts[0],
        events=counts[1],
        ping_pong=ping_pong,
        slowest=handoffs[handoffs["target"] != customer]
        .sort_values(["median_wait_hours", "cases"], ascending=[False, False])
        .head(20)
        .drop(columns=["essential"])
        .reset_index(drop=True),
        stuck=stuck,
        waits=waits,
        engine=engine,
        more_ping_pong=pairs - len(ping_pong),
        more_stuck=stuck_teams - len(stuck),
        never_reached=int(stuck_rows["never_reached"].iloc[0]) if len(stuck_rows) else 0,
    )
    return handoffs, parties, extra
