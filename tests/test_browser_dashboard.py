"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, on a live server.

The mediator logs in, records a meeting, issues a draft, sends it to two parties, records a
stance and sees the consensus matrix change (the plotly chart's data and the table). A
party's delegate logs in and finds none of the other parties' preferences in what the
browser received.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from web_world import PASSWORD, PRIVATE_MARKERS

# Codes of the heatmap (accord.web.charts): rejects 0, conditional 1, accepts 2, unknown 3.
REJECTS, UNKNOWN = 0, 3
SCREENSHOT_DIR = os.environ.get("ACCORD_SCREENSHOT_DIR")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/negotiations")


def follow(page: Page, link: str, url: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    page.wait_for_url(url)


def heatmap(page: Page, block: str) -> dict[str, object]:
    """What plotly drew for one block: rows, columns (by their tick labels: the points'
    numbers, or their ids where the agenda has none) and stance codes."""
    data: dict[str, object] = page.evaluate(
        """block => {
            const chart = document.getElementById("chart-" + block);
            const trace = chart.data[0], ticks = chart.layout.xaxis.ticktext;
            return {y: trace.y, x: trace.x.map(column => ticks[column]), z: trace.z};
        }""",
        block,
    )
    return data


def test_mediator_records_the_talks_and_sees_the_matrix_change(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    log_in(page, base_url, "mediator")
    page.click("text=Illustrative: the late-2025 27-point peace plan")
    page.wait_for_url(f"{base_url}/negotiations/1")

    # A meeting: the sixth round, five hours, in Moscow.
    follow(page, "Meetings", f"{base_url}/negotiations/1/meetings")
    page.fill("#meeting-held-at", "2025-12-02T10:00")
    page.fill("#meeting-place", "Moscow")
    page.fill("#meeting-hours", "5")
    page.check("input[name=attendee][value=ru]")
    page.check("input[name=attendee][value=us]")
    page.check("input[name=block][value=territory]")
    page.fill("#meeting-notes", "Talks on the territorial block.")
    page.click("text=Record meeting")
    meeting = page.locator("#meeting-1")
    assert "Moscow · 5 h 00 min" in meeting.inner_text()
    assert "Russia, United States" in meeting.inner_text()

    # A partial draft of the territorial block, sent to Ukraine and Russia.
    follow(page, "Drafts", f"{base_url}/negotiations/1/drafts")
    page.click("text=Issue a new draft")
    page.fill("#draft-title", "Territory, first text")
    page.select_option("#point-donetsk", "donetsk=buffer-ua")
    page.select_option("#point-ceasefire", "ceasefire=on-signing")
    page.click("text=Issue draft")
    assert page.locator("h1").inner_text() == "Territory, first text, version 1"
    page.check("#distribution input[value=ua]")
    page.check("#distribution input[value=ru]")
    page.click("text=Send this version")
    received = page.locator("#distribution").inner_text()
    assert "Ukraine," in received and "Russia," in received

    # Ukraine rejects the Donetsk point: the matrix turns red in that cell.
    follow(page, "Dashboard", f"{base_url}/negotiations/1")
    before = heatmap(page, "territory")
    donetsk = before["x"].index("donetsk")  # type: ignore[attr-defined]
    ukraine = before["y"].index("Ukraine")  # type: ignore[attr-defined]
    assert before["z"][ukraine][donetsk] == UNKNOWN  # type: ignore[index]
    assert "Territory, first text, version 1" in page.locator("#current-text").inner_text()
    page.select_option("#stance-party", "ua")
    page.select_option("#stance-issue", "donetsk")
    page.select_option("#stance-kind", "rejects")
    with page.expect_navigation():
        page.click("#record-stance button")
    after = heatmap(page, "territory")
    assert after["z"][ukraine][donetsk] == REJECTS  # type: ignore[index]
    cell = page.locator('#block-territory tr[data-party="ua"] td[data-issue="donetsk"]')
    assert cell.get_attribute("class") == "cell rejects"
    assert "rejected by Ukraine" in page.locator("#block-territory").inner_text()

    shots = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path
    page.screenshot(path=str(shots / "dashboard-mediator.png"), full_page=True)
    follow(page, "Analysis", f"{base_url}/negotiations/1/analysis")
    assert "What blocks a deal" in page.locator("#blockers").inner_text()
    page.wait_for_function("document.getElementById('chart-draft').data !== undefined")
    page.screenshot(path=str(shots / "analysis-mediator.png"), full_page=True)


def test_a_delegate_cannot_see_other_parties_preferences(page: Page, base_url: str) -> None:
    log_in(page, base_url, "ua-delegate")
    others = [m for party, ms in PRIVATE_MARKERS.items() if party != "ua" for m in ms]
    hidden = [marker for marker in others if marker not in PRIVATE_MARKERS["ua"]]
    assert hidden
    for path in ("", "/drafts", "/meetings", "/parties", "/parties/ua/preferences"):
        page.goto(f"{base_url}/negotiations/1{path}")
        received = page.content()
        for marker in hidden:
            assert marker not in received, f"Ukraine's delegate sees {marker!r} on {path}"
    page.goto(f"{base_url}/negotiations/1")
    rows = page.locator("table.matrix tr[data-party]")
    assert {rows.nth(i).get_attribute("data-party") for i in range(rows.count())} == {"ua"}
    assert heatmap(page, "territory")["y"] == ["Ukraine"]
    # Its own preferences are there to read and edit, on their own page.
    page.goto(f"{base_url}/negotiations/1/parties")
    assert page.locator("#preferences-ru").count() == 0
    page.locator("#preferences-ua a", has_text="Edit Ukraine's preferences").click()
    assert "no withdrawal from Donetsk" in page.locator("#expert textarea").input_value()
    page.goto(f"{base_url}/negotiations/1/analysis")
    assert page.locator("h1").inner_text() == "Not allowed"
