"""The account page: one's password and tokens; administrators manage the users. The same
rules as the API (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from security.accounts_forms import log_in, post_form
from web_fixtures import PASSWORD, World

NEW_PASSWORD = "amber lantern over quiet hills"


def _log_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    response = log_in(client, username, password)
    assert response.status_code == 303, response.text


def _post(client: TestClient, action: str, data: dict[str, str]) -> object:
    return post_form(client, "/account", action, data)


def test_tokens_are_made_shown_once_and_revoked_on_the_page(world: World) -> None:
    client = world.client
    _log_in(client, "ua_delegate")
    page = client.get("/account")
    assert page.status_code == 200 and "login session (this one)" in page.text
    made = post_form(client, "/account", "/account/tokens", {"label": "tablet", "days": "7"})
    secret = re.search(r'id="new-token-secret">([^<]+)<', made.text)
    assert secret is not None
    bearer = {"Authorization": f"Bearer {secret.group(1)}"}
    assert client.get("/api/me", headers=bearer).json()["username"] == "ua_delegate"
    assert secret.group(1) not in client.get("/account").text  # shown once
    listed = client.get("/api/tokens", headers=bearer).json()
    tablet = next(entry["id"] for entry in listed if entry["label"] == "tablet")
    revoked = post_form(client, "/account", f"/account/tokens/{tablet}/revoke", {})
    assert revoked.status_code == 303
    assert client.get("/api/me", headers=bearer).status_code == 401


def test_the_password_is_changed_on_the_page(world: World) -> None:
    client = world.client
    _log_in(client, "observer")
    action = "/account/password"
    wrong = post_form(
        client, "/account", action, {"current_password": "nope nope", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 403
    weak = post_form(
        client, "/account", action, {"current_password": PASSWORD, "new_password": "observer1"}
    )
    assert weak.status_code == 422 and "too easy to guess" in weak.text
    changed = post_form(
        client, "/account", action, {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 200 and "Password changed" in changed.text
    _log_in(client, "observer", NEW_PASSWORD)


def test_an_administrator_manages_users_on_the_page_and_no_one_else_can(world: World) -> None:
    client = world.client
    _log_in(client, "ru_delegate")
    for action, data in (
        ("/account/users", {"username": "envoy", "password": NEW_PASSWORD}),
        ("/account/users/observer/disabled", {"disabled": "true"}),
        ("/account/users/observer/creator", {"allowed": "true"}),
        ("/account/users/observer/password", {"password": NEW_PASSWORD}),
    ):
        assert post_form(client, "/account", action, data).status_code == 403, action
    _log_in(client, "mediator")
    user = {"username": "Envoy", "password": NEW_PASSWORD}
    created = post_form(client, "/account", "/account/users", user)
    assert created.status_code == 200 and "Account &#39;Envoy&#39; created." in created.text
    clash = post_form(client, "/account", "/account/users", user | {"username": "envoy"})
    assert clash.status_code == 409
    granted = post_form(client, "/account", "/account/users/envoy/creator", {"allowed": "true"})
    assert granted.status_code == 303
    disabled = post_form(client, "/account", "/account/users/envoy/disabled", {"disabled": "true"})
    assert disabled.status_code == 303
    assert 'data-user="Envoy"' in client.get("/account").text
    assert "<strong>disabled</strong>" in client.get("/account").text
    refused = log_in(client, "envoy", NEW_PASSWORD)
    assert refused.status_code == 401
