"""The ``valuechain`` command line.

Exit codes: 0 analysed, 1 analysed and a ``--fail-on`` condition met, 2 bad
input or usage. Problems go to stderr as plain sentences, never a traceback
(set ``VALUECHAIN_DEBUG=1`` to see one).

Each command reads its input, asks the library, and writes the result: text
for a person from :mod:`valuechain.text` (in the words of the vocabulary),
JSON for a program from :func:`valuechain.jsonable.to_json`, everything
through :mod:`valuechain.terminal` so that no control character reaches the
terminal.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

import valuechain as vc
from valuechain.exceptions import InputError, OutputError
from valuechain.jsonable import records, to_json
from valuechain.problems import Code, Problem
from valuechain.terminal import echo, echo_json, printable
from valuechain.text import (
    SHOWN,
    render_decisions,
    render_diff,
    render_findings,
    render_log,
    render_ranking,
    render_rollup,
    render_whatif,
)
from valuechain.vocabulary import Finding, counted

__all__ = ["Progress", "main", "parse_columns", "refuse_overwrite", "to_json"]

#: The summary's count of each kind of finding, as ``--fail-on`` names it.
FINDING_COUNTS = ("orphans", "loops", "mutual_pairs", "single_points_of_failure")
FAIL_ON = (*FINDING_COUNTS, "undecided")
#: A command function, as the option decorators take and return it.
Command = TypeVar("Command", bound=Callable[..., Any])

#: What the command is doing, for the out-of-memory message (set by :class:`Progress` and the commands).
_stage = ["running the command"]


class Progress:
    """Stage messages on stderr, only when stderr is a terminal.

    Each message is also what the command is doing should it run out of
    memory ("reading h.csv"), unless ``doing`` says it better.
    """

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.start = time.perf_counter()

    def __call__(self, message: str, doing: str | None = None) -> None:
        _stage[0] = doing or message
        if self.enabled:
            echo(f"[{time.perf_counter() - self.start:6.1f}s] {message}", err=True)


def _size(path: str) -> str:
    try:
        size = os.path.getsize(path)
    except OSError:
        return ""
    return f" ({size / 1e6:.1f} MB)" if size >= 1e5 else ""


def _load(
    handoffs: str | Sequence[str],
    parties: str | None,
    customers: Sequence[str],
    progress: Progress,
    columns: dict[str, str] | None = None,
    parties_option: str = "--parties",
    outcomes: Sequence[str] = (),
) -> vc.Chain:
    """Read the org: one hand-offs file (or graph file, or process model), or several process models."""
    paths = [handoffs] if isinstance(handoffs, str) else list(handoffs)
    _check_party_mapping(paths[0], parties, columns, parties_option)
    named = " and ".join(f"{p}{_size(p)}" for p in paths) if len(paths) <= 3 else f"{len(paths)} process models"
    progress(f"reading {named}" + (f" and {parties}{_size(parties)}" if parties else ""))
    chain = vc.load(
        paths[0] if len(paths) == 1 else paths,
        parties=parties,
        customers=list(customers) or None,
        columns=columns or None,
        outcomes=list(outcomes) or None,
    )
    progress(
        f"read {len(chain.parties):,} parties and {len(chain.handoffs):,} hand-offs",
        doing=f"working on the {len(chain.parties):,} parties of {_named(paths)}",
    )
    return chain


def _named(handoffs: str | Sequence[str]) -> str:
    """The input files as a message names them: the path, or the paths joined."""
    return handoffs if isinstance(handoffs, str) else ", ".join(handoffs)


def _inputs(handoffs: str | Sequence[str]) -> dict[str, str | os.PathLike | None]:
    """The input files by how :func:`refuse_overwrite` names them."""
    if isinstance(handoffs, str) or len(handoffs) == 1:
        return {"hand-offs": handoffs if isinstance(handoffs, str) else handoffs[0]}
    return {f"process model {i}": path for i, path in enumerate(handoffs, start=1)}


#: Hand-offs files that cannot hold a parties table too (a workbook's ``parties`` sheet, a graph file's nodes can).
TABLE_ONLY = (".csv", ".tsv", ".tab", ".txt", ".parquet")


def _check_party_mapping(
    handoffs: str, parties: str | None, columns: dict[str, str] | None, parties_option: str = "--parties"
) -> None:
    """A parties field mapped with ``--column`` while no parties table is read would be ignored: refuse it."""
    from valuechain.io.columns import PARTY_FIELDS

    mapped = [field for field in columns or {} if field in PARTY_FIELDS]
    if mapped and parties is None and str(handoffs).lower().endswith(TABLE_ONLY):
        fields = ", ".join(f"'{field}'" for field in mapped)
        raise click.BadParameter(
            f"{fields} {'is a field' if len(mapped) == 1 else 'are fields'} of the parties table, and no parties "
            f"table is given for '{printable(str(handoffs))}' (its parties are inferred from the hand-offs); "
            f"give the parties table with {parties_option}, or leave the mapping out.",
            param_hint="'--column'",
        )


def _print_problems(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for label, group in (("error", errors), ("warning", warnings)):
        for p in group[:SHOWN]:
            echo(f"{label}: {p}", err=True)
        if len(group) > SHOWN:
            echo(f"... and {len(group) - SHOWN} more {label}s ({len(group)} in all)", err=True)


def _guarded(run: Callable[[], int]) -> None:
    """Run a command body: input problems exit 2 with sentences, never a traceback.

    Usage errors (:class:`click.UsageError`, raised for an option's value that
    is known to be wrong only once the input is read) are left to click, which
    shows them as it shows every usage error, and exits 2.
    """
    _stage[0] = "running the command"
    _arrow_memory_for_one_run()
    try:
        code = run()
    except click.ClickException:
        raise
    except InputError as exc:
        _print_problems(exc.problems)
        n = len(exc.errors)
        echo(f"valuechain: {n} error{'s' if n != 1 else ''} in the input; nothing was analysed.", err=True)
        sys.exit(2)
    except MemoryError:
        # str(MemoryError()) is empty: say what was being done instead
        echo(
            f"valuechain: out of memory while {_stage[0]}; the input is too large for this machine's memory.", err=True
        )
        sys.exit(2)
    except BrokenPipeError:
        # the reader went away (`valuechain analyze ... | head`): stop quietly, as a shell tool does on SIGPIPE
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    except (OSError, vc.ValuechainError) as exc:
        # an output that cannot be written (OutputError, ToolMissing), an id that is no party...: a sentence
        echo(f"valuechain: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # pragma: no cover - the last line of defence
        if os.environ.get("VALUECHAIN_DEBUG"):
            raise
        echo(
            f"valuechain: unexpected error ({type(exc).__name__}: {exc}). "
            "Please report it with the input that caused it; "
            "VALUECHAIN_DEBUG=1 shows the details.",
            err=True,
        )
        sys.exit(2)
    sys.exit(code)


def _arrow_memory_for_one_run() -> None:
    """Arrow allocates with jemalloc in a command, unless ``ARROW_DEFAULT_MEMORY_POOL`` says otherwise.

    Arrow's default pool (mimalloc) gives large freed buffers back to the system, and the next one is new
    memory again, page by page; jemalloc keeps them for reuse a little longer. At a million parties that
    saves about a twelfth of ``analyze``'s time and a tenth of its peak memory (benchmarks/RESULTS.md). A
    long-lived process (the dashboard, a notebook) keeps Arrow's default, unless it runs a command itself
    (click's ``CliRunner``, as the tests do): the pool is the process's. Where Arrow is built without
    jemalloc, it keeps its default too.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # pragma: no cover - Arrow built without jemalloc (Windows wheels)
        return


def _one_or_models(
    ctx: click.Context | None, param: click.Parameter | None, values: tuple[str, ...]
) -> tuple[str, ...]:
    """HANDOFFS: one file, or several process models (BPMN) read as one org; several of anything else is the
    usage error it always was."""
    from valuechain.io.bpmn import is_bpmn_file

    if len(values) > 1 and not is_bpmn_file(values[0]):
        extra = values[1:]
        raise click.UsageError(f"Got unexpected extra argument{'s' if len(extra) > 1 else ''} ({' '.join(extra)})", ctx)
    others = [v for v in values[1:] if not is_bpmn_file(v)]
    if others:
        raise click.BadParameter(
            f"'{printable(others[0])}' is not a process model (.bpmn, or .xml holding BPMN); several files are read "
            "together only as process models of one org.",
            ctx,
            param,
        )
    return values


input_options = [
    click.argument("handoffs", nargs=-1, required=True, type=click.Path(dir_okay=False), callback=_one_or_models),
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

outcome_option = click.option(
    "--outcome",
    "outcomes",
    multiple=True,
    metavar="NAME",
    help="Process models (.bpmn): an end event that reaches the customer (repeatable); its lane hands off to the "
    "customer ('customer', or the one --customer).",
)
input_options.append(outcome_option)


def _fields() -> tuple[str, ...]:
    from valuechain.io.columns import HANDOFF_FIELDS, PARTY_FIELDS
    from valuechain.model import DECISION_ONLY

    return (*HANDOFF_FIELDS, *PARTY_FIELDS, *DECISION_ONLY)


def parse_columns(ctx: click.Context | None, param: click.Parameter | None, values: Sequence[str]) -> dict[str, str]:
    """The values of ``--column FIELD=HEADER`` as the ``columns=`` of :func:`valuechain.load`.

    The field is any field of either table (case ignored); the header is the
    column's header as the file has it (surrounding spaces ignored, as the
    readers ignore them). A value without ``=``, an unknown field, a field
    given twice, or one header for two fields of the same table is a usage
    error that lists the fields.

    Examples
    --------
    >>> parse_columns(None, None, ["source=From Team", "Essential=Needed?", "id=Team code"])
    {'source': 'From Team', 'essential': 'Needed?', 'id': 'Team code'}
    >>> parse_columns(None, None, ["sorce=From Team"])
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'sorce' is not a field; the fields are source, target, deliverable, essential, \
id, name, kind, group, primary, headcount, cost, finding, decision, owner, due, note.
    """
    from valuechain.io.columns import HANDOFF_FIELDS, PARTY_FIELDS
    from valuechain.model import DECISION_ONLY

    fields = _fields()
    listed = f"the fields are {', '.join(fields)}"
    columns: dict[str, str] = {}
    for value in values:
        field, equals, header = (part.strip() for part in value.partition("="))
        field = field.lower()
        if not equals or not field or not header:
            raise click.BadParameter(
                f"'{printable(value)}' is not FIELD=HEADER (for example --column \"source=From team\"); {listed}.",
                ctx,
                param,
            )
        if field not in fields:
            raise click.BadParameter(f"'{printable(field)}' is not a field; {listed}.", ctx, param)
        if field in columns:
            raise click.BadParameter(
                f"the field '{field}' is given twice ('{printable(columns[field])}' and '{printable(header)}'); "
                f"give each field once; {listed}.",
                ctx,
                param,
            )
        columns[field] = header
    for table, table_fields in (
        ("hand-offs", HANDOFF_FIELDS),
        ("parties", PARTY_FIELDS),
        ("decisions", DECISION_ONLY),
    ):
        holder: dict[str, str] = {}
        for field, header in columns.items():
            if field in table_fields:
                if header in holder:
                    raise click.BadParameter(
                        f"the {table} column '{printable(header)}' is given for two fields, '{holder[header]}' and "
                        f"'{field}'; a column holds one field; {listed}.",
                        ctx,
                        param,
                    )
                holder[header] = field
    return columns


column_option = click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=HEADER",
    callback=parse_columns,
    help="Which header holds a field, where valuechain does not recognise it (repeatable), e.g. "
    '--column "source=From team" --column "essential=Needed?". Fields of either table: source, target, '
    "deliverable, essential, id, name, kind, group, primary, headcount, cost; of the decisions file: finding, "
    "decision, owner, due, note (and id, where the decisions file has the header given for the parties').",
)
input_options.append(column_option)


def _as_of_option(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> dt.date | None:
    """``--as-of``: a date written YYYY-MM-DD (any year), else a usage error."""
    from valuechain.decisions import _date

    if value is None:
        return None
    day = _date(value)
    if day is None:
        raise click.BadParameter(f"'{printable(value)}' is not a date; write it as YYYY-MM-DD.", ctx, param)
    return day


decision_options = [
    click.option(
        "--decisions",
        type=click.Path(dir_okay=False),
        default=None,
        help="Review decisions (CSV or an Excel sheet 'decisions'): one row per finding decided (finding, id, "
        "decision, owner, due, note); see docs/FORMATS.md.",
    ),
    click.option(
        "--as-of",
        "as_of",
        metavar="DATE",
        default=None,
        callback=_as_of_option,
        help="The day that decides which decisions are overdue, YYYY-MM-DD (default: today).",
    ),
]


def _all_of(options: list[Callable[[Command], Command]]) -> Callable[[Command], Command]:
    """One decorator giving a command every option of ``options``, in the order listed (as ``--help`` shows them).

    Examples
    --------
    >>> @click.command()
    ... @_all_of(decision_options)
    ... def review(decisions, as_of):
    ...     pass
    >>> [p.name for p in review.params]
    ['decisions', 'as_of']
    """

    def decorate(f: Command) -> Command:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


#: The options ``--decisions`` and ``--as-of``.
with_decisions = _all_of(decision_options)


#: ``--previous`` and ``--previous-parties`` of ``analyze`` and ``check``: last review's org, read only to know
#: which parties have left since (``report`` and ``brief`` also say what changed).
last_review_options = [
    click.option(
        "--previous",
        type=click.Path(dir_okay=False),
        default=None,
        help="With --decisions: last review's hand-offs, so that a decision on a party that has left since is "
        "listed as such instead of refused as no party.",
    ),
    click.option("--previous-parties", type=click.Path(dir_okay=False), help="Last review's parties table."),
]


#: The options ``--previous`` and ``--previous-parties``, for decisions that name a party that has left.
with_last_review = _all_of(last_review_options)


def _last_review(
    previous: str | None,
    previous_parties: str | None,
    decisions: str | None,
    customers: Sequence[str],
    columns: dict[str, str],
    outcomes: Sequence[str],
) -> vc.Chain | None:
    """Last review's org when ``--previous`` is given (with ``--decisions``, which it is read for), else None."""
    if previous is not None and decisions is None:
        raise click.UsageError("--previous is read only with --decisions: it says which parties have left since")
    return _earlier_version(previous, previous_parties, customers, columns, outcomes)


def _earlier_version(
    previous: str | None,
    previous_parties: str | None,
    customers: Sequence[str],
    columns: dict[str, str],
    outcomes: Sequence[str],
) -> vc.Chain | None:
    """The org's earlier version of ``--previous`` and ``--previous-parties`` (None without them)."""
    if previous_parties is not None and previous is None:
        raise click.UsageError("--previous-parties needs --previous: the earlier version's hand-offs")
    if previous is None:
        return None
    return _load(previous, previous_parties, customers, Progress(), columns, "--previous-parties", outcomes=outcomes)


def _decide(
    chain: vc.Chain,
    decisions: str | None,
    as_of: dt.date | None,
    columns: dict[str, str] | None,
    previous: vc.Chain | None = None,
) -> vc.Chain:
    """``chain`` with its decisions, judged against ``previous``'s ids too (a party that left)."""
    from valuechain.model import decision_columns

    if decisions is None:
        return chain
    mapped = decision_columns(columns or {})
    return chain.with_decisions(decisions, as_of=as_of, previous=previous, columns=mapped or None)


def _warnings(chain: vc.Chain, earlier: vc.Chain | None = None) -> list[Problem]:
    """The warnings of everything a command read: the org, its decisions file, and last review's org."""
    of_decisions = chain.decisions.warnings if chain.decisions is not None else []
    return [*chain.warnings, *of_decisions, *(earlier.warnings if earlier is not None else [])]


def _fail_on_met(found: vc.Findings, key: str) -> str | None:
    """What meets ``--fail-on key``, in words ("9 orphaned teams", "51 findings undecided, 1 overdue"), or None
    when nothing does. ``undecided`` counts undecided and overdue findings (every finding when no decisions are
    given).

    Examples
    --------
    >>> import valuechain as vc
    >>> found = vc.load("data/phone-repair/handoffs.csv", parties="data/phone-repair/parties.csv").analyze()
    >>> _fail_on_met(found, "orphans"), _fail_on_met(found, "undecided"), _fail_on_met(found, "mutual_pairs")
    ('1 orphaned team', '5 findings undecided (no decisions given)', '1 mutual pair')
    """
    summary = found.summary
    if key != "undecided":
        n = int(summary[key])
        return next(f for f in Finding if f.key == key).counted(n) if n else None
    if summary.undecided is None:
        total = sum(int(summary[k]) for k in FINDING_COUNTS)
        return f"{counted(total, 'finding')} undecided (no decisions given)" if total else None
    if not (summary.undecided or summary.overdue):
        return None
    return f"{counted(int(summary.undecided), 'finding')} undecided, {summary.overdue:,} overdue"


def refuse_overwrite(outputs: dict[str, str | os.PathLike | None], inputs: dict[str, str | os.PathLike | None]) -> None:
    """Refuse to write an output file that is one of the files the command reads, or another output.

    Two paths are the same file when, the output existing, both have the same
    device and inode (a symlink or a hard link to the input is the input), or
    else when they resolve to the same path.

    Parameters
    ----------
    outputs : dict
        The option that names each output (``"--output"``) and its path; ``None`` paths are skipped.
    inputs : dict
        What each input is (``"hand-offs"``, ``"parties"``, ``"event log"``) and its path; ``None`` paths are
        skipped.

    Raises
    ------
    click.BadParameter
        Naming the option, the output path and the input it would overwrite (exit 2).

    Examples
    --------
    >>> refuse_overwrite({"--output": "report.html"}, {"hand-offs": "data/restaurant/handoffs.csv"})
    >>> refuse_overwrite({"--output": "./data/restaurant/handoffs.csv"}, {"hand-offs": "data/restaurant/handoffs.csv"})
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: './data/restaurant/handoffs.csv' is the same file as the hand-offs \
'data/restaurant/handoffs.csv', which this command reads; writing it would destroy the input. Choose another file name.
    """
    written: list[tuple[str, str | os.PathLike]] = []
    for option, output in outputs.items():
        if output is None:
            continue
        shown = printable(os.fspath(output))
        for name, path in inputs.items():
            if path is not None and _same_file(output, path):
                raise click.BadParameter(
                    f"'{shown}' is the same file as the {name} '{printable(os.fspath(path))}', which this command "
                    "reads; writing it would destroy the input. Choose another file name.",
                    param_hint=f"'{option}'",
                )
        for other, path in written:
            if _same_file(output, path):
                raise click.BadParameter(
                    f"'{shown}' is the same file as '{printable(os.fspath(path))}', which {other} writes; "
                    "one would overwrite the other. Choose another file name.",
                    param_hint=f"'{option}'",
                )
        written.append((option, output))


def _same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two paths name one file: same device and inode when both exist, else the same resolved path."""
    try:
        first, second = os.stat(a), os.stat(b)
    except OSError:
        try:
            return Path(a).resolve() == Path(b).resolve()
        except (OSError, RuntimeError):  # a symlink loop
            return os.path.abspath(a) == os.path.abspath(b)
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


#: The input options every command that reads one org takes: the hand-offs, ``--parties``, ``--customer``,
#: ``--column`` (the list is complete by the time a command is decorated).
with_inputs = _all_of(input_options)


class TerminalSafeGroup(click.Group):
    """A command group whose usage errors show control characters escaped, like everything else written.

    click quotes most values it complains about with ``repr``, but not all
    ("Got unexpected extra argument (...)"), and our own ``click.BadParameter``
    messages quote ids and headers: every :class:`click.ClickException` that
    parsing or a command raises has its message passed through :func:`printable`.
    """

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.ClickException as exc:
            _escape_message(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            _escape_message(exc)
            raise


def _escape_message(exc: click.ClickException) -> None:
    """The message of a usage error with its control characters escaped, before click shows it."""
    # click's stubs declare ``message`` Final; replacing it is how its text is escaped before click prints it
    exc.message = printable(exc.message)  # type: ignore[misc]


@click.group(cls=TerminalSafeGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(vc.__version__, prog_name="valuechain")
def main() -> None:
    """Map how an organisation's work reaches its external customer.

    Reads hand-offs (who delivers what to whom) and parties from CSV or Excel,
    graph files or BPMN process models, and finds teams with no path to the customer (orphans), loops and mutual
    dependencies, and the single points of failure every path hangs on.
    """


def format_option(choices: list[str], help: str) -> Callable[[Command], Command]:
    """The ``--format`` option; the first choice is the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help=help)


def _grouping(ctx: click.Context | None, param: click.Parameter | None, by: str | None) -> str | None:
    """``--by``: refuse the columns that hold numbers per team before any file is read."""
    from valuechain.scenarios.rollup import MEASURES

    if by is not None and by.strip().lower() in MEASURES:
        raise click.BadParameter(
            f"'{by}' holds a number per team (people or money), to be added up, not a grouping; "
            "roll up by a column of names or codes, such as --by group.",
            ctx,
            param,
        )
    return by


def _check_grouping(chain: vc.Chain, by: str) -> None:
    """``--by``: a column the parties can be rolled up by (known once the input is read), else a usage error."""
    from valuechain.scenarios.rollup import check_grouping

    try:
        check_grouping(chain.parties, by)
    except InputError as err:
        (problem,) = err.problems
        hint = ' (a column with another header can be mapped with --column, e.g. --column "group=Dept")'
        raise click.BadParameter(f"{problem.message}; {problem.hint}{hint}", param_hint="'--by'") from err


@main.command()
@with_inputs
@with_decisions
@with_last_review
@format_option(["table", "json"], "A readable table, or the JSON of docs/FORMATS.md (compact above 10,000 parties).")
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    type=click.Choice(FAIL_ON),
    help="Exit 1 when the analysis finds any of these (repeatable); undecided: any finding with no decision "
    "or past its due date.",
)
@click.option(
    "--by",
    "by",
    metavar="COLUMN",
    default=None,
    callback=_grouping,
    help="Also roll the findings up by this party column, e.g. --by group (departments); "
    "a column of codes or yes/no rolls up by its values.",
)
def analyze(
    handoffs: tuple[str, ...],
    parties: str | None,
    customers: tuple[str, ...],
    columns: dict[str, str],
    outcomes: tuple[str, ...],
    decisions: str | None,
    as_of: dt.date | None,
    previous: str | None,
    previous_parties: str | None,
    fmt: str,
    fail_on: tuple[str, ...],
    by: str | None,
) -> None:
    """Analyse an organisation: orphans, loops, mutual pairs, single points of failure.

    \b
    Examples:
      valuechain analyze data/restaurant/handoffs.csv --parties data/restaurant/parties.csv
      valuechain analyze data/midsize/handoffs.csv --parties data/midsize/parties.csv --by group
      valuechain analyze data/order-to-cash/order-to-cash.bpmn --customer Customer
      valuechain analyze data/midsize-reorganised/handoffs.csv -p data/midsize-reorganised/parties.csv \
        --decisions data/midsize/decisions.csv --previous data/midsize/handoffs.csv \
        --previous-parties data/midsize/parties.csv --fail-on undecided
    """

    def run() -> int:
        progress = Progress()
        earlier = _last_review(previous, previous_parties, decisions, customers, columns, outcomes)
        chain = _load(handoffs, parties, customers, progress, columns, outcomes=outcomes)
        chain = _decide(chain, decisions, as_of, columns, previous=earlier)
        if by:
            _check_grouping(chain, by)
        _print_problems(_warnings(chain, earlier))
        progress(f"analysing {len(chain.parties):,} parties")
        found = chain.analyze()
        if by:
            progress(f"rolling the findings up by {by}")
        rolled = chain.rollup(by) if by else None
        progress("writing the findings")
        result = found.to_dict(plain_maps=False)
        if rolled is not None:
            result[f"by_{by}"] = rolled.to_dict()
        if fmt == "json":
            echo_json(to_json(result))
        else:
            echo(render_findings(found, _named(handoffs)))
            if rolled is not None and by:
                echo(render_rollup(rolled, by))
        met = [said for said in (_fail_on_met(found, key) for key in dict.fromkeys(fail_on)) if said]
        if met:
            echo(f"valuechain: exit 1, --fail-on met: {'; '.join(met)}", err=True)
        return 1 if met else 0

    _guarded(run)


