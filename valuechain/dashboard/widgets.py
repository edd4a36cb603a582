"""Shared pieces of the dashboard's pages: tables labelled from the vocabulary, and the metrics of a change.

Every header a person reads comes from :data:`valuechain.vocabulary.COLUMNS` (a user's own column keeps its
name), reasons show as their titles, yes/no as words, shares as percentages and counts as whole numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from valuechain.scenarios.changes import FindingChanges, single_point_changes
from valuechain.vocabulary import COLUMNS, FACTS, Column, label, readable

#: What a select box shows for "no choice".
NONE = "(none)"
#: How each field is named in the column choosers (and in the prompts to choose one).
FIELD_WORDS = {
    "source": "who hands off (source)",
    "target": "who receives (target)",
    "deliverable": "what is handed off (deliverable)",
    "essential": "essential (yes/no)",
    "id": "party id",
    "name": "party name",
    "kind": "kind (team, supplier...)",
    "group": "group (department)",
}
#: Streamlit's number formats for the vocabulary's formats (the others are shown as text).
NUMBER_FORMATS = {"share": "percent", "count": "localized", "number": "localized"}
#: How wide the columns of long sentences are drawn.
WIDE = ("why", "teams")

LOST_HELP = (
    "Single points of failure that vanish because the teams that hung on them lost their line of sight "
    "(or left the org): a loss, not an improvement."
)
SPOF_TITLES = {
    "new": "New single points of failure",
    "resolved": "Single points of failure resolved (another way now)",
    "removed": "Single points of failure removed",
}


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:=])")


def plain(text: object) -> str:
    """Text of the user's (a file name, a party id) as Streamlit's Markdown shows it: as written, every character
    that Markdown would read as formatting, a link, an emoji or maths escaped.

    Examples
    --------
    >>> print(plain("**bold** [x](http://e.x) :red[a] $1"))
    \\*\\*bold\\*\\* \\[x\\]\\(http\\://e\\.x\\) \\:red\\[a\\] \\$1
    """
    return _MARKDOWN.sub(r"\\\1", str(text))


def column_config(column: Column, wide: bool = False) -> Any:
    """The Streamlit column configuration of one column of the vocabulary: its label, format and help.

    Examples
    --------
    >>> from valuechain.vocabulary import COLUMNS
    >>> column_config(COLUMNS["share_connected"])["type_config"]["format"]
    'percent'
    """
    help_text = column.help or None
    if column.format in NUMBER_FORMATS:
        return st.column_config.NumberColumn(column.label, help=help_text, format=NUMBER_FORMATS[column.format])
    return st.column_config.TextColumn(column.label, help=help_text, width="large" if wide else None)


def shown(frame: pd.DataFrame, read_as: Mapping[str, Column] | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A library table as a person reads it, and the column configurations of its labelled headers.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns named by the vocabulary's codes (others are the user's own and keep their name).
    read_as : mapping, optional
        Codes this table reads otherwise (:data:`~valuechain.vocabulary.DEPARTMENT_COLUMNS`: a department's
        ``connected`` counts teams, it is not yes/no).

    Examples
    --------
    >>> table, config = shown(pd.DataFrame({"reason": ["dead_end"], "share_connected": [0.5]}))
    >>> table.to_dict("records"), sorted(config)
    ([{'Reason': 'Dead end', 'Share with line of sight': 0.5}], ['Reason', 'Share with line of sight'])
    """
    known = {**COLUMNS, **(read_as or {})}
    config = {known[c].label: column_config(known[c], c in WIDE) for c in frame.columns if c in known}
    return readable(frame, text=False, read_as=read_as), config


def table(frame: pd.DataFrame, key: str, read_as: Mapping[str, Column] | None = None, **kwargs: Any) -> None:
    """A table with labelled headers in a keyed container (so tests and the browser can find it by ``key``).

    ``read_as`` as in :func:`shown`; ``column_config`` in ``kwargs`` is keyed by the vocabulary's codes and overrides
    the labelled defaults.
    """
    labelled, config = shown(frame, read_as)
    config.update({label(code): value for code, value in kwargs.pop("column_config", {}).items()})
    with st.container(key=f"table-{key}"):
        st.dataframe(labelled, hide_index=True, width="stretch", column_config=config, **kwargs)


def fact(code: str) -> str:
    """The label of a count of the summary, for a metric ("Orphaned teams").

    Examples
    --------
    >>> fact("single_points_of_failure")
    'Single points of failure'
    """
    return FACTS[code].label


def fewer_colour(delta: int, *not_improvements: pd.DataFrame) -> Any:
    """The delta colour of a count where fewer is better: green when it falls, red when it grows, grey when
    part of the fall is not an improvement (findings lost with their teams, or removed with their party).

    Examples
    --------
    >>> fewer_colour(-2), fewer_colour(-2, pd.DataFrame({"id": ["x"]}))
    ('inverse', 'off')
    """
    return "off" if delta < 0 and any(len(f) for f in not_improvements) else "inverse"


def lost_metric(cell: Any, lost: pd.DataFrame) -> None:
    """How many single points of failure were lost with their teams, shown as a loss (red, downwards)."""
    cell.metric("Lost with their teams", len(lost), -len(lost), delta_color="normal", help=LOST_HELP)


def spof_metrics(cells: list[Any], delta: int, changes: FindingChanges, lost: pd.DataFrame, after: int) -> None:
    """The single points of failure after a change: fewer is better, unless some were lost with their teams
    or removed (then the fall is grey, not green, and the lost ones get a red metric of their own)."""
    removed = changes.removed_single_points_of_failure
    colour = fewer_colour(delta, lost, removed)
    why = [f"{len(lost)} lost with their teams" if len(lost) else "", f"{len(removed)} removed" if len(removed) else ""]
    cells[0].metric(
        fact("single_points_of_failure"),
        after,
        delta,
        delta_color=colour,
        help=f"Not an improvement: {', '.join(w for w in why if w)}." if colour == "off" else None,
    )
    if len(lost):
        lost_metric(cells[1], lost)


def spof_tables(changes: FindingChanges, key: str) -> None:
    """New, resolved, removed and lost single points of failure, each under its own heading when there are any."""
    parts = single_point_changes(changes)
    for part, title in SPOF_TITLES.items():
        if len(parts[part]):
            st.markdown(f"**{title}** ({len(parts[part])})")
            table(parts[part], key=f"{key}-spof-{part}")
    lost = parts["lost"]
    if len(lost):
        st.markdown(
            f"**:red[Single points of failure lost with their teams]** ({len(lost)}): not an improvement, "
            "the teams that hung on them lost their line of sight"
        )
        table(lost, key=f"{key}-spof-lost")
