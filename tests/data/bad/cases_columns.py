"""Corpus cases of issue 14, points 1, 8, 9 and 11: headers that need matching or mapping, invisible and
look-alike characters in ids, unusable numbers, and large inputs for typo suggestions and wide tables.

Same shape as ``CASES`` in make_corpus.py: name -> (hand-offs, parties or None, expect, message fragment).
"""

from __future__ import annotations

PARTIES = "id,name,kind\nkitchen,Kitchen,team\nfloor,Floor,team\ndiners,Diners,external_customer\n"

# The example (point 1): 14 teams; mapped, 'Needed?' leaves Marketing, Analytics and Design orphaned.
NEEDED_HANDOFFS = (
    "From Team;To Team;What;Needed?\n"
    "Sales;Onboarding;order;yes\nOnboarding;Billing;account;yes\nBilling;Customers;invoice;yes\n"
    "Support;Customers;answers;yes\nField Service;Customers;visit;yes\nLogistics;Field Service;parts;yes\n"
    "Warehouse;Logistics;stock;yes\nProcurement;Warehouse;supplies;yes\nQuality;Repairs;checks;yes\n"
    "Repairs;Customers;repaired phone;yes\nDispatch;Repairs;routes;y\nMarketing;Sales;leads;no\n"
    "Analytics;Marketing;reports;NO\nDesign;Analytics;dashboards;No\nSupport;Repairs;tickets;\n"
)
NEEDED_TEAMS = (
    "Sales", "Onboarding", "Billing", "Support", "Field Service", "Logistics", "Warehouse", "Procurement",
    "Quality", "Repairs", "Dispatch", "Marketing", "Analytics", "Design",
)  # fmt: skip
NEEDED_PARTIES = "Team ID;Kind\n" + "".join(f"{team};team\n" for team in NEEDED_TEAMS) + "Customers;external_customer\n"


def _invisible(char: str) -> tuple[str, str, str, str]:
    """A hand-off and a party whose id holds ``char`` inside it; the message names the code point."""
    party = f"kit{char}chen"
    return (
        f"source,target\n{party},floor\nfloor,diners\n",
        PARTIES.replace("kitchen,Kitchen", f"{party},Kitchen"),
        "error",
        f"U+{ord(char):04X}",
    )


