"""Reading an uploaded scenario without slowing the server's other requests.

A large scenario takes long to read: parsing its JSON, validating it, and turning it into
the JSON the ledger stores are pure Python, and in the server's own process they hold the
interpreter's lock that every other request (a mediator recording a stance) waits for in
turn. Uploads of :data:`LARGE_UPLOAD_BYTES` or more are therefore read in a separate
process (one, started on the first large upload, at the lowest CPU priority, so that
uploads take at most one core and yield it to requests), which receives the raw bytes and
answers with what the write needs, already serialised (:class:`PreparedNegotiation`,
:class:`PreparedImport`): the server copies bytes and parses nothing. Smaller uploads, the
usual case, are read the same way in the request's own thread.

:func:`read_creation_request` reads the body of ``POST /api/negotiations`` and refuses it
in the words FastAPI would have used had it read the body itself (the route takes the
raw bytes so that FastAPI does not); :func:`import_upload` reads the setup page's files, in
any format ``accord import`` reads.
"""

from __future__ import annotations

import email.message
import json
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from accord.errors import AccordError, Problem, ScenarioError
from accord.formats.detect import detect_format, import_any
from accord.formats.imported import Imported
from accord.ledger.stored_scenario import StoredScenario, stored_form
from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario
from accord.web.lifeline import hold_lifeline

LARGE_UPLOAD_BYTES = 256 * 1024

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()
Result = TypeVar("Result")


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


def shutdown() -> None:
    """End the validation process (the server stops); a later large upload starts one."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(server_pid: int) -> None:
    os.nice(19)
    hold_lifeline(server_pid)  # a worker left behind by a killed server ends too


def read_off_the_request(size: int, function: Callable[..., Result], *arguments: Any) -> Result:
    """``function(*arguments)``, in the validation process if the upload has ``size`` bytes
    or more. ``function`` and its arguments must be plain data (they cross pickled)."""
    if size < LARGE_UPLOAD_BYTES:
        return function(*arguments)
    try:
        return _validation_pool().submit(function, *arguments).result()
    except BrokenProcessPool:
        # The worker died (killed, out of memory): start a new one next time, and answer
        # this upload here, slower but right.
        global _pool
        with _pool_lock:
            _pool = None
        return function(*arguments)


@dataclass(frozen=True)
class PreparedNegotiation:
    """A scenario posted to the API, validated: its rows' text, and the answer but its id."""

    stored: StoredScenario
    answer_after_id: bytes  # the answer's JSON after its id (``{"id":N`` comes first)

    def answer(self, negotiation_id: int) -> bytes:
        """The API's answer (:class:`NegotiationOut`) for the negotiation once stored."""
        return b'{"id":%d' % negotiation_id + self.answer_after_id


@dataclass(frozen=True)
class _Refused:
    """A body FastAPI would have refused: ``errors`` (422), or none if it is unreadable (400)."""

    errors: tuple[dict[str, Any], ...] = ()


_EMPTY = object()


def read_creation_request(body: bytes, content_type: str | None) -> PreparedNegotiation:
    """The scenario of a ``POST /api/negotiations`` body (``NegotiationCreate``).

    Raises :class:`RequestValidationError` or a 400 for a body that is not one, as FastAPI
    does, and :class:`ScenarioError` naming the fields of a wrong scenario.
    """
    result = read_off_the_request(len(body), _prepare_creation, body, content_type)
    if isinstance(result, PreparedNegotiation):
        return result
    if isinstance(result, _Refused):
        if not result.errors:
            raise HTTPException(status_code=400, detail="There was an error parsing the body")
        raise RequestValidationError(list(result.errors))
    raise ScenarioError(list(result))


def _prepare_creation(
    body: bytes, content_type: str | None
) -> PreparedNegotiation | _Refused | tuple[Problem, ...]:
    """In the worker or the request's thread: the body read as FastAPI reads a JSON body
    (fastapi.routing's request handler), then validated and serialised for storing."""
    from accord.web.api.schemas import NegotiationCreate  # the API's package imports this

    value: Any = _EMPTY
    if body:
        value = body  # a body that is not JSON is validated as bytes, and refused
        if content_type:
            message = email.message.Message()
            message["content-type"] = content_type
            subtype = message.get_content_subtype()
            if message.get_content_maintype() == "application" and (
                subtype == "json" or subtype.endswith("+json")
            ):
                try:
                    value = json.loads(body)
                except json.JSONDecodeError as error:
                    return _Refused(
                        (
                            {
                                "type": "json_invalid",
                                "loc": ("body", error.pos),
                                "msg": "JSON decode error",
                            },
                        )
                    )
                except (ValueError, RecursionError):  # not UTF-8/16/32, or nested too deep
                    return _Refused()
    if value is _EMPTY:
        return _Refused(({"type": "missing", "loc": ("body",), "msg": "Field required"},))
    try:
        request = NegotiationCreate.model_validate(value, from_attributes=True)
    except ValidationError as error:
        return _Refused(
            tuple(
                {"type": item["type"], "loc": ("body", *item["loc"]), "msg": item["msg"]}
                for item in error.errors(include_url=False)
            )
        )
    try:
        scenario = validate_data(request.scenario, "scenario")
    except ScenarioError as error:
        return error.problems
    return PreparedNegotiation(stored_form(scenario), _answer_after_id(scenario))


def _answer_after_id(scenario: Scenario) -> bytes:
    """What :func:`accord.web.api.negotiations.negotiation_out` answers for ``scenario``
    newly stored (its creator the mediator), serialised as FastAPI serialises it, from just
    after the id's value: the id is the one thing only the write knows."""
    from accord.web.api.schemas import NegotiationOut, PartyOut

    data = scenario.model_dump(mode="json", include={"blocks", "issues", "agreement"})
    answer = NegotiationOut(
        id=0,
        title=scenario.title,
        description=scenario.description,
        scenario=scenario.id,
        blocks=data["blocks"],
        issues=data["issues"],
        agreement=data["agreement"],
        parties=[
            PartyOut(key=p.id, name=p.name, role=p.role, required=p.required, active=True)
            for p in scenario.parties
        ],
        role="mediator",
        party=None,
    ).model_dump_json(by_alias=True)
    prefix = '{"id":0'
    assert answer.startswith(prefix)  # the id comes first: NegotiationOut's field order
    return answer[len(prefix) :].encode()


@dataclass(frozen=True)
class PreparedImport:
    """Uploaded files read: the scenario's rows' text, and what the reader had to tell."""

    stored: StoredScenario
    warnings: tuple[Problem, ...]


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


def _prepare_import(files: list[tuple[str, bytes]]) -> PreparedImport | tuple[Problem, ...] | str:
    """In the worker or the request's thread: the files read and serialised for storing."""
    result = _import_files(files)
    if isinstance(result, Imported):
        return PreparedImport(stored_form(result.scenario), result.warnings)
    return result


def import_upload(files: list[tuple[str, bytes]]) -> PreparedImport:
    """The scenario in uploaded files (name, content), in any format ``accord import`` reads:
    one Accord YAML/JSON file, or the files of a GENIUS, GeniusWeb or NegMAS folder.

    Raises :class:`ScenarioError` naming the file and line (the upload's own names).
    Uploads of :data:`LARGE_UPLOAD_BYTES` or more are read in the validation process.
    """
    size = sum(len(content) for _, content in files)
    result = read_off_the_request(size, _prepare_import, files)
    if isinstance(result, PreparedImport):
        return result
    if isinstance(result, str):
        raise ScenarioError([Problem(result)])
    raise ScenarioError(list(result))
