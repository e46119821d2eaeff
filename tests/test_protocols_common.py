"""The protocols' shared parts (seating, rule, signatures, package checks), and the scripted
strategies that the protocol tests play with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pytest

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.protocols import PROTOCOLS, ProtocolError, protocol
from accord.negotiation.protocols.common import Packages, Rule, Signatures, seat
from accord.negotiation.strategy import MediatorStrategy, Response, Strategy
from accord.negotiation.trace import Event
from accord.negotiation.view import NegotiationView
from accord.scenario.loader import parse_scenario

Script = Sequence[Any] | Mapping[str | None, Sequence[Any]]


def _step(script: Script, key: str | None, counters: dict[str | None, int]) -> Any:
    """The next move of a script (a list, or lists by block); the last one repeats."""
    moves = script.get(key, ()) if isinstance(script, Mapping) else script
    assert moves, f"no scripted move for {key!r}"
    count = counters.get(key, 0)
    counters[key] = count + 1
    return moves[min(count, len(moves) - 1)]


class Scripted(Strategy):
    """Plays a script: offers in turn, answers in turn ("accept", "reject", "walk", or
    ``("reject", objections)``); at a block's table, the lists for that block. Records
    every view it is shown."""

    name: ClassVar[str] = "scripted"

    def __init__(self, offers: Script = (), answers: Script = ()) -> None:
        self.offers = offers
        self.answers = answers

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        self.views: list[NegotiationView] = []
        self._offered: dict[str | None, int] = {}
        self._answered: dict[str | None, int] = {}

    def _see(self, view: NegotiationView) -> None:
        if not self.views or self.views[-1] is not view:  # a response and the offer after it
            self.views.append(view)

    def propose(self, view: NegotiationView) -> Package:
        self._see(view)
        offer: Package = _step(self.offers, view.block, self._offered)
        return offer

    def respond(self, view: NegotiationView, package: Package) -> Response:
        self._see(view)
        answer = _step(self.answers, view.block, self._answered)
        if isinstance(answer, tuple):
            return Response(False, objections=answer[1])
        return Response(answer == "accept", walk_away=answer == "walk")


class ScriptedMediator(MediatorStrategy):
    """Drafts a script of packages in turn; records the views and objections it got."""

    name: ClassVar[str] = "scripted-mediator"

    def __init__(self, drafts: Sequence[Package]) -> None:
        self.drafts = drafts

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        self.calls: list[tuple[NegotiationView, dict[str, tuple[str, ...]]]] = []

    def draft(self, view: NegotiationView, objections: Mapping[str, tuple[str, ...]]) -> Package:
        self.calls.append((view, dict(objections)))
        return self.drafts[min(len(self.calls) - 1, len(self.drafts) - 1)]


def kinds(events: Sequence[Event]) -> list[tuple[Any, ...]]:
    """Events as short tuples: round, party, kind, and package/version/objections if set."""
    rows = []
    for e in events:
        row: tuple[Any, ...] = (e.round, e.party, e.kind)
        if e.package is not None:
            row += (e.package,)
        if e.block is not None:
            row += (e.block,)
        if e.version is not None:
            row += (f"v{e.version}",)
        if e.objections:
            row += (e.objections,)
        if e.note:
            row += (e.note,)
        rows.append(row)
    return rows


def compiled_from(text: str) -> CompiledScenario:
    return compile_scenario(parse_scenario(text, "test.yaml"))


THREE_PARTIES = """
id: three
issues:
  - id: a
    options: [{id: a1}, {id: a2}]
  - id: b
    options: [{id: b1}, {id: b2}]
parties:
  - id: p
    preferences: {values: {a: {a1: 1, a2: 0}, b: {b1: 1, b2: 0}}, reservation: 0.2}
  - id: q
    required: false
    preferences: {values: {a: {a1: 0, a2: 1}, b: {b1: 1, b2: 0}}, reservation: 0.2}
  - id: r
    required: false
    preferences: {values: {a: {a1: 1, a2: 0}, b: {b1: 0, b2: 1}}, reservation: 0.2}
