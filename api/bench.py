"""`notecode bench`: notes per second for the whole suggester and, on the same notes in the same run,
for spaCy's bare tokenizer (`spacy.blank("en")`), their ratio, and where the time goes.

Runs are interleaved (tokenizer, suggester, tokenizer, ...) and the best of each is kept, and time is this
process's CPU time (`time.process_time`), so other work on a shared machine skews neither side.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import spacy

from api.service import default_suggester
from nlp.evaluation import as_note, load_split, notes_path
from nlp.pipeline import make_doc
from rules.contract import Note


@dataclass
class BenchResult:
    notes: int
    characters: int
    tokenizer_per_second: float
    suggester_per_second: float
    stages: dict[str, float]

    @property
    def ratio(self) -> float:
        return self.suggester_per_second / self.tokenizer_per_second

    def report(self) -> str:
        lines = [
            f"{self.notes} notes, {self.characters / self.notes:.0f} characters each on average",
            f"bare tokenizer (spacy.blank('en')): {self.tokenizer_per_second:9.0f} notes/s",
            f"notecode suggester (text -> Suggestion): {self.suggester_per_second:9.0f} notes/s",
            f"ratio suggester / tokenizer: {self.ratio:.2f} (target 0.30 or more)",
            "where the suggester's time goes (CPU time):",
        ]
        total = sum(self.stages.values())
        lines += [f"  {name:<26} {seconds * 1000 / self.notes:7.3f} ms/note  {100 * seconds / total:5.1f}%"
                  for name, seconds in self.stages.items()]
        return "\n".join(lines)


def bench_notes(count: int) -> list[Note]:
    rows = [row for split in ("dev", "dev2") if notes_path(split).exists() for row in load_split(notes_path(split))]
    notes = [as_note(row) for row in rows]
    return [notes[i % len(notes)] for i in range(count)]


def _best(run: Callable[[], None], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def run_bench(count: int = 2000, repeats: int = 3) -> BenchResult:
    notes = bench_notes(count)
    texts = [note.text or "" for note in notes]
    blank = spacy.blank("en")
    suggester = default_suggester()
    suggester.suggest_texts(notes[:50])  # load the model and warm caches outside the clock
    tokenizer_time, suggester_time = float("inf"), float("inf")
    for _ in range(repeats):
        tokenizer_time = min(tokenizer_time, _best(lambda: list(blank.pipe(texts, batch_size=256)), 1))
        suggester_time = min(suggester_time, _best(lambda: suggester.suggest_texts(notes), 1))
    return BenchResult(len(notes), sum(map(len, texts)), len(notes) / tokenizer_time, len(notes) / suggester_time,
                       _stages(suggester, notes))


def _stages(suggester, notes: list[Note]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    pipeline = suggester.pipeline
    stages: dict[str, float] = {}
    start = time.process_time()
    docs = [make_doc(pipeline, note.text or "", note.discipline) for note in notes]
    stages["tokenizer"] = time.process_time() - start
    for name, component in pipeline.pipeline:
        start = time.process_time()
        docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(doc) for doc in docs]
        stages[name] = time.process_time() - start
    start = time.process_time()
    for note, doc in zip(notes, docs, strict=True):
        suggester._suggestion(note, doc)
    stages["rules + Suggestion"] = time.process_time() - start
    return stages
