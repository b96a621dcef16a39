"""`create_app()`: the HTTP API for EHR plugins (FastAPI).

The lifespan loads the pipeline, the intent model and the rules once; nothing heavy happens at import.
Middleware, outermost first: request id + access log, internal-error guard, body size limit, timeout.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.http_api import routes_cds, routes_docs, routes_health, routes_reference, routes_suggest
from api.http_api.cds_cards import CardLedger
from api.http_api.cds_feedback import FeedbackStore
from api.http_api.engine import Engine
from api.http_api.middleware import (
    BodySizeLimitMiddleware,
    InternalErrorMiddleware,
    RequestContextMiddleware,
    TimeoutMiddleware,
)
from api.http_api.openapi_docs import install_openapi
from api.http_api.problems import install_problem_handlers
from api.http_api.ratelimit import TokenBuckets
from api.http_api.security import key_ring
from api.http_api.settings import settings_for
from api.review import setup as review
from rules.codes import code_table
from rules.engine import ENGINE_VERSION
from rules.payers import payer_profiles

log = logging.getLogger("notecode.http")

DESCRIPTION = """Suggests outpatient-therapy claim lines (CPT, units, modifiers, ICD-10 pointers) and documentation
warnings from treatment notes. Note in, Suggestion out, as in the notecode I/O contract; a CDS Hooks service for
EHRs. Send an API key in `X-API-Key`. Errors are `application/problem+json` naming each field and its problem;
no error, log line or metric ever contains note text."""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = settings_for(app)
    if not key_ring(settings).keys:  # also validates the key configuration before serving anything
        log.warning("no API keys configured (NOTECODE_API_KEYS / NOTECODE_API_KEYS_FILE): every route is open; "
                    "serve only on 127.0.0.1")
    code_table()
    payer_profiles()
    app.state.engine = Engine.load()
    app.state.cards = CardLedger(settings.card_memory_limit)
    app.state.feedback = FeedbackStore(settings.feedback_file, settings.feedback_memory_limit)
    review.start(app)  # the review page's database, migrated to the newest schema
    log.info("ready: engine=%s model=%s", ENGINE_VERSION, app.state.engine.model_name)
    yield
    review.stop(app)
    app.state.engine = None


def create_app() -> FastAPI:
    app = FastAPI(title="notecode", version=ENGINE_VERSION, description=DESCRIPTION, lifespan=lifespan,
                  openapi_url=None, docs_url=None, redoc_url=None,  # served by routes_docs, behind a key
                  openapi_tags=[{"name": "suggest"}, {"name": "cds-hooks"}, {"name": "reference"},
                                {"name": "health"}])
    for module in (routes_suggest, routes_cds, routes_reference, routes_health, routes_docs):
        app.include_router(module.router)
    review.install(app)  # /review (coders sign in with a session cookie) and /v1/review (API keys)
    install_problem_handlers(app)
    app.state.rate_limiter = TokenBuckets()  # per app, so each test's app starts with full buckets
    install_openapi(app)
    # add_middleware wraps: the last added runs first
    app.add_middleware(TimeoutMiddleware)
    app.add_middleware(BodySizeLimitMiddleware)
    app.add_middleware(InternalErrorMiddleware)
    app.add_middleware(RequestContextMiddleware)
    return app
