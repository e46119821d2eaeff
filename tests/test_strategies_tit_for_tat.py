"""Golden tests: relative tit-for-tat mirrors concessions measured in its own utility."""

from __future__ import annotations

import numpy as np
import pytest

from accord.negotiation.registry import make_strategy
from accord.negotiation.strategies import TitForTat
from accord.negotiation.trace import Event
from accord.negotiation.view import NegotiationView
from scripted import own, play, show, tiny

# Worth to a: 0, 3, 3, 4 (crosses a's red line, but worth 4), 6, 6.
SCRIPT = [(2, 2), (2, 1), (1, 2), (2, 0), (1, 1), (0, 2)]


def test_concedes_what_the_other_conceded() -> None:
    assert play(TitForTat(), own(tiny(), "a"), SCRIPT) == [
        ("reject x y", (0, 0)),  # target 10
        ("reject x", (1, 0)),  # b conceded 3: target 7, x2y1
        ("reject y x", (1, 0)),  # no concession: target stays 7
        ("reject x y", (0, 2)),  # 1 more: target 6, x1y3
        ("accept", (0, 2)),  # 2 more: target 4; x2y2 = 6 >= x1y3 = 6
        ("accept", (0, 2)),
    ]


def test_hardens_when_the_other_hardens() -> None:
    played = play(TitForTat(), own(tiny(), "a"), [(2, 2), (1, 1), (2, 2), (1, 1)])
    # +6: target 4 (x1y3 = 6); -6: back to 10; +6: 4 again.
    assert [offer for _, offer in played] == [(0, 0), (0, 2), (0, 0), (0, 2)]


N_PARTY_SCRIPT = [
    {"b": (2, 2), "c": (2, 2)},
    {"b": (2, 1), "c": (2, 2)},  # b concedes 3, c nothing
    {"b": (1, 1), "c": (1, 2)},  # b concedes 3, c 3
]


def test_average_of_the_others() -> None:
    played = play(TitForTat(), own(tiny(), "a"), N_PARTY_SCRIPT)
    # Targets 10, 10 - 1.5 = 8.5 (x1y2 = 9), 8.5 - 3 = 5.5 (x1y3 = 6).
    assert [offer for _, offer in played] == [(0, 0), (0, 1), (0, 2)]


def test_minimum_of_the_others() -> None:
    played = play(
        make_strategy("tit-for-tat", aggregate="minimum"), own(tiny(), "a"), N_PARTY_SCRIPT
    )
    # Targets 10, 10 - 0 = 10, 10 - 3 = 7 (x2y1).
    assert [offer for _, offer in played] == [(0, 0), (0, 0), (1, 0)]


def test_never_below_the_floor() -> None:
    strategy = TitForTat()
    played = play(strategy, own(tiny(), "a"), [(2, 2), (0, 0), (2, 2), (0, 0)])
    # +10 takes the target to its floor 3, -10 back up to the best 10.
    assert [offer for _, offer in played] == [(0, 0), (1, 2), (0, 0), (1, 2)]
    assert strategy.target == 3.0


def test_follows_the_single_text() -> None:
    preferences = own(tiny(), "a")
    strategy = TitForTat()
    strategy.reset(preferences, np.random.default_rng(0))
    history: list[Event] = []
    answers = []
    for version, draft in enumerate([(2, 2), (1, 2), (1, 1)]):
        history.append(Event(version, "m", "draft", draft, version=version + 1))
        view = NegotiationView("a", preferences, ("a", "b"), version, 3, tuple(history), draft)
        answers.append(show(strategy.respond(view, draft)))
    # Drafts worth 0, 3 (+3: target 7), 6 (+3: target 4, x1y3 = 6 is worth no more).
    assert answers == ["reject x y", "reject y x", "accept"]


def test_aggregate_is_checked() -> None:
    with pytest.raises(ValueError, match="average or minimum"):
        TitForTat(aggregate="median")  # type: ignore[arg-type]
