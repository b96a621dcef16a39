"""The review database's tables (SQLAlchemy 2.0 ORM). Alembic scripts in `migrations/` create them.

Times are naive UTC (SQLite keeps no time zone). JSON columns hold the contract's shapes as they were.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

STATUSES = ("to_review", "accepted", "corrected")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Coder(Base):
    __tablename__ = "coders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username


class LoginSession(Base):
    """A signed-in browser. The cookie holds a random token; only its sha256 is stored."""

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)

    coder: Mapped[Coder] = relationship(lazy="joined")


class ReviewNote(Base):
    """A note in the queue with its suggestion. `version` grows with every decision (optimistic locking)."""

    __tablename__ = "review_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(256), index=True)
    source: Mapped[str] = mapped_column(String(32))  # pasted, upload, batch
    note: Mapped[dict[str, Any]] = mapped_column(JSON)
    suggestion: Mapped[dict[str, Any]] = mapped_column(JSON)
    warning_codes: Mapped[str] = mapped_column(Text, default="")  # " CODE1 CODE2 " for filtering with LIKE
    severities: Mapped[str] = mapped_column(Text, default="")  # " error warning "
    status: Mapped[str] = mapped_column(String(16), default="to_review", index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    decider: Mapped[Coder | None] = relationship(foreign_keys=[decided_by], lazy="joined")


class Decision(Base):
    """One coder's decision on one note: the suggestion as it was, the final lines, dismissed warnings.

    `rejected` marks an attempt that lost the race to another coder (HTTP 409): kept, never applied.
    """

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("review_notes.id", ondelete="CASCADE"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(16))  # accepted (unchanged) or corrected
    based_on_version: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[bool] = mapped_column(Boolean, default=False)
    suggestion: Mapped[dict[str, Any]] = mapped_column(JSON)
    final_lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    dismissed_warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)

    coder: Mapped[Coder] = relationship(lazy="joined")
