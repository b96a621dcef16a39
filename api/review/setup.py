"""Wiring the review page into the HTTP app: routers and handlers in `install`, the database in `start`."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response

from api.review import routes, routes_api
from api.review.auth import SESSION_COOKIE, CsrfRejected, SignInRequired, clear_cookie, login_url
from api.review.sessions import LoginThrottle
from api.review.settings import get_review_settings, review_settings_for
from api.review.store import ReviewStoreError, open_store
from api.review.web import page, redirect

log = logging.getLogger("notecode.review")


def install(app: FastAPI) -> None:
    app.include_router(routes.router)
    app.include_router(routes_api.router)
    app.add_exception_handler(SignInRequired, _to_sign_in)
    app.add_exception_handler(CsrfRejected, _csrf_rejected)


def start(app: FastAPI) -> None:
    """Open the review database and bring its schema to the newest migration."""
    settings = review_settings_for(app)
    app.state.review_store = open_store(settings.database_url)
    app.state.review_login_throttle = LoginThrottle(settings.login_failures, settings.login_pause_seconds)
    log.info("review database ready: %s", app.state.review_store.engine.url.render_as_string(hide_password=True))


def prepare_database() -> None:
    """Migrate the configured database once, before `notecode serve` starts its workers (which would otherwise
    race to run the same migration). Raises ReviewStoreError with a one-line reason."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        open_store(get_review_settings().database_url).close()
    except SQLAlchemyError as exc:  # the driver's message may quote the URL: only its kind is shown
        raise ReviewStoreError(f"NOTECODE_REVIEW_DB: cannot open or migrate the review database "
                               f"({type(exc).__name__})") from None


def stop(app: FastAPI) -> None:
    store = getattr(app.state, "review_store", None)
    if store is not None:
        store.close()


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    response = redirect(login_url(exc.next_path, exc.reason))
    if exc.reason:  # the cookie named a session that has ended
        clear_cookie(response, request, review_settings_for(request.app), SESSION_COOKIE)
    return response


async def _csrf_rejected(request: Request, exc: Exception) -> Response:
    return page(request, "error.html", 403, title="This form has expired",
                message="The form did not carry this session's security token. Reload the page and try again; "
                        "nothing was saved.")
