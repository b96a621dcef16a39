"""The review database's schema comes from Alembic scripts in the package; the ORM models match them."""

from __future__ import annotations

import importlib.util

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from typer import Typer
from typer.testing import CliRunner

from api.http_commands import register
from api.review.models import Base
from api.review.store import ReviewStore, ReviewStoreError, alembic_config, open_store


def test_one_head_and_upgrade_creates_every_table(tmp_path):
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    assert set(inspect(store.engine).get_table_names()) == {"alembic_version", *Base.metadata.tables}
    store.migrate()  # a second start-up changes nothing
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0001"


def test_the_models_match_the_migrations(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_downgrade_to_base_and_back(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    with store.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(store.engine).get_table_names()) == {"alembic_version"}
    store.migrate()
    assert "decisions" in inspect(store.engine).get_table_names()


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ReviewStoreError, match="NOTECODE_REVIEW_DB: the folder .* does not exist"):
        ReviewStore(f"sqlite:///{tmp_path / 'nowhere' / 'r.db'}")


def test_a_missing_driver_is_a_clear_error():
    if importlib.util.find_spec("pg8000") is not None:
        pytest.skip("pg8000 is installed here: the driver is not missing")
    with pytest.raises(ReviewStoreError, match=r"the database driver is not installed \(pg8000\)"):
        ReviewStore("postgresql+pg8000://coder:secret@127.0.0.1:1/review")


def test_serve_refuses_an_unusable_database_in_one_line(tmp_path, monkeypatch):
    from api.review.settings import get_review_settings

    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("must not start"))
    monkeypatch.setattr("logging.config.dictConfig", lambda config: None)  # keep pytest's logging as it is
    monkeypatch.setenv("NOTECODE_REVIEW_DB", str(tmp_path / "nowhere" / "review.db"))
    get_review_settings.cache_clear()
    cli = Typer()
    register(cli)
    try:
        result = CliRunner().invoke(cli, ["serve", "--port", "8999"])
    finally:
        get_review_settings.cache_clear()
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: NOTECODE_REVIEW_DB: the folder")
    assert "Traceback" not in result.output
