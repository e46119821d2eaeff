"""Preferences by questions in a real browser: Debian's Chromium, Playwright, a live server.

Ukraine's delegate picks three points, answers every question the page asks (as a scripted
delegate whose part-worths are known) and saves. The mediator then reads the saved
weights on the parties page; Russia's delegate finds neither the page nor the result.
"""

from __future__ import annotations

import json
import os

from playwright.sync_api import Browser, Page

from accord.scenario.loader import load_scenario
from web_world import PASSWORD, PEACE_PLAN

POINTS = ("sovereignty", "ceasefire", "donetsk")
URL = "/negotiations/1/parties/ua/elicitation"
SCREENSHOT_DIR = os.environ.get("ACCORD_SCREENSHOT_DIR")


def new_page(browser: Browser, base_url: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/negotiations")
    return page


def worths() -> dict[tuple[str, str], float]:
    """(point title, option label) -> part-worth: later options better, Donetsk counts 3x."""
    scenario = load_scenario(PEACE_PLAN)
    table: dict[tuple[str, str], float] = {}
    for issue_id in POINTS:
        issue = scenario.issue(issue_id)
        scale = 3.0 if issue_id == "donetsk" else 1.0
        for rank, option in enumerate(issue.options):
            table[(issue.title or issue.id, option.label or option.id)] = scale * rank
    return table


def test_a_delegate_answers_the_questions_and_saves(browser: Browser, base_url: str) -> None:
    ukraine = new_page(browser, base_url, "ua-delegate")
    ukraine.goto(base_url + URL)
    for box in ukraine.locator("input[name=point]").all():
        if box.get_attribute("value") not in POINTS:
            box.uncheck()
    ukraine.get_by_role("button", name="Start the questions").click()
    table = worths()
    asked = 0
    while ukraine.get_by_role("button", name="I prefer the first").count():
        remaining = ukraine.locator("#remaining").inner_text()
        assert remaining.startswith("At most ")
        rows = ukraine.locator("#question tbody tr").all()
        sides = {"first": 0.0, "second": 0.0}
        for row in rows:
            title = row.locator("td").first.inner_text()
            for side in sides:
                sides[side] += table[(title, row.locator(f"td[data-side={side}]").inner_text())]
        name = (
            "I prefer the first"
            if sides["first"] > sides["second"]
            else "I prefer the second"
            if sides["second"] > sides["first"]
            else "They are equally good"
        )
        if SCREENSHOT_DIR and asked == 6:
            ukraine.screenshot(path=f"{SCREENSHOT_DIR}/elicitation-question.png", full_page=True)
        ukraine.get_by_role("button", name=name).click()
        ukraine.wait_for_load_state()
        asked += 1
        assert asked < 60
    assert "No question left" in ukraine.locator("#question").inner_text()
    assert "Your answers are consistent" in ukraine.locator("#consistency").inner_text()
    ukraine.get_by_role("button", name="Save as Ukraine's preferences").click()
    ukraine.wait_for_url(f"{base_url}/negotiations/1/parties#preferences-ua")

    mediator = new_page(browser, base_url, "mediator")
    mediator.goto(f"{base_url}/negotiations/1/parties/ua/preferences")
    saved = json.loads(mediator.locator("#expert textarea").input_value())
    weights = saved["weights"]
    assert weights["donetsk"] > weights["ceasefire"] > 0
    assert weights["amnesty"] == 0
    assert saved["reservation"] == 0.55  # kept from the preferences saved before

    russia = new_page(browser, base_url, "ru-delegate")
    russia.goto(base_url + URL)
    assert russia.locator("h1").inner_text() == "Not found"
    russia.goto(f"{base_url}/negotiations/1/parties")
    assert russia.locator("#preferences-ua").count() == 0
    sections = russia.locator("section[id^=preferences-]")
    assert sections.evaluate_all("all => all.map(s => s.id)") == ["preferences-ru"]
    for page in (ukraine, mediator, russia):
        page.context.close()
