"""Negotiations, their parties and members, and each party's private preferences."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from accord.errors import ScenarioError
from accord.ledger import negotiations as ledger
from accord.ledger.errors import InvalidInput
from accord.ledger.stored_scenario import create_stored_negotiation
from accord.web.api.convert import party_event_out, party_out
from accord.web.api.schemas import (
    AgreementChangeIn,
    AgreementChangeOut,
    MemberCreate,
    MemberOut,
    NegotiationCreate,
    NegotiationOut,
    NegotiationSummary,
    PartyChange,
    PartyCreate,
    PartyEventOut,
    PartyLeave,
    PartyOut,
    PreferencesOut,
)
from accord.web.auth import get_user_by_name, require_negotiation_creator
from accord.web.deps import Access, CurrentUser, DbSession, NegotiationAccess
from accord.web.uploads import read_creation_request

router = APIRouter(tags=["negotiations"])
PATH = "/negotiations/{negotiation_id}"


def negotiation_out(access: NegotiationAccess) -> NegotiationOut:
    negotiation = access.negotiation
    return NegotiationOut(
        id=negotiation.id,
        title=negotiation.title,
        description=negotiation.description,
        scenario=negotiation.scenario_key,
        blocks=negotiation.agenda["blocks"],
        issues=negotiation.agenda["issues"],
        agreement=negotiation.agreement,
        parties=[party_out(party) for party in negotiation.parties],
        role=access.role,
        party=None if access.party is None else access.party.key,
    )


@router.get("/negotiations", response_model=list[NegotiationSummary])
def list_negotiations(user: CurrentUser, session: DbSession) -> list[NegotiationSummary]:
    """The negotiations the current user has a role in, with that role."""
    result = []
    for negotiation in ledger.list_negotiations(session, user):
        membership = ledger.membership_of(session, negotiation.id, user.id)
        assert membership is not None  # listed because it exists
        result.append(
            NegotiationSummary(
                id=negotiation.id,
                title=negotiation.title,
                scenario=negotiation.scenario_key,
                role=membership.role,
                party=None if membership.party is None else membership.party.key,
            )
        )
    return result


async def raw_body(request: Request) -> bytes:
    """The request's body as sent: FastAPI neither parses nor validates it."""
    try:
        return await request.body()
    except RuntimeError:
        # A form body, already read as one (accord.web.validation refuses NUL characters
        # in forms): not JSON, so only whether it was empty matters to the answer.
        fields = (await request.form()).multi_items()
        sent = request.headers.get("content-length", "0") not in ("", "0")
        return b"a form" if sent or fields else b""


CREATE_BODY = {
    # What FastAPI would document had the route taken a NegotiationCreate: the route
    # takes the bytes instead, so that the server parses nothing (accord.web.uploads).
    "requestBody": {
        "content": {"application/json": {"schema": NegotiationCreate.model_json_schema()}},
        "required": True,
    },
    "responses": {
        "422": {
            "description": "Validation Error",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
            },
        }
    },
}


@router.post(
    "/negotiations",
    response_model=NegotiationOut,
    status_code=201,
    openapi_extra=CREATE_BODY,
)
def create_negotiation(
    body: Annotated[bytes, Depends(raw_body)],
    user: CurrentUser,
    session: DbSession,
    request: Request,
) -> Response:
    """A new negotiation from a scenario; its creator becomes the mediator.

    Needs the permission to create negotiations (administrators grant it).
    """
    require_negotiation_creator(user)
    # Reading a large scenario takes a while: end the transaction the login check opened
    # first, so that no database lock is held meanwhile (on SQLite a write transaction
    # holds the one write lock). The write below is a new, short transaction.
    session.rollback()
    try:
        prepared = read_creation_request(body, request.headers.get("content-type"))
    except ScenarioError as error:
        raise InvalidInput(
            "; ".join(f"{p.path}: {p.message}" if p.path else p.message for p in error.problems)
        ) from error
    negotiation = create_stored_negotiation(session, prepared.stored, user)
    session.commit()
    return Response(prepared.answer(negotiation.id), 201, media_type="application/json")


@router.get(PATH, response_model=NegotiationOut)
def read_negotiation(access: Access) -> NegotiationOut:
    """The public part: agenda, blocks, agreement rule, parties (no preferences)."""
    return negotiation_out(access)


@router.get(PATH + "/parties", response_model=list[PartyOut])
def list_parties(access: Access) -> list[PartyOut]:
    return [party_out(party) for party in access.negotiation.parties]


@router.post(PATH + "/parties", response_model=PartyOut, status_code=201)
def add_party(body: PartyCreate, access: Access, session: DbSession) -> PartyOut:
    """A party takes a seat, or one that left comes back (mediator)."""
    access.require_mediator()
    party = ledger.add_party(
        session,
        access.negotiation,
        body.key,
        body.name,
        body.role,
        body.required,
        body.preferences,
        access.user,
        body.note,
    )
    session.commit()
    return party_out(party)


