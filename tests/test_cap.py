"""The utility ceiling (``preferences.cap``, GENIUS's cap at 1) against an exact oracle.

The oracle enumerates every package in rational arithmetic (``fractions``): each party's
utility is ``min(cap, sum of weight * value)`` of the numbers as written (multiples of 1/20
and 1/10, so sums tie exactly when they should), who accepts and which packages the rule
accepts are worked out from the scenario, and the Pareto-optimal packages are found by
comparing every pair. Frontier points, frontier sizes, counts and the solutions found by
programs must equal it.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import replace
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis import cap as cap_module
from accord.analysis.compiled import compile_scenario
from accord.analysis.counting import count_packages
from accord.analysis.frontier import factors_of, pareto_frontier
from accord.analysis.nash import nash
from accord.analysis.report import analyze
from accord.analysis.solutions import egalitarian, find_feasible, utilitarian
from accord.errors import ScenarioError
from accord.formats.genius import dump_genius, load_genius_folder
from accord.negotiation.own import OwnPreferences
from accord.scenario.loader import parse_scenario, validate_data
from accord.scenario.model import Scenario
from accord.scenario.writer import scenario_text

Exact = tuple[Fraction, ...]


# -- the oracle --------------------------------------------------------------------------------


def exact_utilities(data: dict[str, Any]) -> dict[tuple[str, ...], dict[str, Fraction]]:
    """Every package (option ids) and each party's exact capped utility of it."""
    issues = [(issue["id"], [o["id"] for o in issue["options"]]) for issue in data["issues"]]
    table: dict[tuple[str, ...], dict[str, Fraction]] = {}
    for package in product(*[options for _, options in issues]):
        chosen = {issue_id: option for (issue_id, _), option in zip(issues, package, strict=True)}
        row = {}
        for party in data["parties"]:
            preferences = party["preferences"]
            total = sum(
                (
                    Fraction(str(preferences["weights"][issue_id]))
                    * Fraction(str(preferences["values"][issue_id][option]))
                    for issue_id, option in chosen.items()
                ),
                Fraction(0),
            )
            if preferences.get("cap") is not None:
                total = min(total, Fraction(str(preferences["cap"])))
            row[party["id"]] = total
        table[package] = row
    return table


def exact_frontier(data: dict[str, Any], ignore_reservation: bool = False) -> dict[Exact, int]:
    """Each Pareto-optimal point (voters' exact utilities) and how many packages reach it."""
    issue_ids = [issue["id"] for issue in data["issues"]]
    parties = data["parties"]
    voters = [p["id"] for p in parties]
    needed = data.get("agreement", {}).get("min_parties") or len(voters)
    feasible: list[Exact] = []
    for package, row in exact_utilities(data).items():
        chosen = dict(zip(issue_ids, package, strict=True))
        accepting = 0
        required_accept = True
        for party in parties:
            preferences = party["preferences"]
            crossed = any(
                all(chosen[i] == o for i, o in line["options"].items())
                for line in preferences.get("red_lines", [])
            )
            reservation = Fraction(str(preferences.get("reservation", 0)))
            accepts = not crossed and row[party["id"]] >= reservation
            accepting += accepts
            required_accept &= accepts or party.get("required") is False
        if ignore_reservation or (accepting >= needed and required_accept):
            feasible.append(tuple(row[v] for v in voters))
    points = set(feasible)
    optimal = {
        p
        for p in points
        if not any(all(a >= b for a, b in zip(q, p, strict=True)) and q != p for q in points)
    }
    return {p: sum(1 for f in feasible if f == p) for p in optimal}


# -- scenarios ---------------------------------------------------------------------------------


@st.composite
def capped_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """2-3 parties, 2-4 issues of 2-3 options; weights up to 0.6 each so sums pass 1."""
    party_count = draw(st.integers(2, 3))
    shape = draw(st.lists(st.integers(2, 3), min_size=2, max_size=4))
    issues = [
        {"id": f"i{n}", "options": [{"id": f"o{k}"} for k in range(count)]}
        for n, count in enumerate(shape)
    ]
    parties = []
    for n in range(party_count):
        weights = {f"i{i}": draw(st.integers(1, 6)) / 10 for i in range(len(shape))}
        values = {
            f"i{i}": {f"o{k}": draw(st.integers(0, 20)) / 20 for k in range(count)}
            for i, count in enumerate(shape)
        }
        preferences: dict[str, Any] = {"scale": "points", "weights": weights, "values": values}
        preferences["cap"] = draw(st.sampled_from([1.0, 1.0, 0.8, 0.5, None]))
        preferences["reservation"] = draw(st.integers(0, 12)) / 20
        if draw(st.booleans()):
            preferences["red_lines"] = [{"options": {"i0": "o0", "i1": "o1"}}]
        parties.append({"id": f"p{n}", "preferences": preferences})
    data: dict[str, Any] = {"id": "capped", "issues": issues, "parties": parties}
    if party_count == 3 and draw(st.booleans()):
        data["agreement"] = {"kind": "quorum", "min_parties": 2}
        parties[2]["required"] = False
    return data


