"""GET /openapi.json and /docs behind an API key with the `read` scope, like every route but the health
checks. With no keys configured (loopback only) they are open like everything else. A browser cannot send
the X-API-Key header that /docs's own fetch of /openapi.json needs, so with keys configured read the schema
with a client that sends it (`curl -H 'X-API-Key: ...' .../openapi.json`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from api.http_api.security import require

router = APIRouter(dependencies=[Depends(require("read"))], include_in_schema=False)


@router.get("/openapi.json")
def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{request.app.title} API")
