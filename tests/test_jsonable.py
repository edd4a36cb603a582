"""The JSON encoder's fast path for the findings' large maps (PartyMap) gives the text json.dumps gives."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import valuechain as vc
from valuechain.jsonable import PartyMap, _map_json, to_json

KEYS = st.lists(st.text(min_size=1, max_size=8), min_size=0, max_size=40, unique=True)


def compact(mapping: dict) -> str:
    return json.dumps(mapping, ensure_ascii=False, separators=(",", ":"))


@given(KEYS, st.data())
def test_a_map_of_numbers_is_written_as_json_dumps_writes_it(keys, data):
    ids = np.array(["spare", *keys], dtype=object)  # a party that is not a key
    at = np.array(data.draw(st.permutations(range(1, len(ids)))), dtype=np.int64)
    values = np.array(data.draw(st.lists(st.integers(0, 10**6), min_size=len(at), max_size=len(at))), dtype=np.int64)
    mapping = PartyMap(ids, at, values)
    expected = dict(zip(ids[at].tolist(), values.tolist()))
    assert mapping == expected and dict(mapping) == expected and len(mapping) == len(expected)
    assert mapping.json() == compact(expected)


@given(KEYS, st.data())
def test_a_map_of_shared_lists_is_written_as_before(keys, data):
    ids = np.array(keys, dtype=object)
    shared = [["c\u00e9", 'say "hi"'], ["d"], []]
    codes = np.array(data.draw(st.lists(st.integers(0, 2), min_size=len(ids), max_size=len(ids))), dtype=np.int64)
    mapping = PartyMap(ids, np.arange(len(ids)), codes, shared=shared)
    expected = {key: shared[c] for key, c in zip(keys, codes.tolist())}
    assert mapping == expected
    assert mapping.json() == _map_json(expected)


def test_keys_that_json_escapes_or_arrow_cannot_hold_take_pythons_encoder():
    for key in ['a"b', "back\\slash", "tab\there", "nul\x00", "lone \ud800 surrogate", "\u2028 line separator"]:
        ids = np.array([key, "z"], dtype=object)
        mapping = PartyMap(ids, np.array([0, 1]), np.array([3, 4]))
        assert mapping.json() == compact({key: 3, "z": 4}), key


def test_the_findings_json_is_the_same_with_the_maps_kept_as_arrays():
    ids = [f"t{i}" for i in range(10_050)]
    handoffs = pd.DataFrame({"source": ids, "target": ['c\u00e9"x'] * 5_000 + ["d"] * 5_050})
    found = vc.load(handoffs, customers=['c\u00e9"x', "d"]).analyze()
    kept = found.to_dict(plain_maps=False)
    assert isinstance(kept["distance"], PartyMap) and isinstance(kept["reaches"], PartyMap)
    assert to_json(kept) == to_json(found.to_dict())
    assert json.loads(to_json(kept)) == json.loads(json.dumps(found.to_dict()))
    small = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv").analyze()
    assert to_json(small.to_dict(plain_maps=False)) == to_json(small.to_dict())  # indented: the maps made plain
    assert isinstance(small.to_dict()["distance"], dict)
