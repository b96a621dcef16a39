"""The one place where notecode's warning codes, severities and messages are defined.

The codes and severities are fixed by the I/O contract (shared/contract/README.md).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class WarningCode(StrEnum):
    """Each member carries its severity and a plain-English message template."""

    severity: Severity
    template: str

    def __new__(cls, value: str, severity: Severity, template: str) -> WarningCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.template = template
        return member

    MISSING_TIMED_MINUTES = (
        "MISSING_TIMED_MINUTES", Severity.ERROR,
        "{cpt} is a timed service but no minutes are documented for it; it cannot be billed.",
    )
    MISSING_TOTAL_TIME = (
        "MISSING_TOTAL_TIME", Severity.WARNING,
        "No total treatment time is documented (CMS MBPM Ch. 15 §220.3 E requires total timed minutes "
        "and total treatment time).",
    )
    TIME_INCONSISTENT = (
        "TIME_INCONSISTENT", Severity.ERROR,
        "{detail}",
    )
    UNITS_MISMATCH = (
        "UNITS_MISMATCH", Severity.ERROR,
        "{cpt}: the note states {stated} unit(s) but its documented minutes support {supported} under "
        "the {method} method.",
    )
    INSUFFICIENT_MINUTES = (
        "INSUFFICIENT_MINUTES", Severity.WARNING,
        "{detail}",
    )
    AMBIGUOUS_INTENT = (
        "AMBIGUOUS_INTENT", Severity.INFO,
        "The intervention could be {first} or {second}; a coder should choose.",
    )
    INTENT_MISMATCH = (
        "INTENT_MISMATCH", Severity.WARNING,
        "The note labels this intervention {labelled}, but what it describes supports {supported}.",
    )
    BUNDLED_SERVICE = (
        "BUNDLED_SERVICE", Severity.INFO,
        "{cpt} is documented but is not separately payable under the {payer} profile.",
    )
    NCCI_PTP_CONFLICT = (
        "NCCI_PTP_CONFLICT", Severity.ERROR,
        "{column1} and {column2} form an NCCI procedure-to-procedure edit; {column2} is denied unless the "
        "note documents a distinct service{bypass}.",
    )
    DISTINCT_SERVICE_MODIFIER = (
        "DISTINCT_SERVICE_MODIFIER", Severity.INFO,
        "{modifier} added to {column2}: the note documents {reason}, distinct from {column1}.",
    )
    MUE_EXCEEDED = (
        "MUE_EXCEEDED", Severity.ERROR,
        "{cpt}: {units} units exceed the medically unlikely edit of {limit} per day.",
    )
    MISSING_DIAGNOSIS = (
        "MISSING_DIAGNOSIS", Severity.ERROR,
        "No ICD-10-CM diagnosis code was given or found in the note.",
    )
    INVALID_ICD10 = (
        "INVALID_ICD10", Severity.ERROR,
        "{code}: {detail}",
    )
    NONSPECIFIC_DIAGNOSIS = (
        "NONSPECIFIC_DIAGNOSIS", Severity.WARNING,
        "{code}: {detail}",
    )
    ICD10_INITIAL_ENCOUNTER = (
        "ICD10_INITIAL_ENCOUNTER", Severity.WARNING,
        "{code} has 7th character A (active treatment); rehabilitation after an injury is usually "
        "subsequent care: consider {suggested}.",
    )
    MISSING_EXERCISE_PARAMETERS = (
        "MISSING_EXERCISE_PARAMETERS", Severity.WARNING,
        "Therapeutic exercise is documented without sets, reps, resistance or duration details.",
    )
    MISSING_OBJECTIVE_MEASURE = (
        "MISSING_OBJECTIVE_MEASURE", Severity.WARNING,
        "No objective, measurable finding (goniometry, MMT, grip, standardized test score) is documented.",
    )
    MISSING_FUNCTIONAL_GOAL = (
        "MISSING_FUNCTIONAL_GOAL", Severity.WARNING,
        "No link between the interventions and a functional goal or activity is documented.",
    )
    KX_THRESHOLD = (
        "KX_THRESHOLD", Severity.INFO,
        "KX added: the {bucket} therapy amount this year (${amount:,.2f}) has reached the CY{year} KX "
        "threshold of ${threshold:,.0f}.",
    )
    MEDICAL_REVIEW_THRESHOLD = (
        "MEDICAL_REVIEW_THRESHOLD", Severity.WARNING,
        "The {bucket} therapy amount this year (${amount:,.2f}) has reached the targeted medical review "
        "threshold of ${threshold:,.0f}.",
    )
    ASSISTANT_SERVICE = (
        "ASSISTANT_SERVICE", Severity.INFO,
        "{modifier} added: the service was furnished in whole or in part by {provider}.",
    )
    NO_BILLABLE_SERVICES = (
        "NO_BILLABLE_SERVICES", Severity.INFO,
        "Nothing in the note can be billed.",
    )

    def message(self, **values: Any) -> str:
        return self.template.format(**values)
