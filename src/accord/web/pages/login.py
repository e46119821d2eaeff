"""Logging in and out with the session cookie (the same credentials as the API's login)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from accord.web.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    identify,
    revoke_secret,
    set_session_cookie,
)
from accord.web.deps import DbSession, current_user_or_none
from accord.web.pages.render import render
from accord.web.sign_in import LoginRefused, sign_in

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    # Only paths on this site: "//host" or "http://..." would send the user elsewhere.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/negotiations"


@router.get("/")
def home(request: Request, session: DbSession) -> Response:
    user = current_user_or_none(request, session)
    return RedirectResponse("/negotiations" if user else "/login", status_code=303)


@router.get("/login")
def login_form(next: str = "/negotiations") -> Response:
    return render("login.html", error=None, username="", next=_safe_next(next))


@router.post("/login")
async def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/negotiations",
) -> Response:
    # Hashing happens outside any transaction and the write gate (accord.web.sign_in).
    try:
        user, secret = await sign_in(request, username, password)
    except LoginRefused as refused:
        message = "Wrong user name or password." if refused.status == 401 else refused.message
        page = render(
            "login.html",
            status_code=refused.status,
            error=message,
            username=username,
            next=_safe_next(next),
        )
        if refused.retry_after:
            page.headers["Retry-After"] = str(refused.retry_after)
        return page
    # A password handed over by a mediator is for this login only: choose one's own first.
    target = "/account#password" if user.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, secret, secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        identify(request, session)
        revoke_secret(session, secret)
        session.commit()
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response
