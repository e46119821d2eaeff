"""The Dask backend on a real LocalCluster with two worker processes (one per test module)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import dask
import pytest
from distributed import LocalCluster

from accord.tournament.backends import Backend, BackendError, JobsLost, collect, make_backend
from backend_jobs import die_on, die_once, fail_on_three, pid_of_worker, square

# Dask warns when a busy machine is slow to create a worker's scratch folder: not a fault.
pytestmark = pytest.mark.filterwarnings("ignore:Creating scratch directories:UserWarning")


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    # One death per task before Dask gives up on it (3 by default): keeps the fault tests fast.
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as started,
    ):
        yield started


@pytest.fixture(scope="module")
def backend(cluster: LocalCluster) -> Iterator[Backend]:
    with make_backend("dask", scheduler=cluster.scheduler_address) as connected:
        yield connected


def test_every_result_once_with_its_index(backend: Backend) -> None:
    pairs = list(backend.map_unordered(square, list(range(200)), batch_size=9))
    assert sorted(pairs) == [(i, i * i) for i in range(200)]
    assert backend.workers == 2
    assert backend.describe().startswith("dask (2 worker threads, tcp://")


def test_jobs_run_in_both_worker_processes(backend: Backend) -> None:
    assert len(set(collect(backend, pid_of_worker, range(40)))) == 2


def test_a_job_error_propagates_unchanged(backend: Backend) -> None:
    with pytest.raises(ValueError, match="job 3 is bad input"):
        collect(backend, fail_on_three, range(10))


def test_a_worker_that_dies_once_loses_nothing(backend: Backend, tmp_path: Path) -> None:
    items = [(value, str(tmp_path)) for value in range(30)]
    results = dict(backend.map_unordered(die_once, items, batch_size=3))
    assert results == {value: value for value in range(30)}
    assert (tmp_path / "died").exists()


def test_a_job_that_always_kills_its_worker_is_reported_after_all_others(
    backend: Backend,
) -> None:
    items = [(value, 11) for value in range(30)]
    finished: dict[int, int] = {}
    with pytest.raises(JobsLost, match=r"job\(s\) 11 killed") as lost:
        for index, result in backend.map_unordered(die_on, items, batch_size=3):
            finished[index] = result
    assert lost.value.indices == (11,)
    assert finished == {value: value for value in range(30) if value != 11}


def test_a_local_cluster_of_our_own_is_closed_with_the_backend() -> None:
    with make_backend("dask", dask_local=1) as local:
        assert collect(local, square, range(5)) == [0, 1, 4, 9, 16]
        assert local.describe() == "dask (1 worker thread, local cluster)"


def test_a_scheduler_without_workers_is_refused_within_seconds() -> None:
    with LocalCluster(n_workers=0, processes=True, dashboard_address=":0") as empty:
        started = time.monotonic()
        with pytest.raises(BackendError, match="has no workers"):
            make_backend("dask", scheduler=empty.scheduler_address, connect_timeout=1)
        assert time.monotonic() - started < 10
