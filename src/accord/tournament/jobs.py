"""A tournament's grid of jobs, each with an identity and a seed of its own.

Jobs = scenarios × strategy assignments over all role permutations × repetitions. A job's
seed comes from ``SeedSequence(master seed, spawn_key=digest of the job's identity)``: it
depends on nothing but the master seed and what the job is (scenario, who plays which
party, repetition), so the same job gets the same seed in every run, whatever the order
the jobs run in, whatever other scenarios or strategies the tournament has, and a resumed
run redoes nothing.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from accord.tournament.config import TournamentConfig

# A seed fits Parquet's int64 and numpy's SeedSequence.
SEED_BITS = 63


@dataclass(frozen=True)
class Job:
    """One negotiation of the grid: which scenario, who plays whom, which repetition."""

    job_id: str
    scenario: str  # the scenario's label (its path as written in the configuration)
    assignment: tuple[tuple[str, str], ...]  # (party id, strategy name), in seat order
    repetition: int
    seed: int


def identity(scenario: str, assignment: tuple[tuple[str, str], ...], repetition: int) -> str:
    return json.dumps([scenario, [list(pair) for pair in assignment], repetition])


def job_seed(master_seed: int, job_identity: str) -> int:
    """The seed of the job with this identity, spawned from the master seed."""
    digest = hashlib.sha256(job_identity.encode("utf-8")).digest()
    spawn_key = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    sequence = np.random.SeedSequence(master_seed, spawn_key=spawn_key)
    words = sequence.generate_state(2, dtype=np.uint32)
    return (int(words[0]) | int(words[1]) << 32) & ((1 << SEED_BITS) - 1)


def make_job(
    master_seed: int, scenario: str, assignment: tuple[tuple[str, str], ...], repetition: int
) -> Job:
    key = identity(scenario, assignment, repetition)
    job_id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    return Job(job_id, scenario, assignment, repetition, job_seed(master_seed, key))


def plan_jobs(config: TournamentConfig) -> list[Job]:
    """Every job of the tournament, in a fixed order (scenario, assignment, repetition)."""
    jobs: list[Job] = []
    for label in config.scenarios:
        seats = config.seats(label)
        choices: Iterable[tuple[str, ...]] = (
            itertools.product(config.strategies, repeat=len(seats))
            if config.self_play
            else itertools.permutations(config.strategies, len(seats))
        )
        for chosen in choices:
            assignment = tuple(zip(seats, chosen, strict=True))
            for repetition in range(config.repetitions):
                jobs.append(make_job(config.seed, label, assignment, repetition))
    return jobs
