"""Invariants on random scenarios: no strategy proposes what its own party cannot accept.

Whenever a party has an acceptable package at all (at or above its reservation value, no
red line crossed), every package its strategy proposes is acceptable to it, and every
package it accepts is too; at a block's table only the open issues move.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.compiled import compile_scenario
from accord.negotiation.own import OwnPreferences
from accord.negotiation.registry import STRATEGIES, make_strategy
from accord.negotiation.strategy import MediatorStrategy
from accord.negotiation.view import NegotiationView
from accord.scenario.model import Scenario
from scripted import play
from strategies import scenarios

NEGOTIATORS = sorted(n for n, c in STRATEGIES.items() if not issubclass(c, MediatorStrategy))


@settings(max_examples=60)
@given(scenarios(), st.integers(0, 2**16), st.data())
def test_proposals_and_acceptances_are_acceptable(
    scenario: Scenario, seed: int, data: st.DataObject
) -> None:
    compiled = compile_scenario(scenario)
    counts = compiled.space.option_counts
    package = st.tuples(*(st.integers(0, int(n) - 1) for n in counts))
    script = data.draw(st.lists(package, min_size=1, max_size=6))
    for index, party in enumerate(compiled.party_ids):
        preferences = OwnPreferences.of(compiled, index)
        possible = preferences.best_acceptable() is not None
        for name in NEGOTIATORS:
            played = play(make_strategy(name), preferences, script, seed=seed, me=party)
            for (answer, offer), offered in zip(played, script, strict=True):
                assert len(offer) == len(counts)
                assert all(0 <= o < n for o, n in zip(offer, counts, strict=True))
                if possible:
                    assert preferences.acceptable(offer), (name, party, offer)
                    assert answer != "walk away"
                if answer == "accept":
                    assert preferences.acceptable(offered), (name, party, offered)
                elif answer.startswith("reject"):
                    assert set(answer.split()[1:]) <= set(compiled.space.issue_ids)


@settings(max_examples=40)
@given(scenarios(), st.data())
def test_a_block_table_moves_only_its_issues(scenario: Scenario, data: st.DataObject) -> None:
    compiled = compile_scenario(scenario)
    counts = compiled.space.option_counts
    issues = tuple(data.draw(st.sets(st.integers(0, len(counts) - 1), min_size=1)))
    table = tuple(data.draw(st.integers(0, int(n) - 1)) for n in counts)
    preferences = OwnPreferences.of(compiled, 0)
    closed = [i for i in range(len(counts)) if i not in issues]
    reachable = [
        tuple(row)
        for row in compiled.space.all_packages().tolist()
        if all(row[i] == table[i] for i in closed)
    ]
    possible = any(preferences.acceptable(p) for p in reachable)
    for name in sorted(STRATEGIES):
        strategy = make_strategy(name)
        strategy.reset(preferences, np.random.default_rng(0))
        if isinstance(strategy, MediatorStrategy) and strategy.meta.get("needs_preferences"):
            strategy.confide(compiled)
        for round_ in range(3):
            view = NegotiationView(
                preferences.party,
                preferences,
                (preferences.party,),
                round_,
                3,
                (),
                table,
                "b1",
                issues,
            )
            if isinstance(strategy, MediatorStrategy):
                offer = strategy.draft(view, {"p1": tuple(compiled.space.issue_ids)})
                assert all(offer[i] == table[i] for i in closed)
                continue
            offer = strategy.propose(view)
            assert offer in reachable
            if possible:
                assert preferences.acceptable(offer)
            answer = strategy.respond(view, table)
            assert set(answer.objections) <= {compiled.space.issue_ids[i] for i in issues}
