"""The preferences preview against an exact brute force (``fractions``) on small scenarios:
the best package, the draft's utility and acceptance, and the worst acceptable package."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.scenario.loader import load_scenario, validate_data
from accord.scenario.model import Scenario
from accord.web.preferences_preview import WORST_CASE_LIMIT, preferences_preview
from oracle import ExactOracle, _holds, exact
from strategies import scenario_data
from web_world import PEACE_PLAN

TOLERANCE = 1e-9


def alone(data: dict[str, Any], status_quo: list[bool]) -> Scenario:
    """The scenario's first party alone (a negotiator), some points with a status quo."""
    issues = []
    for issue, held in zip(data["issues"], status_quo, strict=False):
        issues.append(issue | ({"status_quo": issue["options"][-1]["id"]} if held else {}))
    party = {"id": "p0", "preferences": data["parties"][0]["preferences"]}
    return validate_data({"id": "alone", "issues": issues, "parties": [party]}, "test")


@st.composite
def cases(draw: st.DrawFn) -> tuple[Scenario, dict[str, str]]:
    data = draw(scenario_data())
    held = draw(st.lists(st.booleans(), min_size=5, max_size=5))
    scenario = alone(data, held)
    draft = {}
    for issue in scenario.issues:
        if issue.status_quo is None or draw(st.booleans()):
            draft[issue.id] = draw(st.sampled_from([o.id for o in issue.options]))
    return scenario, draft


@given(cases())
@settings(max_examples=80, deadline=None)
def test_the_preview_matches_an_exact_brute_force(case: tuple[Scenario, dict[str, str]]) -> None:
    scenario, draft = case
    oracle = ExactOracle(scenario)
    utilities = oracle.utilities["p0"]
    preferences = scenario.parties[0].preferences
    assert preferences is not None
    reservation = exact(preferences.reservation)

    def chosen(row: int) -> dict[str, str]:
        return {
            issue.id: issue.options[k].id
            for issue, k in zip(scenario.issues, oracle.packages[row], strict=True)
        }

    def crossed(row: int) -> int:
        return sum(_holds(line.options, chosen(row)) for line in preferences.red_lines)

    def row_of(package: dict[str, str]) -> int:
        return [chosen(row) for row in range(len(oracle.packages))].index(package)

    preview = preferences_preview(scenario, draft)
    assert preview["packages"] == len(oracle.packages)
    clear = [row for row in range(len(oracle.packages)) if crossed(row) == 0]
    candidates = clear or list(range(len(oracle.packages)))
    best_value = max(utilities[row] for row in candidates)
    best = preview["best"]
    assert abs(utilities[row_of(best["package"])] - best_value) <= TOLERANCE
    assert abs(Fraction(best["utility"]) - best_value) <= TOLERANCE
    assert bool(best["crossed"]) == (not clear)
    assert (best["shortfall"] is not None) == (best_value < reservation - Fraction(TOLERANCE))

    completed = {
        issue.id: draft.get(issue.id) or str(issue.status_quo) for issue in scenario.issues
    }
    row = row_of(completed)
    judged = preview["draft"]
    assert judged["package"] == completed
    assert judged["held"] == [issue.id for issue in scenario.issues if issue.id not in draft]
    assert abs(Fraction(judged["utility"]) - utilities[row]) <= TOLERANCE
    assert len(judged["crossed"]) == crossed(row)
    acceptable = utilities[row] >= reservation and crossed(row) == 0
    assert judged["accepts"] == acceptable
    if utilities[row] < reservation:
        assert abs(Fraction(judged["shortfall"]) - (reservation - utilities[row])) <= TOLERANCE

    accepted = [r for r in clear if utilities[r] >= reservation]
    if not accepted:
        assert preview["worst"] is None
    else:
        worst = preview["worst"]
        assert abs(utilities[row_of(worst["package"])] - min(utilities[r] for r in accepted)) <= (
            TOLERANCE
        )


def test_a_draft_open_on_a_point_without_status_quo_has_no_utility() -> None:
    data = {
        "id": "open",
        "issues": [
            {"id": "a", "options": [{"id": "a1"}, {"id": "a2"}]},
            {"id": "b", "options": [{"id": "b1"}, {"id": "b2"}]},
        ],
        "parties": [
            {
                "id": "p",
                "preferences": {"values": {"a": {"a1": 1, "a2": 0}, "b": {"b1": 0, "b2": 1}}},
            }
        ],
    }
    preview = preferences_preview(validate_data(data, "test"), {"a": "a2"})
    assert preview["draft"]["utility"] is None
    assert "leaves point 'b' open and it has no status quo" in preview["draft"]["problem"]
    assert preview["best"]["package"] == {"a": "a1", "b": "b2"}
    assert preview["worst"] == {"package": {"a": "a2", "b": "b1"}, "utility": 0.0}


def test_the_peace_plan_is_too_large_for_the_worst_case_but_not_for_the_best() -> None:
    plan = load_scenario(PEACE_PLAN).model_dump(mode="json")
    plan["parties"] = [party for party in plan["parties"] if party["id"] == "ua"]
    plan["agreement"] = {}
    preview = preferences_preview(validate_data(plan, "plan"), {"donetsk": "withdrawal"})
    assert preview["packages"] > WORST_CASE_LIMIT
    assert preview["worst"] is None and f"{WORST_CASE_LIMIT:,}" in preview["worst_missing"]
    assert preview["best"]["utility"] == pytest.approx(1.0)
    assert preview["best"]["package"]["donetsk"] != "withdrawal"
    assert preview["draft"]["accepts"] is False
    assert "no withdrawal from Donetsk" in preview["draft"]["crossed"]


def test_a_scenario_of_several_parties_is_refused() -> None:
    with pytest.raises(ValueError, match="expected one party with preferences, got 4"):
        preferences_preview(load_scenario(PEACE_PLAN), None)
