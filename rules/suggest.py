"""Suggestions for already-coded services (the charge-audit path): rules only, no NLP."""

from __future__ import annotations

from rules.contract import EngineInfo, Note, Suggestion
from rules.diagnoses import normalize
from rules.engine import ENGINE_VERSION, apply_rules
from rules.facts import ServiceFact, VisitFacts


def visit_facts(note: Note, services: list[ServiceFact], icd10: list[str] | None = None,
                rendering_provider: str | None = None, total_treatment_minutes: int | None = None,
                stated_total_timed_minutes: int | None = None) -> VisitFacts:
    """The engine's view of a Note; values the caller gave win over values read from the text."""
    return VisitFacts(
        discipline=note.discipline,
        payer=note.payer,
        date_of_service=note.date_of_service,
        rendering_provider=note.rendering_provider or rendering_provider,
        icd10=[normalize(c) for c in (note.icd10 if note.icd10 is not None else icd10 or [])],
        ytd_therapy_charges=note.ytd_therapy_charges,
        total_treatment_minutes=(note.total_treatment_minutes if note.total_treatment_minutes is not None
                                 else total_treatment_minutes),
        services=services,
        stated_total_timed_minutes=stated_total_timed_minutes,
    )


def suggest_services(note: Note) -> Suggestion:
    services = [
        ServiceFact(cpt=s.cpt, minutes=s.minutes, stated_units=s.units, distinct=s.distinct, source="services")
        for s in note.services or []
    ]
    result = apply_rules(visit_facts(note, services), text=note.text)
    return Suggestion(
        id=note.id, lines=result.lines, warnings=result.warnings, totals=result.totals,
        engine=EngineInfo(version=ENGINE_VERSION, model=None, rules=result.rules_label),
    )
