"""Screen the chunks on this machine: in this process for -j 1 (or a single chunk), else in a pool of worker
processes that each load the pipeline and model once. At most two chunks per worker are in flight, so memory
stays flat whatever the input's size; each worker writes its chunk's part file itself, and the merge puts
parts in input order, so the output is the same for any number of workers."""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from api.batch.checkpoint import WorkFolder
from api.batch.mapping import ColumnMapping
from api.batch.options import BatchStopped
from api.batch.progress import Progress
from api.batch.readers import Row
from api.batch.screening import records_to_jsonl, screen_rows, warm_up

CHUNKS_IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class Chunk:
    index: int
    rows: list[Row]
    span: int  # how much of the input it covers, in the progress unit


@dataclass(frozen=True)
class ChunkDone:
    index: int
    notes: int
    failed: int
    span: int


@dataclass(frozen=True)
class ChunkJob:
    """Everything a worker needs besides the rows; small, so it pickles cheaply with every chunk."""

    mapping: ColumnMapping
    run_date: dt.date
    work_url: str

    def __call__(self, chunk: Chunk) -> ChunkDone:
        records = screen_rows(chunk.rows, self.mapping, self.run_date)
        WorkFolder(self.work_url).write_part(chunk.index, records_to_jsonl(records))
        return ChunkDone(chunk.index, len(records), sum("error" in r for r in records), chunk.span)


def chunked(rows: Iterator[Row], size: int, start_position: int = 0) -> Iterator[Chunk]:
    """Fixed-size chunks, numbered from 0: the same input always gives the same chunks (what --resume needs)."""
    position = start_position
    for index in itertools.count():
        batch = list(itertools.islice(rows, size))
        if not batch:
            return
        yield Chunk(index, batch, batch[-1].position - position)
        position = batch[-1].position


def run_locally(chunks: Iterator[Chunk], done: set[int], job: ChunkJob, jobs: int, progress: Progress) -> int:
    """Screens every chunk not already done; returns how many chunks the input has."""
    seen = 0

    def todo() -> Iterator[Chunk]:
        nonlocal seen
        for chunk in chunks:
            seen = chunk.index + 1
            if chunk.index in done:
                progress.skipped(len(chunk.rows), chunk.span)
            else:
                yield chunk

    pending = todo()
    first = list(itertools.islice(pending, jobs))  # no more workers than chunks: each loads the model
    work = itertools.chain(first, pending)
    if len(first) < 2:
        for chunk in work:
            _report(progress, job(chunk))
    else:
        _in_pool(work, job, len(first), progress)
    return seen


def _report(progress: Progress, result: ChunkDone) -> None:
    progress.advance(result.notes, result.failed, result.span)


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    warm_up()


def _in_pool(work: Iterator[Chunk], job: Callable[[Chunk], ChunkDone], jobs: int, progress: Progress) -> None:
    # spawn, not fork: the parent may hold threads (progress bar, a test's Dask client)
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker)
    pending: set[Future[ChunkDone]] = set()
    try:
        for chunk in work:
            while len(pending) >= CHUNKS_IN_FLIGHT_PER_WORKER * jobs:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    _report(progress, future.result())
            pending.add(pool.submit(job, chunk))
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                _report(progress, future.result())
    except BrokenProcessPool:
        raise BatchStopped("a worker process died (out of memory?); finished chunks are kept") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
