"""The NegMAS bridge, and Accord's frontier and Nash point against NegMAS's own.

NegMAS is the oracle here: its ``pareto_frontier`` (every outcome evaluated, the
non-dominated ones kept) and ``nash_points`` (the best product of gains on that frontier)
run on the GENIUS files as NegMAS's own loader reads them. Two things differ from Accord
and are accounted for, never papered over:

- scaling (``shared/external/genius/FORMAT.md`` §6): NegMAS keeps a discrete evaluation raw
  where GENIUS (and Accord) divide it by the issue's highest, reads an integer evaluator
  without GENIUS's shift by the lower bound and its clip to [0, 1], and does not cap a
  profile at 1. :func:`genius_semantics` rebuilds GENIUS's utility from what NegMAS parsed,
  as NegMAS utility functions; the raw reading itself is compared through :func:`from_negmas`;
- the disagreement point: NegMAS's ``pareto_frontier`` keeps the outcomes at or above every
  reserved value, as Accord's feasible set does, but ``nash_points`` measures gains from the
  larger of the reserved value and the worst utility. It is given the ranges that make it
  measure them from the reserved value, Accord's (and Nash's) disagreement point. The
  GENIUS statistics convention (every package acceptable, gains from 0) is NegMAS with
  reserved values of minus infinity against ``compiled.ignoring_reservation()``.
"""

from __future__ import annotations

import copy
import math
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from negmas.inout import Scenario as NegmasScenario
from negmas.outcomes import make_issue, make_os
from negmas.preferences import (
    ExpDiscountedUFun,
    HyperRectangleUtilityFunction,
    LinearAdditiveUtilityFunction,
    MappingUtilityFunction,
    WeightedUtilityFunction,
)
from negmas.preferences.ops import nash_points
from negmas.preferences.ops import pareto_frontier as negmas_pareto_frontier
from negmas.preferences.value_fun import AffineFun, TableFun

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import RESOLUTION, pareto_frontier
from accord.analysis.nash import nash
from accord.errors import AccordError, ScenarioError
from accord.formats.genius import load_genius_folder
from accord.formats.negmas_bridge import CappedUtility, from_negmas, to_negmas
from accord.scenario.generate import random_additive_scenario
from accord.scenario.loader import parse_scenario, validate_data
from accord.scenario.model import Scenario
from strategies import scenario_data

GENIUS = Path(__file__).resolve().parents[2] / "shared" / "external" / "genius"
# The bilateral GENIUS domains whose issues are all discrete or integer, which NegMAS loads.
BILATERAL = [
    "anac2010-EnglandZimbabwe",
    "anac2010-ItexvsCypress",
    "anac2010-Travel",
    "anac2011-Laptop",
    "anac2011-NiceOrDie",
    "anac2012-EnergyA",
    "anac2012-FiftyFiftyA",
    "anac2013-DefensiveCharms",
    "anac2013-Ultimatum",
    "genius-IntegerDomain",
    "negmas-CameraB",
]
EXACT = 1e-12
TOLERANCE = 1e-9
GENIUS_EMPTY_ISSUE = 1e-5  # GENIUS scores an issue whose best evaluation is below this as 0


def folder(name: str) -> Path:
    if not GENIUS.is_dir():
        pytest.fail(
            f"GENIUS data not found at {GENIUS}: these tests need shared/external/genius/ "
            "beside the project (see shared/external/README.md)",
            pytrace=False,
        )
    return GENIUS / name


def negmas_load(name: str, ignore_reserved: bool = False) -> Any:
    """The folder as NegMAS's own loader reads it. Frontier and Nash point are those of time
    0, where a discount changes nothing; NegMAS reads a GENIUS discount per round (not
    Accord's per unit of time) and its discounted wrapper drops the reserved value."""
    return NegmasScenario.load(folder(name), ignore_discount=True, ignore_reserved=ignore_reserved)


def utility_matrix(ufuns: list[Any], outcomes: list[tuple[Any, ...]]) -> np.ndarray:
    """``(outcomes, parties)``: NegMAS's utility of every outcome."""
    return np.array([[float(ufun(outcome)) for ufun in ufuns] for outcome in outcomes])


