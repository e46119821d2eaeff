"""The local backend: a pool of worker processes on this machine (the default backend).

Workers are started with ``forkserver``: forking a process that already runs threads (a
Dask client, a progress bar) can deadlock, and ``spawn`` would re-import everything for
each worker. When a worker dies, Python marks the whole pool broken and fails every batch
in flight; the batches that had finished keep their results, the others are retried on a
new pool (see :mod:`accord.tournament.backends` for the retry rule).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import cloudpickle

from accord.tournament.backends import (
    Backend,
    Batch,
    Item,
    JobsLost,
    Kind,
    Result,
    batches,
    default_batch_size,
    run_batch,
)

# Batches queued per worker: keeps every worker busy without pickling the whole run upfront.
IN_FLIGHT_PER_WORKER = 2


class ProcessBackend(Backend):
    """A pool of ``workers`` local processes, started on first use and kept until closed."""

    kind: Kind = "processes"

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._context = multiprocessing.get_context("forkserver")

    @property
    def workers(self) -> int:
        return self._workers

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self._workers, mp_context=self._context)
        return self._pool

    def _discard_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map_unordered(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        *,
        batch_size: int | None = None,
    ) -> Iterator[tuple[int, Result]]:
        payload = cloudpickle.dumps(function)
        size = batch_size or default_batch_size(len(items), self._workers)
        queue = deque(batches(len(items), size))
        lost_once: set[int] = set()
        to_run_alone: list[int] = []
        in_flight: dict[Future[Batch], list[int]] = {}
        try:
            while queue or in_flight:
                while queue and len(in_flight) < self._workers * IN_FLIGHT_PER_WORKER:
                    indices = queue.popleft()
                    batch = [(index, items[index]) for index in indices]
                    try:
                        future = self._executor().submit(run_batch, payload, batch)
                    except BrokenProcessPool:
                        # A worker died since the last wait and the pool refuses new
                        # batches: the ones in flight on it fail and are retried below,
                        # then this one goes to a new pool.
                        queue.appendleft(indices)
                        if in_flight:
                            break
                        self._discard_pool()
                        continue
                    in_flight[future] = indices
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                if any(isinstance(future.exception(), BrokenProcessPool) for future in done):
                    # The pool is gone: every batch still in flight fails within moments.
                    done, _ = wait(in_flight)
                    self._discard_pool()
                for future in done:
                    indices = in_flight.pop(future)
                    error = future.exception()
                    if error is None:
                        yield from future.result()
                    elif not isinstance(error, BrokenProcessPool):
                        raise error
                    else:
                        for index in indices:
                            if index in lost_once:
                                to_run_alone.append(index)
                            else:
                                lost_once.add(index)
                                queue.append([index])
        finally:
            for future in in_flight:
                future.cancel()
        lost: list[int] = []
        for index in to_run_alone:
            result = self._run_alone(payload, index, items[index])
            if result is None:
                lost.append(index)
            else:
                yield from result
        if lost:
            raise JobsLost(lost, "a local worker process died")

    def _run_alone(self, payload: bytes, index: int, item: Any) -> Batch | None:
        """The job in a pool of its own, so that only it can kill its worker; None if it did."""
        with ProcessPoolExecutor(1, mp_context=self._context) as alone:
            future = alone.submit(run_batch, payload, [(index, item)])
            try:
                return future.result()
            except BrokenProcessPool:
                return None
