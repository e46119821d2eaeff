"""Stacked alternating offers for n parties (the multilateral SAOP of GENIUS/ANAC).

Every party with preferences sits at one table and speaks in the scenario's order; a round
is one turn of each. The first speaker proposes; each next speaker accepts the offer on the
table or makes a counter-offer (see :mod:`accord.negotiation.protocols.table`). The run
ends with an agreement when the parties that accepted the offer on the table (its proposer
with them) meet the agreement rule, and without one after ``deadline`` rounds.

Walking away: the party leaves the table (its acceptance goes, and its offer if the offer
on the table is its own). The talks go on among the others while the rule can still be met
without it (it was not required, and enough voters remain); otherwise the run ends.
A mediator without preferences does not speak here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from accord.analysis.compiled import CompiledScenario
from accord.negotiation.own import Package
from accord.negotiation.protocols.common import (
    PROTOCOL_EVENT,
    Packages,
    Progress,
    Rule,
    Seating,
    Signatures,
    run_talk,
    seat,
)
from accord.negotiation.protocols.table import OfferTable
from accord.negotiation.strategy import Strategy, TimeDependent, normalised_time
from accord.negotiation.trace import Event, History, Trace
from accord.negotiation.view import NegotiationView


class AlternatingOffers:
    """Parties speak in turn: accept the offer on the table, or make a counter-offer."""

    name: ClassVar[str] = "alternating"

    def run(
        self,
        compiled: CompiledScenario,
        strategies: Mapping[str, Strategy],
        seed: int,
        deadline: int,
        progress: Progress | None = None,
    ) -> Trace:
        seating = seat(compiled, strategies, seed, deadline, self.name, progress=progress)
        return run_talk(compiled, self.name, seed, seating, deadline, _talk)


def _talk(
    compiled: CompiledScenario, seating: Seating, deadline: int, events: list[Event]
) -> tuple[Package | None, str, int]:
    """Run the table, recording into ``events``: the agreement (or ``None``), why the talks
    ended and in which round."""
    ids, owns, players = seating.ids, seating.owns, seating.strategies
    rule = Rule.of(compiled)
    signatures = Signatures(owns, compiled.every_package_acceptable)
    table = OfferTable(rule, signatures.can_sign, Packages.shared(compiled))
    order = tuple(range(len(ids)))
    seated = ids  # who is at the table, in speaking order
    # Strategies that decide by the time alone are asked without a view (the same moves).
    timed = [p if isinstance(p, TimeDependent) and p.time_dependent else None for p in players]
    for round_ in range(deadline):
        seating.tick(round_)
        time = normalised_time(round_, deadline)
        for speaker in order:
            player = timed[speaker]
            if player is not None:
                event = table.timed_turn(speaker, player, round_, time, ids[speaker])
            else:
                view = NegotiationView(
                    ids[speaker],
                    owns[speaker],
                    seated,
                    round_,
                    deadline,
                    History(events),
                    table.offer,
                    objections_wanted=False,
                )
                event = table.turn(speaker, players[speaker], view)
            events.append(event)
            if table.agreed:
                events.append(Event(round_, PROTOCOL_EVENT, "agreement", table.offer))
                return table.offer, "agreement", round_
            if event.kind == "walk_away":
                order = tuple(p for p in order if p != speaker)
                seated = tuple(ids[p] for p in order)
                table.leave(speaker, rule)
                if not rule.met(order):  # not even if everyone left accepted
                    return None, f"{ids[speaker]} walked away", round_
    return None, "deadline", deadline - 1
