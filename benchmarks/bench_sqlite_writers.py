"""How long SQLite writers of one process wait for their turn: busy handler against queue.

Threads of one process (like the server's request threads) each write a small transaction
to one SQLite file (WAL, ``synchronous=FULL``, as the ledger), holding the write lock for
about 2 ms of work, then pause 10 ms. Two ways of waiting for the lock, in alternating
rounds in the same run:

- ``busy handler``: ``BEGIN IMMEDIATE`` with a busy timeout, what the ledger did before
  (a writer that finds the lock taken sleeps and tries again, and may be overtaken);
- ``writer queue``: the ledger's connections (:mod:`accord.ledger.writer_queue`), which
  wait in a first-come, first-served queue before ``BEGIN IMMEDIATE``.

Printed per way and round: the transactions, the median, 99th percentile and largest time
from asking to write to the commit, and the throughput; then the busy handler's p99 over
the queue's.

    python benchmarks/bench_sqlite_writers.py
    python benchmarks/bench_sqlite_writers.py --threads 40 --rounds 3
    python benchmarks/bench_sqlite_writers.py --synchronous NORMAL   # no fsync per commit
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

from accord.ledger.writer_queue import connection_factory

HOLD_SECONDS = 0.002
PAUSE_SECONDS = 0.010
BUSY_TIMEOUT_SECONDS = 30


def _connect(path: Path, queued: bool, synchronous: str) -> sqlite3.Connection:
    factory = connection_factory(str(path), BUSY_TIMEOUT_SECONDS) if queued else sqlite3.Connection
    connection = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,
        check_same_thread=False,
        factory=factory,
    )
    connection.execute(f"PRAGMA synchronous={synchronous}")
    return connection


def run(
    folder: Path, queued: bool, threads: int, each: int, synchronous: str = "FULL"
) -> tuple[list[float], float]:
    """Seconds from asking to write to the commit, per transaction, and the wall time."""
    path = folder / ("queued.db" if queued else "busy.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE writes (writer INTEGER, number INTEGER)")
    waits: list[float] = []
    lock = threading.Lock()

    def writer(number: int) -> None:
        connection = _connect(path, queued, synchronous)
        mine = []
        for index in range(each):
            asked = time.perf_counter()
            if queued:
                connection.begin_write()  # type: ignore[attr-defined]
            else:
                connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO writes VALUES (?, ?)", (number, index))
            time.sleep(HOLD_SECONDS)  # the request's work while it holds the lock
            connection.commit()
            mine.append(time.perf_counter() - asked)
            time.sleep(PAUSE_SECONDS)
        connection.close()
        with lock:
            waits.extend(mine)

    began = time.perf_counter()
    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return waits, time.perf_counter() - began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--each", type=int, default=100, help="transactions per thread")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--synchronous",
        choices=("FULL", "NORMAL"),
        default="FULL",
        help="FULL, as the ledger: each commit waits for the disk (fsync of the WAL)",
    )
    arguments = parser.parse_args()
    print(
        f"{arguments.threads} threads x {arguments.each} transactions, each holding the lock "
        f"{HOLD_SECONDS * 1000:g} ms, {PAUSE_SECONDS * 1000:g} ms apart; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; synchronous={arguments.synchronous}"
    )
    heading = ("way", "round", "writes", "p50 ms", "p99 ms", "max ms", "w/s")
    print("{:<14} {:>5} {:>7} {:>8} {:>8} {:>8} {:>6}".format(*heading))
    p99s: dict[str, list[float]] = {"busy handler": [], "writer queue": []}
    with tempfile.TemporaryDirectory() as name:
        for round_number in range(1, arguments.rounds + 1):
            for way in p99s:
                queued = way == "writer queue"
                waits, seconds = run(
                    Path(name), queued, arguments.threads, arguments.each, arguments.synchronous
                )
                milliseconds = [wait * 1000 for wait in waits]
                p99s[way].append(percentile(milliseconds, 0.99))
                print(
                    f"{way:<14} {round_number:>5} {len(waits):>7} "
                    f"{statistics.median(milliseconds):>8.1f} {p99s[way][-1]:>8.1f} "
                    f"{max(milliseconds):>8.1f} {len(waits) / seconds:>6.0f}"
                )
    busy, queue = statistics.median(p99s["busy handler"]), statistics.median(p99s["writer queue"])
    print(f"p99, median over the rounds: busy handler {busy:.1f} ms, writer queue {queue:.1f} ms")
    print(f"ratio {busy / queue:.1f}x (busy handler's p99 / the queue's)")


if __name__ == "__main__":
    main()
