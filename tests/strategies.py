"""Hypothesis strategies for small random scenarios that go through the real model.

A scenario is drawn as the plain data a file would hold and validated with
``Scenario.model_validate``: 2–4 parties (sometimes a mediator or observer, with or
without preferences), 1–5 issues of 1–4 options (at most 500 packages), weights, values
(sometimes integer points, so that exact ties occur), interactions, red lines (one option,
a combination, lists of options), reservation values, and sometimes a quorum rule with
required, non-required and veto parties.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from accord.scenario.model import Scenario
from accord.scenario.references import check_references

MAX_PACKAGES = 500
ROLES = ["negotiator", "mediator", "observer"]

option_counts = st.lists(st.integers(1, 4), min_size=1, max_size=5).filter(
    lambda counts: math.prod(counts) <= MAX_PACKAGES
)


def _issues(counts: list[int]) -> list[dict[str, Any]]:
    return [
        {"id": f"i{i}", "options": [{"id": f"i{i}o{k}"} for k in range(count)]}
        for i, count in enumerate(counts)
    ]


@st.composite
def _preferences(draw: st.DrawFn, issues: list[dict[str, Any]]) -> dict[str, Any]:
    points = draw(st.booleans())
    if points:
        # Small integers: many packages tie exactly.
        value = st.integers(-2, 6).map(float)
        weight = st.integers(0, 3)
        interaction_value = st.integers(-3, 3).map(float)
    else:
        value = st.integers(0, 20).map(lambda k: k / 20) | st.floats(0, 1).map(
            lambda v: round(v, 3)
        )
        weight = st.integers(0, 5)
        interaction_value = st.floats(-1, 1).map(lambda v: round(v, 2))
    issue_ids = [issue["id"] for issue in issues]
    options = {issue["id"]: [o["id"] for o in issue["options"]] for issue in issues}
    preferences: dict[str, Any] = {"scale": "points"} if points else {}
    if draw(st.booleans()):
        weights = {issue_id: draw(weight) for issue_id in issue_ids}
        if not any(weights.values()):
            weights[draw(st.sampled_from(issue_ids))] = 1
        preferences["weights"] = weights
    preferences["values"] = {
        issue_id: {option: draw(value) for option in options[issue_id]} for issue_id in issue_ids
    }
    interactions = []
    for _ in range(draw(st.integers(0, 2))):
        if len(issue_ids) >= 2 and draw(st.booleans()):
            first, second = draw(st.permutations(issue_ids))[:2]
            chosen: dict[str, Any] = {
                first: draw(st.sampled_from(options[first])),
                second: draw(st.sampled_from(options[second])),
            }
        else:
            # A conjunction over one to three issues, with lists of options (the shape of
            # a GENIUS hyper-rectangle); the same drawing as a red line.
            chosen = draw(_red_line(options, max_issues=3))
        interactions.append({"options": chosen, "value": draw(interaction_value)})
    if interactions:
        preferences["interactions"] = interactions
    red_lines = [{"options": draw(_red_line(options))} for _ in range(draw(st.integers(0, 2)))]
    if red_lines:
        preferences["red_lines"] = red_lines
    if draw(st.booleans()):
        preferences["reservation"] = (
            float(draw(st.integers(-2, 12)))
            if points
            else draw(st.floats(0, 1).map(lambda v: round(v, 2)))
        )
    return preferences


@st.composite
def _red_line(
    draw: st.DrawFn, options: dict[str, list[str]], max_issues: int = 2
) -> dict[str, Any]:
    count = draw(st.integers(1, min(max_issues, len(options))))
    issue_ids = draw(st.permutations(list(options)))[:count]
    red_line: dict[str, Any] = {}
    for issue_id in issue_ids:
        listed = draw(st.lists(st.sampled_from(options[issue_id]), min_size=1, max_size=2))
        single = len(listed) == 1 and draw(st.booleans())
        # Lists may repeat an option: the red line is the same.
        red_line[issue_id] = listed[0] if single else listed
    return red_line


@st.composite
def scenario_data(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario as plain data (what a YAML or JSON file would hold)."""
    issues = _issues(draw(option_counts))
    party_count = draw(st.integers(2, 4))
    parties: list[dict[str, Any]] = []
    for index in range(party_count):
        party: dict[str, Any] = {"id": f"p{index}"}
        # The first two parties always negotiate and the first is always required, so
        # every rule has a voter.
        role = "negotiator" if index < 2 else draw(st.sampled_from(ROLES))
        if role != "negotiator":
            party["role"] = role
        if role == "negotiator" or draw(st.booleans()):
            party["preferences"] = draw(_preferences(issues))
            if index > 0 and draw(st.integers(0, 3)) == 0:
                # A negotiator that can be outvoted (or that has no vote under unanimity),
                # or a mediator whose consent counts.
                party["required"] = role != "negotiator"
        parties.append(party)
    data: dict[str, Any] = {"id": "random", "issues": issues, "parties": parties}
    if draw(st.booleans()):
        data["agreement"] = draw(_quorum(parties))
    return data


@st.composite
def _quorum(draw: st.DrawFn, parties: list[dict[str, Any]]) -> dict[str, Any]:
    with_preferences = [p["id"] for p in parties if "preferences" in p]
    veto = draw(st.lists(st.sampled_from(with_preferences), max_size=1, unique=True))
    voters = [
        p["id"]
        for p in parties
        if p.get("role", "negotiator") == "negotiator" or p.get("required") or p["id"] in veto
    ]
    rule: dict[str, Any] = {"kind": "quorum", "min_parties": draw(st.integers(1, len(voters)))}
    if veto:
        rule["veto"] = veto
    return rule


def _validated(data: dict[str, Any]) -> Scenario:
    scenario = Scenario.model_validate(data)
    findings = check_references(scenario)
    assert not findings, findings
    return scenario


def scenarios() -> st.SearchStrategy[Scenario]:
    """Small valid scenarios (at most 500 packages)."""
    return scenario_data().map(_validated)


def reorder_options(scenario: Scenario, issue_index: int, order: list[int]) -> Scenario:
    """The same scenario with the options of one issue listed in another order."""
    issues = list(scenario.issues)
    issue = issues[issue_index]
    issues[issue_index] = issue.model_copy(
        update={"options": tuple(issue.options[k] for k in order)}
    )
    return scenario.model_copy(update={"issues": tuple(issues)})


@st.composite
def reordered_scenarios(draw: st.DrawFn) -> tuple[Scenario, Scenario]:
    """A scenario and the same one with the options of one issue shuffled."""
    scenario = draw(scenarios())
    issue_index = draw(st.integers(0, len(scenario.issues) - 1))
    count = len(scenario.issues[issue_index].options)
    order = draw(st.permutations(list(range(count))))
    return scenario, reorder_options(scenario, issue_index, order)
