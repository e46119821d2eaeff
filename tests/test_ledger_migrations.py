"""The shipped Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def _rows(database: Database, query: str) -> list[tuple[object, ...]]:
    from sqlalchemy import text

    with database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def test_upgrading_a_ledger_with_users_keeps_their_sessions_and_roles(tmp_path: Path) -> None:
    from sqlalchemy import text

    from accord.ledger.migrations import upgrade

    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database.engine, "0002")
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, username, password_hash, is_admin, created_at) VALUES "
                "(1, 'Mediator', 'x', 0, '2026-01-01'), (2, 'observer', 'x', 0, '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO credentials (user_id, kind, token_hash, label, created_at) "
                "VALUES (2, 'api', 'h', '', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO negotiations (id, scenario_key, title, description, agenda, "
                "agreement, created_at) VALUES (1, 's', '', '', '{}', '{}', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO memberships (negotiation_id, user_id, role) VALUES "
                "(1, 1, 'mediator'), (1, 2, 'observer')"
            )
        )
    database.migrate()
    assert _rows(database, "SELECT count(*) FROM credentials") == [(1,)]
    assert _rows(database, "SELECT count(*) FROM memberships") == [(2,)]
    assert _rows(
        database, "SELECT username, username_key, can_create_negotiations FROM users ORDER BY id"
    ) == [("Mediator", "mediator", 1), ("observer", "observer", 0)]
    database.dispose()


def test_names_that_differ_only_in_case_stop_the_upgrade_and_are_named(tmp_path: Path) -> None:
    from sqlalchemy import text

    from accord.ledger.migrations import upgrade

    database = Database(f"sqlite:///{tmp_path / 'clash.db'}")
    upgrade(database.engine, "0002")
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (username, password_hash, is_admin, created_at) VALUES "
                "('Mediator', 'x', 0, '2026-01-01'), ('mediator', 'x', 0, '2026-01-01')"
            )
        )
    with pytest.raises(RuntimeError, match="differ only in case cannot be migrated: mediator"):
        database.migrate()
    database.dispose()


def test_versions_written_before_drafts_had_words_still_verify_after_the_upgrade(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import text

    from accord.ledger.chain import GENESIS, verify_chain, version_hash
    from accord.ledger.drafts import add_version, get_draft
    from accord.ledger.migrations import upgrade
    from accord.ledger.models import Draft, DraftVersion
    from accord.ledger.negotiations import create_negotiation, get_negotiation
    from accord.scenario.loader import load_scenario
    from web_fixtures import PEACE_PLAN

    database = Database(f"sqlite:///{tmp_path / 'before-words.db'}")
    upgrade(database.engine, "0005")  # the revision before 0006 gave versions their words
    with database.transaction() as session:
        negotiation = create_negotiation(session, load_scenario(PEACE_PLAN))
        draft = Draft(negotiation_id=negotiation.id, title="Single text")
        session.add(draft)
        session.flush()
        negotiation_id, draft_id = negotiation.id, draft.id
        # A version as 0005's code wrote it: no texts column, a hash without texts.
        created_at = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
        old = DraftVersion(
            draft_id=draft.id,
            number=1,
            package={"donetsk": "withdrawal"},
            note="",
            created_at=created_at,
            created_by=None,
            texts=None,
        )
        old_hash = version_hash(draft, old, GENESIS)
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO draft_versions (draft_id, number, package, note, created_at, "
                "previous_hash, hash) VALUES (:draft, 1, '{\"donetsk\": \"withdrawal\"}', '', "
                ":at, :genesis, :hash)"
            ),
            {
                "draft": draft_id,
                "at": created_at.replace(tzinfo=None),
                "genesis": GENESIS,
                "hash": old_hash,
            },
        )
    database.migrate()
    assert _rows(database, "SELECT texts FROM draft_versions") == [(None,)]
    with database.transaction() as session:
        assert verify_chain(session).ok
        negotiation = get_negotiation(session, negotiation_id)
        second = add_version(
            session, get_draft(session, negotiation, draft_id), {"donetsk": "buffer-ua"}
        )
        assert second.previous_hash == old_hash and second.texts is not None
    with database.session() as session:
        report = verify_chain(session)
        assert report.ok and report.versions_checked == 2
    database.dispose()
