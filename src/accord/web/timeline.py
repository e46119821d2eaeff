"""The story of the talks: meetings, draft versions, distributions, stances, parties coming
and going and the agreement rule changing, in one list, newest first.

Each viewer sees only what the other pages show them (:class:`NegotiationAccess`): the
public record (meetings, the parties' history, the agreement rule) to every member; stances
and distributions of the parties whose private records they may read; the draft versions
they may read (for a delegate, its own party's counter-drafts and the mediator's versions
sent to it). What is hidden is simply absent, as if it did not exist.

The list is read one page at a time: each kind of record is queried newest first for at
most a page's worth after the cursor, and the results are merged, so that a page costs the
same however long the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from accord.ledger.errors import InvalidInput
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
)
from accord.web.deps import NegotiationAccess

KINDS = ("meeting", "version", "distribution", "stance", "party", "agreement")
"""The kinds of entries; between entries of the same time, the later kind comes first."""


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the time, kind and id of its last entry (exclusive)."""

    at: datetime
    kind: int
    id: int

    def text(self) -> str:
        return f"{self.at.isoformat()}~{self.kind}~{self.id}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        wrong = InvalidInput(
            f"before must be a cursor from the timeline's 'older' link, got {text!r}"
        )
        try:
            at, kind, number = text.split("~")
            cursor = cls(datetime.fromisoformat(at), int(kind), int(number))
        except ValueError:
            raise wrong from None
        if cursor.at.tzinfo is None or not 0 <= cursor.kind < len(KINDS):
            raise wrong
        return cursor


@dataclass(frozen=True)
class Entry:
    """One thing that happened, with the record it came from (for the template)."""

    at: datetime
    kind: str
    id: int
    record: Any

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, KINDS.index(self.kind), self.id)


@dataclass(frozen=True)
class Filters:
    """What the viewer asked to see: one party's story, one block's, or both."""

    party: Party | None = None
    block: str | None = None
    block_issues: tuple[str, ...] = ()


def _page_of(
    query: Select[Any],
    at: InstrumentedAttribute[datetime],
    key: InstrumentedAttribute[int],
    kind: int,
    cursor: Cursor | None,
) -> Select[Any]:
    """``query`` newest first, past ``cursor``, in the order of :func:`page`'s merge."""
    if cursor is not None:
        if kind < cursor.kind:
            after: ColumnElement[bool] = at <= cursor.at
        elif kind == cursor.kind:
            after = or_(at < cursor.at, and_(at == cursor.at, key < cursor.id))
        else:
            after = at < cursor.at
        query = query.where(after)
    return query.order_by(at.desc(), key.desc())


def _meetings(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Entry]:
    query = select(Meeting).where(Meeting.negotiation_id == access.negotiation.id)
    if filters.party is not None:
        query = query.where(
            Meeting.id.in_(
                select(MeetingAttendance.meeting_id).where(
                    MeetingAttendance.party_id == filters.party.id
                )
            )
        )
    query = _page_of(query, Meeting.held_at, Meeting.id, 0, cursor)
    found = 0
    # The blocks discussed are a JSON list: filtered here, read in pages until enough.
    result = session.scalars(query.execution_options(yield_per=size))
    try:
        for meeting in result:
            if filters.block is None or filters.block in meeting.blocks:
                yield Entry(meeting.held_at, "meeting", meeting.id, meeting)
                found += 1
                if found >= size:
                    return
    finally:
        result.close()  # a server-side cursor on PostgreSQL: closed, not left to the GC


def _versions(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Entry]:
    query = (
        select(DraftVersion)
        .join(Draft, DraftVersion.draft_id == Draft.id)
        .where(Draft.negotiation_id == access.negotiation.id)
    )
    if filters.party is not None and not access.can_see_party(filters.party.key):
        return  # what was sent to another party is that party's to know
    readers = [] if access.is_mediator else [access.party]
    if filters.party is not None:
        readers.append(filters.party)
    for party in readers:
        if party is None:
            return
        # The versions this party's delegates may read: its counter-drafts and the
        # mediator's versions sent to it (the rule of NegotiationAccess.visible_versions).
        sent = select(Distribution.version_id).where(Distribution.party_id == party.id)
        query = query.where(or_(Draft.party_id == party.id, DraftVersion.id.in_(sent)))
    yield from _touching_block(
        session,
        _page_of(query, DraftVersion.created_at, DraftVersion.id, 1, cursor),
        filters,
        size,
        lambda version: (version.created_at, "version", version.id, version.package),
    )


