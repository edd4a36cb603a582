"""Plain Python values from pandas and NumPy ones, for JSON and for NetworkX attributes; the JSON encoder.

:func:`to_json` is the one encoder of valuechain's JSON: the command line's
``--format json`` and the dashboard's downloads write their results with it,
so the same result is the same bytes wherever it is written.

:class:`PartyMap` holds a value per party as arrays (the findings' ``distance``
and ``reaches``, a million entries in a large org): a read-only mapping whose
dict is built only when it is read, and whose JSON is written by Arrow's
string kernels without a Python object per entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cached_property
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


class PartyMap(Mapping[str, Any]):
    """A value per party, held as arrays: ``ids[at[i]] -> values[i]``, or ``-> shared[values[i]]``.

    Reads like a dict (``[]``, ``get``, ``in``, ``items``, ``==`` with a dict);
    the dict itself is built on the first read. :func:`to_json` writes it
    without building it.

    Parameters
    ----------
    ids : numpy.ndarray
        Every party's id (object array of str).
    at : numpy.ndarray
        The positions in ``ids`` of the keys, in their order.
    values : numpy.ndarray
        One integer per key: the value, or with ``shared`` its position there.
    shared : list, optional
        The distinct values that many keys share (lists of customers).
    arrow_ids : pyarrow.Array, optional
        ``ids`` as an Arrow string array, when the caller has it (no copy then).

    Examples
    --------
    >>> ids = np.array(["kitchen", "floor", "diners"], dtype=object)
    >>> distance = PartyMap(ids, np.array([2, 1, 0]), np.array([0, 1, 2]))
    >>> distance
    {'diners': 0, 'floor': 1, 'kitchen': 2}
    >>> distance["kitchen"], "bar" in distance, distance == {"diners": 0, "floor": 1, "kitchen": 2}
    (2, False, True)
    >>> reaches = PartyMap(ids, np.array([1, 0]), np.array([0, 0]), shared=[["diners"]])
    >>> to_json({"summary": {"parties": 20_000}, "reaches": reaches})
    '{"summary":{"parties": 20000},"reaches":{"floor":["diners"],"kitchen":["diners"]}}'
    """

    def __init__(
        self,
        ids: np.ndarray,
        at: np.ndarray,
        values: np.ndarray,
        *,
        shared: list[Any] | None = None,
        arrow_ids: Any = None,
    ) -> None:
        self._ids, self._at, self._values, self._shared, self._arrow_ids = ids, at, values, shared, arrow_ids

    @cached_property
    def _dict(self) -> dict[str, Any]:
        keys = self._ids[self._at].tolist()
        if self._shared is None:
            return dict(zip(keys, self._values.tolist()))
        return dict(zip(keys, map(self._shared.__getitem__, self._values.tolist())))

    def __getitem__(self, key: str) -> Any:
        return self._dict[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._at)

    def __repr__(self) -> str:
        return repr(self._dict)

    def json(self) -> str:
        """The map as compact JSON: the text :func:`_map_json` gives its dict.

        Numbers are written as :func:`json.dumps` writes the dict with ``separators=(",", ":")``;
        shared lists as :func:`json.dumps` writes each list (``["c1", "c2"]``, with its spaces).
        """
        if len(self._at) == 0:
            return "{}"
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            every = self._arrow_ids if self._arrow_ids is not None else pa.array(self._ids, type=pa.large_string())
            keys = every.take(pa.array(self._at))
            keys = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
            keys = keys.cast(pa.large_string())
        except (pa.ArrowException, TypeError, ValueError):  # a key Arrow cannot hold (a lone surrogate)
            return _map_json(self._dict)
        if pc.any(pc.match_substring_regex(keys, r'["\\\x00-\x1f]')).as_py():
            return _map_json(self._dict)  # a key JSON escapes: Python's encoder does it
        if self._shared is None:
            texts = pc.cast(pa.array(self._values), pa.large_string())
        else:
            distinct = pa.array([json.dumps(v, ensure_ascii=False) for v in self._shared], type=pa.large_string())
            texts = distinct.take(pa.array(self._values))
        items = pc.binary_join_element_wise(keys, texts, pa.scalar('":', pa.large_string()))
        whole = pa.LargeListArray.from_arrays(pa.array([0, len(items)], type=pa.int64()), items)
        return '{"' + pc.binary_join(whole, pa.scalar(',"', pa.large_string()))[0].as_py() + "}"


def to_json(result: Any) -> str:
    """JSON text of a result (``Findings.to_dict()``, a what-if's, a diff's, a list of problems...).

    Indented by one space, characters as they are (``ensure_ascii=False``);
    an analysis of more than :data:`COMPACT_ABOVE` parties (a mapping whose
    ``summary`` counts them) is written compact, on one line: its keys joined
    without spaces, each value as :func:`json.dumps` writes it (spaces kept
    inside), and the two maps that grow with the org (``distance``, ``reaches``)
    by :func:`_map_json` or :meth:`PartyMap.json`, which give the same text.

    Parameters
    ----------
    result : dict or list
        Plain values only (what the ``to_dict`` methods return), and
        :class:`PartyMap` anywhere (the ``distance`` and ``reaches`` of an analysis).

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
        return json.dumps(result, ensure_ascii=False, indent=1, default=_party_map_as_dict)
    parts = []
    for key, value in result.items():
        if isinstance(value, PartyMap):
            text = value.json()
        elif key in ("distance", "reaches"):
            text = _map_json(value)
        else:
            text = json.dumps(value, ensure_ascii=False, default=_party_map_as_dict)
        parts.append(f"{json.dumps(key)}:{text}")
    return "{" + ",".join(parts) + "}"


def _party_map_as_dict(value: Any) -> dict[str, Any]:
    """:func:`json.dumps`' ``default``: a :class:`PartyMap` anywhere in a result as its dict; anything else is
    refused as :func:`json.dumps` refuses it (``TypeError``)."""
    if isinstance(value, PartyMap):
        return dict(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


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
