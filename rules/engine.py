"""The rules engine: (visit facts, rule data, date of service) in; claim lines, warnings and totals out.

Pure and deterministic: no I/O beyond reading the packaged rule data once, no side effects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from rules import __version__
from rules.codes import Code, lookup
from rules.contract import Evidence, Line, Totals, TraceStep, Warning
from rules.diagnoses import check_diagnoses, is_billable
from rules.errors import NoteError
from rules.facts import ServiceFact, VisitFacts
from rules.ncci import EditTables, edit_tables
from rules.payers import PayerProfile, get_payer
from rules.trace import Finding, Trace
from rules.units import allocate, units_for_minutes
from rules.warning_codes import WarningCode

RULES_VERSION = "2026.11"
MAX_DIAGNOSIS_POINTERS = 4  # CMS-1500 item 24E points to at most four diagnoses
DISTINCT_X = {"time_block": "XU", "site": "XS", "session": "XE", "practitioner": "XP"}
DISTINCT_WORDS = {
    "time_block": "separate time blocks", "site": "a separate anatomic site",
    "session": "a separate session", "practitioner": "a different practitioner",
}
SRC_820 = "MCPM Pub. 100-04 Ch. 5 §20.2 (CMS text)"
SRC_NCCI = "NCCI Policy Manual 2026 Ch. 1 §E and Ch. 11 §P.2 (CMS text)"


@dataclass
class _CodeService:
    """All services of one code on the date of service (one claim line per code: FCSO single-line rule)."""

    code: Code
    minutes: int | None
    stated_units: int | None
    distinct: str | None
    providers: set[str]
    confidence: float
    evidence: list[tuple[int, int]]
    reasons: list[str]
    units: int = 0
    modifiers: list[str] = field(default_factory=list)
    rationale: list[str] = field(default_factory=list)
    trace: list[Trace] = field(default_factory=list)


@dataclass
class EngineResult:
    lines: list[Line]
    warnings: list[Warning]
    totals: Totals
    rules_label: str


def apply_rules(visit: VisitFacts, text: str | None = None) -> EngineResult:
    profile = get_payer(visit.payer)
    findings: list[Finding] = []
    services = _group_by_code(_substitute(visit, profile), findings)
    documented = _documented_timed_minutes(visit, services)
    _time_the_only_timed_service(visit, services)
    billable = _drop_bundled(services, profile, findings)
    timed_minutes = _assign_units(billable, profile, findings, documented)
    _apply_daily_limits(billable)
    _check_stated_units(billable, profile, findings)
    lines_by_code = {code: s for code, s in billable.items() if s.units > 0}
    _add_modifiers(lines_by_code, visit, profile, findings)
    if profile.ncci:
        _apply_ncci(lines_by_code, edit_tables(visit.date_of_service), profile, findings, visit)
    _check_time(visit, timed_minutes, documented, findings)
    findings.extend(check_diagnoses(visit.icd10))
    pointers = [c for c in visit.icd10 if is_billable(c)][:MAX_DIAGNOSIS_POINTERS]
    if not lines_by_code:
        findings.append(Finding(WarningCode.NO_BILLABLE_SERVICES, {}, Trace("visit.no-billable", RULES_VERSION,
                                                                            SRC_820)))
    lines = [_line(s, pointers, text) for _, s in sorted(lines_by_code.items())]
    totals = Totals(
        timed_minutes=timed_minutes,
        total_treatment_minutes=visit.total_treatment_minutes,
        timed_units=sum(s.units for s in lines_by_code.values() if s.code.timed),
        untimed_units=sum(s.units for s in lines_by_code.values() if not s.code.timed),
    )
    warnings = [render_warning(f, text) for f in findings]
    return EngineResult(lines, warnings, totals, f"{profile.name}-{visit.date_of_service.year}")


def _substitute(visit: VisitFacts, profile: PayerProfile) -> VisitFacts:
    """Payer-specific code choices, e.g. Medicare's G0283 where other payers take CPT 97014."""
    if not any(s.cpt in profile.code_substitutions for s in visit.services):
        return visit
    services = [
        replace(s, cpt=profile.code_substitutions[s.cpt],
                reason=f"{s.reason + '; ' if s.reason else ''}{s.cpt} is reported as "
                       f"{profile.code_substitutions[s.cpt]} for {profile.name}")
        if s.cpt in profile.code_substitutions else s
        for s in visit.services
    ]
    return replace(visit, services=services)


