"""The review database: an engine and sessions for a URL, brought to the newest schema with Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = "api.review:migrations"  # a package resource: works from an installed wheel, no alembic.ini


class ReviewStoreError(ValueError):
    """The configured database cannot be used; raised at start-up, with the setting's name."""


class ReviewStore:
    def __init__(self, url: str) -> None:
        _check_sqlite_folder(url)
        self.url = url
        self.engine = _engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on an exception."""
        with self._sessions.begin() as session:
            yield session

    def migrate(self) -> None:
        with self.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def _check_sqlite_folder(url: str) -> None:
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 -- any parse failure is the same configuration mistake
        raise ReviewStoreError("NOTECODE_REVIEW_DB: not a database URL or a file path") from None
    database = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:"):
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise ReviewStoreError(f"NOTECODE_REVIEW_DB: the folder {folder} does not exist")


def _engine(url: str) -> Engine:
    # hide_parameters: statement parameters (note text) never appear in SQLAlchemy's logs or error messages
    if not url.startswith("sqlite"):
        try:
            return create_engine(url, pool_pre_ping=True, hide_parameters=True)
        except ImportError as exc:
            raise ReviewStoreError(f"NOTECODE_REVIEW_DB: the database driver is not installed ({exc.name}); "
                                   "install it into the same environment") from None
    # requests run in FastAPI's threadpool; SQLite waits up to 15 s for another writer's lock
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")  # readers do not wait for the writer
        cursor.close()

    return engine


def open_store(url: str) -> ReviewStore:
    """A store whose schema is current."""
    store = ReviewStore(url)
    store.migrate()
    return store
