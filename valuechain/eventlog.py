"""Hand-offs measured, not guessed: the value chain from an event log.

An event log has one row per event: a case id, an activity, the team (or
person) doing it, and a timestamp. Within each case, events are ordered by
time (ties keep file order); each pair of consecutive events by different
teams is a hand-off from the earlier team to the later one, its deliverable
the earlier event's activity. A case reaches the customer when its last
activity is an outcome (every case, when no outcome is named): its last team
then hands the last activity to the customer. Hand-offs are aggregated per
(source, target, deliverable) with the number of cases, of handovers, and the
median and 90th-percentile wait in hours between the two events.

All of it is sorting, shifting and grouping arrays: no Python loop per case
or per event (a million events in seconds, see ``benchmarks/EVENTLOG.md``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.io.read import RawTable, TableSource, read_bytes, read_table, sheet_key
from valuechain.problems import InputError, Problem

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Accepted headers per field, most specific first (XES names, then common synonyms).
LOG_FIELDS: dict[str, tuple[str, ...]] = {
    "case": ("case:concept:name", "case id", "case", "caseid", "case number", "order id", "ticket id"),
    "activity": ("concept:name", "activity", "event", "task", "step", "action"),
    "team": (
        "org:group",
        "team",
        "department",
        "group",
        "org:role",
        "role",
        "unit",
        "org:resource",
        "resource",
        "person",
        "user",
        "employee",
        "agent",
    ),  # teams first; people only when the log names no team
    "time": ("time:timestamp", "timestamp", "time", "date", "datetime", "start", "end", "completed"),
}
ZONE = re.compile(r"(?:Z|[+-]\d\d:?\d\d)\s*$", re.IGNORECASE)
CUSTOMER = "customer"
HOURS = np.timedelta64(1, "h")


@dataclass
class LogFindings:
    """What a log adds to the chain's findings.

    Attributes
    ----------
    cases, events : int
        How many cases and events the log holds.
    ping_pong : pandas.DataFrame
        ``a``, ``b``, ``cases``: pairs of teams that hand a case back and
        forth, with the number of cases that bounce between them; most first.
    slowest : pandas.DataFrame
        The hand-offs with the longest median wait (``source``, ``target``,
        ``deliverable``, ``cases``, ``median_wait_hours``, ``p90_wait_hours``).
    stuck : pandas.DataFrame
        ``team``, ``cases``, ``last_activity``: where the cases that never
        reach an outcome stop; most first.

    Examples
    --------
    >>> import valuechain as vc
    >>> log = vc.from_log("data/order-to-delivery/events.csv", outcomes=["deliver order"]).log
    >>> log.stuck["team"].tolist(), log.ping_pong.values.tolist()
    (['Review board', 'Sales'], [['Credit', 'Sales', 13]])
    """

    cases: int
    events: int
    ping_pong: pd.DataFrame
    slowest: pd.DataFrame
    stuck: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"<LogFindings: {self.cases} cases, {self.events} events; {len(self.ping_pong)} ping-pong pairs; "
            f"{int(self.stuck['cases'].sum()) if len(self.stuck) else 0} cases never reach an outcome>"
        )


def read_log(
    source: TableSource,
    case: str | None = None,
    activity: str | None = None,
    team: str | None = None,
    time: str | None = None,
    time_format: str | None = None,
    team_map: TableSource | dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read an event log into ``case``, ``activity``, ``team``, ``time`` (UTC), indexed by spreadsheet row.

    Parameters
    ----------
    source : path, upload or DataFrame
        CSV or ``.xlsx``, one row per event, in any order.
    case, activity, team, time : str, optional
        The headers of those columns, where they are not the XES names or a
        common synonym.
    time_format : str, optional
        A ``strftime`` format for the timestamps (faster, and unambiguous).
    team_map : path, DataFrame or dict, optional
        People to teams (columns ``person`` and ``team``), applied before the
        handover rule.

    Returns
    -------
    events : pandas.DataFrame
    warnings : list of Problem

    Raises
    ------
    InputError
        A missing column, a row with no case, activity or team, an unreadable time.

    Examples
    --------
    >>> log = pd.DataFrame({"case": ["1", "1"], "activity": ["order", "ship"], "team": ["Sales", "Depot"],
    ...                     "timestamp": ["2026-01-05 09:00", "2026-01-05 11:30"]})
    >>> events, warnings = read_log(log)
    >>> events["team"].tolist(), str(events["time"].iloc[1])
    (['Sales', 'Depot'], '2026-01-05 11:30:00+00:00')
    """
    if _is_xes(source):
        source = xes_table(source)
    raw = read_table(source, "events") if not isinstance(source, RawTable) else source
    given = {"case": case, "activity": activity, "team": team, "time": time}
    columns, problems = _match(raw, given)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    frame, label = raw.frame, raw.label
    events = pd.DataFrame({name: frame[header].str.strip() for name, header in columns.items()}, index=frame.index)
    for name in ("case", "activity", "team"):
        empty = events[name] == ""
        for row in events.index[empty][:200]:
            problems.append(
                Problem.error(
                    label, f"no {name} in this event", f"fill in the {name}", row=int(row), column=columns[name]
                )
            )
        if empty.sum() > 200:
            problems.append(Problem.error(label, f"{int(empty.sum()) - 200} more events with no {name}", ""))
    times, time_problems = _times(events["time"], label, columns["time"], time_format)
    problems += time_problems
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    events["time"] = times
    if team_map is not None:
        events["team"], map_problems = _map_teams(events["team"], team_map)
        problems += map_problems
        if any(p.severity == "error" for p in problems):
            raise InputError(problems)
    return events, problems


