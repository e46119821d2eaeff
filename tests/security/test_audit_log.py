"""The audit log: every write, who made it, through which session or token, when; read by
the mediator only; append-only; hash-chained so that an edit around the database's own
refusal is found. SQLite and PostgreSQL; concurrent writers on a real server."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from accord.ledger import Database
from accord.web import auth
from browser_server import running_server
from security.accounts_forms import log_in
from web_fixtures import PASSWORD, World, canary, peace_plan_data
from web_world import seed


def _audit(world: World, role: str = "mediator", suffix: str = "") -> Any:
    return world.client.get(world.path("/audit" + suffix), headers=world.headers(role))


def _token_id(world: World, role: str) -> int:
    listed = world.client.get("/api/tokens", headers=world.headers(role)).json()
    return int(next(entry["id"] for entry in listed if entry["current"]))


def test_every_write_names_its_author_credential_request_and_rows(world: World) -> None:
    before = _audit(world).json()
    stance = {"party": "ua", "issue": "donetsk", "stance": "conditional", "condition": "x"}
    posted = world.client.post(
        world.path("/stances"), json=stance, headers=world.headers("ua_delegate")
    )
    assert posted.status_code == 201
    events = _audit(world).json()
    assert len(events) == len(before) + 1
    newest = events[0]
    assert newest["username"] == "ua_delegate"
    assert newest["credential"] == f"api {_token_id(world, 'ua_delegate')}"
    assert newest["method"] == "POST" and newest["path"] == world.path("/stances")
    assert newest["address"] == "testclient"
    assert any(
        change.startswith("stances ") and change.endswith(" added") for change in newest["changes"]
    )
    assert newest["previous_hash"] == events[1]["hash"]


def test_reads_and_refused_writes_leave_no_event(world: World) -> None:
    count = len(_audit(world).json())
    world.client.get(world.path("/stances"), headers=world.headers("ua_delegate"))
    refused = world.client.post(
        world.path("/stances"),
        json={"party": "ru", "issue": "donetsk", "stance": "accepts"},
        headers=world.headers("ua_delegate"),
    )
    assert refused.status_code == 403
    invalid = world.client.post(
        world.path("/meetings"),
        json={"held_at": "2025-12-02T10:00:00", "duration_minutes": 5},
        headers=world.headers("mediator"),
    )
    assert invalid.status_code == 422
    assert len(_audit(world).json()) == count


def test_preferences_changes_are_logged_without_their_values(world: World) -> None:
    preferences = world.client.get(
        world.path("/parties/ua/preferences"), headers=world.headers("ua_delegate")
    ).json()["preferences"]
    preferences["reservation"] = 0.123456
    put = world.client.put(
        world.path("/parties/ua/preferences"),
        json=preferences,
        headers=world.headers("ua_delegate"),
    )
    assert put.status_code == 200
    response = _audit(world)
    assert any("preferences" in change for change in response.json()[0]["changes"])
    assert canary("ua") not in response.text and "0.123456" not in response.text


def test_only_the_mediator_reads_the_negotiation_log_and_admins_the_account_log(
    world: World,
) -> None:
    for role in ("ua_delegate", "ru_delegate", "observer", "outsider"):
        assert _audit(world, role).status_code in (403, 404)
        assert _audit(world, role, "/verify").status_code in (403, 404)
        assert world.client.get("/api/audit", headers=world.headers(role)).status_code == 403
    login = world.client.post(
        "/api/auth/login", json={"username": "observer", "password": PASSWORD}
    )
    assert login.status_code == 200
    world.client.cookies.clear()
    accounts = world.client.get("/api/audit", headers=world.headers("mediator")).json()
    newest = accounts[0]
    assert newest["username"] == "observer" and newest["path"] == "/api/auth/login"
    assert newest["credential"].startswith("session ")
    verified = world.client.get("/api/audit/verify", headers=world.headers("mediator")).json()
    assert verified and all(report["ok"] for report in verified)


def test_the_log_is_append_only(world: World) -> None:
    world.client.post(
        world.path("/meetings"),
        json={"held_at": "2025-12-02T10:00:00Z", "duration_minutes": 5},
        headers=world.headers("mediator"),
    )
    for statement in (
        "UPDATE audit_events SET username = 'someone else'",
        "DELETE FROM audit_events",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            world.database.engine.begin() as connection,
        ):
            connection.execute(text(statement))
    assert _audit(world, suffix="/verify").json()["ok"] is True


def test_an_edit_made_around_the_triggers_is_found(sqlite_database: Database) -> None:
    from accord.ledger.negotiations import create_negotiation
    from accord.scenario.loader import validate_data

    with sqlite_database.transaction() as session:
        negotiation = create_negotiation(session, validate_data(peace_plan_data(), "plan"))
        negotiation_id = negotiation.id
    for note in ("first", "second", "third"):
        with sqlite_database.transaction() as session:
            from accord.ledger.negotiations import get_negotiation

            get_negotiation(session, negotiation_id).description = note
    from accord.ledger.audit import verify_audit

    with sqlite_database.session() as session:
        assert verify_audit(session, negotiation_id).ok
        assert verify_audit(session, negotiation_id).events_checked == 4
    with sqlite_database.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_events_no_update"))
        connection.execute(text("DROP TRIGGER audit_events_no_delete"))
        connection.execute(text("UPDATE audit_events SET username = 'mallory' WHERE number = 2"))
    with sqlite_database.session() as session:
        report = verify_audit(session, negotiation_id)
        assert (report.broken_at, report.reason) == (2, "content does not match its hash (altered)")
    with sqlite_database.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE number = 2"))
    with sqlite_database.session() as session:
        report = verify_audit(session, negotiation_id)
        assert (report.broken_at, report.reason) == (2, "event 2 is missing")


def test_concurrent_writers_on_a_real_server_keep_one_unbroken_chain(database_url: str) -> None:
    world = seed(database_url)
    database = Database(database_url)
    with database.transaction() as session:
        tokens = {}
        for name in ("mediator", "ua-delegate"):
            user = auth.get_user_by_name(session, name)
            assert user is not None
            tokens[name] = auth.issue_token(session, user, "api", "load")[1]
    database.dispose()
    statuses: list[int] = []
    with running_server(database_url) as base:
        path = f"{base}/api/negotiations/{world.negotiation_id}"

        def writer(name: str, number: int) -> None:
            with httpx.Client(
                headers={"Authorization": f"Bearer {tokens[name]}"}, timeout=60
            ) as http:
                for n in range(6):
                    if name == "mediator":
                        body = {
                            "held_at": f"2025-12-{1 + number:02d}T1{n}:00:00Z",
                            "duration_minutes": 5,
                        }
                        statuses.append(http.post(path + "/meetings", json=body).status_code)
                    else:
                        body = {
                            "party": "ua",
                            "issue": "donetsk",
                            "stance": "rejects",
                            "condition": "",
                        }
                        statuses.append(http.post(path + "/stances", json=body).status_code)

        threads = [
            threading.Thread(target=writer, args=(name, i))
            for i, name in enumerate(["mediator", "ua-delegate"] * 4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses.count(201) == 48, statuses
        headers = {"Authorization": f"Bearer {tokens['mediator']}"}
        report = httpx.get(path + "/audit/verify", headers=headers, timeout=30).json()
        events = httpx.get(path + "/audit?limit=500", headers=headers, timeout=30).json()
    assert report["ok"], report
    assert [e["number"] for e in events] == list(range(len(events), 0, -1))
    assert sum(1 for e in events if e["method"] == "POST") == 48


def test_the_mediator_reads_the_log_on_a_page(world: World) -> None:
    client = world.client
    assert log_in(client, "mediator", PASSWORD).status_code == 303
    page = client.get(f"/negotiations/{world.negotiation_id}/audit")
    assert page.status_code == 200
    assert "The chain verifies" in page.text and "POST /login" not in page.text
    assert log_in(client, "ua_delegate", PASSWORD).status_code == 303
    refused = client.get(f"/negotiations/{world.negotiation_id}/audit")
    assert refused.status_code == 403
