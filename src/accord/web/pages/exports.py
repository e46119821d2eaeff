"""CSV and JSON exports of the agenda, the meetings and the stances.

An export holds what its reader may see on the pages, by the same rules: the agenda and
the meeting log are public to every member; the stances are those of the parties whose
stances the reader may read (the mediator: all; a delegate: its own party's; an
observer: none), and a stance names the draft version it answered only if the reader may
read that version. CSV cells that a spreadsheet would run as a formula are quoted with a
leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.ledger.errors import NotFound
from accord.ledger.meetings import list_meetings
from accord.ledger.models import DraftVersion
from accord.ledger.stances import stance_history
from accord.web.deps import DbSession
from accord.web.pages.common import Viewer, html_page, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/exports"

Rows = list[dict[str, Any]]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def agenda_rows(session: Session, viewer: Viewer) -> Rows:
    """One row per option of every point, in agenda order (public)."""
    agenda = viewer.access.negotiation.agenda
    return [
        {
            "block": issue.get("block") or "",
            "point_number": issue.get("number"),
            "issue": issue["id"],
            "title": issue.get("title") or "",
            "issue_text": issue.get("text") or "",
            "option": option["id"],
            "label": option.get("label") or "",
            "option_text": option.get("text") or "",
            "value": option.get("value"),
            "status_quo": option["id"] == issue.get("status_quo"),
        }
        for issue in agenda["issues"]
        for option in issue["options"]
    ]


def meeting_rows(session: Session, viewer: Viewer) -> Rows:
    """Every meeting, in order (public to every member, as the meeting log)."""
    return [
        {
            "number": meeting.number,
            "held_at": meeting.held_at.isoformat(),
            "place": meeting.place,
            "duration_minutes": meeting.duration_minutes,
            "blocks": list(meeting.blocks),
            "attendees": [party.key for party in meeting.attendees],
            "notes": meeting.notes,
        }
        for meeting in list_meetings(session, viewer.access.negotiation)
    ]


def stance_rows(session: Session, viewer: Viewer) -> Rows:
    """The stances the viewer may read, oldest first, as on the stances page."""
    parties = viewer.access.private_parties()
    if not parties:
        return []
    rows = stance_history(session, viewer.access.negotiation, parties)
    answered = {row.version_id for row in rows if row.version_id is not None}
    readable = viewer.access.readable_version_ids(session, answered)
    versions = {
        version.id: version
        for version in session.scalars(select(DraftVersion).where(DraftVersion.id.in_(readable)))
    }
    keys = {party.id: party.key for party in parties}  # not one party lookup per row
    result = []
    for row in rows:
        version = versions.get(row.version_id) if row.version_id is not None else None
        result.append(
            {
                "recorded_at": row.recorded_at.isoformat(),
                "party": keys[row.party_id],
                "issue": row.issue,
                "stance": row.stance,
                "condition": row.condition,
                "draft": None if version is None else version.draft_id,
                "version": None if version is None else version.number,
            }
        )
    return result


EXPORTS: dict[str, tuple[str, Callable[[Session, Viewer], Rows]]] = {
    "agenda": ("The agenda: every point and its options, with their wording", agenda_rows),
    "meetings": ("The meeting log", meeting_rows),
    "stances": ("The stances you may read, oldest first", stance_rows),
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def as_csv(rows: Rows, columns: Iterable[str]) -> str:
    """The rows as CSV with a header line (lists joined by spaces)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = list(columns)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in header])
    return out.getvalue()


COLUMNS = {
    "agenda": [
        "block", "point_number", "issue", "title", "issue_text", "option", "label",
        "option_text", "value", "status_quo",
    ],
    "meetings": [
        "number", "held_at", "place", "duration_minutes", "blocks", "attendees", "notes",
    ],
    "stances": ["recorded_at", "party", "issue", "stance", "condition", "draft", "version"],
}  # fmt: skip
"""The CSV columns of each export (also those of an empty one)."""


@router.get(PATH)
@html_page
def exports_page(request: Request, session: DbSession, negotiation_id: int) -> Response:
    """The list of downloads."""
    user, viewer = viewer_for(request, session, negotiation_id)
    return render(
        "exports.html",
        user=user,
        viewer=viewer,
        negotiation=viewer.access.negotiation,
        exports=[(name, title) for name, (title, _) in EXPORTS.items()],
    )


@router.get(PATH + "/{what}.{extension}")
@html_page
def export(
    request: Request, session: DbSession, negotiation_id: int, what: str, extension: str
) -> Response:
    """One export as a file to download."""
    _, viewer = viewer_for(request, session, negotiation_id)
    if what not in EXPORTS or extension not in ("csv", "json"):
        raise NotFound(
            f"no export {what}.{extension}: exports are "
            + ", ".join(f"{name}.csv, {name}.json" for name in EXPORTS)
        )
    rows = EXPORTS[what][1](session, viewer)
    filename = f"negotiation-{negotiation_id}-{what}.{extension}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if extension == "csv":
        return Response(
            as_csv(rows, COLUMNS[what]),
            media_type="text/csv; charset=utf-8",
            headers=headers,
        )
    body = json.dumps({"negotiation": negotiation_id, what: rows}, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json", headers=headers)