def _group_by_code(visit: VisitFacts, findings: list[Finding]) -> dict[str, _CodeService]:
    grouped: dict[str, list[ServiceFact]] = defaultdict(list)
    for index, service in enumerate(visit.services):
        where = f"{service.source}[{index}].cpt"
        code = lookup(service.cpt)
        if code is None:
            raise NoteError(where, f"{service.cpt} is not in notecode's code table")
        if not code.in_force(visit.date_of_service):
            raise NoteError(where, f"{service.cpt} is not valid before {code.valid_from}")
        if visit.discipline not in code.disciplines:
            raise NoteError(where, f"{service.cpt} is not billed under a {visit.discipline} plan of care "
                            f"(code table: {', '.join(sorted(code.disciplines))})")
        grouped[service.cpt].append(service)
    result: dict[str, _CodeService] = {}
    for cpt, items in grouped.items():
        code = lookup(cpt)
        assert code is not None
        known = [s.minutes for s in items if s.minutes is not None]
        if code.timed and len(known) < len(items):
            findings.append(Finding(WarningCode.MISSING_TIMED_MINUTES, {"cpt": cpt},
                                    Trace("time.missing-minutes", RULES_VERSION,
                                          "MBPM Ch. 15 §220.3 E; MCPM Ch. 5 §20.2"), cpt,
                                    [span for s in items if s.minutes is None for span in s.evidence]))
        stated = [s.stated_units for s in items if s.stated_units is not None]
        result[cpt] = _CodeService(
            code=code,
            minutes=sum(known) if known else None,
            stated_units=sum(stated) if stated else None,
            distinct=next((s.distinct for s in items if s.distinct), None),
            providers={s.provider for s in items if s.provider},
            confidence=min(s.confidence for s in items),
            evidence=[span for s in items for span in s.evidence],
            reasons=[s.reason for s in items if s.reason],
        )
    return result


def _drop_bundled(services: dict[str, _CodeService], profile: PayerProfile,
                  findings: list[Finding]) -> dict[str, _CodeService]:
    kept = {}
    for cpt, service in services.items():
        if cpt in profile.bundled_codes:
            findings.append(Finding(WarningCode.BUNDLED_SERVICE, {"cpt": cpt, "payer": profile.name},
                                    Trace("payer.bundled", RULES_VERSION, profile.bundled_codes[cpt]), cpt,
                                    service.evidence))
        else:
            kept[cpt] = service
    return kept


def _documented_timed_minutes(visit: VisitFacts, services: dict[str, _CodeService]) -> int | None:
    """The most timed minutes the note's totals support (§20.2 C: "the total number of timed units that can be
    billed is constrained by the total treatment minutes for that day"): the stated total timed minutes, or the
    total treatment time less the minutes of untimed services, which it includes (§20.2 NOTE), whichever is
    larger, since untimed services may run alongside timed ones (moist heat during unattended e-stim)."""
    documented = []
    if visit.stated_total_timed_minutes is not None:
        documented.append(visit.stated_total_timed_minutes)
    if visit.total_treatment_minutes is not None:
        documented.append(max(0, visit.total_treatment_minutes - _untimed_minutes(services)))
    return max(documented) if documented else None


def _untimed_minutes(services: dict[str, _CodeService]) -> int:
    return sum(s.minutes or 0 for s in services.values() if not s.code.timed)


def _time_the_only_timed_service(visit: VisitFacts, services: dict[str, _CodeService]) -> None:
    """A day with one timed service and no minutes for it ("Pt did pulleys, wand, table slides ... Total 23 min"):
    its minutes are the day's total timed minutes, which the note must document (MBPM Ch. 15 §220.3 B) -- the
    stated total timed minutes, or the total treatment time when every untimed service in it has its minutes.
    MISSING_TIMED_MINUTES still tells the coder the service's own minutes are not written."""
    timed = [s for s in services.values() if s.code.timed]
    if len(timed) != 1 or timed[0].minutes is not None or timed[0].stated_units:
        return
    untimed_known = all(s.minutes is not None for s in services.values() if not s.code.timed)
    total = visit.stated_total_timed_minutes
    if total is None and visit.total_treatment_minutes is not None and untimed_known:
        total = visit.total_treatment_minutes - _untimed_minutes(services)
    if total is None or total <= 0:
        return
    service = timed[0]
    service.minutes = total
    service.rationale.append(f"the only timed service of the day, without minutes of its own: it takes the "
                             f"{total} total timed minutes the note documents (MBPM Ch. 15 §220.3 B)")
    service.trace.append(Trace("time.only-timed-service", RULES_VERSION, "MBPM Ch. 15 §220.3 B"))