def _is_xes(source) -> bool:
    name = source if isinstance(source, str | Path) else getattr(source, "name", None)
    return isinstance(name, str | Path) and str(name).lower().endswith(".xes")


def xes_table(source) -> RawTable:
    """An XES event log as a table of strings: one row per event (its attributes, and its trace's as
    ``case:<key>``), numbered in file order; only ``complete`` events when the log records lifecycles.

    The XML is parsed with defusedxml: entity declarations and external references are refused.
    """
    import defusedxml.ElementTree as safe
    from defusedxml import DefusedXmlException

    name, data = read_bytes(source, default_name="log.xes", what="the event log")
    label = Path(name).name
    try:
        root = safe.fromstring(data)
    except DefusedXmlException as err:
        message = f"the XML declares entities or external references ({type(err).__name__}), which are not read"
        raise InputError([Problem.error(label, message, "export the log again without a DTD")]) from err
    except Exception as err:
        raise InputError([Problem.error(label, f"not well-formed XES ({err})", "export the log again")]) from err

    def local(tag) -> str:
        return str(tag).rsplit("}", 1)[-1]

    def attributes(element) -> dict[str, str]:
        return {c.get("key"): c.get("value", "") for c in element if local(c.tag) != "event" and c.get("key")}

    rows = []
    for trace in (e for e in root.iter() if local(e.tag) == "trace"):
        case = {f"case:{k}": v for k, v in attributes(trace).items()}
        rows += [{**case, **attributes(event)} for event in trace if local(event.tag) == "event"]
    frame = pd.DataFrame(rows, dtype=object).fillna("")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    if "lifecycle:transition" in frame.columns:
        transition = frame["lifecycle:transition"].str.lower()
        frame = frame[transition.isin(["complete", ""])]
    return RawTable(label, frame.astype(str))


def _match(raw: RawTable, given: dict[str, str | None]) -> tuple[dict[str, str], list[Problem]]:
    headers = {sheet_key(h): h for h in raw.frame.columns}
    columns, problems = {}, []
    for name, synonyms in LOG_FIELDS.items():
        if given[name] is not None:
            if given[name] in raw.frame.columns:
                columns[name] = given[name]
                continue
            have = ", ".join(f"'{h}'" for h in raw.frame.columns)
            problems.append(Problem.error(raw.label, f"no column '{given[name]}' (the headers are {have})", row=1))
            continue
        found = next((headers[sheet_key(s)] for s in synonyms if sheet_key(s) in headers), None)
        if found is None:
            have = ", ".join(f"'{h}'" for h in raw.frame.columns)
            hint = f"name it with --{name}, or use one of these headers: {', '.join(synonyms[:4])}"
            problems.append(Problem.error(raw.label, f"no {name} column (the headers are {have})", hint, row=1))
        else:
            columns[name] = found
    return columns, problems


