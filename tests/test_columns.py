"""Issue 14, points 1, 8, 9 and 11: header matching, unmapped columns that mean something, the
missing-column hint, invisible and look-alike characters in ids, NFC, unusable numbers, and the speed of
typo suggestions and of wide tables."""

from __future__ import annotations

import difflib
import json
import random
import re
import string
import sys
import time
import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import valuechain as vc
from tests.data.bad.cases_columns import NEEDED_HANDOFFS, NEEDED_PARTIES
from tests.test_problems import PARTIES, problems_of
from valuechain.io.columns import (
    HANDOFF_FIELDS,
    PARTY_FIELDS,
    header_key,
    header_keys,
    match_columns,
    suggests_department,
)
from valuechain.io.read import read_table
from valuechain.io.validate import (
    DEFAULT_IGNORABLE,
    INVISIBLE,
    LOOK_ALIKE_SPACES,
    _add_extras,
    invisible_characters,
    parse_parties,
)
from valuechain.problems import EXACT_POOL, closest, closest_each


def mapping_of(headers: list[str], fields=HANDOFF_FIELDS) -> dict[str, str]:
    raw = read_table(pd.DataFrame({h: ["x"] for h in headers}), "handoffs")
    return match_columns(raw, fields, ())[0]


# --- point 1: header matching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["From Team", "To Team"], {"source": "From Team", "target": "To Team"}),
        (["from_party", "to_party"], {"source": "from_party", "target": "to_party"}),
        (["Team: From", "Party -> To?"], {"source": "Team: From", "target": "Party -> To?"}),
        (["SOURCE!", "(target)"], {"source": "SOURCE!", "target": "(target)"}),
        (["Source Team", "Target", "Work-Product"],
         {"source": "Source Team", "target": "Target", "deliverable": "Work-Product"}),
        (["Team", "to"], {"target": "to"}),  # 'team' alone stays unmapped
        (["Teamwork", "to"], {"target": "to"}),  # a word that only starts with 'team' is not the word
        (["Source", "From Team", "to"], {"source": "Source", "target": "to"}),  # canonical wins
        (["\x01", "?", "from", "to"], {"source": "from", "target": "to"}),  # headers with no letters match nothing
    ],
)  # fmt: skip
def test_handoff_headers_match_ignoring_case_punctuation_and_team_words(headers, expected):
    assert mapping_of(headers) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Team ID", "Party-Name", "Party Type"], {"id": "Team ID", "name": "Party-Name", "kind": "Party Type"}),
        (["party", "team"], {"id": "party"}),  # 'party' alone keeps its meaning: an id synonym
        (["ID", "Team ID"], {"id": "ID"}),  # canonical wins; 'Team ID' stays an attribute
        (["id", "Team Group", "Headcount (team)"],
         {"id": "id", "group": "Team Group", "headcount": "Headcount (team)"}),
    ],
)  # fmt: skip
def test_party_headers_match_ignoring_case_punctuation_and_team_words(headers, expected):
    assert mapping_of(headers, PARTY_FIELDS) == expected


def test_two_synonyms_for_one_field_is_an_error_naming_both(write):
    [p] = problems_of(write, "From,From Team,to\nkitchen,floor,diners\n", None)
    assert (p.row, p.column) == (1, "From Team")
    assert p.message == "columns 'From' and 'From Team' both look like the 'source' column"
    assert p.hint == (
        "say which holds it: --column source=HEADER on the command line, columns={'source': ...} in Python, "
        "or Columns in the dashboard's sidebar; or rename the one you mean 'source'"
    )
    chain = vc.load(write("h.csv", "From,From Team,to\nann,kitchen,diners\n"), columns={"source": "From Team"},
                    customers=["diners"])  # fmt: skip
    assert chain.handoffs[["source", "From"]].to_dict("list") == {"source": ["kitchen"], "From": ["ann"]}


def test_header_keys():
    assert header_key("  Team_ID  ") == "teamid"
    assert header_keys("Team ID") == ("teamid", "id")
    assert header_keys("Team Name Party") == ("teamnameparty", "nameparty", "teamname", "name")
    assert header_keys("team") == ("team",) and header_keys("party") == ("party",)
    assert header_keys("?!") == ()  # a header of punctuation only matches nothing


SEPARATORS = st.text(alphabet=" _-.:/?!()#*'\"", max_size=3)


