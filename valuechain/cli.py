"""The ``valuechain`` command line.

Exit codes: 0 analysed, 1 analysed and a ``--fail-on`` condition met, 2 bad
input or usage. Problems go to stderr as plain sentences, never a traceback
(set ``VALUECHAIN_DEBUG=1`` to see one).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import click
import pandas as pd

import valuechain as vc
from valuechain.problems import InputError, Problem

FAIL_ON = ("orphans", "loops", "mutual_pairs", "single_points_of_failure")
SHOWN = 50

REASON_WORDS = {
    "preference_only": "reaches the customer only through non-essential hand-offs",
    "dead_end": "delivers to nobody",
    "closed_loop": "delivers only within a loop that never reaches the customer",
    "serves_outside_only": "serves outside parties (suppliers, regulators...) but no customer",
    "feeds_orphans": "delivers only to teams that are orphans themselves",
}


class Progress:
    """Stage messages on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.enabled:
            click.echo(f"[{time.perf_counter() - self.start:6.1f}s] {message}", err=True)


def _size(path: str) -> str:
    try:
        size = os.path.getsize(path)
    except OSError:
        return ""
    return f" ({size / 1e6:.1f} MB)" if size >= 1e5 else ""


def _load(handoffs: str, parties: str | None, customers: Sequence[str], progress: Progress) -> vc.Chain:
    progress(f"reading {handoffs}{_size(handoffs)}" + (f" and {parties}{_size(parties)}" if parties else ""))
    chain = vc.load(handoffs, parties=parties, customers=list(customers) or None)
    progress(f"read {len(chain.parties):,} parties and {len(chain.handoffs):,} hand-offs")
    return chain


