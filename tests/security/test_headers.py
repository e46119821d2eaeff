"""What the browser is told: a strict Content-Security-Policy that the pages themselves keep
(charts and API docs work under it, in Chromium), no framing by another site, nothing
confidential left in a cache, and the SQLite ledger readable by its owner only.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page
from sqlalchemy import text

from accord.ledger import Database
from accord.web.auth import get_user_by_name, issue_token
from web_world import PASSWORD, World, log_in

PAGES_WITH_PREFERENCES = ("/negotiations/1/parties", "/negotiations/1/analysis")


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page, and the Content-Security-Policy violations its console reports."""
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    opened.on("console", watch)
    yield opened, violations
    context.close()


def test_every_answer_forbids_framing_and_caching(served: tuple[str, World]) -> None:
    base, world = served
    database = Database(world.database_url)
    try:
        with database.transaction() as session:
            user = get_user_by_name(session, "mediator")
            assert user is not None
            bearer = {"Authorization": f"Bearer {issue_token(session, user, 'api', 'h')[1]}"}
    finally:
        database.dispose()
    with httpx.Client(base_url=base, timeout=30) as client:
        assert log_in(client, "mediator").status_code == 303
        answers = [client.get(path) for path in ("/login", "/negotiations/1")]
        answers += [client.get(path) for path in PAGES_WITH_PREFERENCES]
        answers.append(client.get("/api/negotiations/1/parties/ua/preferences", headers=bearer))
        answers.append(client.post("/negotiations/1/stances", data={}))  # an error page
        for answer in answers:
            where = f"{answer.request.method} {answer.request.url.path}"
            policy = answer.headers.get("content-security-policy", "")
            assert "frame-ancestors 'none'" in policy, where
            assert (
                "script-src 'self'" in policy
                and "unsafe-inline" not in policy.split("style-src")[0]
            ), where
            assert answer.headers.get("x-frame-options") == "DENY", where
            assert answer.headers.get("cache-control") == "no-store", where
            assert answer.headers.get("x-content-type-options") == "nosniff", where
        assert "private-canary" not in answers[-2].text  # the marker is the mediator's to see
        # Static assets may be cached; they hold nothing private.
        plotly = client.get("/static/plotly.min.js")
        assert plotly.headers["cache-control"].startswith("public")


def test_charts_draw_under_the_policy(
    served: tuple[str, World], page: tuple[Page, list[str]]
) -> None:
    base, _ = served
    browser_page, violations = page
    browser_page.goto(f"{base}/login")
    browser_page.fill("#username", "mediator")
    browser_page.fill("#password", PASSWORD)
    browser_page.click("button[type=submit]")
    browser_page.wait_for_url(f"{base}/negotiations")
    browser_page.goto(f"{base}/negotiations/1")
    browser_page.select_option("#stance-party", "ua")
    browser_page.select_option("#stance-issue", "donetsk")
    browser_page.select_option("#stance-kind", "rejects")
    with browser_page.expect_navigation():
        browser_page.click("#record-stance button")
    browser_page.wait_for_function(
        "document.getElementById('chart-territory') && "
        "document.getElementById('chart-territory').data !== undefined"
    )
    rows = browser_page.evaluate("document.getElementById('chart-territory').data[0].y")
    assert "Ukraine" in rows
    browser_page.goto(f"{base}/negotiations/1/drafts")
    browser_page.click("text=Issue a new draft")
    browser_page.fill("#draft-title", "Text")
    browser_page.select_option("#point-donetsk", "donetsk=buffer-ua")
    browser_page.click("text=Issue draft")
    browser_page.goto(f"{base}/negotiations/1/analysis")
    browser_page.wait_for_function("document.getElementById('chart-draft').data !== undefined")
    assert violations == []


def test_another_site_cannot_frame_the_ledger(
    served: tuple[str, World], page: tuple[Page, list[str]], tmp_path: Path
) -> None:
    base, _ = served
    browser_page, _ = page
    framing = tmp_path / "frame.html"
    framing.write_text(f'<iframe id="f" src="{base}/login" width="600" height="400"></iframe>')
    browser_page.goto(framing.as_uri())
    browser_page.wait_for_timeout(1500)
    framed = [frame for frame in browser_page.frames if frame != browser_page.main_frame]
    assert framed
    # Chromium refuses to render it: the frame shows its own error page, not the login form.
    assert all(frame.url.startswith("chrome-error://") for frame in framed), [
        frame.url for frame in framed
    ]


def test_api_docs_render_offline_under_the_policy(
    served: tuple[str, World], page: tuple[Page, list[str]]
) -> None:
    base, _ = served
    browser_page, violations = page
    requested: list[str] = []
    browser_page.on("request", lambda request: requested.append(request.url))
    browser_page.goto(f"{base}/docs")
    title = browser_page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "Accord" in title.inner_text()
    assert browser_page.locator(".opblock").count() > 30  # every operation listed
    assert all(url.startswith(base) or url.startswith("data:") for url in requested), requested
    assert violations == []
    assert httpx.get(f"{base}/openapi.json").json()["openapi"].startswith("3.1")


def test_a_new_sqlite_ledger_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    old = os.umask(0o022)  # the usual umask: SQLite alone would create it 0644
    try:
        database = Database(f"sqlite:///{path}")
        database.migrate()
        with database.transaction() as session:
            session.execute(text("SELECT 1"))
        files = [path, *tmp_path.glob("ledger.db-*")]
        database.dispose()
    finally:
        os.umask(old)
    assert files
    for file in files:
        if file.exists():
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
