"""The story of the talks: meetings, draft versions, distributions, stances, parties coming
and going and the agreement rule changing, in one list, newest first.

Each viewer sees only what the other pages show them (:class:`NegotiationAccess`): the
public record (meetings, the parties' history, the agreement rule) to every member; stances
and distributions of the parties whose private records they may read; the draft versions
they may read (for a delegate, its own party's counter-drafts and the mediator's versions
sent to it). What is hidden is simply absent, as if it did not exist.

The list is read one page at a time, in two steps. First the keys: each kind of record is
queried newest first for at most a page's worth after the cursor, reading only its time
and id (and what a block filter looks at), from an index where the history grows
(stances: ``ix_stances_recorded``); the keys are merged and cut to the page. Then only
the records the page shows are loaded, with what they show (parties, drafts, attendees)
in a few queries rather than one per row. A page costs the same however long the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

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

AnySelect: TypeAlias = Select[*tuple[Any, ...]]
"""A query of any columns (the timeline's queries read keys, not whole records)."""

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
class Key:
    """Where one entry stands in the timeline, before its record is loaded."""

    at: datetime
    kind: int
    id: int


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
    query: AnySelect,
    at: InstrumentedAttribute[datetime],
    key: InstrumentedAttribute[int],
    kind: int,
    cursor: Cursor | None,
) -> AnySelect:
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


def _keys(
    session: Session,
    query: AnySelect,
    kind: int,
    size: int,
    keep: Callable[[Any], bool] | None = None,
) -> Iterator[Key]:
    """The first ``size`` rows ``(at, id, ...)`` of ``query`` that ``keep`` accepts (all
    of them without ``keep``): read in pages of ``size`` until enough."""
    if keep is None:
        for at, key in session.execute(query.limit(size)):
            yield Key(at, kind, key)
        return
    found = 0
    result = session.execute(query.execution_options(yield_per=size))
    try:
        for row in result:
            if keep(row[2]):
                yield Key(row[0], kind, row[1])
                found += 1
                if found >= size:
                    return
    finally:
        result.close()  # a server-side cursor on PostgreSQL: closed, not left to the GC


def _meetings(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Key]:
    block = filters.block
    # The blocks discussed are a JSON list: filtered here, read in pages until enough.
    columns: list[Any] = [Meeting.held_at, Meeting.id] + ([Meeting.blocks] if block else [])
    query = select(*columns).where(Meeting.negotiation_id == access.negotiation.id)
    if filters.party is not None:
        query = query.where(
            Meeting.id.in_(
                select(MeetingAttendance.meeting_id).where(
                    MeetingAttendance.party_id == filters.party.id
                )
            )
        )
    query = _page_of(query, Meeting.held_at, Meeting.id, 0, cursor)
    yield from _keys(session, query, 0, size, None if block is None else lambda b: block in b)


