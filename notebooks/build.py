"""Write the notebooks in notebooks/ from the cells below: Markdown cells start with "#", the rest are code.

Outputs are never stored; the test suite runs every notebook (nbmake).

Usage: python notebooks/build.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

NOTEBOOKS = {
    "01-quickstart": [
        "# Quickstart: does the work reach the customer?\n\n"
        "Load an org, read its findings, draw its chain and write the leaders' report. "
        "Everything here works the same on your own files: swap the two paths.",
        "import tempfile\nfrom pathlib import Path\n\nimport valuechain as vc\n\n"
        'DATA = Path("../data/midsize")\n'
        'chain = vc.load(DATA / "handoffs.csv", parties=DATA / "parties.csv")\nchain',
        "## The findings\n\n`analyze()` computes every finding once; each table is a pandas DataFrame.",
        "found = chain.analyze()\nfound",
        "found.summary",
        "found.orphans.head()",
        "## Why is each orphan an orphan?\n\n"
        "`explain` turns the reasons into sentences, with what each team delivers to whom.",
        "from valuechain.explain import orphan_details, why\n\n"
        'print(why(chain, "hr-analytics"))\norphan_details(chain)[["id", "reason", "why"]].head(8)',
        "## What hangs on whom",
        "found.single_points_of_failure.head()",
        'found.hangs_on("sc-warehouse")[:5]',
        "## The picture\n\nCustomers on the right; one column per hand-off; parties with no line of sight below.",
        "chain.plot()",
        'chain.plot(focus="hr-recruiting")  # one team\'s paths to the customer',
        "## The leaders' report\n\nOne self-contained HTML file (or `.pdf`, `.md`, `.xlsx`, `.csv`).",
        "folder = Path(tempfile.mkdtemp())\n"
        'path = chain.report(folder / "report.html", title="Mid-size manufacturer")\n'
        "path.stat().st_size > 100_000",
    ],
    "02-mutual-dependencies": [
        "# Mutual dependencies: when each is the other's customer\n\n"
        "A phone maker supplies spare parts to its authorised repair agents, and pays those agents for labour. "
        "Each is the other's internal customer. Is that a problem? Only if the loop does not reach the "
        "phone owner.",
        "from pathlib import Path\n\nimport valuechain as vc\nfrom valuechain.explain import loop_details, "
        "mutual_details\n\n"
        'phone = vc.load(Path("../data/phone-repair/handoffs.csv"), parties=Path("../data/phone-repair/parties.csv"))\n'
        "phone.analyze()",
        "mutual_details(phone)  # what flows each way, and whether both reach the customer",
        'loop_details(phone)[["names", "size", "connected", "flows"]]',
        "phone.plot(loop=0)",
        "## Loops in a larger org",
        'org = vc.load(Path("../data/midsize/handoffs.csv"), parties=Path("../data/midsize/parties.csv"))\n'
        'loops = loop_details(org)\nloops[["names", "size", "connected", "handoffs"]]',
        "## What would a service partnership change?\n\nThe loop of the board secretariat, strategy, controlling "
        "and reporting never reaches the customer. Say strategy agreed to deliver its pricing strategy to "
        "the households segment's sales team as an essential hand-off (`ex-strategy` → `sales-retail`):",
        'partnership = org.whatif(add_handoffs=[("ex-strategy", "sales-retail")])\npartnership',
        "partnership.changes.resolved_orphans",
        "partnership.changes.changed_loops",
    ],
    "03-reorganisation-what-if": [
        "# What if? Rank what hangs on each team, then remove and reconnect\n\n"
        "`rank()` computes, for every party and every hand-off, how many teams would lose their line of sight "
        "if it alone went away: one dominator tree, not one analysis per party.",
        "from pathlib import Path\n\nimport valuechain as vc\n\n"
        'org = vc.load(Path("../data/midsize/handoffs.csv"), parties=Path("../data/midsize/parties.csv"))\n'
        "ranking = org.rank()\nranking",
        "ranking.parties.head(10)",
        "ranking.handoffs.head(10)",
        "## Remove the central warehouse",
        'without = org.whatif(remove=["sc-warehouse"])\nwithout',
        "without.changes.new_orphans.head()",
        "from valuechain.plot import scenario_figure\n\nscenario_figure(without)",
        "## Reconnect: a second route from manufacturing to the customers\n\n"
        "Without the warehouse, 27 teams lose their line of sight. Quality control handing finished goods straight "
        "to the two sales teams brings most of them back.",
        'second_route = [("mf-qc", "sales-retail"), ("mf-qc", "sales-b2b")]\n'
        'rerouted = org.whatif(remove=["sc-warehouse"], add_handoffs=second_route)\n'
        "rerouted",
        'print("orphans: before", without.before.summary["orphans"], "| without the warehouse",\n'
        '      without.after.summary["orphans"], "| with the second route", rerouted.after.summary["orphans"])',
    ],
    "04-two-versions": [
        "# Two versions of the org: did the reorganisation help?\n\n"
        "`diff` matches parties by id and hand-offs by (source, target, deliverable), and says what happened "
        "to every finding.",
        "from pathlib import Path\n\nimport valuechain as vc\nfrom valuechain.plot import scenario_figure\n\n"
        'before = vc.load(Path("../data/midsize/handoffs.csv"), parties=Path("../data/midsize/parties.csv"))\n'
        'after = vc.load(Path("../data/midsize-reorganised/handoffs.csv"),\n'
        '                parties=Path("../data/midsize-reorganised/parties.csv"))\n'
        "d = before.diff(after)\nd",
        "d.changes.resolved_orphans",
        "d.changes.new_loops",
        "d.handoffs_added",
        "scenario_figure((d, after))",
        "## The department view",
        "after.rollup()",
        "from valuechain.plot import flow_figure\n\nflow_figure(after)",
    ],
    "05-bring-your-own-data": [
        "# Bring your own data: from a messy HR export to a clean analysis\n\n"
        "Real exports have odd headers, semicolons, and typos. valuechain reports every problem with the file, "
        "row and column, and a hint; nothing is silently dropped.",
        "import io\nimport tempfile\nfrom pathlib import Path\n\nimport pandas as pd\n\nimport valuechain as vc\n\n"
        "export = (\n"
        '    "Team code;Hands over to;Work item;Critical\\n"\n'
        '    "PAY;FIN;payroll file;yes\\n"\n'
        '    "FIN;CUST;invoices;yes\\n"\n'
        '    "RECR;PAYY;new starters;yes\\n"\n'
        '    "ARCH;ARCH;old files;yes\\n"\n'
        ")\n"
        'teams = "Team;Name;Type\\nPAY;Payroll;team\\nFIN;Finance;team\\nRECR;Recruiting;team\\n" \\\n'
        '    "ARCH;Archive;team\\nCUST;Customers;external_customer\\n"\n\n'
        "def upload(text, name):\n"
        "    f = io.BytesIO(text.encode())\n"
        "    f.name = name\n"
        "    return f",
        "## First try",
        'try:\n    vc.load(upload(export, "hr-export.csv"), parties=upload(teams, "teams.csv"))\n'
        "except vc.InputError as err:\n    for problem in err.problems:\n        print(problem)",
        "## Say which column is which\n\n`columns=` maps the fields to your headers.",
        'columns = {"source": "Team code", "target": "Hands over to", "deliverable": "Work item",\n'
        '           "essential": "Critical", "id": "Team", "kind": "Type"}\n'
        "try:\n"
        '    vc.load(upload(export, "hr-export.csv"), parties=upload(teams, "teams.csv"), columns=columns)\n'
        "except vc.InputError as err:\n    for problem in err.problems:\n        print(problem)",
        "## Fix the typo and load again\n\nThe message says row 4 names `PAYY`, and suggests `PAY`.",
        'fixed = export.replace("PAYY", "PAY")\n'
        'chain = vc.load(upload(fixed, "hr-export.csv"), parties=upload(teams, "teams.csv"), columns=columns)\n'
        "for warning in chain.warnings:\n    print(warning)  # kept, but worth a look\nchain.analyze()",
        'from valuechain.explain import orphan_details\n\norphan_details(chain)[["id", "reason", "why"]]',
        "## Take it to Gephi or yEd",
        'folder = Path(tempfile.mkdtemp())\npath = chain.export(folder / "hr.graphml")\n'
        "vc.load(path).analyze().summary == chain.analyze().summary  # it reads back exactly",
    ],
    "06-from-event-log": [
        "# Hand-offs measured, not guessed: the chain from an event log\n\n"
        "Org charts come from interviews; event logs come from the work itself. Within each case, every time "
        "the work passes from one team to another is a hand-off. This notebook uses the classic process-mining "
        "*running example* (6 requests for compensation, 42 events) from `../shared`, then an order-to-delivery "
        "log of our own.",
        "from pathlib import Path\n\nimport valuechain as vc\nfrom valuechain.eventlog import read_log\n\n"
        'LOG = Path("../../shared/acceptance/logs/running-example.csv")\n'
        "if not LOG.exists():  # the shared folder is not beside this checkout: use the log bundled in data/\n"
        '    LOG = Path("../data/order-to-delivery/events.csv")\n'
        "events, warnings = read_log(LOG)  # XES column names are found by themselves\nevents.head()",
        "## The people who hand work to each other\n\n"
        "The log names people (`org:resource`), not teams; with no outcome named, every case reaches the customer.",
        'chain = vc.from_log(LOG, customer="CUSTOMER")\nchain.analyze()',
        'chain.handoffs[["source", "target", "deliverable", "cases", "handovers", "median_wait_hours"]].head(10)',
        "chain.log.ping_pong  # cases handed back and forth",
        "chain.plot()",
        "## An order-to-delivery log\n\nHere only *deliver order* ends a case at the customer: cancelled orders "
        "and failed inspections do not.",
        'orders = vc.from_log(Path("../data/order-to-delivery/events.csv"), outcomes=["deliver order"])\n'
        "orders.analyze().orphans",
        "orders.log.stuck  # where the cases that never reach the customer stop",
        "orders.log.slowest.head()",
        'from valuechain.explain import why\n\nwhy(orders, "Review board")',
        "## People's names\n\n`pseudonymise=True` replaces them by stable codes in everything written.",
        'vc.from_log(LOG, customer="CUSTOMER", pseudonymise=True).handoffs[["source", "target"]].head(3)',
    ],
    "07-review": [
        "# A quarterly review: what leaders decided, and what became of it\n\n"
        "Findings are not verdicts. Some orphaned teams are right by design (tax filings serve the tax office: our "
        "licence to operate); others need action. A **decisions file** records, per finding, what the leaders "
        "decided, who owns it and by when. Next quarter, valuechain matches it against the new org and says what "
        "was done, what is overdue and what is new. This walk-through uses the mid-size sample and its reorganised "
        "version, with the decisions of the review on 2026-03-31.",
        "import tempfile\nfrom pathlib import Path\n\nimport pandas as pd\n\nimport valuechain as vc\n\n"
        'BEFORE, AFTER = Path("../data/midsize"), Path("../data/midsize-reorganised")\n'
        'DECISIONS = BEFORE / "decisions.csv"\npd.read_csv(DECISIONS)',
        "## Last quarter: the findings carry their decisions\n\n"
        "`decisions=` (or `chain.with_decisions`) attaches the file; every row was checked against the org "
        "(an unknown finding, decision or party is refused with its file, row and column). `as_of` is the day of "
        "the review: it decides what is overdue.",
        'last = vc.load(BEFORE / "handoffs.csv", parties=BEFORE / "parties.csv", decisions=DECISIONS,\n'
        '               as_of="2026-03-31")\nfound = last.analyze()\n'
        "s = found.summary\n(s.decided, s.accepted, s.overdue, s.undecided)",
        "### Honest headlines\n\nAccepted findings are never hidden; the headline says how many are accepted by "
        "design and how many are left to act on.",
        's = found.summary\nprint("\\n".join(found.review.headlines({f.value: s[f.key] for f in vc.Finding})))',
        "found.orphans.head(3)  # the findings themselves are unchanged\n",
        "### In the JSON\n\nEach finding's decision is in the JSON contract (`null` where nothing was decided):",
        'orphans = found.to_dict()["orphans"]\n'
        '[(o["id"], o["decision"]["decision"], o["decision"]["owner"]) for o in orphans if o["decision"]]',
        "## This quarter: the reorganised org, last quarter's decisions\n\n"
        "The same file against the new org. `previous=` gives last quarter's org, so a decision naming a team "
        "that has since left is recognised as such, not refused as a typo.",
        'now = vc.load(AFTER / "handoffs.csv", parties=AFTER / "parties.csv")\n'
        'now = now.with_decisions(DECISIONS, previous=last, as_of="2026-07-01")\nreview = now.analyze().review\n'
        "{status: len(rows) for status, rows in review.statuses.items()}",
        "### What each status means\n\n* **done**: the finding is gone (the team was connected, merged or stopped);\n"
        "* **stale**: an `accept` whose finding is gone: the row can go;\n"
        "* **overdue**: past its due date and the finding is still there;\n"
        "* **party_removed**: its team left the org;\n"
        "* and in the table below, *Decided, finding still there*: the rest, under way (not yet due, or with no due "
        "date, such as an `accept` whose finding is still there).",
        "review.table()",
        "## What changed, and the brief\n\n"
        "`diff` compares the two versions; the brief's *things to decide* lists only what is undecided or overdue, "
        "and says what improved and what got worse.",
        "changes = last.diff(now)\nchanges",
        "from valuechain.report.brief import brief\n\npage = brief(now, previous=last, figure=False)\n"
        "[d.title for d in page.decisions]",
        'folder = Path(tempfile.mkdtemp())\nnow.brief(folder / "brief.html", previous=last).stat().st_size > 0',
        "## A line-of-sight check in CI\n\n"
        "`valuechain analyze ORG --decisions decisions.csv --fail-on undecided` exits 1 while any finding has no "
        "decision or is overdue, so an org's line of sight can be checked like code. Where a team has left since "
        "the decisions were written (`mf-lean` here), add last review's org, `--previous HANDOFFS "
        "--previous-parties PARTIES`, as `previous=` above; without it the run stops with exit 2, naming the row. "
        "The README's quarterly review runs it on these two samples. In Python:",
        "s = now.analyze().summary\nstill_to_decide = s.undecided + s.overdue\nstill_to_decide",
        "## Next quarter's file\n\n"
        "Keep the decisions still open, drop the done and stale rows, and write the file back "
        "(it reads back the same, and cells that start like a spreadsheet formula are made safe).",
        "from valuechain.decisions import decision_rows, to_csv\n\n"
        "rows = decision_rows(now.decisions)\n"
        'gone = {(r["finding"], r["id"]) for status in ("done", "stale", "party_removed") '
        "for r in review.statuses[status]}\n"
        'keep = rows[[(f, i) not in gone for f, i in zip(rows["finding"], rows["id"])]]\n'
        "print(to_csv(keep))",
    ],
}


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        notebook = new_notebook()
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        notebook.cells = [new_markdown_cell(c) if c.startswith("#") else new_code_cell(c) for c in cells]
        for number, cell in enumerate(notebook.cells):
            cell["id"] = f"cell-{number}"  # stable ids: building again changes nothing that did not change
        nbformat.write(notebook, HERE / f"{name}.ipynb")
        print(f"wrote notebooks/{name}.ipynb")


if __name__ == "__main__":
    main()
