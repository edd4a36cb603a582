"""Issue 19's fast paths against the plain code they replaced: same results, same bytes, same behaviour."""

from __future__ import annotations

import copy
import json
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import valuechain as vc
import valuechain.jsonable as jsonable
from valuechain.io.read import _arrow_csv
from valuechain.io.validate import INVISIBLE, _printable_ascii, normalise_kind, parse_bool
from valuechain.jsonable import PartyMap, to_json

KEYS = st.lists(st.text(max_size=6), max_size=30, unique=True)


@st.composite
def party_maps(draw):
    """A PartyMap (numbers, or lists shared between keys) and the dict it stands for."""
    keys = draw(KEYS)
    ids = np.array(["not a key", *keys], dtype=object)
    at = np.array(draw(st.permutations(range(1, len(ids)))), dtype=np.int64)
    if draw(st.booleans()):
        values = np.array(draw(st.lists(st.integers(0, 99), min_size=len(at), max_size=len(at))), dtype=np.int64)
        return PartyMap(ids, at, values), dict(zip(ids[at].tolist(), values.tolist()))
    shared = [["c1"], ["c1", 'c"2'], []]
    codes = np.array(draw(st.lists(st.integers(0, 2), min_size=len(at), max_size=len(at))), dtype=np.int64)
    return PartyMap(ids, at, codes, shared=shared), {k: shared[c] for k, c in zip(ids[at].tolist(), codes.tolist())}


@given(party_maps(), st.text(max_size=6))
def test_a_party_map_reads_as_its_dict(pair, other):
    mapping, plain = pair
    assert mapping == plain and plain == mapping
    assert len(mapping) == len(plain) and bool(mapping) == bool(plain)
    assert list(mapping) == list(plain) and list(mapping.items()) == list(plain.items())
    assert list(mapping.values()) == list(plain.values())
    assert repr(mapping) == repr(plain)
    assert (other in mapping) == (other in plain) and mapping.get(other, "none") == plain.get(other, "none")
    assert 1 not in mapping and None not in mapping  # keys that are no text are simply absent, as in a dict
    if other not in plain:
        with pytest.raises(KeyError):
            mapping[other]
    assert pickle.loads(pickle.dumps(mapping)) == plain and copy.deepcopy(mapping) == plain
    assert json.loads(to_json({"summary": {"parties": 10**6}, "distance": mapping}))["distance"] == plain


def analysed(customers: int = 2):
    ids = [f"t{i}" for i in range(40)]
    handoffs = pd.DataFrame({"source": ids, "target": [f"c{i % customers}" for i in range(40)]})
    return vc.load(handoffs, customers=[f"c{i}" for i in range(customers)]).analyze()


@pytest.mark.parametrize("parties", [3, 10**6])
def test_findings_kept_as_arrays_inside_another_result_are_written_as_plain_ones(parties):
    found = analysed()
    kept, plain = found.to_dict(plain_maps=False), found.to_dict()
    for wrap in (lambda d: {"summary": {"parties": parties}, "before": d}, lambda d: [d]):
        assert to_json(wrap(kept)) == to_json(wrap(plain))


# The reading rules as they were before issue 19 (d78e2fb), the reference for the faster ones.
def parse_bool_before(values: pd.Series, blank: bool) -> tuple[pd.Series, pd.Series]:
    text = values.astype(str).str.strip().str.lower()
    flags = pd.Series(blank, index=values.index, dtype=bool)
    flags[text.isin({"yes", "true", "y", "1"})] = True
    flags[text.isin({"no", "false", "n", "0"})] = False
    unreadable = ~(text.isin({"yes", "true", "y", "1"}) | text.isin({"no", "false", "n", "0"}) | (text == ""))
    return flags, unreadable


CELLS = st.one_of(
    st.sampled_from(["yes", " Yes ", "NO", "n", "true", "0", "1", "x", "", " ", "maybe", "\u00a0no", "Y\u0130"]),
    st.text(max_size=4),
    st.none(),
)


