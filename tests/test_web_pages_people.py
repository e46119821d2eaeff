"""The people page: a mediator invites, gives and takes roles, resets passwords and disables
accounts in their care, and every change is in the audit log.

The world has the peace plan (negotiation 1, mediated by ``mediator``) and a second
negotiation mediated by ``other-mediator`` in which ``ru-delegate`` also observes, so that
``ru-delegate`` is not wholly in ``mediator``'s care.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.ledger import Database
from accord.ledger.negotiations import add_member, create_negotiation
from accord.scenario.loader import load_scenario
from accord.web.app import create_app
from accord.web.auth import create_user, get_user_by_name
from web_world import PASSWORD, PEACE_PLAN, log_in, seed

PEOPLE = "/negotiations/1/people"
ONE_TIME = re.compile(r'id="one-time-username">([^<]+)<.*id="one-time-secret">([^<]+)<', re.S)
NOTICE = re.compile(r'<p class="notice"[^>]*>(.*?)</p>', re.S)


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[tuple[str, TestClient]]:
    world = seed(f"sqlite:///{tmp_path / 'ledger.db'}")
    database = Database(world.database_url)
    with database.transaction() as session:
        other = create_user(session, "other-mediator", PASSWORD)
        admin = create_user(session, "admin", PASSWORD, is_admin=True)
        second = create_negotiation(session, load_scenario(PEACE_PLAN), other)
        add_member(session, second, get_user_by_name(session, "ru-delegate"), "observer")  # type: ignore[arg-type]
        add_member(session, second, admin, "observer")
        add_member(session, session.get(type(second), 1), admin, "observer")  # type: ignore[arg-type]
    database.dispose()
    app = create_app(world.database_url)
    client = TestClient(app)
    assert log_in(client, "mediator").status_code == 303
    yield world.database_url, client
    client.close()
    app.state.database.dispose()


def client_of(url: str, username: str, password: str = PASSWORD) -> TestClient:
    client = TestClient(create_app(url))
    assert log_in(client, username, password).status_code == 303
    return client


def members(client: TestClient) -> dict[str, str]:
    page = client.get(PEOPLE).text
    return dict(re.findall(r'data-user="([^"]+)" data-role="([^"]+)"', page))


def test_only_the_mediator_sees_the_people_page(app_url: tuple[str, TestClient]) -> None:
    url, mediator = app_url
    page = mediator.get(PEOPLE)
    assert page.status_code == 200
    assert members(mediator) == {
        "mediator": "mediator",
        "ua-delegate": "delegate:ua",
        "ru-delegate": "delegate:ru",
        "observer": "observer",
        "admin": "observer",
    }
    for name in ("ua-delegate", "observer"):
        assert client_of(url, name).get(PEOPLE).status_code == 403
    assert TestClient(create_app(url)).get(PEOPLE, follow_redirects=False).status_code == 303


def test_an_invitation_creates_an_account_with_a_one_time_password(
    app_url: tuple[str, TestClient],
) -> None:
    url, mediator = app_url
    page = mediator.post(PEOPLE + "/accounts", data={"username": "olena", "role": "delegate:ua"})
    assert page.status_code == 200, page.text
    found = ONE_TIME.search(page.text)
    assert found, page.text
    name, password = found.groups()
    # A mediator's invitation gets a random ending: it never says a name is taken.
    assert re.fullmatch(r"olena-[a-z2-9]{8}", name)
    assert members(mediator)[name] == "delegate:ua"
    assert password not in mediator.get(PEOPLE).text  # shown once
    olena = client_of(url, name, password)
    change_password(olena, password)
    assert "delegate of Ukraine" in olena.get("/negotiations").text
    again = mediator.post(PEOPLE + "/accounts", data={"username": "olena", "role": "observer"})
    second = ONE_TIME.search(again.text)
    assert second and second.group(1) != name
    audit = mediator.get("/negotiations/1/audit").text
    assert "/negotiations/1/people/accounts" in audit
    assert "memberships" in audit and "users" in audit


def test_an_administrator_names_the_account_exactly(app_url: tuple[str, TestClient]) -> None:
    url, _ = app_url
    admin = client_of(url, "admin")
    # The administrator observes here: make them mediator through the mediator first.
    mediator = client_of(url, "mediator")
    mediator.post(PEOPLE + "/members", data={"username": "admin", "role": "mediator"})
    page = admin.post(PEOPLE + "/accounts", data={"username": "petro", "role": "observer"})
    found = ONE_TIME.search(page.text)
    assert found and found.group(1) == "petro"
    taken = admin.post(PEOPLE + "/accounts", data={"username": "petro", "role": "observer"})
    assert taken.status_code == 409 and "taken" in taken.text


def test_adding_by_name_answers_the_same_whether_or_not_the_account_exists(
    app_url: tuple[str, TestClient],
) -> None:
    _, mediator = app_url
    answers = []
    for name in ("other-mediator", "no-such-person"):
        page = mediator.post(PEOPLE + "/members", data={"username": name, "role": "observer"})
        assert page.status_code == 200
        notice = NOTICE.search(page.text)
        assert notice
        answers.append(notice.group(1).replace(name, "NAME"))
    assert answers[0] == answers[1]
    assert "other-mediator" in members(mediator)
    assert "no-such-person" not in members(mediator)
    # Taking a role from a name without one: the API's words, account or not.
    for name in ("no-such-person", "nobody-here"):
        gone = mediator.post(f"{PEOPLE}/members/{name}/remove")
        assert gone.status_code == 404
        assert f"'{name}' has no role in negotiation 1" in html.unescape(gone.text)


def test_roles_are_given_and_taken_but_the_last_mediator_stays(
    app_url: tuple[str, TestClient],
) -> None:
    _, mediator = app_url
    mediator.post(PEOPLE + "/members", data={"username": "observer", "role": "delegate:us"})
    assert members(mediator)["observer"] == "delegate:us"
    removed = mediator.post(PEOPLE + "/members/observer/remove", follow_redirects=False)
    assert removed.status_code == 303
    assert "observer" not in members(mediator)
    for attempt in (
        mediator.post(PEOPLE + "/members/mediator/remove"),
        mediator.post(PEOPLE + "/members", data={"username": "mediator", "role": "observer"}),
    ):
        assert attempt.status_code == 409
        assert "last mediator" in attempt.text
    assert members(mediator)["mediator"] == "mediator"
    # With a second mediator, the first may step down and loses the page.
    mediator.post(PEOPLE + "/members", data={"username": "ua-delegate", "role": "mediator"})
    down = mediator.post(PEOPLE + "/members/mediator/remove", follow_redirects=False)
    assert down.status_code == 303 and down.headers["location"] == "/negotiations"
    assert mediator.get(PEOPLE).status_code == 403
    bad = client_of(app_url[0], "ua-delegate").post(
        PEOPLE + "/members", data={"username": "observer", "role": "delegate:nowhere"}
    )
    assert bad.status_code == 404 and "has no party 'nowhere'" in html.unescape(bad.text)


OWN_PASSWORD = "a passphrase of my own choosing"
MUST_CHANGE = "must choose a new password first"


def change_password(client: TestClient, handed_over: str) -> None:
    """Choose one's own password on the account page, as the first login asks."""
    form = {"current_password": handed_over, "new_password": OWN_PASSWORD}
    page = client.post("/account/password", data=form)
    assert page.status_code == 200 and "Password changed" in page.text, page.text
    assert 'id="must-change-password"' not in page.text