@st.composite
def decorated_header(draw, fields=HANDOFF_FIELDS):
    """A field's accepted header in random case, with a 'team'/'party' word before or after (or neither) and
    punctuation around and between the words."""
    field = draw(st.sampled_from(sorted(fields)))
    words = draw(st.sampled_from(fields[field])).split(" ")
    word = draw(st.sampled_from(["team", "party", "Team", "PARTY"]))
    where = draw(st.sampled_from(["before", "after", "none"]))
    words = [word, *words] if where == "before" else [*words, word] if where == "after" else words
    cased = [w.upper() if draw(st.booleans()) else w.capitalize() if draw(st.booleans()) else w for w in words]
    header = draw(SEPARATORS) + "".join(w + draw(SEPARATORS) for w in cased)
    return field, header


@settings(max_examples=300, deadline=None)
@given(decorated_header(), decorated_header(PARTY_FIELDS))
def test_any_decorated_header_maps_to_its_field(handoff, party):
    field, header = handoff
    assert mapping_of([header]) == {field: header.strip()}
    field, header = party
    assert mapping_of([header], PARTY_FIELDS) == {field: header.strip()}


# --- point 1: unmapped columns that mean something ---------------------------------------------------


def test_the_issue_example_warns_about_needed_and_maps_to_three_orphans(write):
    handoffs, parties = write("handoffs.csv", NEEDED_HANDOFFS), write("parties.csv", NEEDED_PARTIES)
    chain = vc.load(handoffs, parties=parties)
    [w] = chain.warnings
    assert (w.severity, w.row, w.column) == ("warning", 1, "Needed?")
    assert w.message == (
        "the column 'Needed?' holds only yes/no values, but no column is read as 'essential': "
        "every hand-off counts as essential"
    )
    assert w.hint == (
        "to use it as 'essential', map it: --column essential='Needed?' on the command line, "
        "columns={'essential': 'Needed?'} in Python, or Columns in the dashboard's sidebar"
    )
    assert chain.analyze().summary["connected"] == 14
    mapped = vc.load(handoffs, parties=parties, columns={"essential": "Needed?"})
    assert mapped.warnings == []
    found = mapped.analyze()
    assert (found.summary["teams"], found.summary["orphans"]) == (14, 3)
    assert sorted(found.orphans["id"]) == ["Analytics", "Design", "Marketing"]


@pytest.mark.parametrize(
    ("cells", "warned"),
    [
        (["yes", "NO", ""], True),
        (["True", "false", "Y", "n", "1", "0"], True),
        ([" yes ", ""], True),
        (["", ""], False),  # all blank: nothing to go by
        (["yes", "maybe"], False),
        (["1", "2"], False),
    ],
)
def test_a_yes_no_handoffs_column_is_warned_about_only_when_all_cells_are_yes_no(cells, warned):
    n = len(cells)
    frame = pd.DataFrame({"from": ["a"] * n, "to": ["b"] * n, "Flag": cells})
    chain = vc.load(frame, customers=["b"])
    assert [w.column for w in chain.warnings if w.row == 1] == (["Flag"] if warned else [])


def test_no_yes_no_warning_once_essential_is_mapped():
    frame = pd.DataFrame({"from": ["a"], "to": ["b"], "critical": ["no"], "Other?": ["yes"]})
    assert vc.load(frame, customers=["b"]).warnings == []


def test_a_long_column_is_checked_whole():
    cells = ["yes"] * 500 + ["later something else"]
    frame = pd.DataFrame({"from": ["a"] * 501, "to": ["b"] * 501, "Flag": cells, "Ok": ["no"] * 501})
    warned = [w.column for w in vc.load(frame, customers=["b"]).warnings if w.row == 1]
    assert warned == ["Ok"]


def test_many_yes_no_columns_name_five_and_count_the_rest():
    frame = pd.DataFrame({"from": ["a"], "to": ["b"], **{f"flag{i}": ["y"] for i in range(8)}})
    warnings = vc.load(frame, customers=["b"]).warnings
    assert [w.column for w in warnings] == ["flag0", "flag1", "flag2", "flag3", "flag4", None]
    assert warnings[-1].message == "3 more columns could be mapped as the ones above: 'flag5', 'flag6', 'flag7'"


