"""Serve the app on a free loopback port in a background thread, for as long as needed.

What the browser tests and ``scripts/screenshots.py`` use: a real uvicorn server on a
real ledger, started and stopped inside one Python process (``accord serve`` is the
face for everyone else).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from accord.ledger.throwaway_postgres import free_port
from accord.web.app import create_app

START_SECONDS = 20.0


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """Serve ``database_url``'s ledger on 127.0.0.1; yields the base URL."""
    app = create_app(database_url)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.database.dispose()
