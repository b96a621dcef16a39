"""A coder's decision on a note: read from the form, compared with the suggestion, saved with optimistic locking.

Each note's review record has a version. A decision names the version it was made on; if another coder
decided in the meantime the save is refused (HTTP 409) and the attempt is kept as a rejected decision, so
nothing typed is lost and the coder can look at the other decision and save again on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from api.review.models import Decision, ReviewNote, utcnow
from api.review.sessions import SignedIn
from api.review.store import ReviewStore

CPT = re.compile(r"^[0-9A-Z][0-9]{3}[0-9A-Z]$")
MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
MAX_UNITS = 99
MAX_REASON_CHARS = 500
MAX_LINES = 40


class DraftError(ValueError):
    """A form value that cannot be saved; `field` names the form field, `problem` says what is wrong."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


@dataclass
class Draft:
    """What the coder submitted: final lines (each knowing which suggested line it came from) and dismissals."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    dismissed: list[dict[str, Any]] = field(default_factory=list)

    def outcome(self, suggestion: dict[str, Any]) -> str:
        """accepted: the suggestion as it was (lines and warnings); corrected: anything changed."""
        suggested = [_billing_key(line) for line in suggestion.get("lines", [])]
        final = [_billing_key(line) for line in self.lines]
        return "accepted" if final == suggested and not self.dismissed else "corrected"


@dataclass(frozen=True)
class Conflict:
    """Another coder decided first."""

    decided_by: str
    decided_at: str
    status: str
    current_version: int
    attempt_id: int


def _billing_key(line: Mapping[str, Any]) -> tuple[str, int, tuple[str, ...]]:
    return line["cpt"], int(line["units"]), tuple(line.get("modifiers") or ())


def read_draft(form: Mapping[str, Any], suggestion: dict[str, Any]) -> Draft:
    """The form's `line-N-*` rows and `warn-N-*` dismissals. Raises DraftError naming the first bad field."""
    suggested = suggestion.get("lines", [])
    rows = sorted({int(m.group(1)) for key in form if (m := re.match(r"^line-(\d{1,3})-cpt$", key))})
    draft = Draft()
    for row in rows:
        prefix = f"line-{row}"
        if form.get(f"{prefix}-remove"):
            continue
        cpt = str(form.get(f"{prefix}-cpt", "")).strip().upper()
        origin = _origin(str(form.get(f"{prefix}-origin", "")), len(suggested))
        if not cpt and origin is None:
            continue  # the blank row for a new line, left empty
        if not CPT.match(cpt):
            raise DraftError(f"{prefix}-cpt", "a CPT/HCPCS code is five characters, like 97110 or G0283")
        units = _units(str(form.get(f"{prefix}-units", "")).strip(), f"{prefix}-units")
        modifiers = _modifiers(str(form.get(f"{prefix}-modifiers", "")), f"{prefix}-modifiers")
        base = suggested[origin] if origin is not None else {}
        draft.lines.append({"cpt": cpt, "units": units, "modifiers": modifiers, "minutes": base.get("minutes"),
                            "icd10": list(base.get("icd10") or _note_pointers(suggestion)), "origin": origin})
    if len(draft.lines) > MAX_LINES:
        raise DraftError("lines", f"at most {MAX_LINES} lines on one note")
    for index, warning in enumerate(suggestion.get("warnings", [])):
        if not form.get(f"warn-{index}-dismiss"):
            continue
        reason = str(form.get(f"warn-{index}-reason", "")).strip()
        if not reason:
            raise DraftError(f"warn-{index}-reason", f"say why {warning['code']} is dismissed")
        if len(reason) > MAX_REASON_CHARS:
            raise DraftError(f"warn-{index}-reason", f"at most {MAX_REASON_CHARS} characters")
        draft.dismissed.append({"index": index, "code": warning["code"], "reason": reason})
    return draft


def _origin(value: str, count: int) -> int | None:
    return int(value) if value.isdigit() and int(value) < count else None


