"""The local process pool: real worker processes, and what happens when one of them dies."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.tournament.backends import JobsLost, collect, make_backend
from accord.tournament.process_pool import ProcessBackend
from backend_jobs import die_on, die_once, pid_of_worker, square


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessBackend]:
    with make_backend("processes", workers=2) as backend:
        assert isinstance(backend, ProcessBackend)
        yield backend


def test_jobs_run_in_several_worker_processes(pool: ProcessBackend) -> None:
    pids = set(collect(pool, pid_of_worker, range(40)))
    assert len(pids) == 2


def test_a_worker_that_dies_once_loses_nothing(pool: ProcessBackend, tmp_path: Path) -> None:
    items = [(value, str(tmp_path)) for value in range(40)]
    results = dict(pool.map_unordered(die_once, items, batch_size=4))
    assert results == {value: value for value in range(40)}
    assert (tmp_path / "died").exists()


def test_a_job_that_always_kills_its_worker_is_reported_after_all_others(
    pool: ProcessBackend,
) -> None:
    items = [(value, 17) for value in range(40)]
    finished: dict[int, int] = {}
    with pytest.raises(JobsLost, match=r"1 job\(s\) lost: job\(s\) 17 killed") as lost:
        for index, result in pool.map_unordered(die_on, items, batch_size=4):
            finished[index] = result
    assert lost.value.indices == (17,)
    assert finished == {value: value for value in range(40) if value != 17}
    assert collect(pool, pid_of_worker, range(4))  # the pool was replaced and still works


def test_a_pool_that_broke_between_batches_is_replaced_before_the_next_one() -> None:
    # The race the retry must survive: a worker dies after the last wait, so the pool
    # refuses the next batch at submit (here, with nothing in flight on it).
    with make_backend("processes", workers=2) as backend:
        assert isinstance(backend, ProcessBackend)
        assert collect(backend, square, range(4)) == [0, 1, 4, 9]
        broken = backend._executor()
        for process in list(broken._processes.values()):
            process.kill()
        deadline = time.monotonic() + 10
        while not broken._broken and time.monotonic() < deadline:
            time.sleep(0.01)
        assert broken._broken
        assert collect(backend, square, range(6)) == [0, 1, 4, 9, 16, 25]
        assert backend._pool is not broken
