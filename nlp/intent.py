"""Intent of an intervention: 97110 vs 97530 vs 97112 (and 97535, or none of these).

`IntentScorer` is the one interface the suggester calls. The trained model
(`nlp.intent_model.TrainedIntentScorer`) fills it; `KeywordIntentScorer` is the transparent baseline used
when no model has been built. Both score a whole batch in one call.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib.resources import files
from typing import Protocol

INTENT_LABELS = ("97110", "97530", "97112", "97535", "other")
TRIO = ("97110", "97530", "97112")


class IntentScorer(Protocol):
    name: str

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        """One probability per label in INTENT_LABELS for each text (each dict sums to 1)."""
        ...


@cache
def _keyword_weights() -> dict[str, list[tuple[re.Pattern[str], float]]]:
    raw = json.loads(files("nlp").joinpath("data/intent_keywords.json").read_text(encoding="utf-8"))
    return {
        label: [(re.compile(pattern, re.IGNORECASE), float(weight)) for pattern, weight in rows]
        for label, rows in raw["labels"].items()
    }


class KeywordIntentScorer:
    """Sums the weights of the cue words a text contains, per label, and normalises with a softmax."""

    name = "keyword-baseline"

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        return [self._score_one(text) for text in texts]

    def _score_one(self, text: str) -> dict[str, float]:
        weights = _keyword_weights()
        raw = {label: sum(w for pattern, w in weights.get(label, []) if pattern.search(text))
               for label in INTENT_LABELS}
        top = max(raw.values())
        exp = {label: math.exp(value - top) for label, value in raw.items()}
        total = sum(exp.values())
        return {label: exp[label] / total for label in INTENT_LABELS}
