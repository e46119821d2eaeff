"""Coalitions against the exact rational brute force over every subset and package."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings

from accord.analysis.coalitions import coalitions
from accord.analysis.compiled import compile_scenario
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from oracle_analyses import RationalOracle
from strategies import scenarios


def _best_product(oracle: RationalOracle, members: list[str], accepted: list[bool]) -> Fraction:
    best = Fraction(0)
    for row, ok in enumerate(accepted):
        if not ok:
            continue
        gains = [oracle.utilities[pid][row] - oracle.reservation(pid) for pid in members]
        if min(gains) > 0:
            product = Fraction(1)
            for gain in gains:
                product *= gain
            best = max(best, product)
    return best


@settings(max_examples=60)
@given(scenarios())
def test_every_coalition_matches_the_brute_force(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    oracle = RationalOracle(scenario)
    result = coalitions(compiled, every_subset=True)
    ids = compiled.party_ids
    feasible = {}
    for coalition in result.coalitions:
        members = [ids[p] for p in coalition.members]
        accepted = oracle.feasible_for(members)
        assert coalition.feasible == any(accepted), members
        feasible[frozenset(coalition.members)] = coalition.feasible
        best = _best_product(oracle, members, accepted)
        if coalition.nash is None:
            assert best == 0 or not coalition.feasible
            continue
        row = oracle.packages.index(tuple(int(k) for k in coalition.nash.package))
        assert accepted[row]
        gains = [oracle.utilities[pid][row] - oracle.reservation(pid) for pid in members]
        product = Fraction(1)
        for gain in gains:
            product *= gain
        assert float(product) == pytest.approx(float(best), rel=1e-6)
        outsiders = [pid for pid in oracle.party_ids if pid not in members]
        rejecting = [pid for pid in outsiders if not oracle.accepts(pid)[row]]
        assert [ids[p] for p in coalition.rejected_by] == rejecting
    # A coalition's feasible set shrinks as members join: so does feasibility.
    for members, ok in feasible.items():
        for other, other_ok in feasible.items():
            if members < other and other_ok:
                assert ok
    agreeing = [set(c.members) for c in result.coalitions if c.feasible]
    for coalition in result.coalitions:
        if coalition.feasible:
            assert coalition.smallest == (len(coalition.members) == min(map(len, agreeing)))
            assert coalition.largest == (not any(set(coalition.members) < a for a in agreeing))
    expected_spoilers = (
        {p for c in result.coalitions for p in c.members} - set().union(*agreeing)
        if agreeing
        else set()
    )
    assert set(result.spoilers) == expected_spoilers


@settings(max_examples=30)
@given(scenarios())
def test_the_rule_scope_is_the_sets_that_may_settle_alone(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    result = coalitions(compiled)
    voters = set(int(p) for p in compiled.voter_indices)
    required = {int(p) for p in compiled.voter_indices if compiled.required[p]}
    for coalition in result.coalitions:
        members = set(coalition.members)
        assert members <= voters and required <= members
        assert len(members) >= compiled.min_accept


def test_peace_plan_deals_without_the_blocker() -> None:
    compiled = compile_scenario(load_scenario("examples/peace-plan-27.yaml"))
    result = coalitions(compiled, every_subset=True)
    ids = compiled.party_ids
    by_members = {tuple(ids[p] for p in c.members): c for c in result.coalitions}
    assert not by_members[("ru", "ua")].feasible  # the Donetsk red lines exclude each other
    assert by_members[("ru", "us", "eu")].feasible and by_members[("ru", "us", "eu")].largest
    assert by_members[("ua", "us", "eu")].feasible and by_members[("ua", "us", "eu")].largest
    assert [ids[p] for p in by_members[("ua", "us", "eu")].rejected_by] == ["ru"]
    assert result.spoilers == ()
    default = coalitions(compiled)
    assert [tuple(ids[p] for p in c.members) for c in default.coalitions] == [("ru", "ua")]
