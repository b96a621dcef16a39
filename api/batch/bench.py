"""`notecode batch-bench`: notes per second through `notecode batch` with 1 and 2 local workers and on a local
Dask cluster with 2 workers, beside spaCy's bare tokenizer (`spacy.blank("en")`) on the same notes in the same
run. Start-up (worker processes, model loads, the cluster) is reported apart from throughput: the steady rate
is measured from the first finished chunk to the last."""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import spacy

from api.batch.options import BatchOptions
from api.batch.run import BatchResult, run_batch
from api.service import default_suggester


@dataclass
class Measure:
    name: str
    notes: int
    wall_seconds: float
    steady_per_second: float

    @property
    def wall_per_second(self) -> float:
        return self.notes / self.wall_seconds


def bench_rows(count: int) -> list[dict[str, object]]:
    """`count` notes repeating the annotated notes' texts (every split), with distinct ids."""
    folder = resources.files("training") / "data" / "notes"
    rows = [json.loads(line) for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".jsonl") for line in entry.read_text().splitlines() if line.strip()]
    keep = ("text", "discipline", "payer", "icd10")
    return [{"id": f"b{i:07d}", **{k: rows[i % len(rows)][k] for k in keep if k in rows[i % len(rows)]}}
            for i in range(count)]


def steady_rate(result: BatchResult) -> float:
    """Notes per second between the first and the last finished chunk (start-up excluded)."""
    (t0, n0), (t1, n1) = result.timeline[0], result.timeline[-1]
    return (n1 - n0) / (t1 - t0) if t1 > t0 else float("nan")


def run_batch_bench(count: int = 2000, chunk_rows: int = 50, repeats: int = 1) -> str:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = bench_rows(count)
    texts = [str(row["text"]) for row in rows]
    lines = [f"{count} notes, {sum(map(len, texts)) / count:.0f} characters each on average, "
             f"{chunk_rows} rows a chunk, best of {repeats} interleaved round(s)"]
    blank = spacy.blank("en")
    default_suggester()  # the one-worker run screens in this process: load the model outside the clock
    tokenizer = float("inf")
    best: dict[str, Measure] = {}
    with tempfile.TemporaryDirectory(prefix="notecode-bench-") as folder:
        jsonl, parquet = Path(folder, "notes.jsonl"), Path(folder, "notes.parquet")
        jsonl.write_text("".join(json.dumps(row) + "\n" for row in rows))
        pq.write_table(pa.Table.from_pylist(rows), parquet, row_group_size=chunk_rows * 4)
        runs = [("1 worker (-j 1)", jsonl, {"jobs": 1}), ("2 workers (-j 2)", jsonl, {"jobs": 2}),
                ("Dask LocalCluster, 2 workers", parquet, {"jobs": 2, "dask": "local"})]
        for _ in range(repeats):  # interleaved rounds, the best of each kept: a noisy machine slows all alike
            tokenizer = min(tokenizer, _timed(lambda: list(blank.pipe(texts, batch_size=256))))
            for name, source, options in runs:
                measure = _measure(name, source, Path(folder, "out.jsonl"), chunk_rows, options)
                if name not in best or measure.steady_per_second > best[name].steady_per_second:
                    best[name] = measure
    measures = list(best.values())
    label = "bare tokenizer (spacy.blank('en').pipe)"
    lines.append(f"{label:<40} {count / tokenizer:9.0f} notes/s")
    for m in measures:
        lines.append(f"{m.name:<40} {m.steady_per_second:9.1f} notes/s steady "
                     f"({m.wall_per_second:.1f} notes/s over {m.wall_seconds:.1f} s wall, start-up included)")
    one, two, on_dask = (m.steady_per_second for m in measures)
    lines += [f"2 workers / 1 worker: {two / one:.2f} (target 1.7 or more)",
              f"Dask 2 workers / 1 worker: {on_dask / one:.2f}",
              f"1 worker / bare tokenizer: {one / (count / tokenizer):.3f} (target 0.3 or more)"]
    return "\n".join(lines)


def _measure(name: str, source: Path, output: Path, chunk_rows: int, options: dict[str, object]) -> Measure:
    with open(output.with_suffix(".log"), "w") as quiet:
        started = time.perf_counter()
        result = run_batch(BatchOptions(str(source), str(output), chunk_rows=chunk_rows, **options),  # type: ignore[arg-type]
                           progress_stream=quiet)
        wall = time.perf_counter() - started
    return Measure(name, result.tally.notes, wall, steady_rate(result))


def _timed(run: object) -> float:
    started = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - started
