"""Negotiations, their parties (joining, leaving, changing role) and the users' roles in them.

A negotiation is created from a :class:`~accord.scenario.model.Scenario`: the agenda and
the agreement rule are stored as public data, each party's preferences on its own row.
:func:`scenario_of` rebuilds the scenario as it stands now (parties who left are out) for
the analysis; only it and :func:`preferences_of` read preferences.

Every function here works inside the caller's session and does not commit: the caller
commits once per action (see :meth:`accord.ledger.database.Database.transaction`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from accord.errors import ScenarioError
from accord.ledger.errors import Conflict, InvalidInput, NotFound
from accord.ledger.models import (
    AgendaVersion,
    AgreementChange,
    Membership,
    Negotiation,
    Party,
    PartyEvent,
    User,
)
from accord.scenario.loader import validate_data
from accord.scenario.model import AgreementRule, Preferences, Role, Scenario

MemberRole = Literal["mediator", "delegate", "observer"]
MEMBER_ROLES: tuple[MemberRole, ...] = ("mediator", "delegate", "observer")


@dataclass(frozen=True)
class NewParty:
    """A party of a negotiation being created; ``preferences`` as :class:`NewNegotiation`
    says of its JSON values."""

    key: str
    name: str
    role: str
    required: bool | None
    preferences: Any


@dataclass(frozen=True)
class NewNegotiation:
    """What a new negotiation's rows hold. ``agenda``, ``agreement`` and each party's
    preferences are stored as given: plain JSON data, or an SQL expression of the JSON
    text already serialised (:mod:`accord.ledger.stored_scenario`)."""

    key: str
    title: str
    description: str
    agenda: Any
    agreement: Any
    parties: tuple[NewParty, ...]


def create_negotiation(
    session: Session, scenario: Scenario, user: User | None = None
) -> Negotiation:
    """Store ``scenario`` as a new negotiation; ``user`` (if given) becomes its mediator."""
    data = scenario.model_dump(mode="json")
    parties = tuple(
        NewParty(party.id, party.name, party.role, party.required, dumped["preferences"])
        for party, dumped in zip(scenario.parties, data["parties"], strict=True)
    )
    agenda = {"blocks": data["blocks"], "issues": data["issues"]}
    new = NewNegotiation(
        scenario.id, scenario.title, scenario.description, agenda, data["agreement"], parties
    )
    return add_negotiation(session, new, user)


def add_negotiation(session: Session, new: NewNegotiation, user: User | None = None) -> Negotiation:
    """The rows of a new negotiation (with its first agenda version and agreement rule, and
    its parties' joining); ``user`` (if given) becomes its mediator."""
    negotiation = Negotiation(
        scenario_key=new.key,
        title=new.title,
        description=new.description,
        agenda=new.agenda,
        agreement=new.agreement,
    )
    session.add(negotiation)
    session.flush()
    for party in new.parties:
        row = Party(
            negotiation_id=negotiation.id,
            key=party.key,
            name=party.name,
            role=party.role,
            required=party.required,
            preferences=party.preferences,
        )
        session.add(row)
        session.flush()
        session.add(_event(row, "joined", user, "in the scenario the negotiation was created from"))
    session.add(
        AgreementChange(
            negotiation_id=negotiation.id,
            agreement=new.agreement,
            note="as in the scenario the negotiation was created from",
            by_user_id=None if user is None else user.id,
        )
    )
    session.add(
        AgendaVersion(
            negotiation_id=negotiation.id,
            number=1,
            agenda=new.agenda,
            note="as in the scenario the negotiation was created from",
            by_user_id=None if user is None else user.id,
        )
    )
    if user is not None:
        session.add(Membership(negotiation_id=negotiation.id, user_id=user.id, role="mediator"))
    session.flush()
    return negotiation


def get_negotiation(session: Session, negotiation_id: int) -> Negotiation:
    negotiation = session.get(Negotiation, negotiation_id)
    if negotiation is None:
        raise NotFound(f"negotiation {negotiation_id} does not exist")
    return negotiation


def lock_negotiation(session: Session, negotiation: Negotiation) -> None:
    """Hold the negotiation's row until commit (PostgreSQL; SQLite already serialises writes).

    Taken before choosing "the next number" (of a meeting), so that two concurrent writers
    cannot both choose the same one.
    """
    session.execute(
        select(Negotiation.id).where(Negotiation.id == negotiation.id).with_for_update()
    )


def list_negotiations(session: Session, user: User) -> list[Negotiation]:
    """The negotiations ``user`` has a role in."""
    query = (
        select(Negotiation)
        .join(Membership)
        .where(Membership.user_id == user.id)
        .order_by(Negotiation.id)
    )
    return list(session.scalars(query))


def issue_ids(negotiation: Negotiation) -> list[str]:
    return [issue["id"] for issue in negotiation.agenda["issues"]]


def block_ids(negotiation: Negotiation) -> list[str]:
    return [block["id"] for block in negotiation.agenda["blocks"]]


def options_of(negotiation: Negotiation, issue_id: str) -> list[str]:
    for issue in negotiation.agenda["issues"]:
        if issue["id"] == issue_id:
            return [option["id"] for option in issue["options"]]
    raise InvalidInput(f"unknown point '{issue_id}' (points: {', '.join(issue_ids(negotiation))})")


def get_party(session: Session, negotiation: Negotiation, key: str) -> Party:
    party = session.scalar(
        select(Party).where(Party.negotiation_id == negotiation.id, Party.key == key)
    )
    if party is None:
        known = ", ".join(p.key for p in negotiation.parties)
        raise NotFound(f"negotiation {negotiation.id} has no party '{key}' (parties: {known})")
    return party


def active_parties(negotiation: Negotiation) -> list[Party]:
    return [party for party in negotiation.parties if party.active]


def validated_preferences(negotiation: Negotiation, key: str, data: Any) -> Preferences | None:
    """Check ``data`` as preferences of party ``key`` against the agenda alone.

    The check sees no other party, so an error can only quote the caller's own input.
    """
    if data is None:
        return None
    probe = {
        "id": negotiation.scenario_key,
        "blocks": negotiation.agenda["blocks"],
        "issues": negotiation.agenda["issues"],
        "parties": [{"id": key, "preferences": data}],
    }
    try:
        scenario = validate_data(probe, "preferences")
    except ScenarioError as error:
        raise InvalidInput(
            "; ".join(f"{p.path}: {p.message}" if p.path else p.message for p in error.problems)
        ) from error
    return scenario.parties[0].preferences


def preferences_of(party: Party) -> Preferences | None:
    """The party's private preferences: callers must have checked the reader's role."""
    return None if party.preferences is None else Preferences.model_validate(party.preferences)


def set_preferences(session: Session, party: Party, data: Any) -> Preferences | None:
    """Replace the party's preferences (validated against the agenda)."""
    preferences = validated_preferences(party.negotiation, party.key, data)
    party.preferences = None if preferences is None else preferences.model_dump(mode="json")
    session.flush()
    return preferences


def add_party(
    session: Session,
    negotiation: Negotiation,
    key: str,
    name: str = "",
    role: Role = "negotiator",
    required: bool | None = None,
    preferences: Any = None,
    user: User | None = None,
    note: str = "",
) -> Party:
    """A new party takes a seat (or one who left comes back, keeping its history)."""
    existing = session.scalar(
        select(Party).where(Party.negotiation_id == negotiation.id, Party.key == key)
    )
    checked = validated_preferences(negotiation, key, preferences)
    dumped = None if checked is None else checked.model_dump(mode="json")
    if existing is not None:
        if existing.active:
            raise Conflict(f"party '{key}' already sits in negotiation {negotiation.id}")
        existing.active, existing.role, existing.required = True, role, required
        existing.name = name or existing.name
        if preferences is not None:
            existing.preferences = dumped
        session.add(_event(existing, "rejoined", user, note))
        session.flush()
        return existing
    _check_key(key)
    party = Party(
        negotiation_id=negotiation.id,
        key=key,
        name=name,
        role=role,
        required=required,
        preferences=dumped,
    )
    session.add(party)
    session.flush()
    session.add(_event(party, "joined", user, note))
    session.flush()
    return party


def change_role(
    session: Session,
    party: Party,
    role: Role,
    required: bool | None,
    user: User | None = None,
    note: str = "",
) -> Party:
    """The party's role or requiredness changes (the outside bloc gets its seat)."""
    if not party.active:
        raise Conflict(f"party '{party.key}' has left; it must rejoin before changing role")
    party.role, party.required = role, required
    session.add(_event(party, "role_changed", user, note))
    session.flush()
    return party


def leave(session: Session, party: Party, user: User | None = None, note: str = "") -> Party:
    """The party leaves the table; its records stay, it drops out of the analysis."""
    if not party.active:
        raise Conflict(f"party '{party.key}' has already left")
    if len(active_parties(party.negotiation)) <= 1:
        raise Conflict("the last party cannot leave: a negotiation needs at least one party")
    party.active = False
    session.add(_event(party, "left", user, note))
    session.flush()
    return party


def party_events(session: Session, negotiation: Negotiation) -> list[PartyEvent]:
    return list(
        session.scalars(
            select(PartyEvent)
            .where(PartyEvent.negotiation_id == negotiation.id)
            .order_by(PartyEvent.id)
        )
    )


def newest_party_events(
    session: Session, negotiation: Negotiation, limit: int, before: int | None = None
) -> list[PartyEvent]:
    """At most ``limit`` events of the table, newest first, older than the event with id
    ``before`` (if given): one page of its history."""
    query = select(PartyEvent).where(PartyEvent.negotiation_id == negotiation.id)
    if before is not None:
        query = query.where(PartyEvent.id < before)
    return list(session.scalars(query.order_by(PartyEvent.id.desc()).limit(limit)))


def change_agreement(
    session: Session,
    negotiation: Negotiation,
    data: Any,
    user: User | None = None,
    note: str = "",
) -> AgreementChange:
    """Replace the agreement rule, checked against the parties who sit at the table now.

    Only problems of the rule itself are reported (a party still lacking preferences is
    not the rule's fault); the caller is the mediator, who may see every party's record.
    """
    try:
        agreement = AgreementRule.model_validate(data)
    except ValueError as error:
        raise InvalidInput(f"agreement: {error}") from error
    current = scenario_data(negotiation) | {"agreement": agreement.model_dump(mode="json")}
    try:
        validate_data(current, "agreement")
    except ScenarioError as error:
        problems = [p for p in error.problems if p.path.startswith("agreement")]
        if problems:
            keys = ", ".join(party.key for party in active_parties(negotiation))
            raise InvalidInput(
                "; ".join(f"{p.path}: {p.message}" for p in problems)
                + f" (parties at the table: {keys})"
            ) from error
    negotiation.agreement = agreement.model_dump(mode="json")
    change = AgreementChange(
        negotiation_id=negotiation.id,
        agreement=negotiation.agreement,
        note=note,
        by_user_id=None if user is None else user.id,
    )
    session.add(change)
    session.flush()
    return change


def agreement_history(session: Session, negotiation: Negotiation) -> list[AgreementChange]:
    return list(
        session.scalars(
            select(AgreementChange)
            .where(AgreementChange.negotiation_id == negotiation.id)
            .order_by(AgreementChange.id)
        )
    )


def scenario_data(negotiation: Negotiation) -> dict[str, Any]:
    """The scenario as plain data, as it stands now (see :func:`scenario_of`)."""
    parties = active_parties(negotiation)
    keys = {party.key for party in parties}
    agreement = dict(negotiation.agreement)
    if agreement.get("voters") is not None:
        agreement["voters"] = [key for key in agreement["voters"] if key in keys]
    agreement["veto"] = [key for key in agreement.get("veto", []) if key in keys]
    blocks = [
        block
        | (
            {"participants": [key for key in block["participants"] if key in keys]}
            if block.get("participants") is not None
            else {}
        )
        for block in negotiation.agenda["blocks"]
    ]
    return {
        "id": negotiation.scenario_key,
        "title": negotiation.title,
        "description": negotiation.description,
        "blocks": blocks,
        "issues": negotiation.agenda["issues"],
        "agreement": agreement,
        "parties": [
            {
                "id": party.key,
                "name": party.name,
                "role": party.role,
                "required": party.required,
                "preferences": party.preferences,
            }
            for party in parties
        ],
    }


def scenario_of(negotiation: Negotiation) -> Scenario:
    """The scenario as it stands now: active parties, their roles and preferences.

    Contains every party's private preferences: for the mediator's analysis only.
    """
    data = scenario_data(negotiation)
    try:
        return validate_data(data, f"negotiation {negotiation.id}")
    except ScenarioError as error:
        # The record is fine but cannot be analysed yet (a new party without preferences).
        # Only the mediator asks for this; the message still quotes no values.
        raise Conflict(
            f"negotiation {negotiation.id} cannot be analysed as it stands: "
            + "; ".join(f"{p.path}: {p.message}" if p.path else p.message for p in error.problems)
        ) from error


def add_member(
    session: Session,
    negotiation: Negotiation,
    user: User,
    role: MemberRole,
    party_key: str | None = None,
) -> Membership:
    """Give ``user`` a role in the negotiation (replacing any role it had)."""
    party = check_role(session, negotiation, role, party_key)
    membership = membership_of(session, negotiation.id, user.id)
    if membership is None:
        membership = Membership(negotiation_id=negotiation.id, user_id=user.id, role=role)
        session.add(membership)
    membership.role = role
    membership.party_id = None if party is None else party.id
    session.flush()
    return membership


def check_role(
    session: Session, negotiation: Negotiation, role: MemberRole, party_key: str | None
) -> Party | None:
    """The party a member in ``role`` would represent (None unless a delegate), or why the
    role is wrong: whoever the member is, so the answer tells nothing about the user."""
    if role not in MEMBER_ROLES:
        raise InvalidInput(f"unknown role '{role}' (roles: {', '.join(MEMBER_ROLES)})")
    if role == "delegate":
        if party_key is None:
            raise InvalidInput("a delegate needs the key of the party it represents")
        return get_party(session, negotiation, party_key)
    if party_key is not None:
        raise InvalidInput(f"only a delegate represents a party; a {role} does not")
    return None


def remove_member(session: Session, negotiation: Negotiation, user: User) -> None:
    membership = membership_of(session, negotiation.id, user.id)
    if membership is None:
        raise no_role(negotiation, user.username)
    session.delete(membership)
    session.flush()


def no_role(negotiation: Negotiation, username: str) -> NotFound:
    """The answer for a name without a role here: the same whether or not it has an account."""
    return NotFound(f"'{username}' has no role in negotiation {negotiation.id}")


def membership_of(session: Session, negotiation_id: int, user_id: int) -> Membership | None:
    return session.scalar(_MEMBERSHIP, {"negotiation_id": negotiation_id, "user_id": user_id})


_MEMBERSHIP = (
    select(Membership)
    .where(
        Membership.negotiation_id == bindparam("negotiation_id"),
        Membership.user_id == bindparam("user_id"),
    )
    .options(joinedload(Membership.party))
)
"""Every negotiation page's role lookup, built once, with the delegate's party."""


def members(session: Session, negotiation: Negotiation) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.negotiation_id == negotiation.id)
            .order_by(Membership.id)
        )
    )


def _check_key(key: str) -> None:
    from accord.scenario.model import Party as ScenarioParty

    try:
        ScenarioParty(id=key)
    except ValueError as error:
        raise InvalidInput(
            f"party key '{key}' is not an id: use letters, digits, '_', '.' and '-', "
            "starting with a letter or digit"
        ) from error


def _event(party: Party, kind: str, user: User | None, note: str) -> PartyEvent:
    return PartyEvent(
        negotiation_id=party.negotiation_id,
        party_id=party.id,
        kind=kind,
        role=party.role,
        required=party.required,
        note=note,
        by_user_id=None if user is None else user.id,
    )
