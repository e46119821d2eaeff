"""The timeline: the story of the talks, newest first, paginated, filtered by party and
block, and for each viewer exactly what the drafts, stances and parties pages show them.

The oracle of visibility is the other pages themselves: every version on a delegate's
timeline opens for that delegate, and every version that opens for them is on it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.ledger import Database
from accord.ledger.meetings import record_meeting
from accord.ledger.models import Negotiation, Stance
from accord.ledger.negotiations import get_negotiation
from accord.web.app import create_app
from test_web_pages_access import RUSSIA_CONDITION, logged_in_clients
from web_world import USERS, log_in, seed

TIMELINE = "/negotiations/1/timeline"
ROW = re.compile(r'<tr class="entry (\w+)" data-kind="\w+">(.*?)</tr>', re.S)
VERSION_LINK = re.compile(r"/negotiations/1/drafts/(\d+)/versions/(\d+)")


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """The recorded history of the access tests: two stances, the mediator's text (v1 sent
    to Ukraine, v2 to nobody), Ukraine's counter-draft and a meeting."""
    yield from logged_in_clients(tmp_path_factory.mktemp("timeline") / "ledger.db")


def entries(client: TestClient, query: str = "") -> list[tuple[str, str]]:
    response = client.get(TIMELINE + query)
    assert response.status_code == 200, response.text
    # Each row: when, what kind, what (the last cell, with its links).
    return [
        (kind, html.unescape(re.findall(r"<td>(.*?)</td>", row, re.S)[-1]))
        for kind, row in ROW.findall(response.text)
    ]


def kinds(rows: list[tuple[str, str]]) -> list[str]:
    return [kind for kind, _ in rows]


def versions_in(rows: list[tuple[str, str]]) -> set[tuple[str, str]]:
    return {link for kind, text in rows if kind == "version" for link in VERSION_LINK.findall(text)}


def test_the_mediator_sees_the_whole_story_newest_first(clients: dict[str, TestClient]) -> None:
    rows = entries(clients["mediator"])
    assert sorted(set(kinds(rows))) == [
        "agreement",
        "distribution",
        "meeting",
        "party",
        "stance",
        "version",
    ]
    page = clients["mediator"].get(TIMELINE).text
    stamps = [re.findall(r"<td>(.*?)</td>", row)[0] for _, row in ROW.findall(page)]
    assert stamps == sorted(stamps, reverse=True)
    # The meeting was held on 2025-12-02, before anything else was recorded (today).
    assert kinds(rows)[-1] == "meeting"
    assert versions_in(rows) == {("1", "1"), ("1", "2"), ("2", "1")}
    assert any(RUSSIA_CONDITION in text for _, text in rows)
    assert any("Moscow" in text for kind, text in rows if kind == "meeting")


@pytest.mark.parametrize("role", [name for name in USERS if name != "mediator"])
def test_a_member_sees_what_the_other_pages_show_them(
    clients: dict[str, TestClient], role: str
) -> None:
    client = clients[role]
    rows = entries(client)
    shown = versions_in(rows)
    for draft, number in [("1", "1"), ("1", "2"), ("2", "1")]:
        page = client.get(f"/negotiations/1/drafts/{draft}/versions/{number}")
        assert (page.status_code == 200) == ((draft, number) in shown), (role, draft, number)
    stances = [text for kind, text in rows if kind == "stance"]
    sent = [text for kind, text in rows if kind == "distribution"]
    party = {"ua-delegate": "Ukraine", "ru-delegate": "Russia", "observer": None}[role]
    assert all(text.startswith(party or "nobody") for text in stances)
    assert all(text.endswith(f"sent to {party}") for text in sent)
    assert (RUSSIA_CONDITION in " ".join(stances)) == (role == "ru-delegate")
    assert len(sent) == (1 if role == "ua-delegate" else 0)
    # The public record is everyone's.
    assert {"meeting", "party", "agreement"} <= set(kinds(rows))


def test_filters_by_party_and_block(clients: dict[str, TestClient]) -> None:
    mediator = clients["mediator"]
    ukraine = entries(mediator, "?party=ua")
    assert "meeting" not in kinds(ukraine)  # Ukraine did not attend the meeting in Moscow
    assert {"stance", "distribution", "version", "party"} <= set(kinds(ukraine))
    assert all("Russia" not in text for _, text in ukraine)
    assert "meeting" in kinds(entries(mediator, "?party=ru"))
    territory = entries(mediator, "?block=territory")
    assert set(kinds(territory)) <= {"meeting", "version", "distribution", "stance"}
    assert sum(kind == "stance" for kind in kinds(territory)) == 2  # Donetsk and ceasefire
    assert any(RUSSIA_CONDITION in text for _, text in territory)
    # The drafts cover territorial and sovereignty points, the meeting both blocks.
    security = entries(mediator, "?block=sovereignty-security")
    assert "stance" not in kinds(security)
    assert {"meeting", "version", "distribution"} <= set(kinds(security))
    assert "meeting" not in kinds(entries(mediator, "?block=economy"))


