"""Preferences a delegate could send to make the mediator's analysis run long: the peace
plan's Ukrainian preferences plus random pairwise interactions.

200 terms are enough (the analysis then takes over 10 s where the plan takes half a
second; the attack in issue 11 used 1,000), and stay within the limits a scenario may have.
"""

from __future__ import annotations

import random
from typing import Any

from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario
from web_fixtures import peace_plan_data

INTERACTIONS = 200
# The workbench page's analyses take a few seconds at 200 terms, over a minute at 600.
WORKBENCH_INTERACTIONS = 600


def heavy_preferences(seed: int = 11, interactions: int = INTERACTIONS) -> dict[str, Any]:
    data = peace_plan_data()
    issues = [(issue["id"], [o["id"] for o in issue["options"]]) for issue in data["issues"]]
    ua = next(party for party in data["parties"] if party["id"] == "ua")
    preferences: dict[str, Any] = dict(ua["preferences"])
    rng = random.Random(seed)
    terms = []
    for _ in range(interactions):
        (first, first_options), (second, second_options) = rng.sample(issues, 2)
        terms.append(
            {
                "options": {first: rng.choice(first_options), second: rng.choice(second_options)},
                "value": round(rng.uniform(-0.05, 0.05), 4),
            }
        )
    preferences["interactions"] = terms
    return preferences


def heavy_scenario(interactions: int = INTERACTIONS) -> Scenario:
    data = peace_plan_data()
    for party in data["parties"]:
        if party["id"] == "ua":
            party["preferences"] = heavy_preferences(interactions=interactions)
    return validate_data(data, "peace plan with a heavy delegate")
