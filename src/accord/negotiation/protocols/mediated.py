"""What the single text and shuttle mediation share: the text, its versions, the answers.

The mediator's strategy drafts a complete package from the last version and the objections
raised against it; a draft that differs from the last version is a new version (numbered
from 1), an unchanged one is not. A party answers a version: it accepts (binding only if it
can sign the package), rejects it naming the issues it needs changed, or walks away. A
mediator with preferences of its own counts as accepting each version it can sign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from accord.negotiation.strategy import Strategy
from accord.negotiation.trace import Event, History, Trace
from accord.negotiation.view import NegotiationView


class MediatedProtocol:
    """A protocol with a mediator who drafts the text: seats it, runs ``talk``."""

    name: ClassVar[str] = ""

    def run(
        self,
        compiled: CompiledScenario,
        strategies: Mapping[str, Strategy],
        seed: int,
        deadline: int,
        mediator: str | None = None,
        progress: Progress | None = None,
        mediator_sees_preferences: bool = False,
    ) -> Trace:
        """Run the talks; ``mediator_sees_preferences``: the parties have granted the
        mediator their preferences (its strategy is given the compiled scenario)."""
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
        if mediator_sees_preferences:
            assert seating.mediator_strategy is not None
            seating.mediator_strategy.confide(compiled)
        metadata: tuple[tuple[str, str], ...] = (("mediator", str(seating.mediator)),)
        if mediator_sees_preferences:
            metadata += (("mediator_sees_preferences", "yes"),)
        return run_talk(compiled, self.name, seed, seating, deadline, self.talk, metadata)

    def talk(
        self, compiled: CompiledScenario, seating: Seating, deadline: int, events: list[Event]
    ) -> tuple[Package | None, str, int]:
        """Run the talks, recording into ``events``: the agreement (or ``None``), why they
        ended and in which round."""
        raise NotImplementedError


class Mediation:
    """One mediated run: the text, who is present, who answers, and what each is shown."""

    def __init__(
        self, compiled: CompiledScenario, seating: Seating, deadline: int, events: list[Event]
    ) -> None:
        assert seating.mediator is not None and seating.mediator_own is not None
        self.seating, self.deadline, self.events = seating, deadline, events
        self.ids, self.owns, self.players = seating.ids, seating.owns, seating.strategies
        self.rule = Rule.of(compiled)
        signatures = Signatures(seating.owns, compiled.every_package_acceptable)
        self.text = Text(seating, signatures, Packages.shared(compiled))
        self.present = set(range(len(self.ids)))
        self.answering = [p for p in range(len(self.ids)) if p != seating.mediator_index]
        self.seated = tuple(self.ids[p] for p in self.answering)

    def draft(self, round_: int, objections: Mapping[str, tuple[str, ...]]) -> None:
        """A round starts: the mediator, who sees every event, drafts from ``objections``."""
        seating = self.seating
        seating.tick(round_)
        assert seating.mediator is not None and seating.mediator_own is not None
        view = NegotiationView(
            seating.mediator,
            seating.mediator_own,
            self.seated,
            round_,
            self.deadline,
            History(self.events),
            self.text.package,
        )
        draft = self.text.revise(view, objections)
        if draft is not None:
            self.events.append(draft)

    def answer(self, party: int, round_: int, seen: Sequence[Event] | None = None) -> Event:
        """Party ``party``'s answer to the current version, recorded; it sees ``seen`` (every
        event when ``None``)."""
        history = History(self.events) if seen is None else seen
        view = NegotiationView(
            self.ids[party],
            self.owns[party],
            self.seated,
            round_,
            self.deadline,
            history,
            self.text.package,
        )
        event = self.text.answer(party, self.players[party], view)
        self.events.append(event)
        return event

    def leave(self, party: int) -> bool:
        """``party`` walked away: whether the rule can still be met without it."""
        self.present.discard(party)
        self.answering.remove(party)
        self.seated = tuple(self.ids[p] for p in self.answering)
        self.text.leave(party)
        return self.rule.met(self.present)

    def agreed(self, round_: int) -> bool:
        """Whether the parties that accepted the current version meet the rule (recorded)."""
        text = self.text
        if not self.rule.met(text.accepted):
            return False
        self.events.append(
            Event(round_, PROTOCOL_EVENT, "agreement", text.package, version=text.version)
        )
        return True


class Text:
    """The current version of the mediator's text and the parties that accepted it."""

    def __init__(self, seating: Seating, signatures: Signatures, packages: Packages) -> None:
        assert seating.mediator is not None and seating.mediator_strategy is not None
        self.mediator = seating.mediator
        self._drafter = seating.mediator_strategy
        self._own_index = seating.mediator_index
        self._signatures = signatures
        self._packages = packages
        self.package: Package | None = None
        self.version = 0
        self.accepted: set[int] = set()

    def revise(
        self, view: NegotiationView, objections: Mapping[str, tuple[str, ...]]
    ) -> Event | None:
        """Ask the mediator for its draft: the ``draft`` event of a new version, else ``None``."""
        drafted = self._packages.check(self._drafter.draft(view, objections), self.mediator)
        if drafted == self.package:
            return None
        self.package, self.version = drafted, self.version + 1
        mediator = self._own_index
        signs = mediator is not None and self._signatures.can_sign(mediator, drafted)
        self.accepted = {mediator} if signs and mediator is not None else set()
        return Event(view.round, self.mediator, "draft", drafted, version=self.version)

    def answer(self, party: int, strategy: Strategy, view: NegotiationView) -> Event:
        """Party ``party``'s answer to the current version (an acceptance is recorded)."""
        package = self.package
        assert package is not None
        response = strategy.respond(view, package)
        if response.walk_away:
            return Event(view.round, view.me, "walk_away", version=self.version)
        if response.accept and self._signatures.can_sign(party, package):
            self.accepted.add(party)
            return Event(view.round, view.me, "accept", version=self.version)
        objections = self._packages.objections(response.objections, view.me)
        return Event(view.round, view.me, "reject", version=self.version, objections=objections)

    def leave(self, party: int) -> None:
        self.accepted.discard(party)
