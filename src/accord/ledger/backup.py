"""A consistent copy of a SQLite ledger while it runs, and the checkpoint made on stopping.

The ledger runs in WAL mode: recent commits live in ``accord.db-wal`` until SQLite copies
them into ``accord.db`` (a checkpoint). Copying ``accord.db`` alone can therefore miss
them, all of them on a young ledger. :func:`backup_ledger` uses SQLite's online backup API
(:meth:`sqlite3.Connection.backup`), which reads one consistent snapshot, WAL included,
while the server keeps writing; :func:`checkpoint` folds the WAL into the main file, as
``accord serve`` does when it stops cleanly. A PostgreSQL ledger is backed up with
``pg_dump``: its own tool does it better than Accord could.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from accord.errors import AccordError
from accord.ledger.database import BUSY_TIMEOUT_SECONDS


@dataclass(frozen=True)
class BackupReport:
    """What was copied: from which file, into which, how big, how many negotiations."""

    source: Path
    target: Path
    size_bytes: int
    negotiation_count: int


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///PATH`` URL; None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def backup_ledger(
    target: Path, db_path: Path | None = None, database_url: str | None = None
) -> BackupReport:
    """Copy the ledger (resolved as ``accord serve`` does) into the SQLite file ``target``.

    The copy is written beside ``target`` and renamed into place once complete and checked,
    so an interrupted backup never leaves a truncated file under the target's name.
    """
    from accord.ledger.database import resolve_url

    url = resolve_url(database_url, db_path)
    source = sqlite_path(url)
    if source is None:
        if url.startswith("postgresql"):
            raise AccordError(
                "the ledger is on PostgreSQL: back it up with PostgreSQL's own tool, "
                f"e.g. {_pg_dump_command(url)}"
            )
        raise AccordError(f"cannot back up {url}: not a SQLite file")
    if not source.is_file():
        raise AccordError(f"{source}: no ledger there (give --db, or set ACCORD_DATABASE_URL)")
    if target.is_dir():
        raise AccordError(f"{target}: is a folder; give the backup file's name")
    if target.exists() and target.resolve() == source.resolve():
        raise AccordError(f"{target}: is the ledger itself; give another file")
    if not target.parent.is_dir():
        raise AccordError(f"{target.parent}: no such folder")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        negotiations = _copy(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(source, target, target.stat().st_size, negotiations)


def _pg_dump_command(url: str) -> str:
    """The pg_dump line for this database; the password stays out (pg_dump asks for it)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    words = ["pg_dump", "--format=custom", "--file=accord.dump"]
    if parsed.host:
        words.append(f"--host={parsed.host}")
    if parsed.port:
        words.append(f"--port={parsed.port}")
    if parsed.username:
        words.append(f"--username={parsed.username}")
    words.append(parsed.database or "")
    return " ".join(shlex.quote(word) for word in words if word)


def _copy(source: Path, target: Path) -> int:
    """Back ``source`` up into ``target``; check the copy; return its negotiation count."""
    try:
        # Opened read-write (WAL readers need the -shm file) but only ever read.
        with (
            contextlib.closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)) as reader,
            contextlib.closing(sqlite3.connect(target)) as writer,
        ):
            reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
            reader.backup(writer)
            # One self-contained file: no -wal beside the copy to forget.
            writer.execute("PRAGMA journal_mode=DELETE")
            check = writer.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise AccordError(f"{source}: the copy fails SQLite's integrity check: {check}")
            tables = {row[0] for row in writer.execute("SELECT name FROM sqlite_master")}
            if "negotiations" not in tables:
                raise AccordError(f"{source}: not an Accord ledger (no negotiations table)")
            count: int = writer.execute("SELECT count(*) FROM negotiations").fetchone()[0]
            return count
    except sqlite3.DatabaseError as error:
        raise AccordError(f"{source}: cannot be read as a SQLite ledger ({error})") from None


def checkpoint(path: Path) -> bool:
    """Fold the WAL of the SQLite file ``path`` into it and empty the WAL.

    True when every committed page is now in ``path`` (copying it alone copies the ledger);
    False when a reader in another process kept part of the WAL alive.
    """
    if not path.is_file():
        return False
    with contextlib.closing(
        sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    ) as connection:
        busy, _log_pages, _checkpointed = connection.execute(
            "PRAGMA wal_checkpoint(TRUNCATE)"
        ).fetchone()
        return bool(busy == 0)
