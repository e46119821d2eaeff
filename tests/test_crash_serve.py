"""Crash test: `accord serve` is SIGKILLed during writes; on restart nothing acknowledged
is missing and the draft hash chain verifies.

Real processes and real HTTP: the server is the `accord serve` command on a SQLite file;
four client threads write draft versions and stances as fast as they can; the server is
killed with SIGKILL while they are writing, then started again on the same file.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx

from accord.ledger.throwaway_postgres import free_port
from web_fixtures import bearer_headers, start_accord_serve


def test_sigkill_during_writes_loses_no_acknowledged_record(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server, lines = start_accord_serve(db, port)
    try:
        password = next(line.split(":", 1)[1].strip() for line in lines if "password:" in line)
        headers = bearer_headers(base, password)
        draft = httpx.post(
            f"{base}/api/negotiations/1/drafts",
            json={"title": "Single text", "package": {"donetsk": "buffer-ua"}},
            headers=headers,
            timeout=10,
        ).json()

        acknowledged_versions: list[tuple[int, str]] = []
        acknowledged_stances: list[str] = []
        stop = threading.Event()

        def write_versions() -> None:
            options = ["withdrawal", "buffer-ua", "line-of-contact"]
            with httpx.Client(base_url=base, headers=headers, timeout=5) as client:
                for n in range(100_000):
                    if stop.is_set():
                        return
                    try:
                        response = client.post(
                            f"/api/negotiations/1/drafts/{draft['id']}/versions",
                            json={"package": {"donetsk": options[n % 3]}, "note": f"v{n}"},
                        )
                    except httpx.TransportError:
                        return  # the server is gone: this write was never acknowledged
                    if response.status_code == 201:
                        body = response.json()
                        acknowledged_versions.append((body["number"], body["hash"]))

        def write_stances(thread: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=5) as client:
                for n in range(100_000):
                    if stop.is_set():
                        return
                    condition = f"condition {thread}-{n}"
                    try:
                        response = client.post(
                            "/api/negotiations/1/stances",
                            json={
                                "party": "ua",
                                "issue": "donetsk",
                                "stance": "conditional",
                                "condition": condition,
                            },
                        )
                    except httpx.TransportError:
                        return
                    if response.status_code == 201:
                        acknowledged_stances.append(condition)

        writers = [threading.Thread(target=write_versions)] + [
            threading.Thread(target=write_stances, args=(i,)) for i in range(3)
        ]
        for writer in writers:
            writer.start()
        while len(acknowledged_versions) < 15 or len(acknowledged_stances) < 15:
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)  # mid-write: the writers are still sending
        server.wait(timeout=10)
        stop.set()
        for writer in writers:
            writer.join(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    restarted, lines = start_accord_serve(db, port)
    try:
        assert not any("password:" in line for line in lines)  # not a first start again
        headers = bearer_headers(base, password)
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            versions = client.get(f"/api/negotiations/1/drafts/{draft['id']}").json()["versions"]
            stored = {(v["number"], v["hash"]) for v in versions}
            assert set(acknowledged_versions) <= stored
            history = client.get("/api/negotiations/1/stances/history").json()
            assert set(acknowledged_stances) <= {s["condition"] for s in history}
            assert client.get("/api/negotiations/1/verify").json()["ok"] is True
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=10)
