"""Shared helpers for the HTTP API tests (no tests here): keys, settings, a client with the lifespan running."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from api.http_api import create_app
from api.http_api.examples import CDS_REQUEST, CODED_SERVICES, TYPICAL_NOTE
from api.http_api.security import hash_key
from api.http_api.settings import Settings, get_settings

KEYS = {"ehr": "ehr-secret-key", "reader": "reader-secret-key", "cds": "cds-secret-key"}
SCOPES = {"ehr": "suggest+read+cds", "reader": "read", "cds": "cds"}
KEYS_ENV = ",".join(f"{name}:{hash_key(KEYS[name])}:{SCOPES[name]}" for name in KEYS)
EHR = {"X-API-Key": KEYS["ehr"]}
CODED = CODED_SERVICES


def settings(**overrides: Any) -> Settings:
    """Test settings: the keys above and a rate limit out of the way, unless overridden."""
    values: dict[str, Any] = {"api_keys": KEYS_ENV, "rate_limit_per_second": 100_000, "rate_limit_burst": 100_000}
    values.update(overrides)
    return Settings(**values)


@contextmanager
def client(app_settings: Settings | None = None, **overrides: Any) -> Iterator[TestClient]:
    app = create_app()
    chosen = app_settings or settings(**overrides)
    app.dependency_overrides[get_settings] = lambda: chosen
    with TestClient(app, headers=EHR) as test_client:
        yield test_client
    app.dependency_overrides.clear()


def note(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(TYPICAL_NOTE), **changes}


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def cds_request(text: str | None = None, **changes: Any) -> dict[str, Any]:
    call = copy.deepcopy(CDS_REQUEST)
    if text is not None:
        call["prefetch"]["note"]["content"][0]["attachment"]["data"] = b64(text)
    call.update(changes)
    return call


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """A problem+json answer with the RFC 9457 members and, if given, an error naming `field`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail", "errors"} <= set(body)
    assert body["status"] == status
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


def no_nulls_or_empties(value: Any, where: str = "$") -> None:
    """CDS Hooks: optional fields are omitted, never null or empty (an empty `cards` list is the exception)."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert item is not None and item not in ("", {}), f"{where}.{key} is null or empty"
            if item == [] and key != "cards":
                raise AssertionError(f"{where}.{key} is an empty list")
            no_nulls_or_empties(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            no_nulls_or_empties(item, f"{where}[{index}]")


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
