"""Static images of any figure, PNG or SVG, for reports and slides (through kaleido and a Chromium)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import plotly.graph_objects as go

from valuechain.exceptions import OutputError, ToolMissing
from valuechain.plot.style import as_svg

VECTOR_POINTS = 20_000  # up to this many points, WebGL traces are drawn as vector traces in SVG and PDF


def save_image(
    fig: go.Figure, path: str | Path, width: int = 1400, height: int | None = None, scale: float = 2
) -> Path:
    """Write ``fig`` as a PNG, SVG or PDF image, the format from the file's extension.

    kaleido renders the figure in a headless Chromium (on Debian, the
    ``chromium`` package). In SVG and PDF, WebGL traces would be pictures
    inside the vector file, so small figures are redrawn with vector traces.

    Examples
    --------
    >>> import valuechain as vc
    >>> fig = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv").plot()
    >>> save_image(fig, "chain.svg")  # doctest: +SKIP
    PosixPath('chain.svg')
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf", "jpg", "jpeg", "webp"):
        raise OutputError(f"cannot write '{path.name}': use a .png, .svg or .pdf file name")
    if importlib.util.find_spec("kaleido") is None:
        raise ToolMissing(
            f"could not draw '{path.name}': images need kaleido, which comes with pip install valuechain[image]"
            " (and a Chromium browser; on Debian: apt-get install chromium); or write the figure as .html"
        )
    if fmt in ("svg", "pdf"):
        fig = vector(fig)
    try:
        data = _render(fig, fmt, width, height or fig.layout.height or 700, scale)
    except (RuntimeError, ValueError) as err:
        raise ToolMissing(
            f"could not draw '{path.name}': kaleido needs a Chromium browser "
            "(on Debian: apt-get install chromium). " + str(err).splitlines()[0]
        ) from err
    path.write_bytes(data)
    return path


#: Times kaleido is asked: its browser tab sometimes answers before its page has loaded ("kaleido_scopes is not
#: defined", more often on a busy machine), and a second request then succeeds.
ATTEMPTS = 2


def _render(fig: go.Figure, fmt: str, width: int, height: int, scale: float) -> bytes:
    for attempt in range(ATTEMPTS):
        try:
            return fig.to_image(format=fmt, width=width, height=height, scale=scale)
        except (RuntimeError, ValueError) as err:
            if attempt + 1 == ATTEMPTS or "kaleido_scopes is not defined" not in str(err):
                raise
    raise AssertionError("unreachable")


def vector(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` with WebGL scatter traces redrawn as SVG scatter traces, when small enough."""
    if sum(len(t.x) for t in fig.data if t.type == "scattergl" and t.x is not None) > VECTOR_POINTS:
        return fig
    return as_svg(fig)
