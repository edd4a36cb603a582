"""What to draw when an org is too big to draw party by party: departments, else distance layers.

Up to ``MAX_PARTIES`` parties are drawn one by one. Above that, teams are
drawn as their departments; when that is still too many (or the org has no
departments), the remaining parties are drawn as layers: all the teams (or
suppliers, regulators...) at the same distance from the customer as one
unit, and those with no line of sight by reason. Customers always stay
themselves. Any one unit can be expanded back into its parties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.exceptions import NotFound
from valuechain.scenarios.rollup import _units, merged_chain
from valuechain.vocabulary import Kind, Reason

if TYPE_CHECKING:
    from valuechain.model import Chain

#: Above this many parties the chain figure draws units instead of parties.
MAX_PARTIES = 2000

PLURAL = {kind.value: kind.plural for kind in Kind}


def drawn_units(chain: Chain, max_parties: int = MAX_PARTIES, expand: str | None = None) -> tuple[np.ndarray, str]:
    """Per party, the unit it is drawn as, and how the drawing was rolled up (in words).

    Parameters
    ----------
    max_parties : int
        The most units to draw.
    expand : str, optional
        A unit (a department or a layer) whose parties are drawn one by one.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/midsize/handoffs.csv", parties="data/midsize/parties.csv")
    >>> unit, how = drawn_units(chain, max_parties=40)
    >>> how, len(set(unit))
    ('by department', 24)
    >>> unit, how = drawn_units(chain, max_parties=20)
    >>> how, sorted(set(unit))[:2]
    ('by department, other parties by distance', ['Customer Service', 'Executive'])
    """
    ids = chain.parties["id"].to_numpy(dtype=object)
    customer = chain.arrays.is_customer
    _, grouped, unit = _units(chain, "group")
    how = "by department"
    if not grouped.any():
        unit, how = _layers(chain, np.ones(len(ids), dtype=bool)), "by distance to the customer"
    elif len(set(unit.tolist())) > max_parties:
        unit = np.where(grouped, unit, _layers(chain, ~grouped))
        how = "by department, other parties by distance"
        layers = _layers(chain, np.ones(len(ids), dtype=bool))
        if len(set(unit.tolist())) > max_parties and len(set(layers.tolist())) < len(set(unit.tolist())):
            unit, how = layers, "by distance to the customer"
    unit = np.where(customer, ids, unit)
    if expand is not None:
        inside = unit == expand
        if not inside.any():
            raise NotFound(f"there is no unit '{expand}' to expand; units are named like {sorted(set(unit))[:3]}")
        unit = np.where(inside, ids, unit)
        how += f", {expand} expanded"
    return unit, how


def _layers(chain: Chain, which: np.ndarray) -> np.ndarray:
    """Layer labels for the parties in ``which`` (the others get their id): kind and distance, or reason."""
    found = chain.analyze().parties
    ids = chain.parties["id"].to_numpy(dtype=object)
    plural = chain.parties["kind"].map(PLURAL).fillna(chain.parties["kind"]).to_numpy(dtype=object)
    distance = found["distance"].to_numpy(dtype=object)
    reason = found["reason"].to_numpy(dtype=object)
    labels = np.array(
        [
            f"{p}, {int(d)} hand-off{'s' if d != 1 else ''} from the customer"
            if not pd.isna(d)
            else f"{p} with no line of sight" + (f" ({Reason(r).short})" if not pd.isna(r) else "")
            for p, d, r in zip(plural[which], distance[which], reason[which])
        ],
        dtype=object,
    )
    taken = set(ids[~which].tolist())
    labels = np.array([f"{x} (layer)" if x in taken else x for x in labels], dtype=object)
    out = ids.copy()
    out[which] = labels
    return out


def drawn_chain(chain: Chain, unit: np.ndarray) -> Chain:
    """The chain with parties merged into their drawn ``unit``; a unit of teams is a team."""
    kinds = chain.parties["kind"].to_numpy(dtype=object)
    ids = chain.parties["id"].to_numpy(dtype=object)
    frame = pd.DataFrame({"unit": unit, "kind": kinds, "self": unit == ids})
    # a unit's kind: its own when it is one party, team when it holds any team, else its parties' kind
    by_unit = frame.assign(team=frame["kind"] == "team").groupby("unit")
    kind = pd.Series(
        np.where(by_unit["team"].any(), "team", by_unit["kind"].first()), index=by_unit["kind"].first().index
    )
    return merged_chain(chain, unit, np.where(frame["self"], kinds, kind.reindex(unit).to_numpy(dtype=object)))
