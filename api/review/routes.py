"""The review page's routes (/review/...): sign-in, queue and imports, one note and its decision, figures,
exports. Server-rendered HTML; every route but sign-in and static files needs a signed-in coder, every post
its CSRF token. Note text never goes to a log or an error message."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from starlette.datastructures import UploadFile

from api.http_api.settings import settings_for
from api.review import views
from api.review.agreement import agreement
from api.review.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CoderDep,
    FormDep,
    StoreDep,
    clear_cookie,
    login_token_matches,
    new_login_token,
    safe_next,
    set_cookie,
)
from api.review.decisions import Conflict, DraftError, current_decision, decide, read_draft
from api.review.export import corrections_jsonl, decisions_csv
from api.review.intake import (
    IntakeError,
    IntakeReport,
    pasted_note,
    queue_batch_output,
    read_json_records,
    suggest_and_queue,
)
from api.review.models import STATUSES, Coder, ReviewNote
from api.review.passwords import hash_password, needs_rehash, verify_password
from api.review.sessions import SignedIn, end_session, start_session
from api.review.settings import ReviewSettingsDep
from api.review.web import page, redirect, static_response
from rules.warning_codes import Severity, WarningCode

log = logging.getLogger("notecode.review")
router = APIRouter(prefix="/review", include_in_schema=False)
QUEUE_LIMIT = 500


@router.get("")
def home() -> Response:
    return redirect("/review/queue")


@router.get("/static/{name}")
def static(name: str) -> Response:
    return static_response(name)


# --- sign-in ---------------------------------------------------------------------------------------------------

def _login_page(request: Request, settings: Any, next_path: str, error: str = "", status: int = 200) -> Response:
    token = new_login_token()
    response = page(request, "login.html", status, login_token=token, next_path=safe_next(next_path), error=error)
    set_cookie(response, request, settings, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request, settings: ReviewSettingsDep, next: str = "") -> Response:
    return _login_page(request, settings, next)


@router.post("/login")
def login(request: Request, store: StoreDep, settings: ReviewSettingsDep,
          username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "") -> Response:
    if not login_token_matches(request, {"csrf_token": csrf_token}):
        return _login_page(request, settings, next, "The sign-in form had expired; please sign in again.", 400)
    name = username.strip().lower()[:64]
    throttle = request.app.state.review_login_throttle
    if throttle.blocked(name):
        log.warning("review sign-in refused: too many failures user=%s", name)
        return _login_page(request, settings, next, "Too many failed sign-ins for this account; wait a few minutes "
                           "and try again.", 429)
    with store.session() as session:
        coder = session.scalar(select(Coder).where(Coder.username == name))
        # an unknown or disabled account still costs one argon2 verification: no timing difference
        if not verify_password(coder.password_hash if coder and coder.active else None, password[:1024]):
            throttle.failed(name)
            log.info("review sign-in failed user=%s", name)
            return _login_page(request, settings, next, "Wrong username or password.", 401)
        assert coder is not None
        if needs_rehash(coder.password_hash):
            coder.password_hash = hash_password(password)
        token = start_session(session, coder, settings.session_minutes)
    throttle.succeeded(name)
    log.info("review sign-in user=%s", name)
    response = redirect(safe_next(next))
    set_cookie(response, request, settings, SESSION_COOKIE, token, max_age=settings.session_minutes * 60)
    clear_cookie(response, request, settings, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, coder: CoderDep, form: FormDep, store: StoreDep, settings: ReviewSettingsDep) -> Response:
    with store.session() as session:
        end_session(session, request.cookies.get(SESSION_COOKIE))
    response = redirect("/review/login?flash=signed-out")
    clear_cookie(response, request, settings, SESSION_COOKIE)
    return response


# --- queue and imports ------------------------------------------------------------------------------------------

def _filters(status: str, warning: str, severity: str) -> tuple[dict[str, str], str]:
    """The queue's filters, each checked; an unknown value is dropped with a one-line message."""
    chosen: dict[str, str] = {}
    problems = []
    for name, value, allowed in (("status", status, STATUSES), ("warning", warning, tuple(WarningCode)),
                                 ("severity", severity, tuple(Severity))):
        if not value:
            continue
        if value in allowed:
            chosen[name] = value
        else:
            problems.append(f"{name}: not one of {', '.join(allowed)}")
    return chosen, "; ".join(problems)


