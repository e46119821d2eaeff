"""A mediator that revises the single negotiating text from the parties' objections."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from accord.negotiation.own import OwnPreferences, Package
from accord.negotiation.strategies.common import DEFAULT_OBJECTIONS, objections
from accord.negotiation.strategy import MediatorStrategy, Response
from accord.negotiation.view import NegotiationView

Score = tuple[int, int]  # (parties objecting, objections raised): fewer is better


class HillClimbingMediator(MediatorStrategy):
    """Draft one complete text, then change what the parties object to, keeping the rest.

    The mediator never sees the parties' preferences, only their objections. The first
    draft takes the first option of every issue. After each round it scores the text it
    tabled by the number of parties that objected, then by the number of objections; a text
    scoring no worse than the best so far becomes the base, a worse one is dropped (its new
    options count as rejected) and the mediator returns to the base: that is the hill
    climbing. It then changes at most ``changes`` of the base's objected issues (the ones
    most parties objected to first; ties by issue order), each to the option rejected the
    fewest times so far, the next in the issue's order after the current one among equals;
    unobjected issues keep their options. With no objection the text stands. Deterministic:
    the random generator is not used.

    ``respond`` (when the mediator's own consent counts) accepts a package acceptable to its
    own preferences. Source: H. Raiffa, *The Art and Science of Negotiation* (1982), the
    single negotiating text used at Camp David in 1978; the hill climbing over the parties'
    votes follows M. Klein, P. Faratin, H. Sayama, Y. Bar-Yam, "Negotiating complex
    contracts", Group Decision and Negotiation 12 (2003).
    """

    name: ClassVar[str] = "hill-climbing-mediator"
    meta: ClassVar[dict[str, Any]] = {
        "stochastic": False,
        "concession": "mediated",
        "protocols": ("single-text", "shuttle"),
        "source": "Raiffa 1982 (single negotiating text, Camp David); Klein et al. 2003",
    }

    def __init__(self, changes: int = 1, max_objections: int = DEFAULT_OBJECTIONS) -> None:
        if changes < 1:
            raise ValueError(f"{self.name}: changes must be at least 1, got {changes}")
        self.changes = changes
        self.max_objections = max_objections

    def reset(self, own: OwnPreferences, rng: np.random.Generator) -> None:
        super().reset(own, rng)
        space = own.space
        self._rejected = [[0] * len(options) for options in space.option_ids]
        self._changed = [0] * len(space.option_ids)  # times each issue was changed
        self._base: Package | None = None
        self._base_objections: Mapping[str, tuple[str, ...]] = {}
        self._base_score: Score = (0, 0)

    def draft(self, view: NegotiationView, objections: Mapping[str, tuple[str, ...]]) -> Package:
        last = view.table
        if last is None:
            return tuple(0 for _ in self.own.space.issue_ids)
        issue_index = {issue: i for i, issue in enumerate(self.own.space.issue_ids)}
        raised = [objected for objected in objections.values() if objected]
        score = (len(raised), sum(len(objected) for objected in raised))
        for objected in raised:
            for issue_id in objected:
                self._rejected[issue_index[issue_id]][last[issue_index[issue_id]]] += 1
        if self._base is None or score <= self._base_score or self._adopt_worse(score, view):
            self._base, self._base_objections, self._base_score = last, objections, score
        else:
            for issue, (was, tried) in enumerate(zip(self._base, last, strict=True)):
                if was != tried:
                    self._rejected[issue][tried] += 1
        return self._revise(self._base, self._base_objections, issue_index, view.issues)

    def _adopt_worse(self, score: Score, view: NegotiationView) -> bool:
        """Whether a text that scored worse than the base becomes the base (never, here)."""
        return False

    def _tie_break(self, issue: int) -> tuple[int, ...]:
        """Among issues with as many objections: here, the issue order."""
        return (issue,)

    def _revise(
        self,
        base: Package,
        raised: Mapping[str, tuple[str, ...]],
        issue_index: Mapping[str, int],
        open_issues: tuple[int, ...] | None,
    ) -> Package:
        votes: dict[int, int] = {}
        for objected in raised.values():
            for issue_id in objected:
                votes[issue_index[issue_id]] = votes.get(issue_index[issue_id], 0) + 1
        movable = [
            issue
            for issue in votes
            if len(self._rejected[issue]) > 1 and (open_issues is None or issue in open_issues)
        ]
        movable.sort(key=lambda issue: (-votes[issue], *self._tie_break(issue)))
        text = list(base)
        for issue in movable[: self.changes]:
            self._changed[issue] += 1
            rejected, current = self._rejected[issue], base[issue]
            count = len(rejected)
            text[issue] = min(
                (option for option in range(count) if option != current),
                key=lambda option: (rejected[option], (option - current) % count),
            )
        return tuple(text)

    def respond(self, view: NegotiationView, package: Package) -> Response:
        if self.own.acceptable(package):
            return Response(accept=True)
        return Response(accept=False, objections=objections(self.own, package, self.max_objections))


class AnnealingMediator(HillClimbingMediator):
    """The hill-climbing mediator that sometimes keeps a worse text, less and less often.

    A text that scored worse than the base by ``delta`` (one more party objecting counts 1,
    one more objection 0.1) still becomes the base with probability
    ``exp(-delta / (temperature * (1 - t)))`` at normalised time ``t``, drawn from the
    mediator's generator; at the deadline it is the hill climber. Pure hill climbing stops
    at a text that one change cannot improve (Camp David: the text every change makes
    worse for someone, while a party's red line stands in it); taking a worse text early
    lets the search leave it while the parties' demands are still falling. Among issues
    with as many objections it changes the one changed least often so far (then the issue
    order), so that every party's objections get answered in turn. Everything else is
    :class:`HillClimbingMediator`'s. Source: the annealing mediator of M. Klein,
    P. Faratin, H. Sayama, Y. Bar-Yam, "Negotiating complex contracts", Group Decision and
    Negotiation 12 (2003).
    """

    name: ClassVar[str] = "annealing-mediator"
    meta: ClassVar[dict[str, Any]] = {
        **HillClimbingMediator.meta,
        "stochastic": True,
        "source": "Klein, Faratin, Sayama & Bar-Yam 2003 (annealing mediator); Raiffa 1982",
    }

    def __init__(
        self, changes: int = 1, max_objections: int = DEFAULT_OBJECTIONS, temperature: float = 3.0
    ) -> None:
        super().__init__(changes, max_objections)
        if not temperature > 0:
            raise ValueError(f"{self.name}: temperature must be positive, got {temperature}")
        self.temperature = float(temperature)

    def _tie_break(self, issue: int) -> tuple[int, ...]:
        # The issue changed least often first: the issue order alone sends every change to
        # the first objected issue, and the others' objections are never answered.
        return (self._changed[issue], issue)

    def _adopt_worse(self, score: Score, view: NegotiationView) -> bool:
        cooling = self.temperature * (1.0 - view.time)
        if cooling <= 0:
            return False
        delta = (score[0] - self._base_score[0]) + 0.1 * (score[1] - self._base_score[1])
        return bool(self.rng.random() < math.exp(-delta / cooling))