def matched(utilities: np.ndarray, expected: dict[Exact, int]) -> list[int]:
    """For each frontier point, the oracle's count of the point it equals (within 1e-9);
    fails unless every oracle point is matched exactly once."""
    points = list(expected)
    width = utilities.shape[1]
    exact = np.array([[float(u) for u in point] for point in points]).reshape(-1, width)
    found = []
    for row in utilities:
        (hits,) = np.nonzero(np.abs(exact - row).max(axis=1, initial=0) <= 1e-9)
        assert len(hits) == 1, (row, exact)
        found.append(int(hits[0]))
    assert sorted(found) == list(range(len(points)))
    return [expected[points[k]] for k in found]


@given(capped_scenarios(), st.booleans())
@settings(max_examples=120)
def test_frontier_points_and_size_equal_the_rational_oracle(
    data: dict[str, Any], ignore: bool
) -> None:
    compiled = compile_scenario(validate_data(data, "capped"))
    if ignore:
        compiled = compiled.ignoring_reservation()
    expected = exact_frontier(data, ignore_reservation=ignore)
    frontier = pareto_frontier(compiled)
    assert frontier.exact
    counts = matched(frontier.utilities[:, compiled.voter_indices], expected)
    quorum = "agreement" in data and not ignore
    if not quorum:
        assert frontier.size == sum(expected.values()), frontier.reason
    else:
        assert frontier.size in (None, sum(expected.values()))
    if frontier.size is not None:
        assert list(frontier.multiplicity) == counts
    # Each representative package is worth what the frontier says, capped.
    np.testing.assert_allclose(
        compiled.utilities(frontier.packages).T.reshape(frontier.utilities.shape),
        frontier.utilities,
        atol=1e-12,
    )


@given(capped_scenarios())
@settings(max_examples=40)
def test_programs_give_the_oracle_optima_of_capped_utilities(data: dict[str, Any]) -> None:
    compiled = compile_scenario(validate_data(data, "capped"))
    expected = exact_frontier(data)
    if not expected:
        assert find_feasible(compiled) is None
        return
    reservation = [Fraction(str(p["preferences"].get("reservation", 0))) for p in data["parties"]]
    best_sum = max(sum(point) for point in expected)
    found = utilitarian(compiled)
    assert found is not None
    assert float(sum(found.utilities)) == pytest.approx(float(best_sum), abs=1e-9)
    fairest = max(min(u - r for u, r in zip(p, reservation, strict=True)) for p in expected)
    fair = egalitarian(compiled)
    assert fair is not None
    assert min(fair.utilities - np.array([float(r) for r in reservation])) == pytest.approx(
        float(fairest), abs=1e-9
    )
    products = [
        math.prod(u - r for u, r in zip(p, reservation, strict=True))
        for p in expected
        if all(u > r for u, r in zip(p, reservation, strict=True))
    ]
    result = nash(compiled)
    if not products or max(products) <= 0:
        return
    assert result.outcome is not None
    gains = result.outcome.utilities - np.array([float(r) for r in reservation])
    assert float(np.prod(gains)) == pytest.approx(float(max(products)), abs=1e-7)


@given(capped_scenarios())
@settings(max_examples=40)
def test_counts_use_capped_acceptance(data: dict[str, Any]) -> None:
    compiled = compile_scenario(validate_data(data, "capped"))
    table = exact_utilities(data)
    issue_ids = [issue["id"] for issue in data["issues"]]
    needed = data.get("agreement", {}).get("min_parties") or len(data["parties"])
    feasible = unanimous = 0
    for package, row in table.items():
        chosen = dict(zip(issue_ids, package, strict=True))
        accepting = 0
        required_accept = True
        for party in data["parties"]:
            preferences = party["preferences"]
            crossed = any(
                all(chosen[i] == o for i, o in line["options"].items())
                for line in preferences.get("red_lines", [])
            )
            accepts = not crossed and row[party["id"]] >= Fraction(
                str(preferences.get("reservation", 0))
            )
            accepting += accepts
            required_accept &= accepts or party.get("required") is False
        feasible += accepting >= needed and required_accept
        unanimous += accepting == len(data["parties"])
    counts = count_packages(compiled)
    assert (counts.feasible, counts.unanimous) == (feasible, unanimous)


