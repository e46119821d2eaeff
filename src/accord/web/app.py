"""The web app factory: the JSON API under ``/api``, the pages at ``/``, one database.

Errors a user can act on become 4xx with ``{"detail": message}``; messages name ids and
fields only, never a party's preferences.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.types import ASGIApp, Receive, Scope, Send

from accord.errors import AccordError, ScenarioError
from accord.ledger import Database
from accord.ledger.database import resolve_url
from accord.ledger.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.web import pdf_exports, uploads
from accord.web.api import router as api_router
from accord.web.csrf import CrossSiteRequest, CsrfGuard, refusal, require_csrf_token
from accord.web.deps import WRITE_METHODS
from accord.web.docs import router as docs_router
from accord.web.durable_writes import DurableWrites
from accord.web.headers import SecurityHeaders
from accord.web.heap import frozen_heap
from accord.web.pages import router as pages_router
from accord.web.pages.preferences import is_preview_path
from accord.web.sign_in import takes_gate_itself
from accord.web.validation import refuse_nul_characters, validation_error

STATUS = ((NotFound, 404), (Forbidden, 403), (Conflict, 409), (InvalidInput, 422))


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[None]:
    """The app's lifespan: its heap frozen while it serves (:mod:`accord.web.heap`); when it
    stops, its helper processes (the PDF renderer, the large uploads' validator) ended, so
    that none outlives it and their queues' semaphores are released, not reported leaked.
    A later request in the same process starts them again."""
    async with frozen_heap(app):
        yield
    pdf_exports.shutdown()
    uploads.shutdown()


def create_app(
    database_url: str | None = None,
    db_path: str | Path | None = None,
    migrate: bool = True,
) -> FastAPI:
    """The Accord web app on ``database_url`` (or ``ACCORD_DATABASE_URL``, or ``db_path``).

    With ``migrate`` (the default) the schema is brought up to date before serving.
    """
    database = Database(resolve_url(database_url, db_path))
    if migrate:
        database.migrate()
    app = FastAPI(
        title="Accord",
        summary="The record of a real negotiation: meetings, drafts, stances, preferences.",
        version="0.1.0",
        # FastAPI's own pages load Swagger UI and ReDoc from a CDN: accord.web.docs serves
        # Swagger UI from an installed package instead.
        docs_url=None,
        redoc_url=None,
        lifespan=serving,
        # Every route: a cookie-authenticated write needs this session's CSRF token, and
        # no text may carry a NUL character (PostgreSQL cannot store one).
        dependencies=[Depends(require_csrf_token), Depends(refuse_nul_characters)],
    )
    app.state.database = database
    app.state.write_gate = asyncio.Lock() if database.is_sqlite else None
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(docs_router)
    _add_error_handlers(app)
    if database.is_sqlite:
        app.add_middleware(SQLiteWriteGate, gate=app.state.write_gate)
        # Around the gate: a writer's disk sync waits after the gate has let the next in.
        app.add_middleware(DurableWrites)
    # Added last, so run first: a forged request never queues for the write gate.
    app.add_middleware(CsrfGuard)
    app.add_middleware(SecurityHeaders)

    @app.get("/api/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


UNGATED_WRITES = frozenset({("POST", "/api/negotiations"), ("POST", "/negotiations/new/upload")})
"""Writes that skip :class:`SQLiteWriteGate`: their slow part (validating an uploaded
scenario) runs before they write, outside any transaction, and their write is one short
transaction that waits on SQLite's own lock. Queued behind the gate, one large upload
held every other writer for as long as its validation took."""


class SQLiteWriteGate:
    """Let one writing request at a time into the app when the ledger is SQLite.

    SQLite has one writer; a write transaction begins (BEGIN IMMEDIATE) while FastAPI
    resolves a request's dependencies on one worker thread and commits in the handler on
    another. Writers queued on the database lock would hold every worker thread while the
    lock's owner waits for a thread to finish on: a deadlock until the busy timeout. Writers
    therefore queue here, on the event loop, holding no thread; readers pass freely (WAL).
    The requests that hash passwords take the gate themselves, for their write only
    (:mod:`accord.web.sign_in`), and the preferences previews, which write nothing but may
    wait seconds for their computation, pass freely (:mod:`accord.web.pages.preferences`).
    """

    def __init__(self, app: ASGIApp, gate: asyncio.Lock) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in WRITE_METHODS
            and (scope["method"], scope["path"]) not in UNGATED_WRITES
            and not takes_gate_itself(scope["path"])
            and not is_preview_path(scope["path"])
        ):
            async with self.gate:
                await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _add_error_handlers(app: FastAPI) -> None:
    async def accord_error(request: Request, error: Exception) -> JSONResponse:
        status = 400
        for kind, code in STATUS:
            if isinstance(error, kind):
                status = code
        if isinstance(error, ScenarioError):
            status = 422
        return JSONResponse({"detail": str(error)}, status_code=status)

    async def integrity_error(request: Request, error: Exception) -> JSONResponse:
        # Two writers raced for the same unique slot (a meeting number, a version number).
        return JSONResponse(
            {"detail": "this conflicts with a record written at the same time; retry"},
            status_code=409,
        )

    async def busy_error(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse(
            {"detail": "the database is busy; retry shortly"},
            status_code=503,
            headers={"Retry-After": "1"},
        )

    async def out_of_range(request: Request, error: Exception) -> JSONResponse:
        # A value the database cannot store (the API's own fields are bounded and NUL
        # characters refused up front; this is the safety net for any other route).
        return JSONResponse({"detail": "a value in the request cannot be stored"}, 422)

    async def cross_site(request: Request, error: Exception) -> Response:
        return refusal(request.url.path, str(error))

    app.add_exception_handler(AccordError, accord_error)
    app.add_exception_handler(CrossSiteRequest, cross_site)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(OverflowError, out_of_range)
    app.add_exception_handler(DataError, out_of_range)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(OperationalError, busy_error)