def _distributions(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Entry]:
    parties = _readable(access, filters)
    if not parties:
        return
    query = select(Distribution).where(Distribution.party_id.in_([p.id for p in parties]))
    yield from _touching_block(
        session,
        _page_of(query, Distribution.sent_at, Distribution.id, 2, cursor),
        filters,
        size,
        lambda row: (row.sent_at, "distribution", row.id, row.version.package),
    )


def _stances(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Entry]:
    parties = _readable(access, filters)
    if not parties:
        return
    query = select(Stance).where(
        Stance.negotiation_id == access.negotiation.id,
        Stance.party_id.in_([p.id for p in parties]),
    )
    if filters.block is not None:
        query = query.where(Stance.issue.in_(filters.block_issues))
    query = _page_of(query, Stance.recorded_at, Stance.id, 3, cursor).limit(size)
    for stance in session.scalars(query):
        yield Entry(stance.recorded_at, "stance", stance.id, stance)


def _party_events(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Entry]:
    if filters.block is not None:  # a party's seat concerns no one block
        return
    query = select(PartyEvent).where(PartyEvent.negotiation_id == access.negotiation.id)
    if filters.party is not None:
        query = query.where(PartyEvent.party_id == filters.party.id)
    query = _page_of(query, PartyEvent.at, PartyEvent.id, 4, cursor).limit(size)
    for party_event in session.scalars(query):
        yield Entry(party_event.at, "party", party_event.id, party_event)


def _agreement_changes(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Entry]:
    if filters.block is not None or filters.party is not None:
        return
    query = select(AgreementChange).where(AgreementChange.negotiation_id == access.negotiation.id)
    query = _page_of(query, AgreementChange.at, AgreementChange.id, 5, cursor).limit(size)
    for change in session.scalars(query):
        yield Entry(change.at, "agreement", change.id, change)


def _readable(access: NegotiationAccess, filters: Filters) -> list[Party]:
    """The parties whose private records (stances, distributions) the page may show."""
    parties = access.private_parties()
    if filters.party is not None:
        parties = [party for party in parties if party.id == filters.party.id]
    return parties


def _touching_block(
    session: Session,
    query: Select[Any],
    filters: Filters,
    size: int,
    describe: Callable[[Any], tuple[datetime, str, int, dict[str, str]]],
) -> Iterator[Entry]:
    """The rows of ``query`` whose package covers a point of the block asked for (all of
    them without a block filter), at most ``size``."""
    wanted = set(filters.block_issues)
    found = 0
    result = session.scalars(query.execution_options(yield_per=size))
    try:
        for row in result:
            at, kind, key, package = describe(row)
            if filters.block is None or wanted.intersection(package):
                yield Entry(at, kind, key, row)
                found += 1
                if found >= size:
                    return
    finally:
        result.close()


SOURCES = (_meetings, _versions, _distributions, _stances, _party_events, _agreement_changes)


def page(
    session: Session,
    access: NegotiationAccess,
    filters: Filters,
    cursor: Cursor | None,
    size: int,
) -> tuple[list[Entry], Cursor | None]:
    """At most ``size`` entries past ``cursor``, newest first, and the cursor of the next
    page (None when this one is the last)."""
    entries = [
        entry for source in SOURCES for entry in source(session, access, filters, cursor, size + 1)
    ]
    entries.sort(key=lambda entry: (entry.at, KINDS.index(entry.kind), entry.id), reverse=True)
    if len(entries) > size:
        return entries[:size], entries[size - 1].cursor
    return entries, None
