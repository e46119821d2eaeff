"""The preferences form in a real browser: Debian's Chromium, Playwright, a live server.

Ukraine's delegate opens its form from the parties page, moves a weight's slider, adds a red
line on the best option of Donetsk and sees the live preview's best package change, saves
and reloads; Russia's delegate finds no such page. No script or style breaks the Content
Security Policy on the way.
"""

from __future__ import annotations

import os

from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from web_world import PASSWORD

URL = "/negotiations/1/parties/ua/preferences"
SCREENSHOT_DIR = os.environ.get("ACCORD_SCREENSHOT_DIR")
BEST_DONETSK = "#preview-packages tr[data-issue=donetsk] td[data-column=best]"


def new_page(browser: Browser, base_url: str, username: str, errors: list[str]) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(30_000)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/negotiations")
    return page


def test_a_delegate_fills_in_the_form_previews_and_saves(browser: Browser, base_url: str) -> None:
    errors: list[str] = []
    ukraine = new_page(browser, base_url, "ua-delegate", errors)
    ukraine.goto(f"{base_url}/negotiations/1/parties")
    ukraine.get_by_role("link", name="Edit Ukraine's preferences").click()
    ukraine.wait_for_url(base_url + URL)
    expect(ukraine.locator("#preview-status")).to_have_attribute("data-status", "ready")
    expect(ukraine.locator(BEST_DONETSK)).to_have_text("Line of contact (current situation)")

    # The slider and the number move together; the shares and the sum follow.
    slider = ukraine.locator("input[data-slider-for='weight:donetsk']")
    expect(slider).to_be_visible()
    slider.fill("20")
    expect(ukraine.locator("input[name='weight:donetsk']")).to_have_value("20")
    expect(ukraine.locator("#weight-sum")).to_have_text("The weights sum to 119.")
    ukraine.get_by_label("By distributing").check()
    expect(ukraine.locator("#weight-sum")).to_have_text(
        "The weights sum to 119; expected 100 (take away 19)."
    )
    expect(slider).to_be_hidden()
    expect(ukraine.locator("[data-problem-for=weights]")).to_contain_text(
        "the points sum to 119, expected 100"
    )
    ukraine.get_by_label("With sliders").check()

    # A red line on the best option of Donetsk: the best package changes as it is chosen.
    ukraine.get_by_role("button", name="Add a red line").click()
    row = ukraine.locator("tbody[data-rows=red_line] tr").last
    # The point first, then its option (filled in from the page's one list of options).
    row.locator("select[data-point-choice]").select_option("donetsk")
    row.locator("select[data-option-choice]").select_option("donetsk:line-of-contact")
    expect(row.locator("[data-chosen] input:checked")).to_have_value("donetsk:line-of-contact")
    expect(row.locator("[data-meaning]")).to_contain_text("Line of contact (current situation);")
    expect(row.locator("input[data-option-entry]")).to_be_hidden()
    row.locator("input[name$='-label']").fill("keep a buffer")
    expect(ukraine.locator(BEST_DONETSK)).to_have_text(
        "Demilitarised zone on both sides of the line; Ukrainian administration stays"
    )
    expect(ukraine.locator("#preview-status")).to_have_attribute("data-status", "ready")
    if SCREENSHOT_DIR:
        ukraine.screenshot(path=f"{SCREENSHOT_DIR}/preferences-form.png", full_page=True)

    ukraine.get_by_role("button", name="Save Ukraine's preferences").click()
    ukraine.wait_for_url(base_url + URL + "?saved=1")
    expect(ukraine.locator(".notice")).to_have_text("Saved Ukraine's preferences.")
    ukraine.reload()
    expect(ukraine.locator("input[name='weight:donetsk']")).to_have_value("20")
    labels = ukraine.locator("tbody[data-rows=red_line] input[name$='-label']")
    values = labels.evaluate_all("all => all.map(input => input.value)")
    assert "keep a buffer" in values
    expect(ukraine.locator(BEST_DONETSK)).to_have_text(
        "Demilitarised zone on both sides of the line; Ukrainian administration stays"
    )

    russia = new_page(browser, base_url, "ru-delegate", errors)
    russia.goto(base_url + URL)
    assert russia.locator("h1").inner_text() == "Not found"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    for page in (ukraine, russia):
        page.context.close()
