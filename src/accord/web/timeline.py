"""The story of the talks: meetings, draft versions, distributions, stances, parties coming
and going and the agreement rule changing, in one list, newest first.

Each viewer sees only what the other pages show them (:class:`NegotiationAccess`): the
public record (meetings, the parties' history, the agreement rule) to every member; stances
and distributions of the parties whose private records they may read; the draft versions
they may read (for a delegate, its own party's counter-drafts and the mediator's versions
sent to it). What is hidden is simply absent, as if it did not exist.

The list is read one page at a time, in two steps. First the keys, in one statement:
each kind of record is queried newest first for at most a page's worth after the cursor,
reading only its time and id from an index on (negotiation, time, id) where the history
grows (stances, meetings, party events, rule changes; versions and distributions are
sorted in the database), with the block filter tested in SQL; the database merges them
and returns only the page. The statement is built once per shape of page (viewer and
filters) with bound parameters, so a request only binds values to it. Then only the
records the page shows are loaded, in one query per kind (plain rows where a record shows
nothing but its own columns) and per relationship shown. What a page costs in Python is
fixed by what it shows; in the database, only the sorting of versions and distributions
grows with their number (there is no index on their time across a negotiation's drafts).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeAlias

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

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
    UTCDateTime,
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
    """One thing that happened, with the record it came from (for the template): the
    mapped object where the entry shows related records, else the record's row."""

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


FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)
"""The cursor of the first page: after every entry."""
NO_ID = 2**63 - 1
"""A tie-breaking id above every id."""


def _newest_first(
    query: AnySelect,
    at: InstrumentedAttribute[datetime],
    key: InstrumentedAttribute[int],
    kind: int,
) -> AnySelect:
    """The keys ``(at, kind, id)`` of ``query``'s first ``:size`` rows past the cursor,
    newest first, in the order of :func:`page`'s merge.

    The cursor is ``:before_at`` and, for entries of that very time, ``:tie_<kind>``: the
    ids below it come after the cursor (:func:`_shape_and_parameters` sets it from the cursor's
    kind and id). The range ``at <= :before_at`` is what an index on the time seeks.
    """
    before = bindparam("before_at", type_=UTCDateTime())
    after = and_(at <= before, or_(at < before, key < bindparam(f"tie_{kind}", type_=BigInteger)))
    columns = (at.label("at"), literal(kind, Integer).label("kind"), key.label("id"))
    return (
        query.with_only_columns(*columns, maintain_column_froms=True)
        .where(after)
        .order_by(at.desc(), key.desc())
        .limit(bindparam("size", type_=Integer))
    )


def _json_list_has(dialect: str, column: Any, value: Any) -> ColumnElement[bool]:
    """Whether the JSON list in ``column`` holds ``value`` (in SQL: no row leaves the
    database to be filtered)."""
    if dialect == "postgresql":
        element = func.json_array_elements_text(column).column_valued("element")
        return exists(select(element).where(element == value))
    each = func.json_each(column).table_valued("value")
    return exists(select(each.c.value).where(each.c.value == value))


def _json_keys_among(dialect: str, column: Any, keys: Any) -> ColumnElement[bool]:
    """Whether the JSON object in ``column`` has one of ``keys``."""
    if dialect == "postgresql":
        key = func.json_object_keys(column).column_valued("key")
        return exists(select(key).where(key.in_(keys)))
    each = func.json_each(column).table_valued("key")
    return exists(select(each.c.key).where(each.c.key.in_(keys)))


@dataclass(frozen=True)
class _Shape:
    """What a page's statement looks like (its parameters aside): one statement is built
    per shape and kept, so a page only binds values to it."""

    dialect: str
    party: bool  # one party's story
    block: bool  # one block's
    private: bool  # some party's private records (stances, distributions) are shown
    version_readers: int | None  # parties whose reading rights bound the versions; None: none

    @property
    def everything(self) -> bool:
        """No filter: the agreement rule's changes are shown too."""
        return not self.party and not self.block


