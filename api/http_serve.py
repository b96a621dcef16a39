"""Running the HTTP API under uvicorn: where to bind and how to log.

With no API key configured the API is open, so it is only ever bound to the loopback address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

LOOPBACK = "127.0.0.1"
APP_FACTORY = "api.http_api.app:create_app"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_host(requested: str, keys_configured: bool) -> tuple[str, str | None]:
    """The host to bind and, when the API is open, the warning to log."""
    if keys_configured:
        return requested, None
    if is_loopback(requested):
        return requested, "no API keys configured: the API is open, served on the loopback address only"
    return LOOPBACK, (f"no API keys configured: binding to {LOOPBACK} only, not {requested}; set NOTECODE_API_KEYS "
                      "or NOTECODE_API_KEYS_FILE to serve other hosts")


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's own messages and notecode's access lines, one line each on stderr. uvicorn's access log is
    off: notecode logs each request itself (with its id, sizes and duration, never a body)."""
    handler = {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "notecode": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
        },
    }


HTTP_PROTOCOL = "api.http_serve:NoDelayH11Protocol"


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with TCP_NODELAY on every connection. With several workers uvicorn shares one
    listening socket made without IPPROTO_TCP, so asyncio leaves Nagle's algorithm on for the connections it
    accepts, and every response (headers, then body) waits ~40 ms for the client's delayed ACK: measured at
    52 ms a request with 2 workers against 12 ms with 1."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
