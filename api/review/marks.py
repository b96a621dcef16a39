"""The note's text cut into segments for highlighting: each piece knows which evidence spans cover it.

Offsets are the contract's character offsets into the note's text. Minutes and exercise parameters have no
spans of their own in a Suggestion, so they are found inside their intervention's span from the values the
reader gave (the "18" of `minutes: 18`, the "2x10" of sets 2 and reps 10).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

PALETTE_SIZE = 8


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # line, intervention, measurement, warning, minutes, parameter
    ref: str  # the element it belongs to: line-0, int-2, meas-1, warn-3
    code: str | None = None
    status: str | None = None


@dataclass
class Segment:
    text: str
    spans: list[Span] = field(default_factory=list)

    @property
    def code(self) -> str | None:
        """The code whose colour the piece takes: a billed line's, else an intervention's."""
        for kind in ("line", "intervention"):
            codes = [s.code for s in self.spans if s.kind == kind and s.code]
            if codes:
                return codes[-1]
        return None

    @property
    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.spans})

    @property
    def refs(self) -> str:
        return " ".join(dict.fromkeys(s.ref for s in self.spans))

    @property
    def status(self) -> str | None:
        return next((s.status for s in self.spans if s.status and s.status != "performed"), None)


def code_colours(suggestion: dict[str, Any]) -> dict[str, int]:
    """A palette slot per code in the note, in code order, so one code has one colour on the page."""
    codes = {line["cpt"] for line in suggestion.get("lines", [])}
    codes |= {i["cpt"] for i in suggestion.get("interventions", []) if i.get("cpt")}
    return {code: index % PALETTE_SIZE for index, code in enumerate(sorted(codes))}


def evidence_spans(text: str, suggestion: dict[str, Any]) -> list[Span]:
    spans: list[Span] = []
    for index, line in enumerate(suggestion.get("lines", [])):
        spans += [Span(e["start"], e["end"], "line", f"line-{index}", line["cpt"]) for e in line.get("evidence", [])]
    for index, item in enumerate(suggestion.get("interventions", [])):
        ref = f"int-{index}"
        spans.append(Span(item["start"], item["end"], "intervention", ref, item.get("cpt"), item.get("status")))
        spans += _value_marks(text, item, ref)
    for index, item in enumerate(suggestion.get("measurements", [])):
        spans.append(Span(item["start"], item["end"], "measurement", f"meas-{index}"))
    for index, warning in enumerate(suggestion.get("warnings", [])):
        spans += [Span(e["start"], e["end"], "warning", f"warn-{index}") for e in warning.get("evidence", [])]
    return [s for s in spans if 0 <= s.start < s.end <= len(text)]


def segments(text: str, suggestion: dict[str, Any]) -> list[Segment]:
    """The whole text, in order, cut wherever a span starts or ends."""
    spans = evidence_spans(text, suggestion)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= start and end <= s.end]
        pieces.append(Segment(text[start:end], covering))
    return pieces


_UNIT_MINUTES = r"\s*(?:minutes?|mins?|m)\b|\s*'"


def _value_marks(text: str, item: dict[str, Any], ref: str) -> list[Span]:
    start, end = item["start"], item["end"]
    window = text[start:end]
    patterns = []
    if item.get("minutes") is not None:
        patterns.append(("minutes", rf"(?<![\d.]){item['minutes']}(?:{_UNIT_MINUTES})"))
    parameters = item.get("parameters") or {}
    sets, reps = parameters.get("sets"), parameters.get("reps")
    if sets is not None and reps is not None:
        patterns.append(("parameter", rf"(?<!\d)(?:{sets}\s*[x×X]\s*{reps}|{reps}\s*[x×X]\s*{sets})(?!\d)"))
    elif reps is not None:
        patterns.append(("parameter", rf"(?<!\d)(?:[x×X]\s*{reps}|{reps}\s*(?:reps?|x)\b)"))
    if parameters.get("hold_seconds") is not None:
        patterns.append(("parameter", rf"(?<!\d){parameters['hold_seconds']}\s*(?:s|secs?|seconds?|\")\b"))
    for literal in [parameters.get("resistance"), parameters.get("level"), *(parameters.get("equipment") or [])]:
        if isinstance(literal, str) and literal.strip():
            patterns.append(("parameter", re.escape(literal.strip())))
    marks = []
    for kind, pattern in patterns:
        found = re.search(pattern, window, flags=re.IGNORECASE)
        if found:
            marks.append(Span(start + found.start(), start + found.end(), kind, ref))
    return marks
