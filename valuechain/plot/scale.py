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
    # computed once per chain and options: the figure and the dashboard's list of units both ask (0.2 s at 100,000)
    done: dict[tuple[int, str | None], tuple[np.ndarray, str]] = chain.__dict__.setdefault("_drawn_units", {})
    if (max_parties, expand) not in done:
        done[(max_parties, expand)] = _drawn_units(chain, max_parties, expand)
    unit, how = done[(max_parties, expand)]
    return unit.copy(), how


def _drawn_units(chain: Chain, max_parties: int, expand: str | None) -> tuple[np.ndarray, str]:
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
    plural = chain.parties["kind"].map(PLURAL).fillna(chain.parties["kind"]).to_numpy(dtype=object)[which]
    distance = found["distance"].to_numpy(dtype=object)[which]
    reason = found["reason"].to_numpy(dtype=object)[which]
    # a label per kind, distance and reason, not per party: 100,000 parties share a few hundred of them
    codes = [
        pd.factorize(pd.Series(column, dtype=object), use_na_sentinel=False) for column in (plural, distance, reason)
    ]
    key = np.zeros(len(plural), dtype=np.int64)
    for code, values in codes:
        key = key * (len(values) + 1) + code
    _, first, which_label = np.unique(key, return_index=True, return_inverse=True)
    taken = set(ids[~which].tolist())
    labels = []
    for p, d, r in zip(plural[first], distance[first], reason[first]):
        label = (
            f"{p}, {int(d)} hand-off{'s' if d != 1 else ''} from the customer"
            if not pd.isna(d)
            else f"{p} with no line of sight" + (f" ({Reason(r).short})" if not pd.isna(r) else "")
        )
        labels.append(f"{label} (layer)" if label in taken else label)
    out = ids.copy()
    out[which] = np.array(labels, dtype=object)[which_label.reshape(-1)]
    return out


def drawn_chain(chain: Chain, unit: np.ndarray) -> Chain:
    """The chain with parties merged into their drawn ``unit``; a unit of teams is a team."""
    kinds = chain.parties["kind"].to_numpy(dtype=object)
    ids = chain.parties["id"].to_numpy(dtype=object)
    # a unit's kind: its own when it is one party, team when it holds any team, else its parties' kind
    code, _ = pd.factorize(pd.Series(unit, dtype=object), use_na_sentinel=False)
    has_team = np.bincount(code, weights=kinds == "team") > 0
    _, first = np.unique(code, return_index=True)
    kind = np.where(has_team, "team", kinds[first]).astype(object)[code]
    return merged_chain(chain, unit, np.where(unit == ids, kinds, kind))
