"""Score an intent model on the frozen test split (read-only) and record the figures in its meta.json."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from nlp.intent import INTENT_LABELS, IntentScorer
from nlp.intent_model import META_FILE, TrainedIntentScorer, is_ambiguous, thresholds_for
from training.train import read_jsonl, sha256_of, summary_scores, write_meta

WORST_ERRORS = 10


def score_split(scorer: IntentScorer, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures for any IntentScorer (the trained model or the keyword baseline) on labelled rows."""
    scores = scorer.score([row["text"] for row in rows])
    labels = np.array([row["label"] for row in rows])
    predicted = np.array([max(INTENT_LABELS, key=s.__getitem__) for s in scores])
    result = {"model": scorer.name, "examples": len(rows), **summary_scores(labels, predicted)}

    thresholds = thresholds_for(scorer)
    clear = np.array([is_ambiguous(s, thresholds) is None for s in scores])
    right_when_clear = (labels == predicted)[clear]
    result["ambiguity"] = {**thresholds, "coverage": round(float(clear.mean()), 4),
                           "precision_when_clear": round(float(right_when_clear.mean()), 4) if clear.any() else None}

    wrong = [i for i in range(len(rows)) if predicted[i] != labels[i]]
    wrong.sort(key=lambda i: (-scores[i][predicted[i]], rows[i].get("id", "")))
    result["worst_errors"] = [
        {"id": rows[i].get("id"), "text": rows[i]["text"], "gold": str(labels[i]), "predicted": str(predicted[i]),
         "probabilities": {label: round(p, 3) for label, p in scores[i].items()}}
        for i in wrong[:WORST_ERRORS]]
    return result


def evaluate(model_dir: Path, test_path: Path) -> dict[str, Any]:
    """Score the model in `model_dir` on `test_path` and write the figures into its meta.json."""
    scorer = TrainedIntentScorer(model_dir)
    rows = read_jsonl(test_path)
    if not rows:
        raise ValueError(f"{test_path}: no examples")
    result = score_split(scorer, rows)
    result["test_file"] = {"name": test_path.name, "sha256": sha256_of(test_path)}

    meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
    meta["test"] = {"evaluated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    **{key: value for key, value in result.items() if key != "worst_errors"}}
    write_meta(model_dir, meta)
    return result


def format_scores(result: dict[str, Any]) -> list[str]:
    lines = [f"{'label':<8}{'precision':>10}{'recall':>8}{'F1':>8}{'n':>6}"]
    for label, row in result["per_class"].items():
        lines.append(f"{label:<8}{row['precision']:>10.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}{row['support']:>6}")
    lines.append(f"macro-F1 97110/97530/97112 {result['macro_f1_trio']:.3f}, all five {result['macro_f1_all']:.3f}, "
                 f"accuracy {result['accuracy']:.3f}")
    return lines


def format_confusion(confusion: dict[str, Any]) -> list[str]:
    labels = confusion["labels"]
    lines = ["confusion (rows = gold, columns = predicted)", " " * 8 + "".join(f"{label:>8}" for label in labels)]
    for label, row in zip(labels, confusion["matrix"], strict=True):
        lines.append(f"{label:<8}" + "".join(f"{count:>8}" for count in row))
    return lines


def format_report(result: dict[str, Any]) -> str:
    lines = [f"{result['model']} on {result.get('test_file', {}).get('name', 'the test split')} "
             f"({result['examples']} examples)", *format_scores(result), "", *format_confusion(result["confusion"])]
    ambiguity = result["ambiguity"]
    precision = ambiguity["precision_when_clear"]
    lines += ["", f"ambiguity rule (top >= {ambiguity['min_top']:.2f}, margin >= {ambiguity['min_margin']:.2f}): "
                  f"{ambiguity['coverage']:.1%} clear" + (f", {precision:.1%} of those right" if precision else "")]
    lines += ["", f"{len(result['worst_errors'])} most confident errors"]
    for error in result["worst_errors"]:
        probabilities = " ".join(f"{label} {p:.2f}" for label, p in error["probabilities"].items())
        lines.append(f"- {error['id']} gold {error['gold']} predicted {error['predicted']} [{probabilities}]")
        lines.append(f"    {error['text']}")
    return "\n".join(lines)
