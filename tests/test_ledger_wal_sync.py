"""Commits synced after the write lock has passed on (accord.ledger.wal_sync).

The disk syncs are real; a spy around ``os.fsync`` records which file each was for, and can
hold one back, to show when it happens: after the write lock is free, before the commit is
reported, shared by the commits that finished while one ran.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from accord.ledger import Database
from accord.ledger.wal_sync import WalSync, deferred_syncs
from accord.ledger.writer_queue import connection_factory

REAL_FSYNC = os.fsync


class FsyncSpy:
    """Records the path of every ``os.fsync`` and can hold the next log sync back."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.hold = threading.Event()
        self.hold.set()
        self.holding = threading.Event()

    def __call__(self, descriptor: int) -> None:
        path = os.readlink(f"/proc/self/fd/{descriptor}")
        if path.endswith("-wal") and not self.hold.is_set():
            self.holding.set()
            assert self.hold.wait(10)
        REAL_FSYNC(descriptor)
        self.paths.append(path)

    def logs(self) -> list[str]:
        return [path for path in self.paths if path.endswith("-wal")]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[FsyncSpy]:
    recorder = FsyncSpy()
    monkeypatch.setattr(os, "fsync", recorder)
    yield recorder
    recorder.hold.set()


def _ledger_file(tmp_path: Path) -> tuple[Path, WalSync, Callable[[], sqlite3.Connection]]:
    path = tmp_path / "ledger.db"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE writes (number INTEGER)")
    setup.close()
    log_sync = WalSync(path)
    factory = connection_factory(str(path), 30, log_sync)

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, factory=factory
        )
        assert connection.sync_commits_itself()  # type: ignore[attr-defined]
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    return path, log_sync, connect


def _write(connection: sqlite3.Connection, number: int) -> None:
    connection.begin_write()  # type: ignore[attr-defined]
    connection.execute("INSERT INTO writes VALUES (?)", (number,))
    connection.commit()


def test_a_file_ledger_syncs_its_log_itself_and_a_uri_keeps_full(tmp_path: Path) -> None:
    # A file: URI's log is not known here by its path: SQLite syncs it inside COMMIT.
    uri = f"sqlite:///file:{tmp_path / 'other.db'}?uri=true"
    for url, expected in ((f"sqlite:///{tmp_path / 'ledger.db'}", 1), (uri, 2)):
        database = Database(url)
        with database.session() as session:
            level = session.connection().exec_driver_sql("PRAGMA synchronous").scalar()
        assert level == expected  # 1 NORMAL with the ledger's own sync, 2 FULL
        database.dispose()


def test_a_commit_returns_once_its_log_is_synced(tmp_path: Path, spy: FsyncSpy) -> None:
    path, log_sync, connect = _ledger_file(tmp_path)
    connection = connect()
    _write(connection, 1)
    assert spy.logs() == [f"{path}-wal"]
    # A new log is a new directory entry: its folder is synced the first time only.
    assert spy.paths.count(str(tmp_path)) == 1
    assert log_sync.is_durable(1)
    _write(connection, 2)
    assert len(spy.logs()) == 2 and spy.paths.count(str(tmp_path)) == 1


def test_reads_and_rollbacks_do_not_sync(tmp_path: Path, spy: FsyncSpy) -> None:
    _, _, connect = _ledger_file(tmp_path)
    connection = connect()
    connection.execute("BEGIN")
    connection.execute("SELECT count(*) FROM writes").fetchone()
    connection.commit()
    connection.begin_write()  # type: ignore[attr-defined]
    connection.execute("INSERT INTO writes VALUES (1)")
    connection.rollback()
    connection.execute("BEGIN")
    connection.commit()
    assert spy.logs() == []
    # A transaction that changed rows without asking to write is synced all the same.
    connection.execute("BEGIN")
    connection.execute("INSERT INTO writes VALUES (2)")
    connection.commit()
    assert len(spy.logs()) == 1


def test_the_next_writer_goes_while_a_commit_waits_for_the_disk(
    tmp_path: Path, spy: FsyncSpy
) -> None:
    _, log_sync, connect = _ledger_file(tmp_path)
    first, second, third = connect(), connect(), connect()
    spy.hold.clear()
    slow = threading.Thread(target=_write, args=(first, 1))
    slow.start()
    assert spy.holding.wait(10)  # the first commit is written, its sync held back
    with deferred_syncs() as pending_second:
        _write(second, 2)  # the write lock was free: no wait for the first one's disk
    with deferred_syncs() as pending_third:
        _write(third, 3)
    assert slow.is_alive() and not log_sync.is_durable(1)
    assert [row[0] for row in second.execute("SELECT number FROM writes ORDER BY 1")] == [1, 2, 3]
    spy.hold.set()
    slow.join(10)
    assert log_sync.is_durable(1) and not log_sync.is_durable(2)
    pending_second.sync()
    pending_third.sync()  # covered by the second's sync: a group commit
    assert log_sync.is_durable(3)
    assert len(spy.logs()) == 2


def test_a_checkpointed_and_removed_log_needs_no_sync(tmp_path: Path, spy: FsyncSpy) -> None:
    path, log_sync, connect = _ledger_file(tmp_path)
    connection = connect()
    with deferred_syncs() as pending:
        _write(connection, 1)
    connection.close()  # the last connection checkpoints and removes the log
    assert not Path(f"{path}-wal").exists()
    pending.sync()
    assert log_sync.is_durable(1)
    assert spy.logs() == []
    with sqlite3.connect(path) as reader:
        assert reader.execute("SELECT number FROM writes").fetchall() == [(1,)]
