"""Screen the chunks on a Dask distributed cluster (`--dask local` or `--dask tcp://scheduler:8786`).

Each task is one chunk: a worker reads its rows straight from the Parquet input (a local path every worker
can see, or any fsspec URL), screens them and writes the chunk's part file into the work folder beside the
output, exactly as a local worker does. Every worker loads the pipeline and model once (`warm_up` on each at
the start; `default_suggester` is cached per process). The client only keeps a bounded number of tasks in
flight and merges the parts at the end, so the output is the single-machine output, byte for byte.
"""

from __future__ import annotations

import logging
import math
import threading
import uuid
from functools import lru_cache
from typing import Any

from api.batch.local_runner import Chunk, ChunkDone, ChunkJob
from api.batch.mapping import ColumnMapping
from api.batch.options import BatchStopped, BatchUsageError
from api.batch.progress import Progress
from api.batch.readers import ParquetSource, Source
from api.batch.screening import warm_up

TASKS_IN_FLIGHT_PER_THREAD = 2
_ONE_AT_A_TIME = threading.Lock()


@lru_cache(maxsize=4)
def _parquet(url: str, columns: tuple[tuple[str, str], ...]) -> ParquetSource:
    return ParquetSource(url, ColumnMapping(dict(columns)))  # metadata read once per worker, not once per task


def screen_parquet_chunk(url: str, index: int, chunk_rows: int, job: ChunkJob) -> ChunkDone:
    """Runs on a worker."""
    source = _parquet(url, tuple(job.mapping.as_dict().items()))
    start = index * chunk_rows
    rows = list(source.rows(start, start + chunk_rows))
    with _ONE_AT_A_TIME:  # a worker started with several threads shares one pipeline: never at once
        return job(Chunk(index, rows, len(rows)))


def connect(address: str, workers: int) -> tuple[Any, Any]:
    from distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=logging.ERROR)
        return cluster, Client(cluster)
    try:
        return None, Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchUsageError(f"--dask: cannot reach the scheduler at {address} ({type(exc).__name__})") from None


def run_on_dask(address: str, source: Source, chunk_rows: int, done: set[int], job: ChunkJob, workers: int,
                progress: Progress) -> int:
    """Screens every chunk not already done; returns how many chunks the input has."""
    from distributed import KilledWorker, as_completed

    assert isinstance(source, ParquetSource)  # run_batch allows only Parquet with --dask
    chunk_count = math.ceil(source.size / chunk_rows)
    for index in sorted(done):
        rows = min(chunk_rows, source.size - index * chunk_rows)
        progress.skipped(rows, rows)
    todo = iter(index for index in range(chunk_count) if index not in done)
    cluster, client = connect(address, workers)
    try:
        client.run(warm_up)
        run = uuid.uuid4().hex[:12]  # task keys unique to this run: a shared scheduler serves other auditors too
        window = TASKS_IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))

        def submit(index: int) -> Any:
            return client.submit(screen_parquet_chunk, source.url, index, chunk_rows, job,
                                 key=f"notecode-{run}-chunk-{index}", pure=False)

        running = as_completed([submit(index) for index in _take(todo, window)])
        for future in running:
            try:
                result: ChunkDone = future.result()
            except KilledWorker:
                raise BatchStopped("Dask workers died screening a chunk (out of memory?); finished chunks "
                                   "are kept") from None
            progress.advance(result.notes, result.failed, result.span)
            future.release()
            for index in _take(todo, 1):
                running.add(submit(index))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return chunk_count


def _take(iterator: Any, count: int) -> list[int]:
    return [index for _, index in zip(range(count), iterator, strict=False)]
