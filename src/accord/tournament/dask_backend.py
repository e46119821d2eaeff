"""The Dask backend: an existing cluster (``tcp://HOST:PORT``) or a local cluster of our own.

Workers must have Accord installed (the same version), as with any Dask cluster. Dask itself
reschedules the tasks of a worker that dies and, after ``allowed-failures`` deaths
(``distributed.scheduler.allowed-failures``, 3 by default), fails the task with
``KilledWorker``. Dask blames every task the worker held, not only the one running (a
worker is sent a little more work than it has threads), so: a batch that fails so is split
and its jobs retried one by one; a single job that fails so is run again alone on the
cluster once everything else has finished, and reported only if it fails there too.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import cloudpickle
from distributed import Client, Future, LocalCluster, as_completed
from distributed.scheduler import KilledWorker

from accord.tournament.backends import (
    Backend,
    BackendError,
    Item,
    JobsLost,
    Kind,
    Result,
    batches,
    default_batch_size,
    run_batch,
)

if TYPE_CHECKING:
    from accord.tournament.backends import Batch

# Batches queued per worker thread: a worker never waits for the client to send the next.
IN_FLIGHT_PER_WORKER = 4


class DaskBackend(Backend):
    """Jobs on a Dask cluster through ``client``; closes the cluster too when it started it."""

    kind: Kind = "dask"

    def __init__(self, client: Client, cluster: LocalCluster | None = None) -> None:
        self._client = client
        self._cluster = cluster

    @classmethod
    def connect(cls, address: str, timeout: float = 5.0) -> DaskBackend:
        """A backend on the running cluster whose scheduler listens at ``address``."""
        try:
            client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, ValueError, TypeError) as error:
            raise BackendError(
                f"cannot reach the Dask scheduler at {address} within {timeout:g} s: {error}. "
                "Is the scheduler running (dask scheduler) and the address tcp://HOST:PORT?"
            ) from error
        try:
            # A scheduler without workers would take the jobs and never run them.
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as error:
            client.close()
            raise BackendError(
                f"the Dask scheduler at {address} has no workers (waited {timeout:g} s): "
                "start some with dask worker " + address
            ) from error
        return cls(client)

    @classmethod
    def local(cls, workers: int) -> DaskBackend:
        """A backend on a new local cluster of ``workers`` single-threaded worker processes."""
        with _workers_ignore_ctrl_c():
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,  # jobs are pure Python and numpy: processes, not threads
                processes=True,
                dashboard_address=":0",  # any free port: 8787 may be taken by another cluster
                # Dask's warnings (a cancelled task, a restarted worker) are not the user's
                # business here: the backend reports the faults that matter.
                silence_logs=logging.ERROR,
            )
        return cls(Client(cluster, set_as_default=False), cluster)

    @property
    def client(self) -> Client:
        """The Dask client, for what the backend API does not cover (e.g. ``client.run``)."""
        return self._client

    @property
    def address(self) -> str:
        return str(self._client.scheduler_info().get("address", "?"))

    @property
    def workers(self) -> int:
        threads: dict[str, int] = self._client.nthreads()
        return max(1, sum(threads.values()))

    def describe(self) -> str:
        where = "local cluster" if self._cluster is not None else self.address
        plural = "s" if self.workers != 1 else ""
        return f"dask ({self.workers} worker thread{plural}, {where})"

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map_unordered(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        *,
        batch_size: int | None = None,
    ) -> Iterator[tuple[int, Result]]:
        payload = cloudpickle.dumps(function)
        workers = self.workers
        size = batch_size or default_batch_size(len(items), workers)
        queue = deque(batches(len(items), size))
        indices_of: dict[str, list[int]] = {}
        in_flight: dict[str, Future[Batch]] = {}
        running = as_completed(loop=self._client.loop)
        to_run_alone: list[int] = []

        def submit_more() -> None:
            while queue and len(indices_of) < workers * IN_FLIGHT_PER_WORKER:
                indices = queue.popleft()
                batch = [(index, items[index]) for index in indices]
                future = self._client.submit(run_batch, payload, batch, pure=False)
                indices_of[str(future.key)] = indices
                in_flight[str(future.key)] = future
                running.add(future)

        submit_more()
        try:
            for future in running:
                indices = indices_of.pop(str(future.key))
                del in_flight[str(future.key)]
                if future.status == "finished":
                    results: Batch = future.result()
                    future.release()
                    yield from results
                else:
                    # An error, or a future lost with its worker (no exception to read).
                    error = future.exception() if future.status == "error" else None
                    if error is not None and not isinstance(error, KilledWorker):
                        raise error
                    if len(indices) == 1:
                        to_run_alone.extend(indices)
                    else:
                        queue.extend([index] for index in indices)
                submit_more()
        finally:
            running.clear()
            if in_flight:  # stopped early: the jobs not started are not wanted any more
                self._client.cancel(list(in_flight.values()))
        lost: list[int] = []
        for index in to_run_alone:
            # Alone on the cluster, so that no other task shares the blame for a death.
            future = self._client.submit(run_batch, payload, [(index, items[index])], pure=False)
            try:
                alone: Batch = future.result()
            except KilledWorker:
                lost.append(index)
            else:
                yield from alone
        if lost:
            raise JobsLost(lost, "a Dask worker died each time it ran them")


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start worker processes with Ctrl-C ignored (a disposition they inherit): Ctrl-C in a
    terminal reaches the whole process group, and each worker would print a traceback; here
    this process stops the run and closes the cluster, which ends the workers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
