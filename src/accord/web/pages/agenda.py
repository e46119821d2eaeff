"""The agenda editor: blocks, points (number, title, wording), options, status quo, order,
and the agreement rule, edited in place by the mediator; read by every member.

The editor's page holds the plan as read (every point with its options), the blocks, the
agreement rule and the forms that add a block or a point; a point and its options are
edited on the point's own page (``/agenda/points/{id}``), one form per option whose buttons
say what to do with it (save, move, remove). A 27-point plan thus renders a handful of forms
instead of hundreds, for the same edits.

Each form posts one edit (:mod:`accord.ledger.agenda_edits`); the result is validated
with the scenario validator and recorded as a new agenda version
(:func:`accord.ledger.agenda.change_agenda`). A refused edit shows the validator's
messages beside the form that was sent, with what was typed still in it (422), never a
traceback. Parties and their consent are edited on the Parties page, linked from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from accord.ledger import agenda_edits as edits
from accord.ledger.agenda import AgendaInvalid, change_agenda, current_agenda_number
from accord.ledger.agenda import pending_problems as agenda_pending
from accord.ledger.errors import InvalidInput, NotFound
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
Number = Annotated[str, Form(max_length=40)]


def key_list(text: str) -> list[str]:
    """``"ua, ru"`` → ``["ua", "ru"]`` (the validator checks each key)."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def _typed(entered: dict[str, Any] | None) -> Callable[[str, str, Any], Any]:
    typed = entered or {}

    def value(form: str, field: str, stored: Any) -> Any:
        """What the user typed into ``form`` if it was refused, else the stored value."""
        if typed.get("form") == form and field in typed:
            return typed[field]
        return "" if stored is None else stored

    return value


