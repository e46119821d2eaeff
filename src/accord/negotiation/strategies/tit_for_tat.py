"""Relative tit-for-tat: concede as much as the others conceded."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np

from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.strategies.common import (
    ALL_PROTOCOLS,
    DEFAULT_OBJECTIONS,
    LastOffer,
    reject,
    subspace,
    utility_range,
    worth_at_least,
)
from accord.negotiation.strategy import Response, Strategy
from accord.negotiation.trace import Event
from accord.negotiation.view import NegotiationView

Aggregate = Literal["average", "minimum"]
TEXT = "<single text>"  # the key under which drafts of the single text are followed


class TitForTat(Strategy):
    """Mirror the others' concessions, measured in the party's own utility.

    It starts at its best acceptable package. At each decision (a proposal or a response)
    it looks at every other party that has tabled a new package since its previous
    decision: that party's concession is how much more the new package is worth to this
    party than the one it had tabled before. The target utility moves down by the average
    of those concessions (``aggregate="average"``, the default) or by the smallest one
    (``"minimum"``: follow the least generous party), and back up when they harden, always
    between the worst acceptable package (never below the reservation value) and the best.
    In the single text the successive drafts count as the other side's packages. It
    proposes the acceptable package worth the least at or above its target (ties: the
    lowest package index) and accepts, AC_next, an acceptable package worth at least that;
    otherwise it rejects with objections, and walks away if nothing is acceptable.

    Source: the imitative "relative tit-for-tat" tactic of Faratin, Sierra & Jennings
    (1998), with ``delta = 1``; T. Baarslag, K. Hindriks, C. Jonker, "A tit for tat
    negotiation strategy for real-time bilateral negotiations" (2013) measure the
    concession in an opponent model, this one in its own utility and so needs none.
    """

    name: ClassVar[str] = "tit-for-tat"
    meta: ClassVar[dict[str, Any]] = {
        "stochastic": False,
        "concession": "reciprocal",
        "protocols": ALL_PROTOCOLS,
        "source": "Faratin, Sierra & Jennings 1998 (relative tit-for-tat); Baarslag et al. 2013",
    }

    def __init__(
        self, aggregate: Aggregate = "average", max_objections: int = DEFAULT_OBJECTIONS
    ) -> None:
        if aggregate not in ("average", "minimum"):
            raise ValueError(f"tit-for-tat: aggregate must be average or minimum, not {aggregate}")
        self.aggregate = aggregate
        self.max_objections = max_objections

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        span = utility_range(own, None)
        self._hopeless = span is None
        self._best, self._floor = span if span is not None else (own.reservation,) * 2
        self.target = self._best
        self._offer_at = LastOffer()
        self._seen = 0
        self._last_event: Event | None = None
        self._latest: dict[str, float] = {}  # each counterpart's last package, in own utility
        self._anchor: dict[str, float] = {}  # the same, as of the previous decision
        # Counterparts with a new package since then, in the order seen (a set's order
        # would vary with the hash seed, and so would the float sum of concessions).
        self._fresh: dict[str, None] = {}

    def propose(self, view: NegotiationView) -> Package:
        self._decide(view)
        return self._offer_at(self.own, self.target, subspace(self.own, view))

    def respond(self, view: NegotiationView, package: Package) -> Response:
        self._decide(view)
        within = subspace(self.own, view)
        # AC_next; the target itself when every issue is open (the same on a listed space,
        # and no program to solve on a larger one).
        threshold = self.target
        if within is not None:
            threshold = self.own.utility(self._offer_at(self.own, self.target, within))
        if worth_at_least(self.own, package, threshold):
            return Response(accept=True)
        return reject(self.own, view, package, self.max_objections, self._hopeless)

    def _decide(self, view: NegotiationView) -> None:
        self._follow(view)
        concessions = [self._latest[p] - self._anchor[p] for p in self._fresh if p in self._anchor]
        if concessions:
            if self.aggregate == "average":
                step = sum(concessions) / len(concessions)
            else:
                step = min(concessions)
            self.target = min(self._best, max(self._floor, self.target - step))
        for party in self._fresh:
            self._anchor[party] = self._latest[party]
        self._fresh.clear()

    def _follow(self, view: NegotiationView) -> None:
        """Read the events not read yet (all of them if the history is not the one read)."""
        history = view.history
        seen = self._seen
        if seen > len(history) or (seen and history[seen - 1] != self._last_event):
            seen = 0
        for event in history[seen:]:
            if event.package is None:
                continue
            if event.kind == "offer" and event.party != view.me:
                key = event.party
            elif event.kind in ("draft", "show"):
                key = TEXT
            else:
                continue
            self._latest[key] = self.own.utility(event.package)
            self._fresh[key] = None
        self._seen = len(history)
        self._last_event = history[-1] if history else None