CASES: dict[str, tuple] = {
    # --- point 1: headers with team/party words and punctuation; unmapped columns that mean something ---
    "columns-needed-unmapped.csv": (NEEDED_HANDOFFS, ("columns-needed-unmapped.parties.csv", NEEDED_PARTIES),
                                    "warning", "'Needed?' holds only yes/no values"),
    "columns-team-party-words.csv": (
        "From Team,TO_PARTY,Work-Product\nkitchen,floor,dishes\nfloor,diners,service\n",
        "Team ID;Party-Name;Party Type\nkitchen;Kitchen;team\nfloor;Floor;team\ndiners;Diners;external customer\n",
        "ok",
        "",
    ),
    "columns-department-unmapped.csv": (
        "source,target\nkitchen,floor\nfloor,diners\n",
        "id,kind,Dept\nkitchen,team,Back of house\nfloor,team,Front of house\ndiners,external_customer,\n",
        "warning",
        "'Dept' looks like a department",
    ),
    "columns-primary-unmapped.csv": (
        "source,target\nkitchen,floor\nfloor,diners\nfloor,walk-ins\n",
        "id,kind,Key segment?\nkitchen,team,\nfloor,team,\ndiners,external_customer,yes\n"
        "walk-ins,external_customer,no\n",
        "warning",
        "no column is read as 'primary'",
    ),
    "columns-no-source.csv": ("A,B\nkitchen,floor\n", None, "error", "--column source=HEADER"),
    "columns-team-alone.csv": ("Team,to\nkitchen,floor\n", None, "error", "no 'source' column"),
    "columns-two-synonyms.csv": ("From,From Team,to\nkitchen,floor,diners\n", None, "error", "both look like"),
    # --- point 8: every class of invisible or look-alike character inside an id ---
    "columns-invisible-bidi-isolate.csv": _invisible("\u2066"),
    "columns-invisible-arabic-letter-mark.csv": _invisible("\u061c"),
    "columns-invisible-mongolian-separator.csv": _invisible("\u180e"),
    "columns-invisible-variation-selector.csv": _invisible("\ufe0f"),
    "columns-invisible-variation-selector-17.csv": _invisible("\U000e0100"),
    "columns-invisible-grapheme-joiner.csv": _invisible("\u034f"),
    "columns-invisible-hangul-filler.csv": _invisible("\u3164"),
    "columns-invisible-hangul-choseong-filler.csv": _invisible("\u115f"),
    "columns-invisible-halfwidth-hangul-filler.csv": _invisible("\uffa0"),
    "columns-invisible-braille-blank.csv": _invisible("\u2800"),
    "columns-invisible-tag.csv": _invisible("\U000e0041"),
    "columns-invisible-soft-hyphen.csv": _invisible("\u00ad"),
    "columns-invisible-word-joiner.csv": _invisible("\u2060"),
    "columns-invisible-bidi-override.csv": _invisible("\u202e"),
    "columns-look-alike-nbsp.csv": _invisible("\u00a0"),
    "columns-look-alike-narrow-nbsp.csv": _invisible("\u202f"),
    "columns-look-alike-ideographic-space.csv": _invisible("\u3000"),
    "columns-invisible-line-separator.csv": _invisible("\u2028"),
    # ids equal after NFC are one id: two parties that differ only in normalisation are a duplicate
    "columns-nfc-duplicate-party.csv": (
        "source,target\ncaf\u00e9,diners\n",
        "id,kind\ncaf\u00e9,team\ncafe\u0301,team\ndiners,external_customer\n",
        "error",
        "already used in row 2",
    ),
    "columns-nfc-handoffs-decomposed.csv": (
        "source,target\ncafe\u0301,dine\u0301rs\n",
        "id,kind\ncaf\u00e9,team\ndin\u00e9rs,external_customer\n",
        "ok",
        "",
    ),
    # --- point 9: numbers that read but cannot be counted ---
    "columns-headcount-inf.csv": (
        "source,target\nkitchen,floor\nfloor,diners\n",
        "id,kind,headcount\nkitchen,team,inf\nfloor,team,3\ndiners,external_customer,\n",
        "error",
        "'inf' is not a usable headcount: it is infinite",
    ),
    "columns-headcount-overflow.csv": (
        "source,target\nkitchen,floor\nfloor,diners\n",
        "id,kind,headcount\nkitchen,team,1e400\nfloor,team,3\ndiners,external_customer,\n",
        "error",
        "'1e400' is not a usable headcount: it is too large",
    ),
    "columns-cost-negative.csv": (
        "source,target\nkitchen,floor\nfloor,diners\n",
        "id,kind,cost\nkitchen,team,-1200\nfloor,team,3\ndiners,external_customer,\n",
        "error",
        "'-1200' is not a usable cost: it is negative",
    ),
    "columns-cost-nan.csv": (
        "source,target\nkitchen,floor\nfloor,diners\n",
        "id,kind,cost\nkitchen,team,NaN\nfloor,team,3\ndiners,external_customer,\n",
        "error",
        "'NaN' is not a number",
    ),
    "columns-cost-total-overflow.csv": (
        "source,target\nkitchen,floor\nfloor,diners\n",
        "id,kind,cost\nkitchen,team,1e308\nfloor,team,1.7e308\ndiners,external_customer,\n",
        "error",
        "the total is too large",
    ),
}  # fmt: skip


def large_cases() -> dict[str, tuple]:
    """Point 11: a CSV of 50,000 columns (the extra columns are kept as attributes). (The typo suggestions
    among 20,000 long ids are timed in tests/test_columns.py: the corpus's large cases must be analysable.)"""
    width = 50_000
    header = ["source", "target"] + [f"c{i}" for i in range(width - 2)]
    wide = [header, ["kitchen", "floor"] + ["x"] * (width - 2), ["floor", "diners"] + ["y"] * (width - 2)]
    return {"columns-50000-columns.csv": ("\n".join(",".join(r) for r in wide) + "\n", PARTIES, "ok", "")}