def packages_of(scenario: Scenario, outcomes: list[Any], by: str = "label") -> np.ndarray:
    """Accord's package for each NegMAS outcome, matching values to option labels (or ids)."""
    index = [{getattr(o, by): k for k, o in enumerate(i.options)} for i in scenario.issues]
    return np.array(
        [[index[i][str(value)] for i, value in enumerate(outcome)] for outcome in outcomes],
        dtype=np.int64,
    )


# -- the bridge ------------------------------------------------------------------------------


def test_import_accord_does_not_import_negmas() -> None:
    code = "import sys, accord, accord.formats.negmas_bridge; sys.exit('negmas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize("convert", [to_negmas, from_negmas])
def test_missing_negmas_is_an_error_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch, convert: Callable[[Any], Any]
) -> None:
    monkeypatch.setitem(sys.modules, "negmas", None)  # import negmas now raises ImportError
    with pytest.raises(AccordError, match=r"install accord\[negmas\]"):
        convert(random_additive_scenario(2, 2, 2, seed=1))


def assert_same_utilities(scenario: Scenario, negmas_scenario: Any) -> None:
    """NegMAS's utility of every outcome, and Accord's after the way back, are Accord's."""
    compiled = compile_scenario(scenario)
    packages = compiled.space.all_packages()
    voters = compiled.voter_indices
    expected = compiled.utilities(packages)[voters].T
    outcomes = list(negmas_scenario.outcome_space.enumerate())
    assert len(outcomes) == len(packages)
    assert np.array_equal(packages_of(scenario, outcomes, by="id"), packages)
    assert np.allclose(utility_matrix(list(negmas_scenario.ufuns), outcomes), expected, atol=EXACT)
    back = compile_scenario(from_negmas(negmas_scenario))
    assert back.party_ids == tuple(compiled.party_ids[p] for p in voters)
    assert np.allclose(back.utilities(packages).T, expected, atol=EXACT)
    assert np.allclose(back.reservation, compiled.reservation[voters], atol=EXACT)


def without_red_lines_or_quorum(data: dict[str, Any]) -> Scenario:
    """What NegMAS can hold of a generated scenario: no red lines, unanimity."""
    data.pop("agreement", None)
    for party in data["parties"]:
        party.get("preferences", {}).pop("red_lines", None)
    return validate_data(data, "generated")


representable = scenario_data().map(without_red_lines_or_quorum)


@settings(max_examples=60, deadline=None)
@given(representable)
def test_every_package_keeps_its_utility_there_and_back(scenario: Scenario) -> None:
    assert_same_utilities(scenario, to_negmas(scenario))


INTERACTIONS = """
id: linked
issues:
  - {id: a, options: [{id: a1}, {id: a2}, {id: a3}]}
  - {id: b, options: [{id: b1}, {id: b2}]}
  - {id: c, options: [{id: c1}, {id: c2}, {id: c3}]}
parties:
  - id: p
    preferences:
      scale: points
      weights: {a: 2, b: 1, c: 0.5}
      values: {a: {a1: 3, a2: -1, a3: 0}, b: {b1: 0, b2: 4}, c: {c1: -2, c2: -1, c3: -3}}
      interactions:
        - {options: {a: [a1, a2], c: c3}, value: 1.5}
        - {options: {a: a3, b: b2, c: [c1, c2]}, value: -0.75}
      reservation: 1.25
      discount: 0.8
  - id: q
    preferences:
      weights: {a: 1, b: 3, c: 0}
      values: {a: {a1: 0, a2: 1, a3: 0.5}, b: {b1: 1, b2: 0}}
      interactions:
        - {options: {b: b1, c: c2}, value: 0.4}
      reservation: 0.2
"""