def _queue_page(request: Request, coder: SignedIn, store: Any, status: str = "", warning: str = "",
                severity: str = "", report: IntakeReport | None = None, error: str = "", code: int = 200) -> Response:
    chosen, filter_error = _filters(status, warning, severity)
    query = select(ReviewNote).order_by(ReviewNote.id)
    if "status" in chosen:
        query = query.where(ReviewNote.status == chosen["status"])
    if "warning" in chosen:
        query = query.where(ReviewNote.warning_codes.like(f"% {chosen['warning']} %"))
    if "severity" in chosen:
        query = query.where(ReviewNote.severities.like(f"% {chosen['severity']} %"))
    with store.session() as session:
        notes = list(session.scalars(query.limit(QUEUE_LIMIT)))
        counts = dict(session.execute(select(ReviewNote.status, func.count()).group_by(ReviewNote.status)).all())
        rows = [_queue_row(note) for note in notes]
    return page(request, "queue.html", code, coder=coder, rows=rows, counts=counts, filters=chosen,
                statuses=STATUSES, warning_codes=[w.value for w in WarningCode], severities=[s.value for s in Severity],
                error=error or filter_error, report=report, limit=QUEUE_LIMIT)


def _queue_row(note: ReviewNote) -> dict[str, Any]:
    warnings = note.suggestion.get("warnings", [])
    return {"id": note.id, "external_id": note.external_id or "", "source": note.source, "status": note.status,
            "imported_at": f"{note.imported_at:%Y-%m-%d %H:%M}", "snippet": (note.note.get("text") or "")[:90],
            "codes": [f"{line['cpt']}×{line['units']}" for line in note.suggestion.get("lines", [])],
            "errors": sum(w["severity"] == "error" for w in warnings),
            "warnings": sum(w["severity"] == "warning" for w in warnings),
            "infos": sum(w["severity"] == "info" for w in warnings),
            "decided_by": note.decider.shown_name if note.decider else "",
            "decided_at": f"{note.decided_at:%Y-%m-%d %H:%M}" if note.decided_at else ""}


@router.get("/queue")
def queue(request: Request, coder: CoderDep, store: StoreDep, status: str = "", warning: str = "",
          severity: str = "") -> Response:
    return _queue_page(request, coder, store, status, warning, severity)


def _suggest(request: Request) -> Any:
    engine = request.app.state.engine
    limit = settings_for(request.app).max_note_chars
    return lambda raws: engine.suggest(raws, limit)


@router.post("/import/paste")
def import_paste(request: Request, coder: CoderDep, form: FormDep, store: StoreDep) -> Response:
    raw = pasted_note(*(str(form.get(name, "")) for name in ("text", "discipline", "payer", "date_of_service",
                                                                "icd10", "note_id")))
    report = suggest_and_queue(store, _suggest(request), [("the pasted note", raw)], "pasted", coder.coder_id)
    if len(report.added) == 1:
        return redirect(f"/review/notes/{report.added[0]}")
    return _queue_page(request, coder, store, report=report, code=422 if report.problems else 200)


def _upload(form: Any, name: str) -> tuple[bytes, str]:
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise IntakeError(f"{name}: choose a file")
    return upload.file.read(), upload.filename[:120]


@router.post("/import/notes")
def import_notes(request: Request, coder: CoderDep, form: FormDep, store: StoreDep,
                 settings: ReviewSettingsDep) -> Response:
    try:
        content, filename = _upload(form, "notes")
        records = read_json_records(content, filename)
        if len(records) > settings.max_import_notes:
            raise IntakeError(f"{filename}: {len(records)} notes; at most {settings.max_import_notes} in one import")
    except IntakeError as exc:
        return _queue_page(request, coder, store, error=str(exc), code=422)
    labelled = [(f"{filename} line {number}", raw) for number, raw in records]
    report = suggest_and_queue(store, _suggest(request), labelled, "upload", coder.coder_id)
    return _queue_page(request, coder, store, report=report, code=200 if report.added or not report.problems else 422)


@router.post("/import/batch")
def import_batch(request: Request, coder: CoderDep, form: FormDep, store: StoreDep,
                 settings: ReviewSettingsDep) -> Response:
    try:
        output, output_name = _upload(form, "output")
        notes, notes_name = _upload(form, "notes")
        report = queue_batch_output(store, output, output_name, notes, notes_name, coder.coder_id,
                                    settings.max_import_notes)
    except IntakeError as exc:
        return _queue_page(request, coder, store, error=str(exc), code=422)
    return _queue_page(request, coder, store, report=report, code=200 if report.added or not report.problems else 422)


# --- one note ---------------------------------------------------------------------------------------------------