# -- particular cases --------------------------------------------------------------------------


def additive(weights: list[float], values: list[list[float]], **more: Any) -> dict[str, Any]:
    return {
        "scale": "points",
        "weights": {f"i{n}": w for n, w in enumerate(weights)},
        "values": {f"i{n}": {f"o{k}": v for k, v in enumerate(vs)} for n, vs in enumerate(values)},
        **more,
    }


def scenario_of(*preferences: dict[str, Any], **more: Any) -> dict[str, Any]:
    width = len(preferences[0]["values"])
    options = [len(preferences[0]["values"][f"i{n}"]) for n in range(width)]
    return {
        "id": "case",
        "issues": [
            {"id": f"i{n}", "options": [{"id": f"o{k}"} for k in range(count)]}
            for n, count in enumerate(options)
        ],
        "parties": [{"id": f"p{n}", "preferences": p} for n, p in enumerate(preferences)],
        **more,
    }


def test_packages_dominated_before_the_cap_are_counted_after_it() -> None:
    # p0 is worth 1.2, 1.1 and 1.0 on three packages where p1 gets the same: one point at
    # the cap, reached by all three, though two of them are dominated before capping.
    data = scenario_of(
        additive([0.6, 0.6], [[1.0, 0.8, 0.0], [1.0, 1.0, 0.0]], cap=1.0),
        additive([0.5, 0.5], [[0.2, 0.2, 1.0], [0.6, 0.6, 0.0]]),
    )
    frontier = pareto_frontier(compile_scenario(validate_data(data, "case")))
    expected = exact_frontier(data)
    assert list(frontier.multiplicity) == matched(frontier.utilities, expected)
    assert frontier.size == sum(expected.values())
    assert expected[(Fraction(1), Fraction(2, 5))] == 4  # (o0|o1) x (o0|o1)


def test_weights_summing_to_one_plus_a_billionth_keep_exact_sizes_for_three_parties() -> None:
    top = 0.400000001  # weights 0.4 + 0.2 + 0.400000001: the best package is worth 1 + 1e-9
    parties = [
        additive([0.4, 0.2, top], [[1.0, 0.5, 0.0], [0.0, 1.0, 0.5], [0.5, 0.0, 1.0]], cap=1.0),
        additive([0.2, top, 0.4], [[0.0, 1.0, 0.5], [1.0, 0.5, 0.0], [0.0, 0.5, 1.0]], cap=1.0),
        additive([top, 0.4, 0.2], [[0.5, 0.0, 1.0], [0.5, 1.0, 0.0], [1.0, 0.0, 0.5]], cap=1.0),
    ]
    data = scenario_of(*parties)
    compiled = compile_scenario(validate_data(data, "case"))
    frontier = pareto_frontier(compiled)
    # The excess is below the stated tie tolerance (accord.analysis.ties, 1e-9): utilities
    # that differ by it are ties, so the frontier is exactly that of weights summing to 1.
    assert frontier.tie_tolerance >= 1e-9
    level = [
        additive([0.4, 0.2, 0.4], [[1.0, 0.5, 0.0], [0.0, 1.0, 0.5], [0.5, 0.0, 1.0]], cap=1.0),
        additive([0.2, 0.4, 0.4], [[0.0, 1.0, 0.5], [1.0, 0.5, 0.0], [0.0, 0.5, 1.0]], cap=1.0),
        additive([0.4, 0.4, 0.2], [[0.5, 0.0, 1.0], [0.5, 1.0, 0.0], [1.0, 0.0, 0.5]], cap=1.0),
    ]
    expected = exact_frontier(scenario_of(*level))
    assert frontier.exact and frontier.size == sum(expected.values())
    assert list(frontier.multiplicity) == matched(np.round(frontier.utilities, 6), expected)
    assert max(frontier.utilities[:, 0]) == 1.0


def test_a_ceiling_below_the_reservation_value_accepts_nothing() -> None:
    data = scenario_of(
        additive([1.0, 1.0], [[1.0, 0.0], [1.0, 0.0]], cap=0.5, reservation=0.6),
        additive([1.0, 1.0], [[0.0, 1.0], [0.0, 1.0]]),
    )
    compiled = compile_scenario(validate_data(data, "case"))
    assert find_feasible(compiled) is None
    assert len(pareto_frontier(compiled).packages) == 0
    assert count_packages(compiled).feasible == 0


