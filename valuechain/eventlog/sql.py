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
       min(ord) OVER (PARTITION BY "case" ORDER BY time, ord ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
           AS case_first
FROM events
WINDOW w AS (PARTITION BY "case" ORDER BY time, ord)
"""


@dataclass(frozen=True)
class Dialect:
    """What differs between the engines: the wait in hours between two times, and the quantile function."""

    hours: str  # a format string with {later} and {earlier}
    quantile: str  # a format string with {column} and {q}; empty: exact, by ranks (see handoffs)
    waits: str  # how the result names the quantiles: a key of valuechain.vocabulary.WAITS
    backslash_escapes: bool = False  # Spark SQL reads a backslash in a string literal as an escape
    case: str = '"case"'  # the case column, quoted as an identifier (CASE is a keyword)
    events: str = "events"  # the table of events

    def quoted(self, text: str) -> str:
        """A SQL string literal, for the few names the rule needs (outcomes, the customer)."""
        if self.backslash_escapes:
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
        return "'" + text.replace("'", "''") + "'"


DUCKDB_EXACT = Dialect("(epoch_us({later}) - epoch_us({earlier})) / 3600000000::DOUBLE", "", "exact")
DUCKDB_APPROXIMATE = Dialect(
    DUCKDB_EXACT.hours,
    "approx_quantile({column}, {q})",
    "approximate_duckdb",
)
SPARK = Dialect(
    "(unix_micros({later}) - unix_micros({earlier})) / 3600000000D",
    "percentile_approx({column}, {q}, 10000)",
    "approximate_spark",
    backslash_escapes=True,
    case="`case`",
)


def moves(dialect: Dialect) -> str:
    """Every hand-off between teams (``target`` set) and every case's last event (``target`` NULL)."""
    wait = dialect.hours.format(later="next_time", earlier="time")
    steps = STEPS.replace("FROM events", f"FROM {dialect.events}")
    return _case(
        dialect,
        f"""
SELECT "case", team AS source, next_team AS target, activity AS deliverable,
       CASE WHEN next_team IS NULL THEN NULL ELSE {wait} END AS wait, case_first
FROM ({steps}) AS steps
WHERE next_team IS NULL OR next_team <> team
""",
    )


def reached(dialect: Dialect, outcomes: list[str] | None) -> str:
    """A condition on a last event's ``deliverable`` (its activity): does the case reach the customer?"""
    if outcomes is None:
        return "TRUE"
    if not outcomes:
        return "FALSE"
    return "deliverable IN (" + ", ".join(dialect.quoted(o) for o in outcomes) + ")"


def handoffs(dialect: Dialect, outcomes: list[str] | None, customer: str) -> str:
    """The hand-offs from the table ``moves``: per (source, target, deliverable), cases, handovers, waits.

    Exact waits are computed as pandas computes them, from ranks (a sort, which spills to disk): the median is
    the middle wait (the mean of the two middle ones); the 90th percentile lies at ``0.9 * (n - 1)`` between
    two ranks, linearly. Approximate ones use the dialect's quantile function (bounded memory per hand-off).
    """
    kept = f"""
SELECT source, coalesce(target, {dialect.quoted(customer)}) AS target, deliverable, "case", wait
FROM moves WHERE target IS NOT NULL OR {reached(dialect, outcomes)}
"""
    if dialect.quantile:
        median, p90 = (dialect.quantile.format(column="wait", q=q) for q in ("0.5", "0.9"))
        return _case(
            dialect,
            f"""
SELECT source, target, deliverable, count(DISTINCT "case") AS cases, count(*) AS handovers,
       {median} AS median_wait_hours, {p90} AS p90_wait_hours
FROM ({kept}) AS kept
GROUP BY source, target, deliverable
""",
        )
    return f"""
WITH kept AS ({kept}),
counts AS (
    SELECT source, target, deliverable, count(DISTINCT "case") AS cases, count(*) AS handovers
    FROM kept GROUP BY source, target, deliverable
),
ranked AS (
    SELECT source, target, deliverable, wait,
           row_number() OVER (PARTITION BY source, target, deliverable ORDER BY wait) - 1 AS i,
           count(*) OVER (PARTITION BY source, target, deliverable) AS n
    FROM kept WHERE wait IS NOT NULL
),
positions AS (SELECT *, CAST(floor(0.9::DOUBLE * (n - 1)) AS BIGINT) AS p FROM ranked),
waits AS (
    SELECT source, target, deliverable,
           CASE WHEN max(n) % 2 = 1 THEN max(wait) FILTER (WHERE i = (n - 1) // 2)
                ELSE (max(wait) FILTER (WHERE i = n // 2 - 1) + max(wait) FILTER (WHERE i = n // 2)) / 2
           END AS median_wait_hours,
           max(wait) FILTER (WHERE i = p) AS p_low, max(wait) FILTER (WHERE i = p + 1) AS p_high,
           max(0.9::DOUBLE * (n - 1) - p) AS fraction
    FROM positions GROUP BY source, target, deliverable
)
SELECT c.source, c.target, c.deliverable, c.cases, c.handovers, w.median_wait_hours,
       CASE WHEN w.fraction = 0 OR w.p_high IS NULL THEN w.p_low
            ELSE w.p_low + (w.p_high - w.p_low) * w.fraction END AS p90_wait_hours
FROM counts AS c LEFT JOIN waits AS w ON c.source = w.source AND c.target = w.target AND c.deliverable = w.deliverable
"""


def ping_pong(dialect: Dialect, limit: int) -> str:
    """Pairs of teams handing one case to each other both ways (the first ``limit``), and how many pairs in all."""
    return _case(
        dialect,
        f"""
WITH directed AS (SELECT DISTINCT "case", source, target FROM moves WHERE target IS NOT NULL),
pairs AS (
    SELECT d.source AS a, d.target AS b, count(*) AS cases
    FROM directed AS d JOIN directed AS r ON d."case" = r."case" AND d.source = r.target AND d.target = r.source
    WHERE d.source < d.target
    GROUP BY d.source, d.target
)
SELECT a, b, cases, count(*) OVER () AS pairs FROM pairs ORDER BY cases DESC, a, b LIMIT {int(limit)}
""",
    )


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


def _case(dialect: Dialect, query: str) -> str:
    """The query with the case column quoted as the dialect quotes identifiers."""
    return query.replace('"case"', dialect.case)