def _neighbours(session: Any, note_id: int) -> dict[str, int | None]:
    after = select(ReviewNote.id).where(ReviewNote.id > note_id)
    return {
        "previous": session.scalar(select(ReviewNote.id).where(ReviewNote.id < note_id).order_by(ReviewNote.id.desc())),
        "next": session.scalar(after.order_by(ReviewNote.id)),
        "next_to_review": session.scalar(after.where(ReviewNote.status == "to_review").order_by(ReviewNote.id))
        or session.scalar(select(ReviewNote.id).where(ReviewNote.status == "to_review", ReviewNote.id != note_id)
                          .order_by(ReviewNote.id)),
    }


def _note_page(request: Request, coder: SignedIn, store: Any, note_id: int, form: Any = None, error: str = "",
               conflict: Conflict | None = None, code: int = 200) -> Response:
    with store.session() as session:
        note = session.get(ReviewNote, note_id)
        if note is None:
            return page(request, "error.html", 404, coder=coder, title="No such note",
                        message=f"There is no note #{note_id} in the queue.")
        decision = current_decision(session, note_id)
        suggestion, text = note.suggestion, note.note.get("text") or ""
        if form is not None:
            rows, dismissed = views.rows_from_form(form, suggestion), views.dismissed_from_form(form)
        elif decision is not None:
            rows = views.rows_from_lines(decision.final_lines, suggestion, from_suggestion=False)
            dismissed = views.dismissed_from_decision(decision)
        else:
            rows = views.rows_from_lines(suggestion.get("lines", []), suggestion, from_suggestion=True)
            dismissed = {}
        context = {
            "note": {"id": note.id, "external_id": note.external_id or "", "status": note.status,
                     "version": conflict.current_version if conflict else note.version,
                     "discipline": note.note.get("discipline", ""), "payer": note.note.get("payer", ""),
                     "date_of_service": note.note.get("date_of_service", "")},
            "decision": {"by": decision.coder.shown_name, "at": f"{decision.decided_at:%Y-%m-%d %H:%M} UTC",
                         "outcome": decision.outcome} if decision else None,
            "nav": _neighbours(session, note_id),
        }
    return page(request, "note.html", code, coder=coder, rows=rows, warnings=views.warning_rows(suggestion, dismissed),
                text=views.text_view(text, suggestion), others=views.interventions_not_billed(suggestion),
                totals=suggestion.get("totals", {}), review=suggestion.get("review", []), error=error,
                conflict=conflict, **context)


@router.get("/notes/{note_id}")
def note_view(note_id: int, request: Request, coder: CoderDep, store: StoreDep) -> Response:
    return _note_page(request, coder, store, note_id)


@router.post("/notes/{note_id}/decision")
def save_decision(note_id: int, request: Request, coder: CoderDep, form: FormDep, store: StoreDep) -> Response:
    with store.session() as session:
        note = session.get(ReviewNote, note_id)
        suggestion = note.suggestion if note else None
    if suggestion is None:
        return _note_page(request, coder, store, note_id)
    version = str(form.get("version", ""))
    if not version.isdigit():
        return _note_page(request, coder, store, note_id, form, "version: missing; reload the note and try again",
                          code=422)
    try:
        draft = read_draft(form, suggestion)
    except DraftError as exc:
        return _note_page(request, coder, store, note_id, form, str(exc), code=422)
    result = decide(store, note_id, coder, draft, int(version))
    if isinstance(result, Conflict):
        log.info("review conflict note=%s user=%s attempt=%s", note_id, coder.username, result.attempt_id)
        return _note_page(request, coder, store, note_id, form, conflict=result, code=409)
    log.info("review decision note=%s user=%s outcome=%s", note_id, coder.username, result.outcome)
    return redirect(f"/review/notes/{note_id}?flash={result.outcome}")


# --- figures and exports ----------------------------------------------------------------------------------------

@router.get("/agreement")
def agreement_page(request: Request, coder: CoderDep, store: StoreDep) -> Response:
    return page(request, "agreement.html", coder=coder, figures=agreement(store))


@router.get("/export/corrections.jsonl")
def export_corrections(coder: CoderDep, store: StoreDep) -> Response:
    return Response(corrections_jsonl(store), media_type="application/x-ndjson", headers={
        "Content-Disposition": 'attachment; filename="corrections.jsonl"', "Cache-Control": "no-store"})


@router.get("/export/decisions.csv")
def export_csv(coder: CoderDep, store: StoreDep) -> Response:
    return Response(decisions_csv(store), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="decisions.csv"', "Cache-Control": "no-store"})