@pytest.mark.parametrize("header", ["Dept", "Department name", "Business unit", "Function", "Area", "SubDivision"])
def test_a_department_like_parties_column_is_warned_about_when_no_group_is_mapped(header):
    parties = pd.DataFrame({"id": ["a", "b"], "kind": ["team", "external_customer"], header: ["Ops", ""]})
    [w] = vc.load(pd.DataFrame({"from": ["a"], "to": ["b"]}), parties=parties).warnings
    assert (w.row, w.column) == (1, header)
    assert w.message == (
        f"the column '{header}' looks like a department, but no column is read as 'group': "
        "roll-ups by department have nothing to go by"
    )
    assert w.hint.startswith("to use it as 'group', map it: --column group=") and f"{{'group': '{header}'}}" in w.hint


def test_no_department_warning_when_a_group_is_mapped_or_the_column_is_blank():
    handoffs = pd.DataFrame({"from": ["a"], "to": ["b"]})
    parties = pd.DataFrame({"id": ["a", "b"], "kind": ["team", "external_customer"], "Division": ["x", ""]})
    assert vc.load(handoffs, parties=parties.assign(Dept=["Ops", ""])).warnings == []  # Division is the group
    assert vc.load(handoffs, parties=parties.drop(columns="Division").assign(Dept=["", ""])).warnings == []
    chain = vc.load(handoffs, parties=parties.drop(columns="Division").assign(Dept=["Ops", ""]),
                    columns={"group": "Dept"})  # fmt: skip
    assert chain.warnings == [] and chain.parties["group"].tolist() == ["Ops", None]


def test_a_yes_no_parties_column_is_warned_about_when_no_primary_is_mapped():
    parties = pd.DataFrame(
        {"id": ["a", "b", "c"], "kind": ["team", *["external_customer"] * 2], "Key?": ["", "Y", "n"]}
    )
    handoffs = pd.DataFrame({"from": ["a", "a"], "to": ["b", "c"]})
    [w] = vc.load(handoffs, parties=parties).warnings
    assert (w.column, w.message.split(": ")[1]) == ("Key?", "no customer is marked primary")
    assert "--column primary='Key?'" in w.hint
    chain = vc.load(handoffs, parties=parties, columns={"primary": "Key?"})
    assert chain.warnings == [] and chain.primary_customers == ["b"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Dept", True), ("DepartmentName", True), ("org_unit", True), ("Area code", True), ("Notes", False),
     ("Deputy", False), ("Functional owner", False)],
)  # fmt: skip
def test_department_words(header, expected):
    assert suggests_department(header) is expected


# --- the user's mapping (columns=, --column, the sidebar) ----------------------------------------------


def test_a_chosen_column_wins_and_messages_name_it_as_in_the_file():
    frame = pd.DataFrame({"Source": ["x", "a"], "From Team": ["a", "c"], "to": ["b", "a"], "Needed?": ["no", "maybe"]})
    with pytest.raises(vc.InputError) as err:
        vc.load(frame, customers=["b"], columns={"source": "from team", "essential": "NEEDED"})
    [p] = err.value.problems
    assert (p.row, p.column, p.message) == (3, "Needed?", "'maybe' is not a yes/no value")
    chain = vc.load(frame.assign(**{"Needed?": ["no", "yes"]}), customers=["b"], columns={"source": "From Team"})
    assert chain.handoffs["source"].tolist() == ["a", "c"]
    assert chain.handoffs["Source"].tolist() == ["x", "a"]  # the other 'source' column is an attribute


def test_a_column_named_as_a_field_but_not_chosen_is_kept_as_not_used():
    frame = pd.DataFrame({"source": ["x"], "A": ["a"], "to": ["b"]})
    chain = vc.load(frame, customers=["b"], columns={"source": "A"})
    got = chain.handoffs[["source", "source (not used)"]].to_dict("list")
    assert got == {"source": ["a"], "source (not used)": ["x"]}


def test_a_chosen_header_that_is_not_there_names_the_headers_and_the_closest():
    with pytest.raises(vc.InputError) as err:
        vc.load(pd.DataFrame({"From Team": ["a"], "to": ["b"]}), customers=["b"], columns={"source": "From Tema"})
    [p] = err.value.problems
    assert (p.row, p.column) == (1, None)
    assert p.message == "no column 'From Tema' to use as 'source' (the headers are 'From Team', 'to')"
    assert p.hint == "did you mean 'From Team'?"


def test_unknown_party_errors_name_the_chosen_column(write):
    [p] = problems_of(write, "A,B\nkitchen,flor\nfloor,diners\n", columns={"source": "A", "target": "B"})
    assert (p.row, p.column, p.hint) == (2, "B", "did you mean 'floor'?")


