"""A negotiation's people (its mediators): who holds which role, invitations, and the
accounts in the mediator's care (see :mod:`accord.web.stewardship` for the rules).

The forms that hash a password (a new account, a password reset) are handled like the
login (:mod:`accord.web.sign_in`): the password is hashed outside any transaction and the
SQLite write gate, which they take for their write only. Every write is recorded in the
audit log by the ledger itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.errors import AccordError
from accord.ledger import negotiations as ledger
from accord.ledger.errors import Forbidden, InvalidInput
from accord.ledger.models import User
from accord.web import auth, stewardship
from accord.web.deps import DbSession, negotiation_access
from accord.web.pages.common import Viewer, error_page, html_page, see_other, viewer_for
from accord.web.pages.render import render
from accord.web.sign_in import caller, database_of, run_hashing, run_write

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/people"
Name = Annotated[str, Form(max_length=200)]
RoleChoice = Annotated[str, Form(max_length=100)]
Action = Callable[[Session, User, Viewer, str], str]
"""A write given the session, the acting mediator, their standing and a password's hash;
it returns the name of the account whose password that is."""


def parse_role(choice: str) -> tuple[ledger.MemberRole, str | None]:
    """The form's ``mediator``, ``observer`` or ``delegate:<party key>``."""
    role, _, party = choice.partition(":")
    if role == "delegate" and party:
        return "delegate", party
    if role in ("mediator", "observer") and not party:
        return role, None  # type: ignore[return-value]
    raise InvalidInput(f"role must be mediator, observer or delegate:<party key>, got {choice!r}")


def _page(
    session: Session,
    user: User,
    viewer: Viewer,
    notice: str | None = None,
    one_time: tuple[str, str] | None = None,
) -> Response:
    negotiation = viewer.access.negotiation
    memberships = ledger.members(session, negotiation)
    in_care = stewardship.in_care_of(session, user, [m.user for m in memberships])
    return render(
        "people.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        notice=notice,
        members=memberships,
        in_care=in_care,
        parties=[party for party in negotiation.parties if party.active],
        one_time=one_time,
    )


def _mediator_of(request: Request, session: DbSession, negotiation_id: int) -> tuple[User, Viewer]:
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    return user, viewer


@router.get(PATH)
@html_page
def people_page(request: Request, session: DbSession, negotiation_id: int) -> Response:
    user, viewer = _mediator_of(request, session, negotiation_id)
    return _page(session, user, viewer)


