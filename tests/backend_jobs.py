"""Jobs for the backend tests: module-level, so that worker processes can import them."""

from __future__ import annotations

import os
import time
from pathlib import Path


def square(value: int) -> int:
    return value * value


def fail_on_three(value: int) -> int:
    if value == 3:
        raise ValueError("job 3 is bad input")
    return value


def die_on(item: tuple[int, int]) -> int:
    """Kill the worker process running job ``killer`` every time; others return their value."""
    value, killer = item
    if value == killer:
        os._exit(13)
    time.sleep(0.01)
    return value


def die_once(item: tuple[int, str]) -> int:
    """Kill the worker the first time job 5 runs (a marker file remembers it), then succeed."""
    value, marker_folder = item
    marker = Path(marker_folder) / "died"
    if value == 5 and not marker.exists():
        marker.touch()
        os._exit(13)
    time.sleep(0.01)
    return value


def pid_of_worker(value: int) -> int:
    time.sleep(0.02)
    return os.getpid()