# --- points 2 and 17: the missing-column error points to the mapping --------------------------------


def test_a_missing_column_names_file_row_and_how_to_map_it(write):
    p, target = problems_of(write, "A,B\nkitchen,floor\n", None)
    assert target.message == "no 'target' column (the headers are 'A', 'B')" and "--column target=HEADER" in target.hint
    assert (p.severity, p.file.rsplit("/", 1)[-1], p.row, p.column) == ("error", "handoffs.csv", 1, None)
    assert p.message == "no 'source' column (the headers are 'A', 'B')"
    assert p.hint == (
        "say which column holds it: --column source=HEADER on the command line, columns={'source': ...} in Python, "
        "or Columns in the dashboard's sidebar; accepted headers: source, from, supplier, provider, sender, giver "
        "(a 'team' or 'party' word before or after is fine)"
    )
    assert "None" not in str(p)


def test_a_missing_column_among_many_headers_lists_a_few(write):
    header = ",".join(f"col{i}" for i in range(5000))
    problems = problems_of(write, header + "\n" + ",".join("x" * 5000) + "\n", None)
    assert problems[0].message == (
        "no 'source' column (the headers are 'col0', 'col1', 'col2', 'col3', 'col4', 'col5', 'col6', 'col7', "
        "'col8', 'col9', 'col10', 'col11' and 4,988 more)"
    )


# --- point 8: invisible and look-alike characters; NFC -----------------------------------------------


def in_set(ranges, code: int) -> bool:
    return any(a <= code <= b for a, b in ranges)


def test_every_format_control_and_separator_character_is_refused():
    """Every code point of the categories Cc, Cf, Zl, Zp and Zs (but the space) of Python's Unicode data, and
    every default-ignorable one, is matched by the check: in Python's re and in Arrow's (pandas' strings)."""
    wanted = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if (unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp", "Zs") and c != 0x20)
        or in_set(DEFAULT_IGNORABLE, c)
    ]
    wanted += ["\u2800", "\u3164", "\u115f", "\u1160", "\uffa0"]
    assert len(wanted) > 4000
    assert [c for c in wanted if not INVISIBLE.fullmatch(c)] == []
    ids = pd.Series([f"a{c}b" for c in wanted], dtype="str")
    assert ids.str.contains(INVISIBLE.pattern, regex=True).all()
    visible = pd.Series(["kitchen", "Caf\u00e9", "\u4e2d\u6587", "a b", "\U0001f600", "\u05e9\u05dc\u05d5\u05dd"])
    assert not visible.str.contains(INVISIBLE.pattern, regex=True).any()


@pytest.mark.parametrize(
    ("char", "said"),
    [
        ("\u2066", "an invisible character (U+2066 LEFT-TO-RIGHT ISOLATE)"),
        ("\u2069", "an invisible character (U+2069 POP DIRECTIONAL ISOLATE)"),
        ("\u061c", "an invisible character (U+061C ARABIC LETTER MARK)"),
        ("\u180e", "an invisible character (U+180E MONGOLIAN VOWEL SEPARATOR)"),
        ("\ufe0f", "an invisible character (U+FE0F VARIATION SELECTOR-16)"),
        ("\U000e0100", "an invisible character (U+E0100 VARIATION SELECTOR-17)"),
        ("\u034f", "an invisible character (U+034F COMBINING GRAPHEME JOINER)"),
        ("\u115f", "an invisible character (U+115F HANGUL CHOSEONG FILLER)"),
        ("\u1160", "an invisible character (U+1160 HANGUL JUNGSEONG FILLER)"),
        ("\u3164", "an invisible character (U+3164 HANGUL FILLER)"),
        ("\uffa0", "an invisible character (U+FFA0 HALFWIDTH HANGUL FILLER)"),
        ("\u2800", "an invisible character (U+2800 BRAILLE PATTERN BLANK)"),
        ("\U000e0041", "an invisible character (U+E0041 TAG LATIN CAPITAL LETTER A)"),
        ("\U000e0080", "an invisible character (U+E0080 UNASSIGNED CODE POINT)"),
        ("\u00a0", "a look-alike space (U+00A0 NO-BREAK SPACE)"),
        ("\u202f", "a look-alike space (U+202F NARROW NO-BREAK SPACE)"),
    ],
)
def test_each_invisible_character_is_an_error_naming_it_file_row_and_column(write, char, said):
    handoffs = f"source,To Team\nkitchen,floor\nfloor,din{char}ers\n"
    problems = problems_of(write, handoffs, PARTIES.replace("diners,Diners", f"din{char}ers,Diners"))
    shown = "din ers" if in_set(LOOK_ALIKE_SPACES, ord(char)) else "diners"
    fix = "type an ordinary space" if shown == "din ers" else "delete it"
    message, hint = f"the id '{shown}' holds {said}", f"{fix}: ids must match character for character"
    assert [(p.file.rsplit("/", 1)[-1], p.row, p.column, p.message, p.hint) for p in problems] == [
        ("handoffs.csv", 3, "To Team", message, hint),
        ("parties.csv", 4, "id", message, hint),
    ]


