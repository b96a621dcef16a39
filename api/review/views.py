"""What the note page shows, built from the stored note, suggestion and decision: rows of the lines form,
warnings with their dismissals, the highlighted text and its legend. No HTML here; templates render it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from api.review.marks import code_colours, segments
from api.review.models import Decision
from rules.codes import lookup


def rows_from_lines(lines: list[dict[str, Any]], suggestion: dict[str, Any],
                    from_suggestion: bool) -> list[dict[str, Any]]:
    """Form rows for the suggested lines (origin = their index) or a decision's final lines."""
    rows = []
    for index, line in enumerate(lines):
        origin = index if from_suggestion else line.get("origin")
        rows.append(_row(suggestion, origin, line["cpt"], str(line["units"]), " ".join(line.get("modifiers", []))))
    return rows


def rows_from_form(form: Mapping[str, Any], suggestion: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows as the coder typed them (after a refused save), so nothing typed is lost."""
    numbers = sorted({int(m.group(1)) for key in form if (m := re.match(r"^line-(\d{1,3})-cpt$", key))})
    rows = []
    count = len(suggestion.get("lines", []))
    for number in numbers:
        origin_text = str(form.get(f"line-{number}-origin", ""))
        origin = int(origin_text) if origin_text.isdigit() and int(origin_text) < count else None
        cpt = str(form.get(f"line-{number}-cpt", "")).strip().upper()[:16]
        if not cpt and origin is None:
            continue
        row = _row(suggestion, origin, cpt, str(form.get(f"line-{number}-units", ""))[:8],
                   str(form.get(f"line-{number}-modifiers", ""))[:40])
        row["removed"] = bool(form.get(f"line-{number}-remove"))
        rows.append(row)
    return rows


def _row(suggestion: dict[str, Any], origin: int | None, cpt: str, units: str, modifiers: str) -> dict[str, Any]:
    base = suggestion["lines"][origin] if origin is not None else {}
    changed = bool(base) and (cpt, units, modifiers) != (base["cpt"], str(base["units"]), " ".join(base["modifiers"]))
    return {"cpt": cpt, "units": units, "modifiers": modifiers, "origin": "" if origin is None else origin,
            "ref": f"line-{origin}" if origin is not None else "", "minutes": base.get("minutes"),
            "confidence": base.get("confidence"), "rationale": base.get("rationale", "added by the coder"),
            "suggested": f"{base['cpt']} × {base['units']} {' '.join(base['modifiers'])}".strip() if base else "",
            "changed": changed, "added": not base, "removed": False}


def warning_rows(suggestion: dict[str, Any], dismissed: Mapping[int, str]) -> list[dict[str, Any]]:
    return [{"index": index, "code": w["code"], "severity": w["severity"], "message": w["message"],
             "cpt": w.get("cpt"), "ref": f"warn-{index}", "has_span": bool(w.get("evidence")),
             "span_text": " … ".join(e["text"] for e in w.get("evidence", []))[:160],
             "dismissed": index in dismissed, "reason": dismissed.get(index, "")}
            for index, w in enumerate(suggestion.get("warnings", []))]


def dismissed_from_form(form: Mapping[str, Any]) -> dict[int, str]:
    found = {}
    for key in form:
        match = re.match(r"^warn-(\d{1,3})-dismiss$", key)
        if match:
            found[int(match.group(1))] = str(form.get(f"warn-{match.group(1)}-reason", ""))[:500]
    return found


def dismissed_from_decision(decision: Decision | None) -> dict[int, str]:
    return {d["index"]: d["reason"] for d in decision.dismissed_warnings} if decision else {}


def text_view(text: str, suggestion: dict[str, Any]) -> dict[str, Any]:
    colours = code_colours(suggestion)
    legend = []
    for code, slot in colours.items():
        known = lookup(code)
        legend.append({"code": code, "slot": slot, "description": known.description if known else ""})
    pieces = []
    for segment in segments(text, suggestion):
        code = segment.code
        pieces.append({"text": segment.text, "code": code, "slot": colours.get(code) if code else None,
                       "kinds": segment.kinds, "refs": segment.refs, "status": segment.status})
    return {"pieces": pieces, "legend": legend}


def interventions_not_billed(suggestion: dict[str, Any]) -> list[dict[str, Any]]:
    """Interventions the note names that no line bills (planned, declined, home program, bundled...)."""
    billed = {(e["start"], e["end"]) for line in suggestion.get("lines", []) for e in line.get("evidence", [])}
    return [{"ref": f"int-{index}", "cpt": item.get("cpt") or "—", "status": item.get("status", ""),
             "minutes": item.get("minutes"), "text": item["text"][:120]}
            for index, item in enumerate(suggestion.get("interventions", []))
            if (item["start"], item["end"]) not in billed]
