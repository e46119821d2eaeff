"""Golden tests: the hill-climbing mediator revises the single text from objections."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.strategies import AnnealingMediator, HillClimbingMediator, Linear
from accord.negotiation.strategy import Strategy
from accord.negotiation.trace import Event
from accord.negotiation.view import NegotiationView
from scripted import own, show, tiny


def no_preferences() -> OwnPreferences:
    space = tiny().space
    return OwnPreferences("m", space, np.zeros(space.flat_size), 0.0, (), np.zeros(0), (), 0.0)


def mediator_view(round_: int, table: Package | None) -> NegotiationView:
    return NegotiationView("m", no_preferences(), ("a", "b"), round_, 10, (), table)


def drafts(
    mediator: HillClimbingMediator, objections: list[Mapping[str, tuple[str, ...]]]
) -> list[Package]:
    """The texts drafted when each version draws the scripted objections."""
    mediator.reset(no_preferences(), np.random.default_rng(0))
    text = mediator.draft(mediator_view(0, None), {})
    texts = [text]
    for round_, raised in enumerate(objections, start=1):
        text = mediator.draft(mediator_view(round_, text), raised)
        texts.append(text)
    return texts


def test_changes_the_most_objected_issue_and_climbs_back() -> None:
    assert drafts(
        HillClimbingMediator(),
        [
            {"a": ("x",), "b": ("x", "y")},  # x has 2 votes: x1 -> x2 (not yet rejected)
            {"a": ("x", "y"), "b": ("x", "y")},  # worse (4 objections > 3): back to x1y1
            {"a": ("y",), "b": ()},  # x3y1: better; y has the only vote: y2
            {"a": (), "b": ()},  # everyone content: the text stands
        ],
    ) == [(0, 0), (1, 0), (2, 0), (2, 1), (2, 1)]


def test_several_changes_per_round() -> None:
    assert drafts(
        HillClimbingMediator(changes=2),
        [{"a": ("y",), "b": ("x", "y")}, {"a": ("y",), "b": ("x",)}],
    ) == [(0, 0), (1, 1), (2, 2)]


def test_options_rejected_least_come_first() -> None:
    # y1, then y2 and y3 rejected once each: y1 has 2 rejections, so y2 (next in order).
    assert drafts(
        HillClimbingMediator(),
        [{"a": ("y",)}, {"a": ("y",)}, {"a": ("y",)}, {"a": ("y",)}],
    ) == [(0, 0), (0, 1), (0, 2), (0, 0), (0, 1)]


def run_single_text(parties: Mapping[str, Strategy], deadline: int) -> list[tuple[Package, str]]:
    """The single text with the tiny scenario's parties: each draft and the answers to it."""
    compiled = tiny()
    mediator = HillClimbingMediator()
    mediator.reset(no_preferences(), np.random.default_rng(0))
    for party, strategy in parties.items():
        strategy.reset(own(compiled, party), np.random.default_rng(0))
    history: list[Event] = []
    table: Package | None = None
    raised: dict[str, tuple[str, ...]] = {}
    record = []
    for round_ in range(deadline):
        table = mediator.draft(mediator_view(round_, table), raised)
        history.append(Event(round_, "m", "draft", table, version=round_ + 1))
        answers = {}
        for party, strategy in parties.items():
            view = NegotiationView(
                party, own(compiled, party), ("a", "b"), round_, deadline, tuple(history), table
            )
            answers[party] = strategy.respond(view, table)
        record.append((table, " | ".join(show(answer) for answer in answers.values())))
        if all(answer.accept for answer in answers.values()):
            break
        raised = {party: answer.objections for party, answer in answers.items()}
    return record


def test_linear_parties_reach_a_text() -> None:
    assert run_single_text({"a": Linear(), "b": Linear()}, deadline=6) == [
        ((0, 0), "accept | reject x y"),  # x1y1: a's best, b's worst; score (1, 2)
        ((1, 0), "reject x | reject y x"),  # x: tie of votes, issue order; x2 not rejected
        # (2, 3) is worse: back to x1y1, whose x now goes to x3 (x2 rejected 3 times)
        ((2, 0), "reject x y | reject y"),  # x3y1 crosses a's red line
        # worse again: back to x1y1; x3 (rejected twice) still beats x2 (3 times)
        ((2, 0), "reject x y | accept"),  # b's target has fallen to 5.8: x3y1 = 6
        ((0, 0), "accept | reject x y"),  # (1, 2) ties the base: x3y1 is the base; x1 next
        ((1, 0), "accept | accept"),  # the base x1y1 again; x2 and x3 tie: x2, next in order
    ]


def test_respond_accepts_what_its_own_preferences_accept() -> None:
    mediator = HillClimbingMediator()
    mediator.reset(own(tiny(), "a"), np.random.default_rng(0))
    view = mediator_view(0, (0, 0))
    assert show(mediator.respond(view, (0, 0))) == "accept"
    assert show(mediator.respond(view, (2, 2))) == "reject x y"


def test_the_annealer_answers_each_issue_in_turn() -> None:
    # So cold that no worse text is kept: the hill climber, but among issues with as many
    # objections the one changed least often goes first (the climber would take x again).
    assert drafts(
        AnnealingMediator(temperature=1e-9),
        [
            {"a": ("x",), "b": ("y",)},  # x and y: one vote each; x (issue order): x2
            {"a": ("x",), "b": ("y",)},  # as good: x2y1 is the base; y not changed yet: y2
            {"a": ("x",), "b": ("y",)},  # as good: base; x changed once, y once: x (order)
        ],
    ) == [(0, 0), (1, 0), (1, 1), (2, 1)]


def test_the_annealer_keeps_a_worse_text_early_and_not_at_the_deadline() -> None:
    def walk(round_: int) -> Package:
        mediator = AnnealingMediator(temperature=100.0)
        mediator.reset(no_preferences(), np.random.default_rng(0))
        first = mediator.draft(mediator_view(0, None), {})  # x1y1
        second = mediator.draft(mediator_view(1, first), {"a": ("x",)})  # base x1y1: x2
        # x2y1 draws more objections: worse by 1 party + 2 objections.
        return mediator.draft(mediator_view(round_, second), {"a": ("y",), "b": ("x", "y")})

    # Hot and early: exp(-1.2 / (100 * (1 - 2/9))) is about 0.98, so the worse text stays
    # the base and the next change starts from x2y1 (y, two votes against one: y2).
    assert walk(2) == (1, 1)
    # At the deadline (t = 1) nothing worse is kept: back to x1y1, whose objection was x;
    # x2 has been rejected now, so x3.
    assert walk(9) == (2, 0)


def test_the_annealer_is_the_same_for_the_same_seed() -> None:
    script: list[Mapping[str, tuple[str, ...]]] = [
        {"a": ("x", "y"), "b": ("y",)},
        {"a": ("y",), "b": ("x", "y")},
        {"a": ("x",), "b": ("x", "y")},
        {"a": ("y",), "b": ("x",)},
    ] * 2
    assert drafts(AnnealingMediator(), script) == drafts(AnnealingMediator(), script)
