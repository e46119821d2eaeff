"""The attack tests' shared parts: Debian's Chromium, and a real server per database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from browser_server import running_server
from web_world import World, seed


@pytest.fixture
def served(database_url: str) -> Iterator[tuple[str, World]]:
    """The peace plan with one user per role, served by uvicorn on a free loopback port, on
    SQLite and on PostgreSQL: the base URL and the seeded world."""
    world = seed(database_url)
    with running_server(database_url) as base:
        yield base, world
