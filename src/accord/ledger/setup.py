"""Setting a negotiation up from a browser: a blank agenda, or a copy of another one.

(A negotiation from a scenario file is :func:`accord.ledger.negotiations.create_negotiation`.)
The creator becomes the mediator; the agenda, the parties and the agreement rule each
start their history here, as they do for a scenario file.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy.orm import Session

from accord.ledger.agenda import current_agenda_number, first_agenda_version
from accord.ledger.errors import InvalidInput
from accord.ledger.models import (
    AgreementChange,
    Membership,
    Negotiation,
    Party,
    PartyEvent,
    User,
)
from accord.ledger.negotiations import active_parties
from accord.scenario.model import AgreementRule, Block

EMPTY_AGENDA: dict[str, Any] = {"blocks": [], "issues": []}


def _check_key(key: str) -> None:
    try:
        Block(id=key)  # the rule of every id
    except ValueError:
        raise InvalidInput(
            f"id: '{key}' is not an id: use letters, digits, '_', '.' and '-', "
            "starting with a letter or digit (at most 80 characters)"
        ) from None


def create_blank_negotiation(
    session: Session, key: str, title: str, description: str, user: User
) -> Negotiation:
    """A negotiation with no points and no parties yet; ``user`` becomes its mediator."""
    _check_key(key)
    return _store(session, key, title, description, EMPTY_AGENDA, {}, [], user, "a blank agenda")


def copy_negotiation(
    session: Session,
    source: Negotiation,
    key: str,
    title: str,
    description: str,
    user: User,
    with_preferences: bool,
) -> Negotiation:
    """A new negotiation with ``source``'s agenda, parties (those at the table) and rule.

    The parties' preferences come along only ``with_preferences`` (the caller checks that
    the user is the source's mediator).
    """
    _check_key(key)
    parties = [
        {
            "key": party.key,
            "name": party.name,
            "role": party.role,
            "required": party.required,
            "preferences": copy.deepcopy(party.preferences) if with_preferences else None,
        }
        for party in active_parties(source)
    ]
    keys = {party["key"] for party in parties}
    agreement = copy.deepcopy(source.agreement)
    if agreement.get("voters") is not None:
        agreement["voters"] = [k for k in agreement["voters"] if k in keys]
    agreement["veto"] = [k for k in agreement.get("veto", []) if k in keys]
    number = current_agenda_number(session, source.id)
    origin = f"copied from negotiation {source.id}" + (
        f" (agenda version {number})" if number is not None else ""
    )
    return _store(session, key, title, description, source.agenda, agreement, parties, user, origin)


def _store(
    session: Session,
    key: str,
    title: str,
    description: str,
    agenda: dict[str, Any],
    agreement: dict[str, Any],
    parties: list[dict[str, Any]],
    user: User,
    origin: str,
) -> Negotiation:
    negotiation = Negotiation(
        scenario_key=key,
        title=title,
        description=description,
        agenda=copy.deepcopy(agenda),
        agreement=AgreementRule.model_validate(agreement).model_dump(mode="json"),
    )
    session.add(negotiation)
    session.flush()
    for data in parties:
        party = Party(negotiation_id=negotiation.id, **data)
        session.add(party)
        session.flush()
        session.add(
            PartyEvent(
                negotiation_id=negotiation.id,
                party_id=party.id,
                kind="joined",
                role=party.role,
                required=party.required,
                note=origin,
                by_user_id=user.id,
            )
        )
    session.add(
        AgreementChange(
            negotiation_id=negotiation.id,
            agreement=negotiation.agreement,
            note=origin,
            by_user_id=user.id,
        )
    )
    session.add(first_agenda_version(negotiation, user, origin))
    session.add(Membership(negotiation_id=negotiation.id, user_id=user.id, role="mediator"))
    session.flush()
    return negotiation
