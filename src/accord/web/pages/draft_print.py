"""A version to take away: a clean printable page and a PDF, for whoever may read it.

Both show what the version page shows (the same access rule: a version the viewer may not
read is "not found"): the articles in agenda order, each with its number, title, option
and text, under the draft's title, the version's date and its hash.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from accord.drafts_pdf import PrintedPoint, PrintedVersion
from accord.ledger.draft_texts import text_of
from accord.ledger.models import DraftVersion, Negotiation
from accord.web.deps import DbSession
from accord.web.pages.common import html_page, option_labels, viewer_for
from accord.web.pages.render import render
from accord.web.pdf_exports import RENDER_WAIT_SECONDS, pdf_of, render_ahead

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/drafts/{draft_id}/versions/{number}"


def printed_version(
    negotiation: Negotiation, version: DraftVersion, show_answered: bool = True
) -> PrintedVersion:
    """The version as plain data for the printable page and the PDF (``show_answered``:
    name the version a counter-draft answers, which a viewer who never had it may not see).
    """
    draft = version.draft
    labels = option_labels(negotiation)
    points = []
    for issue in negotiation.agenda["issues"]:
        option = version.package.get(issue["id"])
        if option is None:
            continue
        title = issue.get("title") or issue["id"]
        number = issue.get("number")
        points.append(
            PrintedPoint(
                heading=f"{number}. {title}" if number else title,
                option=labels[(issue["id"], option)],
                text=text_of(version, issue["id"]),
            )
        )
    author = (
        "The mediator's text"
        if draft.party is None
        else f"Counter-draft of {draft.party.display_name}"
    )
    facts = [
        f"{author}, version {version.number}, issued "
        f"{version.created_at.strftime('%Y-%m-%d %H:%M')} UTC",
        f"Hash {version.hash}",
    ]
    if show_answered and draft.responds_to is not None and draft.party is not None:
        facts.append(
            f"Answers version {draft.responds_to.number} of draft {draft.responds_to.draft_id}; "
            "the points it does not list stand as the mediator wrote them"
        )
    return PrintedVersion(
        negotiation=negotiation.title or negotiation.scenario_key,
        title=f"{draft.title}, version {version.number}",
        facts=tuple(facts),
        note=version.note,
        points=tuple(points),
    )


def render_pdf_ahead(negotiation: Negotiation, version: DraftVersion) -> None:
    """Start rendering a version just written, as its readers will ask for it (with and
    without the version it answers), so that its first PDF request is a lookup."""
    printed = [printed_version(negotiation, version, True)]
    hidden = printed_version(negotiation, version, False)
    render_ahead((negotiation.id, version.draft_id), printed + [hidden] * (hidden != printed[0]))


def readable_printed(
    request: Request, session: Session, negotiation_id: int, draft_id: int, number: int
) -> PrintedVersion:
    """The version, if the viewer may read it (else "not found", as the version page)."""
    _, viewer = viewer_for(request, session, negotiation_id)
    version = viewer.access.readable_version(session, draft_id, number)
    answered = version.draft.responds_to
    show_answered = answered is not None and viewer.access.sees_version(session, answered)
    return printed_version(viewer.access.negotiation, version, show_answered)


@router.get(PATH + "/print")
@html_page
def print_page(
    request: Request, session: DbSession, negotiation_id: int, draft_id: int, number: int
) -> Response:
    """The version alone, styled for paper: no navigation, no forms."""
    printed = readable_printed(request, session, negotiation_id, draft_id, number)
    return render(
        "version_print.html",
        printed=printed,
        pdf_url=f"/negotiations/{negotiation_id}/drafts/{draft_id}/versions/{number}/pdf",
        back_url=f"/negotiations/{negotiation_id}/drafts/{draft_id}/versions/{number}",
    )


@router.get(PATH + "/pdf")
@html_page
def pdf_export(
    request: Request, session: DbSession, negotiation_id: int, draft_id: int, number: int
) -> Response:
    """The version as a PDF file to download."""
    printed = readable_printed(request, session, negotiation_id, draft_id, number)
    pdf = pdf_of(printed)
    if pdf is None:
        response = render(
            "error.html",
            status_code=503,
            title="Busy",
            message="Another PDF is being rendered; try again in a few seconds.",
        )
        response.headers["Retry-After"] = str(int(RENDER_WAIT_SECONDS))
        return response
    filename = f"negotiation-{negotiation_id}-draft-{draft_id}-version-{number}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