def test_interaction_terms_and_discounts_are_converted_exactly() -> None:
    scenario = parse_scenario(INTERACTIONS, "linked.yaml")
    exported = to_negmas(scenario)
    assert_same_utilities(scenario, exported)
    p = exported.ufuns[0]
    assert isinstance(p, ExpDiscountedUFun)
    assert (p.discount, p.factor, p.reserved_value) == (0.8, "relative_time", 1.25)
    back = from_negmas(exported)
    assert [party.preferences.discount for party in back.parties if party.preferences] == [
        0.8,
        1.0,
    ]


def test_red_lines_and_quorum_rules_are_refused_by_name() -> None:
    small = parse_scenario((Path(__file__).parent / "data" / "small.yaml").read_text(), "small")
    with pytest.raises(ScenarioError, match=r"parties \['p'\] have red lines"):
        to_negmas(small)
    data = random_additive_scenario(3, 2, 2, seed=1).model_dump()
    data["agreement"] = {"kind": "quorum", "min_parties": 2}
    with pytest.raises(ScenarioError, match="quorum"):
        to_negmas(Scenario.model_validate(data))


def small_negmas_scenario(ufun: Callable[[Any], Any]) -> Any:
    outcome_space = make_os([make_issue(["x", "y"], name="i")], name="tiny")
    return NegmasScenario(outcome_space=outcome_space, ufuns=(ufun(outcome_space),))


def test_unsupported_negmas_constructs_are_refused_by_name() -> None:
    mapping = small_negmas_scenario(
        lambda space: MappingUtilityFunction({("x",): 1.0, ("y",): 0.0}, outcome_space=space)
    )
    with pytest.raises(ScenarioError, match="MappingUtilityFunction is not supported"):
        from_negmas(mapping)
    per_step = small_negmas_scenario(
        lambda space: ExpDiscountedUFun(
            LinearAdditiveUtilityFunction([TableFun({"x": 1.0, "y": 0.0})], outcome_space=space),
            discount=0.9,
            factor="step",
            outcome_space=space,
        )
    )
    with pytest.raises(ScenarioError, match=r"ufuns\[0\]: ExpDiscountedUFun .* per 'step'"):
        from_negmas(per_step)
    continuous = NegmasScenario(
        outcome_space=make_os([make_issue((0.0, 1.0), name="price")]), ufuns=()
    )
    with pytest.raises(ScenarioError, match="issue 'price' is ContinuousIssue"):
        from_negmas(continuous)


def test_minus_infinity_reserved_value_is_the_worst_package() -> None:
    tiny = small_negmas_scenario(
        lambda space: LinearAdditiveUtilityFunction(
            [TableFun({"x": 2.0, "y": -3.0})], weights=[0.5], bias=1.0, outcome_space=space
        )
    )
    assert tiny.ufuns[0].reserved_value == -math.inf  # NegMAS's default
    compiled = compile_scenario(from_negmas(tiny))
    assert compiled.reservation.tolist() == [-0.5]
    assert compiled.utilities(np.array([[0], [1]])).tolist() == [[2.0, -0.5]]


def test_hand_built_negmas_utility_functions_come_over_exactly() -> None:
    """Numeric issues, ranges, a bias, a negative weight, an issue without a value function,
    weighted sums; NegMAS's own reading of the ranges decides which options they hold."""
    space = make_os(
        [
            make_issue((-2, 3), name="price"),
            make_issue(["red", "green", "blue"], name="colour"),
            make_issue([0.5, 1.5, 2.5], name="size"),
        ]
    )
    additive = LinearAdditiveUtilityFunction(
        [AffineFun(slope=0.3, bias=1.0), {"red": 1.0, "green": 0.25, "blue": -1.0}],
        weights=[-2.0, 0.75],
        bias=0.5,
        outcome_space=space,
    )
    rectangles = HyperRectangleUtilityFunction(
        outcome_ranges=[{0: (-1.0, 1.5), 2: [0.5, 2.5]}, {1: "blue"}, {0: (10.0, 20.0)}, None],
        utilities=[2.0, -0.5, 9.0, 0.125],
        weights=[1.0, 3.0, 1.0, 1.0],
        outcome_space=space,
        bias=-0.25,
    )
    combined = WeightedUtilityFunction(
        [additive, rectangles], [2.0, 0.5], outcome_space=space, reserved_value=0.4
    )
    negmas_scenario = NegmasScenario(outcome_space=space, ufuns=(combined, additive))
    scenario = from_negmas(negmas_scenario)
    compiled = compile_scenario(scenario)
    outcomes = list(space.enumerate())
    expected = utility_matrix(list(negmas_scenario.ufuns), outcomes)
    packages = packages_of(scenario, outcomes)
    assert np.allclose(compiled.utilities(packages).T, expected, atol=EXACT)
    assert [o.value for o in scenario.issues[0].options] == [-2, -1, 0, 1, 2, 3]
    assert [o.id for o in scenario.issues[0].options][:2] == ["minus2", "minus1"]
    assert compiled.reservation[0] == 0.4


