"""A party's own preferences: packages by utility, from the table or from the program."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.compiled import clauses_hold, compile_scenario
from accord.negotiation.own import BAND, TOLERANCE, OwnPreferences, Subspace
from accord.scenario.model import Scenario
from scripted import own, tiny
from strategies import scenarios


def test_ranking_of_the_tiny_scenario() -> None:
    preferences = own(tiny(), "a")
    ranking = preferences.ranking()
    assert ranking.utilities == [3.0, 3.0, 6.0, 6.0, 7.0, 9.0, 10.0]
    assert ranking.indices == [5, 7, 2, 4, 3, 1, 0]
    assert preferences.package_at_least(6.5) == (1, 0)
    assert preferences.package_at_least(6.0) == (0, 2)  # the tie goes to the lower index
    assert preferences.package_at_least(10.5) is None
    assert preferences.best_acceptable() == (0, 0)
    assert preferences.worst_acceptable() == (1, 2)
    assert preferences.acceptable_utility((2, 0)) is None  # red line
    assert preferences.acceptable_utility((1, 2)) == 3.0
    assert preferences.improvements((2, 2)) == [6.0, 3.0]  # y1 would cross the red line


def _as_if_large(preferences: OwnPreferences, rank_blocks: bool) -> OwnPreferences:
    """The same preferences, as if the space were too large to list: a block's subspace is
    ranked (``rank_blocks``) or, like the whole space, answered by the program."""
    twin = OwnPreferences(
        preferences.party,
        preferences.space,
        preferences.linear,
        preferences.constant,
        preferences.terms,
        preferences.term_values,
        preferences.red_lines,
        preferences.reservation,
    )
    twin.__dict__["enumerable"] = False
    if not rank_blocks:
        twin.__dict__["listable"] = lambda within=None: False
    return twin


def _brute_force(preferences: OwnPreferences, target: float, within: Subspace | None) -> float:
    """The smallest acceptable utility at or above ``target`` (``inf`` if none)."""
    packages = preferences.space.all_packages()
    if within is not None:
        closed = [i for i in range(packages.shape[1]) if i not in within.open_issues]
        keep = np.all(packages[:, closed] == np.array(within.context)[closed], axis=1)
        packages = packages[keep]
    values = [
        preferences.utility(tuple(row))
        for row in packages.tolist()
        if preferences.acceptable(tuple(row))
    ]
    return min((v for v in values if v >= target - TOLERANCE), default=math.inf)


@settings(max_examples=40)
@given(scenarios())
def test_the_tables_are_the_utilities_of_every_listed_package_to_the_last_bit(
    scenario: Scenario,
) -> None:
    """The tables are built column by column (no package rows): same numbers, exactly."""
    compiled = compile_scenario(scenario)
    packages = compiled.space.all_packages()
    for index in range(compiled.party_count):
        own = OwnPreferences.of(compiled, index)
        crossed = np.zeros(len(packages), dtype=np.bool_)
        for clauses in own.red_lines:
            crossed |= clauses_hold(clauses, packages)
        assert np.array_equal(own.table, own.utilities(packages))
        assert np.array_equal(own.allowed, ~crossed)


@settings(max_examples=40)
@given(scenarios())
def test_the_extremes_are_the_ranking_s_ends_without_ranking(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    for index in range(compiled.party_count):
        lazy = OwnPreferences.of(compiled, index)
        best, worst = lazy.best_acceptable(), lazy.worst_acceptable()
        assert "_full_ranking" not in lazy.__dict__  # nothing was ranked
        ranked = OwnPreferences.of(compiled, index)
        ranking = ranked.ranking()
        if not ranking.indices:
            assert best is None and worst is None
            continue
        assert best == ranked.ranked_package(ranking, -1)
        assert worst == ranked.ranked_package(ranking, 0)


@settings(max_examples=40)
@given(scenarios(), st.floats(-0.2, 1.2), st.data())
def test_table_and_program_agree_with_brute_force(
    scenario: Scenario, share: float, data: st.DataObject
) -> None:
    compiled = compile_scenario(scenario)
    index = data.draw(st.integers(0, compiled.party_count - 1))
    table = OwnPreferences.of(compiled, index)
    rows = _as_if_large(table, rank_blocks=True)
    program = _as_if_large(table, rank_blocks=False)
    within = None
    if data.draw(st.booleans()):
        count = compiled.space.issue_count
        open_issues = tuple(sorted(data.draw(st.sets(st.integers(0, count - 1), min_size=1))))
        context = tuple(data.draw(st.integers(0, n - 1)) for n in compiled.space.option_counts)
        within = Subspace(
            open_issues, tuple(0 if i in open_issues else o for i, o in enumerate(context))
        )
    every = table.utilities(compiled.space.all_packages())
    low, high = every.min(), every.max()
    target = float(low + share * (high - low))
    exact = _brute_force(table, target, within)
    # The program's answer is bounded by the bands it searches (see own.py).
    floor = max(target, table.reservation)
    best_worst = (table.best_acceptable(within), table.worst_acceptable(within))
    band = 0.0
    if best_worst[0] is not None and best_worst[1] is not None:
        band = BAND * (table.utility(best_worst[0]) - table.utility(best_worst[1]))
    for preferences in (table, rows, program):
        found = preferences.package_at_least(target, within)
        if exact == math.inf:
            assert found is None
            continue
        assert found is not None and preferences.acceptable(found)
        if within is not None:
            assert all(
                found[i] == within.context[i]
                for i in range(len(found))
                if i not in within.open_issues
            )
        value = preferences.utility(found)
        assert value >= target - 1e-6
        if preferences is table or (preferences is rows and within is not None):
            assert value == exact
            assert found == table.package_at_least(target, within)
        else:
            assert value <= floor + 10 * max(exact - floor, band) + 1e-6
    best = (table.best_acceptable(within), program.best_acceptable(within))
    worst = (table.worst_acceptable(within), program.worst_acceptable(within))
    assert (best[0] is None) == (best[1] is None) == (worst[0] is None) == (worst[1] is None)
    if best[0] is not None and best[1] is not None:
        assert table.utility(best[1]) == pytest.approx(table.utility(best[0]), abs=1e-6)
    if worst[0] is not None and worst[1] is not None and best[0] is not None:
        lowest = table.utility(worst[0])
        assert lowest - 1e-6 <= table.utility(worst[1])
        span = table.utility(best[0]) - table.reservation
        excess = max(lowest - table.reservation, BAND * span)
        assert table.utility(worst[1]) <= max(lowest, table.reservation + 10 * excess) + 1e-6
    package = tuple(data.draw(st.integers(0, n - 1)) for n in compiled.space.option_counts)
    assert np.allclose(table.improvements(package), program.improvements(package))
    assert table.crosses_red_line(package) == program.crosses_red_line(package)
    assert table.index(package) == int(np.ravel_multi_index(package, compiled.space.option_counts))
    assert table.package(table.index(package)) == package
