"""Each drawn profile's answer against brute force over every package (tests/oracle.py)."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.compiled import compile_scenario
from accord.robustness.profile import (
    BlockingCondition,
    ProfileJob,
    answer_profile,
    draw_profile,
    profile_rng,
)
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from oracle import ACCEPT_TOLERANCE, Oracle

DATA = Path(__file__).parent / "data"
SEED = 11
SAMPLES = 40


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(DATA / "small-uncertain.yaml")


def _holds(scenario: Scenario, oracle: Oracle) -> dict[BlockingCondition, np.ndarray]:
    """For every voter's red line and reservation value, which packages respect it, worked
    out from the profile's own numbers and option ids."""
    chosen = {
        issue.id: np.array([o.id for o in issue.options])[oracle.packages[:, i]]
        for i, issue in enumerate(scenario.issues)
    }
    holds: dict[BlockingCondition, np.ndarray] = {}
    for index, party_id in enumerate(oracle.compiled.party_ids):
        preferences = scenario.party(party_id).preferences
        assert preferences is not None
        reservation = BlockingCondition(party_id, "reservation", "reservation value")
        holds[reservation] = oracle.utilities[index] >= preferences.reservation - ACCEPT_TOLERANCE
        for red_line in preferences.red_lines:
            crossed = np.ones(len(oracle.packages), dtype=bool)
            for issue_id, picked in red_line.options.items():
                listed = [picked] if isinstance(picked, str) else list(picked)
                crossed &= np.isin(chosen[issue_id], listed)
            label = red_line.label or " and ".join(
                f"{issue_id} = {picked}" for issue_id, picked in red_line.options.items()
            )
            holds[BlockingCondition(party_id, "red_line", label)] = ~crossed
    return holds


def _some_package_respects(holds: dict[BlockingCondition, np.ndarray], kept: list) -> bool:
    mask = np.ones(len(next(iter(holds.values()))), dtype=bool)
    for condition in kept:
        mask &= holds[condition]
    return bool(mask.any())


def test_every_profile_answer_equals_brute_force(scenario: Scenario) -> None:
    kinds = set()
    job = ProfileJob(scenario, SEED)
    for index in range(SAMPLES):
        profile = draw_profile(scenario, SEED, index)
        compiled = compile_scenario(profile)
        oracle = Oracle(profile, compiled)
        answer = job(index)
        assert answer == answer_profile(compiled, index)
        assert answer.feasible == oracle.any_feasible
        if answer.feasible:
            kinds.add("deal")
            best = oracle.max_nash_log_product()
            if best is None:
                assert answer.nash_package is None
                continue
            assert answer.nash_package is not None
            package = np.array(answer.nash_package)
            assert oracle.is_feasible(package)
            value = oracle.nash_log_product_of(compiled.utilities(package))
            assert value == pytest.approx(best, abs=1e-7)
            continue
        kinds.add("no deal")
        holds = _holds(profile, oracle)
        conditions = list(holds)
        # The conflict cannot hold together, and it is minimal.
        assert answer.conflict
        assert not _some_package_respects(holds, list(answer.conflict))
        for dropped in answer.conflict:
            assert _some_package_respects(holds, [c for c in answer.conflict if c != dropped])
        # Every listed relaxation is as small as possible and opens a package.
        smallest = min(
            size
            for size in range(len(conditions) + 1)
            for relaxed in combinations(conditions, size)
            if _some_package_respects(holds, [c for c in conditions if c not in relaxed])
        )
        assert answer.relaxations
        for relaxation in answer.relaxations:
            assert len(relaxation) == smallest
            assert _some_package_respects(holds, [c for c in conditions if c not in relaxation])
        if any(c.kind == "red_line" for c in answer.conflict):
            kinds.add("red line blocks")
    assert kinds == {"deal", "no deal", "red line blocks"}


def test_a_sample_depends_only_on_the_master_seed_and_its_index(scenario: Scenario) -> None:
    # The i-th child of SeedSequence(seed).spawn(n), whatever n is.
    children = np.random.SeedSequence(SEED).spawn(5)
    for index, child in enumerate(children):
        expected = np.random.default_rng(child).random(3)
        assert np.array_equal(profile_rng(SEED, index).random(3), expected)
    assert draw_profile(scenario, SEED, 3) == draw_profile(scenario, SEED, 3)
    assert draw_profile(scenario, SEED, 3) != draw_profile(scenario, SEED, 4)
    assert draw_profile(scenario, SEED, 3) != draw_profile(scenario, SEED + 1, 3)


def test_a_certain_scenario_is_answered_once_and_renumbered() -> None:
    certain = load_scenario(Path(__file__).parent.parent / "examples" / "camp-david-1978.yaml")
    job = ProfileJob(certain, SEED)
    answers = [job(index) for index in range(3)]
    assert [answer.index for answer in answers] == [0, 1, 2]
    for index, answer in enumerate(answers):
        assert answer == answer_profile(compile_scenario(certain), index)
