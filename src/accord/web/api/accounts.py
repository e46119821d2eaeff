"""Login, logout, API tokens and user accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from accord.ledger.models import User
from accord.web import auth
from accord.web.api.schemas import LoginRequest, TokenOut, TokenRequest, UserCreate, UserOut
from accord.web.deps import CurrentUser, DbSession, bearer_secret, require_admin

router = APIRouter(tags=["accounts"])


def user_out(user: User) -> UserOut:
    return UserOut(id=user.id, username=user.username, is_admin=user.is_admin)


@router.post("/auth/login", response_model=UserOut)
def login(body: LoginRequest, request: Request, response: Response, session: DbSession) -> UserOut:
    """Check the password and set the session cookie (Secure when served over HTTPS)."""
    result = auth.login(session, body.username, body.password)
    if result is None:
        raise HTTPException(status_code=401, detail="wrong username or password")
    user, secret = result
    session.commit()
    auth.set_session_cookie(response, secret, secure=request.url.scheme == "https")
    return user_out(user)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response, session: DbSession) -> None:
    """End the login session (or revoke the bearer token the request carries)."""
    secret = bearer_secret(request) or request.cookies.get(auth.SESSION_COOKIE)
    if secret:
        auth.revoke_secret(session, secret)
        session.commit()
    auth.clear_session_cookie(response)


@router.get("/me", response_model=UserOut)
def me(user: CurrentUser) -> UserOut:
    return user_out(user)


@router.post("/tokens", response_model=TokenOut, status_code=201)
def create_token(body: TokenRequest, user: CurrentUser, session: DbSession) -> TokenOut:
    """A new API token for the current user; its secret is shown only in this response."""
    credential, secret = auth.issue_token(session, user, "api", body.label)
    session.commit()
    return TokenOut(id=credential.id, label=credential.label, token=secret)


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(
    body: UserCreate, admin: Annotated[User, Depends(require_admin)], session: DbSession
) -> UserOut:
    """A new account (administrators only)."""
    user = auth.create_user(session, body.username, body.password, body.is_admin)
    session.commit()
    return user_out(user)
