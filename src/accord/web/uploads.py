"""Validating an uploaded scenario without slowing the server's other requests.

A large scenario takes long to validate, in pure Python: in the server's own process it
holds the interpreter's lock, and every other request (a mediator recording a stance)
waits for it in turn. Uploads above :data:`LARGE_UPLOAD_BYTES` are therefore validated in
a separate process (one, started on the first large upload, at the lowest CPU priority,
so that uploads take at most one core and yield it to requests); smaller ones, the usual
case, in the request's own thread. Uploaded files in a foreign format
(:func:`import_upload`) are read the same way.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any

from accord.errors import AccordError, Problem, ScenarioError
from accord.formats.detect import detect_format, import_any
from accord.formats.imported import Imported
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


def _import_files(files: list[tuple[str, bytes]]) -> Imported | tuple[Problem, ...] | str:
    """In the worker or the request's thread: the scenario the files hold, or what is wrong
    (problems, or one message), with the temporary folder's path left out of every message."""
    with tempfile.TemporaryDirectory(prefix="accord-upload-") as folder:
        # Readers of folders name the scenario after its folder: call it what the files share.
        root = Path(folder) / _folder_name([name for name, _ in files])
        root.mkdir()
        for name, content in files:
            (root / name).write_bytes(content)
        target = root / files[0][0] if len(files) == 1 else root
        if len(files) == 1 and target.suffix.lower() in (".xml", ".json"):
            try:
                detect_format(target)
            except ScenarioError:
                target = root  # a GENIUS or GeniusWeb file: read as the folder holding it
        try:
            imported = import_any(target)
        except ScenarioError as error:
            return tuple(_without_folder(problem, root) for problem in error.problems)
        except AccordError as error:
            return str(error).replace(f"{root}/", "").replace(str(root), "the upload")
        warnings = tuple(_without_folder(problem, root) for problem in imported.warnings)
        return replace(imported, warnings=warnings)


def _folder_name(names: list[str]) -> str:
    """``phone`` for ``phone_domain.xml`` and ``phone_buyer.xml``; ``upload`` if nothing
    is shared."""
    stems = [name.rsplit(".", 1)[0] for name in names]
    # Characters, not path parts: the shared start of the names is the point.
    shared = os.path.commonprefix(stems) if len(stems) > 1 else stems[0]  # noqa: RUF071
    shared = "".join(c if c.isalnum() or c in "_.-" else "-" for c in shared).strip("_.- ")
    return shared[:80] or "upload"


def _without_folder(problem: Problem, root: Path) -> Problem:
    source = problem.source or ""
    source = source.replace(f"{root}/", "").replace(str(root), "the upload")
    message = problem.message.replace(f"{root}/", "").replace(str(root), "the upload")
    # The command line's advice, in the words of an upload.
    message = message.replace("give --domain FILE", "upload the files of one domain at a time")
    return replace(problem, source=source, message=message)


def import_upload(files: list[tuple[str, bytes]]) -> Imported:
    """The scenario in uploaded files (name, content), in any format ``accord import`` reads:
    one Accord YAML/JSON file, or the files of a GENIUS, GeniusWeb or NegMAS folder.

    Raises :class:`ScenarioError` naming the file and line (the upload's own names).
    Uploads of :data:`LARGE_UPLOAD_BYTES` or more are read in the validation process.
    """
    if sum(len(content) for _, content in files) < LARGE_UPLOAD_BYTES:
        result = _import_files(files)
    else:
        try:
            result = _validation_pool().submit(_import_files, files).result()
        except BrokenProcessPool:
            global _pool
            with _pool_lock:
                _pool = None
            result = _import_files(files)
    if isinstance(result, Imported):
        return result
    if isinstance(result, str):
        raise ScenarioError([Problem(result)])
    raise ScenarioError(list(result))