def test_a_bidi_isolate_pair_is_named_together():
    [p] = invisible_characters(pd.Series(["\u2066evil\u2069"], index=[7]), "h.csv", "source")
    assert p.message == (
        "the id 'evil' holds invisible characters (U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE)"
    )
    assert p.hint == "delete the invisible characters: ids must match character for character"


def test_spaces_around_an_id_are_trimmed_but_not_inside():
    chain = vc.load(pd.DataFrame({"from": ["kitchen\u00a0", "\u3000floor"], "to": ["floor", "diners"]}),
                    customers=["diners"])  # fmt: skip
    assert chain.parties["id"].tolist() == ["kitchen", "floor", "diners"]


def test_ids_equal_after_nfc_are_one_id_everywhere(write):
    decomposed, composed = "Cafe\u0301", "Caf\u00e9"
    handoffs = pd.DataFrame({"from": [decomposed, "kitchen"], "to": ["kitchen", f"din{composed}"]})
    chain = vc.load(handoffs, customers=["dinCafe\u0301"], primary=[" dinCafe\u0301 "])
    assert chain.parties["id"].tolist() == [composed, "kitchen", f"din{composed}"]
    assert chain.customers == [f"din{composed}"] and chain.primary_customers == [f"din{composed}"]
    parties = pd.DataFrame({"id": [composed, decomposed, "kitchen"], "kind": ["team", "team", "external_customer"]})
    with pytest.raises(vc.InputError) as err:
        vc.load(pd.DataFrame({"from": [composed], "to": ["kitchen"]}), parties=parties)
    [p] = err.value.problems
    assert (p.row, p.column, p.message) == (3, "id", f"the id '{composed}' is already used in row 2")


# --- point 9: numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("inf", "'inf' is not a usable headcount: it is infinite"),
        ("-Infinity", "'-Infinity' is not a usable headcount: it is infinite"),
        ("1e400", "'1e400' is not a usable headcount: it is too large to be held as a number"),
        ("-3", "'-3' is not a usable headcount: it is negative"),
        ("-1,200", "'-1,200' is not a usable headcount: it is negative"),
        ("nan", "'nan' is not a number"),
    ],
)
def test_unusable_headcounts_are_errors_naming_the_cell(write, cell, message):
    parties = f'id,kind,headcount\nkitchen,team,"{cell}"\nfloor,team,2\ndiners,external_customer,\n'
    [p] = problems_of(write, "source,target\nkitchen,floor\nfloor,diners\n", parties)
    assert (p.file.rsplit("/", 1)[-1], p.row, p.column, p.message) == ("parties.csv", 2, "headcount", message)


def test_costs_whose_total_overflows_are_an_error_at_the_row_where_it_does(write):
    parties = "id,kind,cost\nkitchen,team,1e308\nfloor,team,1.7e308\ndiners,external_customer,0\n"
    [p] = problems_of(write, "source,target\nkitchen,floor\nfloor,diners\n", parties)
    assert (p.row, p.column) == (3, "cost")
    assert p.message == "'1.7e308' is not a usable cost: with the rows above, the total is too large to count"


NUMBER_TEXT = st.one_of(
    st.sampled_from(["inf", "-inf", "nan", "NaN", "1e400", "-1e400", "1e308", "1.7976931348623157e308", "-0",
                     "0", "12", "1,200", "1 200", "", " ", "1e-400", "0x10", "1_000"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet="0123456789.,-+eE infa_", max_size=8),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NUMBER_TEXT, NUMBER_TEXT), min_size=2, max_size=4))
