"""Write the corpus of broken and unusual inputs in this folder (run: python tests/data/bad/make_corpus.py [AREA]).

Each case is a hand-offs file (and sometimes a parties file); a manifest says what valuechain must
answer: ``error`` (a clear message, naming file and row where there is one), ``warning`` (analysed,
with a warning) or ``ok`` (analysed). The cases below are written with MANIFEST.csv; each module
``cases_AREA.py`` beside this file holds more cases (a ``CASES`` dict of the same shape, where the
parties may also be a ``(file name, content)`` pair, and optionally a ``large_cases()`` function) and
is written with ``MANIFEST.AREA.csv``. The largest cases are written at test time by ``large_cases()``
instead of being stored.
"""

from __future__ import annotations

import csv
import importlib
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD = "source,target,deliverable\nkitchen,floor,dishes\nfloor,diners,service\n"
PARTIES = "id,name,kind\nkitchen,Kitchen,team\nfloor,Floor,team\ndiners,Diners,external_customer\n"

# name: (hand-offs content, parties content or None, expect, message fragment)
CASES: dict[str, tuple[bytes | str, bytes | str | None, str, str]] = {
    "empty.csv": (b"", None, "error", "the file is empty"),
    "whitespace-only.csv": ("  \n\n \t\n", None, "error", "empty"),
    "headers-only.csv": ("source,target\n", PARTIES, "warning", "no hand-offs"),
    "binary.csv": (bytes(range(256)) * 8, None, "error", "binary"),
    "utf16.csv": (GOOD.encode("utf-16"), PARTIES, "ok", ""),
    "latin1.csv": (
        "source;target\ncaf\xe9;diners\n".encode("latin-1"),
        "id;kind\ncaf\xe9;team\ndiners;external_customer\n".encode("latin-1"),
        "warning",
        "not UTF-8",
    ),
    "mixed-delimiters.csv": ("source,target\nkitchen;floor\nfloor,diners\n", PARTIES, "error", "not in the parties"),
    "unbalanced-quotes.csv": ('source,target\n"kitchen,floor\nfloor,diners\n', PARTIES, "error", "never closed"),
    "duplicate-headers.csv": (
        "source,target,source\nkitchen,floor,x\n",
        PARTIES,
        "error",
        "two columns have the header",
    ),
    "missing-target-column.csv": ("source,deliverable\nkitchen,dishes\n", None, "error", "no 'target' column"),
    "numeric-looking-ids.csv": (
        "source,target\n007,1e3\n1e3,1.50\n",
        "id,kind\n007,team\n1e3,team\n1.50,external_customer\n",
        "ok",
        "",
    ),
    "ids-differ-in-case.csv": (
        "source,target\nKitchen,floor\nfloor,diners\n",
        PARTIES,
        "error",
        "did you mean 'kitchen'",
    ),
    "unicode-normalisation.csv": (
        "source,target\nCafe\u0301,diners\n",
        "id,kind\nCaf\u00e9,team\ndiners,external_customer\n",
        "ok",
        "",
    ),
    "invisible-characters.csv": ("source,target\nkitchen\u200b,floor\nfloor,diners\n", PARTIES, "error", "invisible"),
    "control-characters.csv": (  # kept as given; the writers that cannot hold them show or refuse them
        "source,target,deliverable,note\nkitchen,floor,dishes\x07ding,esc\x1b[31mred\nfloor,diners,service,ok\n",
        "id,name,kind\nkitchen,Kitchen\x0btab,team\nfloor,Floor,team\ndiners,Diners,external_customer\n",
        "ok",
        "",
    ),
    "formulas.csv": (
        'source,target,deliverable\n=cmd|\' /C calc\'!A0,diners,"=HYPERLINK(""x"")"\n',
        "id,kind\n=cmd|' /C calc'!A0,team\ndiners,external_customer\n",
        "ok",
        "",
    ),
    "html.csv": (
        "source,target\n<script>alert(1)</script>,diners\n",
        "id,kind\n<script>alert(1)</script>,team\ndiners,external_customer\n",
        "ok",
        "",
    ),
    "self-handoff.csv": (
        "source,target\nkitchen,kitchen\nkitchen,floor\nfloor,diners\n",
        PARTIES,
        "warning",
        "hands off to itself",
    ),
    "repeated-handoff.csv": (
        "source,target,deliverable\nkitchen,floor,x\nkitchen,floor,x\nfloor,diners,y\n",
        PARTIES,
        "warning",
        "repeats",
    ),
    "empty-ids.csv": ("source,target\n,floor\nfloor,diners\n", PARTIES, "error", "empty"),
    "bad-essential.csv": (
        "source,target,essential\nkitchen,floor,maybe\nfloor,diners,yes\n",
        PARTIES,
        "error",
        "yes/no",
    ),
    "unknown-kind.csv": (GOOD, "id,kind\nkitchen,team\nfloor,robot\ndiners,external_customer\n", "error", "kind"),
    "duplicate-party-ids.csv": (
        GOOD,
        "id,kind\nkitchen,team\nkitchen,team\nfloor,team\ndiners,external_customer\n",
        "error",
        "kitchen",
    ),
    "no-customer.csv": (GOOD, "id,kind\nkitchen,team\nfloor,team\ndiners,team\n", "error", "customer"),
    "unknown-party.csv": ("source,target\nkitchen,flor\nfloor,diners\n", PARTIES, "error", "did you mean 'floor'"),
    "blank-rows-trailing-delimiters.csv": (
        "source,target,\n\nkitchen,floor,\n,,\nfloor,diners,\n\n",
        PARTIES,
        "ok",
        "",
    ),
    "bom-semicolons.csv": ("\ufeffsource;target\nkitchen;floor\nfloor;diners\n".encode(), PARTIES, "ok", ""),
    "tabs.tsv": ("source\ttarget\nkitchen\tfloor\nfloor\tdiners\n", PARTIES, "ok", ""),
    "crlf.csv": (GOOD.replace("\n", "\r\n"), PARTIES, "ok", ""),
    "newline-in-cell.csv": (
        'source,target,deliverable\nkitchen,floor,"two\nlines"\nfloor,diners,x\n',
        PARTIES,
        "ok",
        "",
    ),
    "headers-with-spaces.csv": ("  Source , TARGET ,Deliverable\nkitchen,floor,x\nfloor,diners,y\n", PARTIES, "ok", ""),
    "prose.txt": ("Dear team, please find the org chart attached.\nRegards\n", None, "error", "no 'source' column"),
    "not-node-link.json": ('{"teams": ["a", "b"]}', None, "error", "no 'nodes'"),
    "old-excel.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, None, "error", ".xls"),
    "corrupt.xlsx": (b"PK\x03\x04 this is not really a workbook", None, "error", "cannot be opened"),
    "graphml-bomb.graphml": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
        '<node id="&lol3;"/></graph></graphml>',
        None,
        "error",
        "declares entities",
    ),  # fmt: skip
}


