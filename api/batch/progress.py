"""Progress while a batch runs: a rich progress bar on a terminal, a plain line every few seconds otherwise
(logs, CI). Counts, rate and time left only: never anything from a note."""

from __future__ import annotations

import sys
import time
from typing import Any


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"


class Progress:
    """`size` is the input's size in the unit of the chunk spans (bytes, or rows for Parquet)."""

    def __init__(self, size: int, every_seconds: float = 10.0, stream: Any = None) -> None:
        self.size = max(size, 1)
        self.every = every_seconds
        self.stream = stream or sys.stderr
        self.notes = self.failed = self.skipped_notes = 0
        self.done_span = self.skipped_span = 0
        self.started = self.last_print = time.monotonic()
        self.timeline: list[tuple[float, int]] = []  # (time, notes screened): the benchmark reads it
        self.bar: Any = None
        if getattr(self.stream, "isatty", lambda: False)():
            self._start_bar()

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, TaskProgressColumn, TextColumn
        from rich.progress import Progress as RichProgress

        self.bar = RichProgress(TextColumn("screening"), BarColumn(), TaskProgressColumn(),
                                TextColumn("{task.fields[status]}"), console=Console(file=self.stream),
                                transient=False)
        self.task = self.bar.add_task("screening", total=self.size, status="starting")
        self.bar.start()

    def skipped(self, notes: int, span: int) -> None:
        """A chunk finished by an earlier run (--resume)."""
        self.skipped_notes += notes
        self.skipped_span += span
        self._update()

    def advance(self, notes: int, failed: int, span: int) -> None:
        self.notes += notes
        self.failed += failed
        self.done_span += span
        self.timeline.append((time.monotonic(), self.notes))
        self._update()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.notes / elapsed if elapsed > 0 else 0.0

    def status(self) -> str:
        elapsed = time.monotonic() - self.started
        left_span = self.size - self.done_span - self.skipped_span
        eta = left_span * elapsed / self.done_span if self.done_span else None
        parts = [f"{self.notes + self.skipped_notes:,} notes ({self.failed:,} failed)", f"{self.rate():,.0f} notes/s"]
        if self.skipped_notes:
            parts.insert(1, f"{self.skipped_notes:,} from the earlier run")
        parts.append(f"about {_duration(eta)} left" if eta is not None else "time left unknown yet")
        return ", ".join(parts)

    def _update(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done_span + self.skipped_span, status=self.status())
            return
        now = time.monotonic()
        if now - self.last_print >= self.every:
            self.last_print = now
            percent = 100 * (self.done_span + self.skipped_span) / self.size
            print(f"batch: {percent:.0f}% of the input, {self.status()}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=self.size, status=self.status())
            self.bar.stop()
