"""The contract every backend keeps: each item's result once, with its index, whatever the order."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from accord.errors import AccordError
from accord.tournament.backends import (
    Backend,
    BackendError,
    batches,
    collect,
    default_batch_size,
    make_backend,
)
from backend_jobs import fail_on_three, square


@pytest.fixture(scope="module", params=["serial", "processes"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    with make_backend(request.param, workers=2) as started:
        yield started


def test_every_result_once_with_its_index(backend: Backend) -> None:
    pairs = list(backend.map_unordered(square, list(range(100)), batch_size=7))
    assert sorted(pairs) == [(i, i * i) for i in range(100)]


def test_collect_keeps_the_items_order(backend: Backend) -> None:
    assert collect(backend, square, range(30)) == [i * i for i in range(30)]


def test_a_closure_is_a_valid_job(backend: Backend) -> None:
    offset = 1000
    assert collect(backend, lambda value: value + offset, [1, 2, 3]) == [1001, 1002, 1003]


def test_no_items_no_results(backend: Backend) -> None:
    assert list(backend.map_unordered(square, [])) == []


def test_a_job_error_propagates_unchanged(backend: Backend) -> None:
    with pytest.raises(ValueError, match="job 3 is bad input"):
        collect(backend, fail_on_three, range(10))


def test_stopping_early_leaves_the_backend_usable(backend: Backend) -> None:
    for _ in backend.map_unordered(square, list(range(200)), batch_size=1):
        break
    assert collect(backend, square, range(5)) == [0, 1, 4, 9, 16]


def test_batches_cover_every_index_once() -> None:
    assert batches(7, 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert batches(0, 3) == []


def test_default_batch_size_gives_each_worker_several_batches() -> None:
    assert default_batch_size(10, 2) == 1
    assert default_batch_size(1600, 2) == 100
    assert default_batch_size(10**7, 2) == 256


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "threads"}, "unknown backend 'threads'"),
        ({"kind": "processes", "workers": 0}, "--workers must be at least 1"),
        ({"kind": "processes", "scheduler": "tcp://x:1"}, "need --backend dask"),
        ({"kind": "dask", "scheduler": "tcp://x:1", "dask_local": 2}, "either --scheduler"),
        ({"kind": "dask", "dask_local": 0}, "--dask-local must be at least 1"),
    ],
)
def test_bad_backend_options_are_refused(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(BackendError, match=message):
        make_backend(**arguments)  # type: ignore[arg-type]


def test_an_unreachable_scheduler_fails_within_seconds() -> None:
    started = time.monotonic()
    # Port 9 (discard) has no Dask scheduler on a test machine: the connection is refused.
    with pytest.raises(
        AccordError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        make_backend("dask", scheduler="tcp://127.0.0.1:9", connect_timeout=2)
    assert time.monotonic() - started < 10
