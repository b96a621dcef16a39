"""Who is signed in: the session cookie checked on every /review request, CSRF checked on every form post.

No or unknown or expired session: a redirect to the sign-in page (`SignInRequired`), never a note.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from api.review.sessions import SignedIn, find_session
from api.review.settings import ReviewSettings
from api.review.store import ReviewStore

SESSION_COOKIE = "notecode_review"
LOGIN_CSRF_COOKIE = "notecode_review_login"
COOKIE_PATH = "/review"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class SignInRequired(Exception):
    """Answered with a redirect to the sign-in page (see `setup.install`)."""

    def __init__(self, next_path: str, reason: str = "") -> None:
        super().__init__(reason)
        self.next_path = next_path
        self.reason = reason


class CsrfRejected(Exception):
    """A form post without this session's CSRF token: answered 403 with a page saying to reload."""


def get_store(request: Request) -> ReviewStore:
    return request.app.state.review_store  # type: ignore[no-any-return]


StoreDep = Annotated[ReviewStore, Depends(get_store)]


def signed_in(request: Request, store: StoreDep) -> SignedIn:
    token = request.cookies.get(SESSION_COOKIE)
    with store.session() as session:
        coder = find_session(session, token)
    if coder is None:
        raise SignInRequired(_here(request), "expired" if token else "")
    request.state.key_name = f"coder:{coder.username}"  # the access log's "who", as for API keys
    return coder


CoderDep = Annotated[SignedIn, Depends(signed_in)]


async def posted_form(request: Request, coder: CoderDep) -> AsyncIterator[FormData]:
    """The form of a post, once its CSRF token matches the session's. Uploaded files are closed afterwards."""
    form = await request.form()
    try:
        sent = str(form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or "")
        if not hmac.compare_digest(sent.encode(), coder.csrf_token.encode()):
            raise CsrfRejected()
        yield form
    finally:
        await form.close()


FormDep = Annotated[FormData, Depends(posted_form)]


def _here(request: Request) -> str:
    path = request.url.path
    return path if request.method == "GET" else "/review/queue"


def safe_next(value: str | None) -> str:
    """Only a path of this page may follow a sign-in (no open redirect to another site)."""
    if value and value.startswith("/review/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/review/queue"


def login_url(next_path: str, reason: str = "") -> str:
    """The sign-in page, coming back to `next_path`; `reason` is a key of web.FLASHES."""
    url = f"/review/login?next={quote(safe_next(next_path), safe='/')}"
    return url + (f"&flash={quote(reason)}" if reason else "")


def _secure(settings: ReviewSettings, request: Request) -> bool:
    return settings.secure_cookies if settings.secure_cookies is not None else request.url.scheme == "https"


def set_cookie(response: Response, request: Request, settings: ReviewSettings, name: str, value: str,
               max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=COOKIE_PATH, httponly=True, samesite="lax",
                        secure=_secure(settings, request))


def clear_cookie(response: Response, request: Request, settings: ReviewSettings, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="lax", secure=_secure(settings, request))


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def login_token_matches(request: Request, form: Any) -> bool:
    """Sign-in CSRF: the form's token must equal the cookie set with the sign-in page (double submit)."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    sent = str(form.get(CSRF_FIELD) or "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())

