"""Building, saving and loading notecode's pipeline: `spacy.blank("en")` plus notecode's components."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nlp import factories as _factories  # noqa: F401  (registers the components; never bind a bare `nlp`)
from nlp.reading import Reading

COMPONENTS = ("notecode_layout", "notecode_findings", "notecode_interventions", "notecode_intent")


def build_pipeline(model_dir: Path | None = None) -> Language:
    pipeline = spacy.blank("en")
    for name in COMPONENTS:
        config = {"model_dir": str(model_dir) if model_dir else None} if name == "notecode_intent" else {}
        pipeline.add_pipe(name, config=config)
    return pipeline


def load_pipeline(path: Path) -> Language:
    return spacy.load(path)


def make_doc(pipeline: Language, text: str, discipline: str) -> Doc:
    """A tokenized Doc that carries the plan's discipline for the components (evaluation codes need it)."""
    doc = pipeline.make_doc(text)
    doc._.discipline = discipline
    # the components read this copy of the text: doc.text is rebuilt from the tokens on every access
    doc._.notecode = Reading.of(text, discipline or "OT")
    doc._.intent_notes = []
    return doc
