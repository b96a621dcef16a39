"""HTML responses for the review page: Jinja2 templates and static files read from the package, with the
headers a page of patient notes needs (no caching, no framing, scripts only from this server)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined

PAGE_HEADERS = {
    "Cache-Control": "no-store",  # notes are protected health information: no copies in caches
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
FLASHES = {
    "expired": "Your session has ended; sign in again.",
    "signed-out": "You are signed out.",
    "accepted": "Saved: accepted as suggested.",
    "corrected": "Saved: corrected.",
}
STATIC_TYPES = {"review.css": "text/css; charset=utf-8", "review.js": "text/javascript; charset=utf-8"}


@cache
def templates() -> Environment:
    # autoescape everywhere: note text is user content
    return Environment(loader=PackageLoader("api.review", "templates"), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("coder", None)
    context.setdefault("csrf_token", context["coder"].csrf_token if context["coder"] else "")
    # messages after a redirect are chosen by key, so a link cannot put its own words on the page
    context.setdefault("flash", FLASHES.get(request.query_params.get("flash", ""), ""))
    html = templates().get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


@cache
def static_file(name: str) -> bytes:
    return files("api.review").joinpath("static", name).read_bytes()


def static_response(name: str) -> Response:
    if name not in STATIC_TYPES:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(static_file(name), media_type=STATIC_TYPES[name],
                    headers={"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"})
