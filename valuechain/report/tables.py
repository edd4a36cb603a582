"""The findings as tables a person reads, the same for Excel, CSV, Markdown, HTML and the dashboard's downloads.

Headers and values come from :mod:`valuechain.vocabulary` (:func:`~valuechain.vocabulary.readable`); a table
where a code means something else than usual (a department's ``connected`` counts teams) says so with
``columns``. The Parties and Hand-offs sheets are the user's own rows, kept as they are so the workbook reads
back as the org.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from valuechain.explain import loop_details, mutual_details, orphan_details, spof_details
from valuechain.vocabulary import DEPARTMENT_COLUMNS, FACTS, Column, readable

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Codes read otherwise in some of the library's tables than :data:`valuechain.vocabulary.COLUMNS` reads them.
DEPARTMENTS = DEPARTMENT_COLUMNS
SINGLE_POINTS = {"teams": Column("teams", "Which teams (nearest first)")}
#: Single points of failure that are gone: the teams that hung on them before.
GONE_SINGLE_POINTS = {"dependents": Column("dependents", "Teams that hung on it", "count")}


def labelled(frame: pd.DataFrame, *, text: bool = True, columns: Mapping[str, Column] | None = None) -> pd.DataFrame:
    """``frame`` as a person reads it: :func:`~valuechain.vocabulary.readable`, with ``columns`` read otherwise.

    Parameters
    ----------
    frame : pandas.DataFrame
        A library table (columns named by the vocabulary's codes; others are the user's own and stay).
    text : bool
        Every known value as text (HTML, Markdown); ``False`` keeps numbers as numbers (Excel, CSV).
    columns : mapping of str to Column, optional
        Codes that this table reads otherwise (their label and format).

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["Sales"], "connected": [3], "share_connected": [0.75]})
    >>> labelled(t, columns=DEPARTMENTS).to_dict("records")
    [{'Department': 'Sales', 'Teams with line of sight': '3', 'Share with line of sight': '75%'}]
    >>> labelled(t, text=False, columns=DEPARTMENTS).to_dict("records")
    [{'Department': 'Sales', 'Teams with line of sight': 3, 'Share with line of sight': 0.75}]
    """
    return readable(frame, text=text, read_as=columns)


def findings_tables(chain: Chain) -> dict[str, pd.DataFrame]:
    """Summary, Orphans, Loops, Mutual pairs, Single points of failure, (Decisions,) Parties and Hand-offs.

    The findings are labelled as a person reads them (reasons as titles, yes/no, numbers kept as numbers).
    Parties and Hand-offs are the input rows with their spreadsheet ``row``, every column kept under its own
    name, and each party's findings (as codes, so the workbook reads back as the org).

    Examples
    --------
    >>> import valuechain as vc
    >>> tables = findings_tables(vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv"))
    >>> list(tables)
    ['Summary', 'Orphans', 'Loops', 'Mutual pairs', 'Single points of failure', 'Parties', 'Hand-offs']
    >>> tables["Orphans"][["Id", "Reason"]].values.tolist()
    [['bookkeeping', 'Serves outside parties only'], ['marketing', 'Preference only']]
    """
    found = chain.analyze()
    facts = [(FACTS[k].help if k in FACTS else k, v) for k, v in found.summary.items()]
    summary = pd.DataFrame([("External customers", ", ".join(chain.customers)), *facts], columns=["Finding", "Value"])
    status = found.parties.set_index("id")[["connected", "distance", "reason", "loop", "dependents"]]
    # the user's own columns keep their names; the spreadsheet row and the findings give way where they clash
    parties = _with_row(chain.parties).join(status, on="id", suffixes=("", " (finding)"))
    tables = {
        "Summary": summary,
        "Orphans": labelled(orphan_details(chain), text=False),
        "Loops": labelled(loop_details(chain), text=False),
        "Mutual pairs": labelled(mutual_details(chain), text=False),
        "Single points of failure": labelled(spof_details(chain), text=False, columns=SINGLE_POINTS),
    }
    if found.review is not None:  # review decisions given: every decision and what became of it
        tables["Decisions"] = labelled(found.review.table(), text=False)
    return {**tables, "Parties": parties, "Hand-offs": _with_row(chain.handoffs)}


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
