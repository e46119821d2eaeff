"""The account page: one's password, tokens and login sessions; for administrators, the
users (create, disable, reset a password, grant the right to create negotiations).

The forms that hash a password are handled like the login (:mod:`accord.web.sign_in`):
outside any transaction and the SQLite write gate, which they take for their write only.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.ledger.errors import Forbidden, InvalidInput
from accord.ledger.models import User
from accord.web import auth
from accord.web.deps import DbSession
from accord.web.pages.common import error_page, html_page, require_login, see_other
from accord.web.pages.render import render
from accord.web.sign_in import (
    LoginRefused,
    caller,
    check_password_of,
    database_of,
    hash_new_password,
    run_write,
)

router = APIRouter(include_in_schema=False)
PAGE = "/account"
Password = Annotated[str, Form(max_length=1000)]


def _page(
    request: Request, session: Session, user: User, notice: str | None = None, secret: str = ""
) -> Response:
    current = auth.request_credential(request, session)
    return render(
        "account.html",
        user=user,
        notice=notice,
        new_secret=secret,
        credentials=auth.live_credentials(session, user),
        current_id=None if current is None else current.id,
        users=auth.list_users(session) if user.is_admin else [],
        may_create=auth.may_create_negotiations(user),
    )


def _require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden("only an administrator may do this")


@router.get(PAGE)
@html_page
def account_page(request: Request, session: DbSession) -> Response:
    return _page(request, session, require_login(request, session))


@router.post(PAGE + "/tokens")
@html_page
def create_token(
    request: Request,
    session: DbSession,
    label: Annotated[str, Form(max_length=200)] = "",
    days: Annotated[int, Form(ge=1, le=365)] = 90,
) -> Response:
    """A new API token: its secret is shown on this page once."""
    user = require_login(request, session)
    _, secret = auth.issue_token(session, user, "api", label, timedelta(days=days))
    session.commit()
    notice = "New token created: copy it now, it is not shown again."
    return _page(request, session, user, notice, secret)


@router.post(PAGE + "/tokens/{token_id}/revoke")
@html_page
def revoke_token(request: Request, session: DbSession, token_id: int) -> Response:
    user = require_login(request, session)
    auth.revoke_credential(session, user, token_id)
    session.commit()
    return see_other(PAGE)


@router.post(PAGE + "/users/{username}/disabled")
@html_page
def set_disabled(
    request: Request,
    session: DbSession,
    username: str,
    disabled: Annotated[bool, Form()],
) -> Response:
    admin = require_login(request, session)
    _require_admin(admin)
    auth.set_disabled(session, auth.require_user(session, username), disabled, admin)
    session.commit()
    return see_other(PAGE + "#users")


@router.post(PAGE + "/users/{username}/creator")
@html_page
def set_creator(
    request: Request,
    session: DbSession,
    username: str,
    allowed: Annotated[bool, Form()],
) -> Response:
    admin = require_login(request, session)
    _require_admin(admin)
    auth.require_user(session, username).can_create_negotiations = allowed
    session.commit()
    return see_other(PAGE + "#users")


@router.post(PAGE + "/password")
async def change_password(
    request: Request, current_password: Password, new_password: Password
) -> Response:
    """Change one's own password; every other session and token ends."""
    return await _hashing_form(request, new_password, own=current_password)


@router.post(PAGE + "/users")
async def create_user(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Password,
    is_admin: Annotated[bool, Form()] = False,
) -> Response:
    return await _hashing_form(request, password, new_user=username, is_admin=is_admin)


@router.post(PAGE + "/users/{username}/password")
async def reset_password(request: Request, username: str, password: Password) -> Response:
    """Set another user's password (administrators); every credential of theirs ends."""
    return await _hashing_form(request, password, reset=username)


async def _hashing_form(
    request: Request,
    password: str,
    own: str | None = None,
    new_user: str | None = None,
    reset: str | None = None,
    is_admin: bool = False,
) -> Response:
    try:
        who = await caller(request)
    except HTTPException:  # not logged in: to the login page and back
        return RedirectResponse(f"/login?next={quote(PAGE)}", status_code=303)
    except AccordError as error:  # a password to change first (only /account/password)
        return error_page(error)
    try:
        if own is not None:
            checked = await check_password_of(request, who.username, own)
            if checked is None or checked.id != who.user_id:
                raise Forbidden("the current password is wrong")
        elif not who.is_admin:
            raise Forbidden("only an administrator may do this")
        if new_user is not None:
            auth.check_new_account(new_user, password)
        new_hash = await hash_new_password(request, password, new_user or reset or who.username)

        def write() -> str:
            with database_of(request).transaction() as session:
                user = auth.identify(request, session)
                if user is None or user.id != who.user_id:
                    raise Forbidden("you are no longer logged in")
                if new_user is not None:
                    _require_admin(user)
                    auth.create_user(session, new_user, password, is_admin, password_hash=new_hash)
                    return f"Account '{new_user}' created."
                if reset is not None:
                    _require_admin(user)
                    target = auth.require_user(session, reset)
                    auth.set_password_hash(session, target, new_hash)
                    auth.revoke_all(session, target)
                    return f"Password of '{target.username}' set; its sessions and tokens ended."
                if user.must_change_password and password == own:
                    raise InvalidInput(auth.SAME_PASSWORD)  # handed over: choose another
                auth.set_password_hash(session, user, new_hash)
                auth.revoke_all(session, user, keep=who.credential_id)
                return "Password changed; your other sessions and tokens ended."

        notice = await run_write(request, write)
    except LoginRefused as refused:
        return error_page(Forbidden(refused.message))
    except AccordError as error:
        return error_page(error)
    with database_of(request).session() as session:
        user = auth.identify(request, session)
        if user is None:
            return RedirectResponse("/login", status_code=303)
        return _page(request, session, user, notice)
