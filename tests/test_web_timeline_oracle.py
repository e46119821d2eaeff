"""The timeline's keys against a brute-force oracle, and a page's cost against the history.

A seeded random history of every kind of record, with many records sharing a time (so
that pages end inside runs of equal times), is read page by page by
:func:`accord.web.timeline.page` for every viewer and every filter, on SQLite and
PostgreSQL, and compared with the same story computed in Python from every record with
the visibility rules written out again here: the same entries, in the same order, each
exactly once.

The cost: SQLite's virtual machine steps for a page hardly move when the history of the
indexed kinds (meetings, stances, party events) grows fourfold, where sorting them whole
would grow with it.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from accord.ledger import Database
from accord.ledger.models import (
    AgreementChange,
    Distribution,
    Draft,
    DraftVersion,
    Meeting,
    MeetingAttendance,
    Party,
    PartyEvent,
    Stance,
    User,
)
from accord.web import timeline
from accord.web.charts import block_ids
from accord.web.deps import NegotiationAccess, negotiation_access
from accord.web.pages.common import public_agenda
from web_world import USERS, seed

START = datetime(2025, 12, 1, tzinfo=UTC)
TIMES = [START + timedelta(hours=hour) for hour in range(12)]  # few times: many ties


@dataclass(frozen=True)
class Story:
    """Every record of the history, as the oracle reads it."""

    meetings: list[tuple[int, datetime, set[int], list[str]]]  # id, held, attendees, blocks
    versions: list[tuple[int, datetime, int | None, set[str]]]  # id, at, author, points
    distributions: list[tuple[int, datetime, int, int]]  # id, at, version id, party id
    stances: list[tuple[int, datetime, int, str]]  # id, at, party id, point
    party_events: list[tuple[int, datetime, int]]  # id, at, party id
    agreement_changes: list[tuple[int, datetime]]  # id, at


def add_history(session: Session, rng: random.Random, scale: int) -> None:
    """``scale`` times a mix of every kind of record, at random times among a few."""
    parties = list(session.scalars(select(Party).where(Party.negotiation_id == 1)))
    agenda = public_agenda(parties[0].negotiation)
    blocks = [block_id for block_id, _ in block_ids(agenda)]
    points = [issue.id for issue in agenda.issues]
    meetings = session.scalars(select(Meeting.number).where(Meeting.negotiation_id == 1))
    number = max(meetings, default=0)
    for _ in range(6 * scale):
        number += 1
        meeting = Meeting(
            negotiation_id=1,
            number=number,
            held_at=rng.choice(TIMES),
            duration_minutes=60,
            blocks=rng.sample(blocks, rng.randrange(len(blocks) + 1)),
        )
        session.add(meeting)
        session.flush()
        for party in rng.sample(parties, rng.randrange(len(parties) + 1)):
            session.add(MeetingAttendance(meeting_id=meeting.id, party_id=party.id))
    drafts = [Draft(negotiation_id=1, title="Mediator's text")] + [
        Draft(negotiation_id=1, title=f"{party.key}'s counter-draft", party_id=party.id)
        for party in parties[:2]
    ]
    session.add_all(drafts)
    session.flush()
    versions = []
    for index in range(4 * scale):
        draft = rng.choice(drafts)
        version = DraftVersion(
            draft_id=draft.id,
            number=len([v for v in versions if v.draft_id == draft.id]) + 1,
            package={point: "x" for point in rng.sample(points, rng.randrange(1, 4))},
            created_at=rng.choice(TIMES),
            previous_hash="",
            hash=f"{scale}-{index}-{rng.random()}",
        )
        versions.append(version)
        session.add(version)
        session.flush()
    sent = rng.sample([(v.id, p.id) for v in versions for p in parties], 3 * scale)
    for version_id, party_id in sent:
        session.add(
            Distribution(version_id=version_id, party_id=party_id, sent_at=rng.choice(TIMES))
        )
    for _ in range(10 * scale):
        session.add(
            Stance(
                negotiation_id=1,
                party_id=rng.choice(parties).id,
                issue=rng.choice(points),
                stance=rng.choice(("accepts", "rejects", "conditional")),
                recorded_at=rng.choice(TIMES),
            )
        )
    for _ in range(2 * scale):
        session.add(
            PartyEvent(
                negotiation_id=1,
                party_id=rng.choice(parties).id,
                kind="role_changed",
                role="negotiator",
                at=rng.choice(TIMES),
            )
        )
        session.add(AgreementChange(negotiation_id=1, agreement={}, at=rng.choice(TIMES)))


def read_story(session: Session) -> Story:
    attendance: dict[int, set[int]] = {}
    for meeting_id, party_id in session.execute(select(MeetingAttendance.__table__)):
        attendance.setdefault(meeting_id, set()).add(party_id)
    return Story(
        meetings=[
            (m.id, m.held_at, attendance.get(m.id, set()), m.blocks)
            for m in session.scalars(select(Meeting).where(Meeting.negotiation_id == 1))
        ],
        versions=[
            (v.id, v.created_at, v.draft.party_id, set(v.package))
            for v in session.scalars(select(DraftVersion))
        ],
        distributions=[
            (d.id, d.sent_at, d.version_id, d.party_id)
            for d in session.scalars(select(Distribution))
        ],
        stances=[
            (s.id, s.recorded_at, s.party_id, s.issue) for s in session.scalars(select(Stance))
        ],
        party_events=[(e.id, e.at, e.party_id) for e in session.scalars(select(PartyEvent))],
        agreement_changes=[(c.id, c.at) for c in session.scalars(select(AgreementChange))],
    )


def oracle(story: Story, access: NegotiationAccess, filters: timeline.Filters) -> list[Any]:
    """The timeline's keys, newest first, from every record and the rules of visibility."""
    viewer = None if access.party is None else access.party.id
    wanted = None if filters.party is None else filters.party.id
    block, issues = filters.block, set(filters.block_issues)
    every = [party.id for party in access.negotiation.parties]
    readable = every if access.is_mediator else ([] if viewer is None else [viewer])
    readable = [party for party in readable if wanted in (None, party)]
    sent_to: dict[int, set[int]] = {}
    for _, _, version_id, party_id in story.distributions:
        sent_to.setdefault(version_id, set()).add(party_id)
    packages = {version_id: points for version_id, _, _, points in story.versions}

    def may_read(party: int | None, version_id: int, author: int | None) -> bool:
        return party is not None and (author == party or party in sent_to.get(version_id, ()))

    keys: list[tuple[datetime, int, int]] = []
    for key, at, attendees, blocks in story.meetings:
        if (wanted is None or wanted in attendees) and (block is None or block in blocks):
            keys.append((at, 0, key))
    for key, at, author, points in story.versions:
        seen = access.is_mediator or may_read(viewer, key, author)
        if wanted is not None:
            seen = seen and access.can_see_party(filters.party.key)  # type: ignore[union-attr]
            seen = seen and may_read(wanted, key, author)
        if seen and (block is None or points & issues):
            keys.append((at, 1, key))
    for key, at, version_id, party_id in story.distributions:
        if party_id in readable and (block is None or packages[version_id] & issues):
            keys.append((at, 2, key))
    for key, at, party_id, point in story.stances:
        if party_id in readable and (block is None or point in issues):
            keys.append((at, 3, key))
    for key, at, party_id in story.party_events:
        if block is None and wanted in (None, party_id):
            keys.append((at, 4, key))
    for key, at in story.agreement_changes:
        if block is None and wanted is None:
            keys.append((at, 5, key))
    return sorted(keys, reverse=True)


