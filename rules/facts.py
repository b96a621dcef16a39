"""What the engine takes in: a visit and its services, whether coded by hand or read from a note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ServiceFact:
    cpt: str
    minutes: int | None = None
    stated_units: int | None = None
    distinct: str | None = None  # time_block | site | session | practitioner
    provider: str | None = None  # who furnished this service, when it differs from the visit's
    confidence: float = 1.0
    evidence: tuple[tuple[int, int], ...] = ()
    reason: str = ""  # why this code (from the reader), prefixed to the line's rationale
    source: str = "services"  # where the service came from, for the field name in errors


@dataclass(frozen=True)
class VisitFacts:
    discipline: str
    payer: str
    date_of_service: dt.date
    rendering_provider: str | None
    icd10: list[str]
    ytd_therapy_charges: float | None
    total_treatment_minutes: int | None
    services: list[ServiceFact] = field(default_factory=list)
    stated_total_timed_minutes: int | None = None
