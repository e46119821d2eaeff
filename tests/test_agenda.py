"""Agenda design against the exact rational brute force (seats, dropped points) and the
rule (groupings)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.agenda import agenda
from accord.analysis.compiled import compile_scenario
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from accord.scenario.references import check_references
from oracle_analyses import RationalOracle, best_nash_product, feasible_with, pareto_optimal_rows
from strategies import scenario_data


@st.composite
def agenda_scenarios(draw: st.DrawFn) -> Scenario:
    """Random scenarios whose issues sometimes have a status quo and sit in blocks."""
    data: dict[str, Any] = draw(scenario_data())
    block_count = draw(st.integers(0, 3))
    if block_count:
        data["blocks"] = [{"id": f"b{k}"} for k in range(block_count)]
    for issue in data["issues"]:
        if draw(st.booleans()):
            issue["status_quo"] = draw(st.sampled_from([o["id"] for o in issue["options"]]))
        if block_count and draw(st.integers(0, 3)):
            issue["block"] = f"b{draw(st.integers(0, block_count - 1))}"
    used = {issue.get("block") for issue in data["issues"]}
    data["blocks"] = [block for block in data.get("blocks", []) if block["id"] in used]
    if not data["blocks"]:
        del data["blocks"]
    scenario = Scenario.model_validate(data)
    assert not check_references(scenario)
    return scenario


def _product(oracle: RationalOracle, voters: list[str], package: np.ndarray) -> float:
    row = oracle.packages.index(tuple(int(k) for k in package))
    return float(best_nash_product(oracle, voters, [row]))


@settings(max_examples=50)
@given(agenda_scenarios())
def test_each_change_matches_the_brute_force(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    oracle = RationalOracle(scenario)
    result = agenda(compiled, max_changes=1000)
    assert not result.cut
    ids = compiled.party_ids
    voters = [ids[p] for p in compiled.voter_indices]
    required = [ids[p] for p in range(compiled.party_count) if compiled.required[p]]
    rows = range(len(oracle.packages))
    today_rows = [n for n in rows if oracle.feasible[n]]
    assert (result.today is not None) == bool(today_rows)
    baseline = result.today.utilities if result.today is not None else compiled.reservation
    for change in result.changes:
        utilities = change.outcome.utilities if change.outcome is not None else compiled.reservation
        assert np.allclose(change.gains, utilities - baseline)
        assert change.opens_deal == (change.deal and result.today is None)
        if change.kind == "grouping":
            if change.deal:
                assert change.outcome is not None
                row = oracle.packages.index(tuple(int(k) for k in change.outcome.package))
                assert oracle.feasible[row]
            continue
        if change.kind == "drop":
            issue = next(
                i
                for i, title in enumerate(compiled.space.issue_ids)
                if f"'{title}'" in change.label
            )
            held = compiled.status_quo[issue]
            allowed = [n for n in today_rows if oracle.packages[n][issue] == held]
            counted = voters
        else:
            party = next(
                p
                for p in range(compiled.party_count)
                if f" {compiled.party_names[p]}:" in change.label
            )
            if change.kind == "seat":
                counted = [*voters, ids[party]]
                needs = [*required, ids[party]]
            else:
                counted = [v for v in voters if v != ids[party]]
                needs = [r for r in required if r != ids[party]]
            needed = (
                len(counted) if compiled.is_unanimity else min(compiled.min_accept, len(counted))
            )
            feasible = feasible_with(oracle, counted, needs, needed)
            allowed = [n for n in rows if feasible[n]]
        assert change.deal == bool(allowed), change.label
        best = float(best_nash_product(oracle, counted, allowed))
        if change.deal and best > 0:
            assert change.outcome is not None
            assert _product(oracle, counted, change.outcome.package) == pytest.approx(
                best, rel=1e-6
            )
    keys = [(not c.opens_deal, not c.deal, -c.least_gain) for c in result.changes]
    assert keys == sorted(keys)


def test_the_peace_plan_opens_only_without_a_blocker() -> None:
    compiled = compile_scenario(load_scenario("examples/peace-plan-27.yaml"))
    result = agenda(compiled)
    assert result.today is None and result.candidate_count == 46 and not result.cut
    opening = [c.label for c in result.changes if c.opens_deal]
    assert sorted(opening) == [
        "unseat Russia: a deal without its consent",
        "unseat Ukraine: a deal without its consent",
    ]
    # Fifteen groupings of the four blocks; none opens a deal on its own.
    assert sum(c.kind == "grouping" for c in result.changes) == 15


def test_the_cut_is_said() -> None:
    compiled = compile_scenario(load_scenario("examples/peace-plan-27.yaml"))
    result = agenda(compiled, max_changes=5)
    assert result.cut and len(result.changes) == 5 and result.candidate_count == 46


@settings(max_examples=50)
@given(agenda_scenarios())
def test_what_survives_a_seat_matches_the_brute_force(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    oracle = RationalOracle(scenario)
    result = agenda(compiled, max_changes=1000)
    ids = compiled.party_ids
    voters = [ids[p] for p in compiled.voter_indices]
    feasible = [n for n in range(len(oracle.packages)) if oracle.feasible[n]]
    frontier_rows = pareto_optimal_rows(oracle, feasible, voters)
    points = {oracle.vector(voters, n) for n in frontier_rows}
    for change in result.changes:
        if change.kind != "seat":
            assert change.survivors is None
            continue
        kept = change.survivors
        assert kept is not None
        seated = ids[kept.party]
        surviving_rows = [n for n in feasible if oracle.accepts(seated)[n]]
        for voter in voters:
            index = ids.index(voter)
            best_today = max((oracle.utilities[voter][n] for n in feasible), default=None)
            best_kept = max((oracle.utilities[voter][n] for n in surviving_rows), default=None)
            for value, expected in (
                (kept.best_today, best_today),
                (kept.best_surviving, best_kept),
            ):
                if expected is None:
                    assert np.isnan(value[index])
                else:
                    assert value[index] == pytest.approx(float(expected), abs=1e-9)
        if result.today is None:
            assert kept.nash_survives is None and kept.surviving_points == 0
            continue
        today_row = oracle.packages.index(tuple(int(k) for k in result.today.package))
        assert kept.nash_survives == oracle.accepts(seated)[today_row]
        if kept.frontier_points is None:
            continue
        alive = {oracle.vector(voters, n) for n in surviving_rows} & points
        assert kept.frontier_points == len(points)
        assert kept.surviving_points == len(alive)
        for outcome in kept.best:
            row = oracle.packages.index(tuple(int(k) for k in outcome.package))
            assert row in surviving_rows and oracle.vector(voters, row) in points
