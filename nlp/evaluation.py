"""Measuring the reader on the annotated notes in `training/data/notes/` (dev: for tuning; test: held out).

Figures: minutes attribution (each gold intervention matched to the predicted one that overlaps it most:
same minutes?), status accuracy (same status?), code accuracy, measurement recall (a predicted measurement
overlaps the gold one; a gold "historical" intervention is right when none is output for it, as the contract
has no such status), note-level exact match of the billed lines, and per-warning recall/precision on
the gold warnings the annotators were sure of.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from rules.contract import Note, Suggestion

DOC_WARNINGS = ("MISSING_TIMED_MINUTES", "MISSING_TOTAL_TIME", "TIME_INCONSISTENT", "UNITS_MISMATCH",
                "MISSING_EXERCISE_PARAMETERS", "MISSING_OBJECTIVE_MEASURE", "MISSING_FUNCTIONAL_GOAL",
                "NO_BILLABLE_SERVICES")


def notes_path(split: str) -> Path:
    return Path(str(files("training").joinpath(f"data/notes/{split}.jsonl")))


def load_split(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def as_note(row: dict[str, Any]) -> Note:
    fields = {k: v for k, v in row.items() if k in Note.model_fields}
    return Note.model_validate(fields)


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Report:
    minutes: Tally = field(default_factory=Tally)
    status: Tally = field(default_factory=Tally)
    code: Tally = field(default_factory=Tally)
    measurements: Tally = field(default_factory=Tally)
    lines: Tally = field(default_factory=Tally)
    precision: Tally = field(default_factory=Tally)  # output interventions that overlap a gold one
    lines_doubted: Tally = field(default_factory=Tally)  # lines exact on notes the reader flags for review
    lines_undoubted: Tally = field(default_factory=Tally)  # ... and on the notes it does not flag
    warning_hits: Counter[str] = field(default_factory=Counter)
    warning_gold: Counter[str] = field(default_factory=Counter)
    warning_predicted: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {"minutes_attribution": self.minutes.rate, "status_accuracy": self.status.rate,
                "code_accuracy": self.code.rate, "measurement_recall": self.measurements.rate,
                "lines_exact_match": self.lines.rate}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_note(row: dict[str, Any], suggestion: Suggestion, report: Report) -> None:
    text, gold = row["text"], row["gold"]
    predicted = [(i.start, i.end, i) for i in suggestion.interventions]
    problems = []
    gold_spans = [(at := text.index(g["text"]), at + len(g["text"])) for g in gold["interventions"]]
    for item, span in zip(gold["interventions"], gold_spans, strict=True):
        best = max(predicted, key=lambda p: _overlap(span, (p[0], p[1])), default=None)
        match = best[2] if best and _overlap(span, (best[0], best[1])) > 0 else None
        if item["status"] == "historical":  # the contract has no such status: history is left out of the output
            report.status.add(match is None)
            if match is not None:
                problems.append(f"status: gold 'historical' (not output) got {match.status!r} "
                                f"for {item['text'][:50]!r}")
            continue
        for tally, key, got in ((report.minutes, "minutes", match and match.minutes),
                                (report.status, "status", match and match.status),
                                (report.code, "cpt", match and match.cpt)):
            ok = match is not None and got == item[key]
            tally.add(ok)
            if not ok:
                problems.append(f"{key}: gold {item[key]!r} got {got!r} for {item['text'][:50]!r}")
    for start, end, _ in predicted:
        report.precision.add(any(_overlap((start, end), span) for span in gold_spans))
    found = [(m.start, m.end) for m in suggestion.measurements]
    for item in gold["measurements"]:
        start = text.index(item["text"])
        ok = any(_overlap((start, start + len(item["text"])), f) for f in found)
        report.measurements.add(ok)
        if not ok:
            problems.append(f"measurement missed: {item['kind']} {item['text'][:50]!r}")
    billed = sorted([line.cpt, line.units] for line in suggestion.lines)
    ok = billed == sorted(gold["lines"])
    report.lines.add(ok)
    (report.lines_doubted if suggestion.review else report.lines_undoubted).add(ok)
    if not ok:
        problems.append(f"lines: gold {sorted(gold['lines'])} got {billed}")
    predicted_codes = {w.code for w in suggestion.warnings} & set(DOC_WARNINGS)
    for code in gold.get("warnings", []):
        report.warning_gold[code] += 1
        report.warning_hits[code] += code in predicted_codes
    for code in predicted_codes:
        report.warning_predicted[code] += 1
    if problems:
        report.failures.append(f"{row['id']}: " + " | ".join(problems))


def evaluate_rows(rows: list[dict[str, Any]], suggestions: list[Suggestion]) -> Report:
    report = Report()
    for row, suggestion in zip(rows, suggestions, strict=True):
        score_note(row, suggestion, report)
    return report


def format_report(report: Report, split: str, show_failures: bool) -> str:
    lines = [f"notes split: {split} ({report.lines.total} notes, {report.minutes.total} gold interventions, "
             f"{report.measurements.total} gold measurements)"]
    for name, value in report.summary().items():
        lines.append(f"  {name:<22} {value:.3f}")
    lines.append(f"  (interventions output that match a gold one: {report.precision.rate:.3f}, "
                 f"{report.precision.right} of {report.precision.total})")
    lines.append(f"  review triage: {report.lines_doubted.total} of {report.lines.total} notes flagged; lines exact "
                 f"{report.lines_undoubted.rate:.3f} on the rest ({report.lines_undoubted.right} of "
                 f"{report.lines_undoubted.total}), {report.lines_doubted.rate:.3f} on the flagged")
    lines.append("  gold warnings found (recall) / predicted on notes:")
    for code in DOC_WARNINGS:
        lines.append(f"    {code:<30} {report.warning_hits[code]}/{report.warning_gold[code]} "
                     f"(predicted {report.warning_predicted[code]})")
    if show_failures:
        lines += ["", "notes with a difference:", *report.failures]
    return "\n".join(lines)
