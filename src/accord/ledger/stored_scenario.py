"""A scenario in the form the ledger stores it: its JSON columns already serialised.

Storing a scenario of 10,000 options costs mostly turning it into JSON (``model_dump``,
then ``json.dumps`` of the agenda, the agreement rule and every party's preferences), and
it runs while the write holds SQLite's one write lock. :func:`stored_form` does that work
anywhere (the upload validation process, :mod:`accord.web.uploads`) into plain strings;
:func:`create_stored_negotiation` writes those strings as they are, so that the process
that writes copies bytes and parses nothing. The text is what SQLAlchemy's ``JSON`` type
would have written (``json.dumps``), so the rows read back as any other negotiation's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Text, bindparam, cast
from sqlalchemy.orm import Session

from accord.ledger.models import Negotiation, User
from accord.ledger.negotiations import NewNegotiation, NewParty, add_negotiation
from accord.scenario.model import Scenario


@dataclass(frozen=True)
class StoredParty:
    key: str
    name: str
    role: str
    required: bool | None
    preferences_json: str | None  # None: the party states no preferences


@dataclass(frozen=True)
class StoredScenario:
    """Plain strings and flags (cheap to pickle between processes)."""

    key: str
    title: str
    description: str
    agenda_json: str
    agreement_json: str
    parties: tuple[StoredParty, ...]


def stored_form(scenario: Scenario) -> StoredScenario:
    """``scenario`` as the texts of its JSON columns."""
    data = scenario.model_dump(mode="json")
    parties = tuple(
        StoredParty(
            party.id,
            party.name,
            party.role,
            party.required,
            None if dumped["preferences"] is None else json.dumps(dumped["preferences"]),
        )
        for party, dumped in zip(scenario.parties, data["parties"], strict=True)
    )
    return StoredScenario(
        scenario.id,
        scenario.title,
        scenario.description,
        json.dumps({"blocks": data["blocks"], "issues": data["issues"]}),
        json.dumps(data["agreement"]),
        parties,
    )


def create_stored_negotiation(
    session: Session, stored: StoredScenario, user: User | None = None
) -> Negotiation:
    """Store ``stored`` as a new negotiation (``user``, if given, its mediator).

    The JSON columns of the rows written are expired: reading them loads them back.
    """
    postgres = session.get_bind().dialect.name == "postgresql"

    def as_json(text: str) -> Any:
        # The text as it is: bound as a string (SQLite keeps JSON as text), cast to the
        # column's type where the database has one. No serialiser runs.
        value = bindparam(None, text, type_=Text)
        return cast(value, JSON) if postgres else value

    parties = tuple(
        NewParty(
            party.key,
            party.name,
            party.role,
            party.required,
            None if party.preferences_json is None else as_json(party.preferences_json),
        )
        for party in stored.parties
    )
    new = NewNegotiation(
        stored.key,
        stored.title,
        stored.description,
        as_json(stored.agenda_json),
        as_json(stored.agreement_json),
        parties,
    )
    return add_negotiation(session, new, user)