@router.patch(PATH + "/parties/{party_key}", response_model=PartyOut)
def change_role(party_key: str, body: PartyChange, access: Access, session: DbSession) -> PartyOut:
    """Change a party's role or whether its consent is required (mediator)."""
    access.require_mediator()
    party = ledger.get_party(session, access.negotiation, party_key)
    ledger.change_role(session, party, body.role, body.required, access.user, body.note)
    session.commit()
    return party_out(party)


@router.post(PATH + "/parties/{party_key}/leave", response_model=PartyOut)
def leave(party_key: str, body: PartyLeave, access: Access, session: DbSession) -> PartyOut:
    """A party leaves the table (mediator); its history stays."""
    access.require_mediator()
    party = ledger.get_party(session, access.negotiation, party_key)
    ledger.leave(session, party, access.user, body.note)
    session.commit()
    return party_out(party)


@router.get(PATH + "/party-events", response_model=list[PartyEventOut])
def party_events(access: Access, session: DbSession) -> list[PartyEventOut]:
    """Who joined, left or changed role, when."""
    return [party_event_out(e) for e in ledger.party_events(session, access.negotiation)]


@router.get(PATH + "/parties/{party_key}/preferences", response_model=PreferencesOut)
def read_preferences(party_key: str, access: Access, session: DbSession) -> PreferencesOut:
    """The party's private preferences: its own delegates and the mediator only."""
    party = access.require_party(session, party_key)
    preferences = ledger.preferences_of(party)
    return PreferencesOut(
        party=party.key,
        preferences=None if preferences is None else preferences.model_dump(mode="json"),
    )


@router.put(PATH + "/parties/{party_key}/preferences", response_model=PreferencesOut)
def write_preferences(
    party_key: str, body: dict[str, Any], access: Access, session: DbSession
) -> PreferencesOut:
    """Replace the party's preferences: its own delegates and the mediator only."""
    party = access.require_party(session, party_key)
    preferences = ledger.set_preferences(session, party, body)
    session.commit()
    return PreferencesOut(
        party=party.key,
        preferences=None if preferences is None else preferences.model_dump(mode="json"),
    )


@router.get(PATH + "/members", response_model=list[MemberOut])
def list_members(access: Access, session: DbSession) -> list[MemberOut]:
    """Who has which role (mediator only: delegates' names are not public)."""
    access.require_mediator()
    return [
        MemberOut(
            username=m.user.username,
            role=m.role,
            party=None if m.party is None else m.party.key,
        )
        for m in ledger.members(session, access.negotiation)
    ]


@router.put(PATH + "/members", response_model=MemberOut)
def set_member(body: MemberCreate, access: Access, session: DbSession) -> MemberOut:
    """Give a user a role in this negotiation, replacing any it had (mediator).

    The answer is the same whether or not an account has that name (no name can be
    probed this way); the member list shows who actually holds a role.
    """
    access.require_mediator()
    party = ledger.check_role(session, access.negotiation, body.role, body.party)
    user = get_user_by_name(session, body.username)
    if user is not None:
        ledger.add_member(session, access.negotiation, user, body.role, body.party)
        session.commit()
    return MemberOut(
        username=body.username, role=body.role, party=None if party is None else party.key
    )


@router.delete(PATH + "/members/{username}", status_code=204)
def remove_member(username: str, access: Access, session: DbSession) -> None:
    """Take a user's role in this negotiation away (mediator); the record keeps its history."""
    access.require_mediator()
    user = get_user_by_name(session, username)
    if user is None:
        raise ledger.no_role(access.negotiation, username)
    if user.id == access.user.id:
        raise InvalidInput("a mediator cannot remove their own role; ask another mediator")
    ledger.remove_member(session, access.negotiation, user)
    session.commit()


@router.put(PATH + "/agreement", response_model=AgreementChangeOut)
def change_agreement(
    body: AgreementChangeIn, access: Access, session: DbSession
) -> AgreementChangeOut:
    """Replace the agreement rule (mediator); the old rule stays in the history."""
    access.require_mediator()
    change = ledger.change_agreement(
        session, access.negotiation, body.agreement, access.user, body.note
    )
    session.commit()
    return AgreementChangeOut(agreement=change.agreement, note=change.note, at=change.at)


@router.get(PATH + "/agreement-history", response_model=list[AgreementChangeOut])
def agreement_history(access: Access, session: DbSession) -> list[AgreementChangeOut]:
    """Every agreement rule the negotiation has had, oldest first (public to members)."""
    return [
        AgreementChangeOut(agreement=c.agreement, note=c.note, at=c.at)
        for c in ledger.agreement_history(session, access.negotiation)
    ]
