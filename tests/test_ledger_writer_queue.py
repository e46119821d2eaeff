"""SQLite's writers in one process take their turns in the order they asked.

The ledger is a real SQLite file; the writers are real threads with their own sessions.
Before this queue, a writer that found the lock taken slept in SQLite's busy handler and
could be overtaken by every later writer (a 99th percentile near a second at 20 threads).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from accord.ledger import Database
from accord.ledger.writer_queue import WriterQueue, connection_factory, queue_for


def _ledger(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'ledger.db'}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE turns (writer INTEGER)"))
    return database


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the writers never reached the queue"
        time.sleep(0.001)


def test_writers_write_in_the_order_they_asked(tmp_path: Path) -> None:
    database = _ledger(tmp_path)
    queue = queue_for(str(tmp_path / "ledger.db"))
    first = database.session(write=True)
    first.execute(text("INSERT INTO turns VALUES (0)"))  # holds the write lock
    threads = []
    for writer in range(1, 7):

        def write(writer: int = writer) -> None:
            with database.transaction() as session:
                session.execute(text("INSERT INTO turns VALUES (:w)"), {"w": writer})

        thread = threading.Thread(target=write)
        thread.start()
        threads.append(thread)
        # The next writer asks only once this one is in the queue: a known order of arrival.
        _wait_until(lambda writer=writer: queue.waiting == writer)  # type: ignore[misc]
    first.commit()
    first.close()
    for thread in threads:
        thread.join(timeout=30)
    with database.session() as session:
        order = session.execute(text("SELECT writer FROM turns ORDER BY rowid")).scalars().all()
    assert order == [0, 1, 2, 3, 4, 5, 6]
    assert queue.waiting == 0
    database.dispose()


@pytest.mark.parametrize("end", ["commit", "rollback", "close", "failed statement"])
def test_the_turn_passes_on_however_a_write_ends(tmp_path: Path, end: str) -> None:
    database = _ledger(tmp_path)
    holder = database.session(write=True)
    holder.execute(text("INSERT INTO turns VALUES (1)"))
    done = threading.Event()

    def next_writer() -> None:
        with database.transaction() as session:
            session.execute(text("INSERT INTO turns VALUES (2)"))
        done.set()

    thread = threading.Thread(target=next_writer)
    thread.start()
    _wait_until(lambda: queue_for(str(tmp_path / "ledger.db")).waiting == 1)
    assert not done.is_set()
    if end == "commit":
        holder.commit()
    elif end == "rollback":
        holder.rollback()
    elif end == "failed statement":
        with pytest.raises(OperationalError, match="no such table"):
            holder.execute(text("INSERT INTO missing VALUES (1)"))
        holder.rollback()
    holder.close()
    assert done.wait(timeout=10), f"the next writer never wrote after a {end}"
    thread.join()
    with database.session() as session:
        written = set(session.execute(text("SELECT writer FROM turns")).scalars())
    assert written == ({1, 2} if end == "commit" else {2})
    database.dispose()


def test_a_writer_that_never_gets_its_turn_is_told_the_database_is_locked(
    tmp_path: Path,
) -> None:
    database = _ledger(tmp_path)
    holder = database.session(write=True)
    holder.execute(text("INSERT INTO turns VALUES (1)"))
    factory = connection_factory(str(tmp_path / "ledger.db"), wait_seconds=0.05)
    impatient = sqlite3.connect(tmp_path / "ledger.db", factory=factory, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="database is locked: no turn to write"):
        impatient.begin_write()
    assert queue_for(str(tmp_path / "ledger.db")).waiting == 0
    holder.commit()
    impatient.begin_write()  # its turn now comes at once
    impatient.rollback()
    impatient.close()
    holder.close()
    database.dispose()


def test_readers_do_not_queue_behind_a_writer(tmp_path: Path) -> None:
    database = _ledger(tmp_path)
    holder = database.session(write=True)
    holder.execute(text("INSERT INTO turns VALUES (1)"))
    with database.session() as reader:
        assert reader.execute(text("SELECT count(*) FROM turns")).scalar_one() == 0
    holder.commit()
    holder.close()
    database.dispose()


def test_a_lock_released_as_a_waiter_times_out_is_still_handed_over() -> None:
    queue = WriterQueue()
    assert queue.acquire(timeout=1)
    outcomes: list[bool] = []
    waiter = threading.Thread(target=lambda: outcomes.append(queue.acquire(timeout=0.2)))
    waiter.start()
    _wait_until(lambda: queue.waiting == 1)
    queue.release()
    waiter.join()
    assert outcomes == [True]
    assert not queue.acquire(timeout=0.01)  # the waiter holds it now
    queue.release()
    assert queue.acquire(timeout=0.01)
