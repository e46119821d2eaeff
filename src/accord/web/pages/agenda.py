"""The agenda editor: blocks, points (number, title, wording), options, status quo, order,
and the agreement rule, edited in place by the mediator; read by every member.

Each form posts one edit (:mod:`accord.ledger.agenda_edits`); the result is validated
with the scenario validator and recorded as a new agenda version
(:func:`accord.ledger.agenda.change_agenda`). A refused edit shows the validator's
messages beside the form that was sent, with what was typed still in it (422), never a
traceback. Parties and their consent are edited on the Parties page, linked from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from accord.ledger import agenda_edits as edits
from accord.ledger.agenda import AgendaInvalid, change_agenda, current_agenda_number
from accord.ledger.agenda import pending_problems as agenda_pending
from accord.ledger.errors import InvalidInput
from accord.ledger.negotiations import active_parties, change_agreement, lock_negotiation
from accord.web.deps import MAX_ID, DbSession
from accord.web.pages.common import Viewer, html_page, see_other, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/agenda"

Id = Annotated[str, Path(min_length=1, max_length=80)]
Short = Annotated[str, Form(max_length=200)]
Wording = Annotated[str, Form(max_length=20_000)]
Note = Annotated[str, Form(max_length=2_000)]
Keys = Annotated[str, Form(max_length=20_000)]
Move = Annotated[Literal["up", "down"], Form()]
Tick = Annotated[str, Form(max_length=3)]


def key_list(text: str) -> list[str]:
    """``"ua, ru"`` → ``["ua", "ru"]`` (the validator checks each key)."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def editor(
    session: Session,
    viewer: Viewer,
    user: Any,
    status_code: int = 200,
    errors: dict[str, list[str]] | None = None,
    entered: dict[str, Any] | None = None,
    saved: int | None = None,
) -> Response:
    negotiation = viewer.access.negotiation
    typed = entered or {}

    def value(form: str, field: str, stored: Any) -> Any:
        """What the user typed into ``form`` if it was refused, else the stored value."""
        if typed.get("form") == form and field in typed:
            return typed[field]
        return "" if stored is None else stored

    notice = None if saved is None else f"Agenda version {saved} recorded."
    return render(
        "agenda.html",
        status_code=status_code,
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        agenda=negotiation.agenda,
        parties=active_parties(negotiation),
        agenda_number=current_agenda_number(session, negotiation.id),
        pending=agenda_pending(negotiation) if viewer.is_mediator else [],
        errors=errors or {},
        open_form=typed.get("form"),
        value=value,
        notice=notice,
    )


@router.get(PATH)
@html_page
def agenda_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    saved: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    return editor(session, viewer, user, saved=saved)


def apply_edit(
    request: Request,
    session: Session,
    negotiation_id: int,
    form: str,
    edit: Callable[[dict[str, Any]], dict[str, Any]],
    note: str,
    entered: dict[str, Any],
    drop_from_preferences: bool = False,
) -> Response:
    """Run one edit as the mediator; refused, the editor comes back with the reasons."""
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    negotiation = viewer.access.negotiation
    # Hold the negotiation (PostgreSQL; the SQLite gate already admits one writer) and
    # edit the agenda as committed now: two edits at once apply one after the other.
    lock_negotiation(session, negotiation)
    session.refresh(negotiation)
    try:
        version = change_agenda(
            session, negotiation, edit(negotiation.agenda), user, note, drop_from_preferences
        )
    except AgendaInvalid as error:
        session.rollback()
        messages = [problem.render() for problem in error.problems]
        return refused(session, viewer, user, form, messages, entered)
    except InvalidInput as error:
        session.rollback()
        return refused(session, viewer, user, form, [str(error)], entered)
    session.commit()
    anchor = f"#{form}" if not form.startswith("new-") else ""
    query = "" if version is None else f"?saved={version.number}"
    return see_other(f"/negotiations/{negotiation_id}/agenda{query}{anchor}")


