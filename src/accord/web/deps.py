"""FastAPI dependencies shared by the JSON API and the pages.

- :func:`get_database` — the app's :class:`~accord.ledger.Database`.
- :func:`get_session` — one SQLAlchemy session per request. It never commits by itself:
  a handler that writes calls ``session.commit()`` once, after its last service call, so
  one action is one transaction and a failing action leaves nothing behind. Requests with
  POST/PUT/PATCH/DELETE get a write session (SQLite's write lock is taken at BEGIN).
- :func:`current_user_or_none` / :func:`current_user` — the user behind the session
  cookie (pages) or the ``Authorization: Bearer`` API token (API); 401 without one.
- :func:`negotiation_access` — the current user's role in the negotiation named by the
  path parameter ``negotiation_id``: a :class:`NegotiationAccess` with the checks every
  handler uses (``require_mediator``, ``require_party``, ``can_see_party``). 404 if the
  negotiation does not exist, 403 if the user has no role in it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.ledger import Database
from accord.ledger.drafts import (
    get_draft,
    has_received,
    last_version,
    readable_among,
    received_version_ids,
    was_sent,
)
from accord.ledger.errors import Forbidden, NotFound
from accord.ledger.models import Draft, DraftVersion, Negotiation, Party, User
from accord.ledger.negotiations import get_negotiation, get_party, membership_of
from accord.web.auth import identify

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_ID = 2**31 - 1
"""Ids and numbers above this are refused (422) before they reach the database."""

RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A path parameter naming a record: a negotiation, draft, version or meeting number."""


async def get_database(request: Request) -> Database:
    """The database the app was created with (``app.state.database``).

    Async, like :func:`get_session`: FastAPI runs a plain function dependency in its
    thread pool, a hand-over to a worker thread and back on every request for a lookup."""
    database: Database = request.app.state.database
    return database


async def get_session(
    request: Request, database: Annotated[Database, Depends(get_database)]
) -> AsyncIterator[Session]:
    """A session for this request; anything not committed is rolled back at the end.

    A reading request's session is opened and closed here, in the event loop: opening one
    touches no connection (one is taken on its first query, in the handler's thread), and
    neither does closing one that holds none, so a page costs none of the trips to the
    thread pool a generator dependency makes. A write's session is opened and closed in
    the thread pool, as every session was before: with the reads' path the writes' 99th
    percentile at 50 clients came out longer in runs on a noisy machine, not established
    either way (docs/web.md, "The timeline at 4,000 stances"), so writes keep the path
    they were measured on.
    """
    write = request.method in WRITE_METHODS
    if write:
        session = await run_in_threadpool(database.session, write=True)
    else:
        session = database.session()
    try:
        yield session
    finally:
        if write or session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


DbSession = Annotated[Session, Depends(get_session)]


def current_user_or_none(request: Request, session: DbSession) -> User | None:
    """The user of the bearer token or, failing that, of the session cookie (a live
    credential of an enabled account); also the author of the request's writes."""
    return identify(request, session)


