"""API keys: sent in X-API-Key, stored only as sha256 digests, each with scopes.

Configured by NOTECODE_API_KEYS (`name:sha256hex:scope1+scope2`, comma-separated) and/or a file named by
NOTECODE_API_KEYS_FILE (the same entries, one a line, `#` comments). With no key configured at all the API is
open, and `notecode serve` then binds to 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from api.http_api.problems import ProblemError
from api.http_api.ratelimit import enforce_rate_limit
from api.http_api.settings import Settings, SettingsDep

SCOPES = frozenset({"suggest", "cds", "read"})
API_KEY_HEADER = "X-API-Key"


class KeyConfigError(ValueError):
    """The configured keys are malformed; raised when the app starts, never mid-request."""


@dataclass(frozen=True)
class ApiKey:
    name: str
    digest: bytes
    scopes: frozenset[str]


@dataclass(frozen=True)
class Principal:
    name: str
    scopes: frozenset[str]


ANONYMOUS = Principal("anonymous", SCOPES)


def hash_key(key: str) -> str:
    """The sha256 hex digest to configure for a key (`notecode hash-key` prints it)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_entry(entry: str, origin: str) -> ApiKey:
    parts = entry.strip().split(":")
    if len(parts) != 3:
        raise KeyConfigError(f"{origin}: expected name:sha256hex:scope1+scope2")
    name, digest, scopes = (p.strip() for p in parts)
    if not name:
        raise KeyConfigError(f"{origin}: the key has no name")
    try:
        raw = bytes.fromhex(digest)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise KeyConfigError(f"{origin} ({name}): the digest must be 64 hex characters (sha256 of the key)")
    wanted = frozenset(s for s in scopes.split("+") if s)
    if not wanted or not wanted <= SCOPES:
        raise KeyConfigError(f"{origin} ({name}): scopes must be some of {sorted(SCOPES)}, joined with +")
    return ApiKey(name, raw, wanted)


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[ApiKey, ...]

    def match(self, presented: str) -> ApiKey | None:
        """The key whose digest equals the presented key's, comparing every digest in constant time."""
        digest = hashlib.sha256(presented.encode("utf-8")).digest()
        found = None
        for key in self.keys:  # no early exit: the time taken does not depend on which key matched
            if hmac.compare_digest(digest, key.digest):
                found = key
        return found


@lru_cache(maxsize=8)
def key_ring(settings: Settings) -> KeyRing:
    entries = [(f"NOTECODE_API_KEYS entry {i}", e) for i, e in enumerate(settings.api_keys.split(","), 1)
               if e.strip()]
    if settings.api_keys_file is not None:
        try:
            lines = settings.api_keys_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            problem = f"NOTECODE_API_KEYS_FILE: cannot read {settings.api_keys_file} ({exc.strerror})"
            raise KeyConfigError(problem) from None
        entries += [(f"{settings.api_keys_file.name} line {n}", line) for n, line in enumerate(lines, 1)
                    if line.strip() and not line.lstrip().startswith("#")]
    keys = tuple(parse_entry(entry, origin) for origin, entry in entries)
    names = [k.name for k in keys]
    if len(set(names)) != len(names):
        raise KeyConfigError("API key names must be unique (they name the key in logs and rate limits)")
    return KeyRing(keys)


api_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False,
                              description="an API key; the server stores only its sha256 digest")


def _authenticate(settings: SettingsDep, presented: Annotated[str | None, Depends(api_key_header)]) -> Principal:
    ring = key_ring(settings)
    if not ring.keys:
        return ANONYMOUS
    if not presented:
        raise ProblemError(401, "unauthenticated", f"send an API key in the {API_KEY_HEADER} header",
                           headers={"WWW-Authenticate": f'APIKey header="{API_KEY_HEADER}"'})
    key = ring.match(presented)
    if key is None:
        raise ProblemError(401, "unauthenticated", f"the {API_KEY_HEADER} header does not hold a known key",
                           headers={"WWW-Authenticate": f'APIKey header="{API_KEY_HEADER}"'})
    return Principal(key.name, key.scopes)


def require(scope: str) -> Callable[..., Principal]:
    """A dependency: an authenticated key with `scope`, within its rate limit."""
    assert scope in SCOPES

    def dependency(request: Request, settings: SettingsDep,
                   principal: Annotated[Principal, Depends(_authenticate)]) -> Principal:
        request.state.key_name = principal.name
        if scope not in principal.scopes:
            raise ProblemError(403, "forbidden", f"the key {principal.name!r} lacks the {scope!r} scope")
        enforce_rate_limit(request.app.state.rate_limiter, principal.name, settings)
        return principal

    dependency.__name__ = f"require_{scope}"
    return dependency
