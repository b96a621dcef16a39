"""Inputs for the batch tests: real notes from the annotated set (text only, no gold), and coded services
(rules only, fast)."""

from __future__ import annotations

import json
from pathlib import Path

from api.batch import BatchOptions, ColumnMapping, run_batch

ROOT = Path(__file__).resolve().parent.parent
NOTE_FIELDS = ("text", "discipline", "payer", "icd10", "date_of_service", "rendering_provider")


def annotated_notes(count: int, split: str = "dev") -> list[dict]:
    """`count` notes with distinct ids, repeating the annotated notes' texts as needed."""
    rows = [json.loads(line) for line in (ROOT / "training/data/notes" / f"{split}.jsonl").read_text().splitlines()
            if line.strip()]
    notes = []
    for index in range(count):
        row = rows[index % len(rows)]
        notes.append({"id": f"n{index:05d}", **{k: row[k] for k in NOTE_FIELDS if k in row}})
    return notes


def coded_notes(count: int) -> list[dict]:
    """Charge-audit notes (services, no text): read by the rules alone, milliseconds each."""
    codes = ["97110", "97530", "97112", "97140", "97535"]
    return [{"id": f"c{index:05d}", "services": [{"cpt": codes[index % 5], "minutes": 8 + (index * 7) % 45},
                                                 {"cpt": codes[(index + 2) % 5], "minutes": 5 + (index * 3) % 30}],
             "icd10": ["M54.50"], "date_of_service": "2026-03-02"} for index in range(count)]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows))
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def batch(source: Path, output: Path, **options) -> object:
    """run_batch in this process, quiet (progress lines go nowhere)."""
    mapping = options.pop("mapping", ColumnMapping())
    with open("/dev/null", "w") as quiet:
        return run_batch(BatchOptions(str(source), str(output), mapping=mapping, **{"jobs": 1, **options}),
                         progress_stream=quiet)
