"""Plotly figures of the value chain.

- :func:`chain_figure` (also ``chain.plot()``): every party and hand-off, the
  customers on the right, every party's name written on it up to 150 parties
  (the 40 a leader acts on above: :mod:`valuechain.plot.labels`), with focus
  views of one team's paths (by id or name), one loop or one department;
  large orgs drawn by department or distance layer.
- :func:`rollup_figures`: the department chain (:mod:`valuechain.plot.departments`)
  and the department matrix (:mod:`valuechain.plot.matrix`); the units they
  draw and the labels they share are in :mod:`valuechain.plot.units`.
- :func:`flow_figure`: a Sankey of hand-offs flowing towards the customer
  (:mod:`valuechain.plot.flow`).
- :func:`scenario_figure`: what a what-if or a newer version changes.
- :func:`save_image`: any figure as PNG, SVG or PDF.
"""

from valuechain.plot.chain import chain_figure, shortest_path
from valuechain.plot.departments import rollup_figures
from valuechain.plot.flow import flow_figure
from valuechain.plot.image import save_image
from valuechain.plot.layout import layout
from valuechain.plot.scale import MAX_PARTIES, drawn_units
from valuechain.plot.scenario import scenario_figure
from valuechain.plot.style import status

__all__ = [
    "MAX_PARTIES",
    "chain_figure",
    "drawn_units",
    "flow_figure",
    "layout",
    "rollup_figures",
    "save_image",
    "scenario_figure",
    "shortest_path",
    "status",
]
