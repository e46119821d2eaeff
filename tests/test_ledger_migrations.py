"""The shipped Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from accord.ledger import Database
from accord.ledger.migrations import alembic_config
from accord.ledger.models import Base


def test_the_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []


def test_migrating_twice_changes_nothing(database: Database) -> None:
    before = set(inspect(database.engine).get_table_names())
    database.migrate()
    assert set(inspect(database.engine).get_table_names()) == before
    assert {"drafts", "draft_versions", "stances", "meetings", "alembic_version"} <= before


def test_downgrade_to_nothing_and_back(database: Database) -> None:
    command.downgrade(alembic_config(database.engine), "base")
    assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
    database.migrate()
    assert "draft_versions" in inspect(database.engine).get_table_names()
