"""GET /v1/review/agreement: the agreement figures for API clients (an API key with the `read` scope)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from api.http_api.openapi_docs import AUTHED, error_responses
from api.http_api.security import require
from api.review.agreement import Agreement, agreement

router = APIRouter(prefix="/v1/review", tags=["review"], dependencies=[Depends(require("read"))])


@router.get("/agreement", response_model=Agreement, operation_id="reviewAgreement",
            summary="Share of suggestions coders accepted unchanged: overall, by code and by warning",
            responses=error_responses(*AUTHED))
def review_agreement(request: Request) -> Agreement:
    return agreement(request.app.state.review_store)
