"""A worker holding a lifeline ends when the server that started it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

# The "server": starts a worker that holds a lifeline to it, prints the worker's pid, waits.
SERVER = """
import subprocess, sys, time
worker = subprocess.Popen([sys.executable, "-c", WORKER])
print(worker.pid, flush=True)
time.sleep(600)
"""
WORKER = """
import os, time
from accord.web.lifeline import hold_lifeline
hold_lifeline(os.getppid())
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"


def test_the_worker_exits_once_its_server_is_killed() -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", f"WORKER = {WORKER!r}\n{SERVER}"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    worker = int(server.stdout.readline())
    try:
        time.sleep(1.0)
        assert _alive(worker), "the worker should live while its server does"
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker), "the worker outlived its killed server"
    finally:
        server.stdout.close()
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        if _alive(worker):
            os.kill(worker, signal.SIGKILL)
