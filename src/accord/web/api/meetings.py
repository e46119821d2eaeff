"""The meeting log: public to every member, written by the mediator."""

from __future__ import annotations

from fastapi import APIRouter

from accord.ledger import meetings as ledger
from accord.web.api.convert import meeting_out
from accord.web.api.schemas import MeetingCreate, MeetingOut
from accord.web.deps import Access, DbSession, RecordId

router = APIRouter(tags=["meetings"])
PATH = "/negotiations/{negotiation_id}/meetings"


@router.get(PATH, response_model=list[MeetingOut])
def list_meetings(access: Access, session: DbSession) -> list[MeetingOut]:
    return [meeting_out(m) for m in ledger.list_meetings(session, access.negotiation)]


@router.post(PATH, response_model=MeetingOut, status_code=201)
def record_meeting(body: MeetingCreate, access: Access, session: DbSession) -> MeetingOut:
    """Record a meeting (mediator); the number defaults to the next one."""
    access.require_mediator()
    meeting = ledger.record_meeting(
        session,
        access.negotiation,
        held_at=body.held_at,
        duration_minutes=body.duration_minutes,
        attendees=body.attendees,
        blocks=body.blocks,
        place=body.place,
        notes=body.notes,
        number=body.number,
    )
    session.commit()
    return meeting_out(meeting)


@router.get(PATH + "/{number}", response_model=MeetingOut)
def read_meeting(number: RecordId, access: Access, session: DbSession) -> MeetingOut:
    return meeting_out(ledger.get_meeting(session, access.negotiation, number))