def _units(value: str, name: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_UNITS:
        raise DraftError(name, f"units are a whole number from 1 to {MAX_UNITS} (remove the line to bill none)")
    return int(value)


def _modifiers(value: str, name: str) -> list[str]:
    modifiers = [m for m in re.split(r"[\s,;]+", value.strip().upper()) if m]
    bad = [m for m in modifiers if not MODIFIER.match(m)]
    if bad:
        raise DraftError(name, "modifiers are two letters or digits each (GO, KX, 59), separated by spaces")
    if len(modifiers) > 4:
        raise DraftError(name, "at most 4 modifiers on a line")
    return list(dict.fromkeys(modifiers))


def _note_pointers(suggestion: dict[str, Any]) -> list[str]:
    """A line the coder adds points at the diagnoses the other lines point at."""
    return list(dict.fromkeys(code for line in suggestion.get("lines", []) for code in line.get("icd10", [])))


def decide(store: ReviewStore, note_id: int, coder: SignedIn, draft: Draft,
           based_on_version: int) -> Decision | Conflict:
    """Save the decision if the note is still at `based_on_version`; otherwise keep it as a rejected attempt."""
    with store.session() as session:
        note = session.get(ReviewNote, note_id)
        if note is None:
            raise LookupError(note_id)
        outcome = draft.outcome(note.suggestion)
        decision = Decision(note_id=note_id, coder_id=coder.coder_id, decided_at=utcnow(), outcome=outcome,
                            based_on_version=based_on_version, suggestion=note.suggestion, final_lines=draft.lines,
                            dismissed_warnings=draft.dismissed)
        # compare-and-set in one statement: of two coders saving at once exactly one moves the version on
        moved = session.execute(
            update(ReviewNote).where(ReviewNote.id == note_id, ReviewNote.version == based_on_version)
            .values(version=based_on_version + 1, status=outcome, decided_by=coder.coder_id,
                    decided_at=decision.decided_at)
            .execution_options(synchronize_session=False))
        if moved.rowcount == 1:  # type: ignore[attr-defined]
            session.add(decision)
            return decision
        decision.rejected = True
        session.add(decision)
        session.flush()
        session.refresh(note)
        winner = current_decision(session, note_id)
        return Conflict(decided_by=winner.coder.shown_name if winner else "another coder",
                        decided_at=f"{note.decided_at:%Y-%m-%d %H:%M} UTC" if note.decided_at else "",
                        status=note.status, current_version=note.version, attempt_id=decision.id)


def current_decision(session: Any, note_id: int) -> Decision | None:
    """The decision in force: the newest that was not refused."""
    return session.scalar(select(Decision).where(Decision.note_id == note_id, Decision.rejected.is_(False))
                          .order_by(Decision.id.desc()).limit(1))


def latest_decisions(session: Any) -> list[tuple[ReviewNote, Decision]]:
    """Every decided note with the decision in force, in queue order."""
    in_force = (select(Decision.note_id, Decision.id).where(Decision.rejected.is_(False))
                .order_by(Decision.note_id, Decision.id.desc()))
    newest: dict[int, int] = {}
    for note_id, decision_id in session.execute(in_force):
        newest.setdefault(note_id, decision_id)
    if not newest:
        return []
    decisions = {d.id: d for d in session.scalars(select(Decision).where(Decision.id.in_(newest.values())))}
    notes = {n.id: n for n in session.scalars(select(ReviewNote).where(ReviewNote.id.in_(newest)))}
    return [(notes[note_id], decisions[newest[note_id]]) for note_id in sorted(newest)]


def line_changes(suggestion: dict[str, Any], final_lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each suggested line's fate (unchanged, changed, removed) and each added line, for exports and figures."""
    changes = []
    by_origin = {line["origin"]: line for line in final_lines if line.get("origin") is not None}
    for index, line in enumerate(suggestion.get("lines", [])):
        final = by_origin.get(index)
        if final is None:
            kind = "removed"
        elif _billing_key(final) == _billing_key(line):
            kind = "unchanged"
        else:
            kind = "changed"
        changes.append({"change": kind, "suggested": line, "final": final, "origin": index})
    changes += [{"change": "added", "suggested": None, "final": line, "origin": None}
                for line in final_lines if line.get("origin") is None]
    return changes
