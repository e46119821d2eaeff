"""A tiny scenario and scripted opponents for the strategies' golden tests.

``tiny`` has two issues of three options and two parties scored in points, so every
utility is a small integer that a reader can check by hand::

    a: x1 6, x2 3, x3 0; y1 4, y2 3, y3 0; reservation 3; red line x3 and y1
    b: x1 0, x2 3, x3 6; y1 0, y2 2, y3 4; reservation 3

Packages are numbered ``3 * x + y`` (x1y1 = 0 ... x3y3 = 8). ``a``'s acceptable packages,
worst first (ties by number): x2y3 = 3 (5), x3y2 = 3 (7), x1y3 = 6 (2), x2y2 = 6 (4),
x2y1 = 7 (3), x1y2 = 9 (1), x1y1 = 10 (0); x3y1 = 4 crosses its red line, x3y3 = 0 is below
its reservation value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.strategy import Response, Strategy
from accord.negotiation.trace import Event
from accord.negotiation.view import NegotiationView
from accord.scenario.loader import parse_scenario

TINY = """
id: tiny
issues:
  - {id: x, options: [{id: x1}, {id: x2}, {id: x3}]}
  - {id: y, options: [{id: y1}, {id: y2}, {id: y3}]}
parties:
  - id: a
    preferences:
      scale: points
      values: {x: {x1: 6, x2: 3, x3: 0}, y: {y1: 4, y2: 3, y3: 0}}
      reservation: 3
      red_lines: [{options: {x: x3, y: y1}}]
  - id: b
    preferences:
      scale: points
      values: {x: {x1: 0, x2: 3, x3: 6}, y: {y1: 0, y2: 2, y3: 4}}
      reservation: 3
"""


def tiny() -> CompiledScenario:
    return compile_scenario(parse_scenario(TINY, "tiny.yaml"))


def own(compiled: CompiledScenario, party: str) -> OwnPreferences:
    return OwnPreferences.of(compiled, compiled.party_index(party))


def show(response: Response) -> str:
    """A response in a few characters: ``accept``, ``reject x y``, ``walk away``."""
    if response.walk_away:
        return "walk away"
    return "accept" if response.accept else " ".join(("reject", *response.objections))


def play(
    strategy: Strategy,
    preferences: OwnPreferences,
    script: Sequence[Package | dict[str, Package]],
    seed: int = 1,
    me: str = "a",
) -> list[tuple[str, Package]]:
    """Bilateral (or n-party) alternating offers against scripted opponents.

    Round ``r`` opens with the scripted offer(s) ``script[r]`` (a package from ``b``, or
    packages by party); the strategy responds to the last of them, then proposes. Returns,
    per round, the response shown with :func:`show` and the package proposed. The deadline
    is the script's length.
    """
    strategy.reset(preferences, np.random.default_rng(seed))
    rounds = len(script)
    history: list[Event] = []
    played = []
    others = tuple(script[0]) if isinstance(script[0], dict) else ("b",)
    for round_, scripted in enumerate(script):
        offers = scripted if isinstance(scripted, dict) else {"b": scripted}
        for party, package in offers.items():
            history.append(Event(round_, party, "offer", package))
        table = history[-1].package
        assert table is not None
        view = NegotiationView(me, preferences, (me, *others), round_, rounds, tuple(history))
        answer = show(strategy.respond(view, table))
        view = NegotiationView(me, preferences, (me, *others), round_, rounds, tuple(history))
        offer = strategy.propose(view)
        history.append(Event(round_, me, "offer", offer))
        played.append((answer, offer))
    return played
