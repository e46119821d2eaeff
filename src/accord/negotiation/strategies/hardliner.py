"""The hardliner: never concedes."""

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
    worth_at_least,
)
from accord.negotiation.strategy import Response, TimeDependent
from accord.negotiation.view import NegotiationView


class Hardliner(TimeDependent):
    """Always propose the best acceptable package; accept only a package worth as much.

    The package proposed is the party's best acceptable one (ties: the lowest package
    index), at every round. It accepts a package that crosses none of its red lines and is
    worth at least that best package; otherwise it rejects, objecting to the issues it
    needs changed, and walks away if no package is acceptable. Source: the "hardheaded"
    baseline of the ANAC competitions (Baarslag et al., "Evaluating practical negotiating
    agents", Artificial Intelligence 198, 2013), the limit ``e -> 0`` of Faratin et al.'s
    time-dependent tactic.
    """

    name: ClassVar[str] = "hardliner"
    meta: ClassVar[dict[str, Any]] = {
        "stochastic": False,
        "concession": "none",
        "protocols": ALL_PROTOCOLS,
        "source": "ANAC hardheaded baseline; Faratin et al. 1998 with e -> 0",
    }

    def __init__(self, max_objections: int = DEFAULT_OBJECTIONS) -> None:
        self.max_objections = max_objections

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        self._best: dict[Subspace | None, Package] = {}
        self._hopeless = own.best_acceptable() is None

    def propose(self, view: NegotiationView) -> Package:
        return self._best_offer(subspace(self.own, view))

    def respond(self, view: NegotiationView, package: Package) -> Response:
        best = self._best_offer(subspace(self.own, view))
        if worth_at_least(self.own, package, self.own.utility(best)):
            return Response(accept=True)
        return reject(self.own, view, package, self.max_objections, self._hopeless)

    def threshold(self, time: float) -> float | None:
        return None if self._hopeless else self.own.utility(self._best_offer(None))

    def offer(self, time: float) -> Package:
        return self._best_offer(None)

    def _best_offer(self, within: Subspace | None) -> Package:
        offer = self._best.get(within)
        if offer is None:
            offer = self._best[within] = offer_at(self.own, float("inf"), within)
        return offer
