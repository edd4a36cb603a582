"""Reports of the findings for people who do not run the tool: tables, Excel and CSV, written safely."""

from valuechain.report.excel import write_excel
from valuechain.report.safe import escape, neutral, neutral_frame
from valuechain.report.tables import findings_tables

__all__ = ["escape", "findings_tables", "neutral", "neutral_frame", "write_excel"]