@main.command()
@with_inputs
@with_decisions
@with_last_review
@format_option(["text", "json"], "Sentences on stderr, or every problem as JSON on stdout.")
def check(
    handoffs: tuple[str, ...],
    parties: str | None,
    customers: tuple[str, ...],
    columns: dict[str, str],
    outcomes: tuple[str, ...],
    decisions: str | None,
    as_of: dt.date | None,
    previous: str | None,
    previous_parties: str | None,
    fmt: str,
) -> None:
    """Validate the input only: list every problem, with file, row and column.

    Exit 0 when the files can be analysed (warnings allowed), 2 when they cannot.
    """

    def run() -> int:
        try:
            earlier = _last_review(previous, previous_parties, decisions, customers, columns, outcomes)
            chain = _load(handoffs, parties, customers, Progress(), columns, outcomes=outcomes)
            chain = _decide(chain, decisions, as_of, columns, previous=earlier)
        except InputError as exc:
            if fmt == "json":
                echo_json(to_json([p.to_dict() for p in exc.problems]))
                return 2
            raise
        warnings = _warnings(chain, earlier)
        if fmt == "json":
            echo_json(to_json([p.to_dict() for p in warnings]))
        else:
            _print_problems(warnings)
            w = len(warnings)
            read = f", {counted(len(chain.decisions.table), 'decision')}" if chain.decisions is not None else ""
            echo(
                f"OK: {len(chain.parties):,} parties, {len(chain.handoffs):,} hand-offs{read}, "
                f"customers: {', '.join(chain.customers)}" + (f"; {w} warning{'s' if w != 1 else ''}" if w else "")
            )
        return 0

    _guarded(run)