def test_findings_of_any_headcount_and_cost_are_valid_json(cells):
    n = len(cells)
    ids = [f"t{i}" for i in range(n)]
    parties = pd.DataFrame(
        {"id": [*ids, "c"], "kind": ["team"] * n + ["external_customer"], "headcount": [h for h, _ in cells] + [""],
         "cost": [c for _, c in cells] + [""]}
    )  # fmt: skip
    handoffs = pd.DataFrame({"from": ids, "to": [*ids[1:], "c"]})
    try:
        chain = vc.load(handoffs, parties=parties)
    except vc.InputError as err:
        assert all(p.column in ("headcount", "cost") and p.row for p in err.problems)
        return
    json.loads(json.dumps(chain.analyze().to_dict(), allow_nan=False))
    assert (chain.parties[["headcount", "cost"]].fillna(0) >= 0).all().all()


# --- point 11: speed -------------------------------------------------------------------------------


def test_suggestions_on_small_pools_are_difflibs():
    rng = random.Random(3)
    pool = ["".join(rng.choices("abcde", k=rng.randint(3, 8))) for _ in range(300)]
    for word in pool[:50]:
        typo = word[:-1] + "z"
        assert closest(typo, pool, limit=3) == difflib.get_close_matches(typo, pool, n=3, cutoff=0.6)
    assert closest("KITCHEN", ["kitchen", "floor"]) == ["kitchen"]


def test_typo_suggestions_among_20000_long_ids_take_seconds(write):
    rng = random.Random(14)
    ids = ["dept-" + "".join(rng.choices(string.ascii_lowercase, k=40)) + f"-{i:05d}" for i in range(20_000)]
    assert len(ids) > EXACT_POOL
    typos = []
    for k in range(50):
        chars = list(ids[k * 300])
        chars[rng.randint(0, 44)] = "Z"  # anywhere, the first letters too
        typos.append("".join(chars))
    lines = (
        [f"{ids[i]},{ids[i + 1]}" for i in range(19_999)] + [f"{ids[-1]},customer"] + [f"{t},customer" for t in typos]
    )
    parties = "id,kind\n" + "".join(f"{i},team\n" for i in ids) + "customer,external_customer\n"
    started = time.perf_counter()
    problems = problems_of(write, "source,target\n" + "\n".join(lines) + "\n", parties)
    took = time.perf_counter() - started
    assert [p.hint for p in problems] == [f"did you mean '{ids[k * 300]}'?" for k in range(50)]
    assert took < 20, took  # 28 s to minutes before (difflib against every id); about 1.5 s here


def test_suggestions_in_a_large_pool_are_difflibs_too():
    """Above EXACT_POOL, rapidfuzz shortlists and difflib ranks: the same answers as difflib over the whole pool."""
    rng = random.Random(5)
    pool = ["".join(rng.choices("abcdefgh-_ ", k=rng.randint(4, 20))) for _ in range(EXACT_POOL + 500)]
    words = []
    for _ in range(60):
        chars = list(rng.choice(pool))
        for _ in range(rng.randint(1, 3)):
            chars[rng.randrange(len(chars))] = rng.choice("abcdefghxyz")
        words.append("".join(chars))
    got = closest_each(words, pool, limit=2)
    assert got == {w: difflib.get_close_matches(w, pool, n=2, cutoff=0.6) for w in words}
    assert sum(bool(v) for v in got.values()) > 40


def test_casefold_suggestion_in_a_large_pool():
    pool = [f"team-{i:05d}" for i in range(EXACT_POOL + 10)] + ["Kitchen"]
    assert closest("KITCHEN", pool) == ["Kitchen"]
    assert closest("zzzzzzzzzzzzzzzzz", pool) == []


def test_a_table_of_50000_columns_loads_in_seconds(write):
    width = 50_000
    header = ["source", "target"] + [f"c{i}" for i in range(width - 2)]
    rows = [header, ["kitchen", "floor"] + ["x"] * (width - 2), ["floor", "diners"] + ["1"] * (width - 2)]
    path = write("wide.csv", "\n".join(",".join(r) for r in rows) + "\n")
    started = time.perf_counter()
    chain = vc.load(path, customers=["diners"])
    took = time.perf_counter() - started
    assert chain.handoffs.shape == (2, 4 + width - 2) and chain.handoffs["c49997"].tolist() == ["x", "1"]
    assert took < 30, took  # more than 15 minutes before (columns added one at a time)


