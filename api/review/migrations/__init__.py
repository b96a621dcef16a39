"""Alembic migrations of the review database; `api.review.store.migrate` runs them (no alembic.ini needed)."""
