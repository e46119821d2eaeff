"""The timeline page: the story of the talks, newest first, one page at a time, for one
party or one block if asked (see :mod:`accord.web.timeline` for what each viewer sees)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.ledger.errors import InvalidInput
from accord.ledger.models import DraftVersion
from accord.ledger.negotiations import get_party
from accord.web import timeline
from accord.web.charts import block_ids, point_label
from accord.web.deps import DbSession, NegotiationAccess
from accord.web.pages.common import html_page, public_agenda, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100


def _answered_versions(
    session: Session, access: NegotiationAccess, answered: set[int]
) -> dict[int, DraftVersion]:
    """The versions the page's stances answer that the viewer may read, by id."""
    readable = access.readable_version_ids(session, answered) if answered else set()
    if not readable:
        return {}
    query = select(DraftVersion).where(DraftVersion.id.in_(readable))
    return {version.id: version for version in session.scalars(query)}


@router.get("/negotiations/{negotiation_id}/timeline")
@html_page
def timeline_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    party: Annotated[str, Query(max_length=80)] = "",
    block: Annotated[str, Query(max_length=80)] = "",
    before: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    agenda = public_agenda(negotiation)
    blocks = block_ids(agenda)
    filters = timeline.Filters()
    if party:
        filters = timeline.Filters(party=get_party(session, negotiation, party))
    if block:
        if block not in dict(blocks):
            known = ", ".join(block_id for block_id, _ in blocks)
            raise InvalidInput(f"unknown block '{block}' (blocks: {known})")
        wanted = None if block == "other" else block
        filters = timeline.Filters(
            party=filters.party,
            block=block,
            block_issues=tuple(issue.id for issue in agenda.issues if issue.block == wanted),
        )
    cursor = timeline.Cursor.parse(before) if before else None
    entries, older = timeline.page(session, viewer.access, filters, cursor, PAGE_SIZE)
    answered = {
        entry.record.version_id
        for entry in entries
        if entry.kind == "stance" and entry.record.version_id is not None
    }
    chosen = {key: value for key, value in (("party", party), ("block", block)) if value}
    here = f"/negotiations/{negotiation.id}/timeline"
    party_choices = [(row.key, row.display_name) for row in negotiation.parties]
    block_choices = list(blocks)

    def with_filter(key: str, value: str) -> str:
        wanted = {name: text for name, text in (chosen | {key: value}).items() if text}
        return f"{here}?{urlencode(wanted)}" if wanted else here

    filter_urls = {
        "party": {key: with_filter("party", key) for key, _ in [("", ""), *party_choices]},
        "block": {key: with_filter("block", key) for key, _ in [("", ""), *block_choices]},
    }
    return render(
        "timeline.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        entries=entries,
        # Every party named on the page is the negotiation's: a lookup, not a load per row.
        party_names={row.id: row.display_name for row in negotiation.parties},
        older_url=None
        if older is None
        else here + "?" + urlencode(chosen | {"before": older.text()}),
        newest_url=f"{here}?{urlencode(chosen)}" if chosen else here,
        first_page=cursor is None,
        versions=_answered_versions(session, viewer.access, answered),
        points={issue.id: point_label(issue) for issue in agenda.issues},
        block_titles=dict(blocks),
        party_choices=party_choices,
        block_choices=block_choices,
        filter_urls=filter_urls,
        chosen=chosen,
    )
