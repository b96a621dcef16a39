"""GET /healthz (the process answers) and /readyz (pipeline, model and rules loaded). No key needed."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.http_api.models import Health, Readiness
from api.http_api.openapi_docs import error_responses
from api.http_api.problems import ProblemError
from rules.codes import code_table
from rules.payers import payer_profiles

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, operation_id="health", summary="The process is alive")
def health() -> Health:
    return Health()


@router.get("/readyz", response_model=Readiness, operation_id="readiness",
            summary="Ready to suggest: the pipeline, the intent model and the rules are loaded",
            responses=error_responses(503))
def readiness(request: Request) -> Readiness:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        raise ProblemError(503, "not-ready", "the pipeline and model are not loaded yet",
                           headers={"Retry-After": "5"})
    versions = engine.versions
    return Readiness(pipeline=engine.pipeline_components, model=versions["model"], rules=versions["rules"],
                     engine=versions["engine"], spacy=versions["spacy"], codes=len(code_table()),
                     payers=sorted(payer_profiles()))
