"""Setting a negotiation up in a real browser (Debian's Chromium via Playwright, a live
server on SQLite): a blank agenda filled in the editor, a refused edit explained beside its
form, parties seated, the rule set, the history and a diff read; then an upload of GENIUS
files and a copy."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from accord.ledger import Database
from accord.ledger.models import User
from browser_server import require_chromium, running_server
from web_world import PASSWORD, seed

DATA = Path(__file__).parent / "data"
SCREENSHOT_DIR = os.environ.get("ACCORD_SCREENSHOT_DIR")


@pytest.fixture(scope="module")
def setup_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server whose mediator may create negotiations."""
    require_chromium()
    world = seed(f"sqlite:///{tmp_path_factory.mktemp('setup') / 'ledger.db'}")
    database = Database(world.database_url)
    with database.transaction() as session:
        mediator = session.scalar(select(User).where(User.username == "mediator"))
        assert mediator is not None
        mediator.can_create_negotiations = True
    database.dispose()
    with running_server(world.database_url) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", "mediator")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/negotiations")


def submit(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_blank_negotiation_is_set_up_in_the_editor(
    page: Page, setup_url: str, tmp_path: Path
) -> None:
    log_in(page, setup_url)
    page.click("text=Set up a negotiation")
    page.wait_for_url(f"{setup_url}/negotiations/new")
    page.fill("#blank-id", "camp-david")
    page.fill("#blank-title", "Camp David 1978")
    submit(page, "#blank button[type=submit]")
    assert page.url.endswith("/agenda")
    assert "the agenda has no points yet" in page.locator("#pending").inner_text()
    agenda = page.url

    page.click("#new-block summary")
    page.fill("#new-block-id", "sinai")
    page.fill("#new-block-title", "The Sinai")
    submit(page, "#new-block button[type=submit]")
    assert "Agenda version 2 recorded." in page.locator(".notice[role=status]").inner_text()

    page.fill("#new-point-id", "withdrawal")
    page.fill("#new-point-number", "1")
    page.fill("#new-point-title", "Israeli withdrawal from the Sinai")
    page.select_option("#new-point-block", "sinai")
    page.fill("#new-point-option-id", "full")
    page.fill("#new-point-option-label", "Full withdrawal")
    page.fill("#new-point-text", "Israel withdraws its forces from the Sinai.")
    submit(page, "#new-point button[type=submit]")
    point = page.locator("#point-withdrawal")
    assert "1. Israeli withdrawal from the Sinai" in point.locator("summary").inner_text()

    # A point and its options are edited on the point's own page.
    page.click("#point-withdrawal summary")
    submit(page, "#point-withdrawal a.edit")
    assert page.url.endswith("/agenda/points/withdrawal")
    page.fill("#new-option-withdrawal input[name=id]", "phased")
    page.fill("#new-option-withdrawal input[name=label]", "Phased over three years")
    page.fill("#new-option-withdrawal input[name=value]", "3")
    submit(page, "#new-option-withdrawal button[type=submit]")
    assert "Agenda version 4 recorded." in page.locator(".notice[role=status]").inner_text()
    # One form per option; its buttons say what to do: move the new option up.
    submit(page, "#option-withdrawal-phased button[value=up]")
    options = page.locator("#options tbody tr")
    assert options.first.get_attribute("id") == "option-withdrawal-phased"
    assert page.locator("#option-withdrawal-phased input[name=value]").input_value() == "3"

    # A bad number: the validator's message appears beside the point's own form.
    page.fill("#point-withdrawal-number", "seven")
    submit(page, "#point-withdrawal button:text('Save point')")
    alert = page.locator('#point-withdrawal [data-errors-for="point-withdrawal"]')
    assert "issues.withdrawal.number: Input should be a valid integer" in alert.inner_text()
    assert page.locator("#point-withdrawal-number").input_value() == "seven"

    # Parties are seated on the Parties page; the rule is set back in the editor.
    page.get_by_role("link", name="Parties", exact=True).first.click()
    for key, name in (("egypt", "Egypt"), ("israel", "Israel")):
        page.fill("form[action$='/parties'] input[name=key]", key)
        page.fill("form[action$='/parties'] input[name=name]", name)
        submit(page, "form[action$='/parties'] button[type=submit]")
    page.goto(agenda)
    page.select_option("#agreement-kind", "quorum")
    page.fill("#agreement-min", "2")
    page.fill("#agreement-veto", "egypt")
    submit(page, "#agreement button[type=submit]")
    assert "A quorum of 2 voters" in page.locator("#agreement").inner_text()
    assert "veto: egypt" in page.locator("#agreement").inner_text()

    page.click("text=History of the agenda")
    versions = page.locator("#versions tbody tr")
    assert versions.count() == 5
    assert "its options were reordered" in versions.first.inner_text()
    assert "gained an option 'phased' (Phased over three years)" in versions.nth(1).inner_text()
    page.click("text=difference with version 3")
    assert "gained an option 'phased'" in page.locator("#agenda-diff").inner_text()
    shots = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path
    page.goto(agenda)
    page.screenshot(path=str(shots / "agenda-editor.png"), full_page=True)


def test_a_negotiation_from_genius_files_and_a_copy(page: Page, setup_url: str) -> None:
    log_in(page, setup_url)
    page.goto(f"{setup_url}/negotiations/new")
    page.set_input_files(
        "#upload-files", [str(path) for path in sorted((DATA / "genius/lenient").iterdir())]
    )
    submit(page, "#upload button[type=submit]")
    warnings = page.locator("#import-warnings").inner_text()
    assert "phone_buyer.xml:10:35: repaired" in warnings
    page.click("text=Go to the agenda")
    assert page.locator("#points details.point").count() == 2

    page.goto(f"{setup_url}/negotiations/new")
    page.select_option("#copy-source", "1")
    page.fill("#copy-id", "plan-copy")
    page.fill("#copy-title", "The plan, second round")
    submit(page, "#copy button[type=submit]")
    assert page.locator("#points details.point").count() == 27
    page.click("text=History of the agenda")
    assert "copied from negotiation 1 (agenda version 1)" in page.locator("#versions").inner_text()
