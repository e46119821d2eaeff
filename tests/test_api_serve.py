"""`accord serve`'s first start: the example is loaded and one mediator account is made."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from accord.ledger import Database
from accord.ledger.negotiations import get_negotiation, membership_of
from accord.web.auth import authenticate
from accord.web.serve import EXAMPLE, FIRST_USERNAME, app_from_environment, first_start


def test_the_first_start_creates_the_mediator_and_loads_the_example(database: Database) -> None:
    created = first_start(database)
    assert created is not None and created.negotiation_id is not None
    assert created.username == FIRST_USERNAME and len(created.password) >= 16
    with database.session() as session:
        user = authenticate(session, FIRST_USERNAME, created.password)
        assert user is not None and user.is_admin
        negotiation = get_negotiation(session, created.negotiation_id)
        assert negotiation.scenario_key == "peace-plan-27"
        membership = membership_of(session, negotiation.id, user.id)
        assert membership is not None and membership.role == "mediator"
        stored = session.get(type(user), user.id)
        assert stored is not None and created.password not in stored.password_hash
    # A restart is not a first start: no second account, no second copy of the example.
    assert first_start(database) is None


def test_the_example_ships_with_the_repository() -> None:
    assert EXAMPLE.is_file()


def test_without_the_example_the_first_start_still_makes_the_account(database: Database) -> None:
    created = first_start(database, example=None)
    assert created is not None and created.negotiation_id is None


def test_a_worker_process_finds_the_database_in_the_environment(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`accord serve --workers N`: each worker builds its app from ACCORD_DATABASE_URL."""
    migrated = Database(database_url)
    migrated.migrate()
    migrated.dispose()
    monkeypatch.setenv("ACCORD_DATABASE_URL", database_url)
    app = app_from_environment()
    with TestClient(app) as client:
        assert client.get("/api/health").json() == {"status": "ok"}
    app.state.database.dispose()
