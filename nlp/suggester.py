"""From a note's text to the contract's Suggestion: the pipeline reads, the rules engine bills."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import cast

from spacy.language import Language
from spacy.tokens import Doc

from nlp.blocks import Block, mention_only
from nlp.components import IntentComponent, InterventionsComponent
from nlp.decide import confidence
from nlp.documentation import documentation_findings
from nlp.doubts import with_doubts
from nlp.findings import body_site, laterality, rendering_provider
from nlp.literal_scan import done_reading, reading_note
from nlp.patterns import Patterns, ReadStatus
from nlp.pipeline import build_pipeline, make_doc
from nlp.reading import Reading
from rules.codes import lookup
from rules.contract import EngineInfo, Intervention, Measurement, Note, Status, Suggestion
from rules.engine import ENGINE_VERSION, apply_rules, render_warning
from rules.facts import ServiceFact
from rules.payers import get_payer
from rules.suggest import visit_facts


class Suggester:
    """Holds one pipeline (and its intent model) and suggests for many notes, batch by batch."""

    def __init__(self, pipeline: Language | None = None, model_dir: Path | None = None) -> None:
        self.pipeline = pipeline or build_pipeline(model_dir)

    @property
    def model_name(self) -> str:
        # spaCy's stubs type every pipe as Callable[[Doc], Doc]; get_pipe returns the component object itself
        return str(cast(IntentComponent, self.pipeline.get_pipe("notecode_intent")).scorer.name)

    def suggest_texts(self, notes: list[Note], batch_size: int = 256) -> list[Suggestion]:
        docs = (make_doc(self.pipeline, note.text or "", note.discipline) for note in notes)
        return [self._suggestion(note, doc) for note, doc in
                zip(notes, self.pipeline.pipe(docs, batch_size=batch_size), strict=True)]

    def _suggestion(self, note: Note, doc: Doc) -> Suggestion:
        reading: Reading = doc._.notecode
        token = reading_note(reading.text, reading.literal_scans)
        try:
            return self._read_suggestion(note, doc, reading)
        finally:
            done_reading(token)

    def _read_suggestion(self, note: Note, doc: Doc, reading: Reading) -> Suggestion:
        patterns = cast(InterventionsComponent, self.pipeline.get_pipe("notecode_interventions")).patterns  # as above
        blocks = [b for b in reading.blocks if not mention_only(reading.text, b, patterns)]
        shown = [b for b in blocks if output_status(b.status.status) is not None]
        services = _services(note, reading, shown, patterns)
        visit = visit_facts(
            note, services,
            icd10=list(dict.fromkeys(d.label for d in reading.diagnoses)),
            rendering_provider=rendering_provider(reading.providers, note.discipline),
            total_treatment_minutes=reading.total("treatment"),
            stated_total_timed_minutes=reading.total("timed"),
        )
        result = apply_rules(visit, text=note.text)
        substitutions = get_payer(note.payer).code_substitutions  # the payer's codes, for the interventions too
        extra = documentation_findings(note, reading, shown, doc._.intent_notes or [], patterns)
        warnings = result.warnings + [render_warning(f, note.text) for f in extra]
        return with_doubts(Suggestion(
            id=note.id,
            lines=result.lines,
            interventions=[_intervention(reading, b, patterns, note.discipline, substitutions) for b in shown],
            measurements=[Measurement(kind=m.kind, text=reading.source[m.start:m.end], start=m.start, end=m.end,
                                      value=m.value, unit=m.unit) for m in reading.measurements],
            warnings=warnings,
            totals=result.totals,
            engine=EngineInfo(version=ENGINE_VERSION, model=self.model_name, rules=result.rules_label),
        ))


def _not_billed(reading: Reading, block: Block, patterns: Patterns) -> str | None:
    """The note's own words that a service it documents is not billed ("ice pack (not charged)")."""
    found = patterns.not_billed.search(reading.text, block.start, block.end)
    return found.group(0) if found else None


def _services(note: Note, reading: Reading, blocks: Iterable[Block], patterns: Patterns) -> list[ServiceFact]:
    billable = [b for b in blocks if b.done_in_session and b.code and _allowed(b.code, note)
                and _not_billed(reading, b, patterns) is None]
    _minutes_from_stated_total(reading, billable)
    timed_blocks = [b for b in billable if b.minutes is not None]
    return [
        ServiceFact(
            cpt=b.code or "", minutes=b.minutes, stated_units=b.stated_units,
            # two blocks each with their own minutes were done in different time intervals (NCCI Ch. 11 §P.2)
            distinct="time_block" if b.minutes is not None and len(timed_blocks) > 1 else None,
            confidence=confidence(b), evidence=((b.start, b.end),), reason=_reason(b), source="interventions",
        )
        for b in billable
    ]


def _minutes_from_stated_total(reading: Reading, billable: list[Block]) -> None:
    """One timed block without minutes and a stated total of timed minutes (or, when it is the visit's only service,
    of treatment minutes): the rest of that total is its time (MBPM §220.3 E lets minutes per intervention go
    unrecorded when the total is documented)."""
    stated = reading.total("timed")
    timed = [b for b in billable if (code := lookup(b.code or "")) is not None and code.timed]
    missing = [b for b in timed if b.minutes is None]
    if stated is None and len(billable) == 1 and missing:
        stated = reading.total("treatment")  # the visit's only service: "Ther ex via video: ... 20 min total."
    if stated is None or len(missing) != 1:
        return
    rest = stated - sum(b.minutes or 0 for b in timed)
    if rest > 0:
        missing[0].minutes = rest
        missing[0].code_rule = f"{missing[0].code_rule}; minutes from the note's stated total"


def _allowed(code: str, note: Note) -> bool:
    entry = lookup(code)
    return entry is not None and note.discipline in entry.disciplines and entry.in_force(note.date_of_service)


def _reason(block: Block) -> str:
    rule = block.code_rule or "intent"
    if rule.startswith("intent"):
        return f"intent model: {block.code} ({block.intent_scores.get(block.code or '', 0):.2f})"
    return f"{rule} rule: {block.code}"


def output_status(status: ReadStatus) -> Status | None:
    """The contract's status for a block's, or None for a block the output leaves out (done before this visit)."""
    return None if status == "historical" else status


def _intervention(reading: Reading, block: Block, patterns: Patterns, discipline: str,
                  substitutions: Mapping[str, str]) -> Intervention:
    """One documented intervention, under the code the payer takes for it (G0283 or 97014); its provider is
    the one its own text names, else the note's."""
    segment = reading.text[block.start:block.end]
    own = [p for p in reading.providers if block.start <= p.start < block.end]
    status = output_status(block.status.status)
    if status is None:
        raise ValueError("a block done before this visit is never output")
    return Intervention(
        text=reading.source[block.start:block.end], start=block.start, end=block.end,
        cpt=substitutions.get(block.code or "", block.code),
        minutes=block.minutes,
        status=status, intent_scores=block.intent_scores, parameters=block.parameters.as_dict(),
        body_site=body_site(segment, patterns), laterality=laterality(segment, patterns),
        status_trigger=block.status.trigger, code_rule=block.code_rule, labelled_code=block.label_code,
        provider=own[0].label if own else rendering_provider(reading.providers, discipline),
        cotreatment=reading.cotreatment,
        not_billed=_not_billed(reading, block, patterns) if block.done_in_session else None,
    )