def _shape_and_parameters(
    access: NegotiationAccess, filters: Filters, cursor: Cursor | None, size: int, dialect: str
) -> tuple[_Shape, dict[str, Any]]:
    """The statement's shape for this viewer and these filters, and the values to bind."""
    parameters: dict[str, Any] = {
        "negotiation": access.negotiation.id,
        "size": size,
        "before_at": FAR_FUTURE if cursor is None else cursor.at,
    }
    for kind in range(len(KINDS)):
        if cursor is None or kind < cursor.kind:
            parameters[f"tie_{kind}"] = NO_ID  # the cursor's time and kind come after it
        else:
            parameters[f"tie_{kind}"] = cursor.id if kind == cursor.kind else 0
    readable = _readable(access, filters)
    parameters["readable"] = [party.id for party in readable]
    if filters.party is not None:
        parameters["party"] = filters.party.id
    if filters.block is not None:
        parameters["block"] = filters.block
        parameters["block_issues"] = list(filters.block_issues)
    # The versions a party's delegates may read: its counter-drafts and the mediator's
    # versions sent to it (the rule of NegotiationAccess.visible_versions); what was sent
    # to another party is that party's to know.
    readers: list[Party | None] = [] if access.is_mediator else [access.party]
    if filters.party is not None:
        readers.append(filters.party)
    hidden = None in readers or (
        filters.party is not None and not access.can_see_party(filters.party.key)
    )
    for number, reader in enumerate(readers):
        if reader is not None:
            parameters[f"reader_{number}"] = reader.id
    shape = _Shape(
        dialect=dialect,
        party=filters.party is not None,
        block=filters.block is not None,
        private=bool(readable),
        version_readers=None if hidden else len(readers),
    )
    return shape, parameters


def _meetings(shape: _Shape) -> AnySelect | None:
    query = select(Meeting.id).where(Meeting.negotiation_id == bindparam("negotiation"))
    if shape.party:
        attended = select(MeetingAttendance.meeting_id).where(
            MeetingAttendance.party_id == bindparam("party")
        )
        query = query.where(Meeting.id.in_(attended))
    if shape.block:
        query = query.where(_json_list_has(shape.dialect, Meeting.blocks, bindparam("block")))
    return _newest_first(query, Meeting.held_at, Meeting.id, 0)


def _versions(shape: _Shape) -> AnySelect | None:
    if shape.version_readers is None:
        return None
    query = (
        select(DraftVersion.id)
        .join(Draft, DraftVersion.draft_id == Draft.id)
        .where(Draft.negotiation_id == bindparam("negotiation"))
    )
    for number in range(shape.version_readers):
        reader: BindParameter[Any] = bindparam(f"reader_{number}")
        sent = select(Distribution.version_id).where(Distribution.party_id == reader)
        query = query.where(or_(Draft.party_id == reader, DraftVersion.id.in_(sent)))
    if shape.block:
        issues: BindParameter[Any] = bindparam("block_issues", expanding=True)
        query = query.where(_json_keys_among(shape.dialect, DraftVersion.package, issues))
    return _newest_first(query, DraftVersion.created_at, DraftVersion.id, 1)


def _distributions(shape: _Shape) -> AnySelect | None:
    if not shape.private:
        return None
    readable: BindParameter[Any] = bindparam("readable", expanding=True)
    query = select(Distribution.id).where(Distribution.party_id.in_(readable))
    if shape.block:
        issues: BindParameter[Any] = bindparam("block_issues", expanding=True)
        query = query.join(DraftVersion, Distribution.version_id == DraftVersion.id).where(
            _json_keys_among(shape.dialect, DraftVersion.package, issues)
        )
    return _newest_first(query, Distribution.sent_at, Distribution.id, 2)


def _stances(shape: _Shape) -> AnySelect | None:
    if not shape.private:
        return None
    query = select(Stance.id).where(
        Stance.negotiation_id == bindparam("negotiation"),
        Stance.party_id.in_(bindparam("readable", expanding=True)),
    )
    if shape.block:
        query = query.where(Stance.issue.in_(bindparam("block_issues", expanding=True)))
    return _newest_first(query, Stance.recorded_at, Stance.id, 3)


