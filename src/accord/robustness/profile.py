"""One drawn preference profile and what the analysis says about it.

Sample ``i`` of a run with master seed ``s`` draws from its own generator,
``SeedSequence(s, spawn_key=(i,))`` (the ``i``-th child of ``SeedSequence(s).spawn``), so
its profile depends on ``(s, i)`` only: not on the backend, the worker count or the order
in which samples finish.

Per profile only what the report needs is computed, with the analysis's own functions:
feasibility, the Nash package when a deal exists (both read off the exact frontier where
there is one), and the blockers (a minimal conflict and every minimum relaxation) when none
does. The block, linkage and counting analyses of ``accord analyze`` are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from accord.analysis.blockers import BlockingSets, Condition, blocking_sets
from accord.analysis.blockers_enumerated import (
    KeptConditions,
    Undecided,
    conditions_in_order,
    enumerated_blocking_sets,
)
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.analysis.nash import nash
from accord.analysis.on_frontier import solutions_on_frontier
from accord.analysis.program import package_program
from accord.analysis.solutions import Outcome, find_feasible
from accord.analysis.space import IntArray
from accord.errors import AccordError
from accord.robustness.profile_model import ProfileModel
from accord.scenario.model import Scenario
from accord.scenario.uncertainty import is_certain, sample_scenario


@dataclass(frozen=True, order=True)
class BlockingCondition:
    """A red line or reservation value, named so that it is the same in every profile.

    A reservation value's own number changes from profile to profile, so it is named
    ``reservation value`` without it.
    """

    party: str
    kind: str  # "red_line" or "reservation"
    label: str


@dataclass(frozen=True)
class ProfileAnswer:
    """What one profile's analysis says.

    ``nash_package`` holds option indices (``None`` without a deal, or when no feasible
    package gives every voter a gain); ``conflict`` is a minimal set of conditions that
    cannot all hold; ``relaxations`` lists every smallest set whose relaxation opens a deal
    (at most ``accord.analysis.blockers.MAX_ALTERNATIVES`` of them).
    """

    index: int
    feasible: bool
    nash_package: tuple[int, ...] | None
    nash_utilities: tuple[float, ...] | None
    conflict: tuple[BlockingCondition, ...]
    relaxations: tuple[tuple[BlockingCondition, ...], ...]


def profile_rng(seed: int, index: int) -> np.random.Generator:
    """The generator of sample ``index`` under master seed ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))


def draw_profile(scenario: Scenario, seed: int, index: int) -> Scenario:
    """Sample ``index``'s certain profile of ``scenario``."""
    return sample_scenario(scenario, profile_rng(seed, index))


def answer_profile(
    compiled: CompiledScenario,
    index: int,
    known_packages: list[IntArray] | None = None,
    frontier_of: Callable[[CompiledScenario], Frontier] = pareto_frontier,
    conditions: KeptConditions | None = None,
) -> ProfileAnswer:
    """Feasibility, then the Nash package or the blockers, of one certain profile.

    Where the profile's frontier is exact (it is built from the issues' own frontiers in
    milliseconds), feasibility and the Nash package are read off it as ``accord analyze``
    does; otherwise they come from programs. The blockers come from enumeration where
    that gives the programs' answers (:mod:`accord.analysis.blockers_enumerated`), else
    from programs, fewer of them with ``known_packages`` (see :func:`blocking_sets`): a
    pool of packages found feasible in the profiles answered before, by this process.

    ``frontier_of`` is :func:`pareto_frontier` or a function giving the same frontier
    faster (:meth:`accord.robustness.profile_model.ProfileModel.frontier`). With
    ``conditions`` (the profile's :class:`KeptConditions`), a profile they prove has no
    deal gets its blockers without a frontier.
    """
    if conditions is not None and _proved_infeasible(compiled, conditions):
        blockers = enumerated_blocking_sets(compiled, conditions)
        if blockers is not None:
            return _blocked(index, compiled, blockers)
    frontier = frontier_of(compiled)
    if frontier.exact and len(frontier.packages):
        outcome = solutions_on_frontier(compiled, frontier)[1].outcome
        return _deal(index, outcome)
    if frontier.exact:
        # Empty: nothing is feasible, and the blockers take that as known.
        feasible = False
    else:
        feasible = find_feasible(compiled, package_program(compiled)) is not None
    # The relaxable program agrees with the plain one; should rounding ever make them
    # disagree, blocking_sets's "feasible" (None) is taken as the answer.
    blockers = None
    if not feasible:
        # The blockers are decided by enumeration where that is certain to give the
        # programs' answers, and by the programs otherwise.
        blockers = enumerated_blocking_sets(compiled, conditions) if frontier.exact else None
        if blockers is None:
            blockers = blocking_sets(compiled, known_packages, known_infeasible=frontier.exact)
    if blockers is None:
        return _deal(index, nash(compiled, package_program(compiled)).outcome)
    return _blocked(index, compiled, blockers)


