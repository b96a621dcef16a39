"""Running the HTTP API under uvicorn: where to bind and how to log.

With no API key configured the API is open, so it is only ever bound to the loopback address.
"""

from __future__ import annotations

import ipaddress
from typing import Any

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
