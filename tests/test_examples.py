"""The scenarios shipped in ``examples/``: the classic cases against results worked out by
hand, the illustrative peace plan against the properties it exists to show."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import yaml

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.nash import nash
from accord.analysis.solutions import (
    Outcome,
    egalitarian,
    find_feasible,
    kalai_smorodinsky,
    utilitarian,
)
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from accord.scenario.references import check_references

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

Solver = Callable[[CompiledScenario], Outcome | None]


def _compiled(name: str) -> CompiledScenario:
    return compile_scenario(load_scenario(EXAMPLES / name))


def _chosen(compiled: CompiledScenario, outcome: Outcome | None) -> dict[str, str]:
    assert outcome is not None
    return compiled.space.package_dict(outcome.package)


def _nash(compiled: CompiledScenario) -> Outcome | None:
    result = nash(compiled)
    assert result.log_gap <= 1e-9
    return result.outcome


def _feasible_frontier(compiled: CompiledScenario) -> list[tuple[dict[str, str], list[float]]]:
    """Brute force: the feasible packages no other feasible package dominates."""
    packages = compiled.space.all_packages()
    packages = packages[compiled.feasible(packages)]
    voters = compiled.voter_indices
    utilities = compiled.utilities(packages)[voters].T
    frontier = []
    for row, values in enumerate(utilities):
        dominated = np.any(np.all(utilities >= values, axis=1) & np.any(utilities > values, axis=1))
        if not dominated:
            frontier.append((compiled.space.package_dict(packages[row]), values.tolist()))
    return frontier


# --- Logrolling on a job offer -------------------------------------------------------------
#
# Points as written (candidate, employer):
#
#   salary:  low (0, 3)   mid (6, 1)         high (10, 0)
#   start:   now (0, 10)  one-month (3, 8)   three-months (4, 0)
#
#   package                 candidate  employer   gains (reservations 0 and 5)
#   low,  now                   0        13        (0, 8)
#   low,  one-month             3        11        (3, 6)
#   low,  three-months          4         3        infeasible: employer 3 < 5
#   mid,  now                   6        11        (6, 6)
#   mid,  one-month             9         9        (9, 4)   <- splitting both issues
#   mid,  three-months         10         1        infeasible
#   high, now                  10        10        (10, 5)  <- logrolling: better for both
#   high, one-month            13         8        (13, 3)
#   high, three-months         14         0        infeasible
#
# Utilitarian: sums 13, 14, 17, 18, 20, 21 -> (high, one-month), 21.
# Egalitarian: smallest gains 0, 3, 6, 4, 5, 3 -> (mid, now), 6.
# Nash: products of gains 0, 18, 36, 36, 50, 39 -> (high, now), 50.
# Kalai-Smorodinsky: ideal gains are 13 (candidate) and 8 (employer); smallest shares
#   0, 3/13, 6/13, min(9/13, 4/8) = 0.5, min(10/13, 5/8) = 0.625, min(13/13, 3/8) = 0.375
#   -> (high, now), 0.625.
# Feasible Pareto frontier: (low, now) (0, 13); (mid, now) (6, 11); (high, now) (10, 10);
#   (high, one-month) (13, 8). The other two feasible packages are dominated: (low,
#   one-month) by (mid, now), and the split (mid, one-month) by (high, now).

LOGROLLING = "logrolling-two-issues.yaml"


def test_logrolling_beats_splitting_each_issue() -> None:
    compiled = _compiled(LOGROLLING)
    split = compiled.utilities(
        compiled.space.package_from_dict({"salary": "mid", "start": "one-month"})
    )
    logroll = compiled.utilities(
        compiled.space.package_from_dict({"salary": "high", "start": "now"})
    )
    assert split.tolist() == pytest.approx([9.0, 9.0], abs=1e-9)
    assert logroll.tolist() == pytest.approx([10.0, 10.0], abs=1e-9)


def test_logrolling_feasible_frontier() -> None:
    frontier = _feasible_frontier(_compiled(LOGROLLING))
    expected = [
        ({"salary": "low", "start": "now"}, [0.0, 13.0]),
        ({"salary": "mid", "start": "now"}, [6.0, 11.0]),
        ({"salary": "high", "start": "now"}, [10.0, 10.0]),
        ({"salary": "high", "start": "one-month"}, [13.0, 8.0]),
    ]
    assert sorted(frontier, key=lambda item: item[1]) == [
        (package, pytest.approx(values, abs=1e-9)) for package, values in expected
    ]


@pytest.mark.parametrize(
    ("solve", "package", "values"),
    [
        (utilitarian, {"salary": "high", "start": "one-month"}, [13.0, 8.0]),
        (egalitarian, {"salary": "mid", "start": "now"}, [6.0, 11.0]),
        (kalai_smorodinsky, {"salary": "high", "start": "now"}, [10.0, 10.0]),
        (_nash, {"salary": "high", "start": "now"}, [10.0, 10.0]),
    ],
    ids=["utilitarian", "egalitarian", "kalai-smorodinsky", "nash"],
)
def test_logrolling_solutions(solve: Solver, package: dict[str, str], values: list[float]) -> None:
    compiled = _compiled(LOGROLLING)
    outcome = solve(compiled)
    assert _chosen(compiled, outcome) == package
    assert outcome.utilities.tolist() == pytest.approx(values, abs=1e-9)


# --- Camp David 1978 -----------------------------------------------------------------------
#
# Each party's weights sum to 100 and its best package is worth 100 points, so utility is
# points / 100. Points per option (Egypt, Israel, United States):
#
#   sinai:        full-return (45, 0, 20)  partial-return (18, 5, 10)  occupation (0, 10, 0)
#   settlements:  removed (15, 0, 10)      kept (0, 10, 5)
#   airfields:    evacuated (5, 6, 5)      kept (0, 10, 10)
#   security:     demilitarised (0, 25, 30)  none (5, 0, 0)
#   palestinian:  self-determination (20, 0, 10)  autonomy (10, 21, 20)  none (0, 30, 0)
#   jerusalem:    arab-east (10, 0, 0)     excluded (0, 15, 10)
#
# Red lines leave 12 of the 144 packages for Egypt and Israel: Egypt's fixes sinai =
# full-return; Israel's then fixes security = demilitarised (no full return without it);
# Israel's Jerusalem red line fixes jerusalem = excluded; Egypt's "no separate peace"
# removes palestinian = none. Fixed part: Egypt 45, Israel 25 + 15 = 40, US 20 + 30 + 10.
# The 8 packages left, by settlements / airfields / palestinian:
#
#   settlements airfields palestinian    Egypt  Israel   US    gains (reservations 59, 55)
#   removed     evacuated autonomy        75     67      95    (16, 12)
#   removed     evacuated self-det.       85     46      85    Israel 46 < 55: out
#   removed     kept      autonomy        70     71     100    (11, 16)
#   removed     kept      self-det.       80     50      90    Israel 50 < 55: out
#   kept        evacuated autonomy        60     77      90    (1, 22)
#   kept        evacuated self-det.       70     56      80    (11, 1)
#   kept        kept      autonomy        55     81      95    Egypt 55 < 59: out
#   kept        kept      self-det.       65     60      85    (6, 5)
#
# Utilitarian (Egypt + Israel): 142, 141, 137, 126, 125 -> removed/evacuated/autonomy.
# Egalitarian: smallest gains 12, 11, 1, 1, 5 -> removed/evacuated/autonomy.
# Nash: products 192, 176, 22, 11, 30 -> removed/evacuated/autonomy (what was agreed).
# Kalai-Smorodinsky: ideal gains 16 (Egypt) and 22 (Israel); smallest shares
#   min(16/16, 12/22) = 0.545, min(11/16, 16/22) = 0.6875, 1/16, 1/22, min(6/16, 5/22)
#   -> removed/kept/autonomy: airfields kept, the one solution that differs.

CAMP_DAVID = "camp-david-1978.yaml"
CAMP_DAVID_FIXED = {
    "sinai": "full-return",
    "security": "demilitarised",
    "jerusalem": "excluded",
    "settlements": "removed",
    "palestinian": "autonomy",
}
ACCORDS = {**CAMP_DAVID_FIXED, "airfields": "evacuated"}
AIRFIELDS_KEPT = {**CAMP_DAVID_FIXED, "airfields": "kept"}


def test_camp_david_feasible_frontier() -> None:
    compiled = _compiled(CAMP_DAVID)
    assert compiled.party_ids == ("eg", "il", "us")
    assert int(compiled.feasible(compiled.space.all_packages()).sum()) == 5
    frontier = sorted(_feasible_frontier(compiled), key=lambda item: item[1])
    expected = [
        ({**ACCORDS, "settlements": "kept"}, [0.60, 0.77]),
        (AIRFIELDS_KEPT, [0.70, 0.71]),
        (ACCORDS, [0.75, 0.67]),
    ]
    assert frontier == [(package, pytest.approx(values, abs=1e-9)) for package, values in expected]


@pytest.mark.parametrize(
    ("solve", "package", "values"),
    [
        (utilitarian, ACCORDS, [0.75, 0.67, 0.95]),
        (egalitarian, ACCORDS, [0.75, 0.67, 0.95]),
        (_nash, ACCORDS, [0.75, 0.67, 0.95]),
        (kalai_smorodinsky, AIRFIELDS_KEPT, [0.70, 0.71, 1.00]),
    ],
    ids=["utilitarian", "egalitarian", "nash", "kalai-smorodinsky"],
)
def test_camp_david_solutions(solve: Solver, package: dict[str, str], values: list[float]) -> None:
    compiled = _compiled(CAMP_DAVID)
    outcome = solve(compiled)
    assert _chosen(compiled, outcome) == package
    assert outcome.utilities.tolist() == pytest.approx(values, abs=1e-9)


# --- The illustrative 27-point peace plan --------------------------------------------------

PEACE_PLAN = EXAMPLES / "peace-plan-27.yaml"
UKRAINE_NO_WITHDRAWAL = ("ua", "no withdrawal from Donetsk")
RUSSIA_WITHDRAWAL = ("ru", "Ukraine must withdraw from Donetsk")


def _peace_plan_without(party_id: str, label: str) -> Scenario:
    """The peace plan with one red line of one party removed, validated like a file."""
    data = yaml.safe_load(PEACE_PLAN.read_text(encoding="utf-8"))
    (party,) = [p for p in data["parties"] if p["id"] == party_id]
    red_lines = party["preferences"]["red_lines"]
    kept = [red_line for red_line in red_lines if red_line["label"] != label]
    assert len(kept) == len(red_lines) - 1
    party["preferences"]["red_lines"] = kept
    scenario = Scenario.model_validate(data)
    assert check_references(scenario) == []
    return scenario


def test_peace_plan_shape() -> None:
    scenario = load_scenario(PEACE_PLAN)
    assert "Fictionalised" in scenario.description
    assert "not a forecast" in scenario.description
    assert len(scenario.issues) == 27
    assert [block.id for block in scenario.blocks] == [
        "sovereignty-security",
        "territory",
        "economy",
        "european-security",
    ]
    block_sizes = {b.id: sum(i.block == b.id for i in scenario.issues) for b in scenario.blocks}
    assert block_sizes == {
        "sovereignty-security": 9,
        "territory": 6,
        "economy": 6,
        "european-security": 6,
    }
    assert [(p.id, p.role) for p in scenario.parties] == [
        ("ru", "negotiator"),
        ("ua", "negotiator"),
        ("us", "mediator"),
        ("eu", "observer"),
    ]
    assert scenario.required_party_ids == ("ru", "ua")
    for issue in scenario.issues:
        assert issue.title and issue.status_quo is not None
        assert 2 <= len(issue.options) <= 5
        assert all(option.label for option in issue.options)
    assert math.prod(len(issue.options) for issue in scenario.issues) == 7_140_934_453_248


def test_peace_plan_donetsk_red_lines_block_every_package() -> None:
    assert find_feasible(compile_scenario(load_scenario(PEACE_PLAN))) is None


@pytest.mark.parametrize(
    ("removed", "donetsk"),
    [
        (UKRAINE_NO_WITHDRAWAL, {"withdrawal"}),
        (RUSSIA_WITHDRAWAL, {"buffer-ua", "line-of-contact"}),
    ],
    ids=["without-ukraine-red-line", "without-russia-red-line"],
)
def test_peace_plan_one_red_line_less_makes_a_deal(
    removed: tuple[str, str], donetsk: set[str]
) -> None:
    compiled = compile_scenario(_peace_plan_without(*removed))
    outcome = find_feasible(compiled)
    assert outcome is not None
    assert _chosen(compiled, outcome)["donetsk"] in donetsk


@pytest.mark.parametrize(
    "removed", [UKRAINE_NO_WITHDRAWAL, RUSSIA_WITHDRAWAL], ids=["ukraine", "russia"]
)
def test_peace_plan_eu_seat_changes_the_deal(removed: tuple[str, str]) -> None:
    scenario = _peace_plan_without(*removed)
    without_eu = compile_scenario(scenario)
    with_eu = compile_scenario(scenario.with_required(("eu",)))
    assert find_feasible(with_eu) is not None
    before, after = utilitarian(without_eu), utilitarian(with_eu)
    assert before is not None and after is not None
    assert not np.array_equal(before.package, after.package)
    eu = with_eu.party_index("eu")
    assert after.utilities[eu] >= with_eu.reservation[eu] - 1e-9
