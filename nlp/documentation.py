"""Documentation gaps only the text can show: no total time, exercise without parameters, no objective
measure, no functional goal, and the intent model's mismatches and close calls."""

from __future__ import annotations

from nlp.blocks import Block
from nlp.decide import IntentNote
from nlp.patterns import Patterns
from nlp.reading import Reading
from rules.contract import Note
from rules.engine import RULES_VERSION
from rules.trace import Finding, Trace
from rules.warning_codes import WarningCode

MBPM_220_3 = "MBPM Pub. 100-02 Ch. 15 §220.3 (CMS text): documentation of each treatment day"
NOT_OBJECTIVE = frozenset({"vitals"})


def documentation_findings(note: Note, reading: Reading, blocks: list[Block],
                           intent_notes: list[tuple[Block, IntentNote]], patterns: Patterns) -> list[Finding]:
    findings = [_intent_finding(block, item) for block, item in intent_notes if block in blocks]
    findings += [_complexity_finding(block) for block in blocks if block.evaluation_complexity_missing]
    performed = [b for b in blocks if b.done_in_session and b.code]
    if not performed:
        return findings
    if reading.total("treatment") is None and note.total_treatment_minutes is None:
        findings.append(Finding(WarningCode.MISSING_TOTAL_TIME, {},
                                Trace("doc.total-time", RULES_VERSION, MBPM_220_3 + " E")))
    for block in performed:
        if block.code == "97110" and not _has_exercise_details(block):
            findings.append(Finding(WarningCode.MISSING_EXERCISE_PARAMETERS, {},
                                    Trace("doc.exercise-parameters", RULES_VERSION, MBPM_220_3 + " B"),
                                    "97110", [(block.start, block.end)]))
    if not any(m.kind not in NOT_OBJECTIVE for m in reading.measurements):
        findings.append(Finding(WarningCode.MISSING_OBJECTIVE_MEASURE, {},
                                Trace("doc.objective-measure", RULES_VERSION, MBPM_220_3 + " D")))
    if not reading.functional_goal:
        findings.append(Finding(WarningCode.MISSING_FUNCTIONAL_GOAL, {},
                                Trace("doc.functional-goal", RULES_VERSION, "MBPM Ch. 15 §220.1.2 B and §220.3")))
    return findings


def _has_exercise_details(block: Block) -> bool:
    """Sets, reps, holds, resistance, a level, or the duration of an item inside the block."""
    item_minutes = [m for m in block.minute_spans if m.start >= block.content_start]
    return block.parameters.documented or bool(item_minutes)


def _complexity_finding(block: Block) -> Finding:
    """An evaluation without its complexity: billed at the lowest level, and the coder should choose."""
    higher = str(int(block.code or "0") + 1)
    return Finding(WarningCode.AMBIGUOUS_INTENT, {"first": block.code, "second": higher},
                   Trace("evaluation.complexity", RULES_VERSION,
                         "CPT evaluation codes by complexity; MCPM Ch. 5 §20.2"),
                   block.code, [(block.start, block.end)])


def _intent_finding(block: Block, item: IntentNote) -> Finding:
    trace = Trace("intent.model", RULES_VERSION, "training/MODEL_CARD.md; GUIDELINES.md")
    span = [(block.start, block.end)]
    if item.kind == "mismatch":
        return Finding(WarningCode.INTENT_MISMATCH, {"labelled": item.first, "supported": item.second}, trace,
                       item.second, span)
    return Finding(WarningCode.AMBIGUOUS_INTENT, {"first": item.first, "second": item.second}, trace,
                   block.code, span)
