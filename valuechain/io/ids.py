"""Fast lookups of string ids, on Arrow arrays (the storage of pandas' string columns).

At a million parties and three million hand-offs these lookups dominate the
load, so they run in Arrow's C++ kernels rather than on Python strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow(values: pd.Series | np.ndarray | list) -> pa.Array | pa.ChunkedArray:
    """The values as an Arrow string array (zero-copy for Arrow-backed pandas strings)."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    array = values.array if isinstance(values, pd.Series) else values
    if hasattr(array, "__arrow_array__"):
        out = array.__arrow_array__()
        return out if pa.types.is_string(out.type) or pa.types.is_large_string(out.type) else out.cast(pa.string())
    return pa.array(np.asarray(array, dtype=object), type=pa.string())


def index_of(values: pd.Series | np.ndarray | pa.Array, ids: pd.Series | np.ndarray) -> np.ndarray:
    """Position of each value in ``ids`` (the first, if repeated), -1 where absent.

    Examples
    --------
    >>> index_of(pd.Series(["b", "x", "a"]), pd.Series(["a", "b"])).tolist()
    [1, -1, 0]
    """
    found = pc.fill_null(pc.index_in(arrow(values), value_set=_flat(arrow(ids))), -1)
    return _flat(found).to_numpy(zero_copy_only=False).astype(np.int64)


def index_of_pair(source: pd.Series, target: pd.Series, ids: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`index_of` for two columns at once (one hash table of the ids).

    Examples
    --------
    >>> index_of_pair(pd.Series(["a"]), pd.Series(["z"]), pd.Series(["z", "a"]))
    (array([1]), array([0]))
    """
    from concurrent.futures import ThreadPoolExecutor

    if len(source) < 100_000:
        return index_of(source, ids), index_of(target, ids)
    # Arrow's kernels release the GIL: the two columns are looked up side by side.
    with ThreadPoolExecutor(2) as pool:
        found = list(pool.map(lambda column: index_of(column, ids), (source, target)))
    return found[0], found[1]


def _flat(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def sort_rank(ids: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ids' sorted (code point) order, and each id's rank in it: integer keys that sort like the strings.

    Examples
    --------
    >>> order, rank = sort_rank(np.array(["b", "a", "c"], dtype=object))
    >>> order.tolist(), rank.tolist()
    ([1, 0, 2], [1, 0, 2])
    """
    order = pc.sort_indices(arrow(ids)).to_numpy().astype(np.int64)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return order, rank


def text_from_codes(codes: np.ndarray, values: list[str], index: pd.Index | None = None) -> pd.Series:
    """A string column ``values[codes[i]]``, built by Arrow (no Python string per row).

    Examples
    --------
    >>> text_from_codes(np.array([1, 0, 1]), ["team", "supplier"]).tolist()
    ['supplier', 'team', 'supplier']
    """
    column = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int64()), pa.array(values, type=pa.large_string()))
    text = pd.Series([], dtype=str).dtype
    series = pa.chunked_array([column.cast(pa.large_string())]).to_pandas(types_mapper=lambda _: text)
    if index is not None:
        series.index = index
    return series


def first_mentions(source: pd.Series, target: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct ids of two columns in order of first mention, row by row; and each cell's position.

    Examples
    --------
    >>> ids, s, t = first_mentions(pd.Series(["b", "a"]), pd.Series(["c", "b"]))
    >>> ids.tolist(), s.tolist(), t.tolist()
    (['b', 'c', 'a'], [0, 2], [1, 0])
    """
    m = len(source)
    both = pa.concat_arrays([_flat(arrow(source)), _flat(arrow(target))])
    interleave = np.empty(2 * m, dtype=np.int64)
    interleave[0::2] = np.arange(m)
    interleave[1::2] = np.arange(m) + m
    encoded = pc.dictionary_encode(both.take(pa.array(interleave)))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    ids = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    return ids, codes[0::2], codes[1::2]