def _versions(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Key]:
    columns: list[Any] = [DraftVersion.created_at, DraftVersion.id]
    if filters.block is not None:
        columns.append(DraftVersion.package)
    query = (
        select(*columns)
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
    query = _page_of(query, DraftVersion.created_at, DraftVersion.id, 1, cursor)
    yield from _keys(session, query, 1, size, _touching_block(filters))


def _distributions(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Key]:
    parties = _readable(access, filters)
    if not parties:
        return
    columns: list[Any] = [Distribution.sent_at, Distribution.id]
    query = select(*columns)
    if filters.block is not None:
        query = query.add_columns(DraftVersion.package).join(
            DraftVersion, Distribution.version_id == DraftVersion.id
        )
    query = query.where(Distribution.party_id.in_([p.id for p in parties]))
    query = _page_of(query, Distribution.sent_at, Distribution.id, 2, cursor)
    yield from _keys(session, query, 2, size, _touching_block(filters))


def _stances(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Key]:
    parties = _readable(access, filters)
    if not parties:
        return
    query = select(Stance.recorded_at, Stance.id).where(
        Stance.negotiation_id == access.negotiation.id,
        Stance.party_id.in_([p.id for p in parties]),
    )
    if filters.block is not None:
        query = query.where(Stance.issue.in_(filters.block_issues))
    yield from _keys(session, _page_of(query, Stance.recorded_at, Stance.id, 3, cursor), 3, size)


def _party_events(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Key]:
    if filters.block is not None:  # a party's seat concerns no one block
        return
    query = select(PartyEvent.at, PartyEvent.id).where(
        PartyEvent.negotiation_id == access.negotiation.id
    )
    if filters.party is not None:
        query = query.where(PartyEvent.party_id == filters.party.id)
    yield from _keys(session, _page_of(query, PartyEvent.at, PartyEvent.id, 4, cursor), 4, size)


def _agreement_changes(
    session: Session, access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int
) -> Iterator[Key]:
    if filters.block is not None or filters.party is not None:
        return
    query = select(AgreementChange.at, AgreementChange.id).where(
        AgreementChange.negotiation_id == access.negotiation.id
    )
    query = _page_of(query, AgreementChange.at, AgreementChange.id, 5, cursor)
    yield from _keys(session, query, 5, size)


def _readable(access: NegotiationAccess, filters: Filters) -> list[Party]:
    """The parties whose private records (stances, distributions) the page may show."""
    parties = access.private_parties()
    if filters.party is not None:
        parties = [party for party in parties if party.id == filters.party.id]
    return parties


def _touching_block(filters: Filters) -> Callable[[dict[str, str]], bool] | None:
    """Whether a package covers a point of the block asked for (None: no block filter)."""
    if filters.block is None:
        return None
    wanted = set(filters.block_issues)
    return lambda package: bool(wanted.intersection(package))


SOURCES = (_meetings, _versions, _distributions, _stances, _party_events, _agreement_changes)

# Parties, drafts and versions are few and mostly in the session already (the page reads
# the negotiation's parties): "selectin" takes them from there and queries only the rest,
# in one query per relationship, where a join would read them again on every row.
_VERSION_SHOWN = selectinload(DraftVersion.draft).selectinload(Draft.party)
RECORDS: tuple[tuple[Any, tuple[LoaderOption, ...]], ...] = (
    (Meeting, (selectinload(Meeting.attendees),)),
    (DraftVersion, (_VERSION_SHOWN,)),
    (
        Distribution,
        (
            selectinload(Distribution.party),
            selectinload(Distribution.version).selectinload(DraftVersion.draft),
        ),
    ),
    (Stance, (selectinload(Stance.party),)),
    (PartyEvent, (selectinload(PartyEvent.party),)),
    (AgreementChange, ()),
)
"""Per kind: the model and what its entries show, loaded with the page's records."""


def _entries(session: Session, keys: list[Key]) -> list[Entry]:
    """The entries of ``keys``, in their order: one query per kind on the page."""
    records: dict[tuple[int, int], Any] = {}
    for kind, (model, options) in enumerate(RECORDS):
        ids = [key.id for key in keys if key.kind == kind]
        if ids:
            query = select(model).where(model.id.in_(ids)).options(*options)
            records.update(((kind, row.id), row) for row in session.scalars(query).unique())
    return [Entry(key.at, KINDS[key.kind], key.id, records[key.kind, key.id]) for key in keys]


def page(
    session: Session,
    access: NegotiationAccess,
    filters: Filters,
    cursor: Cursor | None,
    size: int,
) -> tuple[list[Entry], Cursor | None]:
    """At most ``size`` entries past ``cursor``, newest first, and the cursor of the next
    page (None when this one is the last)."""
    keys = [key for source in SOURCES for key in source(session, access, filters, cursor, size + 1)]
    keys.sort(key=lambda key: (key.at, key.kind, key.id), reverse=True)
    shown = keys[:size]
    older = Cursor(shown[-1].at, shown[-1].kind, shown[-1].id) if len(keys) > size else None
    return _entries(session, shown), older
