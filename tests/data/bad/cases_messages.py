"""Cases whose problems quote the user's text holding control and direction characters: every message shows
them escaped (``\\x1b``), so a cell cannot clear a terminal, forge an output line or reorder a message."""

from __future__ import annotations

PARTIES = "id,name,kind\nkitchen,Kitchen,team\nfloor,Floor,team\ndiners,Diners,external_customer\n"

CASES = {
    "messages-escape-in-unknown-party.csv": (
        "source,target\nkitch\x1b[2Jen,floor\nfloor,diners\n",
        PARTIES,
        "error",
        "\\x1b[2J",
    ),
    "messages-forged-line-in-headcount.csv": (
        "source,target\nkitchen,floor\nfloor,diners\n",
        'id,kind,headcount\nkitchen,team,"5\nOK: forged"\nfloor,team,2\ndiners,external_customer,\n',
        "error",
        "5\\x0aOK: forged",
    ),
    "messages-bidi-in-kind.csv": (
        "source,target\nkitchen,floor\nfloor,diners\n",
        "id,kind\nkitchen,te\u202eam\nfloor,team\ndiners,external_customer\n",
        "error",
        "\\u202e",
    ),
}
