"""What the department views share: the units they draw, the units' facts and names, the page they fit.

The department chain (:mod:`valuechain.plot.departments`), the hand-off
matrix (:mod:`valuechain.plot.matrix`) and the flow
(:mod:`valuechain.plot.flow`) are read on a screen about 1100 pixels wide
(the dashboard) or on A4 (the report, about 1000), and on paper nobody can
hover: every label is written in full, wrapped onto more lines rather than
cut, and laid out so that no two labels overlap and none leaves the figure
at ``NARROWEST`` pixels or wider. The words come from
:mod:`valuechain.vocabulary`: outside parties are grouped by kind
("Suppliers", "Regulators"), counts say what they count ("7 teams"),
shares are percentages.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from valuechain.plot.style import esc
from valuechain.scenarios.rollup import _units
from valuechain.vocabulary import KIND_GROUPS, Kind

if TYPE_CHECKING:
    from valuechain.model import Chain

NARROWEST = 1000  # pixels: the narrowest the figures are laid out for (A4; the dashboard gives about 1100)
FONT = 11  # pixels: the labels' font size
CHAR = 0.58 * FONT  # pixels: a generous width of one character (capitals and wide letters included)
LINE = 1.3 * FONT  # pixels: the height of one line of a label
SIDES = 20  # pixels: the figures' left and right margins
TITLE_SPACE = 70  # pixels above the plot for the title, plus LINE per line of the subtitle


def department_units(chain: Chain, by: str = "group", *, matrix: bool = False) -> np.ndarray:
    """Per party, the unit the department views draw it in.

    A team with a department is drawn in its department; an outside party in
    its kind's group ("Suppliers", "Regulators"...). A customer and a team
    with no department stay themselves, except in the ``matrix``, where they
    are grouped too ("External customers", "Teams with no department") so that
    every row is a department or a kind.

    Examples
    --------
    >>> import valuechain as vc
    >>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
    >>> unit = dict(zip(chain.parties["id"], department_units(chain)))
    >>> unit["health"], unit["produce"], unit["kitchen"], unit["diners"]
    ('Regulators', 'Suppliers', 'Back of house', 'diners')
    >>> dict(zip(chain.parties["id"], department_units(chain, matrix=True)))["diners"]
    'External customers'
    """
    _, grouped, unit = _units(chain, by)
    regroup = ~grouped if matrix else chain.arrays.is_outside & ~chain.arrays.is_customer
    return _by_kind(chain, unit, regroup)


def _by_kind(chain: Chain, unit: np.ndarray, regroup: np.ndarray) -> np.ndarray:
    """``unit`` with the parties in ``regroup`` in their kind's group; customers in "External customers"."""
    kinds = chain.parties["kind"].astype(str).to_numpy(dtype=object)
    kinds = np.where(chain.arrays.is_customer, Kind.EXTERNAL_CUSTOMER.value, kinds)
    heading = np.array([KIND_GROUPS.get(k, k) for k in kinds], dtype=object)
    taken = set(unit[~regroup].tolist())  # a department called "Suppliers" keeps its name
    heading = np.array([f"{h} (outside parties)" if h in taken else h for h in heading], dtype=object)
    return np.where(regroup, heading, unit).astype(object)


def _unit_facts(chain: Chain, unit: np.ndarray, grouped: np.ndarray) -> pd.DataFrame:
    """Per unit: ``parties``, ``teams`` (of a department), ``orphans`` among them, and the parties' ``names``."""
    connected = chain.analyze().parties["connected"].to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            "unit": unit,
            "team": grouped,
            "orphan": grouped & ~connected,
            "name": chain.parties["name"].astype(str).to_numpy(),
            "kind": chain.parties["kind"].astype(str).to_numpy(),
        }
    )
    by_unit = frame.groupby("unit", sort=False)
    return pd.DataFrame(
        {
            "parties": by_unit.size(),
            "teams": by_unit["team"].sum(),
            "orphans": by_unit["orphan"].sum(),
            "names": by_unit["name"].agg(list),
            "kind": by_unit["kind"].first(),
        }
    )


def _party_or_group(unit: str, facts: pd.Series) -> str:
    """A unit that is no department: ``"Suppliers (4)"``, ``"Regulators: Food Safety Office"``, or a party's name."""
    if facts["parties"] > 1:  # a kind's group, or a layer ("teams, 2 hand-offs from the customer")
        return f"{unit[:1].upper()}{unit[1:]} ({facts['parties']})"
    return f"{unit}: {facts['names'][0]}" if unit in KIND_GROUPS.values() else str(facts["names"][0])


def _together(words: str) -> str:
    """``words`` joined by non-breaking spaces, so that wrapping keeps them on one line ("7 teams")."""
    return words.replace(" ", "\u00a0")


def _wrapped(text: str, chars: int = 120) -> str:
    """``text`` escaped and wrapped onto lines of at most ``chars`` characters (a word longer than that is cut)."""
    return "<br>".join(esc(line) for line in textwrap.wrap(str(text), max(chars, 8), break_on_hyphens=False) or [""])
