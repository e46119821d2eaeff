"""The fast per-profile path against the straightforward one, sample for sample.

The straightforward path is what ``accord robustness`` did before the fast one: draw the
profile as a scenario, ``compile_scenario`` it, build its frontier with ``pareto_frontier``,
read the Nash package off it, and find the blockers with the programs
(``blocking_sets``). The fast path (``ProfileModel`` + ``blockers_enumerated``) must give
the same compiled numbers and frontier to the last bit and the same answers, on the
bundled plan and on small seeded scenarios whose numbers are decimals and thirds, with
ties between packages and reservation values that a package reaches exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.analysis.blockers import blocking_sets
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import pareto_frontier
from accord.analysis.nash import nash
from accord.analysis.on_frontier import solutions_on_frontier
from accord.analysis.program import package_program
from accord.analysis.solutions import find_feasible
from accord.robustness.profile import (
    ProfileAnswer,
    ProfileJob,
    _blocked,
    _deal,
    draw_profile,
    profile_rng,
)
from accord.robustness.profile_model import ProfileModel
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from random_uncertain import random_scenario

ROOT = Path(__file__).resolve().parent.parent


def straightforward_answer(compiled: CompiledScenario, index: int) -> ProfileAnswer:
    """One profile's answer the plain way: the frontier, then programs for the blockers."""
    frontier = pareto_frontier(compiled)
    if frontier.exact and len(frontier.packages):
        return _deal(index, solutions_on_frontier(compiled, frontier)[1].outcome)
    feasible = frontier.exact is False and find_feasible(compiled, package_program(compiled))
    blockers = None if feasible else blocking_sets(compiled, None, known_infeasible=frontier.exact)
    if blockers is None:
        return _deal(index, nash(compiled, package_program(compiled)).outcome)
    return _blocked(index, compiled, blockers)


def _same_compiled(fast: CompiledScenario, plain: CompiledScenario) -> None:
    for name in ("linear", "term_values", "reservation", "constant"):
        assert np.array_equal(getattr(fast, name), getattr(plain, name)), name
    assert fast.terms == plain.terms
    assert fast.red_lines == plain.red_lines


def _check(scenario: Scenario, seed: int, samples: int) -> set[str]:
    """Every sample's fast answer equals the straightforward one; the kinds of answers met."""
    model = ProfileModel(scenario)
    job = ProfileJob(scenario, seed)
    kinds = set()
    for index in range(samples):
        plain = compile_scenario(draw_profile(scenario, seed, index))
        fast = model.compile(profile_rng(seed, index))
        if fast is not None:
            _same_compiled(fast, plain)
            expected, got = pareto_frontier(plain), model.frontier(fast)
            assert np.array_equal(got.packages, expected.packages)
            assert np.array_equal(got.utilities, expected.utilities)
            assert got.multiplicity == expected.multiplicity
            assert (got.exact, got.size, got.reason) == (
                expected.exact,
                expected.size,
                expected.reason,
            )
        answer = job(index)
        assert answer == straightforward_answer(plain, index), index
        kinds.add("deal" if answer.feasible else f"blocked by {len(answer.relaxations)}")
    return kinds


def test_the_uncertain_plan_gives_the_same_answers_sample_for_sample() -> None:
    scenario = load_scenario(ROOT / "examples" / "peace-plan-27-uncertain.yaml")
    kinds = _check(scenario, 0, 24)
    assert "deal" in kinds and len(kinds) >= 3  # deals, and no-deal profiles of several kinds


@pytest.mark.parametrize("seed", range(10))
def test_small_scenarios_with_ties_give_the_same_answers(seed: int) -> None:
    _check(random_scenario(seed), seed, 12)


@pytest.mark.parametrize("seed", range(2))
def test_a_quorum_takes_the_straightforward_path_with_the_same_answers(seed: int) -> None:
    _check(random_scenario(100 + seed, quorum=True), seed, 8)


def test_the_small_scenarios_meet_deals_no_deals_and_ties() -> None:
    """The seeded scenarios above are not vacuous: both kinds of answer occur, and some
    profile's frontier has a point standing for several packages (a tie)."""
    kinds: set[str] = set()
    tied = False
    for seed in range(10):
        scenario = random_scenario(seed)
        kinds |= _check(scenario, seed, 4)
        for index in range(4):
            frontier = pareto_frontier(compile_scenario(draw_profile(scenario, seed, index)))
            tied = tied or any(m > 1 for m in frontier.multiplicity)
    assert "deal" in kinds and any(k.startswith("blocked") for k in kinds)
    assert tied
