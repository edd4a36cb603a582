"""Hand-offs measured, not guessed: the value chain from an event log.

An event log has one row per event: a case id, an activity, the team (or person) doing it, and a timestamp.
:func:`from_log` runs the handover rule (see its docstring) as SQL: in DuckDB, out of core, for CSV and Parquet
files, globs, folders and everything :func:`read_log` reads; in Spark for a Spark DataFrame.

Modules: ``read`` (reading one table of events by the log's rules, in pandas: uploads, Excel, XES, DataFrames),
``duck`` (reading files and checking them in DuckDB), ``sql`` (the rule as SQL, for DuckDB and Spark),
``spark`` (the rule on a Spark DataFrame), ``findings`` (:class:`LogFindings`), ``build`` (:func:`from_log`).
"""

from valuechain.eventlog.build import from_log
from valuechain.eventlog.findings import CUSTOMER, LogFindings, pseudonym
from valuechain.eventlog.read import LOG_FIELDS, read_log, xes_table

__all__ = ["CUSTOMER", "LOG_FIELDS", "LogFindings", "from_log", "pseudonym", "read_log", "xes_table"]
