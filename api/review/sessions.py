"""Sign-in sessions kept in the database: the browser holds a random token, the table only its sha256.

A session ends when it expires, when the coder signs out, or when the account's password changes or it is
disabled. Each session has its own CSRF token, which every form post must send back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.review.models import Coder, LoginSession, utcnow


@dataclass(frozen=True)
class SignedIn:
    """The coder behind a request, as the routes see it."""

    coder_id: int
    username: str
    name: str
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(session: Session, coder: Coder, minutes: int) -> str:
    """A new session for `coder`; returns the token for the cookie (never stored as such)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(LoginSession(token_hash=_digest(token), coder_id=coder.id, csrf_token=secrets.token_urlsafe(32),
                             created_at=now, expires_at=now + dt.timedelta(minutes=minutes)))
    # expired sessions of anyone are cleared now and then, as sign-ins happen
    session.execute(delete(LoginSession).where(LoginSession.expires_at < now))
    return token


def find_session(session: Session, token: str | None) -> SignedIn | None:
    """The live session for a cookie token, or None (unknown, expired, or its account disabled)."""
    if not token or len(token) > 128:
        return None
    found = session.scalar(select(LoginSession).where(LoginSession.token_hash == _digest(token)))
    if found is None or found.expires_at <= utcnow() or not found.coder.active:
        return None
    return SignedIn(found.coder_id, found.coder.username, found.coder.shown_name, found.csrf_token)


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))


def end_sessions_of(session: Session, coder_id: int) -> int:
    result = session.execute(delete(LoginSession).where(LoginSession.coder_id == coder_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


class LoginThrottle:
    """After `limit` failed sign-ins for one username within `pause` seconds, that username waits `pause`
    seconds. Per process (like the API's rate limits); argon2 already makes each guess slow."""

    def __init__(self, limit: int, pause: float) -> None:
        self.limit = limit
        self.pause = pause
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, username: str, now: float) -> deque[float]:
        failures = self._failures[username]
        while failures and failures[0] <= now - self.pause:
            failures.popleft()
        return failures

    def blocked(self, username: str) -> bool:
        with self._lock:
            return len(self._recent(username, time.monotonic())) >= self.limit

    def failed(self, username: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(username, now).append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username, None)
