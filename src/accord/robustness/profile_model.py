"""A scenario compiled once, whose drawn profiles only swap its uncertain numbers.

Every profile of a run shares the scenario's structure: its issues, terms, red lines, the
groups of issues that terms join (for the normalisation and for the frontier's factors),
each factor's packages and red-line masks. :class:`ProfileModel` works them out once per
process; a profile then costs its numbers only. Everything is computed with the same
operations, in the same order, as :func:`accord.analysis.compiled.compile_scenario` and
:func:`accord.analysis.frontier.pareto_frontier` compute it for the drawn scenario, so the
results are the same to the last bit (the tests compare them). A profile whose structure
differs (a drawn interaction value of exactly 0 joins fewer issues), or a scenario the fast
path does not cover (a quorum, a cap, a factor too large), is compiled and analysed by
those functions themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from accord.analysis import frontier as frontier_module
from accord.analysis.blockers_enumerated import ConditionGroups, KeptConditions, Undecided
from accord.analysis.compiled import (
    NORMALISATION_FLOOR,
    Clauses,
    CompiledScenario,
    _clauses,
    _linear_terms,
    clauses_hold,
    compile_scenario,
)
from accord.analysis.frontier import (
    Frontier,
    factors_of,
    frontier_of_factors,
    local_frontier,
    pareto_frontier,
)
from accord.analysis.milp import ValueGroups, best_by_groups, value_groups
from accord.analysis.space import BoolArray, FloatArray, IntArray
from accord.scenario.model import Scenario
from accord.scenario.uncertainty import sample_preferences


@dataclass(frozen=True)
class _Factor:
    """One factor of the frontier: its issues, packages, flat indices, valued terms'
    masks and the rows its red lines allow (for the one set of accepting voters)."""

    issues: tuple[int, ...]
    local: IntArray
    flat: IntArray
    terms: tuple[tuple[int, BoolArray], ...]
    rows: IntArray


class ProfileModel:
    """The structure of ``scenario`` worked out once, for its drawn profiles."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.nominal = compile_scenario(scenario)
        nominal = self.nominal
        self._term_keys = {term: k for k, term in enumerate(nominal.terms)}
        parties = [p for p in scenario.parties if p.preferences is not None]
        self._uncertain = [
            (index, party.preferences)
            for index, party in enumerate(parties)
            if party.preferences is not None and party.preferences.uncertain
        ]
        self._normalisations: dict[int, ValueGroups | None] = {}
        for index, preferences in self._uncertain:
            if preferences.scale == "normalised":
                self._normalisations[index] = self._plan_normalisation(index, nominal)
        self._voter_valued = self._valued_by_voters(nominal)
        self._factors = self._plan_factors(nominal)
        self._groups: ConditionGroups | None = None
        if self._factors is not None:
            try:
                self._groups = ConditionGroups(nominal)
            except Undecided:
                self._groups = None

    # -- compiling ----------------------------------------------------------------------

    def compile(self, rng: np.random.Generator) -> CompiledScenario | None:
        """The drawn profile's compiled scenario (drawing as
        :func:`accord.scenario.uncertainty.sample_scenario` does), or ``None`` when its
        structure differs from the nominal one's."""
        nominal = self.nominal
        space = nominal.space
        linear = nominal.linear.copy()
        term_values = nominal.term_values.copy()
        reservation = nominal.reservation.copy()
        for index, preferences in self._uncertain:
            drawn = sample_preferences(preferences, rng)
            row = _linear_terms(space, drawn)
            values = np.zeros(len(nominal.terms))
            for interaction in drawn.interactions:
                values[self._term_keys[_clauses(space, interaction.options)]] += interaction.value
            if drawn.scale == "normalised":
                best = self._best(index, row, values)
                if best is None:
                    return None
                if best <= NORMALISATION_FLOOR:
                    best = 1.0
                row /= best
                values /= best
            linear[index] = row
            term_values[index] = values
            reservation[index] = drawn.reservation
        compiled = replace(nominal, linear=linear, term_values=term_values, reservation=reservation)
        if self._valued_by_voters(compiled) != self._voter_valued:
            return None
        return compiled

    def _plan_normalisation(self, index: int, compiled: CompiledScenario) -> ValueGroups | None:
        valued = tuple(bool(v != 0) for v in compiled.term_values[index])
        return value_groups(compiled.space, compiled.terms, valued)

    def _best(self, index: int, linear: FloatArray, term_values: FloatArray) -> float | None:
        """``best_package_value`` of one party's drawn numbers, the same operations in the
        same order; ``None`` when its valued terms are not the nominal ones."""
        plan = self._normalisations.get(index)
        if plan is None or tuple(bool(v != 0) for v in term_values) != plan.valued:
            return None
        return best_by_groups(plan, self.nominal.space, linear, term_values)

    # -- the frontier -------------------------------------------------------------------

    @staticmethod
    def _valued_by_voters(compiled: CompiledScenario) -> tuple[bool, ...]:
        voters = compiled.voter_indices
        return tuple(
            bool(np.any(compiled.term_values[voters, k] != 0)) for k in range(len(compiled.terms))
        )

    def _plan_factors(self, compiled: CompiledScenario) -> tuple[_Factor, ...] | None:
        """The frontier's factors, or ``None`` where :func:`pareto_frontier` takes another
        way (a cap, a quorum, every package acceptable, a factor too large)."""
        if compiled.cap is not None or compiled.every_package_acceptable:
            return None
        sets = frontier_module.acceptance_sets(compiled)
        if len(sets) != 1:
            return None
        (accepting,) = sets
        space = compiled.space
        voters = compiled.voter_indices
        factors = []
        for factor in factors_of(compiled):
            sizes = [len(space.option_ids[i]) for i in factor]
            if math.prod(sizes) > frontier_module.MAX_FACTOR_PACKAGES:
                return None
            grids = np.meshgrid(*[np.arange(size) for size in sizes], indexing="ij")
            local = np.stack([g.ravel() for g in grids], axis=1).astype(np.int64)
            members = set(factor)
            masks = []
            for index, term in enumerate(compiled.terms):
                if {issue for issue, _ in term} <= members and np.any(
                    compiled.term_values[voters, index]
                ):
                    masks.append((index, clauses_hold(_local(term, factor), local)))
            allowed = np.ones(len(local), dtype=np.bool_)
            for red_line in compiled.red_lines:
                if red_line.party in accepting and set(red_line.issues) <= members:
                    allowed &= ~clauses_hold(_local(red_line.clauses, factor), local)
            factors.append(
                _Factor(
                    factor,
                    local,
                    local + space.offsets[list(factor)],
                    tuple(masks),
                    np.flatnonzero(allowed),
                )
            )
        return tuple(factors)

    def factor_vectors(self, compiled: CompiledScenario) -> list[FloatArray] | None:
        """Each factor's packages' utilities for the voters, as ``pareto_frontier`` computes
        them (``None`` where it takes another way)."""
        if self._factors is None:
            return None
        voters = compiled.voter_indices
        linear = compiled.linear[voters]
        found = []
        for factor in self._factors:
            vectors = linear[:, factor.flat].sum(axis=2).T
            for index, holds in factor.terms:
                vectors = vectors + np.outer(holds, compiled.term_values[voters, index])
            found.append(vectors)
        return found

    def conditions(
        self, compiled: CompiledScenario, vectors: list[FloatArray] | None
    ) -> KeptConditions | None:
        """The profile's questions about kept conditions, on the frontier's factors."""
        if self._groups is None or vectors is None:
            return None
        return KeptConditions(compiled, self._groups, vectors)

    def frontier(
        self, compiled: CompiledScenario, vectors: list[FloatArray] | None = None
    ) -> Frontier:
        """``pareto_frontier(compiled)`` of a profile this model compiled (``vectors``: its
        :meth:`factor_vectors`, when the caller has them)."""
        if self._factors is None:
            return pareto_frontier(compiled)
        count_type = object if compiled.space.outcome_count >= 2**62 else np.int64
        if vectors is None:
            vectors = self.factor_vectors(compiled)
            assert vectors is not None
        locals_ = [
            (factor.local, local_frontier(factor_vectors, factor.rows, count_type))
            for factor, factor_vectors in zip(self._factors, vectors, strict=True)
        ]
        (accepting,) = frontier_module.acceptance_sets(compiled)
        found = frontier_of_factors(
            compiled, [f.issues for f in self._factors], locals_, accepting, 100_000
        )
        if found.epsilon != 0.0:
            return pareto_frontier(compiled)
        return Frontier(
            found.packages,
            found.utilities.reshape(-1, compiled.party_count),
            tuple(found.multiplicity),
            exact=True,
            epsilon=0.0,
            size=sum(found.multiplicity),
            reason="",
        )


def _local(clauses: Clauses, factor: tuple[int, ...]) -> Clauses:
    return tuple((factor.index(issue), options) for issue, options in clauses)
