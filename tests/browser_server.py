"""A real Accord server (uvicorn, loopback, free port, temp SQLite) and Debian's Chromium.

Shared by the browser tests, whose fixtures ``browser`` (one Chromium per test module) and
``base_url`` (a server on a seeded SQLite ledger) are registered by ``tests/conftest.py``.
Chromium is Debian's package driven by Playwright; the
browsers ``playwright install`` downloads are never used. Without it the tests fail and
name the script that installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.web.in_thread import serving as running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/install-chromium.sh (Debian's chromium "
            "package; the browser tests do not use `playwright install`)",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright, one per test module."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on a SQLite ledger seeded with the peace plan and one user per role."""
    require_chromium()
    from web_world import seed

    world = seed(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'ledger.db'}")
    with running_server(world.database_url) as url:
        yield url