def _assign_units(services: dict[str, _CodeService], profile: PayerProfile, findings: list[Finding],
                  documented: int | None) -> int:
    timed = {cpt: s.minutes for cpt, s in services.items() if s.code.timed and s.minutes is not None}
    allocation = allocate(timed, profile.unit_method, pool_limit=documented)
    unit_trace = Trace(f"units.{profile.unit_method}", RULES_VERSION, profile.unit_method_source)
    for cpt, service in services.items():
        if not service.code.timed:
            service.units = 1
            service.rationale.append("untimed code: 1 unit regardless of minutes")
            service.trace.append(Trace("units.untimed", RULES_VERSION, SRC_820 + " §20.2 B"))
        elif cpt in allocation:
            service.units = allocation[cpt].units
            service.rationale.append(allocation[cpt].explanation)
            service.trace.append(unit_trace)
            if service.units == 0 and service.minutes:
                findings.append(Finding(WarningCode.INSUFFICIENT_MINUTES, {"detail": (
                    f"{cpt}: {service.minutes} minute(s) documented do not reach a unit under the "
                    f"{profile.unit_method.replace('_', '-')} method ({allocation[cpt].explanation})")},
                    unit_trace, cpt, service.evidence))
    _bill_stated_units_without_minutes(services, documented)
    return sum(timed.values())


def _bill_stated_units_without_minutes(services: dict[str, _CodeService], documented: int | None) -> None:
    """Timed codes the note gives units but no minutes ("TE x2u, SC x1u ... Total timed 40 min"): the stated
    units are billed when the documented total timed minutes support every timed unit of the day. MBPM
    Ch. 15 §220.3 B: the minutes of each intervention need not be documented, the total timed minutes must."""
    stated = {cpt: s for cpt, s in services.items()
              if s.code.timed and s.minutes is None and s.stated_units}
    if not stated or documented is None:
        return
    other_units = sum(s.units for cpt, s in services.items() if s.code.timed and cpt not in stated)
    wanted = sum(s.stated_units or 0 for s in stated.values())
    supported = units_for_minutes(documented)
    if other_units + wanted > supported:
        return
    for service in stated.values():
        service.units = service.stated_units or 0
        service.rationale.append(
            f"no minutes for this code: the note states {service.units} unit(s), and its {documented} total timed "
            f"minutes support {supported} timed unit(s) in all (MBPM Ch. 15 §220.3 B)")
        service.trace.append(Trace("units.stated-with-total", RULES_VERSION,
                                   "MBPM Ch. 15 §220.3 B; MCPM Ch. 5 §20.2 C (CMS text)"))


def _apply_daily_limits(services: dict[str, _CodeService]) -> None:
    for cpt in list(services):
        service = services[cpt]
        limit = service.code.daily_limit
        if not limit or service.units <= limit.units or not limit.overflow_to:
            continue
        extra = service.units - limit.units
        service.units = limit.units
        service.rationale.append(f"{cpt} is limited to {limit.units} unit(s) a day; {extra} more go on "
                                 f"{limit.overflow_to} ({limit.source})")
        target = services.get(limit.overflow_to)
        if target is None:
            overflow = lookup(limit.overflow_to)
            assert overflow is not None
            target = services[limit.overflow_to] = _CodeService(
                overflow, None, None, service.distinct, set(service.providers), service.confidence,
                list(service.evidence), list(service.reasons))
        target.units += extra
        target.rationale.append(f"{extra} unit(s) carried over from {cpt} ({limit.source})")


