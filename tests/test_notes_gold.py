"""Intent examples from the annotated notes' gold: only tuning splits are read, the committed file is valid,
and the leave-one-split-out check never trains the model it scores on a split on that split's examples."""

import json
import re

import pytest

from nlp.blocks import INTENT_CODES
from nlp.pipeline import build_pipeline, make_doc
from training import leave_one_split_out as loso
from training import notes_gold
from training.notes_gold import GOLD_FILE, TUNING_SPLITS, check_split, key, note_examples
from training.train import TEST_FILE, default_data_dir, read_jsonl

DATA = default_data_dir()
HELD_OUT = ("test2", "test3")  # the held-out splits (notes README)


def test_the_split_list_names_no_held_out_split():
    assert TUNING_SPLITS and not set(HELD_OUT) & set(TUNING_SPLITS)
    assert all(re.fullmatch(r"dev(?:[2-9]|[1-9]\d)?|test", split) for split in TUNING_SPLITS)


@pytest.mark.parametrize("split", ["test2", "test3", "dev36", "dev37", "../notes/test", "train"])
def test_a_held_out_or_unknown_split_is_refused(split):
    with pytest.raises(ValueError, match="not a tuning split"):
        check_split(split)


def test_the_generator_opens_only_the_tuning_splits(monkeypatch):
    opened = []
    monkeypatch.setattr(notes_gold, "load_split", lambda path: opened.append(path.stem) or [])
    examples, _ = notes_gold.build(DATA)
    assert examples == [] and opened == list(TUNING_SPLITS)


def read_block_examples(text, gold):
    row = {"id": "dev-999", "text": text, "discipline": "OT", "gold": {"interventions": gold}}
    pipeline = build_pipeline()
    with pipeline.select_pipes(disable=["notecode_intent"]):
        blocks = pipeline(make_doc(pipeline, text, "OT"))._.notecode.blocks
    return list(note_examples("dev", row, blocks))


def test_an_example_is_the_content_the_model_reads_under_the_gold_code():
    text = ("Ther act 9 min: sorting screws into bins, turning keys in lock box.\n"
            "Manual therapy 8 min: STM R forearm.\nAdd light TB wrist ext next visit.")
    gold = [{"text": "Ther act 9 min: sorting screws into bins, turning keys in lock box", "minutes": 9,
             "status": "performed", "cpt": "97530"},
            {"text": "Manual therapy 8 min: STM R forearm", "minutes": 8, "status": "performed", "cpt": "97140"},
            {"text": "Add light TB wrist ext next visit", "minutes": None, "status": "planned", "cpt": "97110"}]
    [example] = read_block_examples(text, gold)  # 97140 is the rules' code; a plan is no work done today
    assert example.label == "97530" and example.source == "reader" and example.labelled == "97530"
    assert example.text.startswith("sorting screws into bins")  # the heading and its minutes are not read
    assert example.row()["id"] == "gold-dev-999-00" and example.row()["split"] == "dev"


def test_a_written_cpt_code_makes_no_example():
    text = "97110 x 2 (24 min): pulleys 4 min, wall walks 2x10, cane ER 2x15"
    gold = [{"text": text, "minutes": 24, "status": "performed", "cpt": "97110"}]
    assert read_block_examples(text, gold) == []


def test_the_gold_text_without_its_heading_stands_in_for_a_block_the_reader_merged():
    assert notes_gold.strip_heading("Ther ex 18 min: tendon glides 2x10") == "tendon glides 2x10"
    assert notes_gold.strip_heading("TA 12' - tray carrying") == "tray carrying"
    assert notes_gold.strip_heading("bridges 3x10") == "bridges 3x10"


def test_a_text_the_gold_labels_two_ways_or_already_known_is_dropped():
    def example(text, label, note="dev-001"):
        return notes_gold.GoldExample("dev", note, 0, text, label, "reader", "model", None)

    kept, dropped = notes_gold.deduplicate(
        [example("bridges 3x10", "97110"), example("Bridges  3x10", "97110", "dev-002"),
         example("coin sorting", "97530"), example("coin sorting", "97112", "dev-003"),
         example("rest break", "97110")], known={key("REST BREAK")})
    assert [e.text for e in kept] == ["bridges 3x10"]
    assert dropped == {"repeated": 1, "conflicting gold labels": 2, "in intent data": 1}


def test_the_committed_file_holds_valid_tuning_split_examples_only():
    rows = read_jsonl(DATA / GOLD_FILE)
    assert rows
    known = {key(row["text"]) for name in ("train_ot_adult.jsonl", "train_pt_peds.jsonl", TEST_FILE)
             for row in read_jsonl(DATA / name)}
    for row in rows:
        assert row["label"] in INTENT_CODES
        assert row["split"] in TUNING_SPLITS and row["note"].startswith(f"{row['split']}-")
        assert row["id"].startswith(f"gold-{row['note']}-")
        assert key(row["text"]) not in known
    assert len({row["id"] for row in rows}) == len({key(row["text"]) for row in rows}) == len(rows)


def test_leave_one_split_out_never_trains_on_the_split_it_scores(monkeypatch, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("train_ot_adult.jsonl", "train_pt_peds.jsonl"):
        (data / name).write_text((DATA / name).read_text())
    rows = [{"id": f"gold-{split}-001-00", "text": f"exercise {split}", "label": "97110", "split": split,
             "note": f"{split}-001"} for split in ("dev", "dev2", "dev3")]
    (data / GOLD_FILE).write_text("".join(json.dumps(row) + "\n" for row in rows))
    trained = {}
    monkeypatch.setattr(loso, "train_model", lambda folder, out, seed: trained.setdefault(
        out.name, {row["split"] for row in read_jsonl(folder / GOLD_FILE)}))
    monkeypatch.setattr(loso, "score_reader", lambda model, split: {key: 1.0 for key, _ in loso.FIGURES})

    results = loso.run(data, tmp_path / "work", splits=["dev", "dev3"])
    assert trained == {"model-without-gold": set(), "model-without-dev": {"dev2", "dev3"},
                       "model-without-dev3": {"dev", "dev2"}}
    assert set(results) == {"dev", "dev3"}
    assert "dev3" in loso.format_table(results)
    with pytest.raises(ValueError, match="not a tuning split"):
        loso.run(data, tmp_path / "work", splits=["test2"])
