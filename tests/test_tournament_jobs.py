"""The grid: every role permutation, and a seed per job that depends only on what the job is."""

from __future__ import annotations

from pathlib import Path

from accord.tournament.config import TournamentConfig, load_config
from accord.tournament.jobs import job_seed, make_job, plan_jobs

EXAMPLES = Path(__file__).parent.parent / "examples"


def configured(tmp_path: Path, strategies: str, self_play: bool, seed: int = 7) -> TournamentConfig:
    (tmp_path / "two.yaml").write_text(
        (EXAMPLES / "logrolling-two-issues.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "three.yaml").write_text(
        (EXAMPLES / "camp-david-1978.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    path = tmp_path / "t.yaml"
    path.write_text(
        f"scenarios: [two.yaml, three.yaml]\nstrategies: [{strategies}]\nrepetitions: 2\n"
        f"seed: {seed}\nself_play: {'true' if self_play else 'false'}\n",
        encoding="utf-8",
    )
    return load_config(path)


def test_every_role_permutation_times_the_repetitions(tmp_path: Path) -> None:
    jobs = plan_jobs(configured(tmp_path, "boulware, linear, hardliner", self_play=False))
    two = [job for job in jobs if job.scenario == "two.yaml"]
    three = [job for job in jobs if job.scenario == "three.yaml"]
    assert len(two) == 3 * 2 * 2  # ordered pairs of distinct strategies, two repetitions
    assert len(three) == 3 * 2 * 1 * 2
    pairs = {tuple(name for _, name in job.assignment) for job in two}
    assert ("boulware", "linear") in pairs
    assert ("linear", "boulware") in pairs
    assert all(len(set(names)) == 2 for names in pairs)
    assert {job.assignment[0][0] for job in two} == {"candidate"}


def test_self_play_adds_the_mirror_matches(tmp_path: Path) -> None:
    jobs = plan_jobs(configured(tmp_path, "boulware, linear", self_play=True))
    assert len(jobs) == (2**2 + 2**3) * 2
    assert len({job.job_id for job in jobs}) == len(jobs)
    assert len({job.seed for job in jobs}) == len(jobs)


def test_a_job_keeps_its_seed_when_the_grid_grows(tmp_path: Path) -> None:
    small = {job.job_id: job.seed for job in plan_jobs(configured(tmp_path, "linear", True))}
    large = {
        job.job_id: job.seed
        for job in plan_jobs(configured(tmp_path, "boulware, linear, conceder", True))
    }
    assert small.items() <= large.items()


def test_the_seed_follows_the_master_seed() -> None:
    first = make_job(1, "s.yaml", (("a", "linear"), ("b", "boulware")), 0)
    again = make_job(1, "s.yaml", (("a", "linear"), ("b", "boulware")), 0)
    other = make_job(2, "s.yaml", (("a", "linear"), ("b", "boulware")), 0)
    swapped = make_job(1, "s.yaml", (("a", "boulware"), ("b", "linear")), 0)
    assert first == again
    assert first.job_id == other.job_id
    assert len({first.seed, other.seed, swapped.seed}) == 3
    assert 0 <= first.seed < 2**63
    assert job_seed(1, "x") == job_seed(1, "x") != job_seed(1, "y")
