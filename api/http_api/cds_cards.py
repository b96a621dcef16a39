"""A Suggestion as CDS Hooks cards: one info card with the suggested lines, and one card per serious
documentation gap (warning -> `warning`, error -> `critical`). Info-level findings go in the first card's detail.

Every card and suggestion has a fresh uuid, so feedback can name it; `CardLedger` remembers what each uuid
was (line card or warning code) so feedback records can say which finding a coder accepted or overrode.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from api.http_api.cds_models import Action, Card, CardSuggestion, Coding, Source
from rules.contract import Line, Suggestion, Warning
from rules.engine import ENGINE_VERSION, RULES_VERSION

SUMMARY_LIMIT = 139  # the specification: a summary of fewer than 140 characters
CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
HCPCS_SYSTEM = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
ICD10CM_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
MODIFIER_EXTENSION = "urn:notecode:fhir:StructureDefinition:billing-modifier"
OVERRIDE_SYSTEM = "urn:notecode:cds:override-reason"
OVERRIDE_REASONS = [
    Coding(system=OVERRIDE_SYSTEM, code="coder-disagrees", display="The coder disagrees with the suggestion"),
    Coding(system=OVERRIDE_SYSTEM, code="note-will-be-amended", display="The note will be amended"),
    Coding(system=OVERRIDE_SYSTEM, code="payer-policy-differs", display="This payer's policy differs"),
    Coding(system=OVERRIDE_SYSTEM, code="not-applicable", display="Not applicable to this visit"),
]
SEVERITY_INDICATOR = {"warning": "warning", "error": "critical"}


@dataclass(frozen=True)
class CardFacts:
    """What a card was about: no note text, no diagnosis."""

    kind: str  # "lines" or "warning"
    warning_code: str | None = None
    cpt: str | None = None


class CardLedger:
    """The most recent cards (bounded), so feedback can be tied to the finding it is about."""

    def __init__(self, limit: int) -> None:
        self._cards: OrderedDict[str, CardFacts] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def remember(self, card_uuid: str, facts: CardFacts) -> None:
        with self._lock:
            self._cards[card_uuid] = facts
            while len(self._cards) > self._limit:
                self._cards.popitem(last=False)

    def recall(self, card_uuid: str) -> CardFacts | None:
        with self._lock:
            return self._cards.get(card_uuid)


@dataclass(frozen=True)
class Visit:
    """What the cards' FHIR actions refer to, from the hook's context."""

    patient_id: str | None
    encounter_id: str | None
    date_of_service: str


def source(url: str | None) -> Source:
    return Source(label=f"notecode {ENGINE_VERSION} (rules {RULES_VERSION})", url=url,
                  topic=Coding(system="urn:notecode:cds:topic", code="charge-review", display="Therapy charge review"))


def build_cards(suggestion: Suggestion, visit: Visit, source_url: str | None, ledger: CardLedger) -> list[Card]:
    cards = [_lines_card(suggestion, visit, source_url)]
    ledger.remember(cards[0].uuid or "", CardFacts("lines"))
    for warning in suggestion.warnings:
        if warning.severity in SEVERITY_INDICATOR:
            card = _warning_card(warning, source_url)
            ledger.remember(card.uuid or "", CardFacts("warning", warning.code, warning.cpt))
            cards.append(card)
    return cards


def _new_id() -> str:
    return str(uuid.uuid4())


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _line_label(line: Line) -> str:
    modifiers = "-".join(line.modifiers)
    return f"{line.cpt}{'-' + modifiers if modifiers else ''} x{line.units}"


def _lines_card(suggestion: Suggestion, visit: Visit, source_url: str | None) -> Card:
    lines = suggestion.lines
    if lines:
        summary = shorten(f"Suggested charges: {', '.join(_line_label(line) for line in lines)}")
    else:
        summary = "No billable charges found in this note"
    suggestions = None
    if lines:
        actions = [_charge_item_action(line, visit) for line in lines] if visit.patient_id else None
        suggestions = [CardSuggestion(label=f"Add the {len(lines)} suggested charge line(s)", uuid=_new_id(),
                                      isRecommended=not suggestion.review, actions=actions)]
    return Card(uuid=_new_id(), summary=summary, detail=_lines_detail(suggestion), indicator="info",
                source=source(source_url), suggestions=suggestions,
                selectionBehavior="at-most-one" if suggestions else None, overrideReasons=OVERRIDE_REASONS)


def _lines_detail(suggestion: Suggestion) -> str:
    rows = ["| CPT | units | modifiers | minutes | ICD-10 | confidence |", "|---|---|---|---|---|---|"]
    rows += [f"| {line.cpt} | {line.units} | {' '.join(line.modifiers)} | {line.minutes or ''} | "
             f"{' '.join(line.icd10)} | {line.confidence:.2f} |" for line in suggestion.lines]
    parts = ["\n".join(rows)] if suggestion.lines else []
    parts += [f"- **{line.cpt}**: {_md(line.rationale)}" for line in suggestion.lines if line.rationale]
    if suggestion.review:  # the reading is in doubt: the charges are offered, not recommended
        parts.append("**Read the note before accepting these lines:**\n" + "\n".join(f"- {_md(reason)}"
                                                                                   for reason in suggestion.review))
    notes = [w for w in suggestion.warnings if w.severity not in SEVERITY_INDICATOR]
    if notes:
        parts.append("For the coder:\n" + "\n".join(f"- `{w.code}`: {_md(w.message)}" for w in notes))
    totals = suggestion.totals
    parts.append(f"Timed minutes {totals.timed_minutes}, total treatment minutes "
                 f"{totals.total_treatment_minutes if totals.total_treatment_minutes is not None else 'not stated'}.")
    return "\n\n".join(parts)


def _warning_card(warning: Warning, source_url: str | None) -> Card:
    sources = "; ".join(step.source for step in warning.trace)
    detail = f"`{warning.code}` ({warning.severity}): {_md(warning.message)}"
    if sources:
        detail += f"\n\nSource: {_md(sources)}"
    return Card(uuid=_new_id(), summary=shorten(warning.message), detail=detail,
                indicator=SEVERITY_INDICATOR[warning.severity],  # type: ignore[arg-type]
                source=source(source_url),
                suggestions=[CardSuggestion(label="Amend the note before signing", uuid=_new_id())],
                selectionBehavior="at-most-one", overrideReasons=OVERRIDE_REASONS)


def _md(text: str) -> str:
    """Plain text safe inside Markdown: no table breaks, no HTML."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def _coding(code: str) -> dict[str, str]:
    return {"system": CPT_SYSTEM if code[:1].isdigit() else HCPCS_SYSTEM, "code": code}


def _charge_item_action(line: Line, visit: Visit) -> Action:
    """A FHIR R4 ChargeItem the client may create when the coder accepts the lines."""
    resource: dict[str, Any] = {
        "resourceType": "ChargeItem",
        "status": "billable",
        "code": {"coding": [_coding(line.cpt)], "text": _line_label(line)},
        "subject": {"reference": f"Patient/{visit.patient_id}"},
        "occurrenceDateTime": visit.date_of_service,
        "quantity": {"value": line.units},
    }
    if visit.encounter_id:
        resource["context"] = {"reference": f"Encounter/{visit.encounter_id}"}
    if line.icd10:
        resource["reason"] = [{"coding": [{"system": ICD10CM_SYSTEM, "code": code}]} for code in line.icd10]
    if line.modifiers:
        resource["extension"] = [{"url": MODIFIER_EXTENSION, "valueCoding": _coding(m)} for m in line.modifiers]
    return Action(type="create", description=f"Add charge {_line_label(line)}", resource=resource)
