"""``from_log``: the value chain from an event log, the handover rule run by DuckDB (or by Spark, for a Spark
DataFrame)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from valuechain.eventlog.findings import CUSTOMER
from valuechain.io.read import TableSource
from valuechain.io.validate import clean_ids, invisible_characters
from valuechain.problems import Code, InputError, Problem

if TYPE_CHECKING:
    from valuechain.model import Chain

#: A log: one table (a path, an upload, a DataFrame, a Spark DataFrame), a glob or folder of CSV or Parquet
#: files, or several paths.
LogSource = TableSource | Sequence[str | Path] | Any


def from_log(
    source: LogSource,
    *,
    outcomes: Iterable[str] | None = None,
    customer: str = CUSTOMER,
    case: str | None = None,
    activity: str | None = None,
    team: str | None = None,
    time: str | None = None,
    time_format: str | None = None,
    team_map: TableSource | dict[str, str] | None = None,
    pseudonymise: bool = False,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
    approximate_waits: bool = False,
) -> Chain:
    """Build the value chain from an event log.

    Within each case, events are ordered by time (ties keep file order);
    each pair of consecutive events by different teams is a hand-off from
    the earlier team to the later one, its deliverable the earlier event's
    activity. A case reaches the customer when its last activity is an
    outcome (every case, when no outcome is named): its last team then hands
    the last activity to the customer. The rule runs as SQL in DuckDB, out of
    core (a log larger than memory spills to a temporary folder), or in Spark
    for a Spark DataFrame (see :func:`valuechain.eventlog.spark.from_spark`).

    The chain's hand-offs carry ``cases``, ``handovers``, ``median_wait_hours``
    and ``p90_wait_hours``; ``chain.log`` holds what the log adds
    (:class:`LogFindings`: ping-pong, slowest hand-offs, stuck cases, and
    whether the waits are exact), and ``chain.warnings`` what was odd in the log.

    Parameters
    ----------
    source : path, glob, folder, list of paths, upload, DataFrame or Spark DataFrame
        CSV or Parquet files (one, a folder, a glob such as
        ``"events/*.parquet"``, or a list: read together, in order), or one
        ``.xlsx``, ``.xes``, upload or DataFrame.
    outcomes : list of str, optional
        Activities that end a case at the customer; by default every case does.
    customer : str
        The external customer's id.
    case, activity, team, time, time_format, team_map
        As for :func:`valuechain.eventlog.read_log`.
    pseudonymise : bool
        Replace the team values (people's names, when the log names people)
        by stable codes in the chain and everything written from it.
    memory_limit : str, optional
        DuckDB's memory limit (``"2GB"``); beyond it, DuckDB spills to ``temp_directory``.
    temp_directory : path, optional
        Where DuckDB spills (a fresh temporary folder, removed after, by default).
    approximate_waits : bool
        Approximate median and 90th-percentile waits (a sketch per hand-off,
        in bounded memory), said in ``chain.log.waits``; exact by default.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.from_log("data/order-to-delivery/events.csv", outcomes=["deliver order"])
    >>> chain.customers, chain.log.cases, chain.log.waits
    (['customer'], 40, 'exact')
    """
    from valuechain.eventlog import duck
    from valuechain.eventlog.read import _is_xes, read_log
    from valuechain.model import load

    customer = clean_ids(pd.Series([customer], dtype=str)).iloc[0]
    hint = "choose another id with --customer (customer= in Python)"
    if customer == "":
        raise InputError([Problem.error("customer", "the customer id is empty", hint, code=Code.BAD_OPTION)])
    if wrong := invisible_characters(pd.Series([customer]), "customer", None):
        message = wrong[0].message.replace("the id ", "the customer id ", 1)
        raise InputError([replace(wrong[0], row=None, message=message)])
    named = None if outcomes is None else clean_ids(pd.Series(list(outcomes), dtype=str)).tolist()
    given = {"case": case, "activity": activity, "team": team, "time": time}
    spark_frame = _spark_frame(source)
    if spark_frame is not None:
        from valuechain.eventlog.spark import from_spark

        return from_spark(spark_frame, outcomes=named, customer=customer, columns=given, team_map=team_map,
                          pseudonymise=pseudonymise)  # fmt: skip
    files = None if _is_xes(source) else duck.log_files(source)
    unread = next((f for f in files or [] if f.suffix.lower() == ".csv" and not duck.duckdb_reads_csv(f)), None)
    if files is not None and unread is not None:
        if len(files) > 1:
            message = "this CSV has blank lines or is not UTF-8, so it cannot be read together with other files"
            hint = "save it as UTF-8 without blank lines, or read it alone"
            raise InputError([Problem.error(str(unread), message, hint, code=Code.BAD_LOG)])
        source, files = files[0], None  # the table reader reads it (blank lines, other encodings)
    label = str(source) if files is None or len(files) > 1 else str(files[0])
    engine = duck.Engine(memory_limit=memory_limit, temp_directory=temp_directory, approximate_waits=approximate_waits)
    with duck.connection(engine) as con:
        events = None
        if files is not None:
            try:
                events = duck.read_files(con, files, given, time_format, label)
            except duck.CsvForTheTableReader as unread:
                if len(files) > 1:
                    message = "DuckDB cannot read this CSV (a row that does not fit the header, an odd encoding)"
                    hint = "read it alone, where its problems are named, or save it as UTF-8"
                    raise InputError([Problem.error(str(unread), message, hint, code=Code.BAD_LOG)]) from None
                source = files[0]
        if events is None:
            frame, problems = read_log(source, **given, time_format=time_format, team_map=team_map)
            events = duck.load_frame(con, frame, frame.attrs["label"], frame.attrs["columns"])
            events.problems = problems
        elif team_map is not None:
            events.problems += duck.map_teams(con, events, team_map)
            if any(p.severity == "error" for p in events.problems):
                raise InputError(events.problems)
        problems = events.problems
        label = events.labels[0]
        if wrong := duck.invisible_teams(con, events, mapped=team_map is not None):  # before any code hides them
            raise InputError(problems + wrong)
        if pseudonymise:
            duck.pseudonymise(con)
        first = con.execute("SELECT file, row FROM events WHERE team = ? ORDER BY ord LIMIT 1", [customer]).fetchall()
        if first:
            message = f"the team '{customer}' has the customer's id"
            problems.append(
                Problem.error(events.labels[first[0][0]], message, hint, row=int(first[0][1]),
                              column=events.columns["team"], code=Code.BAD_CUSTOMER)
            )  # fmt: skip
            raise InputError(problems)
        if named is not None:
            known = {a for (a,) in con.execute("SELECT DISTINCT activity FROM events").fetchall()}
            for name in sorted(set(named) - known):
                message = f"no event has the activity '{name}' (named as an outcome)"
                problems.append(
                    Problem.warning(label, message, "check the spelling", column=events.columns["activity"],
                                    code=Code.BAD_OPTION)
                )  # fmt: skip
        handoffs, parties, extra = duck.handover_rule(con, named, customer, approximate_waits)
    return _chain(handoffs, parties, extra, problems, label, customer, named, load)


def _spark_frame(source: object) -> Any:
    """The source when it is a Spark DataFrame (classic or Spark Connect), else None; pyspark is not imported
    for anything else."""
    kind = type(source)
    return source if kind.__module__.startswith("pyspark.") and kind.__name__ == "DataFrame" else None


def _chain(
    handoffs: pd.DataFrame,
    parties: pd.DataFrame,
    extra: Any,
    problems: list[Problem],
    label: str,
    customer: str,
    outcomes: list[str] | None,
    load: Any,
) -> Chain:
    """The chain from the rule's hand-offs and parties, with the log's warnings and findings."""
    if extra.events == 0:
        problems.append(
            Problem.warning(label, "the log has no events, only its header", "add rows", row=1, code=Code.EMPTY)
        )
    elif handoffs.empty:
        message = "the log gives no hand-offs: no case changes team" + (" or ends with an outcome" if outcomes else "")
        problems.append(Problem.warning(label, message, "check the team column and the outcomes", code=Code.EMPTY))
    try:
        chain = load(handoffs, parties=parties, customers=[customer])
    except InputError as err:  # checked above, so not expected: still, say they come from this log
        raise InputError(problems + [_from_the_log(p, label) for p in err.problems]) from None
    for column in ("cases", "handovers", "median_wait_hours", "p90_wait_hours"):  # numbers again, not text
        chain.handoffs[column] = pd.to_numeric(chain.handoffs[column].replace("", np.nan))
    later = [w for w in chain.warnings if not (handoffs.empty and w.code == Code.EMPTY)]  # said of the log above
    chain.warnings = problems + [_from_the_log(p, label) for p in later]
    chain.log = extra
    return chain


def _from_the_log(problem: Problem, label: str) -> Problem:
    """A problem found in the hand-offs built from a log, said of the log (their rows are not the log's)."""
    return replace(
        problem, file=label, row=None, column=None, message=f"in the hand-offs built from it, {problem.message}"
    )
