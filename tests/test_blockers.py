"""Blockers and minimum relaxations against brute force over every set of conditions."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings

from accord.analysis.blockers import Condition, conditions_of, find_blockers
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.program import package_program
from accord.scenario.model import Scenario
from strategies import scenarios


def feasible_without(
    compiled: CompiledScenario, relaxed: set[Condition], packages: np.ndarray
) -> np.ndarray:
    """Which packages the rule accepts when the ``relaxed`` conditions are given up."""
    utilities = compiled.utilities(packages)
    crossed = compiled.crossed_red_lines(packages)
    accepts = np.ones((compiled.party_count, len(packages)), dtype=bool)
    for party in range(compiled.party_count):
        if not any(c.kind == "reservation" and c.party == party for c in relaxed):
            accepts[party] &= utilities[party] >= compiled.reservation[party] - 1e-9
    for index, red_line in enumerate(compiled.red_lines):
        if not any(c.kind == "red_line" and c.red_line == index for c in relaxed):
            accepts[red_line.party] &= ~crossed[index]
    enough = accepts[compiled.voters].sum(axis=0) >= compiled.min_accept
    result: np.ndarray = accepts[compiled.required].all(axis=0) & enough
    return result


@settings(max_examples=150)
@given(scenarios())
def test_blockers_match_brute_force(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    packages = compiled.space.all_packages()
    blockers = find_blockers(compiled)
    if feasible_without(compiled, set(), packages).any():
        assert blockers is None
        return
    assert blockers is not None
    conditions = conditions_of(compiled, package_program(compiled, relaxable=True))
    minimum = next(
        size
        for size in range(len(conditions) + 1)
        if any(
            feasible_without(compiled, set(subset), packages).any()
            for subset in itertools.combinations(conditions, size)
        )
    )
    every_minimum = [
        set(subset)
        for subset in itertools.combinations(conditions, minimum)
        if feasible_without(compiled, set(subset), packages).any()
    ]
    assert blockers.relaxations
    for relaxation in blockers.relaxations:
        assert len(relaxation.conditions) == minimum
        assert set(relaxation.conditions) in every_minimum
        opened = relaxation.outcome.package
        assert feasible_without(compiled, set(relaxation.conditions), opened[None, :])[0]
    found = [set(r.conditions) for r in blockers.relaxations]
    assert len({frozenset(s) for s in found}) == len(found)
    if blockers.complete:
        assert len(found) == len(every_minimum)
    # The conflict cannot hold as a whole, and it is minimal: drop any one and it can.
    conflict = set(blockers.conflict)
    others = set(conditions) - conflict
    assert not feasible_without(compiled, others, packages).any()
    for condition in conflict:
        assert feasible_without(compiled, others | {condition}, packages).any()


def test_relaxing_a_reservation_value_below_every_utility_forces_no_one_to_accept() -> None:
    # The example hypothesis found on branch robust: p1 (not required, quorum of one) gets
    # 3 from every package, above its reservation value 0. Its relaxed reservation value
    # once forced it to accept, so its red line had to hold: the conflict was p1's red
    # line, which p1 can keep by rejecting, instead of p0's.
    red_line = {"options": {"i0": ["i0o0"]}, "label": ""}
    scenario = Scenario.model_validate(
        {
            "id": "random",
            "issues": [
                {"id": "i0", "options": [{"id": "i0o0"}]},
                {"id": "i1", "options": [{"id": "i1o0"}]},
            ],
            "parties": [
                {
                    "id": "p0",
                    "preferences": {
                        "scale": "normalised",
                        "values": {"i0": {"i0o0": 0.0}, "i1": {"i1o0": 0.0}},
                        "red_lines": [red_line],
                        "reservation": 0.0,
                    },
                },
                {
                    "id": "p1",
                    "required": False,
                    "preferences": {
                        "scale": "points",
                        "values": {"i0": {"i0o0": 0.0}, "i1": {"i1o0": 3.0}},
                        "red_lines": [red_line],
                        "reservation": 0.0,
                    },
                },
            ],
            "agreement": {"kind": "quorum", "min_parties": 1},
        }
    )
    compiled = compile_scenario(scenario)
    packages = compiled.space.all_packages()
    blockers = find_blockers(compiled)
    assert blockers is not None
    p0_red_line = Condition("red_line", 0, 0, "i0 = i0o0")
    assert blockers.conflict == (p0_red_line,)
    assert [r.conditions for r in blockers.relaxations] == [(p0_red_line,)]
    assert blockers.complete
    conditions = conditions_of(compiled, package_program(compiled, relaxable=True))
    assert not feasible_without(compiled, set(conditions) - {p0_red_line}, packages).any()
    assert feasible_without(compiled, {p0_red_line}, packages).any()


def test_peace_plan_is_blocked_by_the_two_donetsk_red_lines() -> None:
    from accord import load_scenario

    compiled = compile_scenario(load_scenario("examples/peace-plan-27.yaml"))
    blockers = find_blockers(compiled)
    assert blockers is not None
    labels = {(compiled.party_ids[c.party], c.label) for c in blockers.conflict}
    assert labels == {
        ("ru", "Ukraine must withdraw from Donetsk"),
        ("ua", "no withdrawal from Donetsk"),
    }
    assert blockers.complete
    relaxed = sorted(
        (compiled.party_ids[c.party], c.label) for r in blockers.relaxations for c in r.conditions
    )
    assert relaxed == sorted(labels)
    for relaxation in blockers.relaxations:
        (condition,) = relaxation.conditions
        assert feasible_without(compiled, {condition}, relaxation.outcome.package[None, :])[0]
