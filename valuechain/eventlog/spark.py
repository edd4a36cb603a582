"""The handover rule on a Spark DataFrame: the same SQL as DuckDB runs, in Spark SQL, on the cluster.

``vc.from_log(spark_dataframe, ...)`` lands here. The events stay in Spark: the checks are Spark queries that
bring back counts and a few examples, and the rule brings back only the aggregated hand-offs, ping-pong pairs
and stuck teams (a few thousand rows at most).

What differs from DuckDB, and why:

* **Ties.** A Spark DataFrame has no file order, so events of one case with equal times are ordered by
  activity, then team (by their names); the case that sorts first that way also settles ties between equally
  common last activities of stuck cases.
* **Waits.** Spark's ``percentile_approx`` (accuracy 10,000), said in ``chain.log.waits``.
* **Times.** A timestamp column is used as it is (UTC); a text column must hold ISO 8601 (read by Spark in
  UTC). Day-first dates and ``time_format`` are for files read by DuckDB: convert such columns with
  ``to_timestamp(column, pattern)`` first.
* **Rows.** Spark has no row numbers: messages give a count and examples instead.

PySpark comes with ``pip install valuechain[spark]`` (and a Java runtime); this module imports it only when a
Spark DataFrame is given.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from valuechain.eventlog import sql
from valuechain.eventlog.duck import WHITESPACE
from valuechain.eventlog.findings import KEPT, assemble, pseudonym
from valuechain.eventlog.read import _RANGE, _match
from valuechain.io.read import RawTable
from valuechain.io.validate import invisible_characters
from valuechain.problems import Code, InputError, Problem

if TYPE_CHECKING:
    from valuechain.model import Chain

LABEL = "Spark DataFrame"
#: How many example values an error about a Spark DataFrame shows.
EXAMPLES = 5


def from_spark(
    frame: Any,
    *,
    outcomes: list[str] | None,
    customer: str,
    columns: dict[str, str | None],
    team_map: Any = None,
    pseudonymise: bool = False,
) -> Chain:
    """The value chain from a Spark DataFrame of events (called by :func:`valuechain.from_log`).

    Examples
    --------
    In a notebook on a cluster, with the log as a Spark table (not run here: it needs Spark)::

        chain = vc.from_log(spark.table("erp.events"), outcomes=["deliver order"])
    """
    from pyspark.sql import functions as F

    from valuechain.eventlog.build import _chain
    from valuechain.model import load

    spark = frame.sparkSession
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    found, problems = _match(RawTable(LABEL, pd.DataFrame(columns=list(frame.columns))), columns)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    trim = f"^[{WHITESPACE}]+|[{WHITESPACE}]+$"

    def cleaned(name: str) -> Any:  # trimmed; NFC comes after, once per distinct id that is not ASCII
        return F.regexp_replace(F.coalesce(F.col(f"`{name}`").cast("string"), F.lit("")), trim, "")

    typed = dict(frame.dtypes)[found["time"]].startswith(("timestamp", "date"))
    raw_time = F.col(f"`{found['time']}`")
    text = F.regexp_replace(F.coalesce(raw_time.cast("string"), F.lit("")), trim, "")
    events = frame.select(
        cleaned(found["case"]).alias("case"),
        cleaned(found["activity"]).alias("activity"),
        cleaned(found["team"]).alias("team"),
        text.alias("time_text"),
        (raw_time.cast("timestamp") if typed else F.lit(None).cast("timestamp")).alias("time"),
    )
    if not typed:  # ISO 8601 as Spark reads it, in the session's zone: UTC
        events = events.withColumn("time", F.expr("try_to_timestamp(time_text)"))
    events = cached = _nfc(spark, events).withColumn("ord", F.struct("activity", "team")).cache()
    try:
        problems += _checks(events, found)
        if any(p.severity == "error" for p in problems):
            raise InputError(problems)
        if team_map is not None:
            events, map_problems = _map_teams(spark, events, team_map)
            problems += map_problems
            if any(p.severity == "error" for p in problems):
                raise InputError(problems)
        teams = [r[0] for r in events.select("team").distinct().collect()]
        if wrong := invisible_characters(pd.Series(teams, dtype=object), LABEL, found["team"]):
            raise InputError(problems + [_without_row(w) for w in wrong])
        if pseudonymise:
            codes = spark.createDataFrame(pd.DataFrame({"team": teams, "code": [pseudonym(t) for t in teams]}))
            events = events.join(F.broadcast(codes), "team").drop("team").withColumnRenamed("code", "team")
            teams = [pseudonym(t) for t in teams]
        if customer in teams:
            message = f"the team '{customer}' has the customer's id"
            hint = "choose another id with --customer (customer= in Python)"
            raise InputError(
                [*problems, Problem.error(LABEL, message, hint, column=found["team"], code=Code.BAD_CUSTOMER)]
            )
        if outcomes is not None:
            known = {r[0] for r in events.select("activity").distinct().collect()}
            for name in sorted(set(outcomes) - known):
                message = f"no event has the activity '{name}' (named as an outcome)"
                problems.append(
                    Problem.warning(LABEL, message, "check the spelling", column=found["activity"],
                                    code=Code.BAD_OPTION)
                )  # fmt: skip
        handoffs, parties, extra = handover_rule(spark, events, outcomes, customer, teams)
    finally:
        cached.unpersist()
    return _chain(handoffs, parties, extra, problems, LABEL, customer, outcomes, load)


def handover_rule(
    spark: Any, events: Any, outcomes: list[str] | None, customer: str, teams: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """The rule's SQL (:mod:`valuechain.eventlog.sql`) in Spark SQL on ``events``; only aggregates come back."""
    name = f"valuechain_events_{uuid.uuid4().hex}"
    moves = f"valuechain_moves_{uuid.uuid4().hex}"
    dialect = replace(sql.SPARK, events=name)
    events.select("case", "activity", "team", "time", "ord").createOrReplaceTempView(name)
    table = spark.sql(sql.moves(dialect)).cache()
    table.createOrReplaceTempView(moves)
    try:

        def run(query: str) -> pd.DataFrame:
            return spark.sql(query.replace("FROM moves", f"FROM {moves}")).toPandas()

        handoffs = run(sql.handoffs(dialect, outcomes, customer))
        pairs = run(sql.ping_pong(dialect, KEPT))
        stuck = run(sql.stuck(dialect, outcomes, KEPT))
        counts = spark.sql(f"SELECT count(DISTINCT `case`), count(*) FROM {name}").collect()[0]
    finally:
        table.unpersist()
        spark.catalog.dropTempView(moves)
        spark.catalog.dropTempView(name)
    return assemble(handoffs, pairs, stuck, teams, (int(counts[0]), int(counts[1])), customer, dialect.waits, "spark")


