"""Plain Python values from pandas and NumPy ones, for JSON and for NetworkX attributes; the JSON encoder.

:func:`to_json` is the one encoder of valuechain's JSON: the command line's
``--format json`` and the dashboard's downloads write their results with it,
so the same result is the same bytes wherever it is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import pandas as pd

#: Above this many parties an analysis is written compact (one line), its large maps by a faster path.
COMPACT_ABOVE = 10_000


def is_missing(value: object) -> bool:
    """None, NaN or pandas' NA.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(pd.NA), is_missing(""), is_missing(0)
    (True, True, False, False)
    """
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def or_none(value: Any) -> Any:
    """The value as a plain Python value, ``None`` where it is missing."""
    if is_missing(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def number(value: float) -> int | float:
    """A whole number as ``int``, anything else as ``float``.

    Examples
    --------
    >>> number(4.0), number(2.5)
    (4, 2.5)
    """
    return int(value) if float(value).is_integer() else float(value)


def records(table: pd.DataFrame) -> list[dict[Any, Any]]:
    """The rows as dicts of plain values (missing values as ``None``).

    Examples
    --------
    >>> records(pd.DataFrame({"id": ["a"], "group": [float("nan")], "dependents": [np.int64(2)]}))
    [{'id': 'a', 'group': None, 'dependents': 2}]
    """
    return [{k: or_none(v) for k, v in row.items()} for row in table.to_dict("records")]


def to_json(result: Any) -> str:
    """JSON text of a result (``Findings.to_dict()``, a what-if's, a diff's, a list of problems...).

    Indented by one space, characters as they are (``ensure_ascii=False``);
    an analysis of more than :data:`COMPACT_ABOVE` parties (a mapping whose
    ``summary`` counts them) is written compact, on one line, with the two maps
    that grow with the org (``distance``, ``reaches``) written by a faster path
    that gives the same text as :func:`json.dumps` would.

    Parameters
    ----------
    result : dict or list
        Plain values only (what the ``to_dict`` methods return).

    Returns
    -------
    str
        The JSON text, without a final line feed.

    Examples
    --------
    >>> print(to_json({"summary": {"parties": 2}, "distance": {"café": 0, "b": 1}}))
    {
     "summary": {
      "parties": 2
     },
     "distance": {
      "café": 0,
      "b": 1
     }
    }
    >>> to_json({"summary": {"parties": 10_001}, "distance": {"café": 0, "b": 1}})
    '{"summary":{"parties": 10001},"distance":{"café":0,"b":1}}'
    """
    if not _is_large(result):
        return json.dumps(result, ensure_ascii=False, indent=1)
    parts = []
    for key, value in result.items():
        text = _map_json(value) if key in ("distance", "reaches") else json.dumps(value, ensure_ascii=False)
        parts.append(f"{json.dumps(key)}:{text}")
    return "{" + ",".join(parts) + "}"


def _is_large(result: Any) -> bool:
    """Whether ``result`` is an analysis of more than :data:`COMPACT_ABOVE` parties."""
    if not isinstance(result, Mapping):
        return False
    summary = result.get("summary")
    return isinstance(summary, Mapping) and summary.get("parties", 0) > COMPACT_ABOVE


def _map_json(mapping: Mapping[str, Any]) -> str:
    """A map of string keys to ints, or to lists that many keys share (each encoded once), as compact JSON.

    Examples
    --------
    >>> shared = ["c1", "c2"]
    >>> _map_json({"a": shared, "b": shared, "é": ["c1"]})
    '{"a":["c1", "c2"],"b":["c1", "c2"],"é":["c1"]}'
    """
    values = list(mapping.values())
    if values and isinstance(values[0], int):
        texts = map(str, values)
    else:
        distinct = {id(v): v for v in values}
        done = {key: json.dumps(v, ensure_ascii=False) for key, v in distinct.items()}
        texts = map(done.__getitem__, map(id, values))
    return "{" + ",".join(map(":".join, zip(map(encode_basestring, mapping), texts))) + "}"
