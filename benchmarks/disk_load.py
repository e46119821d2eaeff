"""Another program's writes to the disk a benchmark's database is on (``--disk-load MB``).

A machine is shared: a backup, a build or another database writes to the same disk, and a
sync of the ledger's log then waits behind theirs. :class:`DiskLoad` is such a writer, a
thread that writes MB megabytes to a file of its own and syncs them, again and again.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


class DiskLoad:
    """Another program's writes to the same disk: ``megabytes`` written and synced, in a
    loop, until stopped."""

    def __init__(self, folder: Path, megabytes: int) -> None:
        self.path = folder / "other-program.bin"
        self.chunk = os.urandom(1024 * 1024)
        self.megabytes = megabytes
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._write, daemon=True)

    def _write(self) -> None:
        with open(self.path, "wb") as file:
            while not self.stopping.is_set():
                file.seek(0)
                for _ in range(self.megabytes):
                    file.write(self.chunk)
                file.flush()
                os.fsync(file.fileno())

    def __enter__(self) -> DiskLoad:
        if self.megabytes:
            self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        if self.megabytes:
            self.thread.join()
