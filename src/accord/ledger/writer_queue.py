"""SQLite's writers served in the order they arrive, within one process.

SQLite lets one writer in at a time. A writer that finds the lock taken does not queue: its
busy handler sleeps and tries again, with sleeps growing to 100 ms, and later writers,
arriving between its sleeps, go first. With 20 threads each writing every 10 ms the 99th
percentile of a 2 ms transaction was near a second (``benchmarks/bench_sqlite_writers.py``).
So writers wait in a first-come, first-served queue in the process before
``BEGIN IMMEDIATE``: each waits only for the transactions ahead of it, and the lock passes
straight to the next in line when a transaction ends. The server already lets one writing
request at a time through its write gate (:class:`accord.web.app.SQLiteWriteGate`); the
queue orders the writes that pass the gate by (uploads, sign-ins, account changes) against
the one inside it, and any other threads of one process. Other processes (a CLI command
beside ``accord serve``) still meet SQLite's busy timeout.

:class:`WriterQueue` is the queue; :func:`connection_factory` gives ``sqlite3.connect`` a
connection class that takes a place in it when a write begins (:meth:`begin_write`) and
gives it up when the transaction ends, by commit, rollback or close. A connection given a
:class:`~accord.ledger.wal_sync.WalSync` makes each commit that wrote durable itself, after
giving up its place (:meth:`QueuedWriterConnection.sync_commits_itself`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from typing import Any

from accord.ledger.wal_sync import WalSync, file_of, make_durable

LOCKED_MESSAGE = "database is locked"


class WriterQueue:
    """A lock handed to its waiters in their order of arrival.

    A plain :class:`threading.Lock` lets a thread that releases and at once asks again go
    before threads that have been waiting; here a release hands the lock to the first
    waiter, so nobody is overtaken."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Lock] = deque()

    @property
    def waiting(self) -> int:
        """How many writers are queued behind the one holding the lock."""
        with self._guard:
            return len(self._waiters)

    def acquire(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for the lock; False if it did not come."""
        with self._guard:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=timeout):
            return True
        with self._guard:
            if turn in self._waiters:
                self._waiters.remove(turn)
                return False
        # Handed over between the timeout and the guard: the lock is ours after all.
        return True

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._held = False


_queues: dict[str, WriterQueue] = {}
_queues_guard = threading.Lock()


def queue_for(database: str) -> WriterQueue:
    """The one queue of the database file ``database`` in this process; a fresh one for an
    in-memory database or a ``file:`` URI, whose file is not known by its path here (its
    writers then queue per :class:`~accord.ledger.Database`)."""
    path = file_of(database)
    if path is None:
        return WriterQueue()
    with _queues_guard:
        return _queues.setdefault(str(path), WriterQueue())


class QueuedWriterConnection(sqlite3.Connection):
    """A ``sqlite3`` connection whose write transactions wait in :attr:`writers` first.

    Subclassed once per database by :func:`connection_factory`, which sets the queue and
    the longest wait (the busy timeout the connection would otherwise have had)."""

    writers: WriterQueue
    wait_seconds: float
    log_sync: WalSync | None = None
    _holds_place = False
    _syncing_log: WalSync | None = None  # set by sync_commits_itself
    _changes_at_commit = 0

    def sync_commits_itself(self) -> bool:
        """Sync the log after each commit that wrote, outside the write lock (for a
        connection whose log is in WAL mode, which then needs only ``synchronous=NORMAL``);
        False if this connection's log is not known by its path."""
        self._syncing_log = self.log_sync
        return self._syncing_log is not None

    def begin_write(self) -> None:
        """``BEGIN IMMEDIATE`` once this connection's turn has come."""
        if not self.writers.acquire(self.wait_seconds):
            raise sqlite3.OperationalError(
                f"{LOCKED_MESSAGE}: no turn to write within {self.wait_seconds:g} s"
            )
        self._holds_place = True
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._give_up_place()
            raise

    def _give_up_place(self) -> None:
        if self._holds_place:
            self._holds_place = False
            self.writers.release()

    def _ended(self) -> None:
        # A COMMIT that failed leaves its transaction open, and its rollback follows.
        if not self.in_transaction:
            self._give_up_place()

    def commit(self) -> None:
        log, ticket = self._syncing_log, 0
        try:
            # A transaction begun as a write, or one that changed rows, needs the disk.
            wrote = self._holds_place or self.total_changes != self._changes_at_commit
            super().commit()
            if wrote and log is not None:
                ticket = log.committed()  # before the lock passes on
            self._changes_at_commit = self.total_changes
        finally:
            self._ended()
        if ticket and log is not None:
            make_durable(log, ticket)

    def rollback(self) -> None:
        try:
            super().rollback()
            self._changes_at_commit = self.total_changes  # rolled-back changes count too
        finally:
            self._ended()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._give_up_place()


def connection_factory(
    database: str, wait_seconds: float, log_sync: WalSync | None = None
) -> type[Any]:
    """A connection class for ``sqlite3.connect(..., factory=...)`` on ``database``; with
    ``log_sync`` its connections can sync their own commits (:meth:`sync_commits_itself`)."""
    return type(
        "LedgerConnection",
        (QueuedWriterConnection,),
        {"writers": queue_for(database), "wait_seconds": wait_seconds, "log_sync": log_sync},
    )
