"""The mediator's analyses, computed off the request path in a process with a time limit.

:func:`accord.analysis.report.analyze` and the workbench's analyses are exact, and on a
scenario a party's delegate made large (a thousand interaction terms) they may run for
minutes. They therefore never run in a web request: :class:`AnalysisRunner` starts each
:class:`Task` (a top-level function of the scenario and a few plain arguments) in a
separate process, and a request only looks at how that process is doing, at most ``wait``
seconds (awaiting, holding no worker thread), and shows the result, "still computing" or
why there is none. A process is killed when

- it passes the time limit (``ACCORD_ANALYSIS_SECONDS``, default 60 s of wall time; the
  kernel's CPU limit stops it too, even if the server died): the answer is "too large";
- nobody has asked for it for ``ABANDON_AFTER`` seconds (the mediator left the page);
- the negotiation's scenario changed, or the same task was asked with other arguments (a
  new draft): its result is superseded; or the server stops.

Results are kept for the jobs seen recently, keyed by the scenario's digest, the task's
name and its arguments: a task depends only on those, and the scenario changes far more
rarely than it is read. Processes come from a fork server that has imported the analyses
once, so a new one starts in milliseconds and shares nothing with the server's threads.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, cast

from accord.analysis.report import Analysis, analyze
from accord.scenario.model import Scenario
from accord.web.lifeline import hold_lifeline

TIME_LIMIT_VARIABLE = "ACCORD_ANALYSIS_SECONDS"
DEFAULT_TIME_LIMIT = 60.0
ABANDON_AFTER = 30.0
MAX_RUNNING = 2
CACHE_SIZE = 16
_POLL = 0.05


@dataclass(frozen=True)
class Task:
    """A computation of a scenario: ``function(scenario, *arguments)`` in a child process.

    ``function`` is a module's top-level function (the child imports it by name) whose
    result can be pickled; ``arguments`` are JSON values (they are part of the result's
    key). ``name`` tells tasks apart: one owner runs at most one job per name.
    """

    name: str
    function: Callable[..., Any]
    arguments: tuple[Any, ...] = ()

    def key(self, scenario_digest: str) -> str:
        """The result's key: the scenario's digest, the task's name and its arguments."""
        arguments = json.dumps(self.arguments, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(arguments.encode()).hexdigest()
        return f"{scenario_digest}:{self.name}:{digest}"


ANALYSIS = Task("analysis", analyze)


@dataclass(frozen=True)
class Ready:
    value: Any  # what the task's function returned

    @property
    def analysis(self) -> Analysis:
        """The value of the :data:`ANALYSIS` task."""
        return cast(Analysis, self.value)


@dataclass(frozen=True)
class Computing:
    seconds: float  # since it started (0 while it waits for a free process)
    time_limit: float


@dataclass(frozen=True)
class Failed:
    """No analysis: ``too_large`` when the time limit stopped it, else an error's message."""

    message: str
    too_large: bool


AnalysisState = Ready | Computing | Failed


@dataclass
class _Job:
    scenario: Scenario
    digest: str  # the scenario's
    task: Task
    owner: object
    last_asked: float
    process: BaseProcess | None = None
    connection: Connection | None = None
    started: float = 0.0


def _run_in_child(
    task: Task, scenario: Scenario, connection: Connection, cpu_seconds: int, server_pid: int
) -> None:
    """The child's work: the task's result, or the error's message, sent on ``connection``."""
    import resource

    # The kernel stops the process after this much CPU time, whatever happens to the
    # server (which also kills it on its wall-clock deadline).
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    # And the process ends as soon as the server is gone (killed with SIGKILL, say): its
    # parent is the fork server, so it would not be told otherwise.
    hold_lifeline(server_pid)
    try:
        result: tuple[str, Any] = ("ready", task.function(scenario, *task.arguments))
    except Exception as error:  # every failure becomes a message for the mediator
        result = ("failed", f"{type(error).__name__}: {error}")
    connection.send(result)
    connection.close()


class AnalysisRunner:
    """Tasks in child processes, at most ``max_running`` at once, each time-limited."""

    def __init__(
        self,
        time_limit: float = DEFAULT_TIME_LIMIT,
        abandon_after: float = ABANDON_AFTER,
        max_running: int = MAX_RUNNING,
        context: BaseContext | None = None,
    ) -> None:
        self.time_limit = time_limit
        self.abandon_after = abandon_after
        self.max_running = max_running
        self._context = context or _forkserver()
        self._results: OrderedDict[str, Ready | Failed] = OrderedDict()
        self._jobs: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._supervisor: threading.Thread | None = None
        self._stopped = False

    def request(
        self, scenario: Scenario, owner: object = None, task: Task = ANALYSIS
    ) -> AnalysisState:
        """``task``'s result on ``scenario`` if known, else how its computation is doing.

        ``owner`` (a negotiation's id) names whose job this is: a new scenario for the same
        owner cancels the computations of its previous one, and the same task with new
        arguments (a new draft) cancels the task's computation with the old ones.
        """
        return self._request(scenario, scenario.digest(), owner, task)

    def _request(self, scenario: Scenario, digest: str, owner: object, task: Task) -> AnalysisState:
        key = task.key(digest)
        now = time.monotonic()
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
            job = self._jobs.get(key)
            if job is None:
                for other_key, other in list(self._jobs.items()):
                    superseded = other.task.name == task.name or other.digest != digest
                    if owner is not None and other.owner == owner and superseded:
                        self._kill(other_key)
                job = _Job(scenario, digest, task, owner, now)
                self._jobs[key] = job
                self._start_waiting()
                self._ensure_supervisor()
            job.last_asked = now
            seconds = now - job.started if job.process is not None else 0.0
            return Computing(seconds, self.time_limit)

    async def wait(
        self,
        scenario: Scenario,
        owner: object = None,
        seconds: float = 0.0,
        task: Task = ANALYSIS,
    ) -> AnalysisState:
        """:meth:`request`, awaiting up to ``seconds`` for a result (no thread is held)."""
        deadline = time.monotonic() + seconds
        digest = scenario.digest()
        state = self._request(scenario, digest, owner, task)
        while isinstance(state, Computing) and time.monotonic() < deadline:
            await asyncio.sleep(_POLL)
            state = self._request(scenario, digest, owner, task)
        return state

    def process_ids(self) -> list[int]:
        """The process ids of the tasks running now."""
        with self._lock:
            return [
                job.process.pid
                for job in self._jobs.values()
                if job.process is not None and job.process.pid is not None
            ]

    def shutdown(self) -> None:
        """Kill every computation (the server stops)."""
        with self._lock:
            self._stopped = True
            for key in list(self._jobs):
                self._kill(key)

    # --- the supervisor thread: results, deadlines, abandoned jobs ------------------------

    def _ensure_supervisor(self) -> None:
        if self._supervisor is None or not self._supervisor.is_alive():
            self._supervisor = threading.Thread(
                target=self._supervise, name="accord-analysis-supervisor", daemon=True
            )
            self._supervisor.start()

    def _supervise(self) -> None:
        while True:
            with self._lock:
                if self._stopped or not self._jobs:
                    self._supervisor = None
                    return
                self._check_jobs(time.monotonic())
            time.sleep(_POLL)

    def _check_jobs(self, now: float) -> None:
        for key, job in list(self._jobs.items()):
            if now - job.last_asked > self.abandon_after:
                self._kill(key)
                continue
            if job.process is None or job.connection is None:
                continue
            if job.connection.poll():
                try:
                    kind, payload = job.connection.recv()
                except (EOFError, OSError):
                    kind, payload = "failed", "the analysis process stopped without an answer"
                self._finish(key, Ready(payload) if kind == "ready" else Failed(payload, False))
            elif now - job.started > self.time_limit:
                self._finish(key, self._too_large())
            elif not job.process.is_alive():
                # Killed by the kernel's CPU limit (or by lack of memory).
                self._finish(key, self._too_large())
        self._start_waiting()

    def _too_large(self) -> Failed:
        return Failed(
            f"the analysis did not finish within {self.time_limit:g} s: the scenario has "
            "too many options, interaction terms or red lines to analyse exactly here",
            True,
        )

    def _finish(self, key: str, state: Ready | Failed) -> None:
        self._kill(key)
        self._results[key] = state
        while len(self._results) > CACHE_SIZE:
            self._results.popitem(last=False)

    def _kill(self, key: str) -> None:
        job = self._jobs.pop(key)
        if job.process is not None:
            if job.process.is_alive():
                job.process.kill()
            job.process.join(timeout=5)
            job.process.close()
        if job.connection is not None:
            job.connection.close()

    def _start_waiting(self) -> None:
        if self._stopped:
            return
        running = sum(1 for job in self._jobs.values() if job.process is not None)
        for job in self._jobs.values():
            if running >= self.max_running:
                return
            if job.process is None:
                receiving, sending = self._context.Pipe(duplex=False)
                cpu_seconds = max(1, int(self.time_limit) + 1)
                process = self._context.Process(  # type: ignore[attr-defined]
                    target=_run_in_child,
                    args=(job.task, job.scenario, sending, cpu_seconds, os.getpid()),
                    name="accord-analysis",
                    daemon=True,
                )
                process.start()
                sending.close()  # the child holds the other end
                job.process, job.connection, job.started = process, receiving, time.monotonic()
                running += 1


def _forkserver() -> BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["accord.analysis.report", "accord.web.workbench_tasks"])
    return context


_runner: AnalysisRunner | None = None
_runner_lock = threading.Lock()


def runner() -> AnalysisRunner:
    """The process's runner, with the time limit from ``ACCORD_ANALYSIS_SECONDS``."""
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = AnalysisRunner(time_limit=_time_limit())
        return _runner


def _time_limit() -> float:
    text = os.environ.get(TIME_LIMIT_VARIABLE, "")
    try:
        value = float(text)
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return value if value > 0 else DEFAULT_TIME_LIMIT


def shutdown() -> None:
    """Stop the process's analyses (called when the server stops)."""
    with _runner_lock:
        if _runner is not None:
            _runner.shutdown()
