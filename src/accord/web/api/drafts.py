"""Drafts and counter-drafts, their versions and differences, and their distribution."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from accord.ledger import drafts as ledger
from accord.ledger.errors import Forbidden, NotFound
from accord.ledger.models import Draft, DraftVersion
from accord.ledger.negotiations import get_party
from accord.web.api.convert import distribution_out, draft_out, points_out, version_out
from accord.web.api.schemas import (
    ComparisonOut,
    DiffOut,
    DistributionCreate,
    DistributionOut,
    DraftCreate,
    DraftOut,
    VersionCreate,
    VersionOut,
    VersionRef,
)
from accord.web.deps import MAX_ID, Access, DbSession, NegotiationAccess, RecordId
from accord.web.pages.draft_print import render_pdf_ahead

router = APIRouter(tags=["drafts"])
PATH = "/negotiations/{negotiation_id}/drafts"


def visible_draft(
    session: Session, access: NegotiationAccess, draft_id: int
) -> tuple[Draft, list[DraftVersion]]:
    """The draft and the versions the user may read; hidden drafts are "not found"."""
    return access.readable_draft(session, draft_id)


def visible_version(
    session: Session, access: NegotiationAccess, draft_id: int, number: int
) -> DraftVersion:
    return access.readable_version(session, draft_id, number)


def resolve_ref(session: Session, access: NegotiationAccess, ref: VersionRef) -> DraftVersion:
    return visible_version(session, access, ref.draft, ref.version)


@router.get(PATH, response_model=list[DraftOut])
def list_drafts(access: Access, session: DbSession) -> list[DraftOut]:
    """Drafts with the versions the user may read (mediator: all)."""
    result = []
    for draft in ledger.list_drafts(session, access.negotiation):
        versions = access.visible_versions(session, draft)
        if versions:
            result.append(draft_out(draft, versions, answers_visible(session, access, draft)))
    return result


def answers_visible(session: Session, access: NegotiationAccess, draft: Draft) -> bool:
    """Whether the user may see which version ``draft`` answers."""
    return draft.responds_to is None or access.sees_version(session, draft.responds_to)


@router.post(PATH, response_model=DraftOut, status_code=201)
def create_draft(body: DraftCreate, access: Access, session: DbSession) -> DraftOut:
    """A mediator's draft, or (with ``party``) that party's counter-draft to a version."""
    party = None
    if body.party is None:
        access.require_mediator()
    else:
        party = access.require_party(session, body.party)
    responds_to = (
        None if body.responds_to is None else resolve_ref(session, access, body.responds_to)
    )
    draft = ledger.create_draft(
        session,
        access.negotiation,
        body.title,
        body.package,
        body.note,
        party=party,
        responds_to=responds_to,
        user=access.user,
        texts=body.texts,
    )
    session.commit()
    render_pdf_ahead(access.negotiation, draft.versions[0])
    return draft_out(draft, list(draft.versions))


@router.get(PATH + "/{draft_id}", response_model=DraftOut)
def read_draft(draft_id: RecordId, access: Access, session: DbSession) -> DraftOut:
    draft, versions = visible_draft(session, access, draft_id)
    return draft_out(draft, versions, answers_visible(session, access, draft))


@router.post(PATH + "/{draft_id}/versions", response_model=VersionOut, status_code=201)
def add_version(
    draft_id: RecordId, body: VersionCreate, access: Access, session: DbSession
) -> VersionOut:
    """The next version (mediator for the mediator's text; the party for a counter-draft)."""
    draft = ledger.get_draft(session, access.negotiation, draft_id)
    if not access.can_read_draft(session, draft):  # a hidden draft is "not found"
        raise NotFound(f"negotiation {access.negotiation.id} has no draft {draft_id}")
    if draft.party is None:
        access.require_mediator()
    else:
        access.require_party(session, draft.party.key)
    version = ledger.add_version(
        session,
        draft,
        body.package,
        body.note,
        access.user,
        body.expected_previous_hash,
        texts=body.texts,
    )
    session.commit()
    render_pdf_ahead(access.negotiation, version)
    return version_out(version)


@router.get(PATH + "/{draft_id}/versions/{number}", response_model=VersionOut)
def read_version(
    draft_id: RecordId, number: RecordId, access: Access, session: DbSession
) -> VersionOut:
    return version_out(visible_version(session, access, draft_id, number))


@router.get(PATH + "/{draft_id}/diff", response_model=DiffOut)
def diff_versions(
    draft_id: RecordId,
    access: Access,
    session: DbSession,
    before: Annotated[int, Query(ge=1, le=MAX_ID, description="Version number")],
    after: Annotated[int, Query(ge=1, le=MAX_ID, description="Version number")],
) -> DiffOut:
    """Point by point, what changed between two versions of one draft."""
    old = visible_version(session, access, draft_id, before)
    new = visible_version(session, access, draft_id, after)
    points = ledger.version_diff(access.negotiation, old, new)
    return DiffOut(draft=draft_id, before=before, after=after, points=points_out(points))


@router.get(PATH + "/{draft_id}/versions/{number}/comparison", response_model=ComparisonOut)
def compare_counter_draft(
    draft_id: RecordId, number: RecordId, access: Access, session: DbSession
) -> ComparisonOut:
    """A counter-draft version beside the mediator's text it answers, point by point."""
    version = visible_version(session, access, draft_id, number)
    draft = version.draft
    if (
        draft.party is None
        or draft.responds_to is None
        or not access.sees_version(session, draft.responds_to)
    ):
        raise NotFound(f"draft {draft_id} is not a counter-draft to a version you received")
    points = ledger.counter_comparison(access.negotiation, version)
    return ComparisonOut(
        draft=draft_id,
        version=number,
        party=draft.party.key,
        responds_to={"draft": draft.responds_to.draft_id, "version": draft.responds_to.number},
        points=points_out(points),
    )


@router.post(
    PATH + "/{draft_id}/versions/{number}/distribution",
    response_model=list[DistributionOut],
    status_code=201,
)
def distribute(
    draft_id: RecordId,
    number: RecordId,
    body: DistributionCreate,
    access: Access,
    session: DbSession,
) -> list[DistributionOut]:
    """Record that these parties received this version now (mediator)."""
    access.require_mediator()
    draft = ledger.get_draft(session, access.negotiation, draft_id)
    version = ledger.get_version(draft, number)
    parties = [get_party(session, access.negotiation, key) for key in body.parties]
    rows = ledger.distribute(session, version, parties, access.user)
    session.commit()
    return [distribution_out(row) for row in rows]


@router.get("/negotiations/{negotiation_id}/distribution", response_model=list[DistributionOut])
def list_distribution(access: Access, session: DbSession) -> list[DistributionOut]:
    """Who received which version when (a delegate: its own party's receipts)."""
    if access.is_mediator:
        rows = ledger.distributions(session, access.negotiation)
    elif access.party is not None:
        rows = ledger.distributions(session, access.negotiation, access.party)
    else:
        raise Forbidden("an observer does not see who received which draft")
    return [distribution_out(row) for row in rows]
