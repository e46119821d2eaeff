"""Durable commits whose wait for the disk happens after SQLite's write lock is released.

With ``synchronous=FULL`` SQLite syncs the write-ahead log inside COMMIT, while it holds
the write lock: every writer queued behind waits for this one's disk flush as well as for
its work, and a flush that takes 100 ms on a busy shared disk holds them all. The ledger
instead runs ``synchronous=NORMAL`` (COMMIT writes the log without syncing it) and syncs the
log itself after the lock has passed on, before the commit is reported to anyone: a commit
is as durable as under FULL when its writer goes on, but the writers behind it need not
wait for it, and writers that finish while a sync is running share the next one (group
commit, as PostgreSQL does).

Why one ``fsync`` of the ``-wal`` file is enough: SQLite writes a transaction's frames to
the log in commit order, so syncing the log after a commit covers it and every commit
before it. Frames leave the log only in a checkpoint, and under ``synchronous=NORMAL`` a
checkpoint syncs the database file before the log is reused or deleted; so a commit whose
frames are no longer in the log (or a log that no longer exists) is already on disk. A new
log file is a new directory entry, which is synced too, as SQLite does for a log it creates.

One caveat is the same as for PostgreSQL's group commit: a reader may see a commit a few
milliseconds before it is on disk. The commit is reported, to its own writer, only after.

:class:`WalSync` counts one database's commits and syncs its log; :func:`wal_sync_for`
gives the one of a file in this process. A request that wants its sync later still (after
the server's write gate is released, :mod:`accord.web.durable_writes`) opens a
:func:`deferred_syncs` scope: commits in it record what they need instead of syncing.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class WalSync:
    """Commit tickets and log syncs for one SQLite database file in WAL mode."""

    def __init__(self, database: Path) -> None:
        self.wal = Path(f"{database}-wal")
        self._guard = threading.Lock()
        self._syncing = threading.Lock()
        self._committed = 0
        self._durable = 0
        self._synced_inode: int | None = None
        self.syncs = 0
        """How many times the log was synced (a sync can cover many commits)."""

    def committed(self) -> int:
        """A ticket for a commit just written to the log (call it before the write lock
        passes on, so that tickets follow the log's order)."""
        with self._guard:
            self._committed += 1
            return self._committed

    def is_durable(self, ticket: int) -> bool:
        with self._guard:
            return self._durable >= ticket

    def sync_through(self, ticket: int) -> None:
        """Return once the commit of ``ticket``, and every earlier one, is on disk."""
        with self._syncing:
            with self._guard:
                if self._durable >= ticket:
                    return  # a sync that began after this commit has covered it
                target = self._committed
            self._sync_log()
            with self._guard:
                self._durable = max(self._durable, target)

    def _sync_log(self) -> None:
        try:
            descriptor = os.open(self.wal, os.O_RDONLY)
        except FileNotFoundError:
            return  # checkpointed and removed: the database file was synced first
        try:
            os.fsync(descriptor)
            inode = os.fstat(descriptor).st_ino
        finally:
            os.close(descriptor)
        self.syncs += 1
        if inode != self._synced_inode:
            _sync_directory(self.wal.parent)
            self._synced_inode = inode


def _sync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


_syncs: dict[str, WalSync] = {}
_syncs_guard = threading.Lock()


def file_of(database: str) -> Path | None:
    """The file of a SQLite ``database`` name, resolved; None for an in-memory database or
    a ``file:`` URI, whose file is not known by its path here."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve()


def wal_sync_for(database: str) -> WalSync | None:
    """The one :class:`WalSync` of the database file ``database`` in this process; None
    where :func:`file_of` knows no file (those keep SQLite's own ``synchronous=FULL``)."""
    path = file_of(database)
    if path is None:
        return None
    with _syncs_guard:
        return _syncs.setdefault(str(path), WalSync(path))


@dataclass
class DeferredSyncs:
    """The commits made inside one :func:`deferred_syncs` scope, still to be synced."""

    tickets: dict[int, tuple[WalSync, int]]

    def record(self, wal_sync: WalSync, ticket: int) -> None:
        # Tickets of one log grow; the last covers the earlier ones.
        self.tickets[id(wal_sync)] = (wal_sync, ticket)

    def sync(self) -> None:
        """Sync every log this scope committed to; after it, each of its commits is durable."""
        while self.tickets:
            _, (wal_sync, ticket) = self.tickets.popitem()
            wal_sync.sync_through(ticket)


_deferred: contextvars.ContextVar[DeferredSyncs | None] = contextvars.ContextVar(
    "accord_deferred_syncs", default=None
)


@contextmanager
def deferred_syncs() -> Iterator[DeferredSyncs]:
    """Commits in this context (and threads that copy it) leave their sync to the caller,
    who must call :meth:`DeferredSyncs.sync` before reporting any of them."""
    pending = DeferredSyncs({})
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)


def make_durable(wal_sync: WalSync, ticket: int) -> None:
    """Sync now, or leave it to the enclosing :func:`deferred_syncs` scope."""
    pending = _deferred.get()
    if pending is None:
        wal_sync.sync_through(ticket)
    else:
        pending.record(wal_sync, ticket)