def access_of(session: Session, username: str) -> NegotiationAccess:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return negotiation_access(1, user, session)


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Iterator[Database]:
    """The seeded peace plan on SQLite (the VM-step count is SQLite's)."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    seed(url)
    database = Database(url)
    yield database
    database.dispose()


def every_filter(session: Session) -> list[timeline.Filters]:
    negotiation = session.get(Party, 1).negotiation  # type: ignore[union-attr]
    agenda = public_agenda(negotiation)
    parties = [None, *sorted(negotiation.parties, key=lambda party: party.id)[:3]]
    blocks = [None, *(block_id for block_id, _ in block_ids(agenda))]
    filters = []
    for party in parties:
        for block in blocks:
            wanted = None if block == "other" else block
            issues = tuple(issue.id for issue in agenda.issues if issue.block == wanted)
            filters.append(timeline.Filters(party, block, issues if block else ()))
    return filters


def walk(session: Session, access: NegotiationAccess, filters: timeline.Filters) -> list[Any]:
    """Every page of the timeline, 7 entries at a time, as keys."""
    keys: list[Any] = []
    cursor = None
    while True:
        entries, cursor = timeline.page(session, access, filters, cursor, 7)
        keys += [(entry.at, timeline.KINDS.index(entry.kind), entry.id) for entry in entries]
        assert all(entry.record.id == entry.id for entry in entries)
        if cursor is None:
            return keys


def test_every_viewer_and_filter_pages_through_exactly_the_oracle(database_url: str) -> None:
    seed(database_url)
    database = Database(database_url)
    try:
        with database.transaction() as session:
            add_history(session, random.Random(12), 3)
        with database.session() as session:
            story = read_story(session)
            filters = every_filter(session)
            checked = 0
            for username in USERS:
                access = access_of(session, username)
                for wanted in filters:
                    expected = oracle(story, access, wanted)
                    assert walk(session, access, wanted) == expected, (username, wanted)
                    checked += len(expected)
            assert checked > 1000  # the history is not empty for most viewers and filters
    finally:
        database.dispose()


def steps_of_a_page(database: Database) -> int:
    """SQLite's virtual-machine steps (in hundreds) for the mediator's first page."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    def watch(connection: sqlite3.Connection, _record: Any) -> None:
        connection.set_progress_handler(count, 100)

    event.listen(database.engine, "connect", watch)
    database.engine.dispose()  # new connections, watched
    try:
        with database.session() as session:
            access = access_of(session, "mediator")
            access.negotiation.parties  # noqa: B018  (loaded before counting)
            steps = 0
            timeline.page(session, access, timeline.Filters(), None, 100)
            return steps
    finally:
        event.remove(database.engine, "connect", watch)