@router.post(PATH + "/members")
@html_page
def give_role(
    request: Request, session: DbSession, negotiation_id: int, username: Name, role: RoleChoice
) -> Response:
    """Give an existing account a role here, or change the role it has (mediator).

    The answer is the same whether or not an account has that name, as the API's.
    """
    user, viewer = _mediator_of(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    member_role, party_key = parse_role(role)
    party = ledger.check_role(session, negotiation, member_role, party_key)
    name = username.strip()
    target = auth.get_user_by_name(session, name)
    if target is not None:
        stewardship.set_role(session, negotiation, target, member_role, party_key)
        session.commit()
    held = member_role if party is None else f"delegate of {party.display_name}"
    notice = (
        f"If an account is named '{name}', it is now {held} here: the list below shows "
        "who holds a role. To invite someone without an account, create one below."
    )
    return _page(session, user, viewer, notice)


@router.post(PATH + "/members/{username}/remove")
@html_page
def remove_role(
    request: Request, session: DbSession, negotiation_id: int, username: str
) -> Response:
    """Take a member's role away (mediator); the last mediator keeps theirs."""
    _, viewer = _mediator_of(request, session, negotiation_id)
    negotiation = viewer.access.negotiation
    target = stewardship.member_named(session, negotiation, username)
    stewardship.take_role(session, negotiation, target)
    session.commit()
    if target.id == viewer.access.user.id:
        return see_other("/negotiations")
    return see_other(f"/negotiations/{negotiation_id}/people")


@router.post(PATH + "/members/{username}/disabled")
@html_page
def set_disabled(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    username: str,
    disabled: Annotated[bool, Form()],
) -> Response:
    """Disable an account in the mediator's care (its sessions and tokens end) or enable it."""
    user, viewer = _mediator_of(request, session, negotiation_id)
    target = stewardship.member_named(session, viewer.access.negotiation, username)
    stewardship.require_in_care(session, user, target)
    auth.set_disabled(session, target, disabled, user)
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/people#member-{target.username}")


@router.post(PATH + "/accounts")
async def create_account(
    request: Request, negotiation_id: int, username: Name, role: RoleChoice
) -> Response:
    """A new account with a role here and a one-time password shown on this page once.

    An administrator names it exactly; a mediator's name gets a random ending, so that
    the form never tells which names are taken.
    """
    member_role, party_key = parse_role(role)

    def act(session: Session, actor: User, viewer: Viewer, password_hash: str) -> str:
        negotiation = viewer.access.negotiation
        ledger.check_role(session, negotiation, member_role, party_key)
        name = username.strip() if actor.is_admin else stewardship.invited_name(session, username)
        created = auth.create_user(session, name, password, password_hash=password_hash)
        created.must_change_password = True  # the one-time password is for the first login
        ledger.add_member(session, negotiation, created, member_role, party_key)
        return created.username

    password = stewardship.one_time_password()
    return await _with_new_password(request, negotiation_id, password, act, "created")


@router.post(PATH + "/members/{username}/password")
async def reset_password(request: Request, negotiation_id: int, username: str) -> Response:
    """A new one-time password for an account in the mediator's care; every session and
    token of that account ends."""

    def act(session: Session, actor: User, viewer: Viewer, password_hash: str) -> str:
        target = stewardship.member_named(session, viewer.access.negotiation, username)
        stewardship.require_in_care(session, actor, target)
        auth.set_password_hash(session, target, password_hash, handed_over=True)
        auth.revoke_all(session, target)
        return target.username

    password = stewardship.one_time_password()
    return await _with_new_password(request, negotiation_id, password, act, "reset")


async def _with_new_password(
    request: Request,
    negotiation_id: int,
    password: str,
    act: Action,
    done: str,
) -> Response:
    """Hash ``password`` outside any transaction, then run ``act`` in one under the gate
    and show the page with the password, once."""
    here = f"/negotiations/{negotiation_id}/people"
    try:
        who = await caller(request)
    except HTTPException:  # not logged in: to the login page and back
        return RedirectResponse(f"/login?next={quote(here)}", status_code=303)
    except AccordError as error:  # a password to change first, say
        return error_page(error)
    try:
        await run_in_threadpool(_check_mediator, request, negotiation_id, who.user_id)
        password_hash = await run_hashing(request, lambda: auth.hash_password(password))

        def write() -> str:
            with database_of(request).transaction() as session:
                actor, viewer = _mediator_in(request, session, negotiation_id, who.user_id)
                return act(session, actor, viewer, password_hash)

        name = await run_write(request, write)
    except AccordError as error:
        return error_page(error)
    what = "Account created" if done == "created" else "Password reset; its sessions ended"
    notice = (
        f"{what}: '{name}'. Its one-time password is shown only now: hand it over in "
        "person or by a channel you trust. It works for one login: they must then choose "
        "their own password on their account page before anything else."
    )

    def show() -> Response:
        # On a worker thread, as every page's reads: the event loop waits for no query.
        with database_of(request).session() as session:
            actor = auth.identify(request, session)
            if actor is None:
                return RedirectResponse("/login", status_code=303)
            viewer = Viewer(negotiation_access(negotiation_id, actor, session))
            return _page(session, actor, viewer, notice, (name, password))

    try:
        return await run_in_threadpool(show)
    except AccordError as error:  # no longer this negotiation's mediator, say
        return error_page(error)


def _mediator_in(
    request: Request, session: Session, negotiation_id: int, user_id: int
) -> tuple[User, Viewer]:
    actor = auth.identify(request, session)
    if actor is None or actor.id != user_id:
        raise Forbidden("you are no longer logged in")
    viewer = Viewer(negotiation_access(negotiation_id, actor, session))
    viewer.access.require_mediator()
    return actor, viewer


def _check_mediator(request: Request, negotiation_id: int, user_id: int) -> None:
    """Refuse before hashing anything if the caller is not this negotiation's mediator."""
    with database_of(request).session() as session:
        _mediator_in(request, session, negotiation_id, user_id)
