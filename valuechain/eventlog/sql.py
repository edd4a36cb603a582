"""The handover rule as SQL: DuckDB runs it on one machine, out of core; Spark runs the same steps on a cluster.

Both read a table ``events`` with the columns ``case``, ``activity``, ``team``, ``time`` (UTC) and ``ord`` (a
number that orders events of equal time: the file order with DuckDB) and bring back only aggregates: the
hand-offs (teams x teams x activities), ping-pong pairs and stuck teams, each a small table.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Rows of a case, ordered by time then ``ord``: each with the next event's team and time, and the case's first
#: position (which orders cases as they first appear, for ties in the most common last activity).
STEPS = """
SELECT "case", activity, team, time,
       lead(team) OVER w AS next_team, lead(time) OVER w AS next_time,
       min(ord) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS case_first
FROM events
WINDOW w AS (PARTITION BY "case" ORDER BY time, ord)
"""


@dataclass(frozen=True)
class Dialect:
    """What differs between the engines: the wait in hours between two times, and the quantile function."""

    hours: str  # a format string with {later} and {earlier}
    quantile: str  # a format string with {column} and {q}
    waits: str  # how the result names the quantiles
    backslash_escapes: bool = False  # Spark SQL reads a backslash in a string literal as an escape

    def quoted(self, text: str) -> str:
        """A SQL string literal, for the few names the rule needs (outcomes, the customer)."""
        if self.backslash_escapes:
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
        return "'" + text.replace("'", "''") + "'"


DUCKDB_EXACT = Dialect(
    "(epoch_us({later}) - epoch_us({earlier})) / 3600000000::DOUBLE", "quantile_cont({column}, {q})", "exact"
)
DUCKDB_APPROXIMATE = Dialect(
    DUCKDB_EXACT.hours,
    "approx_quantile({column}, {q})",
    "approximate (DuckDB's approx_quantile, a T-Digest sketch: within about 1% of the exact rank)",
)
SPARK = Dialect(
    "(unix_micros({later}) - unix_micros({earlier})) / 3600000000D",
    "percentile_approx({column}, {q}, 10000)",
    "approximate (Spark's percentile_approx with accuracy 10000: within 1/10000 of the exact rank)",
)


def moves(dialect: Dialect) -> str:
    """Every hand-off between teams (``target`` set) and every case's last event (``target`` NULL)."""
    wait = dialect.hours.format(later="next_time", earlier="time")
    return f"""
SELECT "case", team AS source, next_team AS target, activity AS deliverable,
       CASE WHEN next_team IS NULL THEN NULL ELSE {wait} END AS wait, case_first
FROM ({STEPS}) AS steps
WHERE next_team IS NULL OR next_team <> team
"""


def reached(dialect: Dialect, outcomes: list[str] | None) -> str:
    """A condition on a last event's ``deliverable`` (its activity): does the case reach the customer?"""
    if outcomes is None:
        return "TRUE"
    if not outcomes:
        return "FALSE"
    return "deliverable IN (" + ", ".join(dialect.quoted(o) for o in outcomes) + ")"


def handoffs(dialect: Dialect, outcomes: list[str] | None, customer: str) -> str:
    """The hand-offs from the table ``moves``: per (source, target, deliverable), cases, handovers, waits."""
    median, p90 = (dialect.quantile.format(column="wait", q=q) for q in ("0.5", "0.9"))
    return f"""
SELECT source, coalesce(target, {dialect.quoted(customer)}) AS target, deliverable,
       count(DISTINCT "case") AS cases, count(*) AS handovers,
       {median} AS median_wait_hours, {p90} AS p90_wait_hours
FROM moves
WHERE target IS NOT NULL OR {reached(dialect, outcomes)}
GROUP BY source, coalesce(target, {dialect.quoted(customer)}), deliverable
"""


def ping_pong(limit: int) -> str:
    """Pairs of teams handing one case to each other both ways (the first ``limit``), and how many pairs in all."""
    return f"""
WITH directed AS (SELECT DISTINCT "case", source, target FROM moves WHERE target IS NOT NULL),
pairs AS (
    SELECT d.source AS a, d.target AS b, count(*) AS cases
    FROM directed AS d JOIN directed AS r ON d."case" = r."case" AND d.source = r.target AND d.target = r.source
    WHERE d.source < d.target
    GROUP BY d.source, d.target
)
SELECT a, b, cases, count(*) OVER () AS pairs FROM pairs ORDER BY cases DESC, a, b LIMIT {int(limit)}
"""


def stuck(dialect: Dialect, outcomes: list[str] | None, limit: int) -> str:
    """Where the cases that never reach an outcome stop: per team, how many, and their most common last activity
    (ties: the activity of the case that comes first in the log). The first ``limit`` teams, and the totals."""
    return f"""
WITH ended AS (SELECT source AS team, deliverable AS activity, case_first FROM moves
               WHERE target IS NULL AND NOT ({reached(dialect, outcomes)})),
per AS (SELECT team, activity, count(*) AS n, min(case_first) AS first FROM ended GROUP BY team, activity),
ranked AS (
    SELECT team, activity, sum(n) OVER (PARTITION BY team) AS cases,
           row_number() OVER (PARTITION BY team ORDER BY n DESC, first) AS k
    FROM per
)
SELECT team, CAST(cases AS BIGINT) AS cases, activity AS last_activity,
       count(*) OVER () AS teams, CAST(sum(cases) OVER () AS BIGINT) AS never_reached
FROM ranked WHERE k = 1 ORDER BY cases DESC, team LIMIT {int(limit)}
"""
