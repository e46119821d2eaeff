"""Ledger rows to API bodies: only public fields, never a party's preferences."""

from __future__ import annotations

from accord.ledger.drafts import PointChange
from accord.ledger.models import (
    Distribution,
    Draft,
    DraftVersion,
    Meeting,
    Party,
    PartyEvent,
    Stance,
)
from accord.web.api.schemas import (
    DistributionOut,
    DraftOut,
    MeetingOut,
    PartyEventOut,
    PartyOut,
    PointOut,
    StanceOut,
    VersionOut,
)


def party_out(party: Party) -> PartyOut:
    return PartyOut(
        key=party.key,
        name=party.name,
        role=party.role,
        required=party.required,
        active=party.active,
    )


def party_event_out(event: PartyEvent) -> PartyEventOut:
    return PartyEventOut(
        party=event.party.key,
        kind=event.kind,
        role=event.role,
        required=event.required,
        note=event.note,
        at=event.at,
    )


def meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        number=meeting.number,
        held_at=meeting.held_at,
        place=meeting.place,
        duration_minutes=meeting.duration_minutes,
        attendees=[party.key for party in meeting.attendees],
        blocks=list(meeting.blocks),
        notes=meeting.notes,
    )


def version_out(version: DraftVersion) -> VersionOut:
    return VersionOut(
        draft=version.draft_id,
        number=version.number,
        package=dict(version.package),
        texts=None if version.texts is None else dict(version.texts),
        note=version.note,
        created_at=version.created_at,
        hash=version.hash,
        previous_hash=version.previous_hash,
    )


def version_ref(version: DraftVersion | None) -> dict[str, int] | None:
    return None if version is None else {"draft": version.draft_id, "version": version.number}


def draft_out(draft: Draft, versions: list[DraftVersion], show_answered: bool = True) -> DraftOut:
    """The draft with ``versions``; the version it answers only if ``show_answered``."""
    return DraftOut(
        id=draft.id,
        title=draft.title,
        party=None if draft.party is None else draft.party.key,
        responds_to=version_ref(draft.responds_to) if show_answered else None,
        versions=[version_out(version) for version in versions],
    )


def points_out(points: list[PointChange]) -> list[PointOut]:
    return [
        PointOut(
            issue=p.issue,
            before=p.before,
            after=p.after,
            changed=p.changed,
            before_text=p.before_text,
            after_text=p.after_text,
            text_changed=p.text_changed,
        )
        for p in points
    ]


def distribution_out(row: Distribution) -> DistributionOut:
    return DistributionOut(
        draft=row.version.draft_id,
        version=row.version.number,
        party=row.party.key,
        sent_at=row.sent_at,
        hash=row.version.hash,
    )


def stance_out(row: Stance, version: DraftVersion | None) -> StanceOut:
    return StanceOut(
        party=row.party.key,
        issue=row.issue,
        stance=row.stance,
        condition=row.condition,
        responds_to=version_ref(version),
        recorded_at=row.recorded_at,
    )