def _pairs(values: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in values]


@main.command()
@with_inputs
@click.option("--remove", "-r", multiple=True, metavar="ID", help="Take this party away (repeatable).")
@click.option(
    "--remove-handoff",
    nargs=2,
    multiple=True,
    metavar="SRC TGT",
    help="Take away the hand-offs from SRC to TGT (repeatable).",
)
@click.option(
    "--add-handoff",
    nargs=2,
    multiple=True,
    metavar="SRC TGT",
    help="Add an essential hand-off from SRC to TGT (repeatable).",
)
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True,
              help="Rows of the ranking shown in the table.")  # fmt: skip
@with_decisions
@format_option(["table", "json"], "A readable table, or JSON.")
def whatif(
    handoffs: tuple[str, ...],
    parties: str | None,
    customers: tuple[str, ...],
    columns: dict[str, str],
    outcomes: tuple[str, ...],
    remove: tuple[str, ...],
    remove_handoff: tuple[tuple[str, str], ...],
    add_handoff: tuple[tuple[str, str], ...],
    top: int,
    decisions: str | None,
    as_of: dt.date | None,
    fmt: str,
) -> None:
    """What breaks if parties or hand-offs go, or what mends if hand-offs are added.

    Without --remove or --add-handoff: the ranking of what hangs on each party
    and each hand-off (how many teams would lose their path without it alone).
    With --decisions: which decisions the change would complete, and which stay open.

    \b
    Examples:
      valuechain whatif data/midsize/handoffs.csv -p data/midsize/parties.csv --remove sc-warehouse
      valuechain whatif data/midsize/handoffs.csv -p data/midsize/parties.csv --add-handoff hr-wellbeing cs-contact
      valuechain whatif data/midsize/handoffs.csv -p data/midsize/parties.csv
    """

    def run() -> int:
        chain = _load(handoffs, parties, customers, Progress(), columns, outcomes=outcomes)
        chain = _decide(chain, decisions, as_of, columns)
        _print_problems(_warnings(chain))
        if not (remove or remove_handoff or add_handoff):
            ranking = chain.rank()
            if fmt == "json":
                echo_json(to_json({"parties": records(ranking.parties), "handoffs": records(ranking.handoffs)}))
            else:
                echo(render_ranking(ranking, top))
            return 0
        scenario = chain.whatif(remove=remove, remove_handoffs=_pairs(remove_handoff), add_handoffs=_pairs(add_handoff))
        if fmt == "json":
            echo_json(to_json(scenario.to_dict()))
        else:
            echo(render_whatif(scenario))
        return 0

    _guarded(run)


