"""Per-key rate limits: an in-process token bucket per key (each worker process keeps its own)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from api.http_api.problems import ProblemError
from api.http_api.settings import Settings


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()  # sync dependencies run in the threadpool
        self._clock = clock

    def take(self, key: str, rate: float, burst: int) -> float:
        """Take one token for `key`; 0.0 if allowed, else the seconds until a token is free."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.setdefault(key, _Bucket(float(burst), now))
            bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / rate


def enforce_rate_limit(buckets: TokenBuckets, key: str, settings: Settings) -> None:
    wait = buckets.take(key, settings.rate_limit_per_second, settings.rate_limit_burst)
    if wait > 0:
        raise ProblemError(429, "rate-limited",
                           f"more than {settings.rate_limit_per_second:g} requests/s (burst "
                           f"{settings.rate_limit_burst}) for this key; retry after the Retry-After seconds",
                           headers={"Retry-After": str(max(1, math.ceil(wait)))})
