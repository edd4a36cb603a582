"""Where the names go on the chain figure: every party's name up to 150 parties, the ones a leader acts on above.

Names are SVG annotations (never WebGL), written right of their marker in
the gap before the next column. Their size is estimated from Arial's widths
(Liberation Sans on Linux has the same metrics), so placement is
deterministic and needs no browser:

- up to :data:`ALL_UP_TO` parties, :func:`every_label` gives every party a
  label that fits its column's gap, wrapped on up to three lines and
  shortened with "…" (never below :data:`KEEP` characters) when longer;
  the rows are spaced by the tallest label, so no two labels overlap each
  other or a marker at :data:`DESIGN_WIDTH` pixels or wider;
- above that, :func:`priority_labels` places at most :data:`MOST_LABELS`
  names by priority (the ones the caller puts first: a focus, orphans, the
  largest single points of failure, customers), greedily, each where it
  overlaps no label already placed (and, where it can, no marker).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Font of the labels: Arial's metrics (Liberation Sans is metric-compatible), so the estimates hold everywhere.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
FONT_SIZE = 10
LINE_SPACING = 1.3  # Plotly's line height, in font sizes
PAD = 1  # Plotly's border padding around an annotation, pixels
GAP_PX = 5  # between a marker's edge and its label (room for an arrowhead touching the marker)
#: The narrowest figure the labels are fitted for: the dashboard's chart in a 1,400 px window with its sidebar open
#: (the report's brief draws at 1,000 px, an A4 page is about 1,050 px, a wide dashboard 1,100 px and more).
DESIGN_WIDTH = 940
ALL_UP_TO = 150  # up to this many parties, every party is named
MOST_LABELS = 40  # above it, at most this many names
KEEP = 8  # a shortened name keeps at least this many characters
MOST_LINES = 3
MIN_ROW = 28  # pixels between rows at the least: the largest named marker (26 px) and a little air
ELLIPSIS = "…"

# Arial / Helvetica advance widths, thousandths of an em, for ASCII 32..126 (the AFM's widths).
_ASCII = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 "
    "278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 "
    "611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 "
    "556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
_WIDTH = dict(zip((chr(c) for c in range(32, 127)), (int(w) / 1000 for w in _ASCII.split())))
_OTHER = 0.72  # any other character: as wide as a wide capital
SAFETY = 1.06  # estimates err on the wide side (hinting, bold-free rounding)


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Estimated width in pixels of one line of ``text`` in the label font.

    Examples
    --------
    >>> round(text_width("Kitchen"), 1)
    35.4
    >>> text_width("WWW") > text_width("iii")
    True
    """
    em = sum(_WIDTH.get(ch, _OTHER) for ch in text)
    return em * size * SAFETY * (1.1 if bold else 1.0)


def line_height(size: float = FONT_SIZE) -> float:
    """The height of one line of a label, pixels."""
    return size * LINE_SPACING


def box_height(lines: int, size: float = FONT_SIZE) -> float:
    """The height of a label of ``lines`` lines, border padding included, pixels."""
    return lines * line_height(size) + 2 * PAD


def wrap(name: str, width: float, most_lines: int = MOST_LINES, bold: bool = False) -> list[str]:
    """``name`` broken into lines no wider than ``width`` pixels, at most ``most_lines``, shortened with "…".

    Lines break at spaces (or after hyphens and slashes); a word too long for
    a line is cut. A name that does not fit ends in "…" but keeps at least
    its first :data:`KEEP` characters, even if that line runs wider.

    Examples
    --------
    >>> wrap("Customer Service Operations", 90)
    ['Customer Service', 'Operations']
    >>> wrap("Customer Service Operations", 90, most_lines=1)
    ['Customer Servic…']
    >>> wrap("Procurement", 10, most_lines=1)
    ['Procurem…']
    """
    name = " ".join(str(name).split())
    lines: list[str] = []
    rest = name
    while rest and len(lines) < most_lines:
        last = len(lines) == most_lines - 1
        fits = _fitting(rest, width, bold)
        if fits == len(rest):
            lines.append(rest)
            rest = ""
            break
        if last:
            break
        cut = max((rest.rfind(c, 0, fits + 1) for c in " -/"), default=-1)
        if cut > 0:
            lines.append(rest[: cut + 1].rstrip())
            rest = rest[cut + 1 :].lstrip()
        else:  # a word longer than the line: cut it with a hyphen
            cut = max(_fitting(rest[:fits] + "-", width, bold) - 1, 1)
            word = len(rest.split(" ")[0])
            if word - cut < 3 and word > 5:  # never leave one or two letters alone on the next line
                cut = word - 3
            lines.append(rest[:cut] + "-")
            rest = rest[cut:]
    if rest:  # the last line: as much as fits with "…", never fewer than KEEP characters of the name in all
        room = _fitting(rest, width - text_width(ELLIPSIS, bold=bold), bold)
        shown = sum(len(line) for line in lines)
        room = max(room, KEEP - shown, 1)
        lines.append(rest[:room].rstrip() + ELLIPSIS)
    return lines