@main.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--old-parties", type=click.Path(dir_okay=False), help="The parties table of the old version.")
@click.option("--new-parties", type=click.Path(dir_okay=False), help="The parties table of the new version.")
@click.option("--customer", "-c", "customers", multiple=True, metavar="ID", help="External customer id (repeatable).")
@column_option
@outcome_option
@with_decisions
@format_option(["table", "json"], "A readable table, or JSON.")
def diff(
    old: str,
    new: str,
    old_parties: str | None,
    new_parties: str | None,
    customers: tuple[str, ...],
    columns: dict[str, str],
    outcomes: tuple[str, ...],
    decisions: str | None,
    as_of: dt.date | None,
    fmt: str,
) -> None:
    """Compare two versions of an org: what was added, removed, changed, and what it did to the findings.

    \b
    Example:
      valuechain diff data/midsize/handoffs.csv data/midsize-reorganised/handoffs.csv \\
        --old-parties data/midsize/parties.csv --new-parties data/midsize-reorganised/parties.csv
    """

    def run() -> int:
        # --column applies to both versions: an export keeps its headers from one version to the next
        before = _load(old, old_parties, customers, Progress(), columns, "--old-parties", outcomes=outcomes)
        after = _load(new, new_parties, customers, Progress(), columns, "--new-parties", outcomes=outcomes)
        after = _decide(after, decisions, as_of, columns, previous=before)
        _print_problems(before.warnings + _warnings(after))
        result = before.diff(after)
        review = after.analyze().review if decisions is not None else None
        if fmt == "json":
            out = result.to_dict()
            if review is not None:
                out["decisions"] = review.to_dict()
            echo_json(to_json(out))
        else:
            echo(render_diff(result))
            if review is not None:
                echo("\n".join(["", *render_decisions(review)]))
        return 0

    _guarded(run)