def test_a_handed_over_password_must_be_changed_before_anything_else(
    app_url: tuple[str, TestClient],
) -> None:
    url, mediator = app_url
    page = mediator.post(PEOPLE + "/accounts", data={"username": "olena", "role": "delegate:ua"})
    found = ONE_TIME.search(page.text)
    assert found
    name, password = found.groups()
    assert "they must then choose their own password" in page.text
    olena = TestClient(create_app(url))
    login = log_in(olena, name, password)
    assert login.status_code == 303 and login.headers["location"] == "/account#password"
    assert 'id="must-change-password"' in olena.get("/account").text
    # Pages send to the account page (or say why not); the API refuses, saying what to do.
    for path in ("/", "/negotiations", "/negotiations/1", "/negotiations/1/agenda"):
        response = olena.get(path, follow_redirects=True)
        assert response.url.path == "/account", path
    preferences = olena.get("/negotiations/1/parties/ua/preferences", follow_redirects=False)
    assert preferences.status_code in (303, 403)
    assert preferences.status_code == 303 or MUST_CHANGE in preferences.text
    for method, path in (("GET", "/api/negotiations"), ("GET", "/api/tokens")):
        response = olena.request(method, path)
        assert response.status_code == 403 and MUST_CHANGE in response.json()["detail"]
    token = olena.post("/api/tokens", json={"label": "sneak"})
    assert token.status_code == 403
    assert (
        olena.post("/account/tokens", data={"label": "x"}, follow_redirects=False).headers[
            "location"
        ]
        == "/account#password"
    )
    assert olena.get("/api/me").json()["must_change_password"] is True
    # The handed-over password cannot be "changed" to itself.
    same = olena.post(
        "/account/password", data={"current_password": password, "new_password": password}
    )
    assert same.status_code == 422 and "not the one handed over" in same.text
    change_password(olena, password)
    assert "delegate of Ukraine" in olena.get("/negotiations").text
    assert olena.get("/api/me").json()["must_change_password"] is False
    assert olena.get("/api/negotiations").status_code == 200
    client_of(url, name, OWN_PASSWORD)