@given(st.lists(CELLS, max_size=20), st.booleans(), st.booleans())
def test_yes_no_cells_read_as_before(cells, blank, as_text):
    values = pd.Series(cells, dtype=str if as_text else object, index=np.arange(len(cells)) * 3 + 5)
    flags, unreadable = parse_bool(values, blank)
    want_flags, want_unreadable = parse_bool_before(values, blank)
    pd.testing.assert_series_equal(flags, want_flags)
    pd.testing.assert_series_equal(unreadable, want_unreadable.astype(bool))


@given(st.lists(CELLS, max_size=20))
def test_kinds_normalise_as_before(cells):
    import re

    values = pd.Series(cells, dtype=str, index=np.arange(len(cells)) + 2)
    codes, distinct = pd.factorize(values.astype(str))
    clean = [re.sub(r"[\s\-_]+", "_", str(k).strip().lower()) for k in distinct]
    want = pd.Series(np.asarray([*clean, ""], dtype=object)[codes], index=values.index, dtype=str)
    pd.testing.assert_series_equal(normalise_kind(values), want)


@given(st.lists(st.text(max_size=5), max_size=20), st.integers(0, 5))
def test_the_ascii_shortcut_never_hides_an_invisible_character(cells, start):
    values = pd.Series(cells, dtype=str).iloc[start:]  # a slice: an Arrow chunk with an offset
    if _printable_ascii(values):
        assert not any(INVISIBLE.search(c) for c in values)
    if all(" " <= c <= "~" for c in "".join(values)):
        assert _printable_ascii(values)


def pairs_before(src: np.ndarray, dst: np.ndarray, n: int, essential: np.ndarray):
    pairs, inverse = np.unique(src * n + dst, return_inverse=True)
    any_essential = np.zeros(len(pairs), dtype=bool)
    any_essential[inverse[essential]] = True
    return pairs // n, pairs % n, any_essential


@given(st.integers(1, 6), st.data())
def test_distinct_pairs_and_their_essential_flag_as_before(n, data):
    ids = [f"p{i}" for i in range(n)]
    rows = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.booleans()), max_size=30))
    handoffs = pd.DataFrame(rows, columns=["source", "target", "essential"]).astype({"essential": str})
    parties = pd.DataFrame({"id": ids, "kind": ["external_customer"] + ["team"] * (n - 1)})
    arrays = vc.load(handoffs.replace({"True": "yes", "False": "no"}), parties=parties).arrays
    src = np.array([ids.index(s) for s, _, _ in rows], dtype=np.int64)
    dst = np.array([ids.index(t) for _, t, _ in rows], dtype=np.int64)
    source, target, essential = pairs_before(src, dst, n, np.array([e for *_, e in rows], dtype=bool))
    assert arrays.edge_source.tolist() == source.tolist() and arrays.edge_target.tolist() == target.tolist()
    assert arrays.edge_essential.tolist() == essential.tolist()


UNQUOTED_CELL = st.text(st.characters(exclude_characters='",\r\n"', exclude_categories=("Cs",)), max_size=5)


@given(st.lists(st.tuples(UNQUOTED_CELL, UNQUOTED_CELL), min_size=1, max_size=20), st.sampled_from(["\n", "\r\n"]))
def test_csv_without_quotes_reads_as_with_them(rows, end):
    data = (end.join(f"{a},{b}" for a, b in rows) + end).encode("utf-8")
    fast, careful = _arrow_csv(data, ",", 2, has_quotes=False), _arrow_csv(data, ",", 2, has_quotes=True)
    assert (fast is None) == (careful is None)
    if fast is not None:
        pd.testing.assert_frame_equal(fast, careful)


def test_csv_without_quotes_reads_line_ends_at_arrows_block_boundaries():
    block = 1 << 22  # _arrow_csv's block size
    for end in (b"\n", b"\r\n", b"\r"):
        for shift in (-1, 0, 1):
            row = b"abc,def" + end
            count = (block + shift) // len(row) + 2
            data = b"x" * ((block + shift) % len(row)) + b",y" + end + row * count
            fast = _arrow_csv(data, ",", 2, has_quotes=False)
            assert fast is not None and len(fast) == count + 1, (end, shift)
            pd.testing.assert_frame_equal(fast, _arrow_csv(data, ",", 2, has_quotes=True))


