"""Drafts with words in a real browser (Debian's Chromium, Playwright, a live server).

The mediator issues a draft, amends a point's words, issues the next version with other
words, reads the word-by-word diff, opens the printable view and downloads the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from web_world import PASSWORD

DONETSK_LABEL = "Demilitarised zone on both sides of the line; Ukrainian administration stays"
FIRST = "Частина Донецької області, яку утримує Україна, стає демілітаризованою зоною."
SECOND = (
    "Частина Донецької області, яку утримує Україна, стає демілітаризованою зоною під наглядом ООН."
)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def test_a_version_with_amended_words_is_diffed_printed_and_downloaded(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", "mediator")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/negotiations")
    page.goto(f"{base_url}/negotiations/1/drafts")

    # Choosing an option writes the agenda's wording into the point's box; the author
    # amends it.
    page.click("text=Issue a new draft")
    page.fill("#draft-title", "Territory")
    page.select_option("#point-donetsk", "donetsk=buffer-ua")
    assert page.input_value("#point-text-donetsk") == DONETSK_LABEL
    page.fill("#point-text-donetsk", FIRST)
    # Another option keeps words the author wrote (only the agenda's wording is replaced).
    page.select_option("#point-donetsk", "donetsk=withdrawal")
    assert page.input_value("#point-text-donetsk") == FIRST
    page.select_option("#point-donetsk", "donetsk=buffer-ua")
    page.select_option("#point-ceasefire", "ceasefire=on-signing")
    assert page.input_value("#point-text-ceasefire") == "Ceasefire on signing"
    page.click("text=Issue draft")
    assert page.locator("h1").inner_text() == "Territory, version 1"
    assert page.locator('td[data-text="donetsk"]').inner_text() == FIRST

    # The next version starts from this one's words; the mediator rewords the point.
    page.click("text=Issue the next version")
    assert page.input_value("#next-text-donetsk") == FIRST
    page.fill("#next-text-donetsk", SECOND)
    page.click("text=Issue version 2")
    assert page.locator("h1").inner_text() == "Territory, version 2"

    # The diff marks the words added.
    page.click("text=changes from version 1")
    page.wait_for_url(f"{base_url}/negotiations/1/drafts/1/diff?before=1&after=2")
    words = page.locator('#diff tr.words[data-issue="donetsk"]')
    assert words.locator("ins").all_inner_texts() == ["під наглядом ООН"]
    assert words.locator("del").count() == 0
    assert words.inner_text().endswith("демілітаризованою зоною під наглядом ООН.")
    assert "1 of 2 points changed (1 in their words)" in page.inner_text("main")

    # The printable view: the articles, no navigation; its links vanish on paper.
    page.goto(f"{base_url}/negotiations/1/drafts/1/versions/2")
    page.click("#print-view")
    page.wait_for_url(f"{base_url}/negotiations/1/drafts/1/versions/2/print")
    assert page.locator("nav").count() == 0 and page.locator("form").count() == 0
    assert SECOND in page.inner_text("article")
    assert page.locator(".screen-only").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".screen-only").is_visible()
    page.emulate_media(media="screen")

    # The PDF downloads and holds the Cyrillic article.
    with page.expect_download() as download_info:
        page.click("text=PDF")
    download = download_info.value
    assert download.suggested_filename == "negotiation-1-draft-1-version-2.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert SECOND in text
