"""Many clients writing at once through a real `accord serve` on SQLite: all succeed.

A regression test: before writers were queued on the event loop (SQLiteWriteGate), sixty
concurrent writers held every worker thread while waiting for SQLite's lock, and the
server stopped answering until its busy timeout.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx

from accord.ledger.throwaway_postgres import free_port
from web_fixtures import bearer_headers, start_accord_serve

CLIENTS, EACH = 60, 3


def test_sixty_concurrent_writers_all_get_an_answer(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server, lines = start_accord_serve(tmp_path / "ledger.db", port)
    try:
        password = next(line.split(":", 1)[1].strip() for line in lines if "password:" in line)
        headers = bearer_headers(base, password)
        statuses: list[int] = []
        barrier = threading.Barrier(CLIENTS)

        def client(number: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
                barrier.wait()  # start together: the worst case for the lock
                for n in range(EACH):
                    body = {
                        "party": "ua",
                        "issue": "donetsk",
                        "stance": "conditional",
                        "condition": f"client {number}, write {n}",
                    }
                    statuses.append(http.post("/api/negotiations/1/stances", json=body).status_code)
                    statuses.append(http.get("/api/negotiations/1/stances").status_code)

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        assert sorted(set(statuses)) == [200, 201]
        assert len(statuses) == 2 * CLIENTS * EACH
        assert elapsed < 25, f"{elapsed:.1f} s for {len(statuses)} requests"
        history = httpx.get(f"{base}/api/negotiations/1/stances/history", headers=headers).json()
        assert len(history) == CLIENTS * EACH
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
