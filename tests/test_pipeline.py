"""The spaCy pipeline itself: blank English plus notecode's components, span groups, save and load."""

import spacy

from nlp.intent import INTENT_LABELS, KeywordIntentScorer
from nlp.pipeline import COMPONENTS, build_pipeline, load_pipeline, make_doc
from nlp.suggester import Suggester
from rules.contract import Note

NOTE = "O: Ther ex 15 min: rows w/ red TB 3x10. Grip R 40#. TTT 15 min."


def keyword_pipeline():
    pipeline = build_pipeline()
    pipeline.get_pipe("notecode_intent").scorer = KeywordIntentScorer()
    return pipeline


def test_pipeline_is_blank_english_plus_our_components():
    pipeline = build_pipeline()
    assert pipeline.lang == "en" and tuple(pipeline.pipe_names) == COMPONENTS
    assert all(not problems for problems in pipeline.analyze_pipes(pretty=False)["problems"].values())


def test_overlapping_findings_sit_in_span_groups():
    pipeline = keyword_pipeline()
    doc = pipeline(make_doc(pipeline, NOTE, "OT"))
    assert [s.label_ for s in doc.spans["interventions"]] == ["97110"]
    assert [s.text for s in doc.spans["minutes"]] == ["15 min"]
    assert [s.label_ for s in doc.spans["totals"]] == ["total_treatment"]
    assert [s.label_ for s in doc.spans["measurements"]] == ["grip"]
    assert {s.label_ for s in doc.spans["parameters"]} >= {"sets_reps", "resistance"}
    intervention = doc.spans["interventions"][0]
    assert intervention.start <= doc.spans["minutes"][0].start < intervention.end  # overlap is allowed


def test_patterns_are_saved_with_the_pipeline_and_loaded_back(tmp_path):
    pipeline = build_pipeline()
    for name in ("notecode_layout", "notecode_findings", "notecode_interventions"):
        raw = pipeline.get_pipe(name).patterns.raw
        raw["headings"] = [*raw["headings"], ["97110", "strengthening block"]]
        pipeline.get_pipe(name).initialize(patterns=raw)
    pipeline.to_disk(tmp_path / "pipeline")
    loaded = load_pipeline(tmp_path / "pipeline")
    loaded.get_pipe("notecode_intent").scorer = KeywordIntentScorer()
    doc = loaded(make_doc(loaded, "Strengthening block 20 min: rows 3x10.", "OT"))
    assert [s.label_ for s in doc.spans["interventions"]] == ["97110"]
    assert isinstance(loaded, spacy.language.Language)


class CountingScorer(KeywordIntentScorer):
    def __init__(self):
        self.calls = 0

    def score(self, texts):
        self.calls += 1
        return super().score(texts)


def test_a_batch_of_notes_is_classified_in_one_call():
    pipeline = build_pipeline()
    scorer = pipeline.get_pipe("notecode_intent").scorer = CountingScorer()
    notes = [Note(text=f"Pt did {n} min of reaching to shelves and carrying cups. TTT {n} min") for n in range(10, 40)]
    suggestions = Suggester(pipeline).suggest_texts(notes, batch_size=64)
    assert scorer.calls == 1 and len(suggestions) == 30


def test_batch_answers_equal_one_by_one_answers():
    suggester = Suggester(keyword_pipeline())
    notes = [Note(text=NOTE), Note(text="Pt declined NMR. TA 16' kitchen task"), Note(text=NOTE, payer="commercial")]
    together = suggester.suggest_texts(notes)
    alone = [suggester.suggest_texts([note])[0] for note in notes]
    assert [s.model_dump() for s in together] == [s.model_dump() for s in alone]


def test_intent_scores_cover_every_label():
    suggestion = Suggester(keyword_pipeline()).suggest_texts([Note(text="Pt did 15 min of SLS on foam, CGA.")])[0]
    scores = suggestion.interventions[0].intent_scores
    assert set(scores) == set(INTENT_LABELS) and abs(sum(scores.values()) - 1) < 0.01


class _RecordingScorer(KeywordIntentScorer):
    """The keyword baseline, keeping every text it was asked to score."""

    def __init__(self):
        self.seen = []

    def score(self, texts):
        self.seen.extend(texts)
        return super().score(texts)


def test_the_intent_model_reads_a_planned_item_without_its_planning_words():
    pipeline = build_pipeline()
    recorder = _RecordingScorer()
    pipeline.get_pipe("notecode_intent").scorer = recorder
    Suggester(pipeline).suggest_texts([Note(text="Ther act 15 min: laundry folding.\n"
                                                 "Next session we will add a light carry task.")])
    planned = [text for text in recorder.seen if "carry" in text]
    assert planned == ["we will add a light carry task"]