agreement: {kind: quorum, min_parties: 2, veto: [p]}
"""


def test_protocols_by_name() -> None:
    assert list(PROTOCOLS) == ["alternating", "single-text", "parallel-blocks", "shuttle"]
    assert all(cls.name == name for name, cls in PROTOCOLS.items())
    assert protocol("parallel-blocks", mode="lock-in").mode == "lock-in"  # type: ignore[union-attr]
    with pytest.raises(ProtocolError, match="alternating, single-text, parallel-blocks, shuttle"):
        protocol("auction")
    with pytest.raises(ProtocolError, match="modes: provisional, lock-in"):
        protocol("parallel-blocks", mode="sometimes")


def test_rule_of_a_quorum_with_a_veto() -> None:
    rule = Rule.of(compiled_from(THREE_PARTIES))
    assert rule == Rule(frozenset({0}), frozenset({0, 1, 2}), 2)
    assert rule.met({0, 1}) and rule.met({0, 2})
    assert not rule.met({1, 2}) and not rule.met({0})
    assert rule.among([1, 2]) == Rule(frozenset(), frozenset({1, 2}), 2)
    assert rule.among([0]) == Rule(frozenset({0}), frozenset({0}), 1)


def test_signatures_follow_the_compiled_acceptance(small: CompiledScenario) -> None:
    owns = [OwnPreferences.of(small, p) for p in range(small.party_count)]
    signatures = Signatures(owns)
    packages = small.space.all_packages()
    expected = small.acceptance(packages)
    for row, package in enumerate(packages.tolist()):
        for party in range(small.party_count):
            assert signatures.can_sign(party, tuple(package)) == expected[party, row]
    anything = Signatures(owns, every_package=True)
    assert anything.can_sign(0, (2, 0, 2))  # p's red line, ignored under that convention


def test_packages_are_checked_and_made_plain(small: CompiledScenario) -> None:
    packages = Packages(small.space)
    checked = packages.check(np.array([1, 0, 2]), "p")  # type: ignore[arg-type]
    assert checked == (1, 0, 2) and all(type(o) is int for o in checked)
    assert packages.check((1, 0, 2), "p") is checked
    for bad in [(1, 0), (1, 2, 0), (0, 0, -1), "abc"]:
        with pytest.raises(ProtocolError, match="p returned"):
            packages.check(bad, "p")  # type: ignore[arg-type]
    assert packages.objections(["a", "c"], "q") == ("a", "c")
    with pytest.raises(ProtocolError, match=r"q objected to unknown issues \['z'\]"):
        packages.objections(["z"], "q")


def test_seating_errors_name_the_parties(small: CompiledScenario) -> None:
    with pytest.raises(ProtocolError, match=r"no strategy for q \(the parties with pref"):
        seat(small, {"p": Scripted()}, 0, 5, "alternating")
    with pytest.raises(ProtocolError, match="not at this table: x"):
        seat(small, {"p": Scripted(), "q": Scripted(), "x": Scripted()}, 0, 5, "alternating")
    shared = Scripted()
    with pytest.raises(ProtocolError, match="p and q share one strategy object"):
        seat(small, {"p": shared, "q": shared}, 0, 5, "alternating")
    with pytest.raises(ProtocolError, match="at least one round"):
        seat(small, {"p": Scripted(), "q": Scripted()}, 0, 0, "alternating")
    with pytest.raises(ProtocolError, match=r"exactly one mediator strategy.*found none"):
        seat(small, {"p": Scripted(), "q": Scripted()}, 0, 5, "single-text", mediated=True)
    with pytest.raises(ProtocolError, match="the mediator p needs a mediator strategy"):
        seat(
            small,
            {"p": Scripted(), "q": Scripted()},
            0,
            5,
            "single-text",
            mediated=True,
            mediator="p",
        )


class AlternatingOnly(Scripted):
    name: ClassVar[str] = "alternating-only"
    meta: ClassVar[Mapping[str, Any]] = {"protocols": ("alternating",)}


def test_a_strategy_must_support_the_protocol(small: CompiledScenario) -> None:
    strategies = {"p": AlternatingOnly(), "q": Scripted(), "m": ScriptedMediator([(0, 0, 0)])}
    with pytest.raises(ProtocolError, match="alternating-only \\(for p\\) supports only altern"):
        seat(small, strategies, 0, 5, "shuttle", mediated=True)


def test_generators_are_spawned_per_party_from_the_seed(small: CompiledScenario) -> None:
    strategies = {"p": Scripted(), "q": Scripted(), "m": ScriptedMediator([(0, 0, 0)])}
    seating = seat(small, strategies, 7, 5, "single-text", mediated=True)
    children = np.random.SeedSequence(7).spawn(3)
    for strategy, child in zip(
        [strategies["p"], strategies["q"], strategies["m"]], children, strict=True
    ):
        assert strategy.rng.integers(1 << 30) == np.random.default_rng(child).integers(1 << 30)
    assert seating.names() == (("p", "scripted"), ("q", "scripted"), ("m", "scripted-mediator"))
    mediator_own = strategies["m"].own
    assert mediator_own.party == "m" and not mediator_own.red_lines
    assert mediator_own.utility((2, 1, 2)) == 0.0
