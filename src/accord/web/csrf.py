"""Cross-site request forgery: only Accord's own pages may write with a user's cookie.

``SameSite=Lax`` is not enough: it treats another port of the same host as the same
site, so a page served from ``127.0.0.1:OTHER`` could post a form to the ledger with the
user's session cookie. Two independent checks refuse such requests (403):

- **Origin.** A request that changes something (POST, PUT, PATCH, DELETE) and does not
  carry an ``Authorization: Bearer`` token must come from this server's own origin: its
  ``Origin`` header (or, without one, its ``Referer``) names the host and port the
  request was sent to. Browsers send ``Origin`` on every such request; clients that send
  neither (scripts) pass on to the token check.
- **Token.** Every form carries a hidden ``csrf_token`` bound to the login session (an
  HMAC of the session's secret, so it changes at every login and a page from elsewhere
  cannot know it). Before login, the login form's token is bound to a random
  ``accord_csrf`` cookie instead. A page's write must send the token (form field
  ``csrf_token`` or header ``X-CSRF-Token``). An API call authenticated by the cookie
  must send it only in the one shape a foreign page can produce without a CORS preflight
  this server never grants: a form or ``text/plain`` body.

API calls with a bearer token are not affected: a foreign page cannot attach one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from contextvars import ContextVar
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from markupsafe import Markup, escape
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.ledger.errors import Forbidden
from accord.web.auth import SESSION_COOKIE

PRESESSION_COOKIE = "accord_csrf"
FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# The content types a page of another origin can send without a CORS preflight.
SIMPLE_CONTENT_TYPES = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)

_page_token: ContextVar[str] = ContextVar("accord_csrf_token", default="")


class CrossSiteRequest(Forbidden):
    """A write that did not come from one of Accord's own pages."""


def token_for(secret: str) -> str:
    """The CSRF token of the session (or pre-session cookie) whose secret is ``secret``."""
    return hmac.new(secret.encode("utf-8"), b"accord csrf token", hashlib.sha256).hexdigest()


def page_token() -> str:
    """The token the forms of the page being rendered must carry."""
    return _page_token.get()


def csrf_field() -> Markup:
    """The hidden input every ``<form method="post">`` of a template includes."""
    return Markup(f'<input type="hidden" name="{FORM_FIELD}" value="{escape(page_token())}">')


def _headers(scope: Scope) -> dict[str, str]:
    return {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}


def _netloc(url: str) -> str | None:
    """``host[:port]`` of an origin or URL, lower case, without the scheme's default port."""
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme, parts.hostname, parts.port
    except ValueError:
        return None
    if scheme not in ("http", "https") or not host:
        return None
    default = {"http": 80, "https": 443}[scheme]
    host = f"[{host}]" if ":" in host else host
    return host if port in (None, default) else f"{host}:{port}"


def _own_netloc(host_header: str) -> str:
    host = host_header.strip().lower()
    for default in (":80", ":443"):
        if host.endswith(default):
            return host[: -len(default)]
    return host


def foreign_origin(headers: dict[str, str]) -> str | None:
    """Why the request comes from another origin than the one it was sent to, or None.

    ``Origin`` wins over ``Referer``; a request with neither is not judged here.
    """
    own = _own_netloc(headers.get("host", ""))
    origin = headers.get("origin")
    if origin is not None:
        if _netloc(origin) != own:
            return f"it was sent from the page of another origin ({origin[:100]})"
        return None
    referer = headers.get("referer")
    if referer is not None and _netloc(referer) != own:
        return "it was sent from a page of another site"
    return None


def _has_bearer(headers: dict[str, str]) -> bool:
    scheme, _, secret = headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(secret.strip())


def refusal(path: str, reason: str) -> Response:
    """403: as JSON under ``/api``, as an error page elsewhere."""
    message = f"refused: {reason}. Reload the page and send the form again."
    if path.startswith("/api/") or path == "/api":
        return JSONResponse({"detail": message}, status_code=403)
    from accord.web.pages.render import render  # the pages import this module

    return render("error.html", status_code=403, title="Not allowed", message=message)


class CsrfGuard:
    """ASGI middleware: the Origin check, and the token the pages' forms carry.

    It runs before anything else (a forged request never queues for the database) and,
    for pages, hands a visitor without any cookie the pre-session cookie its login form's
    token is bound to.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        path: str = scope["path"]
        if scope["method"] in UNSAFE_METHODS and not _has_bearer(headers):
            reason = foreign_origin(headers)
            if reason is not None:
                await refusal(path, reason)(scope, receive, send)
                return
        cookies = cookie_parser(headers.get("cookie", ""))
        secret = cookies.get(SESSION_COOKIE) or cookies.get(PRESESSION_COOKIE)
        new_secret = None
        # Pages only: API calls have no forms, and static files are cached (public).
        if secret is None and not path.startswith(("/api", "/static/", "/docs")):
            secret = new_secret = secrets.token_urlsafe(32)
        reset = _page_token.set("" if secret is None else token_for(secret))
        try:
            if new_secret is None:
                await self.app(scope, receive, send)
            else:
                await self.app(scope, receive, _with_cookie(send, new_secret, scope))
        finally:
            _page_token.reset(reset)


def _with_cookie(send: Send, secret: str, scope: Scope) -> Send:
    cookie = f"{PRESESSION_COOKIE}={secret}; HttpOnly; Path=/; SameSite=Lax"
    if scope.get("scheme") == "https":
        cookie += "; Secure"

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = dict(message)
            message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
        await send(message)

    return sending


async def require_csrf_token(request: Request) -> None:
    """Refuse a cookie-authenticated write that lacks this session's token (a dependency
    of every route; the form is parsed once, FastAPI reuses it)."""
    if request.method not in UNSAFE_METHODS or _has_bearer(dict(request.headers)):
        return
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    is_api = request.url.path.startswith("/api/")
    if is_api and (
        SESSION_COOKIE not in request.cookies or content_type not in SIMPLE_CONTENT_TYPES
    ):
        return
    secret = request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRESESSION_COOKIE)
    sent = request.headers.get(HEADER)
    if sent is None and content_type in FORM_CONTENT_TYPES:
        field = (await request.form()).get(FORM_FIELD)
        sent = field if isinstance(field, str) else None
    if secret is None or not sent or not hmac.compare_digest(sent, token_for(secret)):
        raise CrossSiteRequest(
            "its security token is missing or out of date (the session changed, "
            "or the form did not come from Accord's own pages)"
        )
