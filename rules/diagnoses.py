"""ICD-10-CM checks on a claim's diagnosis pointers, using the official tables that ship with
`simple-icd-10-cm` (CMS/CDC ICD-10-CM, April 2026 release)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import simple_icd_10_cm as icd

from rules.trace import Finding, Trace
from rules.warning_codes import WarningCode

TABLE_RELEASE = "ICD-10-CM April 2026 tables (simple-icd-10-cm 1.5)"
RULE_VERSION = "2026.1"
GUIDELINE_7TH = "ICD-10-CM Official Guidelines I.C.19.a (7th character) and I.C.21.c.7 (aftercare of injuries)"
Z471_NOTE = "ICD-10-CM Tabular, Z47.1: 'Use additional code to identify the joint (Z96.6-)'"


@dataclass(frozen=True)
class NonspecificDx:
    code: str
    reason: str
    source: str


@cache
def nonspecific_codes() -> dict[str, NonspecificDx]:
    text = files("rules").joinpath("data/nonspecific_dx.csv").read_text(encoding="utf-8")
    return {r["code"]: NonspecificDx(**r) for r in csv.DictReader(io.StringIO(text))}


@lru_cache(maxsize=8192)  # the tables' look-ups are slow; notes repeat the same few codes
def normalize(code: str) -> str:
    """'s52501d' -> 'S52.501D'; codes the tables do not know are returned upper-cased as given."""
    code = code.strip().upper()
    if len(code) < 4 or code[3] == "." or not icd.is_valid_item(code):
        return code
    dotted = f"{code[:3]}.{code[3:]}"
    # icd.add_dot scans the whole code list (7 ms a call); the dotted form's validity is a dict look-up
    return dotted if icd.is_valid_item(dotted) else code


@lru_cache(maxsize=8192)
def is_billable(code: str) -> bool:
    return bool(icd.is_valid_item(code)) and bool(icd.is_leaf(code))


@lru_cache(maxsize=8192)
def is_code_or_category(code: str) -> bool:
    """A code or category of the tables (not a chapter or block such as 'A00-A09')."""
    return bool(icd.is_valid_item(code)) and not icd.is_chapter_or_block(code)


def check_diagnoses(codes: list[str]) -> list[Finding]:
    """Findings for a claim's diagnosis list (already normalized)."""
    trace = Trace("icd10.validity", RULE_VERSION, TABLE_RELEASE)
    if not codes:
        return [Finding(WarningCode.MISSING_DIAGNOSIS, {}, Trace("icd10.missing", RULE_VERSION,
                        "CMS-1500 item 21: at least one diagnosis is required"))]
    findings: list[Finding] = []
    for code in codes:
        if not icd.is_valid_item(code):
            findings.append(Finding(WarningCode.INVALID_ICD10,
                                    {"code": code, "detail": "not an ICD-10-CM code"}, trace))
        elif not icd.is_leaf(code):
            findings.append(Finding(WarningCode.INVALID_ICD10, {
                "code": code, "detail": "a category, not a billable code: more characters are required"}, trace))
        else:
            findings.extend(_billable_code_findings(code))
    if "Z47.1" in codes and not any(c.startswith("Z96.6") for c in codes):
        findings.append(Finding(WarningCode.NONSPECIFIC_DIAGNOSIS, {
            "code": "Z47.1", "detail": "aftercare following joint replacement needs an additional Z96.6- code "
            "identifying the joint"}, Trace("icd10.z47.1-needs-z96.6", RULE_VERSION, Z471_NOTE)))
    return findings


def _billable_code_findings(code: str) -> list[Finding]:
    findings: list[Finding] = []
    compact = code.replace(".", "")
    if compact[0] in "ST" and len(compact) == 7 and compact.endswith("A"):
        subsequent = icd.add_dot(compact[:-1] + "D") if icd.is_valid_item(compact[:-1] + "D") else "7th character D"
        findings.append(Finding(WarningCode.ICD10_INITIAL_ENCOUNTER, {"code": code, "suggested": subsequent},
                                Trace("icd10.initial-encounter", RULE_VERSION, GUIDELINE_7TH)))
    weak = nonspecific_codes().get(code)
    if weak:
        findings.append(Finding(WarningCode.NONSPECIFIC_DIAGNOSIS, {
            "code": code, "detail": f"{weak.reason}; the note must show specific functional deficits"},
            Trace("icd10.nonspecific", RULE_VERSION, weak.source)))
    return findings
