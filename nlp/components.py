"""notecode's spaCy components. Each reads one layer of the note into `doc._.notecode` (a `Reading`) and
mirrors what it found in span groups, so overlapping findings (an intervention that contains a minutes
span and a resistance span) sit side by side in `doc.spans`.

Registration lives in `nlp.factories`, the one place every component name in a config can be traced to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.blocks import Block, attach_billed_units, merge_adjacent
from nlp.code_summary import place_summaries, summaries_as_work
from nlp.decide import IntentNote, decide
from nlp.intent import IntentScorer
from nlp.literal_scan import done_reading, reading_note
from nlp.patterns import Patterns
from nlp.reading import Reading, read_blocks, read_findings, read_layout


def _reading(doc: Doc) -> Reading:
    reading: Reading | None = doc._.notecode
    if reading is None:
        reading = doc._.notecode = Reading.of(doc.text, doc._.discipline or "OT")
    return reading


def _content(text: str, block: Block) -> str:
    """What the intent model reads: the block's content, and for a planned item without its cue ("Next session
    we will add a light carry task" reads as a plan, "we will add a light carry task" as the task it plans)."""
    start = block.content_start if block.content_start < block.end else block.start
    status = block.status
    if (status.status == "planned" and status.start is not None and status.end is not None
            and start <= status.start and status.end <= block.end):
        return f"{text[start:status.start]} {text[status.end:block.end]}".strip() or text[start:block.end]
    return text[start:block.end]


def _group(doc: Doc, name: str, items: Iterable[tuple[int, int, str]]) -> None:
    """The items as the span group `name`. Each label is added to the string store once per group, not once
    per span (as `char_span` does for a label given as text, about half its time): the same spans."""
    strings = doc.vocab.strings
    label_ids: dict[str, int] = {}
    spans: list[Span] = []
    for start, end, label in items:
        label_id = label_ids.get(label)
        if label_id is None:
            label_id = label_ids[label] = strings.add(label)
        span = doc.char_span(start, end, label=label_id, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[name] = spans


class PatternComponent:
    """A component whose behaviour is its patterns: saved with the pipeline, loaded back from it."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.patterns = Patterns()

    def initialize(self, get_examples: Any = None, nlp: Language | None = None,
                   patterns: dict[str, Any] | None = None) -> None:
        if patterns is not None:
            self.patterns = Patterns(patterns)

    def __call__(self, doc: Doc) -> Doc:
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """A whole batch read by this component before the next one reads it: one stage's patterns and code
        stay in the CPU's caches across many notes (measured some 5% faster than each note through every stage)."""
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            for doc in batch:
                reading = _reading(doc)
                token = reading_note(reading.text, reading.literal_scans)
                try:
                    self(doc)
                finally:
                    done_reading(token)
            yield from batch

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        self.patterns.to_disk(Path(path))

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> PatternComponent:
        self.patterns = Patterns.from_disk(Path(path))
        return self


class LayoutComponent(PatternComponent):
    def __call__(self, doc: Doc) -> Doc:
        reading = _reading(doc)
        read_layout(reading, self.patterns)
        _group(doc, "sections", ((s.start, s.end, s.label) for s in reading.sections if s.end > s.start))
        return doc


class FindingsComponent(PatternComponent):
    def __call__(self, doc: Doc) -> Doc:
        reading = _reading(doc)
        read_findings(reading, self.patterns)
        _group(doc, "minutes", ((m.start, m.end, "minutes") for m in reading.minutes))
        _group(doc, "totals", ((t.start, t.end, f"total_{t.kind}") for t in reading.totals))
        _group(doc, "measurements", ((m.start, m.end, m.kind) for m in reading.measurements))
        _group(doc, "diagnoses", ((d.start, d.end, d.label) for d in reading.diagnoses))
        _group(doc, "providers", ((p.start, p.end, p.label) for p in reading.providers))
        return doc


class InterventionsComponent(PatternComponent):
    def __call__(self, doc: Doc) -> Doc:
        reading = _reading(doc)
        read_blocks(reading, self.patterns)
        _group(doc, "interventions", ((b.start, b.end, b.code or "undecided") for b in reading.blocks))
        _group(doc, "parameters", ((p.start, p.end, p.label) for b in reading.blocks for p in b.parameters.spans))
        return doc


class IntentComponent:
    """Decides the codes the rules leave open, scoring every open block of a whole batch in one call."""

    def __init__(self, nlp: Language, name: str, model_dir: str | None) -> None:
        self.name = name
        self.model_dir = model_dir
        self._scorer: IntentScorer | None = None

    @property
    def scorer(self) -> IntentScorer:
        if self._scorer is None:
            from nlp.intent_model import load_intent_scorer

            self._scorer = load_intent_scorer(Path(self.model_dir) if self.model_dir else None)
        return self._scorer

    @scorer.setter
    def scorer(self, value: IntentScorer) -> None:
        self._scorer = value

    @property
    def thresholds(self) -> Mapping[str, float]:
        from nlp.intent_model import thresholds_for

        return thresholds_for(self.scorer)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._decide(batch)
                batch = []
        if batch:
            yield from self._decide(batch)

    def _decide(self, docs: list[Doc]) -> list[Doc]:
        open_blocks = [(doc, block) for doc in docs for block in _reading(doc).blocks if block.needs_intent]
        contents = [_content(_reading(doc).text, block) for doc, block in open_blocks]
        scores = self.scorer.score(contents) if contents else []
        thresholds = self.thresholds
        summarized = {id(doc): frozenset(item.code for summary in _reading(doc).summaries for item in summary.items)
                      for doc in docs}
        untimed_visit = {id(doc): _reading(doc).total("treatment") is not None
                         and all(block.minutes is None for block in _reading(doc).blocks) for doc in docs}
        for (doc, block), block_scores in zip(open_blocks, scores, strict=True):
            outcome = decide(block, block_scores, thresholds, summarized[id(doc)], untimed_visit[id(doc)])
            if outcome is False:
                block.code = None
            elif isinstance(outcome, IntentNote):
                if doc._.intent_notes is None:
                    doc._.intent_notes = []
                doc._.intent_notes.append((block, outcome))
        for doc in docs:
            reading = _reading(doc)
            reading.blocks = merge_adjacent([b for b in reading.blocks if b.code is not None])
            attach_billed_units(reading.blocks, reading.billed_units)
            reading.blocks, reading.summaries = place_summaries(reading.blocks, reading.summaries,
                                                                lambda block: block.code)
            reading.blocks, reading.summaries = summaries_as_work(reading.text, reading.blocks, reading.summaries)
            _group(doc, "interventions", ((b.start, b.end, b.code or "") for b in reading.blocks))
        return docs
