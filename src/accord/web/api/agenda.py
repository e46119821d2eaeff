"""The agenda and its history: read by every member, replaced by the mediator.

``PUT /negotiations/{id}/agenda`` takes the whole agenda (blocks and points, as in a
scenario file) and goes through the same service as the editor's forms
(:func:`accord.ledger.agenda.change_agenda`): validated with the messages of ``accord
validate``, refused while a draft version or a party's red line uses a removed point or
option, and recorded as the next agenda version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from accord.ledger.agenda import (
    agenda_versions,
    change_agenda,
    current_agenda_number,
    get_agenda_version,
)
from accord.ledger.agenda_diff import agenda_changes
from accord.ledger.negotiations import lock_negotiation
from accord.scenario import limits
from accord.web.api.schemas import Request, Text
from accord.web.deps import Access, DbSession, RecordId

router = APIRouter(tags=["agenda"])
PATH = "/negotiations/{negotiation_id}/agenda"


class AgendaIn(Request):
    blocks: Annotated[list[dict[str, Any]], Field(max_length=limits.MAX_BLOCKS)] = Field(
        default_factory=list
    )
    issues: Annotated[list[dict[str, Any]], Field(max_length=limits.MAX_ISSUES)]
    note: Text = ""
    drop_from_preferences: bool = Field(
        default=False,
        description="Also drop the parties' weights and values of removed points and options.",
    )


class AgendaOut(BaseModel):
    number: int | None
    blocks: list[dict[str, Any]]
    issues: list[dict[str, Any]]


class AgendaVersionOut(BaseModel):
    number: int
    at: datetime
    note: str
    changes: list[str] = Field(description="What changed since the version before, in words.")
    by: str | None = Field(description="Who made the change (shown to the mediator only).")


@router.get(PATH, response_model=AgendaOut)
def read_agenda(access: Access, session: DbSession) -> AgendaOut:
    negotiation = access.negotiation
    return AgendaOut(
        number=current_agenda_number(session, negotiation.id),
        blocks=negotiation.agenda["blocks"],
        issues=negotiation.agenda["issues"],
    )


@router.put(PATH, response_model=AgendaOut)
def replace_agenda(body: AgendaIn, access: Access, session: DbSession) -> AgendaOut:
    """Replace the agenda (mediator); an unchanged agenda records no version."""
    access.require_mediator()
    negotiation = access.negotiation
    lock_negotiation(session, negotiation)
    session.refresh(negotiation)
    agenda = {"blocks": body.blocks, "issues": body.issues}
    change_agenda(session, negotiation, agenda, access.user, body.note, body.drop_from_preferences)
    session.commit()
    return read_agenda(access, session)


@router.get(PATH + "/versions", response_model=list[AgendaVersionOut])
def list_versions(access: Access, session: DbSession) -> list[AgendaVersionOut]:
    result = []
    previous: dict[str, Any] | None = None
    for version in agenda_versions(session, access.negotiation):
        by = version.by_user.username if access.is_mediator and version.by_user else None
        changes = [] if previous is None else agenda_changes(previous, version.agenda)
        result.append(
            AgendaVersionOut(
                number=version.number, at=version.at, note=version.note, changes=changes, by=by
            )
        )
        previous = version.agenda
    return result


@router.get(PATH + "/versions/{number}", response_model=AgendaOut)
def read_version(number: RecordId, access: Access, session: DbSession) -> AgendaOut:
    """The agenda as it stood at version ``number``."""
    version = get_agenda_version(session, access.negotiation, number)
    return AgendaOut(
        number=version.number,
        blocks=version.agenda["blocks"],
        issues=version.agenda["issues"],
    )
