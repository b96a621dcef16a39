"""Intent examples from the annotated notes' gold: what the reader passes the model for a block, labelled
with the gold code of the intervention that block documents.

Only the TUNING splits below are ever opened. The held-out `test2` and `test3` (and any split written later) are
held out from all tuning, this model's training included; the list is explicit so that no glob can pull them in.
`test`, the first held-out split, was opened in session 7 once `test2` and `test3` were frozen; `dev10`, blind since
session 5, in session 8.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.blocks import INTENT_CODES, Block
from nlp.components import _content  # the one definition of what the intent model reads for a block
from nlp.evaluation import load_split, notes_path
from nlp.pipeline import build_pipeline, make_doc
from training.train import TEST_FILE, read_jsonl, training_files

TUNING_SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev11", "dev12", "dev13",
                 "dev14", "dev15", "dev16", "dev17", "test", "dev10", "dev18", "dev19", "dev20", "dev21",
                 "dev22", "dev23", "dev24", "dev25", "dev26", "dev27",
                 "dev28", "dev29", "dev30", "dev31", "dev32", "dev33", "dev34", "dev35")
GOLD_FILE = "train_notes_gold.jsonl"
# Only work done today. Plans, home programs and held or declined items are short fragments ("add
# step-downs", "HEP handout given") whose gold code is a guess at what they would be; with them in, the
# leave-one-split-out check lost billed lines on three splits (see MODEL_CARD.md), without them none.
STATUSES = frozenset({"performed"})
# A block whose written CPT code decides it is never read by the model, and its content names the answer
# ("97110 x 2 (24 min): pulleys ..."): no example is made from it.
CODED_BY_WRITTEN_CPT = "cpt"
# A leading code heading with optional minutes ("Ther ex 18 min:", "TA 12'", "97110 TE (15):"), for gold
# texts the reader found no block for.
MIN_FALLBACK_WORDS = 2
_HEADING = re.compile(r"^\s*[\w/&.\- ]{1,40}?\s*(?:\(?\s*\d+\s*(?:min(?:ute)?s?|')?\s*\)?)?\s*[:\-–—]\s+")


@dataclass(frozen=True)
class GoldExample:
    split: str
    note_id: str
    index: int  # the intervention's place in the note's gold
    text: str
    label: str
    source: str  # "reader": the content of the reader's block; "gold": the gold text, heading stripped
    rule: str  # how the reader codes the block today: "model" when it asks the model, else the rule's name
    labelled: str | None  # the code the note's heading gives the block: the model then only confirms it

    def row(self) -> dict[str, Any]:
        return {"id": f"gold-{self.note_id}-{self.index:02d}", "text": self.text, "label": self.label,
                "heading": None, "setting": None, "population": None, "split": self.split,
                "note": self.note_id, "tags": ["notes_gold", f"source:{self.source}", f"reader:{self.rule}",
                         f"heading:{self.labelled or 'none'}"]}


def check_split(split: str) -> str:
    if split not in TUNING_SPLITS:
        raise ValueError(f"{split!r} is not a tuning split; only {', '.join(TUNING_SPLITS)} may be read")
    return split


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def gold_label(cpt: str | None) -> str | None:
    """The model's label for a gold code: its own four codes only (see MODEL_CARD.md for why rule-coded gold
    does not become `other`)."""
    return cpt if cpt in INTENT_CODES else None


def strip_heading(text: str) -> str:
    stripped = _HEADING.sub("", text, count=1).strip()
    return stripped or text.strip()


def reader_blocks(rows: list[dict[str, Any]]) -> Iterator[list[Block]]:
    """Each note's blocks as the intent component receives them (before the model decides)."""
    pipeline = build_pipeline()
    docs = (make_doc(pipeline, row["text"], row.get("discipline") or "OT") for row in rows)
    with pipeline.select_pipes(disable=["notecode_intent"]):
        for doc in pipeline.pipe(docs):
            yield doc._.notecode.blocks


def note_examples(split: str, row: dict[str, Any], blocks: list[Block]) -> Iterator[GoldExample]:
    text, gold = row["text"], row["gold"]["interventions"]
    spans = [(at := text.index(g["text"]), at + len(g["text"])) for g in gold]
    for index, (item, span) in enumerate(zip(gold, spans, strict=True)):
        label = gold_label(item["cpt"])
        if label is None or item["status"] not in STATUSES:
            continue
        block = max(blocks, key=lambda b: _overlap(span, (b.start, b.end)), default=None)
        # a block that also covers another gold intervention would carry that one's words under this label
        clean = block is not None and _overlap(span, (block.start, block.end)) > 0 and not any(
            j != index and _overlap(other, (block.start, block.end)) > 0 for j, other in enumerate(spans))
        if clean and block is not None:
            if block.code_rule == CODED_BY_WRITTEN_CPT:
                continue
            content = _content(text, block).strip()
            rule = "model" if block.needs_intent else (block.code_rule or "none")
            if content:
                yield GoldExample(split, row["id"], index, content, label, "reader", rule, block.label_code)
                continue
        fallback = strip_heading(item["text"])
        if len(fallback.split()) >= MIN_FALLBACK_WORDS:  # "held" alone says nothing about the work
            yield GoldExample(split, row["id"], index, fallback, label, "gold", "unmatched", None)


def split_examples(split: str) -> list[GoldExample]:
    rows = load_split(notes_path(check_split(split)))
    return [example for row, blocks in zip(rows, reader_blocks(rows), strict=True)
            for example in note_examples(split, row, blocks)]


def key(text: str) -> str:
    """Texts that differ only in case or spacing are the same example (as for coder corrections)."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def deduplicate(examples: Iterable[GoldExample], known: set[str]) -> tuple[list[GoldExample], Counter[str]]:
    """Drops texts already in the intent training or test files, and repeats; a text the gold labels two
    ways is dropped everywhere (the model cannot learn both)."""
    examples = list(examples)
    labels: dict[str, set[str]] = {}
    for example in examples:
        labels.setdefault(key(example.text), set()).add(example.label)
    kept, dropped, seen = [], Counter[str](), set(known)
    for example in examples:
        k = key(example.text)
        if k in known:
            dropped["in intent data"] += 1
        elif len(labels[k]) > 1:
            dropped["conflicting gold labels"] += 1
        elif k in seen:
            dropped["repeated"] += 1
        else:
            seen.add(k)
            kept.append(example)
    return kept, dropped


def known_texts(data_dir: Path) -> set[str]:
    """The texts of the hand-written training files and the frozen intent test file (never this module's own
    output, so regenerating gives the same file)."""
    paths = [p for p in training_files(data_dir) if p.name != GOLD_FILE] + [data_dir / TEST_FILE]
    return {key(row["text"]) for path in paths if path.is_file() for row in read_jsonl(path)}


def build(data_dir: Path, splits: Iterable[str] = TUNING_SPLITS) -> tuple[list[GoldExample], Counter[str]]:
    examples = [example for split in splits for example in split_examples(split)]
    return deduplicate(examples, known_texts(data_dir))


def write(examples: Iterable[GoldExample], path: Path) -> int:
    rows = [example.row() for example in examples]
    path.write_text("".join(json.dumps(row, sort_keys=True) + "\n" for row in rows), encoding="utf-8")
    return len(rows)
