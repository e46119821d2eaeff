"""Running a tournament: results written as jobs finish, the same on every backend, resumable."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import dask
import pytest
from distributed import LocalCluster

from accord.errors import AccordError
from accord.tournament.backends import JobsLost, SerialBackend, make_backend
from accord.tournament.config import TournamentConfig, load_config
from accord.tournament.results import ResultSet
from accord.tournament.run import run_tournament

# Dask warns when a busy machine is slow to create a worker's scratch folder: not a fault.
pytestmark = pytest.mark.filterwarnings("ignore:Creating scratch directories:UserWarning")

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> TournamentConfig:
    folder = tmp_path_factory.mktemp("config")
    for name in ("logrolling-two-issues.yaml", "camp-david-1978.yaml"):
        (folder / name).write_text((EXAMPLES / name).read_text(encoding="utf-8"), "utf-8")
    path = folder / "tournament.yaml"
    path.write_text(
        "scenarios: [logrolling-two-issues.yaml, camp-david-1978.yaml]\n"
        "strategies: [boulware, linear, hardliner]\nrepetitions: 2\nseed: 5\ndeadline: 40\n",
        encoding="utf-8",
    )
    return load_config(path)


JOBS = 2 * (3**2 + 3**3)  # repetitions × (two-party + three-party assignments)


@pytest.fixture(scope="module")
def reference(config: TournamentConfig, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The rows of an uninterrupted serial run."""
    folder = tmp_path_factory.mktemp("reference")
    outcome = run_tournament(config, SerialBackend(), folder)
    assert (outcome.total, outcome.already_done, outcome.ran) == (JOBS, 0, JOBS)
    return ResultSet.load(folder).sorted_rows()


def test_every_job_writes_a_row_per_party(reference: list[dict[str, Any]]) -> None:
    assert len(reference) == 2 * (9 * 2 + 27 * 3)
    assert len({row["job_id"] for row in reference}) == JOBS


def test_an_interrupted_run_resumes_without_redoing_finished_jobs(
    config: TournamentConfig, reference: list[Any], tmp_path: Path
) -> None:
    def interrupt_after_20(done: int, total: int) -> None:
        if done >= 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_tournament(config, SerialBackend(), tmp_path, interrupt_after_20, flush_jobs=7)
    saved = ResultSet.load(tmp_path).jobs
    assert saved == 20  # the jobs finished before the interruption were all written
    assert len(list((tmp_path / "parts").glob("*.parquet"))) == 3  # 7 + 7 + the last 6
    seen: list[int] = []
    resumed = run_tournament(config, SerialBackend(), tmp_path, lambda done, _: seen.append(done))
    assert (resumed.already_done, resumed.ran) == (20, JOBS - 20)
    assert seen[0] == 20 and seen[-1] == JOBS
    assert ResultSet.load(tmp_path).sorted_rows() == reference
    again = run_tournament(config, SerialBackend(), tmp_path)
    assert again.ran == 0


def test_the_process_pool_gives_the_same_results(
    config: TournamentConfig, reference: list[Any], tmp_path: Path
) -> None:
    with make_backend("processes", workers=2) as backend:
        run_tournament(config, backend, tmp_path, batch_size=5)
    assert ResultSet.load(tmp_path).sorted_rows() == reference


def test_a_dask_cluster_gives_the_same_results(
    config: TournamentConfig, reference: list[Any], tmp_path: Path
) -> None:
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        make_backend("dask", scheduler=cluster.scheduler_address) as backend,
    ):
        run_tournament(config, backend, tmp_path, batch_size=5)
    assert ResultSet.load(tmp_path).sorted_rows() == reference


def test_results_written_with_other_settings_are_refused(
    config: TournamentConfig, tmp_path: Path
) -> None:
    (tmp_path / "tournament.json").write_text(
        '{"format": 2, "protocol": "alternating", "seed": 99, "deadline": 40, "mediator": null}',
        "utf-8",
    )
    with pytest.raises(AccordError, match=r"other settings \(seed 99 ≠ 5\)"):
        run_tournament(config, SerialBackend(), tmp_path)
    # Rows of the first format have no best_utility to normalise by: not mixed in either.
    (tmp_path / "tournament.json").write_text(
        '{"format": 1, "protocol": "alternating", "seed": 5, "deadline": 40, "mediator": null}',
        "utf-8",
    )
    with pytest.raises(AccordError, match=r"other settings \(format 1 ≠ 2\)"):
        run_tournament(config, SerialBackend(), tmp_path)


class LosingBackend(SerialBackend):
    """Serial, except that job 3 'kills its worker': reported after every other result."""

    def map_unordered(
        self, function: Callable[[Any], Any], items: Sequence[Any], *, batch_size: int | None = None
    ) -> Iterator[tuple[int, Any]]:
        for index, item in enumerate(items):
            if index != 3:
                yield index, function(item)
        raise JobsLost([3], "a test worker died")


def test_lost_jobs_are_reported_and_retried_by_the_next_run(
    config: TournamentConfig, reference: list[Any], tmp_path: Path
) -> None:
    with pytest.raises(AccordError, match=rf"1 job\(s\) killed .* the {JOBS - 1} finished"):
        run_tournament(config, LosingBackend(), tmp_path)
    assert ResultSet.load(tmp_path).jobs == JOBS - 1
    assert run_tournament(config, SerialBackend(), tmp_path).ran == 1
    assert ResultSet.load(tmp_path).sorted_rows() == reference


def test_loading_a_folder_that_holds_no_results(tmp_path: Path) -> None:
    with pytest.raises(AccordError, match="not a tournament results folder"):
        ResultSet.load(tmp_path)


def test_the_examples_tournament_runs(tmp_path: Path) -> None:
    config = load_config(EXAMPLES / "tournament-examples.yaml")
    outcome = run_tournament(config, SerialBackend(), tmp_path)
    summary = ResultSet.load(tmp_path).summary()
    assert outcome.ran == summary.jobs == 300
    assert len(summary.standings) == 5
    assert 0.0 < summary.agreement_rate < 1.0