def _proved_infeasible(compiled: CompiledScenario, conditions: KeptConditions) -> bool:
    """Whether enumeration proves that no package meets every condition (with a margin)."""
    try:
        return not conditions(frozenset(conditions_in_order(compiled)))
    except Undecided:
        return False


def _blocked(index: int, compiled: CompiledScenario, blockers: BlockingSets) -> ProfileAnswer:
    return ProfileAnswer(
        index=index,
        feasible=False,
        nash_package=None,
        nash_utilities=None,
        conflict=tuple(_named(compiled, c) for c in blockers.conflict),
        relaxations=tuple(
            tuple(_named(compiled, c) for c in conditions) for conditions in blockers.relaxations
        ),
    )


def _deal(index: int, outcome: Outcome | None) -> ProfileAnswer:
    return ProfileAnswer(
        index=index,
        feasible=True,
        nash_package=None if outcome is None else tuple(int(k) for k in outcome.package),
        nash_utilities=None if outcome is None else tuple(float(u) for u in outcome.utilities),
        conflict=(),
        relaxations=(),
    )


@dataclass(frozen=True)
class ProfileJob:
    """The job a backend runs per sample: draw profile ``index``, compile and answer it.

    The scenario travels once per run inside this object, not with every item.
    """

    scenario: Scenario
    seed: int
    # A certain scenario's every profile is the scenario itself: it is answered once per
    # process and the answer given to every sample (renumbered).
    _certain_answer: list[ProfileAnswer] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    # Packages found feasible in this process's profiles, tried first in the next ones'
    # blockers: the answers are the same, found with fewer programs.
    _known_packages: list[IntArray] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    # The scenario's structure, worked out once per process on its first profile.
    _model: list[ProfileModel] = field(default_factory=list, init=False, repr=False, compare=False)

    def __call__(self, index: int) -> ProfileAnswer:
        if self._certain_answer:
            return replace(self._certain_answer[0], index=index)
        answer = self._answer(index)
        if is_certain(self.scenario):
            self._certain_answer.append(answer)
        return answer

    def _answer(self, index: int) -> ProfileAnswer:
        if not self._model:
            self._model.append(ProfileModel(self.scenario))
        model = self._model[0]
        compiled = model.compile(profile_rng(self.seed, index))
        frontier_of: Callable[[CompiledScenario], Frontier] = pareto_frontier
        conditions = None
        if compiled is None:  # not the nominal structure: compiled and analysed as drawn
            compiled = compile_scenario(draw_profile(self.scenario, self.seed, index))
        else:
            vectors = model.factor_vectors(compiled)
            conditions = model.conditions(compiled, vectors)

            def frontier_of(game: CompiledScenario) -> Frontier:
                return model.frontier(game, vectors)

        try:
            return answer_profile(compiled, index, self._known_packages, frontier_of, conditions)
        except RuntimeError:
            # HiGHS has (rarely, and not reproducibly: the same profile then solves) stopped
            # with "solve error" under load; the profile is solved again from scratch once.
            try:
                profile = draw_profile(self.scenario, self.seed, index)
                return answer_profile(compile_scenario(profile), index)
            except RuntimeError as error:
                raise AccordError(
                    f"sample {index} of seed {self.seed}: the solver failed twice ({error})"
                ) from None


def _named(compiled: CompiledScenario, condition: Condition) -> BlockingCondition:
    label = "reservation value" if condition.kind == "reservation" else condition.label
    return BlockingCondition(compiled.party_ids[condition.party], condition.kind, label)