def _write_for_leaders(
    what: str,
    write: Callable[..., Any],
    handoffs: tuple[str, ...],
    parties: str | None,
    customers: tuple[str, ...],
    columns: dict[str, str],
    outcomes: tuple[str, ...],
    decisions: str | None,
    as_of: dt.date | None,
    output: str,
    previous: str | None,
    previous_parties: str | None,
    title: str,
) -> None:
    """What ``report`` and ``brief`` share: read the org (and an earlier version), write ``output`` with ``write``."""

    def run() -> int:
        refuse_overwrite(
            {"--output": output},
            {
                **_inputs(handoffs),
                "parties": parties,
                "previous hand-offs": previous,
                "previous parties": previous_parties,
            },
        )
        earlier = _earlier_version(previous, previous_parties, customers, columns, outcomes)
        chain = _load(handoffs, parties, customers, Progress(), columns, outcomes=outcomes)
        chain = _decide(chain, decisions, as_of, columns, previous=earlier)
        _print_problems(_warnings(chain, earlier))
        _stage[0] = f"writing {what} {output}"
        try:
            path = write(chain, output, previous=earlier, title=title)
        except OutputError:
            raise
        except (ValueError, RuntimeError) as exc:  # raised by a library the writer uses
            raise OutputError(str(exc)) from exc
        echo(f"wrote {path}")
        return 0

    _guarded(run)