def test_a_page_costs_the_same_however_long_the_history(sqlite_ledger: Database) -> None:
    database = sqlite_ledger
    rng = random.Random(3)

    def grow(times: int) -> None:
        with database.transaction() as session:
            parties = list(session.scalars(select(Party).where(Party.negotiation_id == 1)))
            number = max(session.scalars(select(Meeting.number)), default=0)
            for index in range(times * 100):
                at = START + timedelta(minutes=rng.randrange(100_000))
                session.add(
                    Meeting(
                        negotiation_id=1,
                        number=number + index + 1,
                        held_at=at,
                        duration_minutes=30,
                        blocks=[],
                    )
                )
                party = rng.choice(parties).id
                session.add(
                    Stance(
                        negotiation_id=1,
                        party_id=party,
                        issue="donetsk",
                        stance="accepts",
                        recorded_at=at,
                    )
                )
                session.add(
                    PartyEvent(
                        negotiation_id=1,
                        party_id=party,
                        kind="joined",
                        role="negotiator",
                        at=at,
                    )
                )

    grow(5)
    small = steps_of_a_page(database)
    grow(15)
    large = steps_of_a_page(database)
    # 500 then 2,000 of each: a page that sorted them whole would cost about 4 times more.
    assert large < 1.3 * small, (small, large)


def test_the_page_statement_is_built_once_per_shape(sqlite_ledger: Database) -> None:
    with sqlite_ledger.session() as session:
        access = access_of(session, "mediator")
        timeline.page(session, access, timeline.Filters(), None, 100)
        before = timeline._statement.cache_info()
        cursor = timeline.Cursor(START, 3, 1)
        timeline.page(session, access, timeline.Filters(), cursor, 10)
        after = timeline._statement.cache_info()
        assert (after.hits, after.misses) == (before.hits + 1, before.misses)
