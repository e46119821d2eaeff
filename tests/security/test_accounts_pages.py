"""The account page: one's password and tokens; administrators manage the users. The same
rules as the API (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from web_fixtures import PASSWORD, World

NEW_PASSWORD = "amber lantern over quiet hills"


def _log_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    client.cookies.clear()
    response = client.post(
        "/login", data={"username": username, "password": password}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def test_tokens_are_made_shown_once_and_revoked_on_the_page(world: World) -> None:
    client = world.client
    _log_in(client, "ua_delegate")
    page = client.get("/account")
    assert page.status_code == 200 and "login session (this one)" in page.text
    made = client.post("/account/tokens", data={"label": "tablet", "days": "7"})
    secret = re.search(r'id="new-token-secret">([^<]+)<', made.text)
    assert secret is not None
    bearer = {"Authorization": f"Bearer {secret.group(1)}"}
    assert client.get("/api/me", headers=bearer).json()["username"] == "ua_delegate"
    assert secret.group(1) not in client.get("/account").text  # shown once
    listed = client.get("/api/tokens", headers=bearer).json()
    tablet = next(entry["id"] for entry in listed if entry["label"] == "tablet")
    revoked = client.post(f"/account/tokens/{tablet}/revoke", follow_redirects=False)
    assert revoked.status_code == 303
    assert client.get("/api/me", headers=bearer).status_code == 401


def test_the_password_is_changed_on_the_page(world: World) -> None:
    client = world.client
    _log_in(client, "observer")
    wrong = client.post(
        "/account/password", data={"current_password": "nope nope", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 403
    weak = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "observer1"}
    )
    assert weak.status_code == 422 and "too easy to guess" in weak.text
    changed = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 200 and "Password changed" in changed.text
    _log_in(client, "observer", NEW_PASSWORD)


def test_an_administrator_manages_users_on_the_page_and_no_one_else_can(world: World) -> None:
    client = world.client
    _log_in(client, "ru_delegate")
    for path, data in (
        ("/account/users", {"username": "envoy", "password": NEW_PASSWORD}),
        ("/account/users/observer/disabled", {"disabled": "true"}),
        ("/account/users/observer/creator", {"allowed": "true"}),
        ("/account/users/observer/password", {"password": NEW_PASSWORD}),
    ):
        assert client.post(path, data=data).status_code == 403, path
    _log_in(client, "mediator")
    created = client.post("/account/users", data={"username": "Envoy", "password": NEW_PASSWORD})
    assert created.status_code == 200 and "Account &#39;Envoy&#39; created." in created.text
    clash = client.post("/account/users", data={"username": "envoy", "password": NEW_PASSWORD})
    assert clash.status_code == 409
    assert client.post("/account/users/envoy/creator", data={"allowed": "true"}).status_code == 200
    disabled = client.post("/account/users/envoy/disabled", data={"disabled": "true"})
    assert disabled.status_code == 200 and "disabled" in disabled.text
    client.cookies.clear()
    refused = client.post("/login", data={"username": "envoy", "password": NEW_PASSWORD})
    assert refused.status_code == 401
