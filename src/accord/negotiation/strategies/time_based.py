"""Time-based concession: Boulware, linear and conceder (Faratin, Sierra & Jennings 1998)."""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from accord.negotiation.own import OwnPreferences, Package, Subspace
from accord.negotiation.strategies.common import (
    ACCEPT,
    ALL_PROTOCOLS,
    DEFAULT_OBJECTIONS,
    LastOffer,
    reject,
    subspace,
    utility_range,
    worth_at_least,
)
from accord.negotiation.strategy import Response, TimeDependent
from accord.negotiation.view import NegotiationView


class TimeBasedConcession(TimeDependent):
    """Concede along a fixed curve of time, whatever the others do.

    At normalised time ``t`` (``view.time``) the target utility is
    ``floor + (best - floor) * (1 - t ** (1 / e))``, where ``best`` is the utility of the
    party's best acceptable package and ``floor`` its reservation value (raised to the
    worst acceptable package's utility if every acceptable package is worth more). It
    proposes the acceptable package whose utility is the smallest at or above the target
    (ties: the lowest package index; on a space too large to list, a package HiGHS finds in
    a narrow band above the target, see :mod:`accord.negotiation.own`). It accepts a
    package that crosses none of its red lines, meets its reservation value and is worth at
    least the target, which on a listed space is exactly "worth at least what it would
    propose now" (AC_next); otherwise it rejects, objecting to the issues it needs changed,
    and walks away if no package is acceptable at all.

    ``e < 1`` is Boulware (holds firm, concedes near the deadline), ``e = 1`` linear,
    ``e > 1`` conceder. Source: P. Faratin, C. Sierra, N. R. Jennings, "Negotiation
    decision functions for autonomous agents", Robotics and Autonomous Systems 24 (1998),
    the polynomial time-dependent tactic; AC_next from T. Baarslag et al., "Acceptance
    conditions in automated negotiation" (2011).
    """

    name: ClassVar[str] = "time-based"
    meta: ClassVar[dict[str, Any]] = {
        "stochastic": False,
        "concession": "time-based",
        "protocols": ALL_PROTOCOLS,
        "source": "Faratin, Sierra & Jennings 1998 (polynomial time-dependent tactic)",
    }
    default_e: ClassVar[float] = 1.0

    def __init__(self, e: float | None = None, max_objections: int = DEFAULT_OBJECTIONS) -> None:
        self.e = self.default_e if e is None else float(e)
        if not self.e > 0:
            raise ValueError(f"{self.name}: e must be positive, got {e}")
        self.max_objections = max_objections

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        self._ranges: dict[Subspace | None, tuple[float, float] | None] = {
            None: utility_range(own, None)
        }
        self._hopeless = self._ranges[None] is None
        self._offer_at = LastOffer()
        self._last_target: tuple[float, Subspace | None, float] | None = None

    def target(self, time: float, within: Subspace | None = None) -> float:
        """The utility aimed at, at normalised time ``time``."""
        last = self._last_target
        if last is not None and last[0] == time and last[1] == within:
            return last[2]  # a response and the proposal after it ask for the same target
        if within not in self._ranges:
            self._ranges[within] = utility_range(self.own, within)
        span = self._ranges[within]
        if span is None:
            return self.own.reservation
        best, floor = span
        target = floor + (best - floor) * (1.0 - math.pow(time, 1.0 / self.e))
        self._last_target = (time, within, target)
        return target

    def propose(self, view: NegotiationView) -> Package:
        within = None if view.issues is None else subspace(self.own, view)
        return self._offer_at(self.own, self.target(view.time, within), within)

    def respond(self, view: NegotiationView, package: Package) -> Response:
        # Worth the target: on a listed space exactly AC_next (worth what it would offer,
        # the acceptable package worth the least at or above the target); on a larger
        # one, no program to solve for a response.
        within = None if view.issues is None else subspace(self.own, view)
        if worth_at_least(self.own, package, self.target(view.time, within)):
            return ACCEPT
        return reject(self.own, view, package, self.max_objections, self._hopeless)

    def threshold(self, time: float) -> float | None:
        return None if self._hopeless else self.target(time)

    def offer(self, time: float) -> Package:
        return self._offer_at(self.own, self.target(time), None)


class Boulware(TimeBasedConcession):
    """Time-based concession with ``e = 0.2``: firm until close to the deadline.

    The rule is :class:`TimeBasedConcession`'s. Source: Faratin, Sierra & Jennings (1998),
    who name the ``e < 1`` family after Lemuel Boulware's take-it-or-leave-it bargaining.
    """

    name: ClassVar[str] = "boulware"
    meta: ClassVar[dict[str, Any]] = {**TimeBasedConcession.meta, "concession": "boulware"}
    default_e: ClassVar[float] = 0.2


class Linear(TimeBasedConcession):
    """Time-based concession with ``e = 1``: the target falls linearly with time.

    The rule is :class:`TimeBasedConcession`'s. Source: Faratin, Sierra & Jennings (1998).
    """

    name: ClassVar[str] = "linear"
    meta: ClassVar[dict[str, Any]] = {**TimeBasedConcession.meta, "concession": "linear"}
    default_e: ClassVar[float] = 1.0


class Conceder(TimeBasedConcession):
    """Time-based concession with ``e = 5``: concedes early, then holds.

    The rule is :class:`TimeBasedConcession`'s. Source: Faratin, Sierra & Jennings (1998),
    the ``e > 1`` "conceder" family.
    """

    name: ClassVar[str] = "conceder"
    meta: ClassVar[dict[str, Any]] = {**TimeBasedConcession.meta, "concession": "conceder"}
    default_e: ClassVar[float] = 5.0
