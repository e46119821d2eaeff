"""The dashboard and the stances page do not grow with the history (SQLite and PostgreSQL).

Their cost is fixed by what they show, not by how much was recorded: the same SQL
statements, and the same number of stance rows read, at 150 stances as at 2,000 (the
current stance per point is read with one grouped query; the history one page at a
time), and paging through the history shows every stance exactly once, newest first.
The current stances match a fold of the whole history.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from accord.ledger import Database
from accord.ledger.models import Stance
from accord.ledger.negotiations import get_negotiation, get_party
from accord.ledger.stances import current_stances, record_stance, stance_history
from accord.web.app import create_app
from accord.web.pages.dashboard import STANCES_PER_PAGE
from web_world import log_in, seed

ISSUES = ("donetsk", "ceasefire", "znpp", "amnesty", "sovereignty")
PARTIES = ("ua", "ru", "us")
SMALL, LARGE = 150, 2000


def add_stances(database_url: str, start: int, stop: int) -> None:
    """Conditional stances numbered ``start`` .. ``stop - 1``, over parties and points."""
    database = Database(database_url)
    try:
        with database.transaction() as session:
            negotiation = get_negotiation(session, 1)
            parties = [get_party(session, negotiation, key) for key in PARTIES]
            for number in range(start, stop):
                party = parties[number % len(parties)]
                issue = ISSUES[(number // len(parties)) % len(ISSUES)]
                record_stance(session, negotiation, party, issue, "conditional", f"c{number}.")
    finally:
        database.dispose()


@pytest.fixture
def mediator(database_url: str) -> Iterator[tuple[TestClient, list[str]]]:
    """A logged-in mediator and the SQL statements the app sends (the list fills as it goes)."""
    seed(database_url)
    app = create_app(database_url)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(app.state.database.engine, "before_cursor_execute", count)
    with TestClient(app) as client:
        assert log_in(client, "mediator").status_code == 303
        yield client, statements
    app.state.database.dispose()


def cost_of(client: TestClient, statements: list[str], path: str) -> tuple[int, int]:
    """SQL statements sent and stance rows read to answer ``path``."""
    statements.clear()
    loaded: list[int] = []

    def count(target: Stance, context: Any) -> None:
        loaded.append(target.id)

    event.listen(Stance, "load", count)
    try:
        response = client.get(path)
    finally:
        event.remove(Stance, "load", count)
    assert response.status_code == 200, response.text[:300]
    return len(statements), len(loaded)


def test_pages_cost_the_same_whatever_the_history(
    database_url: str, mediator: tuple[TestClient, list[str]]
) -> None:
    client, statements = mediator
    add_stances(database_url, 0, SMALL)
    before = {path: cost_of(client, statements, path) for path in PAGES}
    add_stances(database_url, SMALL, LARGE)
    after = {path: cost_of(client, statements, path) for path in PAGES}
    assert after == before


PAGES = ("/negotiations/1", "/negotiations/1/stances", "/negotiations/1/stances?before=1500")


def test_paging_shows_every_stance_once_newest_first(
    database_url: str, mediator: tuple[TestClient, list[str]]
) -> None:
    client, _ = mediator
    count = 3 * STANCES_PER_PAGE + 7
    add_stances(database_url, 0, count)
    seen: list[int] = []
    path: str | None = "/negotiations/1/stances"
    pages = 0
    while path is not None:
        page = client.get(path).text
        numbers = [int(found) for found in re.findall(r"<td>c(\d+)\.</td>", page)]
        assert len(numbers) == (STANCES_PER_PAGE if pages < 3 else 7)
        seen += numbers
        older = re.search(r'<a id="older" href="([^"]+)"', page)
        path = older.group(1) if older else None
        pages += 1
    assert seen == list(reversed(range(count)))
    # The API pages through the same history, oldest first.
    api: list[str] = []
    for offset in range(0, count, 150):
        rows = client.get(f"/api/negotiations/1/stances/history?offset={offset}&limit=150").json()
        api += [row["condition"] for row in rows]
    assert api == [f"c{number}." for number in range(count)]


def test_the_current_stances_are_the_last_of_each_history(database_url: str) -> None:
    seed(database_url)
    add_stances(database_url, 0, 97)
    database = Database(database_url)
    try:
        with database.session() as session:
            negotiation = get_negotiation(session, 1)
            for parties in (None, [get_party(session, negotiation, "ru")], []):
                folded: dict[tuple[str, str], int] = {}
                for row in stance_history(session, negotiation, parties):
                    folded[(row.party.key, row.issue)] = row.id
                current = current_stances(session, negotiation, parties)
                assert {key: row.id for key, row in current.items()} == folded
    finally:
        database.dispose()


def test_the_matrix_heads_its_columns_with_point_numbers_and_titles(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    seed(url)
    database = Database(url)
    with database.transaction() as session:
        negotiation = get_negotiation(session, 1)
        issues = [
            issue | {"number": 21} if issue["id"] == "donetsk" else issue
            for issue in negotiation.agenda["issues"]
        ]
        negotiation.agenda = negotiation.agenda | {"issues": issues}
    database.dispose()
    app = create_app(url)
    with TestClient(app) as client:
        assert log_in(client, "mediator").status_code == 303
        page = client.get("/negotiations/1").text
    app.state.database.dispose()
    heads = dict(
        re.findall(
            r'<th class="point" data-issue="([^"]+)".*?<span class="point-number">([^<]+)', page
        )
    )
    assert heads["donetsk"] == "21"
    assert heads["ceasefire"] == "ceasefire"  # no number: its id
    assert '<span class="point-title">Ceasefire (point 28)</span>' in page
    chart = re.search(r'data-chart="chart-territory">(.*?)</script>', page)
    assert chart
    ticks = json.loads(chart.group(1))["layout"]["xaxis"]["ticktext"]
    assert "21" in ticks and "donetsk" not in ticks and "ceasefire" in ticks