def _print_problems(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for label, group in (("error", errors), ("warning", warnings)):
        for p in group[:SHOWN]:
            click.echo(f"{label}: {p}", err=True)
        if len(group) > SHOWN:
            click.echo(f"... and {len(group) - SHOWN} more {label}s ({len(group)} in all)", err=True)


def _guarded(run: Callable[[], int]) -> None:
    """Run a command body: input problems exit 2 with sentences, never a traceback."""
    try:
        code = run()
    except InputError as exc:
        _print_problems(exc.problems)
        n = len(exc.errors)
        click.echo(f"valuechain: {n} error{'s' if n != 1 else ''} in the input; nothing was analysed.", err=True)
        sys.exit(2)
    except (OSError, MemoryError) as exc:
        click.echo(f"valuechain: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # pragma: no cover - the last line of defence
        if os.environ.get("VALUECHAIN_DEBUG"):
            raise
        click.echo(
            f"valuechain: unexpected error ({type(exc).__name__}: {exc}). "
            "Please report it with the input that caused it; "
            "VALUECHAIN_DEBUG=1 shows the details.",
            err=True,
        )
        sys.exit(2)
    sys.exit(code)


input_options = [
    click.argument("handoffs", type=click.Path(dir_okay=False)),
    click.option(
        "--parties",
        "-p",
        type=click.Path(dir_okay=False),
        default=None,
        help="The parties table (CSV or .xlsx). Without it, parties come from a 'parties' sheet "
        "of the hand-offs workbook, or are inferred from the hand-offs as teams.",
    ),
    click.option(
        "--customer",
        "-c",
        "customers",
        multiple=True,
        metavar="ID",
        help="An external customer's id (repeatable); replaces the parties of kind external_customer.",
    ),
]


def with_inputs(f):
    for option in reversed(input_options):
        f = option(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(vc.__version__, prog_name="valuechain")
def main() -> None:
    """Map how an organisation's work reaches its external customer.

    Reads hand-offs (who delivers what to whom) and parties from CSV or Excel,
    and finds teams with no path to the customer (orphans), loops and mutual
    dependencies, and the single points of failure every path hangs on.
    """


def format_option(choices: list[str], help: str):
    """The ``--format`` option; the first choice is the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help=help)


@main.command()
@with_inputs
@format_option(["table", "json"], "A readable table, or the JSON contract of DESIGN.md (compact above 10,000 parties).")
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    type=click.Choice(FAIL_ON),
    help="Exit 1 when the analysis finds any of these (repeatable).",
)
def analyze(handoffs: str, parties: str | None, customers: tuple[str, ...], fmt: str, fail_on: tuple[str, ...]) -> None:
    """Analyse an organisation: orphans, loops, mutual pairs, single points of failure.

    \b
    Example:
      valuechain analyze data/restaurant/handoffs.csv --parties data/restaurant/parties.csv
    """

    def run() -> int:
        progress = Progress()
        chain = _load(handoffs, parties, customers, progress)
        _print_problems(chain.warnings)
        progress(f"analysing {len(chain.parties):,} parties")
        found = chain.analyze()
        progress("writing the findings")
        result = found.to_dict()
        if fmt == "json":
            click.echo(to_json(result))
        else:
            click.echo(render_table(found, handoffs))
        return 1 if any(result["summary"][key] for key in fail_on) else 0

    _guarded(run)


@main.command()
@with_inputs
@format_option(["text", "json"], "Sentences on stderr, or every problem as JSON on stdout.")
def check(handoffs: str, parties: str | None, customers: tuple[str, ...], fmt: str) -> None:
    """Validate the input only: list every problem, with file, row and column.

    Exit 0 when the files can be analysed (warnings allowed), 2 when they cannot.
    """

    def run() -> int:
        try:
            chain = vc.load(handoffs, parties=parties, customers=list(customers) or None)
        except InputError as exc:
            if fmt == "json":
                click.echo(json.dumps([p.to_dict() for p in exc.problems], ensure_ascii=False, indent=1))
                return 2
            raise
        if fmt == "json":
            click.echo(json.dumps([p.to_dict() for p in chain.warnings], ensure_ascii=False, indent=1))
        else:
            _print_problems(chain.warnings)
            w = len(chain.warnings)
            click.echo(
                f"OK: {len(chain.parties):,} parties, {len(chain.handoffs):,} hand-offs, "
                f"customers: {', '.join(chain.customers)}" + (f"; {w} warning{'s' if w != 1 else ''}" if w else "")
            )
        return 0

    _guarded(run)


def to_json(result: dict) -> str:
    """JSON text: indented for small orgs; compact for large ones, with the two maps
    that grow with the org (``distance``, ``reaches``) written by a faster path."""
    if result["summary"]["parties"] <= 10_000:
        return json.dumps(result, ensure_ascii=False, indent=1)
    parts = []
    for key, value in result.items():
        text = _map_json(value) if key in ("distance", "reaches") else json.dumps(value, ensure_ascii=False)
        parts.append(f"{json.dumps(key)}:{text}")
    return "{" + ",".join(parts) + "}"


def _map_json(mapping: dict) -> str:
    """A map of string keys to ints, or to lists that many keys share (each encoded once)."""
    from json.encoder import encode_basestring

    values = list(mapping.values())
    if values and isinstance(values[0], int):
        texts = map(str, values)
    else:
        distinct = {id(v): v for v in values}
        done = {key: json.dumps(v, ensure_ascii=False) for key, v in distinct.items()}
        texts = map(done.__getitem__, map(id, values))
    return "{" + ",".join(map(":".join, zip(map(encode_basestring, mapping), texts))) + "}"


def render_table(found: vc.Findings, title: str = "") -> str:
    """The findings as plain text for a terminal."""
    s = found.summary
    lines = [
        f"valuechain {vc.__version__}: {Path(title).parent.name or title}" if title else "valuechain",
        f"Customers: {', '.join(found.customers)}",
        f"{s['parties']:,} parties ({s['teams']:,} teams), {s['handoffs']:,} hand-offs between them",
        f"Line of sight: {s['connected']:,} of {s['teams']:,} teams reach the customer along essential hand-offs",
    ]
    if "orphan_headcount" in s:
        lines.append(f"People in orphaned teams: {s['orphan_headcount']:,} of {s['total_headcount']:,}")
    if "orphan_cost" in s:
        lines.append(f"Cost of orphaned teams: {s['orphan_cost']:,} of {s['total_cost']:,}")
    if found.non_primary_only:
        shown = ", ".join(found.non_primary_only[:10]) + (" ..." if len(found.non_primary_only) > 10 else "")
        lines.append(f"Teams that reach only non-primary customers ({len(found.non_primary_only):,}): {shown}")

    def section(heading: str, table: pd.DataFrame) -> None:
        lines.append("")
        lines.append(f"{heading} ({len(table):,})")
        if len(table):
            shown = table.head(SHOWN)
            lines.extend("  " + row for row in shown.to_string(index=False).splitlines())
            if len(table) > SHOWN:
                lines.append(f"  ... and {len(table) - SHOWN:,} more (use --format json for all)")

    orphans = found.orphans.copy()
    for column in ("headcount", "cost"):
        if column in orphans.columns:
            orphans[column] = orphans[column].map(lambda x: "" if x != x else f"{x:,.0f}" if x == int(x) else f"{x:,}")
    section("Orphans: teams with no line of sight to the customer", orphans)
    if len(orphans):
        lines.append("  Reasons:")
        lines.extend(f"    {r}: {REASON_WORDS[r]}" for r in REASON_WORDS if r in set(orphans["reason"]))
    loops = found.loops.copy()
    if len(loops):
        loops["members"] = loops["members"].map(
            lambda m: ", ".join(m) if len(m) <= 8 else ", ".join(m[:8]) + f", ... ({len(m)})"
        )
        loops["connected"] = loops["connected"].map({True: "yes", False: "no"})
        loops = loops.rename(columns={"connected": "reaches customer"})
    section("Loops", loops)
    section("Mutual pairs: each is the other's internal customer", found.mutual_pairs)
    section("Single points of failure: teams every path hangs on", found.single_points_of_failure)
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    main()
