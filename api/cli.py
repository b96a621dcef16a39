"""The `notecode` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.http_commands import register as register_http_commands
from api.review_commands import register as register_review_commands
from api.training_commands import register as register_training_commands
from rules.contract import Suggestion
from rules.errors import NoteError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Suggest therapy claim lines (CPT, units, modifiers, ICD-10 pointers) from treatment notes.")
register_training_commands(app)
register_http_commands(app)
register_review_commands(app)
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _read_note(path: str) -> object:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        _fail(f"{path}: {exc.strerror}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})")
    return None


def _show(suggestion: Suggestion) -> None:
    out = Console()
    if suggestion.interventions:
        found = Table(title="what the note documents")
        for column in ("CPT", "status", "minutes", "text"):
            found.add_column(column, overflow="fold")
        for item in suggestion.interventions:
            found.add_row(item.cpt or "", item.status, str(item.minutes or ""), item.text)
        out.print(found)
    table = Table(title=f"suggested lines{' for ' + suggestion.id if suggestion.id else ''}")
    for column in ("CPT", "units", "modifiers", "minutes", "ICD-10", "confidence"):
        table.add_column(column)
    for line in suggestion.lines:
        table.add_row(line.cpt, str(line.units), " ".join(line.modifiers), str(line.minutes or ""),
                      " ".join(line.icd10), f"{line.confidence:.2f}")
    out.print(table)
    for line in suggestion.lines:
        out.print(f"[bold]{line.cpt}[/bold]: {line.rationale}", highlight=False)
    for warning in suggestion.warnings:
        colour = {"error": "red", "warning": "yellow"}.get(warning.severity, "cyan")
        out.print(f"[{colour}]{warning.severity:<7}[/{colour}] {warning.code}: {warning.message}", highlight=False)
    for reason in suggestion.review:
        out.print(f"[magenta]review [/magenta] {reason}", highlight=False)
    totals = suggestion.totals
    out.print(f"timed minutes {totals.timed_minutes}, total treatment minutes {totals.total_treatment_minutes}, "
              f"timed units {totals.timed_units}, untimed units {totals.untimed_units}")


@app.command()
def suggest(
    path: Annotated[str, typer.Argument(help="a Note as JSON, or - for standard input")],
    as_json: Annotated[bool, typer.Option("--json", help="print the raw Suggestion JSON")] = False,
) -> None:
    """Suggest claim lines for one Note."""
    from api.service import suggest as suggest_note  # spaCy and the ICD-10 tables load in seconds: only when used

    raw = _read_note(path)
    try:
        suggestion = suggest_note(raw)
    except NoteError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(suggestion.model_dump_json(indent=2))
    else:
        _show(suggestion)


@app.command()
def batch(
    source: Annotated[str, typer.Argument(help="notes, one a row: .jsonl, .csv or .parquet (path or fsspec URL)")],
    output: Annotated[str, typer.Option("-o", "--output", help="where to write: .jsonl, .csv or .parquet")],
    jobs: Annotated[int | None, typer.Option("-j", "--jobs", help="worker processes (default: the cores); "
                                             "with --dask, the local cluster's workers")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="carry on an interrupted run with the same input "
                                         "and options")] = False,
    text_column: Annotated[str | None, typer.Option(help="the input column holding the note text")] = None,
    id_column: Annotated[str | None, typer.Option(help="the input column holding the note id")] = None,
    column: Annotated[list[str] | None, typer.Option("--column", help="FIELD=COLUMN for another Note field "
                                                     "(payer, date_of_service, icd10, ...); repeatable")] = None,
    report: Annotated[str | None, typer.Option(help="where to write the HTML report "
                                               "(default: OUTPUT's name with .report.html)")] = None,
    dask: Annotated[str | None, typer.Option("--dask", help="run on Dask: 'local' for a local cluster, or a "
                                             "scheduler address (tcp://host:8786); Parquet input")] = None,
    chunk_rows: Annotated[int, typer.Option(help="rows per chunk (the unit of work and of --resume)")] = 256,
    progress_seconds: Annotated[float, typer.Option(hidden=True)] = 10.0,
) -> None:
    """Screen every Note in a file: suggestions in input order, bad rows as error records, a summary and an
    HTML report. Exit code 0: all rows read; 1: some rows failed; 2: bad options or input file; 3: stopped
    part way (rerun with --resume); 130: interrupted (rerun with --resume)."""
    from api.batch import BatchOptions, BatchStopped, BatchUsageError, ColumnMapping, run_batch
    from api.batch.summary import summary_lines

    try:
        options = BatchOptions(source, output, resume=resume, report=report, dask=dask, chunk_rows=chunk_rows,
                               progress_seconds=progress_seconds,
                               mapping=ColumnMapping.build(text_column, id_column, column),
                               **({"jobs": jobs} if jobs is not None else {}))
        result = run_batch(options)
    except BatchUsageError as exc:
        _fail(str(exc))
    except BatchStopped as exc:
        _fail(f"the run stopped: {exc}; rerun the same command with --resume to finish it", 3)
    except KeyboardInterrupt:
        _fail("interrupted; finished chunks are kept: rerun the same command with --resume to finish it", 130)
    for line in summary_lines(result):
        err.print(line, highlight=False, soft_wrap=True)
    if result.tally.failed:
        raise typer.Exit(1)


@app.command("evaluate-notes")
def evaluate_notes(
    split: Annotated[str, typer.Option(
        help="dev ... dev29, test (tuned on), test2 or test3 (held out)")] = "dev",
    show: Annotated[bool, typer.Option("--show/--no-show", help="list the notes that differ from gold")] = False,
) -> None:
    """Score the note reader on the annotated notes: minutes, status, codes, measurements, billed lines."""
    from api.service import default_suggester
    from nlp.evaluation import as_note, evaluate_rows, format_report, load_split, notes_path

    if not notes_path(split).is_file():
        _fail(f"--split: no annotated notes named {split!r} in training/data/notes")
    rows = load_split(notes_path(split))
    suggestions = default_suggester().suggest_texts([as_note(row) for row in rows])
    typer.echo(format_report(evaluate_rows(rows, suggestions), split, show_failures=show))


@app.command()
def bench(
    notes: Annotated[int, typer.Option(help="how many notes (the annotated notes, repeated)")] = 2000,
    repeats: Annotated[int, typer.Option(help="interleaved runs; the best of each side is kept")] = 3,
) -> None:
    """Notes per second: the suggester beside spaCy's bare tokenizer on the same notes, and where time goes."""
    from api.bench import run_bench

    typer.echo(run_bench(notes, repeats).report())


