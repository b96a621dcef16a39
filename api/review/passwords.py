"""Coder passwords: argon2id (argon2-cffi's defaults, RFC 9106's second recommended profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_CHARS = 10
_hasher = PasswordHasher()
# verified when the username is unknown, so a wrong name takes as long as a wrong password
_DUMMY_HASH = _hasher.hash("not a password anyone has")


class PasswordError(ValueError):
    """A password that may not be set."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise PasswordError(f"password: at least {MIN_PASSWORD_CHARS} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
