"""Fixtures for the ledger and web tests: databases (SQLite and a real PostgreSQL) and a
negotiation seeded with one user per role.

Loaded by ``pytest_plugins`` in tests/conftest.py. The PostgreSQL server is started once
per session (initdb into a temp dir, free loopback port) and stopped at the end; each test
gets its own database cloned from a migrated template. Without PostgreSQL installed the
PostgreSQL tests FAIL and say which script installs it.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import yaml

from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario

# The web and ledger modules are imported where used: this plugin is loaded for every test
# run, and the core's tests neither need nor should import the web extra.
if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from accord.ledger import Database
    from accord.ledger.throwaway_postgres import ThrowawayPostgres

EXAMPLES = Path(__file__).parent.parent / "examples"
PEACE_PLAN = EXAMPLES / "peace-plan-27.yaml"
TEMPLATE = "accord_template"
_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[ThrowawayPostgres]:
    from accord.ledger import Database
    from accord.ledger.throwaway_postgres import PostgresUnavailable, start_postgres

    try:
        server = start_postgres()
    except PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    try:
        template = Database(server.create_database(TEMPLATE))
        template.migrate()
        template.dispose()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite ledger file that each test copies (cheaper than migrating)."""
    from accord.ledger import Database

    path = tmp_path_factory.mktemp("template") / "ledger.db"
    template = Database(f"sqlite:///{path}")
    template.migrate()
    with template.engine.connect() as connection:
        # Fold the WAL into the main file so that copying the one file copies everything.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    template.dispose()
    return path


def _admin(server: ThrowawayPostgres, statement: str) -> None:
    import psycopg

    with psycopg.connect(
        f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres", autocommit=True
    ) as connection:
        connection.execute(statement)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty ledger database (migrated on PostgreSQL; SQLite migrates on first use)."""
    if request.param == "sqlite":
        target = tmp_path / "ledger.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    server: ThrowawayPostgres = request.getfixturevalue("postgres_server")
    name = f"accord_test_{next(_database_numbers)}"
    _admin(server, f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    yield server.url(name)
    # Each clone costs disk; drop it now rather than leave hundreds for the final cleanup.
    _admin(server, f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated ledger database, on SQLite and on PostgreSQL."""
    from accord.ledger import Database

    db = Database(database_url)
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite ledger (for tests that tamper with rows directly)."""
    from accord.ledger import Database

    db = Database(f"sqlite:///{tmp_path / 'ledger.db'}")
    db.migrate()
    yield db
    db.dispose()


PASSWORD = "correct horse battery"
ROLES = ("mediator", "ua_delegate", "ru_delegate", "observer", "outsider")


@dataclass
class World:
    """A running app with the peace plan and one user (with an API token) per role.

    ``outsider`` has an account but no role in the negotiation.
    """

    client: TestClient
    negotiation_id: int
    tokens: dict[str, str]
    database: Database

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def path(self, suffix: str = "") -> str:
        return f"/api/negotiations/{self.negotiation_id}{suffix}"


def build_world(database_url: str) -> World:
    from fastapi.testclient import TestClient

    from accord.ledger.models import User
    from accord.ledger.negotiations import add_member, create_negotiation
    from accord.web.app import create_app
    from accord.web.auth import issue_token

    app = create_app(database_url)
    database: Database = app.state.database
    tokens: dict[str, str] = {}
    with database.transaction() as session:
        # One real scrypt hash shared by every test user: hashing is slow on purpose.
        users = {
            role: User(username=role, password_hash=_password_hash(), is_admin=role == "mediator")
            for role in ROLES
        }
        session.add_all(users.values())
        session.flush()
        negotiation = create_negotiation(session, _canary_scenario(), users["mediator"])
        add_member(session, negotiation, users["ua_delegate"], "delegate", "ua")
        add_member(session, negotiation, users["ru_delegate"], "delegate", "ru")
        add_member(session, negotiation, users["observer"], "observer")
        for role, user in users.items():
            tokens[role] = issue_token(session, user, "api", "tests")[1]
        negotiation_id = negotiation.id
    return World(TestClient(app), negotiation_id, tokens, database)


@functools.cache
def _password_hash() -> str:
    from accord.web.auth import hash_password

    return hash_password(PASSWORD)


@functools.cache
def _canary_scenario() -> Scenario:
    return canary_scenario()


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    """The peace plan on a fresh database (SQLite and PostgreSQL), one user per role."""
    built = build_world(database_url)
    yield built
    built.client.close()
    built.database.dispose()


def canary(party: str) -> str:
    """A marker written into ``party``'s private preferences only: it must never leak."""
    return f"private-canary-{party}"


def canary_scenario() -> Scenario:
    """The peace plan with a canary in every private label (red lines, interactions)."""
    data = peace_plan_data()
    for party in data["parties"]:
        preferences = party.get("preferences") or {}
        for term in [*preferences.get("red_lines", []), *preferences.get("interactions", [])]:
            term["label"] = f"{term.get('label', '')} [{canary(party['id'])}]"
    return validate_data(data, "peace-plan-27 with canaries")


def peace_plan_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PEACE_PLAN.read_text(encoding="utf-8"))
    return data


# --- a real `accord serve` process (crash and concurrency tests) ---------------------------

ACCORD = str(Path(sys.executable).parent / "accord")


def start_accord_serve(db: Path, port: int) -> tuple[subprocess.Popen[str], list[str]]:
    """Start the server and wait until it answers; return it and its console lines."""
    process = subprocess.Popen(
        [ACCORD, "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    while True:
        line = process.stdout.readline()
        assert line, "accord serve exited early:\n" + "".join(lines)
        lines.append(line)
        if line.startswith("Dashboard:"):
            break
    threading.Thread(target=drain_console, args=(process,), daemon=True).start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return process, lines
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("accord serve did not answer within 20 s:\n" + "".join(lines))


def drain_console(process: subprocess.Popen[str]) -> None:
    """Read the console to its end (so the server never blocks on it), then close it."""
    assert process.stdout is not None
    with process.stdout:
        process.stdout.read()


def bearer_headers(base: str, password: str) -> dict[str, str]:
    with httpx.Client(base_url=base, timeout=10) as client:
        login = client.post("/api/auth/login", json={"username": "mediator", "password": password})
        assert login.status_code == 200, login.text
        token = client.post("/api/tokens", json={"label": "crash test"}).json()["token"]
    return {"Authorization": f"Bearer {token}"}