def refused(
    session: Session,
    viewer: Viewer,
    user: Any,
    form: str,
    messages: list[str],
    entered: dict[str, Any],
) -> Response:
    # The session was rolled back: read the negotiation afresh for the page.
    session.refresh(viewer.access.negotiation)
    return editor(session, viewer, user, 422, {form: messages}, {"form": form, **entered})


def _participants(only_some: str, participants: str) -> list[str] | None:
    """The parties named (None, "every party", when none is named and the box is not
    ticked; ticked with none named, no party)."""
    keys = key_list(participants)
    return keys if keys or only_some == "yes" else None


@router.post(PATH + "/blocks")
@html_page
def add_block(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    id: Annotated[str, Form(max_length=80)],
    title: Short = "",
    only_some: Tick = "",
    participants: Keys = "",
    note: Note = "",
) -> Response:
    entered = {"id": id, "title": title, "participants": participants}
    return apply_edit(
        request,
        session,
        negotiation_id,
        "new-block",
        lambda agenda: edits.put_block(
            agenda, id.strip(), title.strip(), _participants(only_some, participants), new=True
        ),
        note,
        entered,
    )


@router.post(PATH + "/blocks/{block_id}")
@html_page
def change_block(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    block_id: Id,
    title: Short = "",
    only_some: Tick = "",
    participants: Keys = "",
    note: Note = "",
) -> Response:
    return apply_edit(
        request,
        session,
        negotiation_id,
        f"block-{block_id}",
        lambda agenda: edits.put_block(
            agenda, block_id, title.strip(), _participants(only_some, participants), new=False
        ),
        note,
        {"title": title, "participants": participants},
    )


@router.post(PATH + "/blocks/{block_id}/remove")
@html_page
def remove_block(
    request: Request, session: DbSession, negotiation_id: int, block_id: Id, note: Note = ""
) -> Response:
    return apply_edit(
        request,
        session,
        negotiation_id,
        f"block-{block_id}",
        lambda agenda: edits.remove_block(agenda, block_id),
        note,
        {},
    )


def _point_fields(
    point_id: str, number: str, title: str, text: str, block: str, status_quo: str
) -> dict[str, Any]:
    return {
        "id": point_id,
        "number": number.strip() or None,
        "title": title.strip(),
        "text": text.strip(),
        "block": block or None,
        "status_quo": status_quo or None,
    }


@router.post(PATH + "/points")
@html_page
def add_point(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    id: Annotated[str, Form(max_length=80)],
    option_id: Annotated[str, Form(max_length=80)],
    number: Annotated[str, Form(max_length=20)] = "",
    title: Short = "",
    text: Wording = "",
    block: Annotated[str, Form(max_length=80)] = "",
    option_label: Short = "",
    option_text: Wording = "",
    note: Note = "",
) -> Response:
    """A new point with its first option (a point needs one); more options follow."""
    fields = _point_fields(id.strip(), number, title, text, block, "")
    fields["options"] = [
        {"id": option_id.strip(), "label": option_label.strip(), "text": option_text.strip()}
    ]
    entered = {
        "id": id,
        "number": number,
        "title": title,
        "text": text,
        "option_id": option_id,
        "option_label": option_label,
        "option_text": option_text,
    }
    return apply_edit(
        request,
        session,
        negotiation_id,
        "new-point",
        lambda agenda: edits.put_point(agenda, fields, new=True),
        note,
        entered,
    )


@router.post(PATH + "/points/{issue_id}")
@html_page
def change_point(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    issue_id: Id,
    number: Annotated[str, Form(max_length=20)] = "",
    title: Short = "",
    text: Wording = "",
    block: Annotated[str, Form(max_length=80)] = "",
    status_quo: Annotated[str, Form(max_length=80)] = "",
    note: Note = "",
) -> Response:
    """The point's number, title, wording, block (moving it) and status quo."""
    fields = _point_fields(issue_id, number, title, text, block, status_quo)
    return apply_edit(
        request,
        session,
        negotiation_id,
        f"point-{issue_id}",
        lambda agenda: edits.put_point(agenda, fields, new=False),
        note,
        {"number": number, "title": title, "text": text},
    )