@app.command("batch-bench")
def batch_bench(
    notes: Annotated[int, typer.Option(help="how many notes (the annotated notes, repeated)")] = 2000,
    chunk_rows: Annotated[int, typer.Option(help="rows per chunk")] = 50,
    repeats: Annotated[int, typer.Option(help="interleaved rounds; the best of each is kept")] = 2,
) -> None:
    """Notes per second through `notecode batch`: 1 and 2 workers and a local Dask cluster, beside spaCy's
    bare tokenizer on the same notes."""
    from api.batch.bench import run_batch_bench

    typer.echo(run_batch_bench(notes, chunk_rows, repeats))


@app.command("batch-memory")
def batch_memory(
    notes: Annotated[int, typer.Option(help="how many notes to generate and screen")] = 200_000,
    jobs: Annotated[int, typer.Option("-j", "--jobs", help="worker processes")] = 2,
    chunk_rows: Annotated[int, typer.Option(help="rows per chunk")] = 256,
    folder: Annotated[str | None, typer.Option(help="where to put the input and output (default: a temp folder)")]
    = None,
) -> None:
    """Memory stays flat: screens a generated input of NOTES notes and prints the resident memory of the batch
    process and its workers at 5%, 25%, 50% and 100% of the run."""
    from api.batch.memory import run_memory_check

    run_memory_check(notes, jobs, chunk_rows, folder)
