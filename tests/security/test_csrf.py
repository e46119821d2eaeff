"""Cross-site request forgery against a logged-in mediator, on a real server.

The attacker serves a page from another port of the same loopback host: to the browser it
is the same *site* (ports do not count), so ``SameSite=Lax`` sends the session cookie with
its forms. Its page auto-submits a form to the ledger. Nothing may be recorded; the
ledger's own forms keep working, and API calls with a bearer token are not affected.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.sync_api import Browser

from accord.ledger import Database
from accord.ledger.meetings import list_meetings
from accord.ledger.negotiations import get_negotiation
from accord.ledger.stances import stance_history
from accord.ledger.throwaway_postgres import free_port
from accord.web.auth import get_user_by_name, issue_token
from web_world import PASSWORD, World, csrf_token_of, log_in

MEETING_FORM = {"held_at": "2025-12-02T10:00", "hours": "5", "place": "Forged", "notes": "x"}
STANCE_FORM = {"party": "ua", "issue": "donetsk", "stance": "accepts"}


def recorded(world: World) -> tuple[int, int]:
    """How many meetings and stances the ledger holds."""
    database = Database(world.database_url)
    try:
        with database.session() as session:
            negotiation = get_negotiation(session, world.negotiation_id)
            return len(list_meetings(session, negotiation)), len(
                stance_history(session, negotiation)
            )
    finally:
        database.dispose()


def auto_submitting_page(action: str, fields: dict[str, str]) -> bytes:
    inputs = "".join(f'<input name="{name}" value="{value}">' for name, value in fields.items())
    return (
        f'<!doctype html><html><body><form method="post" action="{action}">{inputs}</form>'
        "<script>document.forms[0].submit()</script></body></html>"
    ).encode()


@pytest.fixture
def attacker() -> Iterator[tuple[str, dict[str, bytes]]]:
    """A web server on another loopback port; the test puts its pages in the dict."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, b"not here")
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", pages
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_on_another_port_cannot_post_with_the_mediators_cookie(
    served: tuple[str, World], attacker: tuple[str, dict[str, bytes]], browser: Browser
) -> None:
    base, world = served
    evil, pages = attacker
    pages["/meeting"] = auto_submitting_page(f"{base}/negotiations/1/meetings", MEETING_FORM)
    pages["/stance"] = auto_submitting_page(f"{base}/negotiations/1/stances", STANCE_FORM)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{base}/login")
        page.fill("#username", "mediator")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/negotiations")
        for path in ("/meeting", "/stance"):
            with page.expect_response(lambda response: response.request.method == "POST") as sent:
                page.goto(evil + path)
            assert sent.value.status == 403
            assert "another origin" in page.content()
        assert recorded(world) == (0, 0)
        # The ledger's own form, in the same browser, still records a meeting.
        page.goto(f"{base}/negotiations/1/meetings")
        page.fill("#meeting-held-at", "2025-12-02T10:00")
        page.click("text=Record meeting")
        page.wait_for_selector("#meeting-1")
        assert recorded(world) == (1, 0)
    finally:
        context.close()


def test_a_forged_origin_or_a_missing_token_is_refused(served: tuple[str, World]) -> None:
    base, world = served
    with httpx.Client(base_url=base, timeout=30) as client:
        assert log_in(client, "mediator").status_code == 303
        token = client.headers.pop("X-CSRF-Token")
        forms = [
            ("/negotiations/1/stances", STANCE_FORM),
            ("/negotiations/1/meetings", MEETING_FORM),
        ]
        for path, form in forms:
            # The cookie and a valid token, but sent from another origin (curl can forge it).
            for origin in ("http://evil.example", f"http://127.0.0.1:{free_port()}", "null"):
                response = client.post(
                    path, data=form | {"csrf_token": token}, headers={"Origin": origin}
                )
                assert response.status_code == 403, (origin, response.text)
            forged_referer = {"Referer": "http://evil.example/page"}
            response = client.post(path, data=form | {"csrf_token": token}, headers=forged_referer)
            assert response.status_code == 403
            # No Origin at all (an old browser, or a script): the token must be there.
            for bad in ({}, {"csrf_token": ""}, {"csrf_token": "0" * 64}):
                response = client.post(path, data=form | bad, follow_redirects=False)
                assert response.status_code == 403, response.text
                assert "security token" in response.text
        assert recorded(world) == (0, 0)
        # The right token from the right origin records them.
        for path, form in forms:
            response = client.post(
                path,
                data=form | {"csrf_token": token},
                headers={"Origin": base},
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text
        assert recorded(world) == (1, 1)
        # Logging in again opens a new session: the old session's token no longer works.
        assert log_in(client, "mediator").status_code == 303
        assert client.headers.pop("X-CSRF-Token") != token
        stale = client.post(
            forms[0][0], data=forms[0][1] | {"csrf_token": token}, follow_redirects=False
        )
        assert stale.status_code == 403


def test_login_itself_cannot_be_forged(served: tuple[str, World]) -> None:
    base, _ = served
    with httpx.Client(base_url=base, timeout=30) as client:
        form = {"username": "observer", "password": PASSWORD}
        # From another origin: refused before the password is even checked.
        response = client.post("/login", data=form, headers={"Origin": "http://evil.example"})
        assert response.status_code == 403
        # Without the login page's token: refused.
        assert client.post("/login", data=form, follow_redirects=False).status_code == 403
        token = csrf_token_of(client.get("/login").text)
        response = client.post("/login", data=form | {"csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303


def test_api_calls_with_a_bearer_token_are_not_affected(served: tuple[str, World]) -> None:
    base, world = served
    database = Database(world.database_url)
    try:
        with database.transaction() as session:
            user = get_user_by_name(session, "mediator")
            assert user is not None
            secret = issue_token(session, user, "api", "script")[1]
    finally:
        database.dispose()
    body = {"party": "ua", "issue": "donetsk", "stance": "rejects"}
    headers = {"Authorization": f"Bearer {secret}", "Origin": "http://evil.example"}
    response = httpx.post(f"{base}/api/negotiations/1/stances", json=body, headers=headers)
    assert response.status_code == 201, response.text
    # With the cookie instead, a JSON body (which no foreign page can send without a CORS
    # preflight) from a script that sends no Origin works; from a foreign origin it does not.
    with httpx.Client(base_url=base, timeout=30) as client:
        assert log_in(client, "mediator").status_code == 303
        del client.headers["X-CSRF-Token"]
        path = "/api/negotiations/1/stances"
        assert client.post(path, json=body).status_code == 201
        forged = client.post(path, json=body, headers={"Origin": "http://evil.example"})
        assert forged.status_code == 403
        # A form-shaped body with the cookie needs the token, as a page's form does.
        text = client.post(path, content=b"{}", headers={"Content-Type": "text/plain"})
        assert text.status_code == 403
    assert recorded(world) == (0, 2)


def test_every_form_of_every_template_carries_the_token() -> None:
    from accord.web.pages.render import TEMPLATES

    forms = 0
    for template in sorted(TEMPLATES.glob("*.html")):
        for opening in re.findall(r"<form\b[^>]*>.{0,40}", template.read_text(), re.S):
            forms += 1
            assert "{{ csrf_field() }}" in opening, f"{template.name}: {opening}"
    assert forms >= 12