@main.command()
@with_inputs
@with_decisions
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The report file: "
              ".html, .pdf, .md, .xlsx or .csv (the orphaned teams).")  # fmt: skip
@click.option("--previous", type=click.Path(dir_okay=False), help="An earlier version's hand-offs: adds what changed.")
@click.option("--previous-parties", type=click.Path(dir_okay=False), help="The earlier version's parties table.")
@click.option("--title", default="Value chain report", show_default=True, help="The report's title.")
def report(
    handoffs: tuple[str, ...],
    parties: str | None,
    customers: tuple[str, ...],
    columns: dict[str, str],
    outcomes: tuple[str, ...],
    decisions: str | None,
    as_of: dt.date | None,
    output: str,
    previous: str | None,
    previous_parties: str | None,
    title: str,
) -> None:
    """Write the leaders' report: who has no line of sight to the customer, why, and what to do.

    \b
    Examples:
      valuechain report data/midsize/handoffs.csv -p data/midsize/parties.csv -o report.html
      valuechain report data/midsize-reorganised/handoffs.csv -p data/midsize-reorganised/parties.csv \\
        --previous data/midsize/handoffs.csv --previous-parties data/midsize/parties.csv -o report.pdf
    """
    from valuechain.report import write

    _write_for_leaders("the report", write, handoffs, parties, customers, columns, outcomes, decisions, as_of,
                       output, previous, previous_parties, title)  # fmt: skip