def wrong_sheets_workbook() -> bytes:
    """An .xlsx whose sheets are not hand-offs and parties, and whose first sheet has other columns."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Budget"
    book.active.append(["cost centre", "amount"])
    book.active.append(["K100", 5])
    book.create_sheet("Notes").append(["nothing here"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def large_cases() -> dict[str, tuple[str, str | None, str, str]]:
    """Cases too large to store: a million-character cell, a 20,000-deep chain, a 20,000-party loop."""
    deep = ["source,target"] + [f"t{i},t{i + 1}" for i in range(20_000)]
    deep_parties = "id,kind\n" + "".join(f"t{i},team\n" for i in range(20_000)) + "t20000,external_customer\n"
    loop = ["source,target"] + [f"l{i},l{(i + 1) % 20_000}" for i in range(20_000)] + ["l0,diners"]
    loop_parties = "id,kind\n" + "".join(f"l{i},team\n" for i in range(20_000)) + "diners,external_customer\n"
    return {
        "huge-cell.csv": (f"source,target,deliverable\nkitchen,floor,{'x' * 1_000_000}\nfloor,diners,y\n", PARTIES,
                          "ok", ""),
        "deep-chain.csv": ("\n".join(deep) + "\n", deep_parties, "ok", ""),
        "huge-loop.csv": ("\n".join(loop) + "\n", loop_parties, "ok", ""),
    }  # fmt: skip


def areas() -> dict[str, object]:
    """The case modules beside this file (``cases_AREA.py``), by area."""
    found = {}
    for path in sorted(HERE.glob("cases_*.py")):
        found[path.stem.removeprefix("cases_")] = importlib.import_module(f"tests.data.bad.{path.stem}")
    return found


def all_large_cases() -> dict[str, tuple]:
    """The large cases of this module and of every area's module."""
    cases = dict(large_cases())
    for module in areas().values():
        cases.update(getattr(module, "large_cases", dict)())
    return cases


def write_cases(cases: dict, manifest: Path, extra_rows: list | None = None) -> int:
    rows = []
    for name, (handoffs, parties, expect, words) in cases.items():
        (HERE / name).write_bytes(handoffs if isinstance(handoffs, bytes) else handoffs.encode("utf-8"))
        parties_name = ""
        if parties is not None:
            parties_name, content = (
                parties if isinstance(parties, tuple) else (f"{Path(name).stem}.parties.csv", parties)
            )
            (HERE / parties_name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        rows.append([name, parties_name, expect, words])
    rows += extra_rows or []
    with open(manifest, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["handoffs", "parties", "expect", "message"])
        writer.writerows(rows)
    return len(rows)


def main(only: list[str]) -> None:
    if not only or "core" in only:
        (HERE / "wrong-sheets.xlsx").write_bytes(wrong_sheets_workbook())
        n = write_cases(CASES, HERE / "MANIFEST.csv", [["wrong-sheets.xlsx", "", "error", "no 'source' column"]])
        print(f"core: wrote {n} cases (and {len(large_cases())} more at test time)")
    for area, module in areas().items():
        if not only or area in only:
            n = write_cases(module.CASES, HERE / f"MANIFEST.{area}.csv")
            print(f"{area}: wrote {n} cases (and {len(getattr(module, 'large_cases', dict)())} more at test time)")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    main(sys.argv[1:])
