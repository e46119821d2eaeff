"""Shuttle mediation: the single text, carried by the mediator to one party at a time.

Each round is one meeting. The mediator first drafts (a new version when it changes the
text, made from the objections raised at the last meeting), then shows the current version
to one party (a ``show`` event) and records its answer. It visits the parties in the
scenario's order, starting after the last one it met, skipping those that already accepted
the current version (a new version needs everyone's acceptance again). The run ends with
an agreement when the parties that accepted the current version meet the agreement rule (a
mediator with preferences counts as accepting a version it can sign), and without one after
``deadline`` meetings.

A party sees only its own meetings (the versions shown to it and its answers) and the end
of the talks; the mediator sees everything. The mediator and walking away are as in the
single text.
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


class Shuttle:
    """The mediator meets one party per round, shows it the text, and may revise it."""

    name: ClassVar[str] = "shuttle"

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
    """One meeting per round, recording into ``events``: the agreement (or ``None``), why
    the talks ended and in which round."""
    ids, owns, players = seating.ids, seating.owns, seating.strategies
    assert seating.mediator is not None and seating.mediator_own is not None
    rule = Rule.of(compiled)
    signatures = Signatures(owns, compiled.every_package_acceptable)
    text = Text(seating, signatures, Packages.shared(compiled))
    present = set(range(len(ids)))
    answering = [p for p in range(len(ids)) if p != seating.mediator_index]
    seated = tuple(ids[p] for p in answering)
    seen: dict[int, list[Event]] = {p: [] for p in answering}  # each party's own meetings
    objections: dict[str, tuple[str, ...]] = {}
    last = -1  # the position in ``answering`` of the last party met
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
        if answering:
            last = _next_visit(answering, last, text.accepted)
            party = answering[last]
            show = Event(round_, ids[party], "show", text.package, version=text.version)
            events.append(show)
            seen[party].append(show)
            view = NegotiationView(
                ids[party],
                owns[party],
                seated,
                round_,
                deadline,
                History(seen[party]),
                text.package,
            )
            answer = text.answer(party, players[party], view)
            events.append(answer)
            seen[party].append(answer)
            if answer.kind == "reject":
                objections = {ids[party]: answer.objections}
            elif answer.kind == "walk_away":
                present.discard(party)
                answering.remove(party)
                last -= 1  # the next party now stands where this one stood
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


def _next_visit(answering: list[int], last: int, accepted: set[int]) -> int:
    """The position of the next party to meet: after ``last``, not yet accepting."""
    count = len(answering)
    for step in range(1, count + 1):
        position = (last + step) % count
        if answering[position] not in accepted:
            return position
    return (last + 1) % count