def _party_events(shape: _Shape) -> AnySelect | None:
    if shape.block:  # a party's seat concerns no one block
        return None
    query = select(PartyEvent.id).where(PartyEvent.negotiation_id == bindparam("negotiation"))
    if shape.party:
        query = query.where(PartyEvent.party_id == bindparam("party"))
    return _newest_first(query, PartyEvent.at, PartyEvent.id, 4)


def _agreement_changes(shape: _Shape) -> AnySelect | None:
    if not shape.everything:
        return None
    query = select(AgreementChange.id).where(
        AgreementChange.negotiation_id == bindparam("negotiation")
    )
    return _newest_first(query, AgreementChange.at, AgreementChange.id, 5)


def _readable(access: NegotiationAccess, filters: Filters) -> list[Party]:
    """The parties whose private records (stances, distributions) the page may show."""
    parties = access.private_parties()
    if filters.party is not None:
        parties = [party for party in parties if party.id == filters.party.id]
    return parties


SOURCES = (_meetings, _versions, _distributions, _stances, _party_events, _agreement_changes)
"""Per kind, in the order of :data:`KINDS`: the query of its keys (None: none to show)."""


@functools.cache
def _statement(shape: _Shape) -> CompoundSelect[datetime, int, int]:
    """The page's keys in one statement: each source reads at most a page's worth from its
    index, the database merges them and returns only the page (rows that are not shown
    never reach Python). Built once per shape, so that SQLAlchemy keeps its compiled form
    and a page only binds values to it."""
    parts = [query.subquery() for source in SOURCES if (query := source(shape)) is not None]
    merged = union_all(*(select(part.c.at, part.c.kind, part.c.id) for part in parts))
    at, kind, key = merged.selected_columns
    return merged.order_by(at.desc(), kind.desc(), key.desc()).limit(
        bindparam("size", type_=Integer)
    )


# What each entry shows. Meetings, versions and distributions show related records
# (attendees, drafts, versions), loaded with the page's one query per relationship
# ("selectin"); stances, party events and rule changes show only their own columns, read
# as plain rows: a page of 100 stances builds no ORM object. The parties a record names
# are the negotiation's, which the page has at hand: named by id, not loaded per row.
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
RECORDS: tuple[tuple[Select[Any], bool], ...] = (
    (select(Meeting).where(Meeting.id.in_(_IDS)).options(selectinload(Meeting.attendees)), True),
    (
        select(DraftVersion)
        .where(DraftVersion.id.in_(_IDS))
        .options(selectinload(DraftVersion.draft)),
        True,
    ),
    (
        select(Distribution)
        .where(Distribution.id.in_(_IDS))
        .options(selectinload(Distribution.version).selectinload(DraftVersion.draft)),
        True,
    ),
    (select(Stance.__table__).where(Stance.__table__.c.id.in_(_IDS)), False),
    (select(PartyEvent.__table__).where(PartyEvent.__table__.c.id.in_(_IDS)), False),
    (select(AgreementChange.__table__).where(AgreementChange.__table__.c.id.in_(_IDS)), False),
)
"""Per kind: the query of its entries' records (``:ids``), built once, and whether it
reads mapped objects (else rows)."""


def _entries(session: Session, keys: list[Key]) -> list[Entry]:
    """The entries of ``keys``, in their order: one query per kind on the page."""
    records: dict[tuple[int, int], Any] = {}
    for kind, (query, mapped) in enumerate(RECORDS):
        ids = [key.id for key in keys if key.kind == kind]
        if ids:
            rows = session.execute(query, {"ids": ids})
            found = rows.unique().scalars() if mapped else rows
            records.update(((kind, row.id), row) for row in found)
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
    dialect = session.get_bind().dialect.name
    shape, parameters = _shape_and_parameters(access, filters, cursor, size + 1, dialect)
    keys = [Key(*row) for row in session.connection().execute(_statement(shape), parameters)]
    shown = keys[:size]
    older = Cursor(shown[-1].at, shown[-1].kind, shown[-1].id) if len(keys) > size else None
    return _entries(session, shown), older
