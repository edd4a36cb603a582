"""Write events.csv: a seeded order-to-delivery event log (run: python data/order-to-delivery/generate.py).

40 orders. Most go Sales -> Credit -> Warehouse -> Quality -> (Billing) -> Shipping, ending in
"deliver order" (the outcome). Some bounce between Sales and Credit for documents (ping-pong),
some are cancelled by Sales after a credit refusal, and some fail inspection and go to the
Review board, which files a review and hands nothing on: an orphaned team.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

rng = np.random.default_rng(2026)
start = datetime(2026, 3, 2, 8, 0)
rows = []


def event(case: str, activity: str, team: str, when: datetime) -> datetime:
    rows.append([case, activity, team, when.strftime("%Y-%m-%d %H:%M:%S+01:00")])
    return when + timedelta(hours=float(rng.uniform(0.5, 30)))


for n in range(1, 41):
    case = f"order-{n:03d}"
    when = start + timedelta(hours=7 * n)
    when = event(case, "take order", "Sales", when)
    when = event(case, "check credit", "Credit", when)
    for _ in range(int(rng.integers(1, 3)) if n % 4 == 0 else 0):  # ping-pong: documents asked for again
        when = event(case, "send documents", "Sales", when)
        when = event(case, "check credit", "Credit", when)
    if n % 9 == 0:  # refused: Sales cancels
        event(case, "cancel order", "Sales", when)
        continue
    when = event(case, "pick items", "Warehouse", when)
    when = event(case, "inspect", "Quality", when)
    if n % 7 == 0:  # failed inspection: the review board files it
        event(case, "file review", "Review board", when)
        continue
    if n % 2 == 0:
        when = event(case, "send invoice", "Billing", when)
    event(case, "deliver order", "Shipping", when)

rng.shuffle(rows)  # logs come in any order
with open(Path(__file__).parent / "events.csv", "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f)
    writer.writerow(["case:concept:name", "concept:name", "org:group", "time:timestamp"])
    writer.writerows(rows)
