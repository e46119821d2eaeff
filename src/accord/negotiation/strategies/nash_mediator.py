"""A mediator trusted with the parties' preferences: it tables the Nash package."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from accord.analysis.nash import nash
from accord.errors import AccordError
from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.strategies.hill_climbing_mediator import AnnealingMediator
from accord.negotiation.view import NegotiationView


class NashMediator(AnnealingMediator):
    """Draft the Nash bargaining package, computed from the preferences the parties granted.

    Where the scenario grants the mediator the parties' preferences (``sees_preferences``
    on the mediator's party), it drafts, every round, the package that maximises the
    product of the voters' gains over their disagreement values among the packages every
    voter can sign (:func:`accord.analysis.nash.nash`, exact); parties that concede over
    time accept it once their demands have fallen to it. Where no package is feasible
    there is no Nash package, and it drafts as the :class:`AnnealingMediator` does, from the
    objections (as it does at a table of one block's issues). Without the grant it refuses
    to run. Source: J. Nash, "The bargaining
    problem", Econometrica 18 (1950); Raiffa (1982) on the analytic mediator who knows the
    parties' confidential values.
    """

    name: ClassVar[str] = "nash-mediator"
    meta: ClassVar[dict[str, Any]] = {
        **AnnealingMediator.meta,
        "needs_preferences": True,
        "source": "Nash 1950 (bargaining solution); Raiffa 1982 (the analytic mediator)",
    }

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        self._nash: Package | None = None
        self._solved = False

    def draft(self, view: NegotiationView, objections: Mapping[str, tuple[str, ...]]) -> Package:
        # The Nash package is a whole package: at a block's table, draft from the objections.
        package = self._nash_package() if view.issues is None else None
        return super().draft(view, objections) if package is None else package

    def _nash_package(self) -> Package | None:
        if not self._solved:
            compiled = self.confided
            if compiled is None:
                raise AccordError(
                    f"{self.name} needs the parties' preferences: the scenario must grant "
                    "them to the mediator (sees_preferences: true on its party)"
                )
            outcome = nash(compiled).outcome
            self._nash = None if outcome is None else tuple(int(o) for o in outcome.package)
            self._solved = True
        return self._nash
