"""Golden runs of the mediator's single negotiating text with scripted strategies."""

from __future__ import annotations

import pytest

from accord.analysis.compiled import CompiledScenario
from accord.negotiation.protocols import ProtocolError, SingleText
from test_protocols_common import Scripted, ScriptedMediator, kinds


def test_the_mediator_revises_from_the_objections(small: CompiledScenario) -> None:
    mediator = ScriptedMediator([(0, 1, 0), (1, 1, 1)])
    p = Scripted(answers=["accept"])
    q = Scripted(answers=[("reject", ("a", "c")), "accept"])
    trace = SingleText().run(small, {"p": p, "q": q, "m": mediator}, seed=1, deadline=5)
    assert kinds(trace.events) == [
        (0, "m", "draft", (0, 1, 0), "v1"),
        (0, "p", "accept", "v1"),
        (0, "q", "reject", "v1", ("a", "c")),
        (1, "m", "draft", (1, 1, 1), "v2"),
        (1, "p", "accept", "v2"),
        (1, "q", "accept", "v2"),
        (1, "", "agreement", (1, 1, 1), "v2"),
    ]
    assert (trace.agreement, trace.rounds, trace.reason) == ((1, 1, 1), 2, "agreement")
    assert trace.metadata == (("mediator", "m"),)
    assert trace.strategies == (("p", "scripted"), ("q", "scripted"), ("m", "scripted-mediator"))
    (first, none), (second, raised) = mediator.calls
    assert (first.table, none, first.history, first.parties) == (None, {}, (), ("p", "q"))
    assert (second.table, raised) == ((0, 1, 0), {"q": ("a", "c")})
    assert second.history == trace.events[:3] and second.own.party == "m"
    assert q.views[1].history == trace.events[:5]  # everyone at the table sees every answer


def test_an_unchanged_draft_is_not_a_new_version(small: CompiledScenario) -> None:
    # q cannot sign (0, 1, 0): its acceptance is taken as a rejection with no objection.
    mediator = ScriptedMediator([(0, 1, 0)])
    p = Scripted(answers=["accept"])
    q = Scripted(answers=["accept"])
    trace = SingleText().run(small, {"p": p, "q": q, "m": mediator}, seed=1, deadline=2)
    assert kinds(trace.events) == [
        (0, "m", "draft", (0, 1, 0), "v1"),
        (0, "p", "accept", "v1"),
        (0, "q", "reject", "v1"),
        (1, "p", "accept", "v1"),
        (1, "q", "reject", "v1"),
        (1, "", "end", "deadline"),
    ]
    assert [objections for _, objections in mediator.calls] == [{}, {"q": ()}]


def test_a_mediator_with_preferences_accepts_what_it_can_sign(small: CompiledScenario) -> None:
    # p mediates: it does not answer, and it counts as accepting a draft it can sign;
    # it cannot sign (2, 0, 2) (its red line), so q's acceptance alone is no agreement.
    p = ScriptedMediator([(2, 0, 2), (0, 0, 2)])
    q = Scripted(answers=["accept"])
    trace = SingleText().run(small, {"p": p, "q": q}, seed=1, deadline=5)
    assert kinds(trace.events) == [
        (0, "p", "draft", (2, 0, 2), "v1"),
        (0, "q", "accept", "v1"),
        (1, "p", "draft", (0, 0, 2), "v2"),
        (1, "q", "accept", "v2"),
        (1, "", "agreement", (0, 0, 2), "v2"),
    ]
    assert trace.strategies == (("p", "scripted-mediator"), ("q", "scripted"))
    assert p.own.party == "p" and p.own.red_lines  # its own preferences, and only those
    assert p.calls[0][0].parties == ("q",)


def test_walking_away_from_the_text(small: CompiledScenario) -> None:
    mediator = ScriptedMediator([(0, 0, 0)])
    p = Scripted(answers=["walk"])
    q = Scripted(answers=["accept"])
    trace = SingleText().run(small, {"p": p, "q": q, "m": mediator}, seed=1, deadline=5)
    assert kinds(trace.events) == [
        (0, "m", "draft", (0, 0, 0), "v1"),
        (0, "p", "walk_away", "v1"),
        (0, "", "end", "p walked away"),
    ]


def test_the_mediator_can_be_named(small: CompiledScenario) -> None:
    strategies = {
        "p": Scripted(answers=["accept"]),
        "q": Scripted(answers=["accept"]),
        "m": ScriptedMediator([(0, 0, 0)]),
        "n": ScriptedMediator([(0, 1, 0)]),
    }
    with pytest.raises(ProtocolError, match="found m, n; name the mediator"):
        SingleText().run(small, strategies, seed=1, deadline=5)
    with pytest.raises(ProtocolError, match="not at this table: n"):
        SingleText().run(small, strategies, seed=1, deadline=5, mediator="m")
    del strategies["n"]
    trace = SingleText().run(small, strategies, seed=1, deadline=5, mediator="m")
    assert trace.agreement == (0, 0, 0)
