"""Doubts about a reading: which signs flag a note for a coder's review, and what a flag does to its lines."""

import pytest

from nlp.doubts import DOUBT_CONFIDENCE, reading_doubts, with_doubts
from nlp.intent import KeywordIntentScorer
from nlp.pipeline import build_pipeline
from nlp.suggester import Suggester
from rules.contract import EngineInfo, Intervention, Line, Note, Suggestion, Totals, Warning


@pytest.fixture(scope="module")
def suggester():
    pipeline = build_pipeline()
    pipeline.get_pipe("notecode_intent").scorer = KeywordIntentScorer()
    return Suggester(pipeline)


def suggestion(lines=(), warnings=(), interventions=(), **totals):
    return Suggestion(lines=list(lines), warnings=[Warning(code=c, severity="warning", message="m") for c in warnings],
                      interventions=list(interventions), totals=Totals(**totals),
                      engine=EngineInfo(version="t", rules="t"))


def line(cpt="97110", units=1, confidence=0.95):
    return Line(cpt=cpt, units=units, confidence=confidence)


def test_a_consistent_reading_has_no_doubt():
    s = suggestion([line()], timed_minutes=30, total_treatment_minutes=35)
    assert reading_doubts(s) == []
    assert with_doubts(s) is s


@pytest.mark.parametrize("code", ["MISSING_TIMED_MINUTES", "TIME_INCONSISTENT", "AMBIGUOUS_INTENT",
                                  "INTENT_MISMATCH", "NO_BILLABLE_SERVICES"])
def test_warnings_that_question_the_reading_are_doubts(code):
    assert len(reading_doubts(suggestion([line()], [code], timed_minutes=30, total_treatment_minutes=30))) == 1


def test_warnings_about_the_documentation_alone_are_not_doubts():
    s = suggestion([line()], ["MISSING_FUNCTIONAL_GOAL", "UNITS_MISMATCH", "INSUFFICIENT_MINUTES"],
                   timed_minutes=30, total_treatment_minutes=30)
    assert reading_doubts(s) == []


def test_minutes_well_under_the_stated_total_are_a_doubt():
    assert reading_doubts(suggestion([line()], timed_minutes=10, total_treatment_minutes=45)) == [
        "the minutes read (10) are well under the stated total (45)"]
    assert reading_doubts(suggestion([line()], timed_minutes=32, total_treatment_minutes=45)) == []


def test_untimed_minutes_count_toward_the_stated_total():
    hot_pack = Intervention(text="MHP", start=0, end=3, cpt="97010", minutes=15, status="performed")
    s = suggestion([line()], interventions=[hot_pack], timed_minutes=25, total_treatment_minutes=45)
    assert reading_doubts(s) == []
    declined = hot_pack.model_copy(update={"status": "declined"})
    assert reading_doubts(suggestion([line()], interventions=[declined], timed_minutes=25,
                                     total_treatment_minutes=45)) != []


def test_an_hour_of_timed_minutes_with_no_total_is_a_doubt():
    assert reading_doubts(suggestion([line(units=4)], timed_minutes=60)) == [
        "60 timed minutes read and no total stated to check them"]
    assert reading_doubts(suggestion([line(units=3)], timed_minutes=45)) == []


def test_a_doubt_caps_every_line_and_says_why():
    assert with_doubts(suggestion([line("97110", 2, 0.95)], timed_minutes=40)).review == []
    doubted = with_doubts(suggestion([line("97110", 2, 0.95), line("97140", 1, 0.3)], ["TIME_INCONSISTENT"],
                                     timed_minutes=40, total_treatment_minutes=38))
    assert [ln.confidence for ln in doubted.lines] == [DOUBT_CONFIDENCE, 0.3]
    assert doubted.review == ["the minutes read exceed the note's stated total", "a line's code is uncertain"]
    assert doubted.lines[0].trace[-1].rule == "review.reading_doubt"


def test_the_suggester_flags_a_note_whose_total_it_cannot_account_for(suggester):
    text = "Total treatment time 50 min. Ther ex 12 min: bridges 2x10, clams 2x10 red TB. Pt tolerated well."
    s = suggester.suggest_texts([Note(text=text)])[0]
    assert [(ln.cpt, ln.units) for ln in s.lines] == [("97110", 1)]
    assert s.review == ["the minutes read (12) are well under the stated total (50)"]
    assert s.lines[0].confidence == DOUBT_CONFIDENCE
    assert all(text not in reason for reason in s.review)  # reasons name counts, never the note's words


def test_the_suggester_leaves_a_consistent_note_unflagged(suggester):
    s = suggester.suggest_texts([Note(text="Ther ex 25 min: bridges 2x10, clams 2x10 red TB. TTT 25 min.")])[0]
    assert s.review == []
    assert s.lines[0].confidence > DOUBT_CONFIDENCE