def current_user(user: Annotated[User | None, Depends(current_user_or_none)]) -> User:
    """The logged-in user; 401 if the request carries no valid credential."""
    if user is None:
        raise HTTPException(
            status_code=401,
            detail="not logged in: send 'Authorization: Bearer <token>' or log in first",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise HTTPException(status_code=403, detail="only an administrator may do this")
    return user


@dataclass(frozen=True)
class NegotiationAccess:
    """A user's standing in one negotiation.

    ``role`` is ``mediator`` (sees and edits everything), ``delegate`` (of ``party``: reads
    and writes only that party's preferences, stances and counter-drafts, and reads the
    versions sent to it) or ``observer`` (reads public things only: agenda, parties,
    meetings).
    """

    negotiation: Negotiation
    user: User
    role: str
    party: Party | None

    @property
    def is_mediator(self) -> bool:
        return self.role == "mediator"

    def can_see_party(self, party_key: str) -> bool:
        """May this user read ``party_key``'s private records (preferences, stances)?"""
        return self.is_mediator or (self.party is not None and self.party.key == party_key)

    def require_mediator(self) -> None:
        if not self.is_mediator:
            raise Forbidden(f"only the mediator of negotiation {self.negotiation.id} may do this")

    def private_parties(self) -> list[Party]:
        """Parties whose private records (preferences, stances) this user may read."""
        if self.is_mediator:
            return list(self.negotiation.parties)
        return [] if self.party is None else [self.party]

    def visible_versions(self, session: Session, draft: Draft) -> list[DraftVersion]:
        """The versions of ``draft`` this user may read (empty: the draft is hidden).

        The mediator reads every draft; a delegate reads its own party's counter-drafts
        and the versions of the mediator's text sent to its party; an observer none.
        """
        if self.is_mediator:
            return list(draft.versions)
        if self.party is None:
            return []
        if draft.party_id is not None:
            return list(draft.versions) if draft.party_id == self.party.id else []
        received = received_version_ids(session, self.party)
        return [version for version in draft.versions if version.id in received]

    def readable_draft(self, session: Session, draft_id: int) -> tuple[Draft, list[DraftVersion]]:
        """The draft and the versions this user may read.

        A hidden draft is "not found" in the very words of a missing one: an answer must
        not tell what exists unseen.
        """
        draft = get_draft(session, self.negotiation, draft_id)
        versions = self.visible_versions(session, draft)
        if not versions:
            raise NotFound(f"negotiation {self.negotiation.id} has no draft {draft_id}")
        return draft, versions

    def readable_version(self, session: Session, draft_id: int, number: int) -> DraftVersion:
        """A version this user may read; a hidden one is "not found" as a missing one.

        Read by its number alone, not among the draft's versions: a draft revised five
        hundred times costs its one version, not five hundred.
        """
        draft = get_draft(session, self.negotiation, draft_id)
        version = session.scalars(
            select(DraftVersion).where(
                DraftVersion.draft_id == draft.id, DraftVersion.number == number
            )
        ).one_or_none()
        if version is not None and self.sees_version(session, version):
            return version
        if not self.can_read_draft(session, draft):
            raise NotFound(f"negotiation {self.negotiation.id} has no draft {draft_id}")
        raise NotFound(f"draft {draft_id} has no version {number}")

    def readable_version_ids(self, session: Session, version_ids: set[int]) -> set[int]:
        """Those of ``version_ids`` (of this negotiation) this user may read, in one go."""
        if self.is_mediator:
            return set(version_ids)
        return set() if self.party is None else readable_among(session, version_ids, self.party)

    def sees_version(self, session: Session, version: DraftVersion) -> bool:
        """Whether this user may read ``version`` (the rule of :meth:`visible_versions`)."""
        if self.is_mediator:
            return True
        if self.party is None:
            return False
        if version.draft.party_id is not None:
            return version.draft.party_id == self.party.id
        return was_sent(session, version, self.party)

    def can_read_draft(self, session: Session, draft: Draft) -> bool:
        """Whether :meth:`visible_versions` would show any version of ``draft``, without
        reading them all (a write needs only this)."""
        if self.is_mediator or (self.party is not None and draft.party_id == self.party.id):
            return last_version(session, draft) is not None
        if self.party is None or draft.party_id is not None:
            return False
        return has_received(session, self.party, draft)

    def require_party(self, session: Session, party_key: str) -> Party:
        """The party, if this user may read and write its private records; else 403/404."""
        party = get_party(session, self.negotiation, party_key)
        if not self.can_see_party(party_key):
            raise Forbidden(
                f"only the mediator and {party.display_name}'s delegates may see or change "
                f"{party.display_name}'s records"
            )
        return party


def negotiation_access(
    negotiation_id: RecordId, user: CurrentUser, session: DbSession
) -> NegotiationAccess:
    """The current user's role in negotiation ``negotiation_id`` (a path parameter)."""
    negotiation: Negotiation = get_negotiation(session, negotiation_id)
    membership = membership_of(session, negotiation.id, user.id)
    if membership is None:
        raise Forbidden(f"you have no role in negotiation {negotiation_id}")
    return NegotiationAccess(negotiation, user, membership.role, membership.party)


Access = Annotated[NegotiationAccess, Depends(negotiation_access)]
