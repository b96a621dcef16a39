"""The trained intent model: training, persistence, loading rules, corrections and quality on the test split.

The model is trained once per module on the real training split (about 10 s). The quality check on
test.jsonl is honest because nothing in training/ reads the test split.
"""

import json
import re
import shutil

import joblib
import pytest
import typer
from typer.testing import CliRunner

from api.training_commands import register
from nlp.intent import INTENT_LABELS, TRIO, KeywordIntentScorer
from nlp.intent_model import (
    META_FILE,
    MODEL_DIR_ENV,
    MODEL_FILE,
    ModelLoadError,
    TrainedIntentScorer,
    is_ambiguous,
    load_intent_scorer,
)
from training import train as train_module
from training.corrections import CorrectionsError, add_corrections, read_corrections
from training.evaluate import evaluate
from training.train import CORRECTIONS_FILE, TEST_FILE, default_data_dir, train_model

DATA = default_data_dir()
TEST_PATH = DATA / TEST_FILE
TARGET_TRIO_MACRO_F1 = 0.93
TARGET_TRIO_CLASS_F1 = 0.90
SAMPLE = [
    "AROM shoulder flex 2x10, red TB rows 3x10",
    "static standing on foam, EO/EC, reaching outside BOS, CGA",
    "pt practiced car transfers x3 w/ SBA",
    "UB dressing seated w/ sock aid and reacher, min A",
    "rest break, vitals taken",
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("intent-model")
    train_model(DATA, out)
    return out


@pytest.fixture
def data_copy(tmp_path):
    """The intent data in a scratch folder, so corrections can be appended."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns(CORRECTIONS_FILE))
    return target


def copy_model(model_dir, target):
    shutil.copytree(model_dir, target)
    return target


def edit_meta(folder, **changes):
    meta = json.loads((folder / META_FILE).read_text())
    for key, value in changes.items():
        meta[key] = value
    (folder / META_FILE).write_text(json.dumps(meta))


# ---------------------------------------------------------------- training and persistence


def test_training_writes_the_artifact_and_its_metadata(model_dir):
    assert (model_dir / MODEL_FILE).is_file() and (model_dir / "MODEL_CARD.md").is_file()
    meta = json.loads((model_dir / META_FILE).read_text())
    assert meta["labels"] == list(INTENT_LABELS)
    assert set(meta["training_data"]["sha256"]) == {"train_notes_gold.jsonl", "train_ot_adult.jsonl",
                                                    "train_pt_peds.jsonl"}
    assert {"scikit-learn", "numpy", "scipy", "spacy", "python"} <= set(meta["versions"])
    assert set(meta["cv"]["per_class"]) == set(INTENT_LABELS)
    assert meta["ambiguity"]["reached_target"] and meta["ambiguity"]["precision"] >= 0.97
    assert re.fullmatch(r"intent-\d{4}\.\d{2}-[0-9a-f]{8}", meta["name"])


def test_training_is_deterministic_and_ignores_headings(model_dir, data_copy, tmp_path):
    """A second training, on the same texts with every heading blanked, gives identical probabilities."""
    for path in data_copy.glob("train_*.jsonl"):
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        path.write_text("".join(json.dumps({**row, "heading": None}) + "\n" for row in rows))
    train_model(data_copy, tmp_path / "again")
    texts = [json.loads(line)["text"] for line in TEST_PATH.read_text().splitlines()[:50]] + SAMPLE
    assert TrainedIntentScorer(model_dir).score(texts) == TrainedIntentScorer(tmp_path / "again").score(texts)


def test_saved_pipeline_round_trips(model_dir, tmp_path):
    first = TrainedIntentScorer(model_dir)
    copy = copy_model(model_dir, tmp_path / "copy")
    joblib.dump(joblib.load(model_dir / MODEL_FILE), copy / MODEL_FILE)
    second = TrainedIntentScorer(copy)
    assert second.name == first.name and second.ambiguity == first.ambiguity
    assert set(first.ambiguity) == {"min_top", "min_margin"}  # the mapping nlp.decide reads
    assert second.score(SAMPLE) == first.score(SAMPLE)


def test_batch_scoring_gives_one_distribution_per_text(model_dir):
    scorer = TrainedIntentScorer(model_dir)
    scores = scorer.score(SAMPLE)
    assert len(scores) == len(SAMPLE)
    for row in scores:
        assert tuple(row) == INTENT_LABELS
        assert all(0.0 <= p <= 1.0 for p in row.values())
        assert sum(row.values()) == pytest.approx(1.0, abs=1e-9)
    assert scorer.score([SAMPLE[2]]) == [scores[2]]  # a text's scores do not depend on its batch
    assert scorer.score([]) == []
    assert [max(row, key=row.get) for row in scores] == ["97110", "97112", "97530", "97535", "other"]


# ---------------------------------------------------------------- loading rules


def test_an_artifact_from_another_sklearn_version_is_refused(model_dir, tmp_path):
    folder = copy_model(model_dir, tmp_path / "old")
    meta = json.loads((folder / META_FILE).read_text())
    edit_meta(folder, versions={**meta["versions"], "scikit-learn": "1.2.0"})
    with pytest.raises(ModelLoadError, match=r"built with scikit-learn 1\.2\.0, installed is") as caught:
        load_intent_scorer(folder)
    assert "\n" not in str(caught.value)


def test_a_pickle_stamped_by_another_sklearn_version_is_refused(model_dir, tmp_path, monkeypatch):
    """meta.json can lie; scikit-learn's own InconsistentVersionWarning becomes the same error."""
    folder = copy_model(model_dir, tmp_path / "stamped")
    pipeline = joblib.load(model_dir / MODEL_FILE)
    with monkeypatch.context() as patch:
        patch.setattr("sklearn.base.__version__", "1.2.0")
        joblib.dump(pipeline, folder / MODEL_FILE)
    with pytest.raises(ModelLoadError, match=r"pickled with scikit-learn 1\.2\.0"):
        TrainedIntentScorer(folder)


def test_without_an_artifact_the_keyword_baseline_is_used(model_dir, tmp_path, monkeypatch):
    assert isinstance(load_intent_scorer(tmp_path / "empty"), KeywordIntentScorer)
    monkeypatch.setenv(MODEL_DIR_ENV, str(tmp_path / "empty"))
    assert isinstance(load_intent_scorer(), KeywordIntentScorer)
    monkeypatch.setenv(MODEL_DIR_ENV, str(model_dir))
    assert isinstance(load_intent_scorer(), TrainedIntentScorer)


def test_is_ambiguous_names_the_two_closest_codes():
    thresholds = {"min_top": 0.5, "min_margin": 0.2}
    clear = {"97110": 0.8, "97530": 0.1, "97112": 0.05, "97535": 0.03, "other": 0.02}
    close = {"97110": 0.45, "97530": 0.05, "97112": 0.40, "97535": 0.05, "other": 0.05}
    assert is_ambiguous(clear, thresholds) is None
    assert is_ambiguous(close, thresholds) == ("97110", "97112")
    assert is_ambiguous(clear, {"min_top": 0.9, "min_margin": 0.0}) == ("97110", "97530")


# ---------------------------------------------------------------- corrections


@pytest.mark.parametrize("line, message", [
    ('{"text": "box lift 10# x10", "code": "97999"}', "not one of"),
    ('{"text": "   ", "code": "97530"}', "text is missing or empty"),
    ('{"code": "97530"}', "text is missing or empty"),
    ('{"text": "box lift", "code": "97530"', "not valid JSON"),
    ('["box lift", "97530"]', "expected an object"),
])
def test_invalid_corrections_are_rejected_and_nothing_is_added(data_copy, tmp_path, line, message):
    source = tmp_path / "corrections.jsonl"
    source.write_text('{"text": "a brand new correction text", "code": "97110"}\n' + line + "\n")
    with pytest.raises(CorrectionsError, match=f"line 2: .*{message}"):
        add_corrections(source, data_copy)
    assert not (data_copy / CORRECTIONS_FILE).exists()


def test_corrections_are_deduplicated_and_join_the_training_split(data_copy, tmp_path):
    training_text = json.loads((data_copy / "train_ot_adult.jsonl").read_text().splitlines()[0])["text"]
    test_text = json.loads(TEST_PATH.read_text().splitlines()[0])["text"]
    source = tmp_path / "corrections.jsonl"
    rows = [{"text": training_text.upper(), "code": "97110"},  # already in training (case does not matter)
            {"text": test_text, "code": "97110"},  # the frozen test split must not leak into training
            {"text": "wiping tables  in the clinic kitchen, 5 min", "code": "97530"},
            {"text": "wiping tables in the clinic kitchen, 5 min", "code": "97530"}]  # repeated in the file
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    assert len(read_corrections(source)) == 4
    assert add_corrections(source, data_copy) == 1
    assert add_corrections(source, data_copy) == 0
    added = [json.loads(line) for line in (data_copy / CORRECTIONS_FILE).read_text().splitlines()]
    assert [(row["label"], row["tags"]) for row in added] == [("97530", ["correction"])]
    assert data_copy / CORRECTIONS_FILE in train_module.training_files(data_copy)


def test_add_corrections_command_retrains_and_compares(model_dir, data_copy, tmp_path, monkeypatch):
    # one grid point: this checks the plumbing (temp folder, comparison, install), not the tuning
    monkeypatch.setattr(train_module, "GRID", {"char_ngrams": [(3, 6)], "C": [1.0]})
    models = copy_model(model_dir, tmp_path / "models")
    source = tmp_path / "corrections.jsonl"
    source.write_text(json.dumps({"text": "carrying groceries from car to kitchen counter x3 trips", "code": "97530"})
                      + "\n")
    result = CliRunner().invoke(cli_app(), ["add-corrections", str(source), "--data", str(data_copy),
                                            "--model", str(models), "--install"])
    assert result.exit_code == 0, result.output
    assert "1 of 1 corrections added" in result.output
    old_name = json.loads((model_dir / META_FILE).read_text())["name"]
    new_meta = json.loads((models / META_FILE).read_text())
    assert old_name in result.output and new_meta["name"] in result.output and new_meta["name"] != old_name
    assert CORRECTIONS_FILE in new_meta["training_data"]["sha256"]


# ---------------------------------------------------------------- command line and quality


def cli_app():
    app = typer.Typer()
    app.command("noop")(lambda: None)  # a Typer app with one command would make it the root command
    register(app)
    return app


def test_commands_fail_with_one_line_and_no_traceback(model_dir, tmp_path):
    folder = copy_model(model_dir, tmp_path / "old")
    meta = json.loads((folder / META_FILE).read_text())
    edit_meta(folder, versions={**meta["versions"], "scikit-learn": "1.2.0"})
    result = CliRunner().invoke(cli_app(), ["evaluate", "--model", str(folder)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")
    assert "Traceback" not in result.output


def test_quality_on_the_frozen_test_split(model_dir):
    result = evaluate(model_dir, TEST_PATH)
    trio_f1 = {label: result["per_class"][label]["f1"] for label in TRIO}
    assert result["macro_f1_trio"] >= TARGET_TRIO_MACRO_F1, trio_f1
    assert min(trio_f1.values()) >= TARGET_TRIO_CLASS_F1, trio_f1
    meta = json.loads((model_dir / META_FILE).read_text())
    assert meta["test"]["macro_f1_trio"] == result["macro_f1_trio"]
