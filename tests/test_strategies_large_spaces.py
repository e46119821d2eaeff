"""Strategies on a space too large to list (5**30 packages): the exact program answers."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.negotiation.own import BAND, OwnPreferences
from accord.negotiation.registry import STRATEGIES, make_strategy
from accord.negotiation.strategies import HillClimbingMediator, Linear
from accord.negotiation.strategy import MediatorStrategy
from accord.negotiation.view import NegotiationView
from accord.scenario.generate import random_additive_scenario
from accord.scenario.model import Scenario
from scripted import play

NEGOTIATORS = sorted(n for n, c in STRATEGIES.items() if not issubclass(c, MediatorStrategy))


@cache
def large() -> CompiledScenario:
    """``random_additive_scenario(2, 30, 5, seed=1)`` with a reservation value of 0.5 and two
    red lines for p1, so that the program has rows to respect."""
    data = random_additive_scenario(2, 30, 5, seed=1).model_dump(exclude_none=True)
    preferences = data["parties"][0]["preferences"]
    preferences["reservation"] = 0.5
    preferences["red_lines"] = [
        {"options": {"i1": "o1"}},
        {"options": {"i2": ["o1", "o2"], "i3": "o3"}},
    ]
    return compile_scenario(Scenario.model_validate(data))


def p1() -> OwnPreferences:
    preferences = OwnPreferences.of(large(), 0)
    assert not preferences.enumerable
    return preferences


SCRIPT = [tuple([k % 5] * 30) for k in range(4)]


@pytest.mark.parametrize("name", NEGOTIATORS)
def test_every_strategy_plays_acceptable_packages(name: str) -> None:
    preferences = p1()
    played = play(make_strategy(name), preferences, SCRIPT, seed=1, me="p1")
    for answer, offer in played:
        assert preferences.acceptable(offer)
        assert answer == "accept" or answer.startswith("reject i")
    assert played[0][0] == "reject i1"  # o1 everywhere crosses the red line on i1 alone


def test_time_based_offers_follow_the_target() -> None:
    preferences = p1()
    strategy = Linear()
    played = play(strategy, preferences, SCRIPT, seed=1, me="p1")
    best, worst = preferences.best_acceptable(), preferences.worst_acceptable()
    assert best is not None and worst is not None
    top, floor = preferences.utility(best), preferences.utility(worst)
    # The worst acceptable package lies in the band just above the reservation value.
    assert top == pytest.approx(1.0) and 0.5 - 1e-9 <= floor <= 0.5 + BAND * 0.5 + 1e-9
    for round_, (_, offer) in enumerate(played):
        target = strategy.target(round_ / 3)
        value = preferences.utility(offer)
        assert target - 1e-6 <= value <= target + BAND * (top - floor) + 1e-6


def test_mediator_and_objections() -> None:
    preferences = p1()
    mediator = HillClimbingMediator(changes=3)
    mediator.reset(preferences, np.random.default_rng(0))
    view = NegotiationView("m", preferences, ("p1", "p2"), 0, 5, ())
    first = mediator.draft(view, {})
    assert first == (0,) * 30
    second = mediator.draft(
        NegotiationView("m", preferences, ("p1", "p2"), 1, 5, (), first),
        {"p1": ("i1", "i5"), "p2": ("i5",)},
    )
    assert [i for i in range(30) if second[i] != first[i]] == [0, 4]
