"""Golden tests: the hardliner proposes its best package and accepts nothing less."""

from __future__ import annotations

from accord.negotiation.strategies import Hardliner
from scripted import own, play, tiny

SCRIPT = [(2, 2), (1, 1), (0, 1), (0, 0), (0, 2)]


def test_always_its_best_package() -> None:
    assert play(Hardliner(), own(tiny(), "a"), SCRIPT) == [
        ("reject x y", (0, 0)),
        ("reject x y", (0, 0)),  # x2y2 = 6: x1 and y1 both gain 3; issue order
        ("reject y", (0, 0)),  # x1y2 = 9 is not enough
        ("accept", (0, 0)),  # x1y1 = 10, its best
        ("reject y", (0, 0)),
    ]


def test_the_best_package_of_the_other_party() -> None:
    # b's best is x3y3 (10); its objections name what it needs changed.
    played = play(Hardliner(), own(tiny(), "b"), [(0, 0), (2, 2)], me="b")
    assert played == [("reject x y", (2, 2)), ("accept", (2, 2))]
