"""Alternating offers ask time-dependent strategies without a view: the same run exactly.

The oracle is the general path: the same strategies with ``time_dependent`` switched off,
so that the protocol builds a view each turn and calls ``respond`` and ``propose``.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import ClassVar

import pytest

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.negotiation.protocols import protocol
from accord.negotiation.registry import make_strategy
from accord.negotiation.strategies import Hardliner, TimeBasedConcession
from accord.negotiation.strategy import Strategy, TimeDependent
from accord.scenario.generate import random_additive_scenario
from accord.scenario.loader import load_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = ("boulware", "linear", "conceder", "hardliner")


class ViewedTimeBased(TimeBasedConcession):
    time_dependent: ClassVar[bool] = False


class ViewedHardliner(Hardliner):
    time_dependent: ClassVar[bool] = False


def viewed(name: str) -> Strategy:
    """The registry's strategy, run through views (the general path)."""
    timed = make_strategy(name)
    if isinstance(timed, Hardliner):
        return ViewedHardliner()
    assert isinstance(timed, TimeBasedConcession)
    strategy = ViewedTimeBased(e=timed.e)
    return strategy


def scenarios() -> list[tuple[str, CompiledScenario]]:
    cases = [
        (f"random-{parties}x{seed}", random_additive_scenario(parties, 4, 4, seed, reservation))
        for parties, seed, reservation in ((2, 1, 0.0), (2, 2, 0.3), (3, 3, 0.2), (4, 4, 0.1))
    ]
    cases += [(path.stem, load_scenario(path)) for path in sorted(EXAMPLES.glob("[cl]*.yaml"))]
    return [(label, compile_scenario(scenario)) for label, scenario in cases]


@pytest.mark.parametrize(("label", "compiled"), scenarios(), ids=lambda v: str(v)[:30])
@pytest.mark.parametrize("deadline", [1, 7, 60])
def test_timed_path_equals_the_viewed_path(
    label: str, compiled: CompiledScenario, deadline: int
) -> None:
    alternating = protocol("alternating")
    parties = compiled.party_ids
    for names in product(NAMES, repeat=len(parties)):
        if len(parties) > 2 and len(set(names)) < len(names) - 1:
            continue  # keep the three- and four-party products small
        timed = {p: make_strategy(n) for p, n in zip(parties, names, strict=True)}
        assert all(isinstance(s, TimeDependent) and s.time_dependent for s in timed.values())
        general = {p: viewed(n) for p, n in zip(parties, names, strict=True)}
        fast = alternating.run(compiled, timed, 5, deadline)
        slow = alternating.run(compiled, general, 5, deadline)
        assert fast.events == slow.events, (label, names)
        assert (fast.agreement, fast.rounds, fast.reason) == (
            slow.agreement,
            slow.rounds,
            slow.reason,
        )


def test_the_timed_path_is_taken() -> None:
    """Not a vacuous comparison: the time-dependent strategies are never shown a view."""

    class Counting(TimeBasedConcession):
        views = 0

        def respond(self, view, package):  # type: ignore[no-untyped-def]
            Counting.views += 1
            return super().respond(view, package)

        def propose(self, view):  # type: ignore[no-untyped-def]
            Counting.views += 1
            return super().propose(view)

    compiled = compile_scenario(random_additive_scenario(2, 3, 3, 9))
    a, b = compiled.party_ids
    trace = protocol("alternating").run(compiled, {a: Counting(), b: Counting(e=2.0)}, 0, 20)
    assert trace.events and Counting.views == 0
