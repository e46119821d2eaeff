"""One table of stacked alternating offers, shared by the alternating and the blocks protocols.

As in the multilateral SAOP of GENIUS/ANAC (Aydoğan et al., "Alternating offers protocols
for multilateral negotiation", 2017): the speaker either accepts the offer on the table or
makes a counter-offer, which replaces it. The proposer counts as accepting its own offer
when it can sign it; the table holds an agreement when the parties that accepted the offer
on it meet the rule. An acceptance of a package the party cannot sign (below its
reservation value, or across one of its red lines) is not binding: the protocol takes it as
a rejection, and the speaker makes a counter-offer.
"""

from __future__ import annotations

from collections.abc import Callable

from accord.negotiation.own import Package
from accord.negotiation.protocols.common import Packages, Rule
from accord.negotiation.strategies.common import worth_at_least
from accord.negotiation.strategy import Strategy, TimeDependent
from accord.negotiation.trace import Event
from accord.negotiation.view import NegotiationView


class OfferTable:
    """The offer on the table, who made it, who accepted it, and whether that is agreement."""

    __slots__ = (
        "_can_sign",
        "_packages",
        "_shape",
        "accepted",
        "agreed",
        "block",
        "offer",
        "proposer",
        "rule",
    )

    def __init__(
        self,
        rule: Rule,
        can_sign: Callable[[int, Package], bool],
        packages: Packages,
        block: str | None = None,
        shape: Callable[[Package], Package] | None = None,
    ) -> None:
        self.rule = rule
        self.block = block
        self._can_sign = can_sign
        self._packages = packages
        self._shape = shape
        self.offer: Package | None = None
        self.proposer: int | None = None
        self.accepted: set[int] = set()
        self.agreed = False

    def turn(self, speaker: int, strategy: Strategy, view: NegotiationView) -> Event:
        """The speaker's move: accept, walk away, or a counter-offer (the event recorded)."""
        offer = self.offer
        if offer is not None:
            response = strategy.respond(view, offer)
            if response.walk_away:
                return Event(view.round, view.me, "walk_away", None, self.block)
            if response.accept and self._can_sign(speaker, offer):
                self.accepted.add(speaker)
                self.agreed = self.rule.met(self.accepted)
                return Event(view.round, view.me, "accept", offer, self.block)
        return self._propose(speaker, strategy.propose(view), view.round, view.me)

    def timed_turn(
        self, speaker: int, strategy: TimeDependent, round_: int, time: float, me: str
    ) -> Event:
        """:meth:`turn` for a strategy that decides by the time alone: no view is built."""
        offer = self.offer
        if offer is not None:
            threshold = strategy.threshold(time)
            if threshold is None:
                return Event(round_, me, "walk_away", None, self.block)
            if worth_at_least(strategy.own, offer, threshold) and self._can_sign(speaker, offer):
                self.accepted.add(speaker)
                self.agreed = self.rule.met(self.accepted)
                return Event(round_, me, "accept", offer, self.block)
        return self._propose(speaker, strategy.offer(time), round_, me)

    def _propose(self, speaker: int, package: Package, round_: int, me: str) -> Event:
        offer = self._packages.check(package, me)
        if self._shape is not None:
            offer = self._shape(offer)
        self.offer = offer
        self.proposer = speaker
        self.accepted = {speaker} if self._can_sign(speaker, offer) else set()
        self.agreed = self.rule.met(self.accepted)
        return Event(round_, me, "offer", offer, self.block)

    def leave(self, party: int, rule: Rule) -> None:
        """``party`` has left the talks: its acceptance goes, and its offer with it."""
        self.rule = rule
        self.accepted.discard(party)
        if self.proposer == party:
            self.offer, self.proposer, self.accepted = None, None, set()
        self.agreed = self.offer is not None and rule.met(self.accepted)

    def clear(self) -> None:
        """An empty table (a reopened block)."""
        self.offer, self.proposer, self.accepted, self.agreed = None, None, set(), False
