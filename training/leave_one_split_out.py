"""Leave-one-split-out check of the notes-gold examples: for each tuning split S, a model trained on the
hand-written files plus the gold examples of every OTHER tuning split, and the note reader's figures on S with
that model. S's own examples never reach the model that is scored on S, so each figure is out of sample.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nlp.evaluation import as_note, evaluate_rows, load_split, notes_path
from nlp.suggester import Suggester
from training.notes_gold import GOLD_FILE, TUNING_SPLITS, check_split
from training.train import SEED, read_jsonl, train_model, training_files


def data_without(data_dir: Path, gold_rows: list[dict[str, Any]], split: str | None, out_dir: Path) -> Path:
    """A copy of the training files whose gold file leaves out `split`'s examples (None: keeps all)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in training_files(data_dir):
        if path.name != GOLD_FILE:
            shutil.copyfile(path, out_dir / path.name)
    kept = [row for row in gold_rows if row["split"] != split]
    assert all(row["split"] in TUNING_SPLITS for row in kept)
    (out_dir / GOLD_FILE).write_text("".join(_line(row) for row in kept), encoding="utf-8")
    return out_dir


def _line(row: dict[str, Any]) -> str:
    import json

    return json.dumps(row, sort_keys=True) + "\n"


def score_reader(model_dir: Path | None, split: str) -> dict[str, float]:
    """evaluate-notes' figures on one tuning split with the model in `model_dir` (None: the shipped one)."""
    rows = load_split(notes_path(check_split(split)))
    suggestions = Suggester(model_dir=model_dir).suggest_texts([as_note(row) for row in rows])
    return evaluate_rows(rows, suggestions).summary()


def run(data_dir: Path, gold_path: Path, work_dir: Path, splits: Iterable[str] = TUNING_SPLITS,
        seed: int = SEED) -> dict[str, dict[str, dict[str, float]]]:
    """{split: {"before": figures with the shipped model, "after": figures with the model that left it out}}."""
    gold_rows = read_jsonl(gold_path)
    results = {}
    for split in splits:
        data = data_without(data_dir, gold_rows, split, work_dir / f"data-{split}")
        model = work_dir / f"model-{split}"
        train_model(data, model, seed=seed)
        results[split] = {"before": score_reader(None, split), "after": score_reader(model, split)}
    return results
