"""The handover rule as it was computed before DuckDB: sorting, shifting and grouping pandas and numpy arrays.

Kept only as the tests' reference: :func:`valuechain.eventlog.from_log` runs the rule as SQL (DuckDB or Spark),
and the tests compare the two on every log they read and on random logs.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from valuechain.eventlog import CUSTOMER, LogFindings

HOURS = np.timedelta64(1, "h")


def handoffs_from_events(
    events: pd.DataFrame, outcomes: Iterable[str] | None = None, customer: str = CUSTOMER
) -> tuple[pd.DataFrame, pd.DataFrame, LogFindings]:
    """The handover rule on ``read_log``'s events: hand-offs, parties, and what the log adds.

    Examples
    --------
    >>> events = pd.DataFrame({"case": ["1", "1", "1", "2"], "activity": ["a", "b", "c", "a"],
    ...                        "team": ["X", "Y", "X", "X"],
    ...                        "time": pd.to_datetime(["2026-01-01 09:00", "2026-01-01 10:00",
    ...                                                "2026-01-01 13:00", "2026-01-02 09:00"], utc=True)})
    >>> handoffs, parties, extra = handoffs_from_events(events)
    >>> handoffs[["source", "target", "deliverable", "cases", "median_wait_hours"]].values.tolist()
    [['X', 'Y', 'a', 1, 1.0], ['X', 'customer', 'a', 1, nan], ['X', 'customer', 'c', 1, nan], ['Y', 'X', 'b', 1, 3.0]]
    """
    case_code, case_ids = pd.factorize(events["case"])
    team_code, team_names = pd.factorize(events["team"])
    act_code, act_names = pd.factorize(events["activity"])
    # in nanoseconds, as read_log checks they fit: out of bounds is an error here, never a wrap to another century
    stamp = events["time"].dt.as_unit("ns").to_numpy(dtype="datetime64[ns]")
    order = np.lexsort((np.arange(len(events)), stamp, case_code))
    case_s, team_s, act_s, time_s = case_code[order], team_code[order], act_code[order], stamp[order]

    same_case = case_s[1:] == case_s[:-1]
    moved = same_case & (team_s[1:] != team_s[:-1])
    last = np.r_[~same_case, True] if len(case_s) else np.zeros(0, dtype=bool)
    reached = last.copy()
    if outcomes is not None:
        reached &= np.isin(act_s, pd.Index(act_names).get_indexer(list(outcomes)))
    n_teams, n_acts = len(team_names) + 1, max(len(act_names), 1)  # the customer is team n_teams - 1
    source = np.concatenate([team_s[:-1][moved], team_s[reached]])
    target = np.concatenate([team_s[1:][moved], np.full(int(reached.sum()), n_teams - 1)])
    deliverable = np.concatenate([act_s[:-1][moved], act_s[reached]])
    rows = pd.DataFrame(
        {
            "key": (source.astype(np.int64) * n_teams + target) * n_acts + deliverable,
            "case": np.concatenate([case_s[:-1][moved], case_s[reached]]),
            "wait": np.concatenate(
                [(time_s[1:][moved] - time_s[:-1][moved]) / HOURS, np.full(int(reached.sum()), np.nan)]
            ),
        }
    )
    grouped = rows.groupby("key", sort=False)
    table = pd.DataFrame(
        {
            "cases": rows.drop_duplicates(["key", "case"]).groupby("key", sort=False).size(),
            "handovers": grouped.size(),
            "median_wait_hours": grouped["wait"].median().round(2),
            "p90_wait_hours": grouped["wait"].quantile(0.9).round(2),
        }
    )
    keys = table.index.to_numpy()
    names = np.append(team_names.to_numpy(dtype=object), customer)
    handoffs = pd.DataFrame(
        {
            "source": names[keys // n_acts // n_teams],
            "target": names[keys // n_acts % n_teams],
            "deliverable": act_names.to_numpy(dtype=object)[keys % n_acts] if len(act_names) else [],
            "essential": True,
            **{c: table[c].to_numpy() for c in table.columns},
        }
    )
    handoffs = handoffs.sort_values(["source", "target", "deliverable"], kind="stable").reset_index(drop=True)
    pairs = pd.DataFrame({"case": case_s[:-1][moved], "source": team_s[:-1][moved], "target": team_s[1:][moved]})
    team = team_names.to_numpy(dtype=object)
    activity = act_names.to_numpy(dtype=object)
    team_s, act_s = team[team_s], activity[act_s]

    teams = sorted(set(team.tolist()))
    parties = pd.DataFrame(
        {
            "id": [*teams, customer],
            "name": [*teams, "Customer" if customer == CUSTOMER else customer],
            "kind": ["team"] * len(teams) + ["external_customer"],
        }
    )
    extra = LogFindings(
        cases=len(case_ids),
        events=len(events),
        ping_pong=_ping_pong(pairs, team),
        slowest=handoffs[handoffs["target"] != customer]
        .sort_values(["median_wait_hours", "cases"], ascending=[False, False])
        .head(20)
        .drop(columns=["essential"])
        .reset_index(drop=True),
        stuck=_stuck(last & ~reached, team_s, act_s),
    )
    return handoffs, parties, extra


def _ping_pong(pairs: pd.DataFrame, names: np.ndarray) -> pd.DataFrame:
    """Pairs of teams that hand the same case to each other both ways, with how many cases do so.

    ``pairs`` holds team codes; ``names`` turns them into team names.
    """
    directed = pairs[["case", "source", "target"]].drop_duplicates()
    back = directed.rename(columns={"source": "target", "target": "source"})
    both = directed.merge(back, on=["case", "source", "target"])
    both = both.assign(source=names[both["source"].to_numpy()], target=names[both["target"].to_numpy()])
    both = both[both["source"] < both["target"]]
    table = both.groupby(["source", "target"]).size().rename("cases").reset_index()
    table = table.rename(columns={"source": "a", "target": "b"})
    return table.sort_values(["cases", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)


def _stuck(ended: np.ndarray, team: np.ndarray, activity: np.ndarray) -> pd.DataFrame:
    """Where the cases that never reach an outcome stop: their last team and activity."""
    frame = pd.DataFrame({"team": team[ended], "last_activity": activity[ended]})
    if frame.empty:
        return pd.DataFrame(columns=["team", "cases", "last_activity"])
    table = frame.groupby("team").agg(
        cases=("team", "size"), last_activity=("last_activity", lambda a: a.value_counts().index[0])
    )
    return table.reset_index().sort_values(["cases", "team"], ascending=[False, True]).reset_index(drop=True)
