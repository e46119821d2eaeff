"""A writing request's answer leaves once its commits are on disk, synced outside the gate.

On SQLite the app lets one writing request in at a time (:class:`accord.web.app.
SQLiteWriteGate`). If each commit synced the log where it happens, the gate would stay shut
for as long as the disk takes, and every writer queued behind would wait for it. So a
writing request's commits leave their sync to this middleware (:func:`accord.ledger.
wal_sync.deferred_syncs`), which holds the request's answer until the app has finished
with it and the gate has opened for the next writer, syncs the log, and only then sends
the answer: a 201 still means the record is on disk. Writers that finish while one sync
runs share the next (a group commit). Commits made anywhere else (a page that records who
read a draft, a background render, the command line) sync where they happen, after
SQLite's write lock has passed on.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.ledger.wal_sync import deferred_syncs
from accord.web.deps import WRITE_METHODS


class DurableWrites:
    """ASGI middleware, outside the write gate: sync a writing request's commits, then
    answer it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        # Write answers are small (a redirect, a record, an error); streamed ones are reads.
        answer: list[Message] = []

        async def holding(message: Message) -> None:
            answer.append(message)

        with deferred_syncs() as pending:
            try:
                await self.app(scope, receive, holding)
            finally:
                if pending.tickets:
                    await run_in_threadpool(pending.sync)
        for message in answer:
            await send(message)
