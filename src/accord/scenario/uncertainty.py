"""Scenarios whose preferences are uncertain: checking them and drawing certain profiles.

A scenario's uncertain numbers (see :mod:`accord.scenario.distributions`) hold their
nominal values, so every analysis of the scenario itself analyses the *nominal profile*.
:func:`sample_scenario` draws one *profile*: the same scenario with every uncertain
number replaced by a draw and nothing left uncertain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.scenario.distributions import PathPart, check_supports, draw, support
from accord.scenario.model import Preferences, Scenario

if TYPE_CHECKING:
    import numpy as np

Finding = tuple[tuple[str | int, ...], str, bool]


def is_certain(scenario: Scenario) -> bool:
    """Whether no party's preferences hold a range or distribution."""
    return all(
        party.preferences is None or not party.preferences.uncertain for party in scenario.parties
    )


def uncertain_count(scenario: Scenario) -> dict[str, int]:
    """How many uncertain numbers each party's preferences hold (parties with none left out)."""
    return {
        party.id: len(party.preferences.uncertain)
        for party in scenario.parties
        if party.preferences is not None and party.preferences.uncertain
    }


def sample_scenario(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    """One certain profile: every uncertain number drawn, party by party, in recorded order.

    Every draw lies inside the bounds the model needs (ranges are checked when loaded, normal
    distributions are truncated), so the profile needs no validation again.
    """
    if is_certain(scenario):
        return scenario
    parties = tuple(
        party
        if party.preferences is None or not party.preferences.uncertain
        else party.model_copy(update={"preferences": sample_preferences(party.preferences, rng)})
        for party in scenario.parties
    )
    return scenario.model_copy(update={"parties": parties})


def sample_preferences(preferences: Preferences, rng: np.random.Generator) -> Preferences:
    """``preferences`` with each uncertain number replaced by one draw."""
    weights = None if preferences.weights is None else dict(preferences.weights)
    values = {issue: dict(options) for issue, options in preferences.values.items()}
    interactions = list(preferences.interactions)
    reservation = preferences.reservation
    for parameter in preferences.uncertain:
        path = parameter.path
        value = draw(parameter.distribution, support(path, preferences.scale), rng)
        if path[0] == "weights":
            assert weights is not None
            weights[str(path[1])] = value
        elif path[0] == "values":
            values[str(path[1])][str(path[2])] = value
        elif path[0] == "interactions":
            index = int(path[1])
            interactions[index] = interactions[index].model_copy(update={"value": value})
        else:
            reservation = value
    return preferences.model_copy(
        update={
            "weights": weights,
            "values": values,
            "interactions": tuple(interactions),
            "reservation": reservation,
            "uncertain": (),
        }
    )


def check_uncertain(scenario: Scenario) -> list[Finding]:
    """Every problem with the recorded distributions: a path that names no number of the
    preferences, or a distribution outside the bounds the model needs."""
    findings: list[Finding] = []
    for position, party in enumerate(scenario.parties):
        preferences = party.preferences
        if preferences is None:
            continue
        here: tuple[str | int, ...] = ("parties", position, "preferences")
        for index, parameter in enumerate(preferences.uncertain):
            if not _names_a_number(preferences, parameter.path):
                findings.append(
                    (
                        (*here, "uncertain", index, "path"),
                        f"'{parameter.label}' names no weight, option value, interaction value "
                        "or reservation value of these preferences",
                        False,
                    )
                )
                continue
            reason = check_supports(parameter.path, parameter.distribution, preferences.scale)
            if reason:
                findings.append(((*here, *parameter.path), reason, False))
    return findings


def _names_a_number(preferences: Preferences, path: tuple[PathPart, ...]) -> bool:
    section, rest = path[0], path[1:]
    found: Any
    if section == "weights" and len(rest) == 1:
        found = (preferences.weights or {}).get(str(rest[0]))
    elif section == "values" and len(rest) == 2:
        found = preferences.values.get(str(rest[0]), {}).get(str(rest[1]))
    elif section == "interactions" and len(rest) == 2 and rest[1] == "value":
        index = rest[0]
        found = (
            preferences.interactions[index].value
            if isinstance(index, int) and 0 <= index < len(preferences.interactions)
            else None
        )
    elif section == "reservation" and not rest:
        found = preferences.reservation
    else:
        found = None
    return found is not None
