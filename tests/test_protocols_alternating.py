"""Golden runs of stacked alternating offers with scripted strategies (exact events)."""

from __future__ import annotations

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.negotiation.own import OwnPreferences
from accord.negotiation.protocols import AlternatingOffers
from accord.negotiation.protocols.common import Packages, Rule
from accord.negotiation.protocols.table import OfferTable
from accord.negotiation.view import NegotiationView
from test_protocols_common import THREE_PARTIES, Scripted, compiled_from, kinds


def test_counter_offers_until_one_is_accepted(small: CompiledScenario) -> None:
    p = Scripted(offers=[(0, 1, 0), (1, 1, 1)], answers=["reject"])
    q = Scripted(offers=[(2, 0, 2)], answers=["reject", "accept"])
    trace = AlternatingOffers().run(small, {"p": p, "q": q}, seed=3, deadline=10)
    assert kinds(trace.events) == [
        (0, "p", "offer", (0, 1, 0)),
        (0, "q", "offer", (2, 0, 2)),
        (1, "p", "offer", (1, 1, 1)),
        (1, "q", "accept", (1, 1, 1)),
        (1, "", "agreement", (1, 1, 1)),
    ]
    assert (trace.agreement, trace.rounds, trace.reason) == ((1, 1, 1), 2, "agreement")
    assert trace.strategies == (("p", "scripted"), ("q", "scripted"))
    first = q.views[0]
    assert (first.me, first.round, first.table, first.parties) == ("q", 0, (0, 1, 0), ("p", "q"))
    assert first.history == trace.events[:1] and first.own is q.own
    assert [v.round for v in p.views] == [0, 1] and p.views[0].table is None


def test_an_acceptance_the_party_cannot_sign_is_a_rejection(small: CompiledScenario) -> None:
    # q cannot sign (0, 1, 0) (below its reservation), p cannot sign (2, 0, 2) (its red line):
    # their acceptances do not count and each makes a counter-offer instead.
    p = Scripted(offers=[(0, 1, 0), (0, 0, 2)], answers=["accept"])
    q = Scripted(offers=[(2, 0, 2)], answers=["accept"])
    trace = AlternatingOffers().run(small, {"p": p, "q": q}, seed=0, deadline=10)
    assert kinds(trace.events) == [
        (0, "p", "offer", (0, 1, 0)),
        (0, "q", "offer", (2, 0, 2)),
        (1, "p", "offer", (0, 0, 2)),
        (1, "q", "accept", (0, 0, 2)),
        (1, "", "agreement", (0, 0, 2)),
    ]


def test_the_deadline_ends_the_talks(small: CompiledScenario) -> None:
    p = Scripted(offers=[(0, 1, 0)], answers=["reject"])
    q = Scripted(offers=[(2, 0, 2)], answers=["reject"])
    trace = AlternatingOffers().run(small, {"p": p, "q": q}, seed=0, deadline=2)
    assert kinds(trace.events) == [
        (0, "p", "offer", (0, 1, 0)),
        (0, "q", "offer", (2, 0, 2)),
        (1, "p", "offer", (0, 1, 0)),
        (1, "q", "offer", (2, 0, 2)),
        (1, "", "end", "deadline"),
    ]
    assert (trace.agreement, trace.rounds, trace.reason) == (None, 2, "deadline")
    assert [v.time for v in p.views] == [0.0, 1.0]


def test_a_required_party_walking_away_ends_the_talks(small: CompiledScenario) -> None:
    p = Scripted(offers=[(0, 1, 0)])
    q = Scripted(answers=["walk"])
    trace = AlternatingOffers().run(small, {"p": p, "q": q}, seed=0, deadline=5)
    assert kinds(trace.events) == [
        (0, "p", "offer", (0, 1, 0)),
        (0, "q", "walk_away"),
        (0, "", "end", "q walked away"),
    ]
    assert (trace.agreement, trace.rounds, trace.reason) == (None, 1, "q walked away")


def test_the_others_go_on_while_the_rule_can_still_be_met() -> None:
    # Quorum of 2 among p (veto), q and r: q may leave; then r's acceptance suffices.
    compiled = compiled_from(THREE_PARTIES)
    p = Scripted(offers=[(0, 0)])
    q = Scripted(answers=["walk"])
    r = Scripted(answers=["accept"])
    trace = AlternatingOffers().run(compiled, {"p": p, "q": q, "r": r}, seed=0, deadline=5)
    assert kinds(trace.events) == [
        (0, "p", "offer", (0, 0)),
        (0, "q", "walk_away"),
        (0, "r", "accept", (0, 0)),
        (0, "", "agreement", (0, 0)),
    ]
    assert r.views[0].parties == ("p", "r")


def test_talks_end_when_too_few_voters_remain() -> None:
    compiled = compiled_from(THREE_PARTIES)
    p = Scripted(offers=[(0, 0)])
    q = Scripted(answers=["walk"])
    r = Scripted(answers=["walk"])
    trace = AlternatingOffers().run(compiled, {"p": p, "q": q, "r": r}, seed=0, deadline=5)
    assert kinds(trace.events)[-2:] == [(0, "r", "walk_away"), (0, "", "end", "r walked away")]


def test_a_walker_takes_its_offer_from_the_table() -> None:
    compiled = compiled_from(THREE_PARTIES)
    rule = Rule.of(compiled)
    table = OfferTable(rule, lambda party, package: True, Packages(compiled.space))
    q = Scripted(offers=[(1, 0)])
    q.reset(OwnPreferences.of(compiled, 1), np.random.default_rng(0))
    view = NegotiationView("q", q.own, compiled.party_ids, 0, 5, ())
    assert kinds([table.turn(1, q, view)]) == [(0, "q", "offer", (1, 0))]
    r = Scripted(answers=["accept"])
    r.reset(OwnPreferences.of(compiled, 2), np.random.default_rng(0))
    assert table.turn(2, r, view._replace(me="r", table=(1, 0))).kind == "accept"
    assert (table.offer, table.accepted, table.agreed) == ((1, 0), {1, 2}, False)
    table.leave(2, rule)
    assert (table.offer, table.accepted) == ((1, 0), {1})
    table.leave(1, rule)
    assert (table.offer, table.proposer, table.accepted, table.agreed) == (None, None, set(), False)


def test_the_trace_in_json_lines(small: CompiledScenario) -> None:
    p = Scripted(offers=[(0, 1, 0)], answers=["walk"])
    q = Scripted(offers=[(2, 0, 2)], answers=["reject"])
    trace = AlternatingOffers().run(small, {"p": p, "q": q}, seed=3, deadline=10)
    assert trace.to_jsonl(small.space).splitlines() == [
        '{"deadline": 10, "protocol": "alternating", "scenario": "small", "seed": 3, '
        '"strategies": {"p": "scripted", "q": "scripted"}}',
        '{"kind": "offer", "package": {"a": "a1", "b": "b2", "c": "c1"}, "party": "p", "round": 0}',
        '{"kind": "offer", "package": {"a": "a3", "b": "b1", "c": "c3"}, "party": "q", "round": 0}',
        '{"kind": "walk_away", "party": "p", "round": 1}',
        '{"kind": "end", "note": "p walked away", "party": "", "round": 1}',
        '{"agreement": null, "reason": "p walked away", "rounds": 2}',
    ]
