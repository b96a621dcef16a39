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
