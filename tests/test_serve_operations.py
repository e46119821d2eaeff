"""`accord serve` run as an operator runs it: a real process, its console, signals, files.

A clean stop (SIGTERM from a service manager, SIGINT from Ctrl-C) leaves the whole ledger in
the one database file; a busy port is refused before anything is created; every request is
in the access log with its method, path and status, and nothing more.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from accord.ledger.throwaway_postgres import free_port
from web_fixtures import ACCORD, bearer_headers


def _default_sigint() -> None:
    # The suite may run with SIGINT ignored (a background job); the server must not inherit it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Server:
    """`accord serve` on a SQLite file; its console lines are collected as they come."""

    def __init__(self, db: Path, port: int, *extra: str) -> None:
        self.port = port
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [ACCORD, "serve", "--port", str(port), "--db", str(db), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=os.environ | {"PYTHONUNBUFFERED": "1"},
            preexec_fn=_default_sigint,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "accord serve exited:\n" + self.console()
            try:
                if httpx.get(f"{self.base}/api/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.process.kill()
        raise AssertionError("accord serve did not answer within 30 s:\n" + self.console())

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.append(line.rstrip("\n"))

    def console(self) -> str:
        return "\n".join(self.lines)

    def password(self) -> str:
        return next(line.split(":", 1)[1].strip() for line in self.lines if "password:" in line)

    def stop(self, signal_number: int) -> int:
        self.process.send_signal(signal_number)
        code = self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        return code


def _negotiation_titles(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM negotiations")]


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_clean_stop_leaves_the_whole_ledger_in_the_database_file(
    tmp_path: Path, signal_number: int
) -> None:
    db = tmp_path / "accord.db"
    server = Server(db, free_port())
    try:
        headers = bearer_headers(server.base, server.password())
        created = httpx.post(
            f"{server.base}/api/negotiations/1/drafts",
            json={"title": "Written before the stop", "package": {"donetsk": "buffer-ua"}},
            headers=headers,
            timeout=10,
        )
        assert created.status_code == 201, created.text
        # While it runs, the commits are in the WAL: the main file alone would miss them.
        assert Path(f"{db}-wal").stat().st_size > 0
    finally:
        code = server.stop(signal_number)
    assert code in (0, -signal_number, 128 + signal_number), server.console()
    copy = tmp_path / "copy" / "accord.db"
    copy.parent.mkdir()
    shutil.copyfile(db, copy)  # only the main file, as a careless backup would
    assert not Path(f"{copy}-wal").exists()
    with sqlite3.connect(copy) as connection:
        drafts = [row[0] for row in connection.execute("SELECT title FROM drafts")]
        users = [row[0] for row in connection.execute("SELECT username FROM users")]
    assert drafts == ["Written before the stop"]
    assert users == ["mediator"]
    assert len(_negotiation_titles(copy)) == 1


def test_a_busy_port_is_refused_before_a_database_or_a_password_exists(tmp_path: Path) -> None:
    with socket.socket() as occupant:
        occupant.bind(("127.0.0.1", 0))
        occupant.listen()
        port = occupant.getsockname()[1]
        db = tmp_path / "accord.db"
        result = subprocess.run(
            [ACCORD, "serve", "--port", str(port), "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: --port: 127.0.0.1:{port} is already in use (another accord serve?); "
        "stop it or choose another port"
    ]
    assert list(tmp_path.iterdir()) == []


def test_the_access_log_has_method_path_and_status_and_nothing_else(tmp_path: Path) -> None:
    server = Server(tmp_path / "accord.db", free_port())
    try:
        password = server.password()
        with httpx.Client(base_url=server.base, timeout=10) as client:
            login = client.post(
                "/api/auth/login", json={"username": "mediator", "password": password}
            )
            assert login.status_code == 200
            assert client.get("/api/negotiations/1?token=query-secret").status_code == 200
            assert client.get("/no-such-page").status_code == 404
    finally:
        server.stop(signal.SIGTERM)
    log = [line.split(" ", 2)[2] for line in server.lines if line[:2] == "20"]
    assert "POST /api/auth/login 200" in log
    assert "GET /api/negotiations/1 200" in log
    assert "GET /no-such-page 404" in log
    console = server.console()
    for secret in (password, "query-secret", "token="):
        assert console.count(secret) == (1 if secret == password else 0)


def test_the_access_log_can_be_switched_off(tmp_path: Path) -> None:
    server = Server(tmp_path / "accord.db", free_port(), "--no-access-log")
    try:
        assert httpx.get(f"{server.base}/no-such-page", timeout=10).status_code == 404
    finally:
        server.stop(signal.SIGTERM)
    assert "/no-such-page" not in server.console()
