"""Invariants of every protocol on random scenarios, with random scripted strategies.

An agreement is always a package the rule accepts (so no required party's red line is
crossed); the deadline holds; the same seed gives a byte-identical trace; every view a
strategy is shown holds its own preferences and nothing of another party's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.protocols import ParallelBlocks, protocol
from accord.negotiation.strategy import MediatorStrategy, Response, Strategy
from accord.negotiation.trace import Event, Trace
from accord.negotiation.view import NegotiationView
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from strategies import scenario_data
from test_protocols_common import Scripted, ScriptedMediator

EXAMPLES = Path(__file__).parent.parent / "examples"

MEDIATED = ("single-text", "shuttle")


class RandomParty(Strategy):
    """Offers a random package (mostly one it can sign); answers at random, sometimes
    accepting what it cannot sign and sometimes walking away."""

    name: ClassVar[str] = "random-party"

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        self.views: list[NegotiationView] = []
        self.every = [tuple(p) for p in own.space.all_packages().tolist()]
        self.signable = [p for p in self.every if own.acceptable(p)]

    def propose(self, view: NegotiationView) -> Package:
        self.views.append(view)
        pool = self.signable if self.signable and self.rng.random() < 0.8 else self.every
        return pool[int(self.rng.integers(len(pool)))]

    def respond(self, view: NegotiationView, package: Package) -> Response:
        self.views.append(view)
        roll = self.rng.random()
        if roll < 0.02:
            return Response(False, walk_away=True)
        if roll < 0.15 or (roll < 0.8 and self.own.acceptable(package)):
            return Response(True)
        issues = self.own.space.issue_ids
        return Response(False, objections=tuple(i for i in issues if self.rng.random() < 0.4))


class RandomMediator(MediatorStrategy):
    """Drafts a random package, or moves each objected issue to a random option."""

    name: ClassVar[str] = "random-mediator"

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        self.views: list[NegotiationView] = []

    def draft(self, view: NegotiationView, objections: Any) -> Package:
        self.views.append(view)
        space = self.own.space
        counts = [len(options) for options in space.option_ids]
        if view.table is None or self.rng.random() < 0.2:
            return tuple(int(self.rng.integers(c)) for c in counts)
        text = list(view.table)
        for issues in objections.values():
            for issue_id in issues:
                issue = space.issue_ids.index(issue_id)
                text[issue] = int(self.rng.integers(counts[issue]))
        return tuple(text)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Scenario, str, str, int, int]:
    """A random scenario (with blocks, participants and status quos drawn on top), a
    protocol, a mode for parallel blocks, a seed and a deadline."""
    data = draw(scenario_data())
    if draw(st.booleans()):
        with_preferences = [p["id"] for p in data["parties"] if "preferences" in p]
        blocks = []
        for block_id in ("b0", "b1"):
            entry: dict[str, Any] = {"id": block_id}
            if draw(st.integers(0, 3)) == 0:
                entry["participants"] = draw(
                    st.lists(st.sampled_from(with_preferences), min_size=1, unique=True)
                )
            blocks.append(entry)
        data["blocks"] = blocks
        for issue in data["issues"]:
            block = draw(st.sampled_from(["b0", "b1", None]))
            if block is not None:
                issue["block"] = block
            if draw(st.booleans()):
                issue["status_quo"] = draw(st.sampled_from(issue["options"]))["id"]
    scenario = Scenario.model_validate(data)
    name = draw(st.sampled_from(["alternating", "single-text", "parallel-blocks", "shuttle"]))
    mode = draw(st.sampled_from(["provisional", "lock-in"]))
    return scenario, name, mode, draw(st.integers(0, 2**32 - 1)), draw(st.integers(1, 12))


def players(scenario: Scenario, compiled: CompiledScenario, name: str) -> dict[str, Strategy]:
    chosen: dict[str, Strategy] = {party: RandomParty() for party in compiled.party_ids}
    if name in MEDIATED:
        mediators = [p.id for p in scenario.parties if p.role == "mediator"]
        chosen[mediators[0] if mediators else "mediator"] = RandomMediator()
    return chosen


def play(
    scenario: Scenario, name: str, mode: str, seed: int, deadline: int
) -> tuple[CompiledScenario, dict[str, Strategy], Trace]:
    compiled = compile_scenario(scenario)
    chosen = players(scenario, compiled, name)
    runner = ParallelBlocks(mode) if name == "parallel-blocks" else protocol(name)  # type: ignore[arg-type]
    return compiled, chosen, runner.run(compiled, chosen, seed=seed, deadline=deadline)


@settings(max_examples=300)
@given(cases())
def test_protocol_invariants(case: tuple[Scenario, str, str, int, int]) -> None:
    scenario, name, mode, seed, deadline = case
    compiled, chosen, trace = play(scenario, name, mode, seed, deadline)
    event(f"{name}: {trace.reason.split()[-1]}")  # agreement, deadline, away, failed

    # An agreement is a package the rule accepts: no required party's red line crossed.
    if trace.agreement is not None:
        package = np.array(trace.agreement, dtype=np.int64)
        assert compiled.feasible(package)[0]
        crossed = compiled.crossed_red_lines(package)[:, 0]
        assert not any(
            crossed[k]
            for k, red_line in enumerate(compiled.red_lines)
            if compiled.required[red_line.party]
        )
        assert trace.events[-1].kind == "agreement" and trace.reason == "agreement"
    else:
        assert trace.events[-1].kind == "end" and trace.reason != "agreement"

    # The deadline holds, and time only moves forward.
    rounds = [event.round for event in trace.events]
    assert rounds == sorted(rounds) and rounds[0] >= 0 and rounds[-1] < deadline
    assert trace.rounds == rounds[-1] + 1 <= deadline

    # The same seed, fresh strategies: the same bytes.
    space = compiled.space
    assert play(scenario, name, mode, seed, deadline)[2].to_jsonl(space) == trace.to_jsonl(space)

    # Each view holds the party's own preferences, and nothing else of anyone's.
    for party, strategy in chosen.items():
        own = strategy.own
        assert own.party == party
        if party in compiled.party_ids:
            expected = OwnPreferences.of(compiled, compiled.party_index(party))
            assert np.array_equal(own.linear, expected.linear)
            assert own.red_lines == expected.red_lines and own.reservation == expected.reservation
        else:
            assert not own.linear.any() and not own.red_lines
        for view in strategy.views:  # type: ignore[attr-defined]
            assert view.me == party and view.own is own and view.deadline == deadline
            assert 0 <= view.round < deadline
            for name_, value in view._asdict().items():
                assert name_ == "own" or not isinstance(value, OwnPreferences)
            assert all(type(event) is Event for event in view.history)
            if name == "shuttle" and isinstance(strategy, RandomParty):
                assert all(event.party == party for event in view.history)


def test_no_protocol_crosses_the_peace_plans_red_lines() -> None:
    """On the illustrative 27-point plan (7e12 packages, too many to list), Ukraine's and
    Russia's red lines exclude each other: parties that accept anything reach no deal."""
    compiled = compile_scenario(load_scenario(EXAMPLES / "peace-plan-27.yaml"))
    status_quo = tuple(0 if option is None else option for option in compiled.status_quo)
    for name in ("alternating", "single-text", "parallel-blocks", "shuttle"):
        chosen: dict[str, Strategy] = {
            party: Scripted(offers=[status_quo], answers=["accept"]) for party in compiled.party_ids
        }
        if name in MEDIATED:
            chosen["us"] = ScriptedMediator([status_quo, tuple(1 for _ in status_quo)])
        trace = protocol(name).run(compiled, chosen, seed=0, deadline=4)
        assert trace.agreement is None and trace.reason == "deadline", name
        if name == "parallel-blocks":
            # The status quo of the territory block crosses a red line that lies within it:
            # that block never closes, so the plan never comes to a vote.
            agreed = {e.block for e in trace.events if e.kind == "block_agreement"}
            assert agreed == {"sovereignty-security", "economy", "european-security"}
            assert not any(e.note == "final vote" for e in trace.events)
