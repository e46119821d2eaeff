"""What the single text and shuttle mediation share: the text, its versions, the answers.

The mediator's strategy drafts a complete package from the last version and the objections
raised against it; a draft that differs from the last version is a new version (numbered
from 1), an unchanged one is not. A party answers a version: it accepts (binding only if it
can sign the package), rejects it naming the issues it needs changed, or walks away. A
mediator with preferences of its own counts as accepting each version it can sign.
"""

from __future__ import annotations

from collections.abc import Mapping

from accord.negotiation.own import Package
from accord.negotiation.protocols.common import Packages, Seating, Signatures
from accord.negotiation.strategy import Strategy
from accord.negotiation.trace import Event
from accord.negotiation.view import NegotiationView


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