@pytest.mark.parametrize("name", BILATERAL)
def test_negmas_reading_of_genius_files_comes_over_exactly(name: str) -> None:
    """Raw NegMAS utilities (FORMAT.md §6), brought over by :func:`from_negmas`."""
    raw = negmas_load(name)
    scenario = from_negmas(raw)
    compiled = compile_scenario(scenario)
    outcomes = list(raw.outcome_space.enumerate())
    packages = packages_of(scenario, outcomes)
    if len(outcomes) <= 5_000:  # the two larger domains are covered by the frontier tests
        expected = utility_matrix(list(raw.ufuns), outcomes)
        assert np.allclose(compiled.utilities(packages).T, expected, atol=EXACT)
    assert compiled.reservation.tolist() == [u.reserved_value for u in raw.ufuns]


# -- frontier and Nash point against NegMAS's own functions -----------------------------------


def genius_semantics(ufun: Any, issues: list[Any], reserved_value: float) -> Any:
    """GENIUS's utility, as NegMAS utility functions, from what NegMAS's loader parsed."""
    tables = []
    for issue, function in zip(issues, ufun.values, strict=True):
        raw = {value: float(function(value)) for value in issue.all}
        if issue.is_integer():  # NegMAS: offset + slope * v; GENIUS: shifted by the lower
            shift = function.slope * issue.min_value  # bound and clipped to [0, 1]
            scaled = {v: min(max(u - shift, 0.0), 1.0) for v, u in raw.items()}
        else:
            top = max(raw.values())
            scaled = {v: u / top if top >= GENIUS_EMPTY_ISSUE else 0.0 for v, u in raw.items()}
        tables.append(TableFun(scaled))
    additive = LinearAdditiveUtilityFunction(
        tables,
        weights=ufun.weights,
        outcome_space=ufun.outcome_space,
        reserved_value=reserved_value,
    )
    if sum(max(t.mapping.values()) * w for t, w in zip(tables, ufun.weights, strict=True)) <= 1:
        return additive
    return MappingUtilityFunction(  # GENIUS caps a linear profile's utility at 1
        lambda outcome: min(additive(outcome), 1.0),
        outcome_space=ufun.outcome_space,
        reserved_value=reserved_value,
    )


@cache
def genius_case(name: str) -> tuple[Scenario, CompiledScenario, list[Any], np.ndarray, list[Any]]:
    """Accord's reading, NegMAS's outcomes as Accord packages, and NegMAS's reading given
    GENIUS's semantics: with the reserved values, and with minus infinity."""
    scenario = load_genius_folder(folder(name))
    compiled = compile_scenario(scenario)
    negmas_scenario = negmas_load(name)
    issues = list(negmas_scenario.outcome_space.issues)
    assert [issue.name for issue in issues] == [issue.title for issue in scenario.issues]
    by_name = {ufun.name: ufun for ufun in negmas_scenario.ufuns}
    ufuns = [by_name[Path(party.name).stem] for party in scenario.parties]
    outcomes = list(negmas_scenario.outcome_space.enumerate())
    packages = packages_of(scenario, outcomes)
    reserved = [genius_semantics(u, issues, u.reserved_value) for u in ufuns]
    unreserved = [genius_semantics(u, issues, -math.inf) for u in ufuns]
    return scenario, compiled, outcomes, packages, [reserved, unreserved]