@router.post(PATH + "/points/{issue_id}/remove")
@html_page
def remove_point(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    issue_id: Id,
    drop_from_preferences: Tick = "",
    note: Note = "",
) -> Response:
    return apply_edit(
        request,
        session,
        negotiation_id,
        f"point-{issue_id}",
        lambda agenda: edits.remove_point(agenda, issue_id),
        note,
        {},
        drop_from_preferences == "yes",
    )


@router.post(PATH + "/points/{issue_id}/move")
@html_page
def move_point(
    request: Request, session: DbSession, negotiation_id: int, issue_id: Id, direction: Move
) -> Response:
    return apply_edit(
        request,
        session,
        negotiation_id,
        f"point-{issue_id}",
        lambda agenda: edits.move_point(agenda, issue_id, direction),
        "",
        {},
    )


@router.post(PATH + "/points/{issue_id}/options")
@html_page
def add_option(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    issue_id: Id,
    id: Annotated[str, Form(max_length=80)],
    label: Short = "",
    text: Wording = "",
    note: Note = "",
) -> Response:
    option = {"id": id.strip(), "label": label.strip(), "text": text.strip()}
    return apply_edit(
        request,
        session,
        negotiation_id,
        f"new-option-{issue_id}",
        lambda agenda: edits.put_option(agenda, issue_id, option, new=True),
        note,
        {"id": id, "label": label, "text": text},
    )


@router.post(PATH + "/points/{issue_id}/options/{option_id}")
@html_page
def change_option(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    issue_id: Id,
    option_id: Id,
    label: Short = "",
    text: Wording = "",
    note: Note = "",
) -> Response:
    option = {"id": option_id, "label": label.strip(), "text": text.strip()}
    return apply_edit(
        request,
        session,
        negotiation_id,
        f"option-{issue_id}-{option_id}",
        lambda agenda: edits.put_option(agenda, issue_id, option, new=False),
        note,
        {"label": label, "text": text},
    )


@router.post(PATH + "/points/{issue_id}/options/{option_id}/remove")
@html_page
def remove_option(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    issue_id: Id,
    option_id: Id,
    drop_from_preferences: Tick = "",
    note: Note = "",
) -> Response:
    return apply_edit(
        request,
        session,
        negotiation_id,
        f"option-{issue_id}-{option_id}",
        lambda agenda: edits.remove_option(agenda, issue_id, option_id),
        note,
        {},
        drop_from_preferences == "yes",
    )


@router.post(PATH + "/points/{issue_id}/options/{option_id}/move")
@html_page
def move_option(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    issue_id: Id,
    option_id: Id,
    direction: Move,
) -> Response:
    return apply_edit(
        request,
        session,
        negotiation_id,
        f"option-{issue_id}-{option_id}",
        lambda agenda: edits.move_option(agenda, issue_id, option_id, direction),
        "",
        {},
    )


@router.post(PATH + "/agreement")
@html_page
def set_agreement(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    kind: Annotated[Literal["unanimity", "quorum"], Form()],
    min_parties: Annotated[str, Form(max_length=20)] = "",
    voters: Keys = "",
    veto: Keys = "",
    note: Note = "",
) -> Response:
    """The agreement rule: unanimity, or a quorum with required and veto parties."""
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    if min_parties.strip() and not min_parties.strip().isdigit():
        entered = {"min_parties": min_parties, "voters": voters, "veto": veto}
        message = f"min_parties: expected a whole number of parties, got {min_parties[:20]!r}"
        return refused(session, viewer, user, "agreement", [message], entered)
    rule: dict[str, Any] = {
        "kind": kind,
        "min_parties": min_parties.strip() or None,
        "voters": key_list(voters) or None,
        "veto": key_list(veto),
    }
    try:
        change_agreement(session, viewer.access.negotiation, rule, user, note)
    except InvalidInput as error:
        session.rollback()
        entered = {"min_parties": min_parties, "voters": voters, "veto": veto}
        return refused(session, viewer, user, "agreement", [str(error)], entered)
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/agenda#agreement")
