"""What a strategy sees: its own preferences and the public course of the talks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.trace import Event


class NegotiationView(NamedTuple):
    """A frozen, read-only view for one party at one moment (a named tuple: protocols make
    one a turn, and a frozen dataclass costs five times as much to build).

    ``history`` holds only the events this party has seen (in the shuttle protocol a party
    does not see the drafts shown to others). No other party's preferences are reachable
    from here.
    """

    me: str
    own: OwnPreferences
    parties: tuple[str, ...]  # who is at this table, in speaking order
    round: int  # 0-based
    deadline: int  # the number of rounds allowed
    history: Sequence[Event]  # read-only (a tuple or a protocol's History window)
    table: Package | None = None  # the offer or draft currently on the table
    block: str | None = None  # the block being negotiated (parallel blocks), if any
    issues: tuple[int, ...] | None = None  # the issues open at this table (None: all)
    # Whether a rejection should name the issues to change (the mediated protocols read
    # them); alternating offers answer with counter-offers and do not ask.
    objections_wanted: bool = True

    @property
    def time(self) -> float:
        """Normalised time in [0, 1]: the share of the deadline used."""
        return min(1.0, self.round / max(self.deadline - 1, 1))  # as strategy.normalised_time

    def offers_by(self, party: str) -> tuple[Package, ...]:
        """The packages ``party`` has offered so far, oldest first."""
        return tuple(
            e.package for e in self.history if e.party == party and e.kind == "offer" and e.package
        )
