"""The suggester as the HTTP routes see it: loaded once in the lifespan, shared by all requests.

Requests run in FastAPI's threadpool. spaCy does not promise that one pipeline may be run from several threads
at once, so suggestions are made one call at a time under a lock; the work is CPU-bound under the GIL anyway,
and `notecode serve --workers N` is how to use more cores.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Request
from spacy.about import __version__ as spacy_version

from api.http_api.problems import ProblemError
from api.service import default_suggester, suggest_many
from nlp.suggester import Suggester
from rules.contract import Suggestion
from rules.engine import ENGINE_VERSION, RULES_VERSION
from rules.errors import NoteError


class Engine:
    def __init__(self, suggester: Suggester) -> None:
        self.suggester = suggester
        self._lock = threading.Lock()

    @classmethod
    def load(cls) -> Engine:
        return cls(default_suggester())

    @property
    def model_name(self) -> str:
        return self.suggester.model_name

    @property
    def versions(self) -> dict[str, str]:
        return {"engine": ENGINE_VERSION, "rules": RULES_VERSION, "model": self.model_name,
                "spacy": spacy_version}

    @property
    def pipeline_components(self) -> list[str]:
        return list(self.suggester.pipeline.pipe_names)

    def suggest(self, raws: Sequence[Any], max_note_chars: int) -> list[Suggestion | NoteError]:
        """One result per input, in order: a Suggestion, or the NoteError naming the bad field."""
        checked: list[Any] = [_length_error(raw, max_note_chars) or raw for raw in raws]
        todo = [(i, raw) for i, raw in enumerate(checked) if not isinstance(raw, NoteError)]
        with self._lock:
            answers = suggest_many([raw for _, raw in todo]) if todo else []
        for (index, _), answer in zip(todo, answers, strict=True):
            checked[index] = answer
        return checked


def _length_error(raw: Any, limit: int) -> NoteError | None:
    text = raw.get("text") if isinstance(raw, dict) else getattr(raw, "text", None)
    if isinstance(text, str) and len(text) > limit:
        return NoteError("text", f"the note is {len(text):,} characters; this server's limit is {limit:,}")
    return None


def get_engine(request: Request) -> Engine:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        raise ProblemError(503, "not-ready", "the pipeline is not loaded yet; retry shortly",
                           headers={"Retry-After": "5"})
    return engine  # type: ignore[no-any-return]


EngineDep = Annotated[Engine, Depends(get_engine)]
