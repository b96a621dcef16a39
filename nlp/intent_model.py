"""The trained intent classifier behind the `IntentScorer` interface, and how the suggester finds it.

`load_intent_scorer()` returns the trained model when an artifact exists and the keyword baseline otherwise.
An artifact built by another scikit-learn version is refused rather than loaded: unpickling across versions
can silently change predictions. Load only artifacts you built yourself: unpickling runs code.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable, Mapping
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from sklearn.exceptions import InconsistentVersionWarning

from nlp.char_ngrams import word_cached_transform
from nlp.intent import INTENT_LABELS, IntentScorer, KeywordIntentScorer

MODEL_FILE = "intent.joblib"
META_FILE = "meta.json"
MODEL_DIR_ENV = "NOTECODE_MODEL_DIR"


class ModelLoadError(RuntimeError):
    """An intent artifact that cannot be used; the message is one line meant for the user."""


# Ambiguity thresholds are a mapping {"min_top": ..., "min_margin": ...}, the form nlp.decide consumes: a
# prediction is ambiguous when its top probability < min_top or top minus second < min_margin.
Thresholds = Mapping[str, float]

# For the keyword baseline, whose softmax over summed cue weights is not a calibrated probability; the same
# values for every scorer without its own, so both paths flag calls the same way. On the training split (the
# baseline is not fitted to it) 63% of its calls pass and 91.5% of those are right, and no setting reaches
# the trained model's 97%: the baseline flags more and is trusted less. The trained model stores its own
# thresholds, chosen by cross-validation (see training/train.py).
DEFAULT_THRESHOLDS: Thresholds = MappingProxyType({"min_top": 0.55, "min_margin": 0.15})


def default_model_dir() -> Path:
    """NOTECODE_MODEL_DIR if set, else the `artifacts` folder of the installed `training` package."""
    override = os.environ.get(MODEL_DIR_ENV)
    return Path(override) if override else Path(str(files("training") / "artifacts"))


class TrainedIntentScorer:
    """The fitted scikit-learn Pipeline in `model_dir/intent.joblib`, checked against `meta.json`."""

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        meta = self._read_meta(model_dir)
        self.meta: dict[str, Any] = meta
        self.name: str = meta["name"]
        self.ambiguity: dict[str, float] = {key: float(meta["ambiguity"][key]) for key in ("min_top", "min_margin")}
        self._pipeline = self._load_pipeline(model_dir, meta)
        self._predict = fast_predictor(self._pipeline)

    @staticmethod
    def _read_meta(model_dir: Path) -> dict[str, Any]:
        try:
            meta: dict[str, Any] = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelLoadError(f"{model_dir}: no {META_FILE}; retrain with `notecode train`") from None
        except json.JSONDecodeError as exc:
            raise ModelLoadError(f"{model_dir / META_FILE}: not valid JSON ({exc.msg})") from None
        built_with = meta.get("versions", {}).get("scikit-learn")
        installed = version("scikit-learn")
        if built_with != installed:
            raise ModelLoadError(f"{model_dir}: model built with scikit-learn {built_with}, installed is {installed}; "
                                 "retrain with `notecode train`")
        missing = {"name", "labels", "ambiguity"} - set(meta)
        if missing:
            raise ModelLoadError(f"{model_dir / META_FILE}: missing {', '.join(sorted(missing))}; retrain")
        if meta["labels"] != list(INTENT_LABELS):
            raise ModelLoadError(f"{model_dir}: model labels {meta.get('labels')} are not {list(INTENT_LABELS)}")
        return meta

    @staticmethod
    def _load_pipeline(model_dir: Path, meta: dict[str, Any]) -> Any:
        # meta.json can be edited by hand; the pickle's own version stamp is the second line of defence
        with warnings.catch_warnings():
            warnings.simplefilter("error", InconsistentVersionWarning)
            try:
                pipeline = joblib.load(model_dir / MODEL_FILE)
            except InconsistentVersionWarning as warning:
                raise ModelLoadError(
                    f"{model_dir}: model pickled with scikit-learn {warning.original_sklearn_version}, installed is "
                    f"{warning.current_sklearn_version}; retrain with `notecode train`") from None
            except FileNotFoundError:
                raise ModelLoadError(f"{model_dir}: no {MODEL_FILE}; build it with `notecode train`") from None
        if sorted(pipeline.classes_) != sorted(INTENT_LABELS):
            raise ModelLoadError(f"{model_dir}: model classes {list(pipeline.classes_)} are not {list(INTENT_LABELS)}")
        return pipeline

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        """One prediction for the whole batch; dicts keyed in INTENT_LABELS order."""
        if not texts:
            return []
        proba = self._predict(list(texts))
        columns = [list(self._pipeline.classes_).index(label) for label in INTENT_LABELS]
        # one conversion of the whole array to Python floats (the same values float() gives one at a time)
        return [dict(zip(INTENT_LABELS, row, strict=True)) for row in proba[:, columns].tolist()]


PROBES = ("wrist AROM 3x10, tendon glides, putty 2x15", "SLS on foam 3x30 sec, CGA", "LB dressing w/ reacher",
          "rest break, vitals taken", "carrying groceries from car to counter x4 trips")


def fast_predictor(pipeline: Any) -> Callable[[list[str]], np.ndarray]:
    """The fitted pipeline's predict_proba without scikit-learn's per-call machinery (input validation,
    joblib dispatch in the FeatureUnion, one call per calibration fold) and with each word's character
    n-grams looked up once (`nlp.char_ngrams`): the same arithmetic, which for one note cuts the call from
    ~3.5 ms to ~1 ms. It is checked identical to the pipeline on probe texts at load and
    falls back to the pipeline when the model's shape is not the one this code knows."""
    try:
        normaliser = pipeline.named_steps["normalise"]
        union = pipeline.named_steps["features"]
        weights = union.transformer_weights or {}
        transformers = [(word_cached_transform(t) or t.transform, weights.get(name, 1.0))
                        for name, t in union.transformer_list]
        folds = [(c.estimator.coef_.T, c.estimator.intercept_, c.calibrators[0])
                 for c in pipeline.named_steps["classifier"].calibrated_classifiers_]
    except (AttributeError, KeyError, IndexError):
        return pipeline.predict_proba  # type: ignore[no-any-return]

    def predict(texts: list[str]) -> np.ndarray:
        normalised = normaliser.transform(texts)
        features = sparse.hstack([transform(normalised) * w for transform, w in transformers]).tocsr()
        proba: np.ndarray = np.mean([_clipped(calibrator.predict(features @ coef + intercept))
                                     for coef, intercept, calibrator in folds], axis=0)
        return proba

    same = np.array_equal(predict(list(PROBES)), pipeline.predict_proba(list(PROBES)))
    return predict if same else pipeline.predict_proba


def _clipped(proba: np.ndarray) -> np.ndarray:
    """As scikit-learn's calibrated classifier does: a probability a rounding error above 1.0 is 1.0."""
    proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
    return proba


def load_intent_scorer(model_dir: Path | None = None) -> IntentScorer:
    """The trained scorer if `model_dir` (default: `default_model_dir()`) holds one, else the keyword baseline.

    A folder with an artifact that cannot be used raises ModelLoadError instead of falling back silently.
    """
    folder = model_dir if model_dir is not None else default_model_dir()
    if (folder / MODEL_FILE).is_file():
        return TrainedIntentScorer(folder)
    return KeywordIntentScorer()


def thresholds_for(scorer: IntentScorer) -> Thresholds:
    """The scorer's own thresholds (trained model) or DEFAULT_THRESHOLDS (baseline)."""
    return getattr(scorer, "ambiguity", None) or DEFAULT_THRESHOLDS


def is_ambiguous(scores: Mapping[str, float], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[str, str] | None:
    """The two most likely codes, best first, when the call is too close to make; None when it is clear."""
    (first, p_first), (second, p_second) = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:2]
    if p_first < thresholds["min_top"] or p_first - p_second < thresholds["min_margin"]:
        return first, second
    return None