def _times(values: pd.Series, label: str, column: str, time_format: str | None) -> tuple[pd.Series, list[Problem]]:
    """Timestamps as UTC; zone-less ones mixed with zoned ones are taken as UTC, with a warning."""
    problems: list[Problem] = []
    zoned = values.str.contains(ZONE, regex=True) if time_format is None else pd.Series(False, index=values.index)
    if time_format is not None:
        parsed = pd.to_datetime(values, format=time_format, errors="coerce", utc=True)
    else:
        try:
            parsed = pd.to_datetime(values, format="ISO8601", utc=True)
        except (ValueError, TypeError):
            parsed = pd.to_datetime(values, format="mixed", errors="coerce", utc=True)
    bad = parsed.isna()
    for row, text in zip(values.index[bad][:200], values[bad][:200]):
        hint = "use a format such as 2026-01-31 14:05:00+01:00, or give --time-format"
        problems.append(Problem.error(label, f"cannot read the time '{text}'", hint, row=int(row), column=column))
    if zoned.any() and not zoned.all():
        naive = int((~zoned).sum())
        problems.append(
            Problem.warning(
                label,
                f"{naive} timestamp(s) have no time zone while others have one; they are taken as UTC",
                "give every timestamp a zone (or none)",
                row=int(values.index[~zoned][0]),
                column=column,
            )
        )
    return parsed, problems


def _map_teams(people: pd.Series, team_map) -> tuple[pd.Series, list[Problem]]:
    """People to teams; a person the map does not name is an error (listed once, with a row)."""
    if isinstance(team_map, dict):
        mapping, label = {str(k).strip(): str(v).strip() for k, v in team_map.items()}, "team map"
    else:
        raw = read_table(team_map, "team map")
        keys = {sheet_key(h): h for h in raw.frame.columns}
        person = next((keys[k] for k in ("person", "resource", "orgresource", "name", "employee") if k in keys), None)
        team = next((keys[k] for k in ("team", "group", "orggroup", "department") if k in keys), None)
        if person is None or team is None:
            message = "a team map needs a 'person' and a 'team' column"
            raise InputError([Problem.error(raw.label, message, "name them person and team", row=1)])
        mapping, label = dict(zip(raw.frame[person].str.strip(), raw.frame[team].str.strip())), raw.label
    mapped = people.map(mapping)
    problems = []
    for row, person in people[mapped.isna()].drop_duplicates().items():
        message = f"'{person}' (first in row {row} of the log) is not in the team map"
        problems.append(Problem.error(label, message, f"add '{person}' with their team"))
    return mapped.fillna(people), problems


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
    stamp = events["time"].to_numpy(dtype="datetime64[ns]")
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


def from_log(
    source: TableSource,
    outcomes: Iterable[str] | None = None,
    customer: str = CUSTOMER,
    case: str | None = None,
    activity: str | None = None,
    team: str | None = None,
    time: str | None = None,
    time_format: str | None = None,
    team_map: TableSource | dict[str, str] | None = None,
    pseudonymise: bool = False,
) -> Chain:
    """Build the value chain from an event log (see the module's handover rule).

    The chain's hand-offs carry ``cases``, ``handovers``, ``median_wait_hours``
    and ``p90_wait_hours``; ``chain.log`` holds what the log adds
    (:class:`LogFindings`: ping-pong, slowest hand-offs, stuck cases), and
    ``chain.warnings`` what was odd in the log.

    Parameters
    ----------
    outcomes : list of str, optional
        Activities that end a case at the customer; by default every case does.
    customer : str
        The external customer's id.
    pseudonymise : bool
        Replace the team values (people's names, when the log names people)
        by stable codes in the chain and everything written from it.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.from_log("data/order-to-delivery/events.csv", outcomes=["deliver order"])
    >>> chain.customers, chain.log.cases
    (['customer'], 40)
    """
    from valuechain.model import load

    events, problems = read_log(source, case, activity, team, time, time_format, team_map)
    if pseudonymise:
        codes = {name: pseudonym(name) for name in events["team"].unique()}
        events = events.assign(team=events["team"].map(codes))
    if customer in set(events["team"]):
        message = f"the customer id '{customer}' is also a team in the log"
        raise InputError([Problem.error("customer", message, "choose another id with --customer")])
    handoffs, parties, extra = handoffs_from_events(events, outcomes, customer)
    if outcomes is not None:
        unknown = sorted(set(outcomes) - set(events["activity"]))
        for name in unknown:
            problems.append(Problem.warning("outcomes", f"no event has the activity '{name}'", "check the spelling"))
    chain = load(handoffs, parties=parties, customers=[customer])
    for column in ("cases", "handovers", "median_wait_hours", "p90_wait_hours"):  # numbers again, not text
        chain.handoffs[column] = pd.to_numeric(chain.handoffs[column].replace("", np.nan))
    chain.warnings = problems + chain.warnings
    chain.log = extra
    return chain