@main.command()
@with_inputs
@with_decisions
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The brief: .pdf or .png "
              "(one landscape A4 page, printed by Chromium) or .html.")  # fmt: skip
@click.option("--previous", type=click.Path(dir_okay=False), help="An earlier version's hand-offs: adds what improved "
              "and what got worse.")  # fmt: skip
@click.option("--previous-parties", type=click.Path(dir_okay=False), help="The earlier version's parties table.")
@click.option("--title", default="Value chain brief", show_default=True, help="The brief's title.")
def brief(
    handoffs: tuple[str, ...],
    parties: str | None,
    customers: tuple[str, ...],
    columns: dict[str, str],
    outcomes: tuple[str, ...],
    decisions: str | None,
    as_of: dt.date | None,
    output: str,
    previous: str | None,
    previous_parties: str | None,
    title: str,
) -> None:
    """Write the one-page brief: the headline, the chain, and at most seven things to decide.

    \b
    Examples:
      valuechain brief data/midsize/handoffs.csv -p data/midsize/parties.csv -o brief.pdf
      valuechain brief data/midsize-reorganised/handoffs.csv -p data/midsize-reorganised/parties.csv \\
        --previous data/midsize/handoffs.csv --previous-parties data/midsize/parties.csv -o brief.png
    """
    from valuechain.report.brief import write as write_brief

    _write_for_leaders("the brief", write_brief, handoffs, parties, customers, columns, outcomes, decisions, as_of,
                       output, previous, previous_parties, title)  # fmt: skip


@main.command()
@with_inputs
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="The graph file: .graphml (yEd, Gephi), .gexf (Gephi) or .json (node-link).")  # fmt: skip
def export(
    handoffs: tuple[str, ...],
    parties: str | None,
    customers: tuple[str, ...],
    columns: dict[str, str],
    outcomes: tuple[str, ...],
    output: str,
) -> None:
    """Write the chain as a graph file for other tools, every party and hand-off attribute kept.

    \b
    Example:
      valuechain export data/midsize/handoffs.csv -p data/midsize/parties.csv -o midsize.graphml
    """
    from valuechain.export import export as write_graph

    def run() -> int:
        refuse_overwrite({"--output": output}, {**_inputs(handoffs), "parties": parties})
        chain = _load(handoffs, parties, customers, Progress(), columns, outcomes=outcomes)
        _print_problems(chain.warnings)
        _stage[0] = f"writing {output}"
        try:
            path = write_graph(chain, output)
        except OutputError:
            raise
        except ValueError as exc:  # raised by a library the export uses
            raise OutputError(str(exc)) from exc
        echo(f"wrote {path}")
        return 0

    _guarded(run)


def _log_files_read(logs: tuple[str, ...]) -> dict[str, str | os.PathLike | None]:
    """The files that globs and folders among ``logs`` name, as inputs an output must not overwrite (none when
    they name nothing readable: reading the log says so).

    Examples
    --------
    >>> _log_files_read(("data/order-to-delivery/*.csv",))
    {'event log (file 1)': PosixPath('data/order-to-delivery/events.csv')}
    """
    from valuechain.eventlog.duck import log_files

    try:
        files = log_files(list(logs)) or []
    except InputError:
        return {}
    return {f"event log (file {i + 1})": path for i, path in enumerate(files)}