@cache
def raw_case(name: str) -> tuple[Scenario, CompiledScenario, list[Any], np.ndarray, list[Any]]:
    """The same for NegMAS's raw reading, brought over by :func:`from_negmas`."""
    negmas_scenario = negmas_load(name)
    scenario = from_negmas(negmas_scenario)
    compiled = compile_scenario(scenario)
    outcomes = list(negmas_scenario.outcome_space.enumerate())
    packages = packages_of(scenario, outcomes)
    unreserved = list(negmas_load(name, ignore_reserved=True).ufuns)
    return scenario, compiled, outcomes, packages, [list(negmas_scenario.ufuns), unreserved]


def assert_same_frontier_and_nash(
    compiled: CompiledScenario, ufuns: list[Any], outcomes: list[Any], packages: np.ndarray
) -> None:
    """NegMAS's frontier and Nash points over ``ufuns`` (one per voter) are Accord's."""
    voters = compiled.voter_indices
    points, indices = negmas_pareto_frontier(ufuns, outcomes=outcomes)
    theirs = np.array(points).reshape(len(points), len(voters))
    frontier = pareto_frontier(compiled)
    assert frontier.exact
    # The same frontier points. NegMAS keeps one outcome per point; Accord may list a point
    # more than once (see test_each_frontier_point_is_listed_once), so compare distinct ones.
    ours = np.unique(np.round(frontier.utilities[:, voters], RESOLUTION), axis=0)
    assert len(ours) == len(theirs)
    in_order = ours[np.lexsort(ours.T)], theirs[np.lexsort(theirs.T)]
    assert np.allclose(*in_order, atol=TOLERANCE, rtol=0)
    # The same packages: NegMAS's are on Accord's frontier with the utilities NegMAS gives
    # them, and Accord counts as many Pareto-optimal packages as there are on its points.
    chosen = packages[list(indices)].reshape(len(indices), compiled.space.issue_count)
    assert np.allclose(compiled.utilities(chosen)[voters].T, theirs, atol=EXACT)
    every = compiled.space.all_packages()
    utilities = compiled.utilities(every)[voters].T
    on_frontier = np.zeros(len(every), dtype=np.bool_)
    for point in ours:
        on_frontier |= np.abs(utilities - point).max(axis=1) <= TOLERANCE
    on_frontier &= compiled.feasible(every)
    assert frontier.size == int(on_frontier.sum())
    assert on_frontier[np.ravel_multi_index(chosen.T, compiled.space.option_counts)].all()
    # The same Nash point, gains measured from the disagreement point.
    disagreement = compiled.disagreement[voters]
    ranges = [
        (float(d), float(top)) for d, top in zip(disagreement, utilities.max(axis=0), strict=True)
    ]
    best = nash_points(ufuns, points, ranges=ranges)
    result = nash(compiled)
    if result.outcome is None:  # no package gives every voter a positive gain
        assert all(math.prod(np.array(pt) - disagreement) <= EXACT for pt, _ in best)
        return
    ours_nash = result.outcome.utilities[voters]
    gains = ours_nash - disagreement
    assert best and all(g > 0 for g in gains)
    products = [math.prod(np.array(pt) - disagreement) for pt, _ in best]
    assert math.prod(gains) == pytest.approx(max(products), rel=TOLERANCE)
    assert any(np.allclose(ours_nash, pt, atol=TOLERANCE) for pt, _ in best)


TWO_ROUTES = """
id: two-routes
issues:
  - {id: a, options: [{id: a1}, {id: a2}, {id: a3}]}
  - {id: b, options: [{id: b1}, {id: b2}]}
parties:
  - id: p
    preferences:
      scale: points
      values: {a: {a1: 0, a2: 0.5, a3: 0}, b: {b1: 0, b2: 0.5}}
  - id: q
    preferences:
      scale: points
      values: {a: {a1: 0, a2: 0, a3: 1}, b: {b1: 0, b2: -1}}
"""


