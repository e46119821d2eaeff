"""Login, logout, API tokens (listed, expiring, revocable), passwords and user accounts.

The handlers that hash a password are ``async``: they read, hash and write in separate
steps so that hashing never happens inside a transaction or under the SQLite write gate
(see :mod:`accord.web.sign_in`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.ledger.models import Credential, User
from accord.web import auth
from accord.web.api.account_schemas import (
    AccountChange,
    AccountOut,
    CredentialOut,
    PasswordChange,
    PasswordReset,
    TokenCreate,
    TokenCreated,
)
from accord.web.api.schemas import LoginRequest, UserCreate, UserOut
from accord.web.deps import CurrentUser, DbSession, RecordId, require_admin
from accord.web.sign_in import (
    LoginRefused,
    caller,
    check_password_of,
    database_of,
    hash_new_password,
    run_write,
    sign_in,
)

router = APIRouter(tags=["accounts"])
Admin = Annotated[User, Depends(require_admin)]


def user_out(user: User) -> UserOut:
    return UserOut(id=user.id, username=user.username, is_admin=user.is_admin)


def account_out(user: User) -> AccountOut:
    return AccountOut(
        id=user.id,
        username=user.username,
        is_admin=user.is_admin,
        can_create_negotiations=auth.may_create_negotiations(user),
        disabled=user.is_disabled,
        must_change_password=user.must_change_password,
    )


@router.post(
    "/auth/login",
    response_model=UserOut,
    responses={429: {"description": "Too many failed logins lately (see Retry-After)."}},
)
async def login(body: LoginRequest, request: Request, response: Response) -> UserOut:
    """Check the password and set the session cookie (Secure when served over HTTPS).

    Failed attempts are limited per account and per address: past the limit the answer
    is 429 with ``Retry-After``, whether or not the account exists.
    """
    try:
        user, secret = await sign_in(request, body.username, body.password)
    except LoginRefused as refused:
        raise refused.as_http() from None
    auth.set_session_cookie(response, secret, secure=request.url.scheme == "https")
    return user_out(user)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response, session: DbSession) -> None:
    """End the login session (or revoke the bearer token the request carries)."""
    secret = auth.bearer_secret(request) or request.cookies.get(auth.SESSION_COOKIE)
    if secret:
        auth.identify(request, session)
        auth.revoke_secret(session, secret)
        session.commit()
    auth.clear_session_cookie(response)


@router.get("/me", response_model=AccountOut)
def me(user: CurrentUser) -> AccountOut:
    """The account behind the request's credential (401 once disabled or expired)."""
    return account_out(user)


@router.put("/me/password", status_code=204)
async def change_password(body: PasswordChange, request: Request) -> None:
    """Change one's own password: every other session and token is revoked."""
    who = await caller(request)
    try:
        checked = await check_password_of(request, who.username, body.current_password)
    except LoginRefused as refused:
        raise refused.as_http() from None
    if checked is None or checked.id != who.user_id:
        raise HTTPException(status_code=403, detail="the current password is wrong")
    new_hash = await hash_new_password(request, body.new_password, who.username)

    def write() -> None:
        with database_of(request).transaction() as session:
            user = auth.identify(request, session)
            if user is None or user.id != who.user_id:
                raise HTTPException(status_code=401, detail="not logged in")
            if user.must_change_password and body.new_password == body.current_password:
                raise HTTPException(status_code=422, detail=auth.SAME_PASSWORD)
            auth.set_password_hash(session, user, new_hash)
            auth.revoke_all(session, user, keep=who.credential_id)

    await run_write(request, write)


@router.get("/tokens", response_model=list[CredentialOut])
def list_tokens(request: Request, user: CurrentUser, session: DbSession) -> list[CredentialOut]:
    """The current user's live API tokens and login sessions, newest first."""
    current = auth.request_credential(request, session)
    return [_credential_out(c, current) for c in auth.live_credentials(session, user)]


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(body: TokenCreate, user: CurrentUser, session: DbSession) -> TokenCreated:
    """A new API token for the current user; its secret is shown only in this response."""
    lifetime = timedelta(days=body.expires_in_days)
    credential, secret = auth.issue_token(session, user, "api", body.label, lifetime)
    session.commit()
    assert credential.expires_at is not None  # every token expires
    return TokenCreated(
        id=credential.id, label=credential.label, token=secret, expires_at=credential.expires_at
    )


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: RecordId, user: CurrentUser, session: DbSession) -> None:
    """Revoke one of the current user's tokens or login sessions (404 for anyone else's)."""
    auth.revoke_credential(session, user, token_id)
    session.commit()


@router.get("/users", response_model=list[AccountOut])
def list_users(admin: Admin, session: DbSession) -> list[AccountOut]:
    """Every account (administrators only)."""
    return [account_out(user) for user in auth.list_users(session)]


@router.post("/users", response_model=AccountOut, status_code=201)
async def create_user(body: UserCreate, request: Request) -> AccountOut:
    """A new account (administrators only); the password must pass the policy."""
    who = await caller(request)
    if not who.is_admin:
        raise HTTPException(status_code=403, detail="only an administrator may do this")
    await run_in_threadpool(auth.check_new_account, body.username, body.password)
    new_hash = await hash_new_password(request, body.password, body.username)

    def write() -> AccountOut:
        with database_of(request).transaction() as session:
            _admin_in(request, session)
            user = auth.create_user(
                session, body.username, body.password, body.is_admin, password_hash=new_hash
            )
            return account_out(user)

    return await run_write(request, write)


@router.patch("/users/{username}", response_model=AccountOut)
def change_user(username: str, body: AccountChange, admin: Admin, session: DbSession) -> AccountOut:
    """Disable or enable an account (disabling revokes all its credentials), grant or take
    the right to create negotiations, or administrator rights (administrators only)."""
    user = auth.require_user(session, username)
    if body.disabled is not None:
        auth.set_disabled(session, user, body.disabled, admin)
    if body.can_create_negotiations is not None:
        user.can_create_negotiations = body.can_create_negotiations
    if body.is_admin is not None:
        if user.id == admin.id and not body.is_admin:
            raise HTTPException(
                status_code=422, detail="an administrator cannot take away their own rights"
            )
        user.is_admin = body.is_admin
    session.commit()
    return account_out(user)


@router.put("/users/{username}/password", status_code=204)
async def reset_password(username: str, body: PasswordReset, request: Request) -> None:
    """Set a user's password (administrators only); every credential of theirs is revoked."""
    who = await caller(request)
    if not who.is_admin:
        raise HTTPException(status_code=403, detail="only an administrator may do this")
    new_hash = await hash_new_password(request, body.password, username)

    def write() -> None:
        with database_of(request).transaction() as session:
            _admin_in(request, session)
            user = auth.require_user(session, username)
            auth.set_password_hash(session, user, new_hash)
            auth.revoke_all(session, user)

    await run_write(request, write)


def _admin_in(request: Request, session: Session) -> User:
    # Checked again inside the writing transaction: the caller may have lost the right.
    user = auth.identify(request, session)
    if user is None or not user.is_admin:
        raise HTTPException(status_code=403, detail="only an administrator may do this")
    return user


def _credential_out(credential: Credential, current: Credential | None) -> CredentialOut:
    return CredentialOut(
        id=credential.id,
        kind=credential.kind,
        label=credential.label,
        created_at=credential.created_at,
        expires_at=credential.expires_at,
        current=current is not None and current.id == credential.id,
    )
