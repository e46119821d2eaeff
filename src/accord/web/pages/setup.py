"""Setting up a negotiation from the browser: a blank agenda, uploaded files, or a copy.

Creating needs the permission to create negotiations (administrators grant it); the
creator becomes the mediator and lands in the agenda editor. Uploaded files may be in any
format ``accord import`` reads; they are read before any write transaction begins (large
ones in the validation process, :func:`accord.web.uploads.import_upload`, which also turns
the scenario into the text the ledger stores), so that a long upload holds no lock and the
server's process parses nothing. A copy takes another negotiation's agenda, parties and rule, and
its parties' preferences only when the user is that negotiation's mediator.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from accord.errors import ScenarioError
from accord.ledger.errors import InvalidInput
from accord.ledger.models import User
from accord.ledger.negotiations import list_negotiations, membership_of
from accord.ledger.setup import copy_negotiation, create_blank_negotiation
from accord.ledger.stored_scenario import create_stored_negotiation
from accord.web.auth import may_create_negotiations, require_negotiation_creator
from accord.web.deps import MAX_ID, DbSession
from accord.web.pages.common import html_page, require_login, see_other
from accord.web.pages.render import render
from accord.web.uploads import import_upload

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/new"
UPLOAD_PATH = PATH + "/upload"

MAX_UPLOAD_FILES = 1_000
"""Starlette's own limit on the files of one form (a GENIUS domain with its 201 profiles
fits five times over)."""
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
"""The most all uploaded files may hold together."""

Key = Annotated[str, Form(max_length=80)]
Title = Annotated[str, Form(max_length=200)]
Description = Annotated[str, Form(max_length=20_000)]


def copy_sources(session: Session, user: User) -> list[dict[str, Any]]:
    """The negotiations ``user`` may read, and whether a copy would carry preferences."""
    sources = []
    for negotiation in list_negotiations(session, user):
        membership = membership_of(session, negotiation.id, user.id)
        sources.append(
            {
                "id": negotiation.id,
                "title": negotiation.title or negotiation.scenario_key,
                "with_preferences": membership is not None and membership.role == "mediator",
            }
        )
    return sources


def setup_page(
    session: Session,
    user: User,
    status_code: int = 200,
    errors: dict[str, list[str]] | None = None,
    entered: dict[str, str] | None = None,
) -> Response:
    typed = entered or {}
    return render(
        "setup.html",
        status_code=status_code,
        user=user,
        allowed=may_create_negotiations(user),
        sources=copy_sources(session, user),
        errors=errors or {},
        entered=typed,
    )


@router.get(PATH)
@html_page
def new_negotiation(request: Request, session: DbSession) -> Response:
    return setup_page(session, require_login(request, session))


def created(session: Session, negotiation_id: int) -> Response:
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/agenda")


@router.post(PATH)
@html_page
def create_blank(
    request: Request,
    session: DbSession,
    id: Key,
    title: Title = "",
    description: Description = "",
) -> Response:
    """A negotiation with an empty agenda: points and parties follow in the editor."""
    user = require_login(request, session)
    require_negotiation_creator(user)
    try:
        negotiation = create_blank_negotiation(
            session, id.strip(), title.strip(), description.strip(), user
        )
    except InvalidInput as error:
        session.rollback()
        entered = {"id": id, "title": title, "description": description}
        return setup_page(session, user, 422, {"blank": [str(error)]}, entered)
    return created(session, negotiation.id)


@router.post(UPLOAD_PATH)
@html_page
def create_from_upload(
    request: Request,
    session: DbSession,
    files: Annotated[list[UploadFile], File()],
) -> Response:
    """A negotiation from uploaded files (one scenario file, or a foreign folder's files)."""
    user = require_login(request, session)
    require_negotiation_creator(user)
    # Reading can take long: end the transaction the login check began, so that no
    # database lock is held meanwhile; the write below is a new, short transaction.
    session.rollback()
    try:
        content = read_files(files)
        imported = import_upload(content)
    except (InvalidInput, ScenarioError) as error:
        problems = (
            [problem.render() for problem in error.problems]
            if isinstance(error, ScenarioError)
            else [str(error)]
        )
        return setup_page(session, user, 422, {"upload": problems[:50]})
    negotiation = create_stored_negotiation(session, imported.stored, user)
    if imported.warnings:
        session.commit()
        return render(
            "setup_warnings.html",
            user=user,
            negotiation=negotiation,
            warnings=[warning.render() for warning in imported.warnings],
        )
    return created(session, negotiation.id)


def read_files(files: list[UploadFile]) -> list[tuple[str, bytes]]:
    """The uploaded files as (name, content); names are plain file names, each once."""
    if not files or not any(upload.filename for upload in files):
        raise InvalidInput("files: choose a scenario file, or the files of a scenario folder")
    if len(files) > MAX_UPLOAD_FILES:
        raise InvalidInput(
            f"files: expected at most {MAX_UPLOAD_FILES:,} files, got {len(files):,}"
        )
    content: list[tuple[str, bytes]] = []
    total = 0
    for upload in files:
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        if not name or name.startswith(".") or len(name) > 200:
            raise InvalidInput(f"files: {name[:40]!r} is not a file name Accord can keep")
        if any(name == seen for seen, _ in content):
            raise InvalidInput(f"files: '{name}' was given twice")
        data = upload.file.read(MAX_UPLOAD_BYTES - total + 1)
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            raise InvalidInput(
                f"files: expected at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB in all"
            )
        content.append((name, data))
    return content


@router.post(PATH + "/copy")
@html_page
def create_copy(
    request: Request,
    session: DbSession,
    source: Annotated[int, Form(ge=1, le=MAX_ID)],
    id: Key,
    title: Title = "",
    description: Description = "",
) -> Response:
    """A copy of a negotiation the user may read (preferences only from its mediator)."""
    user = require_login(request, session)
    require_negotiation_creator(user)
    readable = {item["id"]: item for item in copy_sources(session, user)}
    entered = {"id": id, "title": title, "description": description}
    if source not in readable:
        # The words for a negotiation that does not exist: one the user may not read
        # must not be told apart from it.
        message = f"source: you have no role in negotiation {source}"
        return setup_page(session, user, 422, {"copy": [message]}, entered)
    from accord.ledger.negotiations import get_negotiation

    try:
        negotiation = copy_negotiation(
            session,
            get_negotiation(session, source),
            id.strip(),
            title.strip(),
            description.strip(),
            user,
            with_preferences=readable[source]["with_preferences"],
        )
    except InvalidInput as error:
        session.rollback()
        return setup_page(session, user, 422, {"copy": [str(error)]}, entered)
    return created(session, negotiation.id)
