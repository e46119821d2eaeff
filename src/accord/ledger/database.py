"""The connection to the ledger's database: SQLite by default, PostgreSQL by URL.

``Database`` owns the engine and hands out sessions; :meth:`Database.migrate` brings the
schema to the newest Alembic revision shipped in :mod:`accord.ledger.migrations`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from accord.ledger import audit
from accord.ledger.errors import InvalidInput
from accord.ledger.wal_sync import file_of, wal_sync_for
from accord.ledger.writer_queue import connection_factory

DATABASE_URL_VARIABLE = "ACCORD_DATABASE_URL"
BUSY_TIMEOUT_SECONDS = 30
"""How long a SQLite writer waits for its turn before "database is locked"."""


def resolve_url(database_url: str | None = None, db_path: str | Path | None = None) -> str:
    """The SQLAlchemy URL to use.

    An explicit URL wins, then ``ACCORD_DATABASE_URL``, then the SQLite file ``db_path``.
    ``postgresql://`` URLs are given the psycopg (v3) driver.
    """
    url = database_url or os.environ.get(DATABASE_URL_VARIABLE)
    if not url:
        if db_path is None:
            raise InvalidInput(f"no database: give a URL, set {DATABASE_URL_VARIABLE} or a path")
        url = f"sqlite:///{Path(db_path)}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    if not (url.startswith("sqlite") or url.startswith("postgresql+psycopg://")):
        raise InvalidInput(
            f"unsupported database URL scheme in {url.split(':', 1)[0]!r}: "
            "expected sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
        )
    return url


def _configure_sqlite(engine: Engine) -> None:
    """WAL, durable commits, foreign keys, and a write lock taken when a write begins.

    A commit is on disk before it is reported, as under ``synchronous=FULL``; but a file
    ledger syncs its log after the write lock has passed on (``synchronous=NORMAL`` and
    :mod:`accord.ledger.wal_sync`), so the next writer need not wait for this one's disk.

    pysqlite's own transaction handling is switched off so that a write transaction starts
    with ``BEGIN IMMEDIATE``: two writers then queue instead of one failing with "database
    is locked" when it upgrades a read lock. Writers of this process queue in
    :mod:`accord.ledger.writer_queue`, first come first served; other processes' writers
    on the busy timeout.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        syncs_itself = mode == "wal" and dbapi_connection.sync_commits_itself()
        cursor.execute(f"PRAGMA synchronous={'NORMAL' if syncs_itself else 'FULL'}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("accord_write", False):
            connection.connection.driver_connection.begin_write()
        else:
            connection.exec_driver_sql("BEGIN")


def create_private_file(url: str) -> None:
    """Create the SQLite file of ``url`` readable and writable by its owner only (0600).

    It holds every party's confidential preferences; SQLite itself would create it with
    the process's umask (usually world-readable), and its journal files (``-wal``,
    ``-shm``) take the main file's permissions. An existing file is left as it is.
    """
    name = make_url(url).database or ""
    path = file_of(name)
    if path is None:
        return
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except FileNotFoundError:
        raise InvalidInput(f"cannot create the ledger {name}: its folder does not exist") from None
    os.close(descriptor)


class Database:
    """An engine and its session factories for one ledger database."""

    def __init__(self, url: str) -> None:
        self.url = resolve_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            create_private_file(self.url)
            path = make_url(self.url).database or ""
            factory = connection_factory(path, BUSY_TIMEOUT_SECONDS, wal_sync_for(path))
            self.engine = create_engine(
                self.url,
                connect_args={
                    "check_same_thread": False,
                    "timeout": BUSY_TIMEOUT_SECONDS,
                    "factory": factory,
                },
                pool_size=20,
                max_overflow=40,
            )
            _configure_sqlite(self.engine)
        else:
            self.engine = create_engine(self.url, pool_size=20, max_overflow=40, pool_pre_ping=True)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(accord_write=True), expire_on_commit=False
        )
        # Every committed write gets its audit event, in the same transaction.
        audit.install(self._reader)
        audit.install(self._writer)

    def session(self, write: bool = False) -> Session:
        """A new session; ``write=True`` takes SQLite's write lock when it begins."""
        return (self._writer if write else self._reader)()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One action, one transaction: committed on success, rolled back on any error."""
        with self.session(write=True) as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Apply every migration not yet applied (the schema is created on an empty db)."""
        from accord.ledger.migrations import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
