"""Coder corrections: add them to the training split, retrain, and compare old and new test figures."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.intent import INTENT_LABELS
from nlp.intent_model import MODEL_FILE, load_intent_scorer
from training.evaluate import evaluate, score_split
from training.train import CORRECTIONS_FILE, SEED, TEST_FILE, read_jsonl, train_model, training_files


class CorrectionsError(ValueError):
    """A corrections file that cannot be used; nothing was added."""


@dataclass(frozen=True)
class Correction:
    text: str
    code: str


def _key(text: str) -> str:
    """Texts that differ only in case or spacing are the same example."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def read_corrections(path: Path) -> list[Correction]:
    """Every row must be {"text": non-empty, "code": one of INTENT_LABELS}; the first bad row stops the load."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorrectionsError(f"{path}: {exc.strerror}") from None
    corrections = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorrectionsError(f"{path.name} line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise CorrectionsError(f"{path.name} line {number}: expected an object with text and code")
        text, code = row.get("text"), row.get("code")
        if not isinstance(text, str) or not text.strip():
            raise CorrectionsError(f"{path.name} line {number}: text is missing or empty")
        if code not in INTENT_LABELS:
            raise CorrectionsError(f"{path.name} line {number}: code {code!r} is not one of {', '.join(INTENT_LABELS)}")
        corrections.append(Correction(text.strip(), code))
    return corrections


def add_corrections(corrections_path: Path, data_dir: Path) -> int:
    """Append new corrections to `data_dir/corrections.jsonl`; returns how many were added.

    Skipped: texts already in the training split (whatever their label) or repeated in the file, and texts
    of the frozen test split, which must never leak into training.
    """
    corrections = read_corrections(corrections_path)
    seen = {_key(row["text"]) for path in training_files(data_dir) for row in read_jsonl(path)}
    test_path = data_dir / TEST_FILE
    if test_path.is_file():
        seen |= {_key(row["text"]) for row in read_jsonl(test_path)}

    target = data_dir / CORRECTIONS_FILE
    existing = len(read_jsonl(target)) if target.is_file() else 0
    new_rows = []
    for correction in corrections:
        if _key(correction.text) in seen:
            continue
        seen.add(_key(correction.text))
        new_rows.append({"id": f"cor-{existing + len(new_rows) + 1:04d}", "text": correction.text,
                         "label": correction.code, "heading": None, "setting": None, "population": None,
                         "tags": ["correction"]})
    if new_rows:
        with target.open("a", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, sort_keys=True) + "\n" for row in new_rows)
    return len(new_rows)


def retrain_and_compare(data_dir: Path, model_dir: Path, seed: int = SEED, install: bool = False) -> dict[str, Any]:
    """Train on the current training split into a temp folder and score old and new models on the test split.

    The old model is whatever `load_intent_scorer(model_dir)` gives (the keyword baseline if no artifact).
    With `install`, the new artifact replaces the one in `model_dir`.
    """
    test_path = data_dir / TEST_FILE
    old = score_split(load_intent_scorer(model_dir), read_jsonl(test_path))
    with tempfile.TemporaryDirectory(prefix="notecode-intent-") as tmp:
        new_dir = Path(tmp)
        train_model(data_dir, new_dir, seed=seed)
        new = evaluate(new_dir, test_path)
        if install:
            model_dir.mkdir(parents=True, exist_ok=True)
            for item in new_dir.iterdir():
                shutil.copyfile(item, model_dir / item.name)
    return {"old": old, "new": new, "installed": install and (model_dir / MODEL_FILE).is_file()}


def format_comparison(comparison: dict[str, Any]) -> str:
    old, new = comparison["old"], comparison["new"]
    lines = [f"{'test split':<16}{old['model']:>28}{new['model']:>28}"]
    for label in INTENT_LABELS:
        lines.append(f"{'F1 ' + label:<16}{old['per_class'][label]['f1']:>28.3f}{new['per_class'][label]['f1']:>28.3f}")
    lines.append(f"{'macro-F1 trio':<16}{old['macro_f1_trio']:>28.3f}{new['macro_f1_trio']:>28.3f}")
    lines.append(f"{'macro-F1 all':<16}{old['macro_f1_all']:>28.3f}{new['macro_f1_all']:>28.3f}")
    lines.append(f"{'accuracy':<16}{old['accuracy']:>28.3f}{new['accuracy']:>28.3f}")
    if not comparison["installed"]:
        lines.append("the new model was not installed (use --install to replace the old one)")
    return "\n".join(lines)