#: Ids JSON escapes, ids that look like numbers, equal after NFC, outside the BMP.
ID_TEXT = st.lists(st.sampled_from(["a", "Z", "1", ".", '"', "\\", "'", ",", "é", "e\u0301", "\U0001f600", "-"]),
                   min_size=1, max_size=4).map("".join)  # fmt: skip


@given(st.lists(ID_TEXT, min_size=2, max_size=12, unique=True), st.data())
def test_the_compact_json_of_an_analysis_is_the_same_from_arrays(ids, data):
    kinds = ["external_customer", "external_customer"] + ["team"] * (len(ids) - 2)
    pair = st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(["yes", "no"]))
    rows = data.draw(st.lists(pair, max_size=3 * len(ids)))
    handoffs = pd.DataFrame(rows, columns=["source", "target", "essential"], dtype=str)
    try:
        chain = vc.load(handoffs, parties=pd.DataFrame({"id": ids, "kind": kinds}))
    except vc.InputError:
        return  # ids the reader refuses (equal after NFC)
    found = chain.analyze()
    assert to_json(found.to_dict(plain_maps=False)) == to_json(found.to_dict())  # indented
    before = jsonable.COMPACT_ABOVE
    try:
        jsonable.COMPACT_ABOVE = -1  # compact, as above ten thousand parties
        assert to_json(found.to_dict(plain_maps=False)) == to_json(found.to_dict())
    finally:
        jsonable.COMPACT_ABOVE = before


def test_the_findings_maps_make_a_table_as_their_dicts_do():
    found = analysed()
    table = pd.DataFrame({"distance": found.distance, "reaches": found.reaches})
    as_dicts = pd.DataFrame({"distance": dict(found.distance), "reaches": dict(found.reaches)})
    pd.testing.assert_frame_equal(table, as_dicts)


def test_the_findings_maps_are_dicts_once_read_and_their_json_from_arrays_until_then():
    found = analysed()
    assert isinstance(found.to_dict(plain_maps=False)["distance"], PartyMap)  # not read yet: the arrays
    assert json.dumps(found.distance) == json.dumps(dict(found.distance))
    assert type(found.distance) is dict and type(found.reaches) is dict and found.distance is found.distance
    assert found.to_dict(plain_maps=False)["distance"] is found.distance  # read: the dict, written as before
    assert pickle.loads(pickle.dumps(found)).distance == found.distance


@pytest.mark.parametrize("levels", [1, 2, 511, 512, 513])
def test_breadth_first_depths_give_up_only_past_their_most_levels(levels):
    from valuechain.algorithms import breadth_first_depths

    order = np.arange(levels)  # a chain: one node a level
    parent = np.arange(-1, levels - 1)
    depths = breadth_first_depths(order, parent, most_levels=512)
    assert (depths is None) == (levels > 512)
    if depths is not None:
        assert depths.tolist() == list(range(levels))


@given(st.integers(1, 60), st.integers(1, 8), st.data())
def test_breadth_first_depths_are_the_tree_depths(n, most_levels, data):
    from scipy.sparse.csgraph import breadth_first_order

    from valuechain.algorithms import adjacency, breadth_first_depths, tree_depths

    edges = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    source = np.array([s for s, _ in edges], dtype=np.int64)
    target = np.array([t for _, t in edges], dtype=np.int64)
    order, parent = breadth_first_order(adjacency(n, source, target), 0, return_predecessors=True)
    order, parent = order.astype(np.int64), parent.astype(np.int64)
    want = tree_depths(np.where(parent < 0, 0, parent), 0, order[1:])[order]
    depths = breadth_first_depths(order, parent, most_levels)
    assert (depths is None) == (int(want.max()) + 1 > most_levels)
    if depths is not None:
        assert depths.tolist() == want.tolist()