@main.command("from-log")
@click.argument("logs", metavar="LOG...", nargs=-1, required=True)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The hand-offs CSV to write.")
@click.option("--parties-output", type=click.Path(dir_okay=False), help="The parties CSV to write.")
@click.option(
    "--outcome",
    "outcomes",
    multiple=True,
    metavar="ACTIVITY",
    help="An activity that ends a case at the customer (repeatable); by default every case does.",
)
@click.option("--customer", default="customer", show_default=True, help="The external customer's id.")
@click.option("--case", help="The case id column (default: case:concept:name or a synonym).")
@click.option("--activity", help="The activity column (default: concept:name or a synonym).")
@click.option("--team", help="The team column (default: org:group, else org:resource, or a synonym).")
@click.option("--time", help="The timestamp column (default: time:timestamp or a synonym).")
@click.option("--time-format", help="A strftime format for the timestamps, e.g. %d/%m/%Y %H:%M (faster).")
@click.option("--team-map", type=click.Path(dir_okay=False), help="A CSV of person,team: people become teams.")
@click.option("--pseudonymise", is_flag=True, help="Replace people's names by stable codes in what is written.")
@click.option(
    "--memory-limit",
    metavar="SIZE",
    help="DuckDB's memory limit, e.g. 2GB (default: 80% of the memory); beyond it, it spills to a temporary folder.",
)
@click.option("--temp-directory", type=click.Path(file_okay=False), help="Where DuckDB spills (default: a fresh one).")
@click.option(
    "--approximate-waits", is_flag=True, help="Approximate median and 90th-percentile waits (bounded memory)."
)
def from_log_command(
    logs: tuple[str, ...],
    output: str,
    parties_output: str | None,
    outcomes: tuple[str, ...],
    customer: str,
    case: str | None,
    activity: str | None,
    team: str | None,
    time: str | None,
    time_format: str | None,
    team_map: str | None,
    pseudonymise: bool,
    memory_limit: str | None,
    temp_directory: str | None,
    approximate_waits: bool,
) -> None:
    """Build hand-offs from an event log (case, activity, team, timestamp), for valuechain analyze.

    LOG is a CSV, Parquet, Excel or XES file; CSV and Parquet logs can also be a folder, a quoted glob
    ('events/*.parquet') or several paths, read together in order by DuckDB, out of core.

    \b
    Example:
      valuechain from-log data/order-to-delivery/events.csv --outcome "deliver order" \\
        -o handoffs.csv --parties-output parties.csv
      valuechain analyze handoffs.csv -p parties.csv
      valuechain from-log 'events/*.parquet' --memory-limit 2GB -o handoffs.csv
    """
    from valuechain.eventlog import from_log
    from valuechain.report.safe import FORMULA_STARTS

    def run() -> int:
        inputs: dict[str, str | os.PathLike | None] = {"team map": team_map}
        inputs.update({f"event log {i + 1}" if len(logs) > 1 else "event log": log for i, log in enumerate(logs)})
        inputs.update(_log_files_read(logs))  # a glob or folder reads files its text does not name
        refuse_overwrite({"--output": output, "--parties-output": parties_output}, inputs)
        progress = Progress()
        progress(f"reading {', '.join(logs)}{_size(logs[0]) if len(logs) == 1 else ''}")
        chain = from_log(
            logs[0] if len(logs) == 1 else list(logs), outcomes=list(outcomes) or None, customer=customer, case=case,
            activity=activity, team=team, time=time, time_format=time_format, team_map=team_map,
            pseudonymise=pseudonymise, memory_limit=memory_limit, temp_directory=temp_directory,
            approximate_waits=approximate_waits,
        )  # fmt: skip
        # written to be read back as input: ids stay exact (a team '-ops' stays '-ops'), and are warned about
        chain.handoffs.to_csv(output, index=False)
        if parties_output:
            chain.parties[["id", "name", "kind"]].to_csv(parties_output, index=False)
        values = pd.unique(pd.concat([chain.handoffs[c] for c in ("source", "target", "deliverable")]).astype(str))
        formula_like = [v for v in values if v.startswith(FORMULA_STARTS)]
        if formula_like:
            shown = ", ".join(f"'{v}'" for v in formula_like[:5]) + (", ..." if len(formula_like) > 5 else "")
            message = (
                f"{counted(len(formula_like), 'id or activity', 'ids or activities')} start with =, +, -, @, a tab or "
                f"a carriage return "
                f"({shown}); they are written exactly, as the file is meant for valuechain"
            )
            hint = "a spreadsheet may read those cells as formulas: open the file there only as text"
            files = f"{output}" + (f" and {parties_output}" if parties_output else "")
            chain.warnings = [*chain.warnings, Problem.warning(files, message, hint, code=Code.SUSPICIOUS_TEXT)]
        _print_problems(chain.warnings)
        log_findings = chain.log
        if log_findings is None:  # pragma: no cover - from_log always sets it
            raise RuntimeError("from_log returned a chain without its log findings")
        echo(
            f"wrote {output}: {counted(len(chain.handoffs), 'hand-off')} from {counted(log_findings.cases, 'case')} "
            f"and {counted(log_findings.events, 'event')}"
            + (f"; {parties_output}: {counted(len(chain.parties), 'party', 'parties')}" if parties_output else "")
        )
        found_in_log = render_log(log_findings)
        if found_in_log:
            echo(found_in_log)
        return 0

    _guarded(run)


if __name__ == "__main__":  # pragma: no cover
    main()
