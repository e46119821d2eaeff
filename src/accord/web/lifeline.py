"""Worker processes that end with the server that started them.

A server stopped by SIGKILL (or by a SIGTERM that interrupts its shutdown) cannot stop its
workers; without a lifeline they stay behind, holding CPU and the server's open files.
"""

from __future__ import annotations

import os
import threading
import time


def exit_when_gone(server_pid: int, interval: float = 0.5) -> None:
    """Exit this process as soon as process ``server_pid`` no longer exists (blocks)."""
    while True:
        time.sleep(interval)
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            os._exit(1)


def hold_lifeline(server_pid: int) -> None:
    """Watch ``server_pid`` from a daemon thread of this process."""
    threading.Thread(target=exit_when_gone, args=(server_pid,), daemon=True).start()
