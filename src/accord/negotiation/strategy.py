"""The plug-in point for automated negotiators: one small class per strategy.

A strategy is reset with its own preferences and a random generator that the protocol
owns and seeds; then the protocol asks it to propose and to respond. A mediator strategy
drafts the single negotiating text and revises it from the parties' objections.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.view import NegotiationView


class Response(NamedTuple):
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


class TimeDependent(Strategy):
    """A negotiator whose moves at a full table depend on the time alone.

    Its :meth:`respond` accepts exactly the acceptable packages worth at least
    ``threshold(time)`` (``accord.negotiation.strategies.common.worth_at_least``) and walks
    away when ``threshold`` is ``None``; its :meth:`propose` offers ``offer(time)``; neither
    reads the history. Alternating offers then run it without building a view each turn
    (the same moves, the same trace, about twice the rounds per second).
    """

    # A subclass that reads more than the time at some table sets this to False.
    time_dependent: ClassVar[bool] = True

    def threshold(self, time: float) -> float | None:
        """The least utility it accepts at ``time`` (at a full table); ``None``: it walks
        away instead of answering."""
        raise NotImplementedError(f"{self.name} has no threshold")

    def offer(self, time: float) -> Package:
        """What it proposes at ``time`` at a full table."""
        raise NotImplementedError(f"{self.name} has no offer")


def normalised_time(round_: int, deadline: int) -> float:
    """The share of the deadline used at ``round_`` (0-based), in [0, 1]."""
    return min(1.0, round_ / max(deadline - 1, 1))


class MediatorStrategy(Strategy):
    """Base of mediator strategies for the single negotiating text.

    A mediator sees what the parties say, not their preferences, unless the scenario grants
    them (its party has ``sees_preferences``): then the protocol hands it the compiled
    scenario through :meth:`confide` after :meth:`reset`. A strategy that cannot work
    without them says so with ``meta["needs_preferences"] = True``, and is refused before
    anything runs where they are not granted.
    """

    confided: CompiledScenario | None = None

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        self.confided = None  # granted again, or not, for each run

    def confide(self, compiled: CompiledScenario) -> None:
        """The parties' preferences, granted to this mediator for this run."""
        self.confided = compiled

    def draft(self, view: NegotiationView, objections: Mapping[str, tuple[str, ...]]) -> Package:
        """The next version of the text, from the last one (``view.table``) and the
        objections each party raised against it (empty before the first draft)."""
        raise NotImplementedError(f"{self.name} does not draft")
