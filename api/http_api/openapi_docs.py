"""OpenAPI pieces shared by the routes: documented error responses and the Problem schema component."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.http_api.problems import PROBLEM_JSON, Problem

_DESCRIPTIONS = {
    400: "the body could not be read at all (for example, it is not UTF-8)",
    401: "no API key, or an unknown one",
    403: "the key lacks this route's scope",
    412: "the note is in neither the context nor the prefetch (CDS Hooks: precondition failed)",
    413: "the request body is larger than the configured limit",
    422: "a field is missing, of the wrong type or out of range; `errors` names each field",
    429: "the key's rate limit is spent; see Retry-After",
    500: "notecode failed; nothing of the request is echoed",
    503: "not ready yet, or the request ran past the configured time; see Retry-After",
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"description": _DESCRIPTIONS[status], "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}}}
            for status in statuses}


AUTHED = (401, 403, 429, 500, 503)


def install_openapi(app: FastAPI) -> None:
    """Generate the document once, adding the Problem schema that the error responses refer to."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description,
                                   routes=app.routes, tags=app.openapi_tags)
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(problem.pop("$defs", {}))
            schemas["Problem"] = problem
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
