"""The agenda's history: every version (who, when, why, what changed), the agenda as it
stood at any version, the difference between two versions, and a draft version shown
against the agenda it was written under, flagged when the agenda changed since.

The agenda is public to every member; who made a change is shown to the mediator only
(members' names are not public, as on the API's member list).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from accord.ledger.agenda import (
    agenda_of_version,
    agenda_versions,
    draft_agenda_flag,
    get_agenda_version,
)
from accord.ledger.agenda_diff import agenda_changes
from accord.ledger.drafts import list_drafts
from accord.web.deps import MAX_ID, DbSession, RecordId
from accord.web.pages.common import html_page, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/agenda"
Number = Annotated[int, Query(ge=1, le=MAX_ID)]


@router.get(PATH + "/history")
@html_page
def history_page(request: Request, session: DbSession, negotiation_id: int) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    versions = agenda_versions(session, negotiation)
    rows = []
    previous = None
    for version in versions:
        changes = (
            ["the first version"] if previous is None else agenda_changes(previous, version.agenda)
        )
        by = version.by_user.username if viewer.is_mediator and version.by_user else None
        rows.append({"version": version, "changes": changes, "by": by})
        previous = version.agenda
    current = versions[-1].number if versions else None
    return render(
        "agenda_history.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        rows=list(reversed(rows)),
        numbers=[version.number for version in versions],
        older_drafts=[
            version
            for draft in list_drafts(session, negotiation)
            for version in viewer.access.visible_versions(session, draft)
            if version.agenda_version is not None and version.agenda_version != current
        ],
    )


@router.get(PATH + "/versions/{number}")
@html_page
def version_page(
    request: Request, session: DbSession, negotiation_id: int, number: RecordId
) -> Response:
    """The agenda as it stood at version ``number``."""
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    version = get_agenda_version(session, negotiation, number)
    return render(
        "agenda_version.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        number=version.number,
        agenda=version.agenda,
        note=version.note,
        at=version.at,
        package=None,
        flag=None,
        heading=f"The agenda at version {version.number}",
    )


@router.get(PATH + "/diff")
@html_page
def diff_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    older: Annotated[int, Query(alias="from", ge=1, le=MAX_ID)],
    newer: Annotated[int, Query(alias="to", ge=1, le=MAX_ID)],
) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    before = get_agenda_version(session, negotiation, older)
    after = get_agenda_version(session, negotiation, newer)
    return render(
        "agenda_diff.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        older=older,
        newer=newer,
        changes=agenda_changes(before.agenda, after.agenda),
    )


@router.get(PATH + "/drafts/{draft_id}/versions/{number}")
@html_page
def draft_version_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    draft_id: RecordId,
    number: RecordId,
) -> Response:
    """A draft version read against the agenda it was written under (a version the viewer
    may not read is "not found", as on the drafts pages)."""
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    version = viewer.access.readable_version(session, draft_id, number)
    return render(
        "agenda_version.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        number=version.agenda_version,
        agenda=agenda_of_version(session, version),
        note="",
        at=None,
        package=version.package,
        flag=draft_agenda_flag(session, version),
        heading=f"{version.draft.title}, version {version.number}, against its agenda",
    )
