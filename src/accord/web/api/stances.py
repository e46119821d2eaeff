"""Stances per party and point, with their history; private to the party and the mediator."""

from __future__ import annotations

from fastapi import APIRouter

from accord.ledger import stances as ledger
from accord.ledger.errors import Forbidden
from accord.ledger.models import DraftVersion, Stance
from accord.web.api.convert import stance_out
from accord.web.api.drafts import resolve_ref
from accord.web.api.schemas import StanceCreate, StanceOut
from accord.web.deps import Access, DbSession, NegotiationAccess

router = APIRouter(tags=["stances"])
PATH = "/negotiations/{negotiation_id}/stances"


def _out(row: Stance, session: DbSession, access: NegotiationAccess) -> StanceOut:
    """The stance, naming the version it answered only if the caller may read that version
    (the mediator may record a party's stance on a text the party never received)."""
    version = None if row.version_id is None else session.get(DraftVersion, row.version_id)
    if version is not None and not access.sees_version(session, version):
        version = None
    return stance_out(row, version)


@router.get(PATH, response_model=list[StanceOut])
def current_stances(access: Access, session: DbSession) -> list[StanceOut]:
    """The current stance per party and point, for the parties the user may see."""
    if access.role == "observer":
        raise Forbidden("an observer does not see the parties' stances")
    rows = ledger.current_stances(session, access.negotiation, access.private_parties())
    return [_out(row, session, access) for row in rows.values()]


@router.get(PATH + "/history", response_model=list[StanceOut])
def stance_history(access: Access, session: DbSession) -> list[StanceOut]:
    """Every stance ever recorded, oldest first, for the parties the user may see."""
    if access.role == "observer":
        raise Forbidden("an observer does not see the parties' stances")
    rows = ledger.stance_history(session, access.negotiation, access.private_parties())
    return [_out(row, session, access) for row in rows]


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
