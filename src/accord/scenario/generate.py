"""Random additive scenarios of a given size, for benchmarks and tests (seeded)."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.scenario.model import Scenario


def random_additive_scenario(
    parties: int,
    issues: int,
    options: int,
    seed: int,
    reservation: float = 0.0,
) -> Scenario:
    """``parties`` negotiators with random weights and option values on ``issues`` issues.

    Values are drawn independently per party, so preferences are partly opposed and partly
    compatible, as in the ANAC random domains.
    """
    rng = np.random.default_rng(seed)
    issue_ids = [f"i{n + 1}" for n in range(issues)]
    option_ids = [f"o{m + 1}" for m in range(options)]
    data: dict[str, Any] = {
        "id": f"random-{parties}x{issues}x{options}-{seed}",
        "issues": [
            {"id": issue, "options": [{"id": option} for option in option_ids]}
            for issue in issue_ids
        ],
        "parties": [],
    }
    for party in range(parties):
        weights = rng.random(issues) + 0.05
        data["parties"].append(
            {
                "id": f"p{party + 1}",
                "preferences": {
                    "weights": dict(zip(issue_ids, weights.round(6).tolist(), strict=True)),
                    "values": {
                        issue: dict(
                            zip(option_ids, rng.random(options).round(6).tolist(), strict=True)
                        )
                        for issue in issue_ids
                    },
                    "reservation": reservation,
                },
            }
        )
    return Scenario.model_validate(data)


def with_random_parties(scenario: Scenario, count: int, seed: int, reservation: float) -> Scenario:
    """``scenario`` with ``count`` more negotiators of random additive preferences over its
    issues (ids ``x1``, ``x2``, ...), for benchmarks that need more parties than a case has."""
    rng = np.random.default_rng(seed)
    data = scenario.model_dump(exclude_none=True)
    data["parties"] = list(data["parties"])
    for index in range(count):
        weights = rng.random(len(scenario.issues)) + 0.05
        data["parties"].append(
            {
                "id": f"x{index + 1}",
                "preferences": {
                    "weights": {
                        issue.id: round(float(w), 6)
                        for issue, w in zip(scenario.issues, weights, strict=True)
                    },
                    "values": {
                        issue.id: {
                            option.id: round(float(rng.random()), 6) for option in issue.options
                        }
                        for issue in scenario.issues
                    },
                    "reservation": reservation,
                },
            }
        )
    return Scenario.model_validate(data)
