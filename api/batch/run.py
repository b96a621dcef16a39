"""A whole batch run: open the input, resume or start the work folder, screen the chunks (here or on Dask),
merge the parts into the output in input order, write the report, remove the work folder."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from pyarrow import ArrowException

from api.batch.checkpoint import MANIFEST_VERSION, WorkFolder, work_folder_url
from api.batch.engine_id import engine_fingerprint
from api.batch.files import remove_leftover_temps, write_atomically
from api.batch.local_runner import ChunkJob, chunked, run_locally
from api.batch.options import BatchOptions, BatchStopped, BatchUsageError
from api.batch.progress import Progress
from api.batch.readers import Source, input_format_of, open_source
from api.batch.report import render_report
from api.batch.tally import Tally
from api.batch.writers import open_writer
from rules.engine import ENGINE_VERSION


@dataclass
class BatchResult:
    tally: Tally
    outputs: list[str]
    report: str
    seconds: float
    resumed_notes: int = 0
    timeline: list[tuple[float, int]] = field(default_factory=list)  # (time, notes screened) per chunk


def run_batch(options: BatchOptions, progress_stream: TextIO | None = None) -> BatchResult:
    started = time.monotonic()
    input_format, output_format = input_format_of(options.source), options.output_format
    if _same_file(options.source, options.output):
        raise BatchUsageError(f"-o/--output: {options.output} is the input file; write the output elsewhere")
    if options.dask and input_format != "parquet":
        raise BatchUsageError(f"--dask: reads Parquet input; {options.source} is {input_format}")
    try:
        source = open_source(options.source, options.mapping, input_format)
        wanted = _manifest(source, options)
    except OSError as exc:
        raise BatchUsageError(f"{options.source}: cannot read it ({exc.strerror or type(exc).__name__})") from None
    work = WorkFolder(work_folder_url(options.output))
    try:
        manifest = work.open(wanted, options.resume)
    except OSError as exc:
        raise BatchStopped(f"cannot start the work folder {work.url} ({exc.strerror or type(exc).__name__})") from None
    run_date = dt.date.fromisoformat(manifest["run_date"])
    done = work.done()
    job = ChunkJob(options.mapping, run_date, work.url)
    progress = Progress(source.size, options.progress_seconds, progress_stream)
    try:
        if options.dask:
            from api.batch.dask_runner import run_on_dask

            chunk_count = run_on_dask(options.dask, source, options.chunk_rows, done, job, options.jobs, progress)
        else:
            chunk_count = run_locally(chunked(source.rows(), options.chunk_rows), done, job, options.jobs, progress)
    except BatchUsageError:  # e.g. the Dask scheduler cannot be reached: nothing was done, leave nothing
        if not work.done():
            work.remove()
        raise
    except OSError as exc:
        raise BatchStopped(f"{exc.strerror or exc} ({type(exc).__name__}); finished chunks are kept") from None
    except ArrowException as exc:  # the input is damaged part way (a Parquet page that cannot be decoded)
        raise BatchStopped(f"{options.source}: unreadable part way ({type(exc).__name__}); finished chunks "
                           "are kept") from None
    finally:
        progress.close()
    try:
        tally, outputs = merge(work, chunk_count, options.output, output_format)
        write_atomically(options.report_path, render_report(tally, options, outputs).encode("utf-8"))
    except OSError as exc:
        raise BatchStopped(f"{exc.strerror or exc} while writing the output; every chunk is kept") from None
    work.remove()
    return BatchResult(tally, outputs, options.report_path, time.monotonic() - started, progress.skipped_notes,
                       progress.timeline)


def merge(work: WorkFolder, chunk_count: int, output: str, output_format: str) -> tuple[Tally, list[str]]:
    """The parts, in chunk order, into the output; the tally is counted from exactly what is written."""
    remove_leftover_temps(output)
    tally = Tally()
    with open_writer(output, output_format) as writer:
        for chunk in range(chunk_count):
            for line in work.read_part(chunk).splitlines(keepends=True):
                record = json.loads(line)
                tally.add(record)
                writer.write(record, line)
    return tally, writer.paths


def _same_file(source: str, output: str) -> bool:
    import fsspec

    (in_fs, in_path), (out_fs, out_path) = fsspec.core.url_to_fs(source), fsspec.core.url_to_fs(output)
    return type(in_fs) is type(out_fs) and in_path == out_path


def _manifest(source: Source, options: BatchOptions) -> dict[str, Any]:
    """What decides the output: the input, the column mapping, the chunking and the engine. The run date is
    kept too but is not compared: a resumed run uses the first run's date."""
    return {
        "version": MANIFEST_VERSION,
        "input": source.fingerprint(),
        "engine": f"{ENGINE_VERSION}+{engine_fingerprint()}",
        "options": {"mapping": options.mapping.as_dict(), "chunk_rows": options.chunk_rows},
        "run_date": options.run_date.isoformat(),
    }
