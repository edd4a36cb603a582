"""Write the corpus of broken and unusual event logs in this folder (run: python tests/data/bad/logs/make_logs.py).

Each case is one event log (CSV or XES) and what valuechain must answer when it builds hand-offs from it,
written to ``MANIFEST.csv``: ``error`` (one clear message naming the log, and its row where there is one),
``warning`` (hand-offs built, with a warning) or ``ok``. ``time_format`` and ``outcomes`` are the options
the case is run with (``--time-format``, ``--outcome``, ``;`` between outcomes); ``dashboard`` is what the
dashboard must answer, which has no time format to give (``-``: the same as ``expect``).
``tests/test_eventlog.py`` runs every case through ``vc.from_log``, ``valuechain from-log`` and the
dashboard's event-log path, and checks what each case is about (the dates read, the ids kept).
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "case,activity,team,timestamp\n"


def log(*rows: str) -> str:
    """A CSV event log: a header and one ``case,activity,team,timestamp`` line per row."""
    return HEADER + "".join(f"{r}\n" for r in rows)


def two_cases(first: str, second: str, third: str, fourth: str) -> str:
    """Two cases of two events each, Sales then Depot, with these four timestamps."""
    return log(f"1,order,Sales,{first}", f"1,ship,Depot,{second}", f"2,order,Sales,{third}", f"2,ship,Depot,{fourth}")


def xes(events: list[tuple[str, str, str, str]]) -> str:
    """An XES log: (case, activity, team, timestamp) per event, one trace per case in order of first mention."""
    traces: dict[str, list[str]] = {}
    for case, activity, team, when in events:
        traces.setdefault(case, []).append(
            f'<event><string key="concept:name" value="{activity}"/><string key="org:group" value="{team}"/>'
            f'<date key="time:timestamp" value="{when}"/></event>'
        )
    body = "".join(
        f'<trace><string key="concept:name" value="{case}"/>{"".join(e)}</trace>' for case, e in traces.items()
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" xmlns="http://www.xes-standard.org/">{body}</log>\n'


# name: (content, expect, message fragment, time_format, outcomes, dashboard expectation)
CASES: dict[str, tuple[str | bytes, str, str, str, str, str]] = {
    # --- timestamps: one reading for the whole column (issue 14, point 4) ---
    "iso.csv": (two_cases("2026-01-05 09:00", "2026-01-05 11:30", "2026-01-13T10:00:00Z", "2026-01-13T12:00:00Z"),
                "warning", "taken as UTC", "", "", "-"),
    "day-first.csv": (two_cases("05/01/2026 09:00", "13/01/2026 10:00", "06/01/2026 08:00", "06/01/2026 09:30"),
                      "ok", "", "", "", "-"),
    "day-first-dotted-date-only.csv": (two_cases("05.01.2026", "13.01.2026", "06.01.2026", "07.01.2026"),
                                       "ok", "", "", "", "-"),
    "day-first-two-digit-year.csv": (two_cases("05/01/26 09:00", "13/01/26 10:00", "06/01/26 08:00",
                                               "06/01/26 09:30"), "ok", "", "", "", "-"),
    "month-first-am-pm.csv": (two_cases("01/05/2026 09:00 AM", "01/13/2026 10:00 PM", "01/06/2026 08:00 AM",
                                        "01/06/2026 09:30 AM"), "ok", "", "", "", "-"),
    "ambiguous-dates.csv": (two_cases("05/01/2026 09:00", "06/01/2026 10:00", "07/01/2026 08:00", "08/01/2026 09:30"),
                            "error", "--time-format", "", "", "-"),
    "ambiguous-dates-with-format.csv": (two_cases("05/01/2026 09:00", "06/01/2026 10:00", "07/01/2026 08:00",
                                                  "08/01/2026 09:30"), "ok", "", "%d/%m/%Y %H:%M", "", "error"),
    "day-and-month-first.csv": (two_cases("05/01/2026 09:00", "13/01/2026 10:00", "01/14/2026 08:00",
                                          "01/15/2026 09:30"), "error", "both day-first", "", "", "-"),
    "text-months.csv": (two_cases("5 Jan 2026 09:00", "13 Jan 2026 10:00", '"Jan 6, 2026 8:00 AM"',
                                  '"Jan 6, 2026 9:30 AM"'), "ok", "", "", "", "-"),
    "time-without-date.csv": (two_cases("2026-01-05 09:00", "10:00", "2026-01-06 08:00", "2026-01-06 09:30"),
                              "error", "no date", "", "", "-"),
    "year-2500.csv": (two_cases("2026-01-05 09:00", "2500-01-05 10:00", "2026-01-06 08:00", "2026-01-06 09:30"),
                      "error", "2500-01-05 10:00", "", "", "-"),
    "year-1600.csv": (two_cases("1600-01-05 09:00", "2026-01-05 10:00", "2026-01-06 08:00", "2026-01-06 09:30"),
                      "error", "1600-01-05 09:00", "", "", "-"),
    "year-2500-day-first.csv": (two_cases("05/01/2026 09:00", "13/01/2500 10:00", "06/01/2026 08:00",
                                          "06/01/2026 09:30"), "error", "13/01/2500 10:00", "", "", "-"),
    "year-2500-with-format.csv": (two_cases("2026-01-05 09:00", "2500-01-05 10:00", "2026-01-06 08:00",
                                            "2026-01-06 09:30"), "error", "2500-01-05 10:00", "%Y-%m-%d %H:%M",
                                  "", "-"),
    "year-2500.xes": (xes([("1", "order", "Sales", "2026-01-05T09:00:00+01:00"),
                           ("1", "ship", "Depot", "2500-01-05T10:00:00+01:00")]), "error", "2500", "", "", "-"),
    "headers-only.csv": (HEADER, "warning", "the log has no events, only its header", "", "", "-"),
    "one-team-only.csv": (log("1,order,Sales,2026-01-05 09:00", "1,ship,Sales,2026-01-05 10:00"), "warning",
                          "the log gives no hand-offs: no case changes team or ends with an outcome", "", "order", "-"),
    # --- a bad --time-format (point 12) ---
    "format-bad-directive.csv": (two_cases("2026-01-05 09:00", "2026-01-05 10:00", "2026-01-06 08:00",
                                           "2026-01-06 09:30"), "error", "--time-format", "%Q", "", "ok"),
    "format-does-not-match.csv": (two_cases("05/01/2026 09:00", "13/01/2026 10:00", "06/01/2026 08:00",
                                            "06/01/2026 09:30"), "error", "does not match", "%Y-%m-%d", "", "ok"),
    "format-without-year.csv": (two_cases("05/01 09:00", "13/01 10:00", "06/01 08:00", "06/01 09:30"),
                                "error", "no year", "%d/%m %H:%M", "", "error"),
    # --- ids: the log's file and row in every message; NFC; invisible characters (points 4 and 8) ---
    "team-invisible.csv": (two_cases("2026-01-05 09:00", "2026-01-05 10:00", "2026-01-06 08:00",
                                     "2026-01-06 09:30").replace("2,ship,Depot", "2,ship,Depot\u200b"),
                           "error", "invisible character", "", "", "-"),
    "team-invisible.xes": (xes([("1", "order", "Sales", "2026-01-05T09:00:00Z"),
                                ("1", "ship", "Dep\u200bot", "2026-01-05T10:00:00Z")]),
                           "error", "invisible character", "", "", "-"),
    "team-bidi-isolate.csv": (log("1,order,Sales,2026-01-05 09:00", "1,ship,\u2066Depot\u2069,2026-01-05 10:00"),
                              "error", "U+2066 LEFT-TO-RIGHT ISOLATE", "", "", "-"),
    "team-no-break-space.csv": (log("1,order,Sales,2026-01-05 09:00", "1,ship,Main\u00a0Depot,2026-01-05 10:00"),
                                "error", "U+00A0 NO-BREAK SPACE", "", "", "-"),
    "team-empty.csv": (log("1,order,Sales,2026-01-05 09:00", "1,ship,  ,2026-01-05 10:00"),
                       "error", "no team in this event", "", "", "-"),
    "team-nfc.csv": (log("1,order,Cafe\u0301,2026-01-05 09:00", "1,pay,Till,2026-01-05 09:10",
                         "1,serve,Caf\u00e9,2026-01-05 09:20", "2,order,Caf\u00e9,2026-01-06 09:00"),
                     "ok", "", "", "", "-"),
    "case-and-activity-nfc.csv": (log("Cafe\u0301-1,order,Sales,2026-01-05 09:00",
                                      "Caf\u00e9-1,livre\u0301,Depot,2026-01-05 10:00"),
                                  "ok", "", "", "livr\u00e9", "-"),
    "team-is-customer.csv": (log("1,order,Sales,2026-01-05 09:00", "1,ship,customer,2026-01-05 10:00"),
                             "error", "the customer's id", "", "", "-"),
    "formula-like-teams.csv": (log("1,order,-ops,2026-01-05 09:00", "1,help,@support,2026-01-05 10:00",
                                   "1,=bill,+finance,2026-01-05 11:00"), "ok", "", "", "", "-"),
}  # fmt: skip


def large_day_first(events: int = 200_000) -> str:
    """A day-first log of ``events`` events (two per case), for timing the non-ISO path."""
    lines = [HEADER.rstrip("\n")]
    for i in range(events // 2):
        day = 1 + i % 28
        lines.append(f"c{i},order,Sales,{day:02d}/{1 + i % 12:02d}/2026 09:{i % 60:02d}")
        lines.append(f"c{i},ship,Depot,{day:02d}/{1 + i % 12:02d}/2026 1{i % 10}:{i % 60:02d}")
    return "\n".join(lines) + "\n"


def main() -> None:
    rows = []
    for name, (content, expect, words, time_format, outcomes, dashboard) in CASES.items():
        (HERE / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        rows.append([name, expect, words, time_format, outcomes, expect if dashboard == "-" else dashboard])
    with open(HERE / "MANIFEST.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["log", "expect", "message", "time_format", "outcomes", "dashboard"])
        writer.writerows(rows)
    print(f"logs: wrote {len(rows)} cases")


if __name__ == "__main__":
    main()
