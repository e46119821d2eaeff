"""The meeting log and the history of the table come 100 at a time, newest first, and
paging through them shows every record exactly once (the ledger of both is built here;
tests/test_web_pages_parties.py reads the table's history)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from accord.ledger import Database
from accord.ledger.meetings import record_meeting
from accord.ledger.negotiations import change_role, get_negotiation, get_party
from accord.web.app import create_app
from web_world import log_in, seed

MEETINGS, ROLE_CHANGES = 230, 210


@pytest.fixture(scope="module")
def observer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('log') / 'ledger.db'}"
    seed(url)
    database = Database(url)
    with database.transaction() as session:
        negotiation = get_negotiation(session, 1)
        start = datetime(2025, 1, 1, tzinfo=UTC)
        for number in range(1, MEETINGS + 1):
            record_meeting(session, negotiation, start + timedelta(days=number), 60, [], [])
        outside = get_party(session, negotiation, "eu")
        for change in range(ROLE_CHANGES):
            role = "observer" if change % 2 else "negotiator"
            change_role(session, outside, role, None, note=f"change {change:03d}")
    database.dispose()
    app = create_app(url)
    client = TestClient(app)
    assert log_in(client, "observer").status_code == 303
    yield client
    client.close()
    app.state.database.dispose()


def pages(client: TestClient, url: str, pattern: str) -> list[list[str]]:
    """What ``pattern`` finds on each page, following the 'older' links to the end."""
    found = []
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.text
        found.append(re.findall(pattern, page.text))
        older = re.search(r'id="older" href="([^"#]+)', page.text)
        url = older.group(1) if older else ""
    return found


def test_the_meeting_log_pages_newest_first(observer: TestClient) -> None:
    found = pages(observer, "/negotiations/1/meetings", r'id="meeting-(\d+)"')
    assert [len(page) for page in found] == [100, 100, 30]
    numbers = [int(number) for page in found for number in page]
    assert numbers == list(range(MEETINGS, 0, -1))


def test_a_page_number_out_of_range_is_refused(observer: TestClient) -> None:
    for before in ("0", "x", str(2**31)):
        assert observer.get(f"/negotiations/1/meetings?before={before}").status_code == 422
