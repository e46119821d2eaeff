"""Password guessing is throttled per account and per address, and a login being checked
holds up no write. A real server (uvicorn on loopback), SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import httpx
import pytest

from accord.ledger import Database
from accord.web import auth
from browser_server import running_server
from web_world import PASSWORD, csrf_token_of, seed


@pytest.fixture
def base(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("ACCORD_LOGIN_FAILURES_PER_ACCOUNT", "5")
    monkeypatch.setenv("ACCORD_LOGIN_FAILURES_PER_ADDRESS", "12")
    seed(database_url)
    with running_server(database_url) as url:
        yield url


def _login(base: str, username: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{base}/api/auth/login", json={"username": username, "password": password}, timeout=30
    )


def test_guessing_one_account_is_stopped_even_with_the_right_password(base: str) -> None:
    for _ in range(5):
        assert _login(base, "mediator", "guess guess guess").status_code == 401
    stopped = _login(base, "mediator", PASSWORD)
    assert stopped.status_code == 429
    assert int(stopped.headers["retry-after"]) > 0
    assert "too many failed logins" in stopped.json()["detail"]
    # The page's form is throttled alike.
    with httpx.Client(base_url=base, timeout=30) as browser:
        token = csrf_token_of(browser.get("/login").text)
        form = browser.post(
            "/login",
            data={"username": "mediator", "password": PASSWORD, "csrf_token": token},
            headers={"Origin": base},
        )
    assert form.status_code == 429 and "too many failed logins" in form.text
    # Another account is not locked by it.
    assert _login(base, "observer", PASSWORD).status_code == 200


def test_unknown_names_are_throttled_like_real_ones(base: str) -> None:
    answers = {}
    for name in ("mediator", "nobody-here"):
        for _ in range(5):
            assert _login(base, name, "guess guess guess").status_code == 401
        refused = _login(base, name, "guess guess guess")
        answers[name] = (refused.status_code, re.sub(r"\d+", "N", refused.json()["detail"]))
    assert answers["mediator"] == answers["nobody-here"]
    assert answers["mediator"][0] == 429


def test_guessing_many_accounts_from_one_address_is_stopped(base: str) -> None:
    for number in range(12):
        assert _login(base, f"name-{number}", "guess guess guess").status_code == 401
    assert _login(base, "observer", PASSWORD).status_code == 429


def test_a_login_being_checked_holds_up_no_write(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = seed(database_url)
    database = Database(database_url)
    with database.transaction() as session:
        user = auth.get_user_by_name(session, "mediator")
        assert user is not None
        token = auth.issue_token(session, user, "api", "test")[1]
    database.dispose()
    checking, release = threading.Event(), threading.Event()
    real_verify = auth.verify_password

    def held_verify(password: str, stored: str) -> bool:
        checking.set()
        release.wait(60)
        return real_verify(password, stored)

    monkeypatch.setattr(auth, "verify_password", held_verify)
    with running_server(database_url) as base:
        logins = [
            threading.Thread(target=_login, args=(base, "mediator", "wrong guess here"))
            for _ in range(3)
        ]
        for login in logins:
            login.start()
        assert checking.wait(30)
        try:
            # The password checks are in progress (held), and still a write goes through.
            written = httpx.post(
                f"{base}/api/negotiations/{world.negotiation_id}/stances",
                json={"party": "ua", "issue": "donetsk", "stance": "rejects"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            assert written.status_code == 201, written.text
            assert not release.is_set()
        finally:
            release.set()
            for login in logins:
                login.join(timeout=30)


def test_the_window_slides_and_a_success_clears_the_account() -> None:
    from accord.web.sign_in import LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle(per_account=3, per_address=5, window=60, clock=lambda: now[0])
    for second in range(3):
        now[0] = 1000.0 + second
        assert throttle.retry_after("mediator", "10.0.0.1") == 0
        throttle.failed("mediator", "10.0.0.1")
    assert throttle.retry_after("mediator", "10.0.0.1") == 58  # the first one (1000) + 60 - 1002
    assert throttle.retry_after("observer", "10.0.0.2") == 0  # other account and address
    now[0] = 1060.5  # the first failure has left the window
    assert throttle.retry_after("mediator", "10.0.0.1") == 0
    throttle.failed("mediator", "10.0.0.1")
    assert throttle.retry_after("mediator", "10.0.0.1") > 0
    throttle.succeeded("mediator")
    assert throttle.retry_after("mediator", "10.0.0.1") == 0  # the address counts 3 of 5
    throttle.failed("observer", "10.0.0.1")
    assert throttle.retry_after("anyone", "10.0.0.1") == 0
    throttle.failed("someone", "10.0.0.1")
    assert throttle.retry_after("anyone", "10.0.0.1") > 0  # 5 from the address
