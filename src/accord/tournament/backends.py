"""Where many small jobs run: in this process, in a local process pool, or on a Dask cluster.

A tournament and a robustness run both have thousands of independent jobs of a few
milliseconds each. Every backend runs them with the same call::

    with make_backend("processes", workers=2) as backend:
        for index, result in backend.map_unordered(job, items):
            ...  # results arrive as they finish, with the index of their item

Jobs are sent in batches (one task per batch), so the scheduling overhead (a few
milliseconds a task on Dask) is paid once per batch, not once per job. The job function is
serialised once per ``map_unordered`` call with cloudpickle (so closures and callable
objects work) and unpickled once per worker process: state it keeps, such as a cache of
compiled scenarios, lives as long as the worker.

Faults: a worker process that dies (killed, out of memory, ``os._exit``) loses only its
batches in flight. Those jobs are retried, one by one; a job that kills a worker again is run
alone and, if it kills that worker too, reported in :class:`JobsLost`, raised once every
other job's result has been yielded. An exception raised by the job itself is not a fault of
the backend: it propagates unchanged. An unreachable Dask scheduler fails within
``connect_timeout`` seconds with :class:`BackendError`.
"""

from __future__ import annotations

import math
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from types import TracebackType
from typing import Any, Literal, TypeVar

import cloudpickle

from accord.errors import AccordError

Kind = Literal["serial", "processes", "dask"]
KINDS: tuple[Kind, ...] = ("serial", "processes", "dask")

Item = TypeVar("Item")
Result = TypeVar("Result")
Batch = list[tuple[int, Any]]

# Batches per worker that a run is cut into by default: enough to balance the load and to
# move a progress bar, few enough that scheduling costs little next to the jobs.
BATCHES_PER_WORKER = 8
MAX_BATCH_SIZE = 256


class BackendError(AccordError):
    """A backend that cannot be started or reached (e.g. an unreachable scheduler)."""


class JobsLost(BackendError):
    """Jobs that killed the worker running them even when run alone; all others finished."""

    def __init__(self, indices: Sequence[int], reason: str) -> None:
        self.indices = tuple(sorted(indices))
        shown = ", ".join(str(i) for i in self.indices[:10])
        more = f" and {len(self.indices) - 10} more" if len(self.indices) > 10 else ""
        super().__init__(
            f"{len(self.indices)} job(s) lost: job(s) {shown}{more} killed the worker running "
            f"them, also when retried alone ({reason}); every other job finished"
        )


def default_batch_size(jobs: int, workers: int) -> int:
    """About ``BATCHES_PER_WORKER`` batches per worker, at most ``MAX_BATCH_SIZE`` jobs each."""
    return max(1, min(MAX_BATCH_SIZE, math.ceil(jobs / (max(1, workers) * BATCHES_PER_WORKER))))


def batches(count: int, size: int) -> list[list[int]]:
    """The indices ``0..count-1`` cut into consecutive runs of ``size``."""
    return [list(range(start, min(start + size, count))) for start in range(0, count, size)]


@lru_cache(maxsize=4)
def _job_function(payload: bytes) -> Callable[[Any], Any]:
    # Cached per worker process, so a job object's own caches survive from batch to batch.
    function: Callable[[Any], Any] = cloudpickle.loads(payload)
    return function


def run_batch(payload: bytes, batch: Batch) -> Batch:
    """Run one batch in a worker: the job function applied to each ``(index, item)``."""
    function = _job_function(payload)
    return [(index, function(item)) for index, item in batch]


class Backend(ABC):
    """Runs a job function over items, yielding ``(index, result)`` pairs as they finish."""

    kind: Kind

    @property
    @abstractmethod
    def workers(self) -> int:
        """How many jobs can run at once."""

    @abstractmethod
    def map_unordered(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        *,
        batch_size: int | None = None,
    ) -> Iterator[tuple[int, Result]]:
        """``(index, function(items[index]))`` for every item, in the order they finish.

        ``batch_size`` jobs go to a worker at a time (default: :func:`default_batch_size`).
        Stopping the iteration early (``break``, an interrupt) cancels the jobs not started.
        Raises :class:`JobsLost` at the end if some jobs kept killing their worker.
        """

    def describe(self) -> str:
        """One line for a summary, e.g. ``processes (2 workers)``."""
        return f"{self.kind} ({self.workers} worker{'s' if self.workers != 1 else ''})"

    def close(self) -> None:  # noqa: B027 - a backend with nothing to release keeps this
        """Release what the backend started (processes, a local cluster)."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class SerialBackend(Backend):
    """Every job in this process, one after the other: for debugging and tiny runs."""

    kind: Kind = "serial"

    @property
    def workers(self) -> int:
        return 1

    def map_unordered(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        *,
        batch_size: int | None = None,
    ) -> Iterator[tuple[int, Result]]:
        for index, item in enumerate(items):
            yield index, function(item)


def make_backend(
    kind: Kind = "processes",
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    connect_timeout: float = 5.0,
) -> Backend:
    """A backend by name; use it as a context manager so that it shuts down what it started.

    ``processes``: a local pool of ``workers`` processes (default: the CPUs available).
    ``dask``: ``scheduler="tcp://HOST:PORT"`` connects to a running Dask cluster;
    ``dask_local=N`` starts a local cluster of N worker processes for this run.
    """
    if kind not in KINDS:
        raise BackendError(f"unknown backend {kind!r}: choose one of {', '.join(KINDS)}")
    if workers is not None and workers < 1:
        raise BackendError(f"--workers must be at least 1, got {workers}")
    if kind != "dask" and (scheduler is not None or dask_local is not None):
        raise BackendError(f"--scheduler and --dask-local need --backend dask, not {kind}")
    if kind == "serial":
        return SerialBackend()
    if kind == "processes":
        from accord.tournament.process_pool import ProcessBackend

        return ProcessBackend(workers or available_cpus())
    from accord.tournament.dask_backend import DaskBackend

    if scheduler is not None and dask_local is not None:
        raise BackendError("give either --scheduler (an existing cluster) or --dask-local N")
    if dask_local is not None and dask_local < 1:
        raise BackendError(f"--dask-local must be at least 1, got {dask_local}")
    if scheduler is None:
        return DaskBackend.local(dask_local or workers or available_cpus())
    return DaskBackend.connect(scheduler, connect_timeout)


def available_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def collect(
    backend: Backend, function: Callable[[Item], Result], items: Iterable[Item]
) -> list[Result]:
    """Every result in the order of ``items`` (a convenience over :meth:`map_unordered`)."""
    listed = list(items)
    results: dict[int, Result] = dict(backend.map_unordered(function, listed))
    return [results[index] for index in range(len(listed))]
