"""The contract every registered strategy keeps: reset, copy, pickle, same seed → same play."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Mapping

import numpy as np
import pytest

from accord.negotiation.own import Package
from accord.negotiation.registry import PROTOCOLS, STRATEGIES, make_strategy
from accord.negotiation.strategy import MediatorStrategy, Strategy
from accord.negotiation.trace import Event
from accord.negotiation.view import NegotiationView
from scripted import own, play, show, tiny

NEGOTIATORS = sorted(n for n, c in STRATEGIES.items() if not issubclass(c, MediatorStrategy))
MEDIATORS = sorted(n for n, c in STRATEGIES.items() if issubclass(c, MediatorStrategy))
SCRIPT = [(2, 2), (2, 1), (1, 2), (2, 0), (1, 1), (0, 2), (1, 0), (0, 1)]


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_meta_and_docstring(name: str) -> None:
    cls = STRATEGIES[name]
    assert cls.name == name
    assert isinstance(cls.meta["stochastic"], bool)
    assert isinstance(cls.meta["concession"], str) and cls.meta["concession"]
    assert cls.meta["protocols"] and set(cls.meta["protocols"]) <= set(PROTOCOLS)
    assert isinstance(cls.meta["source"], str) and cls.meta["source"]
    assert cls.__doc__ and "Source" in cls.__doc__


def _continue(strategy: Strategy, start: int) -> list[tuple[str, Package]]:
    """Rounds ``start`` onwards of the scripted play, without resetting."""
    preferences = strategy.own
    history: list[Event] = []
    played = []
    for round_, offer in enumerate(SCRIPT):
        history.append(Event(round_, "b", "offer", offer))
        view = NegotiationView("a", preferences, ("a", "b"), round_, len(SCRIPT), tuple(history))
        if round_ >= start:
            played.append((show(strategy.respond(view, offer)), strategy.propose(view)))
            history.append(Event(round_, "a", "offer", played[-1][1]))
        else:
            history.append(Event(round_, "a", "offer", offer))
    return played


@pytest.mark.parametrize("name", NEGOTIATORS)
def test_same_seed_same_play_and_reset_forgets(name: str) -> None:
    strategy = make_strategy(name)
    first = play(strategy, own(tiny(), "a"), SCRIPT, seed=7)
    again = play(strategy, own(tiny(), "a"), SCRIPT, seed=7)  # the same object, reset
    fresh = play(make_strategy(name), own(tiny(), "a"), SCRIPT, seed=7)
    assert first == again == fresh


@pytest.mark.parametrize("name", NEGOTIATORS)
def test_stochastic_strategies_depend_on_the_seed(name: str) -> None:
    plays = {str(play(make_strategy(name), own(tiny(), "a"), SCRIPT, seed=s)) for s in range(4)}
    assert (len(plays) > 1) == STRATEGIES[name].meta["stochastic"]


@pytest.mark.parametrize("name", NEGOTIATORS)
@pytest.mark.parametrize("clone", ["deepcopy", "pickle"], ids=str)
def test_a_clone_plays_on_as_the_original(name: str, clone: str) -> None:
    strategy = make_strategy(name)
    play(strategy, own(tiny(), "a"), SCRIPT[:3], seed=3)
    twin = copy.deepcopy(strategy) if clone == "deepcopy" else pickle.loads(pickle.dumps(strategy))
    assert _continue(twin, 3) == _continue(strategy, 3)


def _drafts(mediator: MediatorStrategy, rounds: int) -> list[Package]:
    texts: list[Package] = []
    table: Package | None = None
    raised: Mapping[str, tuple[str, ...]] = {}
    for round_ in range(rounds):
        view = NegotiationView("m", mediator.own, ("a", "b"), round_, rounds, (), table)
        table = mediator.draft(view, raised)
        texts.append(table)
        raised = {"a": ("x",) if round_ % 2 else ("y",), "b": ("x", "y")}
    return texts


def _start(mediator: MediatorStrategy) -> None:
    """Reset, granting the preferences to a mediator that needs them (as a protocol does)."""
    mediator.reset(own(tiny(), "a"), np.random.default_rng(5))
    if mediator.meta.get("needs_preferences"):
        mediator.confide(tiny())


@pytest.mark.parametrize("name", MEDIATORS)
def test_mediator_contract(name: str) -> None:
    mediator = make_strategy(name)
    assert isinstance(mediator, MediatorStrategy)
    _start(mediator)
    first = _drafts(mediator, 6)
    _start(mediator)
    assert _drafts(mediator, 6) == first
    _start(mediator)
    _drafts(mediator, 3)
    for twin in (copy.deepcopy(mediator), pickle.loads(pickle.dumps(mediator))):
        assert _drafts(twin, 3) == _drafts(copy.deepcopy(mediator), 3)