def test_each_frontier_point_is_listed_once() -> None:
    """Two sums of factor points can meet: (a2, b1) and (a3, b2) are both (0.5, 0) here."""
    scenario = parse_scenario(TWO_ROUTES, "two-routes.yaml")
    exported = to_negmas(scenario)
    points, _ = negmas_pareto_frontier(list(exported.ufuns), issues=exported.outcome_space.issues)
    frontier = pareto_frontier(compile_scenario(scenario))
    assert frontier.size == 3  # (a3, b1); (a2, b1) and (a3, b2) on one point
    assert len(points) == 2
    assert frontier.point_count == len(points)


@settings(max_examples=60, deadline=None)
@given(representable)
def test_frontier_and_nash_match_negmas_on_generated_scenarios(scenario: Scenario) -> None:
    """Exact ties, interaction terms, two to four voters; both conventions."""
    exported = to_negmas(scenario)
    outcomes = list(exported.outcome_space.enumerate())
    packages = packages_of(scenario, outcomes, by="id")
    compiled = compile_scenario(scenario)
    assert_same_frontier_and_nash(compiled, list(exported.ufuns), outcomes, packages)
    unreserved = [copy.copy(ufun) for ufun in exported.ufuns]
    for ufun in unreserved:
        ufun.reserved_value = -math.inf
    assert_same_frontier_and_nash(compiled.ignoring_reservation(), unreserved, outcomes, packages)


@pytest.mark.parametrize("ignoring", [False, True], ids=["reservations", "genius-convention"])
@pytest.mark.parametrize("name", BILATERAL)
def test_frontier_and_nash_match_negmas_on_genius_files(name: str, ignoring: bool) -> None:
    _, compiled, outcomes, packages, ufuns = genius_case(name)
    variant = compiled.ignoring_reservation() if ignoring else compiled
    assert_same_frontier_and_nash(variant, ufuns[ignoring], outcomes, packages)


@pytest.mark.parametrize("ignoring", [False, True], ids=["reservations", "genius-convention"])
@pytest.mark.parametrize("name", BILATERAL)
def test_frontier_and_nash_match_negmas_on_its_raw_reading(name: str, ignoring: bool) -> None:
    _, compiled, outcomes, packages, ufuns = raw_case(name)
    variant = compiled.ignoring_reservation() if ignoring else compiled
    assert_same_frontier_and_nash(variant, ufuns[ignoring], outcomes, packages)


CAPPED_DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["genius-weights-above-one", "genius-capped-nonlinear"])
def test_a_utility_ceiling_goes_there_and_back(name: str) -> None:
    """GENIUS's cap at 1 (weights summing to 1 + 1e-9; hyper-rectangles past maxutility):
    NegMAS gets min(1, U) and gives back the same ceiling; both find the same frontier and
    Nash point for the three parties."""
    scenario = load_genius_folder(CAPPED_DATA / name)
    exported = to_negmas(scenario)
    assert all(isinstance(u.mapping, CappedUtility) for u in exported.ufuns)
    assert_same_utilities(scenario, exported)
    back = from_negmas(exported)
    assert [p.preferences.cap for p in back.parties if p.preferences] == [1.0, 1.0, 1.0]
    outcomes = list(exported.outcome_space.enumerate())
    packages = packages_of(scenario, outcomes, by="id")
    compiled = compile_scenario(scenario)
    assert_same_frontier_and_nash(compiled, list(exported.ufuns), outcomes, packages)


def test_a_ceiling_inside_a_sum_is_refused() -> None:
    def capped_part(space: Any) -> Any:
        additive = LinearAdditiveUtilityFunction(
            [TableFun({"x": 1.0, "y": 0.0})], outcome_space=space
        )
        inner = MappingUtilityFunction(CappedUtility(additive, 0.5), outcome_space=space)
        return WeightedUtilityFunction([inner, additive], [1.0, 1.0], outcome_space=space)

    with pytest.raises(ScenarioError, match="MappingUtilityFunction is not supported"):
        from_negmas(small_negmas_scenario(capped_part))
