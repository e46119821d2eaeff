"""Golden runs of shuttle mediation: who saw which version when, and nothing more."""

from __future__ import annotations

from accord.analysis.compiled import CompiledScenario
from accord.negotiation.protocols import Shuttle
from test_protocols_common import Scripted, ScriptedMediator, kinds


def test_the_mediator_carries_the_text_from_party_to_party(small: CompiledScenario) -> None:
    mediator = ScriptedMediator([(0, 1, 0), (0, 1, 0), (1, 1, 1)])
    p = Scripted(answers=["accept"])
    q = Scripted(answers=[("reject", ("a", "c")), "accept"])
    trace = Shuttle().run(small, {"p": p, "q": q, "m": mediator}, seed=2, deadline=10)
    assert kinds(trace.events) == [
        (0, "m", "draft", (0, 1, 0), "v1"),
        (0, "p", "show", (0, 1, 0), "v1"),
        (0, "p", "accept", "v1"),
        (1, "q", "show", (0, 1, 0), "v1"),
        (1, "q", "reject", "v1", ("a", "c")),
        (2, "m", "draft", (1, 1, 1), "v2"),
        (2, "p", "show", (1, 1, 1), "v2"),
        (2, "p", "accept", "v2"),
        (3, "q", "show", (1, 1, 1), "v2"),
        (3, "q", "accept", "v2"),
        (3, "", "agreement", (1, 1, 1), "v2"),
    ]
    assert (trace.agreement, trace.rounds, trace.reason) == ((1, 1, 1), 4, "agreement")
    assert [objections for _, objections in mediator.calls] == [{}, {}, {"q": ("a", "c")}, {}]
    # A party's history holds its own meetings only; the mediator's holds everything.
    assert [v.history for v in p.views] == [
        trace.events[1:2],
        trace.events[1:3] + trace.events[6:7],
    ]
    assert q.views[1].history == trace.events[3:5] + trace.events[8:9]
    assert mediator.calls[3][0].history == trace.events[:8]


def test_a_party_that_accepted_the_version_is_not_met_again(small: CompiledScenario) -> None:
    mediator = ScriptedMediator([(0, 0, 2)])
    p = Scripted(answers=["accept"])
    q = Scripted(answers=[("reject", ("b",))])
    trace = Shuttle().run(small, {"p": p, "q": q, "m": mediator}, seed=2, deadline=3)
    assert kinds(trace.events) == [
        (0, "m", "draft", (0, 0, 2), "v1"),
        (0, "p", "show", (0, 0, 2), "v1"),
        (0, "p", "accept", "v1"),
        (1, "q", "show", (0, 0, 2), "v1"),
        (1, "q", "reject", "v1", ("b",)),
        (2, "q", "show", (0, 0, 2), "v1"),
        (2, "q", "reject", "v1", ("b",)),
        (2, "", "end", "deadline"),
    ]
    assert trace.rounds == 3