def test_a_delegate_filtering_by_another_party_learns_nothing_private(
    clients: dict[str, TestClient],
) -> None:
    rows = entries(clients["ua-delegate"], "?party=ru")
    assert set(kinds(rows)) <= {"meeting", "party"}
    assert entries(clients["ua-delegate"], "?party=ru") == entries(clients["observer"], "?party=ru")


def test_bad_filters_are_named(clients: dict[str, TestClient]) -> None:
    mediator = clients["mediator"]
    block = mediator.get(TIMELINE + "?block=nowhere")
    assert block.status_code == 422 and "unknown block 'nowhere'" in html.unescape(block.text)
    party = mediator.get(TIMELINE + "?party=atlantis")
    assert party.status_code == 404 and "has no party 'atlantis'" in html.unescape(party.text)
    cursor = mediator.get(TIMELINE + "?before=yesterday")
    assert cursor.status_code == 422 and "before must be a cursor" in cursor.text


def test_pages_follow_one_another_without_gaps_or_repeats(tmp_path: Path) -> None:
    clients_iter = logged_in_clients(tmp_path / "ledger.db")
    clients = next(clients_iter)
    mediator = clients["mediator"]
    before = len(entries(mediator))
    assert before < 100
    # 250 stances, seven to a timestamp, so that pages end inside a run of equal times.
    database = Database(mediator.app.state.database.url)  # type: ignore[attr-defined]
    start = datetime(2025, 12, 3, tzinfo=UTC)
    with database.transaction() as session:
        negotiation = session.get(Negotiation, 1)
        assert negotiation is not None
        party = next(p for p in negotiation.parties if p.key == "ua")
        for index in range(250):
            session.add(
                Stance(
                    negotiation_id=1,
                    party_id=party.id,
                    issue="donetsk",
                    stance="conditional",
                    condition=f"marker {index:03d}",
                    recorded_at=start + timedelta(minutes=index // 7),
                )
            )
    database.dispose()
    seen: list[str] = []
    url = TIMELINE
    pages = 0
    while url:
        page = mediator.get(url)
        assert page.status_code == 200
        rows = ROW.findall(page.text)
        assert len(rows) == min(100, before + 250 - len(seen))
        seen.extend(text for _, text in rows)
        older = re.search(r'id="older" href="([^"]+)"', page.text)
        url = html.unescape(older.group(1)) if older else ""
        pages += 1
    assert pages == 3 and len(seen) == before + 250
    markers = [m for text in seen for m in re.findall(r"marker (\d{3})", text)]
    # Newest first: within a minute, the higher id (recorded later) first.
    assert markers == [f"{index:03d}" for index in reversed(range(250))]
    for _ in clients_iter:  # closes the clients
        pass


def test_what_a_delegate_may_not_see_leaves_its_timeline_unchanged(tmp_path: Path) -> None:
    clients_iter = logged_in_clients(tmp_path / "ledger.db")
    clients = next(clients_iter)
    ukraine, mediator = clients["ua-delegate"], clients["mediator"]
    before = {query: ukraine.get(TIMELINE + query).text for query in ("", "?party=ru")}
    # Hidden from Ukraine: Russia's stance, a new version sent to Russia only, and that
    # distribution.
    for url, form in (
        ("/negotiations/1/stances", {"party": "ru", "issue": "znpp", "stance": "rejects"}),
        ("/negotiations/1/drafts/1/versions", {"point": ["donetsk=line-of-contact"]}),
        ("/negotiations/1/drafts/1/versions/3/distribution", {"party": ["ru"]}),
    ):
        response = mediator.post(url, data=form, follow_redirects=False)
        assert response.status_code == 303, response.text
    assert "version 3" in mediator.get(TIMELINE).text
    after = {query: ukraine.get(TIMELINE + query).text for query in before}
    assert after == before
    for _ in clients_iter:  # closes the clients
        pass


def test_the_timeline_pages_on_sqlite_and_postgresql(database_url: str) -> None:
    seed(database_url)
    database = Database(database_url)
    with database.transaction() as session:
        negotiation = get_negotiation(session, 1)
        start = datetime(2025, 12, 1, tzinfo=UTC)
        for number in range(1, 131):
            record_meeting(
                session,
                negotiation,
                start + timedelta(hours=number // 3),
                60,
                ["ua"] if number % 2 else [],
                ["territory"] if number % 3 else [],
            )
    database.dispose()
    app = create_app(database_url)
    with TestClient(app) as client:
        assert log_in(client, "mediator").status_code == 303
        for query, expected in (("", 130), ("?party=ua", 65), ("?block=territory", 87)):
            numbers: list[int] = []
            url = TIMELINE + query
            while url:
                page = client.get(url)
                assert page.status_code == 200, page.text
                numbers += [int(n) for n in re.findall(r">Meeting (\d+)</a>", page.text)]
                older = re.search(r'id="older" href="([^"]+)"', page.text)
                url = html.unescape(older.group(1)) if older else ""
            assert len(numbers) == expected == len(set(numbers)), query
            assert numbers == sorted(numbers, reverse=True)
    app.state.database.dispose()
