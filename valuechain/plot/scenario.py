"""What changed, drawn on the chain after a what-if or in a newer version of the org."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from valuechain.plot.chain import _segments, chain_figure
from valuechain.plot.layout import GAP, layout
from valuechain.plot.style import HIGHLIGHT, esc, finish

if TYPE_CHECKING:
    from valuechain.model import Chain
    from valuechain.scenarios import Diff, Scenario


def scenario_figure(scenario: Scenario | tuple[Diff, Chain]) -> go.Figure:
    """The chain after a what-if or a newer version, with what changed drawn on top.

    Newly orphaned teams get a vermilion ring, newly connected ones a green
    ring; removed parties are drawn greyed in a band of their own at the
    bottom; removed hand-offs between parties that remain are dotted grey,
    added ones green.

    Parameters
    ----------
    scenario : Scenario or (Diff, Chain)
        A what-if (:meth:`Chain.whatif`), or a diff together with the newer chain.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv")
    >>> fig = scenario_figure(chain.whatif(remove=["repair-agents"]))
    >>> [t.name for t in fig.data if t.meta == "changes"]
    ['Newly orphaned', 'Removed party']
    """
    if isinstance(scenario, tuple):
        diff, chain = scenario
        changes = diff.changes
        removed = diff.parties_removed[["id", "name"]]
        cut = list(zip(diff.handoffs_removed["source"], diff.handoffs_removed["target"]))
        added = list(zip(diff.handoffs_added["source"], diff.handoffs_added["target"]))
        before = None
    else:
        changes, chain = scenario.changes, scenario.chain
        names = scenario.before.parties.set_index("id")["name"]
        removed = pd.DataFrame({"id": scenario.removed_parties, "name": names.reindex(scenario.removed_parties)})
        cut, added = list(scenario.removed_handoffs), list(scenario.added_handoffs)
        before = scenario.before.parties.set_index("id")["distance"]
    fig = chain_figure(
        chain, title="What changes: newly orphaned (vermilion ring), newly connected (green ring), removed (grey)"
    )
    pos = layout(chain).set_index("id")
    for pairs, name, colour, dash in (
        (cut, "Removed hand-off", "#7F7F7F", "dot"),
        (added, "Added hand-off", HIGHLIGHT["gained"], "dash"),
    ):
        pairs = [(s, t) for s, t in pairs if s in pos.index and t in pos.index]
        if pairs:
            s, t = zip(*pairs)
            fig.add_trace(
                go.Scattergl(
                    x=_segments(pos.loc[list(s), "x"].to_numpy(), pos.loc[list(t), "x"].to_numpy()),
                    y=_segments(pos.loc[list(s), "y"].to_numpy(), pos.loc[list(t), "y"].to_numpy()),
                    mode="lines",
                    name=name,
                    line={"color": colour, "width": 2.5, "dash": dash},
                    hoverinfo="skip",
                    meta="changes",
                )
            )
    for ids, name, colour in (
        (changes.new_orphans["id"], "Newly orphaned", HIGHLIGHT["lost"]),
        (changes.resolved_orphans["id"], "Newly connected", HIGHLIGHT["gained"]),
    ):
        ids = [i for i in ids if i in pos.index]
        if ids:
            fig.add_trace(
                go.Scattergl(
                    x=pos.loc[ids, "x"],
                    y=pos.loc[ids, "y"],
                    mode="markers",
                    name=name,
                    text=[esc(i) for i in ids],
                    hovertemplate="%{text}<extra></extra>",
                    marker={"symbol": "circle-open", "size": 22, "color": colour, "line": {"width": 3}},
                    meta="changes",
                )
            )
    if len(removed):
        # greyed, in a band below everything, each in the column of its former distance when known
        left = pos["x"].min() if len(pos) else 0.0
        distance = before.reindex(removed["id"]).to_numpy(dtype=float) if before is not None else np.nan
        x = np.where(np.isnan(distance), left, -distance) * np.ones(len(removed))
        y = (pos["y"].min() if len(pos) else 0.0) - GAP - np.arange(len(removed)) % 3
        fig.add_trace(
            go.Scattergl(
                x=x,
                y=y,
                mode="markers+text",
                name="Removed party",
                text=[
                    f"removed: <b>{esc(n)}</b> ({esc(i)})" for i, n in zip(removed["id"], removed["name"].fillna(""))
                ],
                hovertemplate="%{text}<extra></extra>",
                textposition="top center",
                textfont={"size": 10, "color": "#7F7F7F"},
                marker={
                    "symbol": "x-thin-open",
                    "size": 14,
                    "color": "#BBBBBB",
                    "line": {"width": 3, "color": "#BBBBBB"},
                },
                customdata=removed["id"].to_numpy(dtype=object),
                meta="changes",
            )
        )
    return finish(fig, len(chain.parties))
