"""Coder accounts: add, change password, disable, list. Used by `notecode users ...` and by tests."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.review.models import Coder
from api.review.passwords import hash_password
from api.review.sessions import end_sessions_of
from api.review.store import ReviewStore

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class UserError(ValueError):
    """An account operation that cannot be done; the message names the field."""


def add_user(store: ReviewStore, username: str, password: str, display_name: str = "") -> Coder:
    if not USERNAME.match(username):
        raise UserError("username: 2-64 characters, lower-case letters, digits, '.', '_' or '-'")
    password_hash = hash_password(password)
    with store.session() as session:
        if session.scalar(select(Coder).where(Coder.username == username)) is not None:
            raise UserError(f"username: {username!r} already exists")
        coder = Coder(username=username, display_name=display_name.strip(), password_hash=password_hash)
        session.add(coder)
    return coder


def set_password(store: ReviewStore, username: str, password: str) -> None:
    password_hash = hash_password(password)
    with store.session() as session:
        _existing(session, username).password_hash = password_hash
    revoke_sessions(store, username)  # a new password signs the account out everywhere


def set_active(store: ReviewStore, username: str, active: bool) -> None:
    with store.session() as session:
        _existing(session, username).active = active
    if not active:
        revoke_sessions(store, username)


def revoke_sessions(store: ReviewStore, username: str) -> int:
    with store.session() as session:
        return end_sessions_of(session, _existing(session, username).id)


def list_users(store: ReviewStore) -> list[Coder]:
    with store.session() as session:
        return list(session.scalars(select(Coder).order_by(Coder.username)))


def _existing(session: Session, username: str) -> Coder:
    coder = session.scalar(select(Coder).where(Coder.username == username))
    if coder is None:
        raise UserError(f"username: no coder named {username!r}")
    return coder
