"""Pydantic models for the I/O contract (shared/contract/README.md, v1).

Field names are fixed by the contract; fields marked "extension" are optional additions.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from rules.payers import known_payers

Discipline = Literal["OT", "PT", "SLP"]
Provider = Literal["OT", "OTA", "PT", "PTA", "SLP"]
Status = Literal["performed", "declined", "held", "planned", "home_program"]
DistinctReason = Literal["time_block", "site", "session", "practitioner"]

NonNegativeInt = Annotated[StrictInt, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Service(_Strict):
    """An already-coded service (charge audit path)."""

    cpt: Annotated[str, Field(pattern=r"^[0-9A-Z][0-9]{3}[0-9A-Z]$", description="CPT/HCPCS code")]
    minutes: NonNegativeInt | None = None
    units: NonNegativeInt | None = Field(
        default=None, description="extension: units billed on the charge, checked against the minutes"
    )
    distinct: DistinctReason | None = Field(
        default=None,
        description="extension: why this service is distinct from an NCCI-paired one "
        "(separate time block, site, session or practitioner)",
    )


class Note(_Strict):
    id: str | None = None
    text: str | None = None
    discipline: Discipline = "OT"
    payer: str = "medicare"
    date_of_service: dt.date = Field(default_factory=dt.date.today)
    rendering_provider: Provider | None = None
    icd10: list[str] | None = None
    ytd_therapy_charges: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    total_treatment_minutes: NonNegativeInt | None = None
    services: list[Service] | None = None

    @field_validator("payer")
    @classmethod
    def _known_payer(cls, value: str) -> str:
        name = value.strip().lower()
        if name not in known_payers():
            raise ValueError(f"unknown payer {value!r} (known: {', '.join(sorted(known_payers()))})")
        return name

    @field_validator("icd10")
    @classmethod
    def _icd_strings(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        return [code.strip().upper() for code in value]

    @model_validator(mode="after")
    def _text_or_services(self) -> Note:
        if self.text is None and not self.services:
            raise ValueError("a Note needs `text` or a non-empty `services` list")
        if self.rendering_provider in ("OTA", "OT") and self.discipline != "OT":
            raise ValueError(
                f"rendering_provider {self.rendering_provider} cannot furnish services under a "
                f"{self.discipline} plan of care (MBPM Ch. 15 §220.1.2: separate plans by discipline)"
            )
        if self.rendering_provider in ("PTA", "PT") and self.discipline != "PT":
            raise ValueError(
                f"rendering_provider {self.rendering_provider} cannot furnish services under a "
                f"{self.discipline} plan of care (MBPM Ch. 15 §220.1.2: separate plans by discipline)"
            )
        return self


class Evidence(BaseModel):
    start: int
    end: int
    text: str


class TraceStep(BaseModel):
    """extension: which rule produced a line or warning."""

    rule: str
    version: str
    source: str


class Line(BaseModel):
    cpt: str
    units: int
    modifiers: list[str] = Field(default_factory=list)
    minutes: int | None = None
    icd10: list[str] = Field(default_factory=list)
    confidence: float = 1.0
    evidence: list[Evidence] = Field(default_factory=list)
    rationale: str = ""
    trace: list[TraceStep] = Field(default_factory=list)


class Intervention(BaseModel):
    text: str
    start: int
    end: int
    cpt: str | None = None
    minutes: int | None = None
    status: Status = "performed"
    intent_scores: dict[str, float] = Field(default_factory=dict)
    parameters: dict[str, object] = Field(default_factory=dict)
    body_site: str | None = None
    laterality: str | None = None
    status_trigger: str | None = Field(default=None, description="extension: the words or section that set the status")
    code_rule: str | None = Field(default=None, description="extension: which rule chose the code")
    labelled_code: str | None = Field(default=None, description="extension: the code the note's heading names")
    provider: str | None = Field(default=None, description="extension: who furnished it, as the note says "
                                 "(OT, OTA, PT, PTA, aide)")
    cotreatment: bool = Field(default=False, description="extension: the note documents a co-treatment")
    not_billed: str | None = Field(default=None, description="extension: the note's own words saying this "
                                   "performed service is not billed ('not charged'); it gets no line")


class Measurement(BaseModel):
    kind: str
    text: str
    start: int
    end: int
    value: float | None = None
    unit: str | None = None


class Warning(BaseModel):
    code: str
    severity: Literal["info", "warning", "error"]
    message: str
    cpt: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    trace: list[TraceStep] = Field(default_factory=list)


class Totals(BaseModel):
    timed_minutes: int = 0
    total_treatment_minutes: int | None = None
    timed_units: int = 0
    untimed_units: int = 0


class EngineInfo(BaseModel):
    version: str
    model: str | None = None
    rules: str


class Suggestion(BaseModel):
    id: str | None = None
    lines: list[Line] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    measurements: list[Measurement] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)
    totals: Totals = Field(default_factory=Totals)
    engine: EngineInfo
    review: list[str] = Field(default_factory=list, description="extension: why a coder should read the note "
                              "before accepting its lines (signs the reading may be wrong); empty when none")
