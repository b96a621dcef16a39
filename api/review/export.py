"""Decisions out: the corrections JSONL that `notecode add-corrections` takes, and a CSV for auditors.

Only the decision in force for each note is exported (not refused attempts, not superseded decisions).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from api.review.decisions import latest_decisions, line_changes
from api.review.store import ReviewStore
from nlp.intent import INTENT_LABELS

# the codes the intent model chooses between; any other code is "other" to it
INTENT_CODES = frozenset(label for label in INTENT_LABELS if label != "other")
CSV_COLUMNS = ("note", "note_id", "decision", "coder", "decided_at", "outcome", "change", "cpt", "units",
               "modifiers", "minutes", "icd10", "suggested_cpt", "suggested_units", "suggested_modifiers",
               "confidence", "dismissed_warnings")


def corrections(store: ReviewStore) -> list[dict[str, str]]:
    """{"text", "code"} rows for add-corrections: the evidence text of each line whose code a coder changed,
    labelled with the new code. Only changes the intent model could learn from: the suggested or the new code
    is one of its codes."""
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    with store.session() as session:
        for note, decision in latest_decisions(session):
            text = note.note.get("text") or ""
            for change in line_changes(decision.suggestion, decision.final_lines):
                if change["change"] != "changed" or change["final"]["cpt"] == change["suggested"]["cpt"]:
                    continue
                old, new = change["suggested"]["cpt"], change["final"]["cpt"]
                if old not in INTENT_CODES and new not in INTENT_CODES:
                    continue
                label = new if new in INTENT_CODES else "other"
                for evidence in change["suggested"].get("evidence", []):
                    span = text[evidence["start"]:evidence["end"]].strip()
                    if span and (span, label) not in seen:
                        seen.add((span, label))
                        rows.append({"text": span, "code": label})
    return rows


def corrections_jsonl(store: ReviewStore) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in corrections(store))


def decisions_csv(store: ReviewStore) -> str:
    """One row per line of each decision (removed lines included, marked so), no note text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    with store.session() as session:
        for note, decision in latest_decisions(session):
            dismissed = "; ".join(f"{d['code']}: {d['reason']}" for d in decision.dismissed_warnings)
            common = [note.id, note.external_id or "", decision.id, decision.coder.username,
                      f"{decision.decided_at:%Y-%m-%dT%H:%M:%SZ}", decision.outcome]
            for change in line_changes(decision.suggestion, decision.final_lines):
                final, suggested = change["final"] or {}, change["suggested"] or {}
                writer.writerow([_cell(v) for v in [
                    *common, change["change"], final.get("cpt", ""), final.get("units", ""),
                    " ".join(final.get("modifiers", [])), _blank(final.get("minutes", suggested.get("minutes"))),
                    " ".join(final.get("icd10", [])), suggested.get("cpt", ""), _blank(suggested.get("units")),
                    " ".join(suggested.get("modifiers", [])), _blank(suggested.get("confidence")), dismissed]])
            if not decision.final_lines and not decision.suggestion.get("lines"):
                writer.writerow([_cell(v) for v in [*common, "none", *[""] * 10, dismissed]])
    return out.getvalue()


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _cell(value: Any) -> Any:
    """Spreadsheets run cells that start with = + - @ as formulas; a leading quote keeps them text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
