"""Drafts: the history of the single text and counter-drafts, differences, distribution.

Each viewer sees the versions :meth:`NegotiationAccess.visible_versions` allows (the API's
rule): the mediator every one, a delegate the versions sent to its party and its party's
counter-drafts, an observer none. Forms post a point as ``issue=option`` so that one list
field carries a whole package, and its words as a ``text_point`` (the issue id) and a
``text`` field, in the same order: a blank text is the agenda's wording of the option.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from accord.ledger import drafts as ledger
from accord.ledger.agenda import draft_agenda_flag
from accord.ledger.draft_texts import agenda_wordings
from accord.ledger.errors import InvalidInput, NotFound
from accord.ledger.models import Draft, DraftVersion
from accord.ledger.negotiations import get_party
from accord.web.deps import DbSession
from accord.web.pages.common import (
    Viewer,
    html_page,
    issue_titles,
    option_labels,
    see_other,
    viewer_for,
)
from accord.web.pages.draft_print import render_pdf_ahead
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/drafts"

Points = Annotated[list[str], Form()]
Texts = Annotated[list[str] | None, Form()]


def package_from_form(points: list[str]) -> dict[str, str]:
    """``["issue=option", ...]`` → ``{issue: option}``; an empty option leaves the point out."""
    package: dict[str, str] = {}
    for point in points:
        issue, separator, option = point.partition("=")
        if not separator or not issue:
            raise InvalidInput(f"a point must be written issue=option, got {point!r}")
        if option:
            package[issue] = option
    return package


def texts_from_form(
    package: dict[str, str], text_points: list[str] | None, texts: list[str] | None
) -> dict[str, str]:
    """The amended words of the points in ``package``, from the paired form fields.

    A text beside a point left out of the package is the inert box of an unused point and
    is dropped; a blank one leaves the point to the agenda's wording.
    """
    text_points, texts = text_points or [], texts or []
    if len(text_points) != len(texts):
        raise InvalidInput(
            f"each text needs its point: the form sent {len(texts)} text(s) "
            f"for {len(text_points)} point(s) (fields text and text_point)"
        )
    return {
        issue: text
        for issue, text in zip(text_points, texts, strict=True)
        if issue in package and text.strip()
    }


def visible_drafts(
    session: Session, viewer: Viewer
) -> list[tuple[Draft, list[DraftVersion], DraftVersion | None]]:
    """Each draft the viewer may read: its readable versions and the version it answers
    (None for the mediator's text, and where the viewer may not read that version)."""
    result = []
    for draft in ledger.list_drafts(session, viewer.access.negotiation):
        versions = viewer.access.visible_versions(session, draft)
        if versions:
            answered = draft.responds_to
            if answered is not None and not viewer.access.sees_version(session, answered):
                answered = None
            result.append((draft, versions, answered))
    return result


def visible_version(session: Session, viewer: Viewer, draft_id: int, number: int) -> DraftVersion:
    """A version the viewer may read; anything else is "not found", as in the API."""
    return viewer.access.readable_version(session, draft_id, number)


def receipts(session: Session, viewer: Viewer) -> dict[int, list[Any]]:
    """Version id → its distribution rows the viewer may see (all for the mediator)."""
    negotiation = viewer.access.negotiation
    if viewer.is_mediator:
        rows = ledger.distributions(session, negotiation)
    elif viewer.party is not None:
        rows = ledger.distributions(session, negotiation, viewer.party)
    else:
        rows = []
    by_version: dict[int, list[Any]] = {}
    for row in rows:
        by_version.setdefault(row.version_id, []).append(row)
    return by_version


@router.get(PATH)
@html_page
def drafts_page(request: Request, session: DbSession, negotiation_id: int) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    drafts = visible_drafts(session, viewer)
    mediator_versions = [
        version for draft, versions, _ in drafts if draft.party_id is None for version in versions
    ]
    return render(
        "drafts.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        drafts=drafts,
        receipts=receipts(session, viewer),
        issues=negotiation.agenda["issues"],
        labels=option_labels(negotiation),
        parties=[party for party in negotiation.parties if party.active],
        writable=viewer.writable_parties(),
        answerable=mediator_versions,
        wordings=agenda_wordings(negotiation),
    )


@router.post(PATH)
@html_page
def create_draft(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    title: Annotated[str, Form(max_length=200)],
    point: Points,
    note: Annotated[str, Form(max_length=5000)] = "",
    party: Annotated[str, Form(max_length=80)] = "",
    responds_to: Annotated[str, Form(max_length=40)] = "",
    text_point: Texts = None,
    text: Texts = None,
    whole: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """A mediator's draft, or (with ``party``) that party's counter-draft to a version.

    With ``whole`` the counter-draft was written from the whole version it answers (every
    point prefilled): only the points whose option or words differ are its amendments.
    """
    user, viewer = viewer_for(request, session, negotiation_id)
    access = viewer.access
    answering = None
    if not party:
        access.require_mediator()
        owner = None
    else:
        owner = access.require_party(session, party)
        draft_id, _, number = responds_to.partition("/")
        if not (draft_id.isdigit() and number.isdigit()):
            raise InvalidInput("a counter-draft must name the version it answers (draft/version)")
        answering = visible_version(session, viewer, int(draft_id), int(number))
    package = package_from_form(point)
    texts = texts_from_form(package, text_point, text)
    if whole and answering is not None:
        package, texts = ledger.amendments(access.negotiation, answering, package, texts)
    draft = ledger.create_draft(
        session,
        access.negotiation,
        title,
        package,
        note,
        party=owner,
        responds_to=answering,
        user=user,
        texts=texts,
    )
    session.commit()
    render_pdf_ahead(access.negotiation, draft.versions[0])
    return see_other(f"/negotiations/{negotiation_id}/drafts/{draft.id}/versions/1")


@router.post(PATH + "/{draft_id}/versions")
@html_page
def add_version(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    draft_id: int,
    point: Points,
    note: Annotated[str, Form(max_length=5000)] = "",
    text_point: Texts = None,
    text: Texts = None,
) -> Response:
    """The next version (the mediator for the mediator's text; the party for its own)."""
    user, viewer = viewer_for(request, session, negotiation_id)
    access = viewer.access
    draft = ledger.get_draft(session, access.negotiation, draft_id)
    if not access.can_read_draft(session, draft):
        # A draft the viewer may not read is "not found", as a missing one (and as in the
        # API): a refusal would tell Ukraine that Russia tabled a counter-draft.
        raise NotFound(f"negotiation {access.negotiation.id} has no draft {draft_id}")
    if draft.party is None:
        access.require_mediator()
    else:
        access.require_party(session, draft.party.key)
    package = package_from_form(point)
    texts = texts_from_form(package, text_point, text)
    version = ledger.add_version(session, draft, package, note, user, texts=texts)
    session.commit()
    render_pdf_ahead(access.negotiation, version)
    return see_other(f"/negotiations/{negotiation_id}/drafts/{draft_id}/versions/{version.number}")


@router.post(PATH + "/{draft_id}/versions/{number}/distribution")
@html_page
def distribute(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    draft_id: int,
    number: int,
    party: Annotated[list[str], Form()],
) -> Response:
    """Record that these parties received this version now (mediator)."""
    user, viewer = viewer_for(request, session, negotiation_id)
    access = viewer.access
    access.require_mediator()
    draft = ledger.get_draft(session, access.negotiation, draft_id)
    version = ledger.get_version(draft, number)
    parties = [get_party(session, access.negotiation, key) for key in party]
    ledger.distribute(session, version, parties, user)
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/drafts/{draft_id}/versions/{number}")


@router.get(PATH + "/{draft_id}/versions/{number}")
@html_page
def version_page(
    request: Request, session: DbSession, negotiation_id: int, draft_id: int, number: int
) -> Response:
    """One version: its points, who received it, and (for a counter-draft) the comparison."""
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    version = visible_version(session, viewer, draft_id, number)
    draft = version.draft
    comparison = None
    answered = draft.responds_to
    if answered is not None and not viewer.access.sees_version(session, answered):
        answered = None  # neither the text nor the id of a version the viewer never had
    if draft.party_id is not None and answered is not None:
        comparison = ledger.counter_comparison(negotiation, version)
    readable = viewer.access.visible_versions(session, draft)
    previous = [v for v in readable if v.number < number]
    # A delegate whose party received this version of the mediator's text may answer it.
    answering_parties = (
        []
        if draft.party_id is not None or viewer.is_mediator
        else [
            party for party in viewer.writable_parties() if ledger.was_sent(session, version, party)
        ]
    )
    return render(
        "version.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        draft=draft,
        version=version,
        versions=readable,
        previous=previous[-1] if previous else None,
        comparison=comparison,
        titles=issue_titles(negotiation),
        receipts=receipts(session, viewer).get(version.id, []),
        issues=negotiation.agenda["issues"],
        labels=option_labels(negotiation),
        parties=[party for party in negotiation.parties if party.active],
        writable=viewer.writable_parties(),
        answering_parties=answering_parties,
        wordings=agenda_wordings(negotiation),
        agenda_flag=draft_agenda_flag(session, version),
    )


@router.get(PATH + "/{draft_id}/diff")
@html_page
def diff_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    draft_id: int,
    before: int,
    after: int,
) -> Response:
    """Point by point, what changed between two versions of one draft: options and words."""
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    old = visible_version(session, viewer, draft_id, before)
    new = visible_version(session, viewer, draft_id, after)
    return render(
        "diff.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        draft=old.draft,
        before=old,
        after=new,
        points=ledger.version_diff(negotiation, old, new),
        titles=issue_titles(negotiation),
        labels=option_labels(negotiation),
    )
