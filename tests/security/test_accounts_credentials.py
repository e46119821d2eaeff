"""Accounts and tokens hold against their users: tokens expire and can be revoked, a
changed or reset password ends the other sessions, a disabled account is shut out at once,
names are unique in any case, weak passwords are refused, creating negotiations is a
permission, and membership answers do not tell which names have accounts.

Every test runs on SQLite and on PostgreSQL (the ``world`` fixture).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from accord.ledger.models import utc_now
from accord.web.auth import get_user_by_name, issue_token, user_for_secret
from web_fixtures import PASSWORD, World

NEW_PASSWORD = "violet umbrella marching south"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token(world: World, role: str, **body: object) -> dict[str, object]:
    response = world.client.post("/api/tokens", json=body, headers=world.headers(role))
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    return created


def test_every_token_expires_and_an_expired_one_is_refused(world: World) -> None:
    created = _token(world, "ua_delegate", label="laptop", expires_in_days=1)
    expires = str(created["expires_at"])
    assert expires.startswith((utc_now() + timedelta(days=1)).date().isoformat())
    for days in (0, 366):
        refused = world.client.post(
            "/api/tokens", json={"expires_in_days": days}, headers=world.headers("ua_delegate")
        )
        assert refused.status_code == 422
    with world.database.transaction() as session:
        user = get_user_by_name(session, "ua_delegate")
        assert user is not None
        credential, secret = issue_token(session, user, "api", "default")
        assert credential.expires_at is not None  # none lives forever
        later = credential.expires_at + timedelta(seconds=1)
        assert user_for_secret(session, secret, "api") is not None
        assert user_for_secret(session, secret, "api", now=later) is None


def test_tokens_are_listed_and_revoked_and_others_tokens_look_missing(world: World) -> None:
    created = _token(world, "ua_delegate", label="phone")
    token = str(created["token"])
    listed = world.client.get("/api/tokens", headers=_bearer(token)).json()
    mine = next(entry for entry in listed if entry["id"] == created["id"])
    assert mine["label"] == "phone" and mine["current"] and mine["kind"] == "api"
    assert "token" not in mine  # the secret is shown once, at creation
    # Russia's delegate cannot revoke (or learn about) Ukraine's token.
    other = world.client.delete(
        f"/api/tokens/{created['id']}", headers=world.headers("ru_delegate")
    )
    missing = world.client.delete("/api/tokens/999999", headers=world.headers("ru_delegate"))
    assert other.status_code == missing.status_code == 404
    assert other.json()["detail"].replace(str(created["id"]), "N") == missing.json()[
        "detail"
    ].replace("999999", "N")
    assert world.client.get("/api/me", headers=_bearer(token)).status_code == 200
    revoked = world.client.delete(
        f"/api/tokens/{created['id']}", headers=world.headers("ua_delegate")
    )
    assert revoked.status_code == 204
    assert world.client.get("/api/me", headers=_bearer(token)).status_code == 401


def test_changing_a_password_ends_every_other_session_and_token(world: World) -> None:
    other = str(_token(world, "ua_delegate", label="stolen")["token"])
    current = str(_token(world, "ua_delegate", label="mine")["token"])
    wrong = world.client.put(
        "/api/me/password",
        json={"current_password": "not it at all", "new_password": NEW_PASSWORD},
        headers=_bearer(current),
    )
    assert wrong.status_code == 403
    weak = world.client.put(
        "/api/me/password",
        json={"current_password": PASSWORD, "new_password": "ua_delegate1"},
        headers=_bearer(current),
    )
    assert weak.status_code == 422 and "too easy to guess" in weak.json()["detail"]
    changed = world.client.put(
        "/api/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=_bearer(current),
    )
    assert changed.status_code == 204, changed.text
    assert world.client.get("/api/me", headers=_bearer(current)).status_code == 200
    assert world.client.get("/api/me", headers=_bearer(other)).status_code == 401
    old = {"username": "ua_delegate", "password": PASSWORD}
    assert world.client.post("/api/auth/login", json=old).status_code == 401
    new = {"username": "ua_delegate", "password": NEW_PASSWORD}
    assert world.client.post("/api/auth/login", json=new).status_code == 200


def test_an_administrator_resets_a_password_and_every_credential_of_it_ends(
    world: World,
) -> None:
    token = str(_token(world, "observer")["token"])
    refused = world.client.put(
        "/api/users/ru_delegate/password",
        json={"password": NEW_PASSWORD},
        headers=world.headers("ua_delegate"),
    )
    assert refused.status_code == 403
    reset = world.client.put(
        "/api/users/observer/password",
        json={"password": NEW_PASSWORD},
        headers=world.headers("mediator"),
    )
    assert reset.status_code == 204, reset.text
    assert world.client.get("/api/me", headers=_bearer(token)).status_code == 401
    login = {"username": "observer", "password": NEW_PASSWORD}
    assert world.client.post("/api/auth/login", json=login).status_code == 200


def test_a_disabled_account_is_shut_out_at_once(world: World) -> None:
    token = str(_token(world, "ru_delegate")["token"])
    assert world.client.get("/api/me", headers=_bearer(token)).json()["username"] == "ru_delegate"
    disabled = world.client.patch(
        "/api/users/ru_delegate", json={"disabled": True}, headers=world.headers("mediator")
    )
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    assert world.client.get("/api/me", headers=_bearer(token)).status_code == 401
    assert world.client.get(world.path(), headers=_bearer(token)).status_code == 401
    login = world.client.post(
        "/api/auth/login", json={"username": "ru_delegate", "password": PASSWORD}
    )
    assert login.status_code == 401
    assert login.json()["detail"] == "wrong username or password"  # as for a wrong password
    self_disable = world.client.patch(
        "/api/users/mediator", json={"disabled": True}, headers=world.headers("mediator")
    )
    assert self_disable.status_code == 422
    enabled = world.client.patch(
        "/api/users/ru_delegate", json={"disabled": False}, headers=world.headers("mediator")
    )
    assert enabled.json()["disabled"] is False
    assert world.client.get("/api/me", headers=_bearer(token)).status_code == 401  # stays revoked
    again = {"username": "ru_delegate", "password": PASSWORD}
    assert world.client.post("/api/auth/login", json=again).status_code == 200


def test_user_names_are_unique_in_any_case(world: World) -> None:
    for name in ("Mediator", "MEDIATOR", "mediatoR"):
        clash = world.client.post(
            "/api/users",
            json={"username": name, "password": PASSWORD},
            headers=world.headers("mediator"),
        )
        assert clash.status_code == 409, clash.text
    login = world.client.post(
        "/api/auth/login", json={"username": "MEDIATOR", "password": PASSWORD}
    )
    assert login.status_code == 200 and login.json()["username"] == "mediator"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678", "too easy to guess"),
        ("envoy-eu", "too easy to guess"),  # the user name
        ("envoy-eu2026", "too easy to guess"),
        ("password1!", "too easy to guess"),
        # NUL is refused before the policy runs, for every text field (PostgreSQL cannot store it).
        ("\x00" * 8, "NUL character"),
        ("\x01" * 8, "control characters"),
        ("short", "at least 8 characters"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    world: World, password: str, reason: str
) -> None:
    response = world.client.post(
        "/api/users",
        json={"username": "envoy-eu", "password": password},
        headers=world.headers("mediator"),
    )
    assert response.status_code == 422, response.text
    assert reason in str(response.json()["detail"])
    assert password not in str(response.json()["detail"])


def test_creating_negotiations_is_a_permission(world: World) -> None:
    from web_fixtures import peace_plan_data

    body = {"scenario": peace_plan_data()}
    refused = world.client.post("/api/negotiations", json=body, headers=world.headers("outsider"))
    assert refused.status_code == 403
    grant = world.client.patch(
        "/api/users/outsider",
        json={"can_create_negotiations": True},
        headers=world.headers("ua_delegate"),
    )
    assert grant.status_code == 403  # only an administrator grants it
    world.client.patch(
        "/api/users/outsider",
        json={"can_create_negotiations": True},
        headers=world.headers("mediator"),
    )
    created = world.client.post("/api/negotiations", json=body, headers=world.headers("outsider"))
    assert created.status_code == 201 and created.json()["role"] == "mediator"


def test_membership_answers_do_not_tell_which_names_have_accounts(world: World) -> None:
    mediator = world.headers("mediator")
    for role, party in (("observer", None), ("delegate", "eu")):
        answers = []
        for name in ("outsider", "nobody-by-this-name"):
            response = world.client.put(
                world.path("/members"),
                json={"username": name, "role": role, "party": party},
                headers=mediator,
            )
            answers.append((response.status_code, response.json() | {"username": "N"}))
        assert answers[0] == answers[1], answers
    wrong = []
    for name in ("outsider", "nobody-by-this-name"):
        response = world.client.put(
            world.path("/members"),
            json={"username": name, "role": "delegate", "party": "atlantis"},
            headers=mediator,
        )
        wrong.append((response.status_code, response.json()["detail"]))
    assert wrong[0] == wrong[1] and wrong[0][0] == 404
    removals = []
    for name in ("observer2-never-added", "nobody-by-this-name"):
        response = world.client.delete(world.path(f"/members/{name}"), headers=mediator)
        removals.append((response.status_code, response.json()["detail"].replace(name, "N")))
    assert removals[0] == removals[1] and removals[0][0] == 404
    # The account that exists did get its role; the other name changed nothing.
    members = world.client.get(world.path("/members"), headers=mediator).json()
    assert {"username": "outsider", "role": "delegate", "party": "eu"} in members
    assert all(m["username"] != "nobody-by-this-name" for m in members)