def _fitting(text: str, width: float, bold: bool = False) -> int:
    """How many leading characters of ``text`` fit in ``width`` pixels."""
    scale = FONT_SIZE * SAFETY * (1.1 if bold else 1.0)
    used = np.cumsum([_WIDTH.get(ch, _OTHER) * scale for ch in text])
    return int(np.searchsorted(used, width + 1e-9, side="right"))


@dataclass
class Label:
    """One placed label: the party (its position), its lines, where it sits relative to the marker."""

    party: int
    lines: list[str]
    xanchor: str = "left"  # "left": right of the marker; "right": left of it; "center": above or below
    xshift: float = 0.0
    yshift: float = 0.0
    bold: bool = False

    @property
    def text(self) -> str:
        """The lines as one string (``<br>`` between lines)."""
        return "<br>".join(self.lines)

    def size(self) -> tuple[float, float]:
        """Width and height of the label's box, pixels."""
        width = max(text_width(line, bold=self.bold) for line in self.lines) + 2 * PAD
        return width, box_height(len(self.lines))

    def box(self, px: float, py: float) -> tuple[float, float, float, float]:
        """The box (left, top, right, bottom) in pixels, for a marker at pixel ``(px, py)`` (y grows downwards)."""
        width, height = self.size()
        cx, cy = px + self.xshift, py - self.yshift
        left = {"left": cx, "right": cx - width, "center": cx - width / 2}[self.xanchor]
        return left, cy - height / 2, left + width, cy + height / 2