def _check_stated_units(services: dict[str, _CodeService], profile: PayerProfile,
                        findings: list[Finding]) -> None:
    for cpt, service in services.items():
        if service.stated_units is None or service.minutes is None:
            continue
        if service.stated_units > service.units:
            findings.append(Finding(WarningCode.UNITS_MISMATCH, {
                "cpt": cpt, "stated": service.stated_units, "supported": service.units,
                "method": profile.unit_method.replace("_", "-")},
                Trace("units.stated-vs-minutes", RULES_VERSION, profile.unit_method_source), cpt,
                service.evidence))
        elif service.stated_units < service.units:
            service.rationale.append(f"the note states {service.stated_units} unit(s); the minutes support "
                                     f"{service.units}")


def _add_modifiers(lines: dict[str, _CodeService], visit: VisitFacts, profile: PayerProfile,
                   findings: list[Finding]) -> None:
    discipline_mod = (profile.discipline_modifiers or {}).get(visit.discipline)
    for service in lines.values():
        if discipline_mod:
            service.modifiers.append(discipline_mod)
            service.trace.append(Trace("modifier.discipline", RULES_VERSION, profile.discipline_modifiers_source))
    _add_assistant_modifiers(lines, visit, profile, findings)
    _add_kx(lines, visit, profile, findings)


def _add_assistant_modifiers(lines: dict[str, _CodeService], visit: VisitFacts, profile: PayerProfile,
                             findings: list[Finding]) -> None:
    rules = profile.assistant_modifiers
    if rules is None or visit.date_of_service < rules.valid_from:
        return
    for cpt, service in lines.items():
        providers = service.providers or ({visit.rendering_provider} if visit.rendering_provider else set())
        assistant = next((p for p in sorted(providers) if p in rules.modifiers), None)
        if assistant is None or service.code.family == "evaluation":
            continue
        modifier = rules.modifiers[assistant]
        service.modifiers.append(modifier)
        trace = Trace("modifier.assistant", RULES_VERSION, rules.source)
        service.trace.append(trace)
        service.rationale.append(f"{modifier}: furnished in whole or in part by an {assistant}")
        findings.append(Finding(WarningCode.ASSISTANT_SERVICE, {"modifier": modifier, "provider": f"an {assistant}"},
                                trace, cpt))


def _add_kx(lines: dict[str, _CodeService], visit: VisitFacts, profile: PayerProfile,
            findings: list[Finding]) -> None:
    kx = profile.kx
    if kx is None or visit.ytd_therapy_charges is None or not lines:
        return
    year, amount = visit.date_of_service.year, visit.ytd_therapy_charges
    bucket = kx.buckets[visit.discipline]
    label = "OT" if bucket == "OT" else "PT and SLP"
    threshold = kx.thresholds.get(year)
    if threshold is None:
        for service in lines.values():
            service.rationale.append(f"no KX threshold on file for CY{year}: KX not assessed")
    elif amount >= threshold.amounts[bucket]:
        trace = Trace("modifier.kx", RULES_VERSION, f"{kx.rule_source}; CY{year} amount: {threshold.source}")
        for service in lines.values():
            service.modifiers.append("KX")
            service.trace.append(trace)
        findings.append(Finding(WarningCode.KX_THRESHOLD, {
            "bucket": label, "amount": amount, "year": year, "threshold": threshold.amounts[bucket]}, trace))
    review = kx.medical_review_for(year)
    if review and amount >= review.amount:
        findings.append(Finding(WarningCode.MEDICAL_REVIEW_THRESHOLD, {
            "bucket": label, "amount": amount, "threshold": review.amount},
            Trace("payer.medical-review", RULES_VERSION, review.source)))


