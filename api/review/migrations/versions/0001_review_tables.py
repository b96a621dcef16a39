"""The review tables: coders, login sessions, notes in the queue, decisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(128), nullable=False, server_default=""),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "login_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("coder_id", sa.Integer, sa.ForeignKey("coders.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "review_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(256), nullable=True, index=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("note", sa.JSON, nullable=False),
        sa.Column("suggestion", sa.JSON, nullable=False),
        sa.Column("warning_codes", sa.Text, nullable=False, server_default=""),
        sa.Column("severities", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="to_review", index=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("imported_by", sa.Integer, sa.ForeignKey("coders.id"), nullable=True),
        sa.Column("decided_by", sa.Integer, sa.ForeignKey("coders.id"), nullable=True),
        sa.Column("decided_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("review_notes.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("coder_id", sa.Integer, sa.ForeignKey("coders.id"), nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("based_on_version", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("suggestion", sa.JSON, nullable=False),
        sa.Column("final_lines", sa.JSON, nullable=False),
        sa.Column("dismissed_warnings", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in ("decisions", "review_notes", "login_sessions", "coders"):
        op.drop_table(table)
