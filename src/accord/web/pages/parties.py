"""The parties at the table: who sits, in which role, and the history of joining and leaving.

Everyone sees the public roster and its history. A party's preferences are summarised, and
linked to their form (:mod:`accord.web.pages.preferences`), only for its own delegates and
the mediator (the API's rule,
:meth:`NegotiationAccess.require_party`); the mediator seats parties, changes their role
and records their leaving.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from accord.ledger import negotiations as ledger
from accord.ledger.errors import InvalidInput
from accord.web.deps import MAX_ID, DbSession
from accord.web.pages.common import html_page, see_other, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/parties"

RoleField = Annotated[Literal["negotiator", "mediator", "observer"], Form()]


def required_from_form(text: str) -> bool | None:
    """``"yes"``/``"no"``/``""`` (the role's default) → the ledger's ``required``."""
    choices: dict[str, bool | None] = {"yes": True, "no": False, "": None}
    if text not in choices:
        raise InvalidInput(f"required must be yes, no or empty (the role's default), got {text!r}")
    return choices[text]


@router.get(PATH)
@html_page
def parties_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """The roster and the history of the table, newest first, 100 events at a time."""
    user, viewer = viewer_for(request, session, negotiation_id)
    events = ledger.newest_party_events(session, viewer.access.negotiation, 101, before)
    negotiation = viewer.access.negotiation
    own = [(party, ledger.preferences_of(party)) for party in viewer.access.private_parties()]
    return render(
        "parties.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        parties=negotiation.parties,
        events=events[:100],
        older=events[99].id if len(events) > 100 else None,
        first_page=before is None,
        preferences=own,
    )


@router.post(PATH)
@html_page
def add_party(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    key: Annotated[str, Form(max_length=80)],
    role: RoleField,
    name: Annotated[str, Form(max_length=200)] = "",
    required: Annotated[str, Form(max_length=3)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """A party takes a seat, or one that left comes back (mediator)."""
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    ledger.add_party(
        session,
        viewer.access.negotiation,
        key.strip(),
        name.strip(),
        role,
        required_from_form(required),
        None,
        user,
        note,
    )
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/parties")


@router.post(PATH + "/{party_key}/role")
@html_page
def change_role(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    party_key: str,
    role: RoleField,
    required: Annotated[str, Form(max_length=3)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The party's role or requiredness changes: the outside bloc gets its seat (mediator)."""
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    party = ledger.get_party(session, viewer.access.negotiation, party_key)
    ledger.change_role(session, party, role, required_from_form(required), user, note)
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/parties")


@router.post(PATH + "/{party_key}/leave")
@html_page
def leave(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    party_key: str,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The party leaves the table; its history stays (mediator)."""
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    party = ledger.get_party(session, viewer.access.negotiation, party_key)
    ledger.leave(session, party, user, note)
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/parties")


@router.post(PATH + "/{party_key}/preferences")
@html_page
def write_preferences(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    party_key: str,
    preferences: Annotated[str, Form(max_length=200_000)],
) -> Response:
    """Replace the party's preferences, written as JSON (its delegates and the mediator)."""
    _, viewer = viewer_for(request, session, negotiation_id)
    party = viewer.access.require_party(session, party_key)
    try:
        data = json.loads(preferences) if preferences.strip() else None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"preferences must be JSON: line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    ledger.set_preferences(session, party, data)
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/parties#preferences-{party.key}")
