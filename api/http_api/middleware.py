"""ASGI middleware, outermost first: request id and access log, internal-error guard, body size limit, timeout.

Plain ASGI classes (not BaseHTTPMiddleware) so a request body is read once and nothing is buffered twice.
They read the current settings per request through `settings_for`, so a test's override applies here too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.http_api.problems import PROBLEM_JSON, FieldProblem, log_internal_error, problem_body
from api.http_api.settings import settings_for

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("notecode.http.access")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz"})
DOC_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})


def _state(scope: Scope) -> dict[str, Any]:
    return scope.setdefault("state", {})  # type: ignore[no-any-return]


async def send_problem(scope: Scope, send: Send, status: int, slug: str, detail: str,
                       errors: list[FieldProblem] | None = None, headers: dict[str, str] | None = None) -> None:
    body = json.dumps(problem_body(scope["app"], status, slug, detail, errors, _state(scope).get("request_id")))
    raw_headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body.encode()})


class RequestContextMiddleware:
    """Gives each request an id (X-Request-ID: the caller's UUID, else a new one) and logs one line per
    request: id, method, route template, status, sizes, duration and warning codes. Never bodies or paths
    with values in them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = str(uuid.UUID(incoming)) if _UUID.match(incoming) else str(uuid.uuid4())
        _state(scope)["request_id"] = request_id
        sizes = {"request": 0, "response": 0}
        status = 0
        started = time.perf_counter()

        async def counting_receive() -> Message:
            message = await receive()
            sizes["request"] += len(message.get("body", b""))
            return message

        async def tagging_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body":
                sizes["response"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, tagging_send)
        finally:
            # the route template, never a raw path that could carry a value
            route = getattr(scope.get("route"), "path", None) or (scope.get("path") if scope.get("path") in
                                                                  DOC_PATHS else None)
            access_log.info(
                "request_id=%s method=%s route=%s status=%s request_bytes=%d response_bytes=%d duration_ms=%.1f "
                "key=%s notes=%s warnings=%s",
                request_id, scope.get("method"), route or "(unmatched)", status, sizes["request"],
                sizes["response"], (time.perf_counter() - started) * 1000, _state(scope).get("key_name", "-"),
                _state(scope).get("note_count", "-"), ",".join(_state(scope).get("warning_codes", [])) or "-",
            )


class InternalErrorMiddleware:
    """Any unhandled exception becomes a bare 500 problem; the log gets its class and where it was raised,
    never its message (which may quote a note) and never a traceback with values in it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:  # noqa: BLE001 -- the last line of defence: answer 500, log safely
            log_internal_error(exc, _state(scope).get("request_id"))
            if not started:
                await send_problem(scope, send, 500, "internal", "notecode failed on this request; it has been "
                                   "logged under the request id (without the request's content)")


class BodySizeLimitMiddleware:
    """413 for a body over the configured size: at once from Content-Length, else while it streams in.
    The body is read here (at most the limit) and replayed to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = settings_for(scope["app"]).max_body_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._too_large(scope, send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message, receive), send)  # the client left; let the app see it
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(scope, send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(chunks, None, receive), send)

    @staticmethod
    async def _too_large(scope: Scope, send: Send, limit: int) -> None:
        await send_problem(scope, send, 413, "body-too-large", f"the request body is larger than {limit:,} bytes",
                           [FieldProblem(field="body", problem=f"larger than the limit of {limit:,} bytes")])


def _replay(chunks: list[bytes], first: Message | None, receive: Receive) -> Receive:
    pending: list[Message] = [first] if first else [{"type": "http.request", "body": b"".join(chunks),
                                                     "more_body": False}]

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()
    return replay


class TimeoutMiddleware:
    """503 with Retry-After when a request runs past the configured time. The work runs in a thread that
    cannot be killed, so it finishes in the background and its answer is dropped."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        timeout = settings_for(scope["app"]).request_timeout_seconds
        abandoned = False
        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if abandoned:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if done:
            task.result()  # re-raises the app's exception for InternalErrorMiddleware
            return
        if started:  # too late to replace a response already on its way; let it finish
            await task
            return
        abandoned = True
        task.add_done_callback(_consume_late_result)
        await send_problem(scope, send, 503, "timeout", f"the request took longer than {timeout:g} s and was abandoned",
                           headers={"Retry-After": str(max(1, math.ceil(timeout)))})


def _consume_late_result(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log_internal_error(task.exception(), None)  # type: ignore[arg-type]
