"""Golden tests: the random baseline draws acceptable packages from the generator it is given."""

from __future__ import annotations

from accord.negotiation.strategies import RandomAcceptable
from scripted import own, play, tiny

SCRIPT = [(2, 2), (1, 1), (0, 1), (2, 0), (1, 2), (2, 1)]


def test_seeded_sequence() -> None:
    assert play(RandomAcceptable(), own(tiny(), "a"), SCRIPT, seed=1) == [
        ("reject x y", (1, 1)),  # x3y3 = 0 is below the reservation value
        ("accept", (1, 1)),
        ("accept", (0, 1)),
        ("reject x y", (0, 0)),  # x3y1 crosses the red line
        ("accept", (1, 2)),  # x2y3 = 3: exactly the reservation value
        ("accept", (2, 1)),
    ]


def test_another_seed_another_sequence() -> None:
    first = play(RandomAcceptable(), own(tiny(), "a"), SCRIPT, seed=1)
    second = play(RandomAcceptable(), own(tiny(), "a"), SCRIPT, seed=2)
    assert [offer for _, offer in first] != [offer for _, offer in second]


def test_draws_every_acceptable_package_and_nothing_else() -> None:
    preferences = own(tiny(), "a")
    played = play(RandomAcceptable(), preferences, [(0, 0)] * 200, seed=3)
    offered = {preferences.index(offer) for _, offer in played}
    assert offered == {0, 1, 2, 3, 4, 5, 7}
