"""Blockers by enumeration against the programs' and against brute force over packages."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from accord.analysis.blockers import blocking_sets, conditions_of
from accord.analysis.blockers_enumerated import (
    KeptConditions,
    Undecided,
    conditions_in_order,
    enumerated_blocking_sets,
)
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import pareto_frontier
from accord.analysis.program import package_program
from accord.robustness.profile import draw_profile
from accord.scenario.loader import parse_scenario
from random_uncertain import random_scenario


def _games(count: int) -> list[CompiledScenario]:
    found = []
    for seed in range(count):
        scenario = random_scenario(seed)
        found += [compile_scenario(draw_profile(scenario, seed, index)) for index in range(6)]
    return found


def _brute_force(compiled: CompiledScenario, kept: frozenset) -> bool:
    packages = compiled.space.all_packages()
    utilities = compiled.utilities(packages)
    crossed = compiled.crossed_red_lines(packages)
    ok = np.ones(len(packages), dtype=bool)
    for condition in kept:
        if condition.kind == "red_line":
            ok &= ~crossed[condition.red_line]
        else:
            ok &= utilities[condition.party] >= compiled.reservation[condition.party]
    return bool(ok.any())


def test_the_conditions_are_the_relaxable_programs() -> None:
    for compiled in _games(3):
        program = package_program(compiled, relaxable=True)
        assert conditions_in_order(compiled) == conditions_of(compiled, program)


def test_every_decided_question_is_answered_as_brute_force_does() -> None:
    decided = 0
    for compiled in _games(4):
        conditions = conditions_in_order(compiled)
        feasible = KeptConditions(compiled)
        for size in range(len(conditions) + 1):
            for kept in itertools.combinations(conditions, size):
                try:
                    answer = feasible(frozenset(kept))
                except Undecided:
                    continue
                decided += 1
                assert answer == _brute_force(compiled, frozenset(kept))
    assert decided > 100


def test_the_blockers_are_the_programs_own_in_the_same_order() -> None:
    compared = 0
    for compiled in _games(10):
        frontier = pareto_frontier(compiled)
        if not frontier.exact or len(frontier.packages):
            continue
        found = enumerated_blocking_sets(compiled)
        expected = blocking_sets(compiled, known_infeasible=True)
        assert expected is not None
        if found is None:
            continue
        compared += 1
        assert found.conflict == expected.conflict
        assert found.relaxations == expected.relaxations
    assert compared >= 5


TIED = """
id: reservation-reached-exactly
issues:
  - {id: x, options: [{id: x1}, {id: x2}]}
  - {id: y, options: [{id: y1}, {id: y2}]}
parties:
  - id: a
    preferences:
      scale: points
      reservation: 0.3
      values: {x: {x1: 0.1, x2: 0}, y: {y1: 0.2, y2: 0}}
      red_lines: [{options: {x: x2}}]
  - id: b
    preferences:
      scale: points
      reservation: 0.9
      values: {x: {x1: 0, x2: 0.5}, y: {y1: 0, y2: 0.5}}
"""


def test_a_reservation_reached_exactly_is_left_to_the_programs() -> None:
    """0.1 + 0.2 is 0.30000000000000004: whether a reaches 0.3 is the programs' to say."""
    compiled = compile_scenario(parse_scenario(TIED, "tied.yaml"))
    feasible = KeptConditions(compiled)
    reservation_a = next(c for c in conditions_in_order(compiled) if c.party == 0)
    with pytest.raises(Undecided):
        feasible(frozenset([reservation_a]))
    assert enumerated_blocking_sets(compiled) is None
    assert blocking_sets(compiled) is not None
