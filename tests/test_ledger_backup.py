"""`accord backup`: a consistent copy of a SQLite ledger in use; PostgreSQL points to pg_dump."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.errors import AccordError
from accord.ledger import Database
from accord.ledger.backup import backup_ledger, checkpoint, sqlite_path
from accord.web.serve import first_start


def accord(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ACCORD_DATABASE_URL"} | environment
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


@pytest.fixture
def ledger_in_use(tmp_path: Path) -> Iterator[Path]:
    """A ledger with the example loaded whose commits are all still in its WAL, still open."""
    path = tmp_path / "accord.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    first_start(database)
    with database.engine.connect():  # an open connection, as a running server holds
        yield path
    database.dispose()


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        count: int = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return count


def test_a_copy_of_the_main_file_alone_misses_the_commits(
    ledger_in_use: Path, tmp_path: Path
) -> None:
    """Why the command exists: the oracle that the next test is not vacuous."""
    raw = tmp_path / "raw.db"
    shutil.copyfile(ledger_in_use, raw)
    with sqlite3.connect(raw) as connection, pytest.raises(sqlite3.OperationalError):
        connection.execute("SELECT count(*) FROM negotiations")


def test_backup_copies_everything_committed_into_one_file(
    ledger_in_use: Path, tmp_path: Path
) -> None:
    target = tmp_path / "saved" / "backup.db"
    target.parent.mkdir()
    result = accord("backup", str(target), "--db", str(ledger_in_use))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{ledger_in_use} -> {target}: 1 negotiation, {target.stat().st_size:,} bytes, "
        "integrity checked"
    )
    assert sorted(p.name for p in target.parent.iterdir()) == ["backup.db"]
    assert _count(target, "negotiations") == 1
    assert _count(target, "users") == 1
    assert _count(target, "parties") == _count(ledger_in_use, "parties") > 0
    # The copy is a ledger the server opens as it is.
    restored = Database(f"sqlite:///{target}")
    restored.migrate()
    assert first_start(restored) is None  # its mediator account came along
    restored.dispose()


def test_backup_follows_the_database_url_like_serve(ledger_in_use: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    result = accord("backup", str(target), ACCORD_DATABASE_URL=f"sqlite:///{ledger_in_use}")
    assert result.returncode == 0, result.stderr
    assert _count(target, "negotiations") == 1


def test_an_existing_backup_is_replaced_whole(ledger_in_use: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    target.write_text("an older backup")
    report = backup_ledger(target, db_path=ledger_in_use)
    assert report.negotiation_count == 1
    assert not target.with_name("backup.db.partial").exists()


def test_postgresql_is_sent_to_pg_dump_without_its_password(tmp_path: Path) -> None:
    result = accord(
        "backup",
        str(tmp_path / "backup.db"),
        ACCORD_DATABASE_URL="postgresql://clerk:hunter2@db.example:5433/ledger",
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: the ledger is on PostgreSQL: back it up with PostgreSQL's own tool, e.g. "
        "pg_dump --format=custom --file=accord.dump --host=db.example --port=5433 "
        "--username=clerk ledger"
    ]
    assert list(tmp_path.iterdir()) == []


def test_bad_sources_and_targets_get_one_line(ledger_in_use: Path, tmp_path: Path) -> None:
    missing = accord("backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        f"error: {tmp_path / 'none.db'}: no ledger there (give --db, or set ACCORD_DATABASE_URL)"
    )
    assert not (tmp_path / "none.db").exists()  # nothing created on the way
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    with pytest.raises(AccordError, match=r"junk\.db: cannot be read as a SQLite ledger"):
        backup_ledger(tmp_path / "b.db", db_path=junk)
    with pytest.raises(AccordError, match="is a folder"):
        backup_ledger(tmp_path, db_path=ledger_in_use)
    with pytest.raises(AccordError, match="is the ledger itself"):
        backup_ledger(ledger_in_use, db_path=ledger_in_use)
    with pytest.raises(AccordError, match="no such folder"):
        backup_ledger(tmp_path / "nowhere" / "b.db", db_path=ledger_in_use)
    other = tmp_path / "other.db"
    sqlite3.connect(other).close()
    with pytest.raises(AccordError, match="not an Accord ledger"):
        backup_ledger(tmp_path / "b.db", db_path=other)
    assert not (tmp_path / "b.db").exists()


def test_checkpoint_folds_the_wal_into_the_main_file(ledger_in_use: Path, tmp_path: Path) -> None:
    assert checkpoint(ledger_in_use) is True
    raw = tmp_path / "raw.db"
    shutil.copyfile(ledger_in_use, raw)
    assert _count(raw, "negotiations") == 1


def test_sqlite_path_of_urls() -> None:
    assert sqlite_path("sqlite:///accord.db") == Path("accord.db")
    assert sqlite_path("sqlite:////tmp/a b.db") == Path("/tmp/a b.db")
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("postgresql+psycopg://u@h/d") is None