def test_a_count_too_large_is_unknown_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    data = scenario_of(
        additive([1.0, 1.0], [[0.6, 0.5], [0.5, 0.4]], cap=1.0),
        additive([1.0, 1.0], [[0.0, 0.0], [0.0, 0.0]]),
    )
    compiled = compile_scenario(validate_data(data, "case"))
    assert pareto_frontier(compiled).size == sum(exact_frontier(data).values()) == 3
    monkeypatch.setattr(cap_module, "MAX_COUNT_STATES", 1)
    frontier = pareto_frontier(compiled)
    assert frontier.exact and frontier.size is None
    assert "more than 1 partial sums" in frontier.reason


def test_own_preferences_see_the_capped_utility() -> None:
    data = scenario_of(
        additive([0.6, 0.6], [[1.0, 0.5], [1.0, 0.0]], cap=1.0),
        additive([0.5, 0.5], [[0.0, 1.0], [0.0, 1.0]]),
    )
    compiled = compile_scenario(validate_data(data, "case"))
    own = OwnPreferences.of(compiled, 0)
    table = exact_utilities(data)
    for package, row in table.items():
        indices = tuple(int(option[1:]) for option in package)
        assert own.utility(indices) == pytest.approx(float(row["p0"]), abs=1e-12)
    assert own.best_utility() == 1.0
    assert own.improvements((1, 0)) == pytest.approx([0.1, 0.0])  # 0.9 -> 1.0, not 1.2


def test_the_exact_cap_column_is_exact_when_minimised() -> None:
    # OwnPreferences's programs minimise and pin utilities: min(cap, sum), not just below it.
    data = scenario_of(
        additive([0.6, 0.6], [[1.0, 0.5], [1.0, 0.9]], cap=1.0),
        additive([0.5, 0.5], [[0.0, 1.0], [0.0, 1.0]]),
    )
    own = OwnPreferences.of(compile_scenario(validate_data(data, "case")), 0)
    lowest = own._solve(None, None, maximize=False, reservation=False)
    assert lowest == (1, 1) and own.utility(lowest) == pytest.approx(0.84)
    banded = own._solve(None, at_least=0.999, maximize=False, band=0.01)
    assert banded is not None and own.utility(banded) == 1.0


def test_the_cap_is_written_back_and_validated() -> None:
    data = scenario_of(
        additive([0.6, 0.6], [[1.0, 0.5], [1.0, 0.0]], cap=1.0),
        additive([0.5, 0.5], [[0.0, 1.0], [0.0, 1.0]]),
    )
    scenario = validate_data(data, "case")
    text = scenario_text(scenario)
    assert "cap: 1.0" in text
    again = parse_scenario(text, "again.yaml")
    assert again == scenario
    assert again.parties[0].preferences is not None and again.parties[0].preferences.cap == 1.0
    assert Scenario.model_json_schema()["$defs"]["Preferences"]["properties"]["cap"]


def test_a_normalised_cap_outside_zero_one_names_the_field() -> None:
    text = """
id: bad
issues: [{id: x, options: [{id: a}, {id: b}]}]
parties:
  - id: p
    preferences: {values: {x: {a: 1, b: 0}}, cap: 1.5}
"""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "bad.yaml")
    message = str(caught.value)
    assert "bad.yaml:6" in message and "cap: expected a utility ceiling in [0, 1]" in message


# -- GENIUS profiles whose utility GENIUS caps at 1 --------------------------------------------

DATA = Path(__file__).parent / "data"


def genius_exact(folder: Path) -> tuple[Scenario, dict[Exact, int]]:
    """The folder as Accord reads it, and the exact frontier of GENIUS's utilities: each
    profile's ``min(1, sum)`` in rational arithmetic from the numbers as the XML writes them."""
    scenario = load_genius_folder(folder)
    compiled = compile_scenario(scenario)
    packages = compiled.space.all_packages()
    rows: list[Exact] = []
    profiles = [xml_root(folder / party.name) for party in scenario.parties]
    for package in packages:
        bid = {
            issue_index: scenario.issues[position].options[int(package[position])]
            for position, issue_index in enumerate(range(1, len(scenario.issues) + 1))
        }
        rows.append(tuple(exact_genius_utility(profile, bid) for profile in profiles))
    points = set(rows)
    optimal = {
        p
        for p in points
        if not any(all(a >= b for a, b in zip(q, p, strict=True)) and q != p for q in points)
    }
    return scenario, {p: rows.count(p) for p in optimal}


