"""Run a tournament on a backend, writing results as they finish and resuming where it stopped."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from accord.errors import AccordError
from accord.tournament.backends import Backend, JobsLost
from accord.tournament.config import TournamentConfig
from accord.tournament.jobs import Job, plan_jobs
from accord.tournament.play import JobPlayer, Row
from accord.tournament.store import ResultStore

# Results are written when this many jobs have finished or this many seconds have passed
# since the last write, whichever comes first: few files, little lost to an interruption.
FLUSH_JOBS = 500
FLUSH_SECONDS = 5.0

Progress = Callable[[int, int], None]  # (jobs done, jobs in the tournament)


@dataclass(frozen=True)
class RunOutcome:
    """How many jobs the tournament has, how many were already done, how many ran now."""

    total: int
    already_done: int
    ran: int
    seconds: float


def run_tournament(
    config: TournamentConfig,
    backend: Backend,
    folder: Path,
    progress: Progress | None = None,
    *,
    flush_jobs: int = FLUSH_JOBS,
    flush_seconds: float = FLUSH_SECONDS,
    batch_size: int | None = None,
) -> RunOutcome:
    """Run every job not yet in ``folder``; on any interruption, keep what has finished.

    An exception from ``progress`` (or Ctrl-C) stops the run after the finished results
    are written. Jobs that kept killing their worker are reported in an :class:`AccordError`
    after the others are written; running again retries them.
    """
    started = time.monotonic()
    store = ResultStore(folder, config)
    jobs = plan_jobs(config)
    finished = store.finished_job_ids()
    # Job ids are digests: in their order, scenarios and strategies are mixed, so that every
    # batch costs about the same and no worker is left with a batch of the slowest jobs.
    pending: list[Job] = sorted(
        (job for job in jobs if job.job_id not in finished), key=lambda job: job.job_id
    )
    done = len(jobs) - len(pending)
    if progress is not None:
        progress(done, len(jobs))
    player = JobPlayer(config.scenarios, config.protocol, config.deadline, config.mediator)
    buffer: list[Row] = []
    buffered_jobs = 0
    last_flush = time.monotonic()
    ran = 0
    try:
        for _, rows in backend.map_unordered(player, pending, batch_size=batch_size):
            buffer.extend(rows)
            buffered_jobs += 1
            ran += 1
            if buffered_jobs >= flush_jobs or time.monotonic() - last_flush >= flush_seconds:
                store.append(buffer)
                buffer, buffered_jobs, last_flush = [], 0, time.monotonic()
            if progress is not None:
                progress(done + ran, len(jobs))
    except JobsLost as lost:
        store.append(buffer)
        buffer = []
        names = ", ".join(pending[i].job_id for i in lost.indices[:5])
        raise AccordError(
            f"{len(lost.indices)} job(s) killed the worker running them ({names}); the "
            f"{done + ran} finished are saved in {folder}: run again to retry the others"
        ) from lost
    finally:
        store.append(buffer)
    return RunOutcome(len(jobs), done, ran, time.monotonic() - started)