def shown_number(value: float | None) -> str:
    """An option's value as a person writes it: 400000, not 400000.0; none is blank."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def editor(
    session: Session,
    viewer: Viewer,
    user: Any,
    status_code: int = 200,
    errors: dict[str, list[str]] | None = None,
    entered: dict[str, Any] | None = None,
    saved: int | None = None,
) -> Response:
    return _agenda_page(
        "agenda.html",
        session,
        viewer,
        user,
        status_code,
        errors,
        entered,
        saved,
        parties=active_parties(viewer.access.negotiation),
        open_form=(entered or {}).get("form"),
    )


def _agenda_page(
    template: str,
    session: Session,
    viewer: Viewer,
    user: Any,
    status_code: int,
    errors: dict[str, list[str]] | None,
    entered: dict[str, Any] | None,
    saved: int | None,
    **extra: Any,
) -> Response:
    """The editor's and a point's page: what both show around their forms."""
    negotiation = viewer.access.negotiation
    return render(
        template,
        status_code=status_code,
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        agenda=negotiation.agenda,
        agenda_number=current_agenda_number(session, negotiation.id),
        pending=agenda_pending(negotiation) if viewer.is_mediator else [],
        errors=errors or {},
        value=_typed(entered),
        number=shown_number,
        notice=None if saved is None else f"Agenda version {saved} recorded.",
        **extra,
    )


def _point(agenda: dict[str, Any], issue_id: str) -> dict[str, Any] | None:
    return next((issue for issue in agenda["issues"] if issue["id"] == issue_id), None)


def point_editor(
    session: Session,
    viewer: Viewer,
    user: Any,
    issue_id: str,
    status_code: int = 200,
    errors: dict[str, list[str]] | None = None,
    entered: dict[str, Any] | None = None,
    saved: int | None = None,
) -> Response:
    """One point's page: its fields, its place and its options, each with its form."""
    issue = _point(viewer.access.negotiation.agenda, issue_id)
    if issue is None:
        raise NotFound(f"there is no point '{issue_id}' on this agenda")
    return _agenda_page(
        "agenda_point.html",
        session,
        viewer,
        user,
        status_code,
        errors,
        entered,
        saved,
        issue=issue,
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


@router.get(PATH + "/points/{issue_id}")
@html_page
def point_page(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    issue_id: Id,
    saved: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    return point_editor(session, viewer, user, issue_id, saved=saved)


@dataclass(frozen=True)
class Edit:
    """One edit as one of the editor's forms sends it."""

    form: str  # the form's id: where a refusal's messages are shown, and the anchor after
    change: Callable[[dict[str, Any]], dict[str, Any]]
    note: str = ""
    entered: dict[str, Any] = field(default_factory=dict)
    point: str | None = None  # the point whose page holds the form (None: the editor's page)
    drop_from_preferences: bool = False


def apply_edit(request: Request, session: Session, negotiation_id: int, edit: Edit) -> Response:
    """Run one edit as the mediator; refused, the form's page comes back with the reasons."""
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    negotiation = viewer.access.negotiation
    # Hold the negotiation (PostgreSQL; the SQLite gate already admits one writer) and
    # edit the agenda as committed now: two edits at once apply one after the other.
    lock_negotiation(session, negotiation)
    session.refresh(negotiation)
    try:
        version = change_agenda(
            session,
            negotiation,
            edit.change(negotiation.agenda),
            user,
            edit.note,
            edit.drop_from_preferences,
        )
    except AgendaInvalid as error:
        session.rollback()
        messages = [problem.render() for problem in error.problems]
        return refused(session, viewer, user, edit.form, messages, edit.entered, edit.point)
    except InvalidInput as error:
        session.rollback()
        return refused(session, viewer, user, edit.form, [str(error)], edit.entered, edit.point)
    session.commit()
    query = "" if version is None else f"?saved={version.number}"
    anchor = f"#{edit.form}" if not edit.form.startswith("new-") else ""
    page = f"/negotiations/{negotiation_id}/agenda"
    if edit.point is not None and _point(negotiation.agenda, edit.point) is not None:
        page += f"/points/{edit.point}"
    return see_other(f"{page}{query}{anchor}")


def refused(
    session: Session,
    viewer: Viewer,
    user: Any,
    form: str,
    messages: list[str],
    entered: dict[str, Any],
    point: str | None = None,
) -> Response:
    # The session was rolled back: read the negotiation afresh for the page.
    session.refresh(viewer.access.negotiation)
    typed = {"form": form, **entered}
    if point is not None and _point(viewer.access.negotiation.agenda, point) is not None:
        return point_editor(session, viewer, user, point, 422, {form: messages}, typed)
    # A form naming no point of the agenda (a stale page): the reasons top the editor.
    shown = form if point is None else "agenda"
    return editor(session, viewer, user, 422, {shown: messages}, typed)


def _participants(only_some: str, participants: str) -> list[str] | None:
    """The parties named (None, "every party", when none is named and the box is not
    ticked; ticked with none named, no party)."""
    keys = key_list(participants)
    return keys if keys or only_some == "yes" else None


def _number(text: str) -> int | float | str | None:
    """An option's value as typed: empty is none, a number is kept as a number (a whole
    one as an int, as a scenario file writes it); anything else goes to the validator as
    typed, whose message names the field."""
    text = text.strip()
    if not text:
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


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
    parties = _participants(only_some, participants)
    edit = Edit(
        "new-block",
        lambda agenda: edits.put_block(agenda, id.strip(), title.strip(), parties, new=True),
        note,
        {"id": id, "title": title, "participants": participants},
    )
    return apply_edit(request, session, negotiation_id, edit)


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
    parties = _participants(only_some, participants)
    edit = Edit(
        f"block-{block_id}",
        lambda agenda: edits.put_block(agenda, block_id, title.strip(), parties, new=False),
        note,
        {"title": title, "participants": participants},
    )
    return apply_edit(request, session, negotiation_id, edit)


@router.post(PATH + "/blocks/{block_id}/remove")
@html_page
def remove_block(
    request: Request, session: DbSession, negotiation_id: int, block_id: Id, note: Note = ""
) -> Response:
    edit = Edit(f"block-{block_id}", lambda agenda: edits.remove_block(agenda, block_id), note)
    return apply_edit(request, session, negotiation_id, edit)


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
    edit = Edit(
        "new-point", lambda agenda: edits.put_point(agenda, fields, new=True), note, entered
    )
    return apply_edit(request, session, negotiation_id, edit)


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
    edit = Edit(
        f"point-{issue_id}",
        lambda agenda: edits.put_point(agenda, fields, new=False),
        note,
        {"number": number, "title": title, "text": text},
        point=issue_id,
    )
    return apply_edit(request, session, negotiation_id, edit)


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
    edit = Edit(
        f"point-{issue_id}",
        lambda agenda: edits.remove_point(agenda, issue_id),
        note,
        point=issue_id,
        drop_from_preferences=drop_from_preferences == "yes",
    )
    return apply_edit(request, session, negotiation_id, edit)


@router.post(PATH + "/points/{issue_id}/move")
@html_page
def move_point(
    request: Request, session: DbSession, negotiation_id: int, issue_id: Id, direction: Move
) -> Response:
    edit = Edit(
        f"point-{issue_id}",
        lambda agenda: edits.move_point(agenda, issue_id, direction),
        point=issue_id,
    )
    return apply_edit(request, session, negotiation_id, edit)


@router.post(PATH + "/points/{issue_id}/options")
@html_page
def add_option(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    issue_id: Id,
    id: Annotated[str, Form(max_length=80)],
    label: Short = "",
    value: Number = "",
    text: Wording = "",
    note: Note = "",
) -> Response:
    option = {
        "id": id.strip(),
        "label": label.strip(),
        "text": text.strip(),
        "value": _number(value),
    }
    edit = Edit(
        f"new-option-{issue_id}",
        lambda agenda: edits.put_option(agenda, issue_id, option, new=True),
        note,
        {"id": id, "label": label, "value": value, "text": text},
        point=issue_id,
    )
    return apply_edit(request, session, negotiation_id, edit)


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
    value: Number = "",
    note: Note = "",
) -> Response:
    """The option's label, wording and value (as its form sends all three, empty: none)."""
    option = {
        "id": option_id,
        "label": label.strip(),
        "text": text.strip(),
        "value": _number(value),
    }
    edit = Edit(
        f"option-{issue_id}-{option_id}",
        lambda agenda: edits.put_option(agenda, issue_id, option, new=False),
        note,
        {"label": label, "text": text, "value": value},
        point=issue_id,
    )
    return apply_edit(request, session, negotiation_id, edit)


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
    edit = Edit(
        f"option-{issue_id}-{option_id}",
        lambda agenda: edits.remove_option(agenda, issue_id, option_id),
        note,
        point=issue_id,
        drop_from_preferences=drop_from_preferences == "yes",
    )
    return apply_edit(request, session, negotiation_id, edit)


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
    edit = Edit(
        f"option-{issue_id}-{option_id}",
        lambda agenda: edits.move_option(agenda, issue_id, option_id, direction),
        point=issue_id,
    )
    return apply_edit(request, session, negotiation_id, edit)


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
