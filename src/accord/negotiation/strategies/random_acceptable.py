"""A random baseline that stays within what the party can accept."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from accord.negotiation.own import OwnPreferences, Package, Subspace
from accord.negotiation.strategies.common import (
    ALL_PROTOCOLS,
    DEFAULT_OBJECTIONS,
    offer_at,
    reject,
    subspace,
)
from accord.negotiation.strategy import Response, Strategy
from accord.negotiation.view import NegotiationView

SAMPLING_TRIES = 64


class RandomAcceptable(Strategy):
    """Propose a package drawn at random among the acceptable ones; accept any of them.

    Acceptable means at or above the reservation value and crossing no red line. On a space
    (or a block's subspace) small enough to list, the draw is uniform over the acceptable
    packages (one ``rng.integers`` per proposal). On a larger space it draws uniform
    packages until one is acceptable (at most 64 tries), and otherwise takes the acceptable
    package HiGHS finds at or just above a utility drawn uniformly between the worst and
    best acceptable ones. When nothing is acceptable it proposes its best package and walks
    away when asked to respond. Source: the random baseline of the GENIUS/ANAC and NegMAS
    tool kits (``RandomNegotiator``), restricted to acceptable packages.
    """

    name: ClassVar[str] = "random-acceptable"
    meta: ClassVar[dict[str, Any]] = {
        "stochastic": True,
        "concession": "random",
        "protocols": ALL_PROTOCOLS,
        "source": "GENIUS/NegMAS random baseline, restricted to acceptable packages",
    }

    def __init__(self, max_objections: int = DEFAULT_OBJECTIONS) -> None:
        self.max_objections = max_objections

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        self._hopeless = own.best_acceptable() is None

    def propose(self, view: NegotiationView) -> Package:
        within = subspace(self.own, view)
        if self.own.listable(within):
            ranking = self.own.ranking(within)
            if ranking.indices:
                position = int(self.rng.integers(len(ranking.indices)))
                return self.own.ranked_package(ranking, position)
            return offer_at(self.own, float("inf"), within)
        return self._sample(within)

    def respond(self, view: NegotiationView, package: Package) -> Response:
        if self.own.acceptable(package):
            return Response(accept=True)
        return reject(self.own, view, package, self.max_objections, self._hopeless)

    def _sample(self, within: Subspace | None) -> Package:
        own = self.own
        counts = own.space.option_counts
        for _ in range(SAMPLING_TRIES):
            drawn = [int(option) for option in self.rng.integers(counts)]
            if within is not None:
                drawn = [
                    drawn[i] if i in within.open_issues else option
                    for i, option in enumerate(within.context)
                ]
            if own.acceptable(tuple(drawn)):
                return tuple(drawn)
        best, worst = own.best_acceptable(within), own.worst_acceptable(within)
        if best is None or worst is None:
            return offer_at(own, float("inf"), within)
        low, high = own.utility(worst), own.utility(best)
        return offer_at(own, float(self.rng.uniform(low, high)), within)
