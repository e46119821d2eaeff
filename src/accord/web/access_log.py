"""The server's access log: one line per request with its method, path and status.

Nothing else is written: no query string (a token or a password may travel in one), no
header, no body, no client address. A path parameter named like a secret (``*token*``,
``*secret*``) is written as ``…``: a route that carries a secret in its path must name its
parameter so. Uvicorn's own access log prints the query string, so ``accord serve`` keeps it
off and uses this one.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER_NAME = "accord.access"
SECRET_PARAMETER_WORDS = ("token", "secret")
HIDDEN = "…"

logger = logging.getLogger(LOGGER_NAME)


def enable_access_log(stream: TextIO | None = None) -> None:
    """Write the access log to ``stream`` (standard output by default), once per process."""
    if any(getattr(handler, "accord_access", False) for handler in logger.handlers):
        return
    handler = logging.StreamHandler(stream if stream is not None else sys.stdout)
    handler.accord_access = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


class AccessLog:
    """ASGI middleware: log each HTTP request once its response status is known."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]  # read now: routing rewrites parts of the scope
        status = 500  # what the client gets if the app fails before it answers

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            logger.info("%s %s %d", scope["method"], logged_path(path, scope), status)


def logged_path(path: str, scope: Scope) -> str:
    """``path`` (no query string there) with the secret path parameters hidden."""
    # The router has stored the matched route's parameters in the shared scope by now.
    for name, value in (scope.get("path_params") or {}).items():
        if any(word in name.lower() for word in SECRET_PARAMETER_WORDS) and str(value):
            path = path.replace(str(value), HIDDEN)
    return path