def _nfc(spark: Any, events: Any) -> Any:
    """Ids in Unicode NFC: the distinct ids that are not ASCII are normalised in Python (no Python UDF runs over
    every row; a cluster's workers need nothing of valuechain) and joined back."""
    from pyspark.sql import functions as F

    for name in ("case", "activity", "team"):
        odd = [r[0] for r in events.filter(F.col(name).rlike("[^\\x00-\\x7F]")).select(name).distinct().collect()]
        changed = {v: unicodedata.normalize("NFC", v) for v in odd if unicodedata.normalize("NFC", v) != v}
        if changed:
            pairs = spark.createDataFrame(pd.DataFrame({"raw": list(changed), "nfc": list(changed.values())}))
            events = (
                events.join(F.broadcast(pairs), events[name] == F.col("raw"), "left")
                .withColumn(name, F.coalesce(F.col("nfc"), F.col(name)))
                .drop("raw", "nfc")
            )
    return events


def _checks(events: Any, columns: dict[str, str]) -> list[Problem]:
    """Empty cells, unreadable times and times outside what nanosecond timestamps hold: one error each, with the
    count and a few examples (Spark has no row numbers)."""
    from pyspark.sql import functions as F

    problems = []
    for name in ("case", "activity", "team"):
        count = events.filter(F.col(name) == "").count()
        if count:
            problems.append(
                Problem.error(LABEL, f"{count:,} events have no {name}", f"fill in the {name}",
                              column=columns[name], code=Code.EMPTY_CELL)
            )  # fmt: skip
    bad = events.filter(F.col("time").isNull())
    count = bad.count()
    if count:
        shown = ", ".join(f"'{r[0]}'" for r in bad.select("time_text").limit(EXAMPLES).collect())
        message = f"{count:,} events have no time or one that cannot be read ({shown})"
        hint = "write times as ISO 8601 (2026-01-31T14:05:00+01:00), or convert the column with to_timestamp first"
        problems.append(Problem.error(LABEL, message, hint, column=columns["time"], code=Code.BAD_VALUE))
    outside = events.filter((F.col("time") < F.lit("1677-09-22")) | (F.col("time") > F.lit("2262-04-11")))
    count = outside.count()
    if count:
        shown = ", ".join(f"'{r[0]}'" for r in outside.select("time_text").limit(EXAMPLES).collect())
        message = f"{count:,} times lie outside {_RANGE} ({shown})"
        problems.append(Problem.error(LABEL, message, "check the year", column=columns["time"], code=Code.BAD_VALUE))
    return problems


def _map_teams(spark: Any, events: Any, team_map: Any) -> tuple[Any, list[Problem]]:
    """People to teams (a dict or a table of person and team); a person the map does not name is an error."""
    from pyspark.sql import functions as F

    from valuechain.eventlog.read import _map_teams as map_people

    people = [r[0] for r in events.select("team").distinct().collect()]
    mapped, problems = map_people(pd.Series(people, dtype=object), team_map)
    problems = [_without_row(p) for p in problems]
    pairs = pd.DataFrame({"person": people, "mapped": mapped.to_numpy(dtype=object)})
    joined = events.join(F.broadcast(spark.createDataFrame(pairs)), events["team"] == F.col("person"))
    return joined.drop("team", "person").withColumnRenamed("mapped", "team"), problems


def _without_row(problem: Problem) -> Problem:
    """A problem about a Spark DataFrame: no row numbers to give."""
    message = re.sub(r" \(first in row \d+ of the log\)", "", problem.message)
    return replace(problem, file=LABEL, row=None, message=message)
