"""The scorer's fast prediction path gives exactly the fitted pipeline's probabilities."""

import json
from importlib.resources import files

import numpy as np
import pytest

from nlp.intent_model import MODEL_FILE, TrainedIntentScorer, default_model_dir


@pytest.fixture(scope="module")
def scorer():
    folder = default_model_dir()
    if not (folder / MODEL_FILE).is_file():
        pytest.skip("no trained model: `make test` builds it first")
    return TrainedIntentScorer(folder)


def test_fast_path_equals_the_pipeline_on_the_test_split(scorer):
    rows = files("training").joinpath("data/intent/test.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(row)["text"] for row in rows if row.strip()]
    assert np.allclose(scorer._predict(texts), scorer._pipeline.predict_proba(texts), atol=1e-12)


def test_word_cached_char_ngrams_equal_scikit_learns_exactly(scorer):
    from nlp.char_ngrams import word_cached_transform

    vectorizer = dict(scorer._pipeline.named_steps["features"].transformer_list)["chars"]
    transform = word_cached_transform(vectorizer)
    assert transform is not None
    rows = files("training").joinpath("data/intent/test.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(row)["text"] for row in rows if row.strip()]
    texts += ["", " ", "a", "I x", "UBE  8'\t\nrows\u00a0x10", "Ünïcödé wörds ß İstanbul", "ab ab ab abc"]
    for batch in (texts, texts):  # the second pass reads every word from the cache
        assert (transform(batch) != vectorizer.transform(batch)).nnz == 0


def test_the_fast_path_is_in_use(scorer):
    """A transformer the fast path does not mirror (CueFeatures) once made it fall back to the pipeline."""
    assert scorer._predict != scorer._pipeline.predict_proba


def test_the_normaliser_equals_its_rewrites_applied_one_by_one():
    """The literal scan and the prefix searches only skip rewrites that would change nothing."""
    import re

    from training import features

    def plain(text: str) -> str:
        for table, padded in ((features._CASE_SENSITIVE, True), (features._ABBREVIATIONS, False)):
            for pattern, replacement in table:
                text = re.sub(pattern, f" {replacement} " if padded else replacement, text)
            text = text.lower() if padded else text
        return features._SPACES.sub(" ", text).strip()

    rows = files("training").joinpath("data/intent/test.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(row)["text"] for row in rows if row.strip()]
    texts += ["LB dressing w/c 10# 3x10 AROM; w/o SBA", "B UE ther ex, TE/TA, 5 min ea", "İ w/ ſ 2 lbs", ""]
    for text in texts:
        assert features.normalise_text(text) == plain(text), text
