"""`notecode batch-memory`: memory stays flat whatever the input's size. Writes an input of N notes (the
annotated notes repeated, distinct ids), runs `notecode batch` on it as a user would, and samples the resident
memory (RSS, from /proc) of the batch process and its worker processes, printing it as the run passes
5%, 25%, 50% and 100% of the notes (10k, 50k, 100k, 200k for the default 200,000) and during the merge."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from api.batch.bench import bench_rows

PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError):
        return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [grandchild for child in found for grandchild in _children(child)]


def run_memory_check(count: int, jobs: int, chunk_rows: int, folder: str | None) -> None:
    work = Path(folder or tempfile.mkdtemp(prefix="notecode-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    source, output = work / "notes.jsonl", work / "out.jsonl"
    rows = bench_rows(min(count, 2000))
    with source.open("w") as handle:
        for index in range(count):
            handle.write(json.dumps(rows[index % len(rows)] | {"id": f"m{index:08d}"}) + "\n")
    print(f"input: {count:,} notes, {source.stat().st_size / 1e6:,.0f} MB; -j {jobs}", flush=True)
    parts = work / ".out.jsonl.parts"
    milestones = sorted({max(1, count * p // 100) for p in (5, 25, 50, 100)})
    process = subprocess.Popen([str(Path(sys.executable).parent / "notecode"), "batch", str(source), "-o", str(output),
                                "-j", str(jobs), "--chunk-rows", str(chunk_rows)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_parent = peak_workers = 0
    started = time.monotonic()
    while process.poll() is None:
        parent, workers = _rss(process.pid), sum(_rss(child) for child in _children(process.pid))
        peak_parent, peak_workers = max(peak_parent, parent), max(peak_workers, workers)
        done = len(list(parts.glob("part-*.jsonl"))) * chunk_rows if parts.exists() else 0
        while milestones and done >= milestones[0]:
            print(f"{milestones.pop(0):>12,} notes: parent {parent / 2**20:6.0f} MiB, "
                  f"workers {workers / 2**20:6.0f} MiB "
                  f"(peaks {peak_parent / 2**20:.0f} / {peak_workers / 2**20:.0f} MiB), "
                  f"{time.monotonic() - started:,.0f} s", flush=True)
        time.sleep(0.5)
    print(f"exit {process.returncode}; peak RSS: parent {peak_parent / 2**20:.0f} MiB, workers together "
          f"{peak_workers / 2**20:.0f} MiB; {time.monotonic() - started:,.0f} s; output "
          f"{output.stat().st_size / 1e6 if output.exists() else 0:,.0f} MB in {work}", flush=True)
