"""Stances per party and point, with their history; private to the party and the mediator."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from accord.ledger import stances as ledger
from accord.ledger.errors import Forbidden
from accord.ledger.models import DraftVersion, Stance
from accord.web.api.convert import stance_out
from accord.web.api.drafts import resolve_ref
from accord.web.api.schemas import StanceCreate, StanceOut
from accord.web.deps import MAX_ID, Access, DbSession, NegotiationAccess

router = APIRouter(tags=["stances"])
PATH = "/negotiations/{negotiation_id}/stances"
MAX_PAGE = 1000


def _out(rows: list[Stance], session: DbSession, access: NegotiationAccess) -> list[StanceOut]:
    """The stances, each naming the version it answered only if the caller may read that
    version (the mediator may record a party's stance on a text the party never received).
    A fixed number of queries, however many rows."""
    answered = {row.version_id for row in rows if row.version_id is not None}
    readable = access.readable_version_ids(session, answered)
    versions = {
        version.id: version
        for version in session.scalars(select(DraftVersion).where(DraftVersion.id.in_(readable)))
    }
    return [stance_out(row, versions.get(row.version_id or 0)) for row in rows]


@router.get(PATH, response_model=list[StanceOut])
def current_stances(access: Access, session: DbSession) -> list[StanceOut]:
    """The current stance per party and point, for the parties the user may see."""
    if access.role == "observer":
        raise Forbidden("an observer does not see the parties' stances")
    rows = ledger.current_stances(session, access.negotiation, access.private_parties())
    return _out(list(rows.values()), session, access)


@router.get(PATH + "/history", response_model=list[StanceOut])
def stance_history(
    access: Access,
    session: DbSession,
    offset: Annotated[int, Query(ge=0, le=MAX_ID, description="Stances to skip")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Stances to return")] = MAX_PAGE,
) -> list[StanceOut]:
    """The stances recorded for the parties the user may see, oldest first, one page at a
    time (``offset``, ``limit``: at most 1,000 per request)."""
    if access.role == "observer":
        raise Forbidden("an observer does not see the parties' stances")
    rows = ledger.stance_history(
        session, access.negotiation, access.private_parties(), offset, limit
    )
    return _out(rows, session, access)


@router.post(PATH, response_model=StanceOut, status_code=201)
def record_stance(body: StanceCreate, access: Access, session: DbSession) -> StanceOut:
    """Record what a party said about a point (its delegates or the mediator)."""
    party = access.require_party(session, body.party)
    version = None if body.responds_to is None else resolve_ref(session, access, body.responds_to)
    row = ledger.record_stance(
        session,
        access.negotiation,
        party,
        body.issue,
        body.stance,
        body.condition,
        version,
        access.user,
    )
    session.commit()
    return stance_out(row, version)
