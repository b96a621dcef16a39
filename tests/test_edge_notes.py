"""Notes at the edges get a clear answer: an error naming the problem, or NO_BILLABLE_SERVICES."""

import pytest

from api.service import MAX_TEXT_CHARS, suggest
from rules.errors import NoteError


@pytest.mark.parametrize("text, problem", [
    ("", "text: the note is empty"),
    ("   \n\t  ", "text: the note is empty"),
    ("abc\x00\x01\x02", "text: the note contains binary data"),
    ("x" * (MAX_TEXT_CHARS + 1), "text: the note is 1,000,001 characters"),
])
def test_unusable_text_is_an_error(text, problem):
    with pytest.raises(NoteError, match=problem):
        suggest({"text": text})


def test_garbage_text_has_nothing_to_bill():
    suggestion = suggest({"text": "ÿþ€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ ¡¢£¤¥¦§¨©ª«¬­®¯" * 50, "icd10": ["M25.511"]})
    assert suggestion.lines == [] and "NO_BILLABLE_SERVICES" in {w.code for w in suggestion.warnings}


def test_a_megabyte_note_is_read_to_the_end():
    block = "Ther ex 15 min: rows w/ red TB 3x10. NMR 10 min: SLS on foam 3x30 sec. TTT 25 min.\n"
    text = (block * (MAX_TEXT_CHARS // len(block)))[:MAX_TEXT_CHARS]
    suggestion = suggest({"text": text, "icd10": ["M25.511"]})
    assert suggestion.lines and suggestion.interventions[-1].end > MAX_TEXT_CHARS - len(block)


@pytest.mark.parametrize("block", [
    "TE 15 / MT 10 / NMR 6. TE: rows 3x10. MT: mobs. NMR: SLS.\n",  # code summaries, each placed on its block
    "CPT\tMin\tUnits\n97110\t20\t2\n97140\t10\t1\n",  # billing tables with minutes columns
])
def test_a_megabyte_of_repeated_summaries_is_read_to_the_end(block):
    text = (block * (MAX_TEXT_CHARS // 4 // len(block)))  # placing summary minutes must stay linear
    suggestion = suggest({"text": text, "icd10": ["M25.511"]})
    assert suggestion.interventions and suggestion.interventions[-1].end > len(text) - 2 * len(block)


def test_a_long_note_of_repeated_time_in_and_out_is_read():
    block = "Time in 10:05 Out 10:50\n"  # each total found once: earlier ones are checked by bisection
    suggestion = suggest({"text": block * (MAX_TEXT_CHARS // 4 // len(block)), "icd10": ["M25.511"]})
    assert suggestion.totals.total_treatment_minutes == 45


def test_a_long_note_of_repeated_evaluation_lines_is_one_evaluation():
    block = "OT eval 30 min\n"  # merged by identity, not by comparing blocks field by field
    suggestion = suggest({"text": block * (MAX_TEXT_CHARS // 4 // len(block)), "icd10": ["M25.511"]})
    assert [i.cpt for i in suggestion.interventions] == ["97165"]
