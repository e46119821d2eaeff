"""Golden tests: time-based concession (Boulware, linear, conceder) against a script.

Hand check against the table in ``tests/scripted.py``: with ``t = round / 5``, ``a``'s
linear target is ``3 + 7 (1 - t)`` = 10, 8.6, 7.2, 5.8, 4.4, 3; the acceptable packages
worth the least at or above those are x1y1 (10), x1y2 (9), x1y2, x1y3 (6, index 2 before
x2y2's 4), x1y3, x2y3 (3, index 5 before x3y2's 7).
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.compiled import compile_scenario
from accord.negotiation.own import Subspace
from accord.negotiation.registry import make_strategy
from accord.negotiation.strategies import Boulware, Conceder, Linear, TimeBasedConcession
from accord.negotiation.trace import Event
from accord.negotiation.view import NegotiationView
from accord.scenario.loader import parse_scenario
from scripted import TINY, own, play, show, tiny

# b concedes: x3y3, x3y2, x2y3, x3y1 (crosses a's red line), x2y2, x1y3.
SCRIPT = [(2, 2), (2, 1), (1, 2), (2, 0), (1, 1), (0, 2)]


def test_linear() -> None:
    assert play(Linear(), own(tiny(), "a"), SCRIPT) == [
        ("reject x y", (0, 0)),
        ("reject x", (0, 1)),  # y1 would cross the red line with x3: only x can gain
        ("reject y x", (0, 1)),  # x2y3: y1 gains 4, x1 gains 3
        ("reject x y", (0, 2)),  # a red line crossed: both of its issues, in order
        ("accept", (0, 2)),  # x2y2 = 6 is what a would propose (x1y3 = 6)
        ("accept", (1, 2)),
    ]


def test_boulware_holds_until_the_end() -> None:
    # target 3 + 7 (1 - t**5): 10, 9.998, 9.93, 9.46, 7.71, 3.
    assert play(Boulware(), own(tiny(), "a"), SCRIPT) == [
        ("reject x y", (0, 0)),
        ("reject x", (0, 0)),
        ("reject y x", (0, 0)),
        ("reject x y", (0, 0)),
        ("reject x y", (0, 1)),
        ("accept", (1, 2)),
    ]


def test_conceder_gives_way_early() -> None:
    # target 3 + 7 (1 - t**0.2): 10, 4.93, 4.07, 3.53, 3.21, 3.
    assert play(Conceder(), own(tiny(), "a"), SCRIPT) == [
        ("reject x y", (0, 0)),
        ("reject x", (0, 2)),
        ("reject y x", (0, 2)),
        ("reject x y", (0, 2)),
        ("accept", (0, 2)),
        ("accept", (1, 2)),
    ]


def test_e_is_a_parameter() -> None:
    strategy = make_strategy("time-based", e=2.0)
    assert isinstance(strategy, TimeBasedConcession) and strategy.e == 2.0
    assert make_strategy("boulware", e=0.5).e == 0.5  # type: ignore[attr-defined]
    # target 3 + 7 (1 - sqrt(t)): 10, 6.87, 5.57, 4.58, 3.74, 3.
    assert [offer for _, offer in play(strategy, own(tiny(), "a"), SCRIPT)] == [
        (0, 0),
        (1, 0),
        (0, 2),
        (0, 2),
        (0, 2),
        (1, 2),
    ]
    with pytest.raises(ValueError, match="e must be positive"):
        TimeBasedConcession(e=0)


def test_targets_follow_the_curve() -> None:
    strategy = Linear()
    strategy.reset(own(tiny(), "a"), np.random.default_rng(0))
    assert [strategy.target(t) for t in (0.0, 0.5, 1.0)] == [10.0, 6.5, 3.0]


def test_the_floor_is_the_worst_acceptable_package_above_the_reservation() -> None:
    # With a reservation of -5 the worst acceptable package (x3y3 = 0) is the floor.
    text = TINY.replace("reservation: 3\n      red_lines", "reservation: -5\n      red_lines")
    preferences = own(compile_scenario(parse_scenario(text, "tiny.yaml")), "a")
    strategy = Linear()
    strategy.reset(preferences, np.random.default_rng(0))
    assert strategy.target(1.0) == 0.0


def test_single_text_objections() -> None:
    preferences = own(tiny(), "a")
    strategy = Linear(max_objections=1)
    strategy.reset(preferences, np.random.default_rng(0))
    draft = Event(0, "m", "draft", (1, 2), version=1)
    view = NegotiationView("a", preferences, ("a", "b"), 0, 4, (draft,), table=(1, 2))
    # x2y3 = 3: y1 gains 4, x1 gains 3; only the first objection is kept.
    assert show(strategy.respond(view, (1, 2))) == "reject y"
    late = NegotiationView("a", preferences, ("a", "b"), 3, 4, (draft,), table=(1, 2))
    assert show(strategy.respond(late, (1, 2))) == "accept"


def test_a_block_table_moves_only_its_issues() -> None:
    preferences = own(tiny(), "a")
    strategy = Linear()
    strategy.reset(preferences, np.random.default_rng(0))
    # Issue x is open; y stays at y3, the option of the package on the table.
    offers = [
        strategy.propose(
            NegotiationView("a", preferences, ("a", "b"), r, 3, (), table=(2, 2), issues=(0,))
        )
        for r in range(3)
    ]
    # Within x?y3 the acceptable packages are x2y3 = 3 and x1y3 = 6: targets 6, 4.5, 3.
    assert offers == [(0, 2), (0, 2), (1, 2)]
    assert preferences.ranking(Subspace((0,), (0, 2))).utilities == [3.0, 6.0]


def test_walks_away_when_nothing_is_acceptable() -> None:
    text = TINY.replace("reservation: 3\n      red_lines", "reservation: 11\n      red_lines")
    preferences = own(compile_scenario(parse_scenario(text, "tiny.yaml")), "a")
    played = play(Conceder(), preferences, SCRIPT[:2])
    # It still proposes its best package, and leaves when asked to answer.
    assert played == [("walk away", (0, 0)), ("walk away", (0, 0))]
