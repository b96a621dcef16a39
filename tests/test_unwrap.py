"""Soft line breaks: a note wrapped at a fixed width reads as its sentences, with every offset unchanged."""

import textwrap

from nlp.unwrap import unwrap_soft_breaks

PARAGRAPH = ("Pt completed 24 minutes of therapeutic exercise including bike 8 min for warm-up, SAQ 2x15 with 3 lb, "
             "heel slides w/ strap 2x15, step-ups 6\" 2x10. Manual therapy 12 minutes: patellar mobs, STM to distal "
             "quad. Gait training 9 minutes without AD in hallway and on stairs, cues for heel strike. Total session "
             "time 45 min.")
WRAPPED = textwrap.fill(PARAGRAPH, 64)  # as an EHR export wraps it


def test_a_wrapped_paragraph_reads_as_one_line_and_keeps_its_length():
    unwrapped = unwrap_soft_breaks(WRAPPED)
    assert len(unwrapped) == len(WRAPPED)
    assert unwrapped == PARAGRAPH


def test_a_list_whose_items_fill_their_lines_is_left_alone():
    items = ("TE 15 - supine wand flex, pulleys, isometrics 5x10s, scapular squeezes 2x10\n"
             "ThAct 8 - reach to cabinet w/ light cups, hair brushing sim, laundry folding\n"
             "MT 7 - gentle PROM GH, scap mobs, STM upper trap and levator scapulae R\n"
             "- pt tolerated well\n0830-0840 manual: patellar mobs\nTotal 30 min")
    assert unwrap_soft_breaks(items) == items


def test_sentence_ends_indented_items_and_tables_keep_their_breaks():
    text = ("Pain 3/10 at rest and 5/10 with reaching overhead in the morning.\n"
            "Ther ex 20 min: wall slides, pulleys, table slides and scapular sets\n"
            "  Gait 16 min ....... SPC in L hand, cues for heel strike and step\n"
            "| Wrist ext | 32 | 48 | goal 60 |\n"
            "length on level surfaces and on the ramp outside the clinic today")
    assert unwrap_soft_breaks(text) == text
