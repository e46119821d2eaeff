"""The list of negotiations, a negotiation's dashboard and recording a stance.

The dashboard shows the consensus matrix of every block for the parties whose stances the
viewer may read (all of them for the mediator, its own party for a delegate, none for an
observer), the points they reject or accept on conditions, the current single text the
viewer may read and the latest meetings.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.ledger.drafts import (
    get_version_by_id,
    latest_mediator_version,
    latest_received_version,
)
from accord.ledger.errors import InvalidInput, NotFound
from accord.ledger.meetings import recent_meetings
from accord.ledger.models import DraftVersion
from accord.ledger.negotiations import list_negotiations, membership_of
from accord.ledger.stances import (
    STANCE_KINDS,
    current_stances_on,
    newest_stances,
    record_stance,
)
from accord.web.charts import (
    block_ids,
    consensus_figure,
    consensus_matrix,
    stance_blockers,
    stance_cell,
)
from accord.web.deps import MAX_ID, DbSession
from accord.web.pages.common import (
    Viewer,
    html_page,
    issue_titles,
    option_labels,
    public_agenda,
    require_login,
    see_other,
    viewer_for,
)
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)

RECENT_MEETINGS = 3
STANCES_PER_PAGE = 100


@router.get("/negotiations")
@html_page
def negotiations(request: Request, session: DbSession) -> Response:
    user = require_login(request, session)
    rows = []
    for negotiation in list_negotiations(session, user):
        membership = membership_of(session, negotiation.id, user.id)
        role = "administrator" if membership is None else membership.role
        if membership is not None and membership.party is not None:
            role = f"delegate of {membership.party.display_name}"
        rows.append(
            {
                "id": negotiation.id,
                "title": negotiation.title or negotiation.scenario_key,
                "role_text": role,
                "party_count": sum(party.active for party in negotiation.parties),
            }
        )
    return render("negotiations.html", user=user, negotiations=rows)


def visible_matrices(session: Session, viewer: Viewer) -> list[dict[str, Any]]:
    """Each block's matrix and figure, over the parties whose stances the viewer may read."""
    negotiation = viewer.access.negotiation
    agenda = public_agenda(negotiation)
    parties = [party for party in viewer.access.private_parties() if party.active]
    points = [issue.id for issue in agenda.issues]
    stances = {
        key: stance_cell(row.stance, row.condition)
        for key, row in current_stances_on(session, negotiation, parties, points).items()
    }
    shown = [(party.key, party.display_name) for party in parties]
    blocks = []
    for block_id, _ in block_ids(agenda):
        matrix = consensus_matrix(agenda, block_id, shown, stances)
        blocks.append(
            {
                "matrix": matrix,
                "figure": consensus_figure(matrix) if shown else None,
                "blockers": stance_blockers(matrix),
            }
        )
    return blocks


def current_text(session: Session, viewer: Viewer) -> DraftVersion | None:
    """The newest version of the mediator's text this viewer may read."""
    if viewer.is_mediator:
        return latest_mediator_version(session, viewer.access.negotiation)
    return None if viewer.party is None else latest_received_version(session, viewer.party)


@router.get("/negotiations/{negotiation_id}")
@html_page
def dashboard(request: Request, session: DbSession, negotiation_id: int) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    meetings = recent_meetings(session, negotiation, RECENT_MEETINGS)
    return render(
        "dashboard.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        blocks=visible_matrices(session, viewer),
        text=current_text(session, viewer),
        labels=option_labels(negotiation),
        issues=negotiation.agenda["issues"],
        meetings=meetings,
        writable=viewer.writable_parties(),
        stance_kinds=STANCE_KINDS,
    )


@router.get("/negotiations/{negotiation_id}/stances")
@html_page
def stances_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """The stances of the parties whose stances the viewer may read, newest first, one page
    of :data:`STANCES_PER_PAGE` at a time (``before``: the id the next page starts below)."""
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    parties = viewer.access.private_parties()
    rows = (
        newest_stances(session, negotiation, parties, STANCES_PER_PAGE + 1, before)
        if parties
        else []
    )
    older = rows[STANCES_PER_PAGE - 1].id if len(rows) > STANCES_PER_PAGE else None
    rows = rows[:STANCES_PER_PAGE]
    # The draft version a stance answered, named only if the viewer may read that version.
    answered = {row.version_id for row in rows if row.version_id is not None}
    readable = viewer.access.readable_version_ids(session, answered)
    versions = {
        version.id: version
        for version in session.scalars(select(DraftVersion).where(DraftVersion.id.in_(readable)))
    }
    return render(
        "stances.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        rows=rows,
        versions=versions,
        titles=issue_titles(negotiation),
        older=older,
        first_page=before is None,
    )


@router.post("/negotiations/{negotiation_id}/stances")
@html_page
def add_stance(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    party: Annotated[str, Form(max_length=80)],
    issue: Annotated[str, Form(max_length=80)],
    stance: Annotated[str, Form(max_length=16)],
    condition: Annotated[str, Form(max_length=2000)] = "",
    version_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    row = viewer.access.require_party(session, party)
    version = None
    if version_id.strip():
        if not version_id.strip().isdigit():
            raise InvalidInput(f"version_id must be a number, got {version_id!r}")
        version = get_version_by_id(session, negotiation, int(version_id))
        if not viewer.access.sees_version(session, version):
            # The words of a missing version: a hidden one must not be told from it.
            raise NotFound(f"negotiation {negotiation.id} has no draft version {version.id}")
    record_stance(session, negotiation, row, issue, stance, condition, version, user)
    session.commit()
    block = next(
        (item.get("block") for item in negotiation.agenda["issues"] if item["id"] == issue), None
    )
    return see_other(f"/negotiations/{negotiation_id}#block-{block or 'other'}")
