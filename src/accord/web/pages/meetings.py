"""The meeting log (public to every member) and the mediator's form to record a meeting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from accord.ledger.errors import InvalidInput
from accord.ledger.meetings import recent_meetings, record_meeting
from accord.web.charts import block_ids
from accord.web.deps import MAX_ID, DbSession
from accord.web.pages.common import html_page, public_agenda, see_other, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/meetings"
MEETINGS_PER_PAGE = 100


def parse_held_at(text: str) -> datetime:
    """A date and time from the form (``2025-11-30T10:00``), read as UTC when it has no zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"held_at must be a date and time like 2025-11-30T10:00, got {text!r}"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_duration(hours: str, minutes: str) -> int:
    """Minutes from the form's hours and minutes fields (either may be empty)."""
    try:
        total = int(hours or 0) * 60 + int(minutes or 0)
    except ValueError:
        raise InvalidInput(
            f"duration must be whole hours and minutes, got {hours!r} h {minutes!r} min"
        ) from None
    return total


@router.get(PATH)
@html_page
def meetings_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """The log, newest first, :data:`MEETINGS_PER_PAGE` meetings at a time (``before``: the
    number the next page starts below)."""
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    agenda = public_agenda(negotiation)
    meetings = recent_meetings(session, negotiation, MEETINGS_PER_PAGE + 1, before)
    older = meetings[MEETINGS_PER_PAGE - 1].number if len(meetings) > MEETINGS_PER_PAGE else None
    return render(
        "meetings.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        meetings=meetings[:MEETINGS_PER_PAGE],
        older=older,
        first_page=before is None,
        block_titles=dict(block_ids(agenda)),
        blocks=[(block.id, block.title or block.id) for block in agenda.blocks],
        parties=[party for party in negotiation.parties if party.active],
        now=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
    )


@router.post(PATH)
@html_page
def add_meeting(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    held_at: Annotated[str, Form(max_length=40)],
    hours: Annotated[str, Form(max_length=6)] = "0",
    minutes: Annotated[str, Form(max_length=6)] = "0",
    place: Annotated[str, Form(max_length=200)] = "",
    notes: Annotated[str, Form(max_length=20000)] = "",
    attendee: Annotated[list[str] | None, Form()] = None,
    block: Annotated[list[str] | None, Form()] = None,
    number: Annotated[str, Form(max_length=6)] = "",
) -> Response:
    """Record a meeting (mediator); the number defaults to the next one."""
    _, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    if number.strip() and not number.strip().isdigit():
        raise InvalidInput(f"meeting number must be a whole number, got {number!r}")
    meeting = record_meeting(
        session,
        viewer.access.negotiation,
        held_at=parse_held_at(held_at),
        duration_minutes=parse_duration(hours, minutes),
        attendees=attendee or [],
        blocks=block or [],
        place=place,
        notes=notes,
        number=int(number) if number.strip() else None,
    )
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/meetings#meeting-{meeting.number}")
