"""Batch screening: many Notes in (JSONL, CSV, Parquet), one Suggestion or error record per row out, in input
order, resumable, on this machine or a Dask cluster, with a summary and an HTML report.

Modules, one job each: options (what was asked), mapping (a row -> a raw Note), readers (stream rows),
screening (a chunk -> records), checkpoint (work folder, manifest, parts), local_runner (process pool),
dask_runner (Dask cluster), progress, writers (+ arrow_schema), tally (counts), report (HTML), summary
(terminal), run (the whole run), bench and memory (measurements).
"""

from api.batch.mapping import ColumnMapping
from api.batch.options import BatchOptions, BatchStopped, BatchUsageError
from api.batch.run import BatchResult, run_batch

__all__ = ["BatchOptions", "BatchResult", "BatchStopped", "BatchUsageError", "ColumnMapping", "run_batch"]