def test_after_a_reset_the_api_changes_the_password_first(
    app_url: tuple[str, TestClient],
) -> None:
    url, mediator = app_url
    found = ONE_TIME.search(mediator.post(PEOPLE + "/members/ua-delegate/password").text)
    assert found
    ukraine = client_of(url, "ua-delegate", found.group(2))
    refused = ukraine.get("/api/negotiations/1")
    assert refused.status_code == 403 and MUST_CHANGE in refused.json()["detail"]
    body = {"current_password": found.group(2), "new_password": found.group(2)}
    assert ukraine.put("/api/me/password", json=body).status_code == 422
    body["new_password"] = OWN_PASSWORD
    assert ukraine.put("/api/me/password", json=body).status_code == 204
    assert ukraine.get("/api/negotiations/1").status_code == 200
    assert ukraine.get("/negotiations/1").status_code == 200


def test_a_reset_password_works_and_ends_the_old_sessions(
    app_url: tuple[str, TestClient],
) -> None:
    url, mediator = app_url
    ukraine = client_of(url, "ua-delegate")
    assert ukraine.get("/negotiations/1").status_code == 200
    page = mediator.post(PEOPLE + "/members/ua-delegate/password")
    found = ONE_TIME.search(page.text)
    assert found and found.group(1) == "ua-delegate"
    assert ukraine.get("/negotiations/1", follow_redirects=False).status_code == 303
    assert log_in(TestClient(create_app(url)), "ua-delegate").status_code != 303
    client_of(url, "ua-delegate", found.group(2))
    audit = mediator.get("/negotiations/1/audit").text
    assert "users 2 changed: must_change_password, password_hash" in audit


def test_accounts_outside_the_mediators_care_are_an_administrators(
    app_url: tuple[str, TestClient],
) -> None:
    url, mediator = app_url
    rows = mediator.get(PEOPLE).text
    # ru-delegate also observes a negotiation this mediator does not mediate; admin is one.
    for name in ("ru-delegate", "admin", "mediator"):
        row = re.search(rf'<tr id="member-{name}".*?</tr>', rows, re.S)
        assert row and "reset-password" not in row.group(0) and "disable" not in row.group(0)
    for name in ("ru-delegate", "admin"):
        for path in ("/password", "/disabled"):
            refused = mediator.post(f"{PEOPLE}/members/{name}{path}", data={"disabled": "true"})
            assert refused.status_code == 403, (name, path)
            assert "only an administrator" in refused.text
    own = mediator.post(PEOPLE + "/members/mediator/password")
    assert own.status_code == 422 and "account page" in own.text
    assert client_of(url, "ru-delegate").get("/negotiations").status_code == 200
    # An administrator mediating here may.
    mediator.post(PEOPLE + "/members", data={"username": "admin", "role": "mediator"})
    admin = client_of(url, "admin")
    assert ONE_TIME.search(admin.post(PEOPLE + "/members/ru-delegate/password").text)


def test_disabling_ends_the_sessions_and_enabling_restores_the_login(
    app_url: tuple[str, TestClient],
) -> None:
    url, mediator = app_url
    observer = client_of(url, "observer")
    off = mediator.post(
        PEOPLE + "/members/observer/disabled", data={"disabled": "true"}, follow_redirects=False
    )
    assert off.status_code == 303
    assert observer.get("/negotiations", follow_redirects=False).status_code == 303
    assert log_in(TestClient(create_app(url)), "observer").status_code != 303
    assert "<strong>disabled</strong>" in mediator.get(PEOPLE).text
    mediator.post(PEOPLE + "/members/observer/disabled", data={"disabled": "false"})
    client_of(url, "observer")
    assert "users 4 changed: disabled_at" in mediator.get("/negotiations/1/audit").text


def test_bad_input_is_named(app_url: tuple[str, TestClient]) -> None:
    _, mediator = app_url
    bad_role = mediator.post(PEOPLE + "/members", data={"username": "observer", "role": "king"})
    assert bad_role.status_code == 422 and "role must be mediator, observer" in bad_role.text
    bad_name = mediator.post(PEOPLE + "/accounts", data={"username": "-x", "role": "observer"})
    assert bad_name.status_code == 422 and "a name must be" in bad_name.text