def test_extras_keep_their_order_and_rename_clashes():
    out = pd.DataFrame({"source": ["a"], "target": ["b"]}, index=[2])
    frame = pd.DataFrame({"From": ["a"], "target": ["t"], "x": ["1"], "To": ["b"]}, index=[2])
    got = _add_extras(out, frame, {"source": "From", "target": "To"})
    assert got.to_dict("list") == {"source": ["a"], "target": ["b"], "target (not used)": ["t"], "x": ["1"]}
    assert got.index.tolist() == [2]


def test_parse_parties_keeps_every_other_column():
    raw = read_table(pd.DataFrame({"Team ID": ["a"], "Dept": ["Ops"], "note": ["hello"]}), "parties")
    table, problems = parse_parties(raw)
    assert list(table.columns) == ["id", "name", "kind", "group", "primary", "Dept", "note"]
    assert [p.column for p in problems] == ["Dept"]
    assert re.search(r"--column group=Dept on the command line", problems[0].hint)


def test_mapping_a_parties_field_without_a_parties_table_is_warned_about():
    import valuechain as vc

    handoffs = pd.DataFrame({"source": ["a"], "target": ["b"]})
    chain = vc.load(handoffs, customers=["b"], columns={"group": "Dept"})
    assert [(w.file, w.message) for w in chain.warnings] == [
        ("columns", "'group' is mapped to the column 'Dept', but there is no parties table to read")
    ]


def test_an_unknown_field_in_the_mapping_is_an_input_error_listing_the_fields():
    import valuechain as vc

    with pytest.raises(vc.InputError) as err:
        vc.load(pd.DataFrame({"source": ["a"], "target": ["b"]}), customers=["b"], columns={"sauce": "x"})
    (problem,) = err.value.problems
    assert problem.message == "unknown field 'sauce'" and "source, target, deliverable" in problem.hint


@pytest.mark.parametrize("char", ["\x1c", "\x1d", "\x1e", "\x1f", "\x85"])
def test_control_characters_at_the_ends_of_an_id_are_refused_not_trimmed(char):
    import valuechain as vc

    handoffs = pd.DataFrame({"source": [f"a{char}", "b", "a"], "target": ["b", "cust", "cust"]})
    with pytest.raises(vc.InputError) as err:
        vc.load(handoffs, customers=["cust"])
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "source")]
    assert "invisible character" in err.value.problems[0].message


@pytest.mark.parametrize("cell", ["1,5", "1,2,3", ",5", "5,", "1.234,5", "12,00"])
def test_numbers_with_separators_out_of_groups_of_three_are_not_numbers(cell):
    import valuechain as vc

    parties = pd.DataFrame({"id": ["a", "cust"], "kind": ["team", "external_customer"], "headcount": [cell, ""]})
    with pytest.raises(vc.InputError) as err:
        vc.load(pd.DataFrame({"source": ["a"], "target": ["cust"]}), parties=parties)
    assert [p.message for p in err.value.problems] == [f"'{cell}' is not a number"]


def test_thousands_separators_in_groups_of_three_are_read():
    import valuechain as vc

    cells = ["1,200", "1 200", "1_250_000.50"]
    parties = pd.DataFrame({"id": ["a", "b", "c", "cust"], "kind": ["team"] * 3 + ["external_customer"],
                            "cost": [*cells, ""]})  # fmt: skip
    handoffs = pd.DataFrame({"source": ["a", "b", "c"], "target": ["cust"] * 3})
    chain = vc.load(handoffs, parties=parties)
    assert chain.parties["cost"].tolist()[:3] == [1200.0, 1200.0, 1250000.5]


def test_a_column_of_ones_alone_is_not_taken_for_yes_no():
    import valuechain as vc

    handoffs = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "batches": ["1", "1"], "flag": ["1", "0"]})
    warned = [w.column for w in vc.load(handoffs, customers=["c"]).warnings]
    assert warned == ["flag"]


def test_a_mapping_that_takes_another_fields_column_says_so():
    import valuechain as vc

    with pytest.raises(vc.InputError) as err:
        vc.load(pd.DataFrame({"source": ["a"], "target": ["b"]}), customers=["b"], columns={"source": "target"})
    (problem,) = err.value.problems
    assert problem.message == "no 'target' column: the column 'target' is mapped to 'source'"
    assert problem.hint.startswith("map another column as 'target': --column target=HEADER")
