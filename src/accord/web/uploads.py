"""Validating an uploaded scenario without slowing the server's other requests.

A large scenario takes long to validate, in pure Python: in the server's own process it
holds the interpreter's lock, and every other request (a mediator recording a stance)
waits for it in turn. Uploads above :data:`LARGE_UPLOAD_BYTES` are therefore validated in
a separate process (one, started on the first large upload, at the lowest CPU priority,
so that uploads take at most one core and yield it to requests); smaller ones, the usual
case, in the request's own thread.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario
from accord.web.lifeline import hold_lifeline

LARGE_UPLOAD_BYTES = 256 * 1024

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _validation_pool() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # "spawn": the server has threads, which a forked child would inherit broken.
            # Lowest priority: on a busy machine the requests go first, the upload waits.
            _pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return _pool


def _start_worker(server_pid: int) -> None:
    os.nice(19)
    hold_lifeline(server_pid)  # a worker left behind by a killed server ends too


def _validate(data: dict[str, Any], source: str) -> Scenario | tuple[Problem, ...]:
    """In the worker: the scenario, or its problems (plain data: they cross back pickled)."""
    try:
        return validate_data(data, source)
    except ScenarioError as error:
        return error.problems


def validate_upload(data: dict[str, Any], size: int, source: str = "scenario") -> Scenario:
    """The scenario in ``data`` (``size`` bytes as uploaded), or :class:`ScenarioError`."""
    if size < LARGE_UPLOAD_BYTES:
        return validate_data(data, source)
    try:
        result = _validation_pool().submit(_validate, data, source).result()
    except BrokenProcessPool:
        # The worker died (killed, out of memory): start a new one next time, and answer
        # this upload here, slower but right.
        global _pool
        with _pool_lock:
            _pool = None
        return validate_data(data, source)
    if isinstance(result, Scenario):
        return result
    raise ScenarioError(list(result))
