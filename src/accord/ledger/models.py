"""The ledger's tables (SQLAlchemy 2 declarative models).

One negotiation holds the public part of its scenario (agenda, blocks, agreement rule) and
its parties; each party row carries that party's private preferences, which only the
service functions in :mod:`accord.ledger.negotiations` read. Records that are history
(draft versions, distributions, stances, party events) are only ever appended.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates


def utc_now() -> datetime:
    """Now, in UTC, to the microsecond both SQLite and PostgreSQL keep."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and read back as an aware UTC datetime.

    SQLite keeps no time zone; storing naive UTC everywhere makes a value read back from
    either database hash to the same text, which the draft hash chain needs.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be time-zone aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class User(Base):
    """An account. ``username_key`` (the name in lower case) is unique, so that
    ``Mediator`` and ``mediator`` cannot both exist; a disabled account cannot log in and
    its credentials no longer authenticate."""

    __tablename__ = "users"
    __table_args__ = (Index("uq_users_username_key", "username_key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    username_key: Mapped[str] = mapped_column(String(80), server_default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    can_create_negotiations: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    # A one-time password handed over by a mediator (an invitation, a reset) is for one
    # login: until its user chooses their own, the account may only change it.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    @validates("username")
    def _fold_username(self, _key: str, username: str) -> str:
        # User names are ASCII (accord.web.auth.USERNAME_PATTERN): lower() folds them.
        self.username_key = username.lower()
        return username


class Credential(Base):
    """A login session (cookie) or an API token; only a SHA-256 of the secret is stored."""

    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "session" or "api"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()


class Negotiation(Base):
    __tablename__ = "negotiations"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # The public part of the scenario: blocks and issues with their options.
    agenda: Mapped[dict[str, Any]] = mapped_column(JSON)
    agreement: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    parties: Mapped[list[Party]] = relationship(
        back_populates="negotiation", order_by="Party.id", cascade="all, delete-orphan"
    )


class Party(Base):
    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("negotiation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))  # negotiator, mediator, observer
    required: Mapped[bool | None] = mapped_column(Boolean, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Private: read only through accord.ledger.negotiations.preferences_of. Deferred: a
    # page that lists parties (every page) neither reads nor parses them; loaded when
    # read, and before being replaced (active_history), so that writing the same
    # preferences again is no change, as when they were always loaded.
    preferences: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, default=None, deferred=True, active_history=True
    )

    negotiation: Mapped[Negotiation] = relationship(back_populates="parties")

    @property
    def display_name(self) -> str:
        return self.name or self.key


class PartyEvent(Base):
    """A party joined, left, came back or changed role; the full history of the table."""

    __tablename__ = "party_events"
    __table_args__ = (Index("ix_party_events_at", "negotiation_id", "at", "id"),)  # the timeline

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    kind: Mapped[str] = mapped_column(String(16))  # joined, left, rejoined, role_changed
    role: Mapped[str] = mapped_column(String(16))
    required: Mapped[bool | None] = mapped_column(Boolean, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utc_now)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    party: Mapped[Party] = relationship()


class AgreementChange(Base):
    """The agreement rule was replaced (who must accept); the full history of the rule."""

    __tablename__ = "agreement_changes"
    __table_args__ = (Index("ix_agreement_changes_at", "negotiation_id", "at", "id"),)  # timeline

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), index=True)
    agreement: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utc_now)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class AgendaVersion(Base):
    """The agenda (blocks and points with their options) as it stood after one change.

    Number 1 is the agenda the negotiation was created with; each edit appends the next
    number with who made it, when and why. Parties and the agreement rule keep their own
    histories (:class:`PartyEvent`, :class:`AgreementChange`).
    """

    __tablename__ = "agenda_versions"
    __table_args__ = (UniqueConstraint("negotiation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    agenda: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utc_now)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    by_user: Mapped[User | None] = relationship()


class Membership(Base):
    """A user's role in one negotiation: mediator, a party's delegate, or observer."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("negotiation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # mediator, delegate, observer
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), default=None)

    user: Mapped[User] = relationship()
    party: Mapped[Party | None] = relationship()


class MeetingAttendance(Base):
    __tablename__ = "meeting_attendance"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), primary_key=True)


class Meeting(Base):
    __tablename__ = "meetings"
    # The second: the timeline reads meetings newest first by the time they were held.
    __table_args__ = (
        UniqueConstraint("negotiation_id", "number"),
        Index("ix_meetings_held", "negotiation_id", "held_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    held_at: Mapped[datetime] = mapped_column()
    place: Mapped[str] = mapped_column(String(200), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    blocks: Mapped[list[Any]] = mapped_column(JSON)  # ids of the blocks discussed
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    attendees: Mapped[list[Party]] = relationship(
        secondary="meeting_attendance", order_by="Party.id"
    )


class Draft(Base):
    """A single text: the mediator's (``party`` is None) or a party's counter-draft."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), default=None)
    # A counter-draft answers one version of the mediator's text.
    responds_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft_versions.id", use_alter=True, name="fk_drafts_responds_to"),
        default=None,
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    party: Mapped[Party | None] = relationship()
    versions: Mapped[list[DraftVersion]] = relationship(
        back_populates="draft", order_by="DraftVersion.number", foreign_keys="DraftVersion.draft_id"
    )
    responds_to: Mapped[DraftVersion | None] = relationship(foreign_keys=[responds_to_id])


class DraftVersion(Base):
    """One version of a draft; ``hash`` chains it to the version before (``previous_hash``)."""

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    package: Mapped[dict[str, Any]] = mapped_column(JSON)  # issue id -> option id
    # issue id -> the article's text; None for versions written before drafts had words.
    texts: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The number of the agenda version (AgendaVersion.number) this version was written
    # under: it is shown against that agenda, and flagged when the agenda changed since.
    agenda_version: Mapped[int | None] = mapped_column(Integer, default=None)

    draft: Mapped[Draft] = relationship(back_populates="versions", foreign_keys=[draft_id])


class Distribution(Base):
    """Which party received which version, when."""

    __tablename__ = "distributions"
    __table_args__ = (UniqueConstraint("version_id", "party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utc_now)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    version: Mapped[DraftVersion] = relationship()
    party: Mapped[Party] = relationship()


class Stance(Base):
    """What one party said about one point; the latest row per (party, issue) is current."""

    __tablename__ = "stances"
    # The current stance per (party, point) is the row with the highest id: the first index
    # answers that and each party's history, newest first, without reading the whole table;
    # the second the timeline, newest first by time, one page at a time.
    __table_args__ = (
        Index("ix_stances_party_issue", "negotiation_id", "party_id", "issue", "id"),
        Index("ix_stances_recorded", "negotiation_id", "recorded_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    issue: Mapped[str] = mapped_column(String(80))
    stance: Mapped[str] = mapped_column(String(16))  # accepts, rejects, conditional, unknown
    condition: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int | None] = mapped_column(ForeignKey("draft_versions.id"), default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utc_now)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    party: Mapped[Party] = relationship()


class AuditEvent(Base):
    """One committed write: who (user, credential, address), what (request, rows), when.

    Events form hash chains like draft versions: ``chain`` is the negotiation the write
    concerned (0 for accounts and everything else), ``number`` counts within the chain and
    ``hash`` covers the event and ``previous_hash``. The table is append-only: the
    migration installs triggers refusing UPDATE and DELETE, and the chain shows any edit
    made around them.
    """

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("chain", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    username: Mapped[str] = mapped_column(String(80), default="")
    # No foreign key: credentials are deleted (logout, revocation), their trace is not.
    credential_id: Mapped[int | None] = mapped_column(Integer, default=None)
    credential_kind: Mapped[str] = mapped_column(String(16), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    method: Mapped[str] = mapped_column(String(8), default="")
    path: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[list[Any]] = mapped_column(JSON)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
