"""Leave-one-split-out check of the notes-gold examples: for each tuning split S, a model trained on the
hand-written files plus the gold examples of every OTHER tuning split, and the note reader's figures on S with
that model next to its figures with the model trained without any gold examples. S's own examples never
reach the model scored on S, so each "after" figure is out of sample for the model (the reader's rules were
tuned on all these splits either way).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nlp.evaluation import as_note, evaluate_rows, load_split, notes_path
from nlp.suggester import Suggester
from training.notes_gold import GOLD_FILE, TUNING_SPLITS, check_split
from training.train import SEED, read_jsonl, train_model, training_files

FIGURES = (("code_accuracy", "codes"), ("lines_exact_match", "lines"), ("minutes_attribution", "minutes"),
           ("status_accuracy", "status"))


def data_with_gold(data_dir: Path, gold_rows: list[dict[str, Any]], out_dir: Path) -> Path:
    """A copy of the hand-written training files plus `gold_rows` as the gold file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in training_files(data_dir):
        if path.name != GOLD_FILE:
            shutil.copyfile(path, out_dir / path.name)
    (out_dir / GOLD_FILE).write_text("".join(json.dumps(row, sort_keys=True) + "\n" for row in gold_rows),
                                     encoding="utf-8")
    return out_dir


def score_reader(model_dir: Path, split: str) -> dict[str, float]:
    """evaluate-notes' figures on one tuning split with the model in `model_dir`."""
    rows = load_split(notes_path(check_split(split)))
    suggestions = Suggester(model_dir=model_dir).suggest_texts([as_note(row) for row in rows])
    return evaluate_rows(rows, suggestions).summary()


def run(data_dir: Path, work_dir: Path, splits: Iterable[str] = TUNING_SPLITS,
        seed: int = SEED) -> dict[str, dict[str, dict[str, float]]]:
    """{split: {"before": figures without gold examples, "after": figures without that split's examples}}."""
    splits = [check_split(split) for split in splits]  # before any training
    gold_rows = read_jsonl(data_dir / GOLD_FILE)
    base = work_dir / "model-without-gold"
    train_model(data_with_gold(data_dir, [], work_dir / "data-without-gold"), base, seed=seed)
    results = {}
    for split in splits:
        others = [row for row in gold_rows if row["split"] != split]
        model = work_dir / f"model-without-{split}"
        train_model(data_with_gold(data_dir, others, work_dir / f"data-without-{split}"), model, seed=seed)
        results[split] = {"before": score_reader(base, split), "after": score_reader(model, split)}
    return results


def format_table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["split  " + "".join(f"{name:>16}" for _, name in FIGURES) + "   (before -> after)"]
    for split, figures in results.items():
        lines.append(f"{split:<7}" + "".join(f"{figures['before'][key]:>9.3f}->{figures['after'][key]:.3f}"
                                              for key, _ in FIGURES))
    return "\n".join(lines)
