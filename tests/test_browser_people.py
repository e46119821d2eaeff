"""The people page and the timeline in a real browser: Debian's Chromium, driven by
Playwright, on a live server.

The mediator invites a new delegate for Ukraine, reads the one-time password off the page
and the new delegate logs in with it; the mediator resets the observer's password, which
ends the observer's open session; the mediator records a stance and a meeting and finds
them on the timeline, filtered by party, and the new delegate sees Ukraine's story but
nothing of Russia's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from web_world import PASSWORD

SCREENSHOT_DIR = os.environ.get("ACCORD_SCREENSHOT_DIR")


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Fresh browser profiles, one per person; closed at the end."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_page(browser: Browser, contexts: list[BrowserContext]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/negotiations")


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / name), full_page=True)


def test_the_mediator_invites_resets_and_reads_the_story(
    browser: Browser, contexts: list[BrowserContext], base_url: str
) -> None:
    observer = open_page(browser, contexts)
    log_in(observer, base_url, "observer")
    mediator = open_page(browser, contexts)
    log_in(mediator, base_url, "mediator")
    mediator.goto(f"{base_url}/negotiations/1")
    mediator.get_by_role("link", name="People", exact=True).click()
    mediator.wait_for_url(f"{base_url}/negotiations/1/people")

    # Invite a second delegate for Ukraine.
    mediator.fill("#invite-username", "olena")
    mediator.select_option("#invite-role", "delegate:ua")
    mediator.click("text=Create the account")
    name = mediator.locator("#one-time-username").inner_text()
    password = mediator.locator("#one-time-secret").inner_text()
    assert name.startswith("olena-")
    assert mediator.locator(f"tr[data-user='{name}']").get_attribute("data-role") == "delegate:ua"
    screenshot(mediator, "people.png")

    # Reset the observer's password: the observer's open session ends.
    row = mediator.locator("tr[data-user='observer']")
    row.locator("[data-action=reset-password]").click()
    assert mediator.locator("#one-time-username").inner_text() == "observer"
    observer.goto(f"{base_url}/negotiations/1")
    observer.wait_for_url(f"{base_url}/login?next=/negotiations/1")

    # A stance for each of Ukraine and Russia, and a meeting Russia attended.
    mediator.goto(f"{base_url}/negotiations/1")
    for party, stance in (("ua", "rejects"), ("ru", "accepts")):
        mediator.select_option("#stance-party", party)
        mediator.select_option("#stance-issue", "donetsk")
        mediator.select_option("#stance-kind", stance)
        with mediator.expect_navigation():
            mediator.click("#record-stance button")
    mediator.goto(f"{base_url}/negotiations/1/meetings")
    mediator.fill("#meeting-held-at", "2025-12-02T10:00")
    mediator.fill("#meeting-place", "Moscow")
    mediator.check("input[name=attendee][value=ru]")
    mediator.click("text=Record meeting")
    mediator.wait_for_url(f"{base_url}/negotiations/1/meetings#meeting-1")

    mediator.get_by_role("link", name="Timeline", exact=True).click()
    mediator.wait_for_url(f"{base_url}/negotiations/1/timeline")
    kinds = mediator.locator("#timeline tr[data-kind]")
    assert kinds.first.get_attribute("data-kind") == "stance"  # the newest: Russia's stance
    assert "Russia accepts" in kinds.first.inner_text()
    mediator.locator("#timeline-parties a[data-party=ru]").click()
    mediator.wait_for_url(f"{base_url}/negotiations/1/timeline?party=ru")
    story = mediator.locator("#timeline").inner_text()
    assert "Meeting 1" in story and "Russia accepts" in story and "Ukraine rejects" not in story
    screenshot(mediator, "timeline.png")

    # The new delegate logs in with the one-time password, which is for that login only:
    # the account page asks for a password of their own before anything else.
    olena = open_page(browser, contexts)
    olena.goto(f"{base_url}/login")
    olena.fill("#username", name)
    olena.fill("#password", password)
    olena.click("button[type=submit]")
    olena.wait_for_url(f"{base_url}/account#password")
    assert "for your first login only" in olena.locator("#must-change-password").inner_text()
    olena.goto(f"{base_url}/negotiations/1/timeline")
    olena.wait_for_url(f"{base_url}/account#password")
    olena.fill("#current-password", password)
    olena.fill("#new-password", "olena's own long passphrase")
    with olena.expect_navigation():
        olena.click("#password button[type=submit]")
    assert olena.locator("#must-change-password").count() == 0
    # Then she sees Ukraine's story only.
    olena.goto(f"{base_url}/negotiations/1/timeline")
    story = olena.locator("#timeline").inner_text()
    assert "Ukraine rejects" in story and "Russia accepts" not in story
    assert "Meeting 1" in story  # the meeting log is public
    olena.goto(f"{base_url}/negotiations/1/people")
    assert olena.locator("h1").inner_text() == "Not allowed"