def xml_root(path: Path) -> ET.Element:
    text = path.read_text()
    # ANAC 2014's files put a comment before the declaration, which ElementTree refuses.
    return ET.fromstring(text[text.index("<?xml") :] if "<?xml" in text else text)


def exact_genius_utility(profile: ET.Element, bid: dict[int, Any]) -> Fraction:
    if profile.get("type") == "nonlinear":
        utility = profile.find("objective/utility")
        assert utility is not None
        total = Fraction(0)
        for rectangle in utility.iter("hyperRectangle"):
            if all(
                int(b.get("min", ""))
                <= int(bid[int(b.get("index", ""))].value)
                <= int(b.get("max", ""))
                for b in rectangle.findall("INCLUDES")
            ):
                total += Fraction(rectangle.get("utility", ""))
        return min(total / Fraction(utility.get("maxutility", "")), Fraction(1))
    weights = {
        int(w.get("index", "")): Fraction(w.get("value", "")) for w in profile.iter("weight")
    }
    total = Fraction(0)
    for issue in profile.iter("issue"):
        index = int(issue.get("index", ""))
        evaluations = {
            i.get("value"): Fraction(i.get("evaluation", "")) for i in issue.iter("item")
        }
        total += weights[index] * evaluations[bid[index].label] / max(evaluations.values())
    return min(total, Fraction(1))


@pytest.mark.parametrize("name", ["genius-capped-nonlinear", "genius-weights-above-one"])
def test_capped_genius_profiles_keep_exact_three_party_frontiers(name: str) -> None:
    scenario, expected = genius_exact(DATA / name)
    assert all(p.preferences is not None and p.preferences.cap == 1.0 for p in scenario.parties)
    compiled = compile_scenario(scenario).ignoring_reservation()
    frontier = pareto_frontier(compiled)
    assert frontier.exact and frontier.size == sum(expected.values()), frontier.reason
    assert list(frontier.multiplicity) == matched(frontier.utilities, expected)
    assert any(row.max() == 1.0 for row in frontier.utilities)  # the cap binds somewhere


@pytest.mark.parametrize("name", ["genius-capped-nonlinear", "genius-weights-above-one"])
def test_the_cap_joins_no_issues(name: str) -> None:
    # What the analysis costs is set by its factors: the ceiling must not change them.
    scenario = load_genius_folder(DATA / name)
    compiled = compile_scenario(scenario)
    assert compiled.cap is not None
    assert factors_of(compiled) == factors_of(replace(compiled, cap=None))
    if name == "genius-weights-above-one":
        assert len(factors_of(compiled)) == len(scenario.issues)


def test_weights_above_one_round_trip_through_genius_xml(tmp_path: Path) -> None:
    scenario = load_genius_folder(DATA / "genius-weights-above-one")
    dump_genius(scenario, tmp_path)
    again = load_genius_folder(tmp_path)
    packages = compile_scenario(scenario).space.all_packages()
    np.testing.assert_allclose(
        compile_scenario(again).utilities(packages),
        compile_scenario(scenario).utilities(packages),
        atol=1e-15,
    )
    assert all(p.preferences is not None and p.preferences.cap == 1.0 for p in again.parties)


def test_genius_export_refuses_a_ceiling_other_than_one(tmp_path: Path) -> None:
    data = scenario_of(
        additive([0.6, 0.6], [[1.0, 0.5], [1.0, 0.0]], cap=0.9),
        additive([0.5, 0.5], [[0.0, 1.0], [0.0, 1.0]]),
    )
    with pytest.raises(ScenarioError, match=r"utility ceiling of 0.9 .* GENIUS caps a profile's"):
        dump_genius(validate_data(data, "case"), tmp_path)


@pytest.mark.parametrize("name", ["genius-capped-nonlinear", "genius-weights-above-one"])
def test_analyze_reads_capped_solutions_off_the_frontier(name: str) -> None:
    scenario, expected = genius_exact(DATA / name)
    result = analyze(scenario)
    assert result.frontier.exact and result.frontier.size == sum(expected.values())
    nash_point = result.solutions["nash"]
    assert nash_point is not None
    best_product = max(math.prod(point) for point in expected)
    assert math.prod(nash_point.utilities) == pytest.approx(float(best_product), abs=1e-12)
    utilitarian_point = result.solutions["utilitarian"]
    assert utilitarian_point is not None
    best_sum = max(sum(point) for point in expected)
    assert sum(utilitarian_point.utilities) == pytest.approx(float(best_sum), abs=1e-12)
    assert result.counts.feasible == compile_scenario(scenario).space.outcome_count
