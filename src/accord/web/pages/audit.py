"""The audit log of a negotiation (mediator): every write, by whom, through which session
or token, from where, and whether the chain of events verifies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from accord.ledger import audit
from accord.web.deps import MAX_ID, DbSession
from accord.web.pages.common import html_page, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100


@router.get("/negotiations/{negotiation_id}/audit")
@html_page
def audit_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    negotiation = viewer.access.negotiation
    events = audit.events(session, negotiation.id, before, PAGE_SIZE)
    return render(
        "audit.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        events=events,
        report=audit.verify_audit(session, negotiation.id),
        older=events[-1].number if len(events) == PAGE_SIZE and events[-1].number > 1 else None,
    )
