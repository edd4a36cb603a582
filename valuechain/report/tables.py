"""The findings as tables, the same for Excel, CSV, Markdown, HTML and the dashboard's downloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from valuechain.explain import loop_details, mutual_details, orphan_details, spof_details

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Words for the summary's keys.
SUMMARY_WORDS = {
    "parties": "Parties (teams and outside parties, customers included)",
    "teams": "Teams",
    "handoffs": "Hand-offs (distinct pairs, self hand-offs left out)",
    "connected": "Teams with a line of sight to the customer",
    "orphans": "Orphaned teams (no line of sight)",
    "loops": "Loops",
    "mutual_pairs": "Mutual pairs",
    "single_points_of_failure": "Single points of failure",
    "orphan_headcount": "People in orphaned teams",
    "total_headcount": "People in all teams",
    "orphan_cost": "Cost of orphaned teams",
    "total_cost": "Cost of all teams",
}


def findings_tables(chain: Chain) -> dict[str, pd.DataFrame]:
    """Summary, Orphans, Loops, Mutual pairs, Single points of failure, Parties and Hand-offs.

    Parties and Hand-offs are the input rows with their spreadsheet ``row``,
    every column kept, and each party's status.

    Examples
    --------
    >>> import valuechain as vc
    >>> tables = findings_tables(vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv"))
    >>> list(tables)
    ['Summary', 'Orphans', 'Loops', 'Mutual pairs', 'Single points of failure', 'Parties', 'Hand-offs']
    """
    found = chain.analyze()
    summary = pd.DataFrame(
        [(SUMMARY_WORDS.get(k, k), v) for k, v in found.summary.items()], columns=["finding", "value"]
    )
    summary = pd.concat(
        [pd.DataFrame([("External customers", ", ".join(chain.customers))], columns=summary.columns), summary],
        ignore_index=True,
    )
    status = found.parties.set_index("id")[["connected", "distance", "reason", "loop", "dependents"]]
    # the user's own columns keep their names; the spreadsheet row and the findings give way where they clash
    parties = _with_row(chain.parties).join(status, on="id", suffixes=("", " (finding)"))
    loops = loop_details(chain).assign(members=lambda t: t["members"].map(", ".join))
    return {
        "Summary": summary,
        "Orphans": orphan_details(chain),
        "Loops": loops,
        "Mutual pairs": mutual_details(chain),
        "Single points of failure": spof_details(chain),
        "Parties": parties,
        "Hand-offs": _with_row(chain.handoffs),
    }


def _with_row(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its spreadsheet row as the first column: ``row``, or ``spreadsheet row`` where the user's
    table has a column ``row`` of its own.

    Examples
    --------
    >>> t = pd.DataFrame({"row": ["x"]}, index=pd.Index([2], name="row"))
    >>> list(_with_row(t).columns)
    ['spreadsheet row', 'row']
    """
    name = "row" if "row" not in table.columns else "spreadsheet row"
    return table.rename_axis(name).reset_index()
