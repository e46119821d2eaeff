"""The mediator's single negotiating text (Fisher's one-text procedure, Camp David 1978).

Each round the mediator drafts a complete package (a new version when it changes the text),
then every party with preferences answers it in the scenario's order: accept, or reject
with objections (the issues it needs changed). The run ends with an agreement when the
parties that accepted the version meet the agreement rule (a mediator with preferences
counts as accepting a version it can sign), and without one after ``deadline`` rounds.
The next draft is made from the objections of the parties that rejected (party id to the
issue ids it named, possibly none). Everyone at the table sees every draft and answer; the
mediator sees what the parties say, never their preferences.

The mediator is the one strategy that is a ``MediatorStrategy`` (or the party named by
``mediator``): a party of the scenario (with or without preferences) or a protocol-level
mediator under an id of its own. Walking away is as in alternating offers: the talks go on
while the rule can still be met without the party.
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
from accord.negotiation.protocols.mediated import Text
from accord.negotiation.strategy import Strategy
from accord.negotiation.trace import Event, History, Trace
from accord.negotiation.view import NegotiationView


class SingleText:
    """The mediator drafts, every party answers, the mediator revises from the objections."""

    name: ClassVar[str] = "single-text"

    def run(
        self,
        compiled: CompiledScenario,
        strategies: Mapping[str, Strategy],
        seed: int,
        deadline: int,
        mediator: str | None = None,
        progress: Progress | None = None,
    ) -> Trace:
        seating = seat(
            compiled,
            strategies,
            seed,
            deadline,
            self.name,
            mediated=True,
            mediator=mediator,
            progress=progress,
        )
        metadata = (("mediator", str(seating.mediator)),)
        return run_talk(compiled, self.name, seed, seating, deadline, _talk, metadata)


def _talk(
    compiled: CompiledScenario, seating: Seating, deadline: int, events: list[Event]
) -> tuple[Package | None, str, int]:
    """Draft, answer, revise, recording into ``events``: the agreement (or ``None``), why
    the talks ended and in which round."""
    ids, owns, players = seating.ids, seating.owns, seating.strategies
    assert seating.mediator is not None and seating.mediator_own is not None
    rule = Rule.of(compiled)
    signatures = Signatures(owns, compiled.every_package_acceptable)
    text = Text(seating, signatures, Packages.shared(compiled))
    present = set(range(len(ids)))
    answering = [p for p in range(len(ids)) if p != seating.mediator_index]
    seated = tuple(ids[p] for p in answering)
    objections: dict[str, tuple[str, ...]] = {}
    for round_ in range(deadline):
        seating.tick(round_)
        view = NegotiationView(
            seating.mediator,
            seating.mediator_own,
            seated,
            round_,
            deadline,
            History(events),
            text.package,
        )
        draft = text.revise(view, objections)
        if draft is not None:
            events.append(draft)
        objections = {}
        for party in tuple(answering):
            view = NegotiationView(
                ids[party], owns[party], seated, round_, deadline, History(events), text.package
            )
            event = text.answer(party, players[party], view)
            events.append(event)
            if event.kind == "reject":
                objections[ids[party]] = event.objections
            elif event.kind == "walk_away":
                present.discard(party)
                answering.remove(party)
                seated = tuple(ids[p] for p in answering)
                text.leave(party)
                if not rule.met(present):
                    return None, f"{ids[party]} walked away", round_
        if rule.met(text.accepted):
            events.append(
                Event(round_, PROTOCOL_EVENT, "agreement", text.package, version=text.version)
            )
            return text.package, "agreement", round_
    return None, "deadline", deadline - 1
