"""Tournament throughput on 1 and 2 local Dask workers, and a 10,800-negotiation tournament.

Both parts use ``examples/tournament-genius.yaml``: 15 shared GENIUS domains (12 bilateral,
3 three-party), 6 strategies in every role with self-play, alternating offers, deadline 100.

1. Scaling: the first ``--scaling-repetitions`` repetitions of that grid (1,080 jobs each)
   on a LocalCluster of 1 and one of 2 single-threaded worker processes. Both clusters are
   started and warmed up outside the timing (each worker analyses each domain once: the
   frontier and Nash point); the timed part is ``Backend.map_unordered`` over the jobs,
   with the default batching, ``--repeats`` times on each cluster in turns (1, 2, 1, 2,
   ...) so that both see the same background load. Reported: the median jobs per second of
   each and their ratio, measured in the same run. A ratio near 2 needs two idle cores: on
   a shared machine it measures the share of the second core we got.
   The wall-clock ratio depends on how busy the machine is; the worker CPU time per job
   does not, and is printed too: the same CPU per job with 2 workers as with 1 means no
   overhead grows with the workers, so two idle cores give twice the throughput.
2. The whole configured tournament (10 repetitions, 10,800 negotiations) through
   ``run_tournament`` (results written to Parquet as they finish, then summarised), on a
   LocalCluster of ``--workers`` workers and on a process pool of as many, each timed from
   the start of the backend to the summary.

    python benchmarks/bench_tournament.py                    # both parts
    python benchmarks/bench_tournament.py --skip-full        # scaling only
    python benchmarks/bench_tournament.py --scaling-repetitions 1 --workers 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from accord.tournament.backends import Backend, make_backend
from accord.tournament.config import TournamentConfig, load_config
from accord.tournament.dask_backend import DaskBackend
from accord.tournament.jobs import Job, plan_jobs
from accord.tournament.play import JobPlayer
from accord.tournament.results import ResultSet
from accord.tournament.run import run_tournament

CONFIG = Path(__file__).resolve().parents[1] / "examples" / "tournament-genius.yaml"


def warm_up(backend: Backend, player: JobPlayer, jobs: list[Job]) -> None:
    """Let every worker analyse every domain once, outside the timing."""
    first_per_scenario = list({job.scenario: job for job in jobs}.values())
    for _ in backend.map_unordered(player, first_per_scenario * backend.workers * 2, batch_size=1):
        pass


def workers_cpu(backend: DaskBackend) -> float:
    """CPU seconds used so far by all the cluster's worker processes."""
    return sum(backend.client.run(time.process_time).values())


def timed(backend: DaskBackend, player: JobPlayer, jobs: list[Job]) -> tuple[float, float, float]:
    """Wall seconds; CPU seconds of the workers; of this process (client and scheduler)."""
    started, cpu, worker_cpu = time.perf_counter(), time.process_time(), workers_cpu(backend)
    finished = sum(1 for _ in backend.map_unordered(player, jobs))
    assert finished == len(jobs)
    wall = time.perf_counter() - started
    return wall, workers_cpu(backend) - worker_cpu, time.process_time() - cpu


def scaling(player: JobPlayer, jobs: list[Job], repeats: int) -> None:
    """Median jobs per second on 1 and on 2 workers, timed in turns so that both see the
    same background load."""
    with DaskBackend.local(1) as one, DaskBackend.local(2) as two:
        for backend in (one, two):
            warm_up(backend, player, jobs)
        times: dict[int, list[float]] = {1: [], 2: []}
        cpu_per_job: dict[int, list[float]] = {1: [], 2: []}
        for turn in range(repeats):
            for workers, backend in ((1, one), (2, two)):
                seconds, worker_cpu, cpu = timed(backend, player, jobs)
                times[workers].append(seconds)
                cpu_per_job[workers].append(worker_cpu / len(jobs))
                rate = len(jobs) / seconds
                # The share of the wall time the workers were on a CPU: below 100% they
                # waited, for work or (on a shared machine) for a core.
                busy = worker_cpu / (seconds * workers)
                print(
                    f"  turn {turn + 1}, {workers} worker(s): {seconds:.2f} s = {rate:.0f} jobs/s;"
                    f" workers on a CPU {busy:.0%} of the time; client+scheduler CPU {cpu:.2f} s"
                )
    rates = {workers: len(jobs) / statistics.median(t) for workers, t in times.items()}
    best = {workers: len(jobs) / min(t) for workers, t in times.items()}
    print(
        f"  median: 1 worker {rates[1]:.0f} jobs/s, 2 workers {rates[2]:.0f} jobs/s: "
        f"speed-up {rates[2] / rates[1]:.2f}x (target 1.8x); "
        f"best turns: {best[2] / best[1]:.2f}x"
    )
    # Worker CPU per job does not depend on how busy the machine is: if two workers spend no
    # more CPU per job than one, two idle cores run the tournament twice as fast.
    cpu = {workers: statistics.median(values) for workers, values in cpu_per_job.items()}
    print(
        f"  worker CPU per job (median): 1 worker {cpu[1] * 1000:.3f} ms, "
        f"2 workers {cpu[2] * 1000:.3f} ms: on two idle cores, "
        f"{2 * cpu[1] / cpu[2]:.2f}x"
    )


def full_tournament(config: TournamentConfig, kind: str, workers: int) -> None:
    """The whole configured tournament, results written and summarised, timed end to end."""
    folder = Path(tempfile.mkdtemp(prefix="accord-tournament-"))
    try:
        started = time.perf_counter()
        if kind == "dask":
            backend: Backend = make_backend("dask", dask_local=workers)
        else:
            backend = make_backend("processes", workers=workers)
        with backend:
            outcome = run_tournament(config, backend, folder)
            where = backend.describe()
        summary = ResultSet.load(folder).summary()
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"Full tournament: {summary.jobs} negotiations ({outcome.ran} run) on {where} in "
        f"{seconds:.1f} s ({summary.jobs / seconds:.0f} negotiations/s, start-up and summary "
        f"included; load average {os.getloadavg()[0]:.2f}); agreement rate "
        f"{summary.agreement_rate:.1%}, best by mean utility: {summary.rankings['utility'][0]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaling-repetitions", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-full", action="store_true")
    parser.add_argument("--full-backends", default="dask,processes")
    arguments = parser.parse_args()
    config = load_config(CONFIG)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    # In job id order, as run_tournament runs them: scenarios and strategies mixed.
    jobs = sorted(
        (job for job in plan_jobs(config) if job.repetition < arguments.scaling_repetitions),
        key=lambda job: job.job_id,
    )
    player = JobPlayer(config.scenarios, config.protocol, config.deadline, config.mediator)
    print(f"Scaling on local Dask workers ({len(jobs)} negotiations, analysis warmed up):")
    scaling(player, jobs, arguments.repeats)
    if arguments.skip_full:
        return
    for kind in arguments.full_backends.split(","):
        full_tournament(config, kind, arguments.workers)
    print(f"machine load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
