"""Agenda design against the exact rational brute force (seats, dropped points) and the
rule (groupings)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.added_option import compromise_options, given_option
from accord.analysis.agenda import agenda
from accord.analysis.compiled import compile_scenario
from accord.errors import AnalysisError
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


@st.composite
def numbered_scenarios(draw: st.DrawFn) -> Scenario:
    """Agenda scenarios whose first issue's options carry numbers (some of them)."""
    data = draw(agenda_scenarios()).model_dump(mode="json", exclude_none=True)
    options = data["issues"][0]["options"]
    numbers = draw(st.lists(st.integers(0, 5), min_size=len(options), max_size=len(options)))
    for option, number in zip(options, numbers, strict=True):
        if draw(st.integers(0, 4)):
            option["value"] = float(number)
    return Scenario.model_validate(data)


def _check_added(compiled: Any, result: Any) -> None:
    """Each added option's change against the brute force over the extended scenario."""
    for change in result.changes:
        if change.kind != "add":
            assert change.added is None
            continue
        option = change.added
        extended = option.compiled
        oracle = RationalOracle(option.scenario)
        voters = [extended.party_ids[p] for p in extended.voter_indices]
        rows = [n for n in range(len(oracle.packages)) if oracle.feasible[n]]
        assert change.deal == bool(rows)
        # Today's packages keep their index and every party's utility.
        today = compiled.space.all_packages()
        assert np.allclose(extended.utilities(today), compiled.utilities(today), atol=1e-12)
        best = float(best_nash_product(oracle, voters, rows))
        if change.deal and best > 0:
            assert change.outcome is not None
            row = oracle.packages.index(tuple(int(k) for k in change.outcome.package))
            assert oracle.feasible[row]
            assert float(best_nash_product(oracle, voters, [row])) == pytest.approx(best, rel=1e-6)
        if result.today is not None and change.deal:
            # Adding an option only adds packages: the Nash product cannot fall.
            today_product = _product(oracle, voters, result.today.package)
            assert change.outcome is not None
            assert _product(oracle, voters, change.outcome.package) >= today_product * (1 - 1e-9)


@settings(max_examples=40)
@given(numbered_scenarios())
def test_a_compromise_option_matches_the_brute_force(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    added = compromise_options(scenario)
    numbered = sorted({o.value for o in scenario.issues[0].options if o.value is not None})
    assert len(added) <= max(len(numbered) - 1, 0)
    for option in added:
        extended = option.compiled
        issue = scenario.issues[0]
        low, high = option.option_id.split("-")[:2]
        ids = [o.id for o in issue.options]
        columns = [extended.space.flat(0, ids.index(low)), extended.space.flat(0, ids.index(high))]
        new = extended.space.flat(0, len(ids))
        # The assumption: each party values it halfway between its neighbours.
        assert np.allclose(
            extended.linear[:, new], extended.linear[:, columns].mean(axis=1), atol=1e-12
        )
    result = agenda(compiled, max_changes=1000, added=added)
    assert sum(c.kind == "add" for c in result.changes) == len(added)
    _check_added(compiled, result)


@settings(max_examples=40)
@given(agenda_scenarios(), st.data())
def test_an_option_with_given_values_matches_the_brute_force(
    scenario: Scenario, data: st.DataObject
) -> None:
    issue = scenario.issues[0]
    values = {}
    for party in scenario.parties:
        if party.preferences is None:
            continue
        own = party.preferences.values.get(issue.id, {})
        top = max([*own.values(), 0.0])
        if party.preferences.scale == "normalised":
            values[party.id] = data.draw(st.integers(0, 4)) * top / 4
        else:
            values[party.id] = float(data.draw(st.integers(-2, 6)))
    try:
        option = given_option(scenario, issue.id, "new-option", values)
    except AnalysisError as error:
        assert "rescale" in str(error)
        return
    compiled = compile_scenario(scenario)
    _check_added(compiled, agenda(compiled, max_changes=1000, added=[option]))


def test_given_values_are_checked() -> None:
    plan = load_scenario("examples/peace-plan-27.yaml")
    with pytest.raises(AnalysisError, match="missing: ua, us, eu"):
        given_option(plan, "force-cap", "700k", {"ru": 0.5})
    with pytest.raises(AnalysisError, match="already has an option '600k'"):
        given_option(plan, "force-cap", "600k", {})
    with pytest.raises(AnalysisError, match="unknown issue 'nope'"):
        given_option(plan, "nope", "x", {})
    with pytest.raises(AnalysisError, match="between 0 and its best value"):
        given_option(plan, "force-cap", "700k", {"ru": 2, "ua": 0.5, "us": 0.5, "eu": 0.5})


def test_the_plan_offers_the_troop_cap_compromises() -> None:
    plan = load_scenario("examples/peace-plan-27.yaml")
    labels = [option.label for option in compromise_options(plan)]
    assert labels == [
        "add 500,000 to 'Cap on Ukraine's armed forces (point 6)' (halfway between 400k and 600k)",
        "add 700,000 to 'Cap on Ukraine's armed forces (point 6)' (halfway between 600k and 800k)",
    ]