@dataclass
class Frame:
    """How data coordinates map to pixels: the axis ranges and the plot area's size."""

    x0: float
    x1: float
    y0: float
    y1: float
    width: float
    height: float

    def pixels(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixel positions (y downwards) of data points."""
        px = (np.asarray(x, dtype=float) - self.x0) / (self.x1 - self.x0) * self.width
        py = (self.y1 - np.asarray(y, dtype=float)) / (self.y1 - self.y0) * self.height
        return px, py


def row_height(lines: int) -> float:
    """Pixels between two rows of the figure when labels have up to ``lines`` lines."""
    return max(box_height(lines) + 2, MIN_ROW)


def label_room(
    x: np.ndarray, y: np.ndarray, radius: np.ndarray, column_px: float, row_px: float, height: float, right: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per party, where its label starts right of its marker centre and how wide it may be (pixels).

    A label starts past the widest marker of its column and runs right until
    the first column holding a party close enough above or below to meet it
    (that party's marker or label), stopping before that column's widest
    marker; with nothing in the way, it runs to ``right`` (the plot's right
    edge, in data units). ``height`` is the labels' height in pixels.

    Examples
    --------
    >>> start, width = label_room(np.array([-1.0, 0.0, 0.0]), np.array([0.0, 0.0, 5.0]), np.full(3, 5.0), 100, 20,
    ...                           16, 1.0)
    >>> start.tolist(), width.tolist()
    ([10.0, 10.0, 10.0], [80.0, 85.0, 85.0])
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    columns, column = np.unique(x, return_inverse=True)
    widest = np.zeros(len(columns))
    np.maximum.at(widest, column, radius)
    start = widest[column] + GAP_PX
    end = np.empty(len(x))
    reach = np.maximum(height, height / 2 + widest[column]) + 1  # per party: how close is in the way of a label
    for i in range(len(x)):
        near = (x > x[i]) & (np.abs(y - y[i]) * row_px < reach)
        if near.any():
            k = int(column[near][np.argmin(x[near])])
            end[i] = (columns[k] - x[i]) * column_px - widest[k] - GAP_PX
        else:
            end[i] = (right - x[i]) * column_px - GAP_PX
    return start, end - start


def every_label(
    names: list[str],
    x: np.ndarray,
    y: np.ndarray,
    radius: np.ndarray,
    column_px: float,
    right: float,
    bold: np.ndarray | None = None,
) -> tuple[list[Label], float]:
    """A label for every party, right of its marker, fitted to the room it has; and the rows' height in pixels.

    Uses the fewest lines (up to :data:`MOST_LINES`) with which no name has
    to be shortened, or the most lines when some must be; the rows are then
    as far apart as the tallest label needs.

    Examples
    --------
    >>> labels, row_px = every_label(["Kitchen", "Customer Service Operations"], np.array([-1.0, 0.0]),
    ...                              np.array([0.0, 0.0]), np.array([5.0, 5.0]), 100, 1.0)
    >>> [label.lines for label in labels], row_px
    ([['Kitchen'], ['Customer Service', 'Operations']], 30.0)
    """
    strong = np.zeros(len(names), dtype=bool) if bold is None else np.asarray(bold, dtype=bool)
    chosen: list[list[str]] = []
    start = np.zeros(len(names))
    for lines in range(1, MOST_LINES + 1):
        start, room = label_room(x, y, radius, column_px, row_height(lines), box_height(lines), right)
        chosen = [wrap(n, w, lines, bool(b)) for n, w, b in zip(names, room, strong)]
        if not any(wrapped[-1].endswith(ELLIPSIS) for wrapped in chosen if wrapped):
            break
    tallest = max((len(w) for w in chosen), default=1)
    labels = [Label(i, w, "left", float(s), bold=bool(b)) for i, (w, s, b) in enumerate(zip(chosen, start, strong))]
    return labels, row_height(tallest)


def priority_labels(
    order: np.ndarray,
    names: list[str],
    px: np.ndarray,
    py: np.ndarray,
    radius: np.ndarray,
    width: float,
    height: float,
    most: int = MOST_LABELS,
    bold: np.ndarray | None = None,
) -> list[Label]:
    """Up to ``most`` labels for the parties in ``order`` (best first), none overlapping another.

    Each party tries right of its marker, left of it, above and below, and
    takes the first place inside the plot area that overlaps no label
    already placed and no marker; failing that, the first that overlaps no
    label (it covers markers, on a white background); failing that, none.

    Parameters
    ----------
    order : numpy.ndarray
        Positions of the parties to label, by priority.
    names : list of str
        Every party's name (by position).
    px, py : numpy.ndarray
        Every party's marker centre in pixels (y downwards), and ``radius`` its marker's radius.
    width, height : float
        The plot area in pixels.
    bold : numpy.ndarray of bool, optional
        Per party, whether its label is bold (a focus).

    Examples
    --------
    >>> px, py = np.array([100.0, 100.0, 300.0]), np.array([50.0, 52.0, 50.0])
    >>> placed = priority_labels(np.array([0, 1, 2]), ["Alpha", "Beta", "Gamma"], px, py, np.full(3, 4.0), 400, 100)
    >>> [(label.party, label.xanchor) for label in placed]
    [(0, 'left'), (1, 'right'), (2, 'left')]
    """
    placed: list[Label] = []
    boxes = np.empty((0, 4))
    mark = np.c_[px - radius, py - radius, px + radius, py + radius]
    for p in np.asarray(order, dtype=np.int64):
        if len(placed) >= most:
            break
        strong = bool(bold[p]) if bold is not None else False
        lines = wrap(names[p], 150, 2, bold=strong)
        r = float(radius[p])
        _, tall = Label(p, lines, bold=strong).size()
        candidates = [
            Label(p, lines, "left", r + GAP_PX, 0.0, strong),
            Label(p, lines, "right", -(r + GAP_PX), 0.0, strong),
            Label(p, lines, "center", 0.0, r + GAP_PX + tall / 2, strong),
            Label(p, lines, "center", 0.0, -(r + GAP_PX + tall / 2), strong),
        ]
        fallback = None
        for label in candidates:
            box = np.array(label.box(float(px[p]), float(py[p])))
            if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
                continue
            if _overlaps(box, boxes).any():
                continue
            others = _overlaps(box, mark)
            others[p] = False
            if not others.any():
                fallback = label
                break
            fallback = fallback or label
        if fallback is not None:
            fallback.party = int(p)
            placed.append(fallback)
            boxes = np.vstack([boxes, fallback.box(float(px[p]), float(py[p]))])
    return placed


def _overlaps(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Which of ``boxes`` (rows left, top, right, bottom) overlap ``box``."""
    if len(boxes) == 0:
        return np.zeros(0, dtype=bool)
    return (boxes[:, 0] < box[2]) & (box[0] < boxes[:, 2]) & (boxes[:, 1] < box[3]) & (box[1] < boxes[:, 3])


def overlapping_pairs(boxes: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of boxes (rows left, top, right, bottom) that overlap: empty when the labels are readable.

    Examples
    --------
    >>> overlapping_pairs(np.array([[0, 0, 10, 10], [5, 5, 15, 15], [20, 0, 30, 10]]))
    [(0, 1)]
    """
    boxes = np.asarray(boxes, dtype=float)
    pairs = []
    for i in range(len(boxes)):
        hit = np.flatnonzero(_overlaps(boxes[i], boxes[i + 1 :])) + i + 1
        pairs += [(i, int(j)) for j in hit]
    return pairs
