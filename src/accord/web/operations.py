"""What ``accord serve`` adds around the app: a free port first, a log, a clean stop.

* :func:`ensure_port_free` runs before anything is created, so a server that cannot listen
  leaves no database behind and prints no password it would never use.
* :func:`add_operations` installs the access log and, on a SQLite ledger, a WAL checkpoint
  when the server stops (SIGINT or SIGTERM, which uvicorn turns into a clean shutdown):
  after a clean stop ``accord.db`` alone holds the whole ledger.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from accord.errors import AccordError

if TYPE_CHECKING:
    from fastapi import FastAPI


def ensure_port_free(host: str, port: int) -> None:
    """Raise a one-line error unless ``host:port`` can be listened on now.

    The probe binds as uvicorn will (SO_REUSEADDR, IPv6 when the host has a colon) and
    closes again; a server that takes the port in between still fails, in uvicorn.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise AccordError(
                    f"--port: {host}:{port} is already in use (another accord serve?); "
                    "stop it or choose another port"
                ) from None
            if error.errno == errno.EACCES:
                raise AccordError(
                    f"--port: not allowed to listen on {host}:{port} (ports below 1024 need "
                    "privileges); choose another port"
                ) from None
            raise AccordError(f"--host: cannot listen on {host}:{port}: {error.strerror}") from None


def add_operations(app: FastAPI, access_log: bool = True) -> None:
    """The access log (unless switched off) and the checkpoint of a SQLite ledger on stop."""
    from accord.ledger.backup import checkpoint, sqlite_path
    from accord.web.access_log import AccessLog, enable_access_log

    if access_log:
        enable_access_log()
        app.add_middleware(AccessLog)
    database = app.state.database
    path = sqlite_path(database.url)
    if path is None:
        return
    running = app.router.lifespan_context

    @asynccontextmanager
    async def checkpointed(app_: Any) -> AsyncIterator[Any]:  # the app's own state, if any
        async with running(app_) as state:
            yield state
        # Close the pool first: an idle pooled connection would keep the WAL file alive.
        database.dispose()
        checkpoint(path)

    app.router.lifespan_context = checkpointed
