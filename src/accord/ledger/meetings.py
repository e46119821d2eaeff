"""The meeting log: number, date, place, duration, attendees, blocks discussed, notes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from accord.ledger.errors import Conflict, InvalidInput, NotFound
from accord.ledger.models import Meeting, Negotiation
from accord.ledger.negotiations import block_ids, get_party, lock_negotiation


def record_meeting(
    session: Session,
    negotiation: Negotiation,
    held_at: datetime,
    duration_minutes: int,
    attendees: list[str],
    blocks: list[str],
    place: str = "",
    notes: str = "",
    number: int | None = None,
) -> Meeting:
    """Add a meeting to the log; ``number`` defaults to the next one (the sixth meeting)."""
    if duration_minutes < 0:
        raise InvalidInput(f"duration_minutes must be 0 or more, got {duration_minutes}")
    if held_at.tzinfo is None:
        raise InvalidInput("held_at needs a time zone (for example 2025-11-30T10:00:00Z)")
    try:
        held_at = held_at.astimezone(UTC)
    except (OverflowError, ValueError) as error:
        raise InvalidInput(f"held_at {held_at.isoformat()} is out of range in UTC") from error
    known_blocks = block_ids(negotiation)
    unknown = [block for block in blocks if block not in known_blocks]
    if unknown:
        raise InvalidInput(
            f"unknown block(s) {', '.join(unknown)} (blocks: {', '.join(known_blocks) or 'none'})"
        )
    parties = [get_party(session, negotiation, key) for key in dict.fromkeys(attendees)]
    if number is None:
        lock_negotiation(session, negotiation)
        last = session.scalar(
            select(func.max(Meeting.number)).where(Meeting.negotiation_id == negotiation.id)
        )
        number = (last or 0) + 1
    elif number < 1:
        raise InvalidInput(f"meeting number must be 1 or more, got {number}")
    elif get_meeting_or_none(session, negotiation, number) is not None:
        raise Conflict(f"meeting {number} is already recorded in negotiation {negotiation.id}")
    meeting = Meeting(
        negotiation_id=negotiation.id,
        number=number,
        held_at=held_at,
        place=place,
        duration_minutes=duration_minutes,
        blocks=list(dict.fromkeys(blocks)),
        notes=notes,
        attendees=parties,
    )
    session.add(meeting)
    session.flush()
    return meeting


def get_meeting_or_none(session: Session, negotiation: Negotiation, number: int) -> Meeting | None:
    return session.scalar(
        select(Meeting).where(Meeting.negotiation_id == negotiation.id, Meeting.number == number)
    )


def get_meeting(session: Session, negotiation: Negotiation, number: int) -> Meeting:
    meeting = get_meeting_or_none(session, negotiation, number)
    if meeting is None:
        raise NotFound(f"negotiation {negotiation.id} has no meeting {number}")
    return meeting


def list_meetings(session: Session, negotiation: Negotiation) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(Meeting.negotiation_id == negotiation.id)
            .order_by(Meeting.number)
            .options(selectinload(Meeting.attendees))  # one query for all, not one each
        )
    )


def recent_meetings(
    session: Session, negotiation: Negotiation, count: int, before: int | None = None
) -> list[Meeting]:
    """The ``count`` meetings with the highest numbers (below ``before``, if given), newest
    first: one page of the log."""
    query = select(Meeting).where(Meeting.negotiation_id == negotiation.id)
    if before is not None:
        query = query.where(Meeting.number < before)
    query = query.options(selectinload(Meeting.attendees))  # shown with each meeting
    return list(session.scalars(query.order_by(Meeting.number.desc()).limit(count)))
