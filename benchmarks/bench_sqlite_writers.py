"""How long SQLite writers of one process wait for their turn: busy handler against queue.

Threads of one process (like the server's request threads) each write a small transaction
to one SQLite file (WAL), holding the write lock for about 2 ms of work, then pause 10 ms.
Three ways, in alternating rounds in the same run:

- ``busy handler``: ``BEGIN IMMEDIATE`` with a busy timeout and ``synchronous=FULL`` (the
  log synced inside COMMIT), what the ledger did first (a writer that finds the lock taken
  sleeps and tries again, and may be overtaken);
- ``writer queue``: connections that wait in a first-come, first-served queue before
  ``BEGIN IMMEDIATE`` (:mod:`accord.ledger.writer_queue`), still ``synchronous=FULL``;
- ``sync after lock``: the ledger's connections today, the queue with ``synchronous=NORMAL``
  and the log synced after the lock has passed on, before the commit counts as done
  (:mod:`accord.ledger.wal_sync`): as durable as FULL, a group commit.

Printed per way and round: the transactions, the median, 99th percentile and largest time
from asking to write to a durable commit, the throughput, and the log syncs per commit;
then the p99s against the writer queue's, the baseline.

    python benchmarks/bench_sqlite_writers.py
    python benchmarks/bench_sqlite_writers.py --threads 40 --rounds 3
    python benchmarks/bench_sqlite_writers.py --synchronous NORMAL   # first two: no fsync
    python benchmarks/bench_sqlite_writers.py --disk-load 16   # another program's writes

``--disk-load MB`` runs, beside the writers, another writer of the same disk: a thread that
writes MB megabytes to a file of its own and syncs it, again and again, as a backup or a
build sharing the machine would; syncs of the ledger's log then take longer.
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

from accord.ledger.wal_sync import WalSync
from accord.ledger.writer_queue import connection_factory
from disk_load import DiskLoad

HOLD_SECONDS = 0.002
PAUSE_SECONDS = 0.010
BUSY_TIMEOUT_SECONDS = 30


WAYS = ("busy handler", "writer queue", "sync after lock")


def _connect(
    path: Path, way: str, synchronous: str, log_sync: WalSync | None
) -> sqlite3.Connection:
    factory: type[sqlite3.Connection] = sqlite3.Connection
    if way != "busy handler":
        factory = connection_factory(str(path), BUSY_TIMEOUT_SECONDS, log_sync)
    connection = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,
        check_same_thread=False,
        factory=factory,
    )
    if way == "sync after lock":
        assert connection.sync_commits_itself()  # type: ignore[attr-defined]
        synchronous = "NORMAL"
    connection.execute(f"PRAGMA synchronous={synchronous}")
    return connection


def run(
    folder: Path, way: str, threads: int, each: int, synchronous: str = "FULL"
) -> tuple[list[float], float, int]:
    """Seconds from asking to write to the durable commit, per transaction; the wall time;
    the log syncs made by the ledger's connections (0 for the ways where SQLite syncs)."""
    path = folder / f"{way.replace(' ', '-')}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE writes (writer INTEGER, number INTEGER)")
    log_sync = WalSync(path) if way == "sync after lock" else None
    waits: list[float] = []
    lock = threading.Lock()

    def writer(number: int) -> None:
        connection = _connect(path, way, synchronous, log_sync)
        mine = []
        for index in range(each):
            asked = time.perf_counter()
            if way != "busy handler":
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
    return waits, time.perf_counter() - began, log_sync.syncs if log_sync else 0


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
        help="for the first two ways; FULL: each commit syncs the log inside COMMIT",
    )
    parser.add_argument(
        "--disk-load",
        type=int,
        default=0,
        metavar="MB",
        help="meanwhile write and sync MB megabytes to another file, again and again",
    )
    arguments = parser.parse_args()
    print(
        f"{arguments.threads} threads x {arguments.each} transactions, each holding the lock "
        f"{HOLD_SECONDS * 1000:g} ms, {PAUSE_SECONDS * 1000:g} ms apart; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; synchronous={arguments.synchronous}"
        + (
            f"; another writer syncing {arguments.disk_load} MB at a time"
            if arguments.disk_load
            else ""
        )
    )
    heading = ("way", "round", "writes", "p50 ms", "p99 ms", "max ms", "w/s", "syncs/w")
    print("{:<15} {:>5} {:>7} {:>8} {:>8} {:>8} {:>6} {:>7}".format(*heading))
    p99s: dict[str, list[float]] = {way: [] for way in WAYS}
    # The benchmark's files go beside the ledger's usual place, on the disk it would use.
    with (
        tempfile.TemporaryDirectory(dir=Path.cwd()) as name,
        DiskLoad(Path(name), arguments.disk_load),
    ):
        for round_number in range(1, arguments.rounds + 1):
            for way in WAYS:
                waits, seconds, syncs = run(
                    Path(name), way, arguments.threads, arguments.each, arguments.synchronous
                )
                milliseconds = [wait * 1000 for wait in waits]
                p99s[way].append(percentile(milliseconds, 0.99))
                shared = f"{syncs / len(waits):>7.2f}" if syncs else f"{'-':>7}"
                print(
                    f"{way:<15} {round_number:>5} {len(waits):>7} "
                    f"{statistics.median(milliseconds):>8.1f} {p99s[way][-1]:>8.1f} "
                    f"{max(milliseconds):>8.1f} {len(waits) / seconds:>6.0f} {shared}"
                )
    medians = {way: statistics.median(p99s[way]) for way in WAYS}
    print(
        "p99, median over the rounds: "
        + ", ".join(f"{way} {value:.1f} ms" for way, value in medians.items())
    )
    baseline = medians["writer queue"]
    for way in ("busy handler", "sync after lock"):
        print(f"ratio {medians[way] / baseline:.2f}x ({way}'s p99 / the writer queue's)")


if __name__ == "__main__":
    main()
