"""RFC 9457 problem details (application/problem+json) for every error the API returns.

Each body has type, title, status, detail and an `errors` list of {field, problem}. Nothing here echoes a
request value: validation messages are built with `include_input=False`, and a 500 says only that it failed.
"""

from __future__ import annotations

import logging
import re
import traceback
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.http_api.settings import settings_for
from rules.errors import NoteError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("notecode.http")


class FieldProblem(BaseModel):
    field: str = Field(description="dotted path of the offending field, e.g. `services.0.minutes`")
    problem: str = Field(description="what is wrong with it (never the submitted value)")


class Problem(BaseModel):
    type: str = Field(description="a URI naming the kind of problem")
    title: str
    status: int
    detail: str
    instance: str | None = Field(default=None, description="`urn:uuid:` + the request id")
    errors: list[FieldProblem] = Field(default_factory=list)


class ProblemError(Exception):
    """Raised anywhere in a request to answer with a problem document."""

    def __init__(self, status: int, slug: str, detail: str, errors: list[FieldProblem] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


def problem_body(app: Any, status: int, slug: str, detail: str, errors: list[FieldProblem] | None = None,
                 request_id: str | None = None) -> dict[str, Any]:
    problem = Problem(
        type=f"{settings_for(app).problem_type_base}{slug}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=f"urn:uuid:{request_id}" if request_id else None,
        errors=errors or [],
    )
    return problem.model_dump(exclude_none=True)


def problem_response(request: Request, status: int, slug: str, detail: str,
                     errors: list[FieldProblem] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    body = problem_body(request.app, status, slug, detail, errors, request_id)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """('body', 'services', 0, 'minutes') -> 'services.0.minutes'; the request root is 'body'."""
    parts = [str(p) for p in location]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def note_problem(error: NoteError) -> FieldProblem:
    """A NoteError as a FieldProblem, with one path style throughout (`services[0].cpt` -> `services.0.cpt`)."""
    return FieldProblem(field=re.sub(r"\[(\d+)\]", r".\1", error.field), problem=error.problem)


def validation_problems(errors: list[dict[str, Any]]) -> list[FieldProblem]:
    problems = []
    for error in errors:
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if error.get("type") == "json_invalid":
            message = f"not valid JSON ({error.get('ctx', {}).get('error', 'decode error')})"
            problems.append(FieldProblem(field="body", problem=message))
            continue
        problems.append(FieldProblem(field=field_path(error.get("loc", ())), problem=message))
    return problems


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # only loc, msg, type and the JSON error's ctx are read: never the submitted input
    problems = validation_problems(list(exc.errors()))
    detail = "; ".join(f"{p.field}: {p.problem}" for p in problems[:3])
    return problem_response(request, 422, "validation", detail, problems)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    slug = HTTPStatus(status).phrase.lower().replace(" ", "-")
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).description
    if status == 404:
        detail = "no route matches this path"  # the path is not echoed: a client could put anything in it
    elif status == 405:
        allowed = {k.lower(): v for k, v in (exc.headers or {}).items()}.get("allow", "")
        detail = f"{request.method} is not allowed here; allowed: {allowed}"
    errors = [FieldProblem(field="body", problem=detail)] if status == 400 else None  # an unreadable body
    return problem_response(request, status, slug, detail, errors, headers=dict(exc.headers or {}))


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(request, exc.status, exc.slug, exc.detail, exc.errors, exc.headers)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(ProblemError, _on_problem)


def log_internal_error(exc: BaseException, request_id: str | None) -> None:
    """Where it failed (files, lines, functions) and the exception's class: never its message, which may
    quote a note."""
    frames = traceback.extract_tb(exc.__traceback__)[-8:]
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    log.error("internal error request_id=%s exception=%s at %s", request_id, type(exc).__name__, where)