def _apply_ncci(lines: dict[str, _CodeService], tables: EditTables, profile: PayerProfile,
                findings: list[Finding], visit: VisitFacts) -> None:
    codes = sorted(lines)
    for i, first in enumerate(codes):
        for second in codes[i + 1:]:
            edit = tables.ptp_edit(first, second, visit.date_of_service)
            if edit is None:
                continue
            column2 = lines[edit.column2]
            trace = Trace("ncci.ptp", RULES_VERSION, f"{edit.source} [{edit.confidence}]")
            reason = column2.distinct or lines[edit.column1].distinct
            if edit.modifier_indicator == 1 and reason:
                modifier = DISTINCT_X[reason] if profile.distinct_modifier_style == "X" else "59"
                if modifier not in column2.modifiers:
                    column2.modifiers.append(modifier)
                column2.trace.append(trace)
                column2.rationale.append(f"{modifier}: {DISTINCT_WORDS[reason]} documented, distinct from "
                                         f"{edit.column1} (NCCI PTP edit)")
                findings.append(Finding(WarningCode.DISTINCT_SERVICE_MODIFIER, {
                    "modifier": modifier, "column1": edit.column1, "column2": edit.column2,
                    "reason": DISTINCT_WORDS[reason]}, Trace("ncci.distinct-modifier", RULES_VERSION, SRC_NCCI),
                    edit.column2, column2.evidence))
            else:
                bypass = (" (modifier 59 or X{EPSU} can bypass it when a distinct service is documented)"
                          if edit.modifier_indicator == 1 else " (no modifier can bypass this edit)")
                findings.append(Finding(WarningCode.NCCI_PTP_CONFLICT, {
                    "column1": edit.column1, "column2": edit.column2, "bypass": bypass}, trace, edit.column2,
                    column2.evidence))
    for cpt, service in lines.items():
        mue = tables.mue.get(cpt)
        if mue and service.units > mue.units:
            findings.append(Finding(WarningCode.MUE_EXCEEDED, {"cpt": cpt, "units": service.units, "limit": mue.units},
                                    Trace("ncci.mue", RULES_VERSION, f"{mue.source} [{mue.confidence}]"), cpt,
                                    service.evidence))


def _check_time(visit: VisitFacts, timed_minutes: int, documented: int | None, findings: list[Finding]) -> None:
    trace = Trace("time.consistency", RULES_VERSION, "MBPM Ch. 15 §220.3 E: billing and total timed minutes "
                  "must be consistent (CMS text)")
    total = visit.total_treatment_minutes
    over_total = total is not None and timed_minutes > total
    if over_total:
        findings.append(Finding(WarningCode.TIME_INCONSISTENT, {"detail": (
            f"The timed minutes ({timed_minutes}) exceed the documented total treatment time ({total}).")}, trace))
    stated = visit.stated_total_timed_minutes
    over_stated = stated is not None and timed_minutes > stated
    if over_stated:
        findings.append(Finding(WarningCode.TIME_INCONSISTENT, {"detail": (
            f"The intervention minutes sum to {timed_minutes}, more than the stated total timed minutes "
            f"({stated}).")}, trace))
    if documented is not None and timed_minutes > documented and not (over_total or over_stated):
        findings.append(Finding(WarningCode.TIME_INCONSISTENT, {"detail": (
            f"The timed minutes ({timed_minutes}) exceed what the total treatment time leaves after untimed "
            f"services ({documented}); timed units are limited to those minutes.")}, trace))
    if 0 < timed_minutes < 8:
        findings.append(Finding(WarningCode.INSUFFICIENT_MINUTES, {"detail": (
            f"The visit has {timed_minutes} timed minute(s) in all; fewer than 8 cannot be billed as a unit.")},
            Trace("units.visit-minimum", RULES_VERSION, SRC_820 + " §20.2 C")))


def _evidence(spans: list[tuple[int, int]], text: str | None) -> list[Evidence]:
    if text is None:
        return []
    return [Evidence(start=s, end=e, text=text[s:e]) for s, e in spans]


def _steps(traces: list[Trace]) -> list[TraceStep]:
    seen: dict[tuple[str, str, str], TraceStep] = {}
    for t in traces:
        seen.setdefault((t.rule, t.version, t.source), TraceStep(rule=t.rule, version=t.version, source=t.source))
    return list(seen.values())


def _line(service: _CodeService, pointers: list[str], text: str | None) -> Line:
    return Line(
        cpt=service.code.code, units=service.units, modifiers=service.modifiers, minutes=service.minutes,
        icd10=pointers, confidence=round(service.confidence, 3), evidence=_evidence(service.evidence, text),
        rationale="; ".join(service.reasons + service.rationale), trace=_steps(service.trace),
    )


def render_warning(finding: Finding, text: str | None) -> Warning:
    return Warning(
        code=finding.code.value, severity=finding.code.severity.value, message=finding.message,
        cpt=finding.cpt, evidence=_evidence(finding.evidence, text), trace=_steps([finding.trace]),
    )


ENGINE_VERSION = __version__
