"""The plug-in point for automated negotiators: one small class per strategy.

A strategy is reset with its own preferences and a random generator that the protocol
owns and seeds; then the protocol asks it to propose and to respond. A mediator strategy
drafts the single negotiating text and revises it from the parties' objections.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.view import NegotiationView


@dataclass(frozen=True)
class Response:
    """Accept or reject the package on the table; objections name the issues to change."""

    accept: bool
    objections: tuple[str, ...] = ()
    walk_away: bool = False


class Strategy:
    """Base of every negotiator strategy.

    ``meta`` says, at least: ``stochastic`` (bool), ``concession`` (e.g. "boulware",
    "linear", "conceder", "none", "reciprocal", "random"), ``protocols`` (the protocol names
    it supports), ``source`` (where the rule comes from).
    """

    name: ClassVar[str] = ""
    meta: ClassVar[Mapping[str, Any]] = {}

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        """Start a new negotiation with these preferences and this random generator."""
        self.own = own
        self.rng = rng

    def propose(self, view: NegotiationView) -> Package:
        """The package to offer now (alternating offers; parallel blocks)."""
        raise NotImplementedError(f"{self.name} does not propose")

    def respond(self, view: NegotiationView, package: Package) -> Response:
        """Accept or reject ``package`` (every protocol)."""
        raise NotImplementedError(f"{self.name} does not respond")


class MediatorStrategy(Strategy):
    """Base of mediator strategies for the single negotiating text."""

    def draft(self, view: NegotiationView, objections: Mapping[str, tuple[str, ...]]) -> Package:
        """The next version of the text, from the last one (``view.table``) and the
        objections each party raised against it (empty before the first draft)."""
        raise NotImplementedError(f"{self.name} does not draft")
