"""Brute-force reference answers over every package of a small scenario.

:class:`Oracle` enumerates ``compiled.space.all_packages()`` and applies the definitions
directly. Only the utilities are taken from :class:`CompiledScenario`; who accepts, who
votes and which packages the rule accepts are worked out here again from the
:class:`Scenario` itself (red lines by option id, reservations as written), so that the
analysis code is checked against something it does not share.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from accord.analysis.compiled import NORMALISATION_FLOOR, CompiledScenario, compile_scenario
from accord.analysis.space import BoolArray, FloatArray, IntArray
from accord.scenario.model import Preferences, Scenario

ACCEPT_TOLERANCE = 1e-9
POSITIVE_IDEAL = 1e-9
POSITIVE_GAIN = 1e-12


@dataclass(frozen=True, eq=False)
class Oracle:
    """Every package of ``compiled`` with its utilities, gains and feasibility.

    When ``compiled.every_package_acceptable`` every package is feasible and gains are
    measured from 0 (the convention of ``CompiledScenario.ignoring_reservation``).
    """

    scenario: Scenario
    compiled: CompiledScenario

    @cached_property
    def packages(self) -> IntArray:
        return self.compiled.space.all_packages()

    @cached_property
    def utilities(self) -> FloatArray:
        """``(P, N)``: every party's utility of every package."""
        return self.compiled.utilities(self.packages)

    @cached_property
    def voters(self) -> IntArray:
        """Indices (into ``compiled.party_ids``) of the parties the rule counts."""
        voter_ids = set(self.scenario.voter_ids)
        return np.array(
            [p for p, pid in enumerate(self.compiled.party_ids) if pid in voter_ids],
            dtype=np.int64,
        )

    @cached_property
    def disagreement(self) -> FloatArray:
        """``(V,)``: each voter's utility of no deal."""
        if self.compiled.every_package_acceptable:
            return np.zeros(len(self.voters))
        return np.array(
            [self._preferences(self.compiled.party_ids[p]).reservation for p in self.voters]
        )

    @cached_property
    def gains(self) -> FloatArray:
        """``(V, N)``: every voter's gain over its disagreement value in every package."""
        result: FloatArray = self.utilities[self.voters] - self.disagreement[:, None]
        return result

    @cached_property
    def feasible(self) -> BoolArray:
        """``(N,)``: which packages the agreement rule accepts."""
        count = len(self.packages)
        if self.compiled.every_package_acceptable:
            return np.ones(count, dtype=np.bool_)
        accepts = {pid: self._accepts(p, pid) for p, pid in enumerate(self.compiled.party_ids)}
        rule = self.scenario.agreement
        voter_ids = self.scenario.voter_ids
        needed = len(voter_ids) if rule.kind == "unanimity" else rule.min_parties
        assert needed is not None
        mask = np.sum([accepts[pid] for pid in voter_ids], axis=0) >= needed
        for pid in self.scenario.required_party_ids:
            mask &= accepts[pid]
        return np.asarray(mask, dtype=np.bool_)

    def _preferences(self, party_id: str) -> Preferences:
        preferences = self.scenario.party(party_id).preferences
        assert preferences is not None
        return preferences

    def _accepts(self, index: int, party_id: str) -> BoolArray:
        preferences = self._preferences(party_id)
        accepts = self.utilities[index] >= preferences.reservation - ACCEPT_TOLERANCE
        chosen = self._chosen_option_ids
        for red_line in preferences.red_lines:
            crossed = np.ones(len(self.packages), dtype=np.bool_)
            for issue_id, picked in red_line.options.items():
                listed = [picked] if isinstance(picked, str) else list(picked)
                crossed &= np.isin(chosen[issue_id], listed)
            accepts &= ~crossed
        return accepts

    @cached_property
    def _chosen_option_ids(self) -> dict[str, np.ndarray]:
        """For each issue id, the option id every package picks."""
        return {
            issue.id: np.array([option.id for option in issue.options])[self.packages[:, i]]
            for i, issue in enumerate(self.scenario.issues)
        }

    # The optima, each None when no package qualifies.

    @property
    def any_feasible(self) -> bool:
        return bool(self.feasible.any())

    def max_utilitarian(self) -> float | None:
        """The largest sum of the voters' utilities over feasible packages."""
        if not self.any_feasible:
            return None
        return float(self.utilities[self.voters].sum(axis=0)[self.feasible].max())

    def max_min_gain(self) -> float | None:
        """The largest smallest gain over feasible packages."""
        if not self.any_feasible:
            return None
        return float(self.gains.min(axis=0)[self.feasible].max())

    @cached_property
    def ideal_gains(self) -> FloatArray | None:
        """``(V,)``: each voter's best gain over feasible packages."""
        if not self.any_feasible:
            return None
        result: FloatArray = self.gains[:, self.feasible].max(axis=1)
        return result

    def ks_level(self) -> float | None:
        """The largest smallest share of ideal gain, over voters with a positive ideal gain."""
        if not self.any_feasible:
            return None
        return float(self._ks_levels()[self.feasible].max())

    def _ks_levels(self) -> FloatArray:
        ideal = self.ideal_gains
        assert ideal is not None
        positive = ideal > POSITIVE_IDEAL
        if not positive.any():
            # Nobody has a share to equalise: every feasible package is as good.
            return np.ones(len(self.packages))
        result: FloatArray = (self.gains[positive] / ideal[positive, None]).min(axis=0)
        return result

    def max_nash_log_product(self) -> float | None:
        """The largest sum of log gains over feasible packages where every voter gains."""
        eligible = self.feasible & (self.gains > POSITIVE_GAIN).all(axis=0)
        if not eligible.any():
            return None
        return float(np.log(self.gains[:, eligible]).sum(axis=0).max())

    # Values of one package, given every party's utility of it.

    def gain_of(self, utilities: FloatArray) -> FloatArray:
        result: FloatArray = utilities[self.voters] - self.disagreement
        return result

    def total_of(self, utilities: FloatArray) -> float:
        return float(utilities[self.voters].sum())

    def min_gain_of(self, utilities: FloatArray) -> float:
        return float(self.gain_of(utilities).min())

    def ks_level_of(self, utilities: FloatArray) -> float:
        ideal = self.ideal_gains
        assert ideal is not None
        positive = ideal > POSITIVE_IDEAL
        if not positive.any():
            return 1.0
        return float((self.gain_of(utilities)[positive] / ideal[positive]).min())

    def nash_log_product_of(self, utilities: FloatArray) -> float:
        gain = self.gain_of(utilities)
        return float(np.log(gain).sum()) if gain.min() > 0 else -np.inf

    def is_feasible(self, package: IntArray) -> bool:
        """Whether ``package`` is one of the feasible rows."""
        row = int(np.ravel_multi_index(tuple(package), tuple(self.compiled.space.option_counts)))
        assert np.array_equal(self.packages[row], package)
        return bool(self.feasible[row])

    # The Pareto frontier.

    @cached_property
    def frontier(self) -> BoolArray:
        """Feasible packages not strictly dominated on the voters' utilities."""
        voter_utilities = self.utilities[self.voters]
        candidates = voter_utilities[:, self.feasible]
        frontier = np.zeros(len(self.packages), dtype=np.bool_)
        for n in np.flatnonzero(self.feasible):
            frontier[n] = not dominated(candidates, voter_utilities[:, n], 0.0)
        return frontier

    def is_pareto_optimal(self, utilities: FloatArray, tolerance: float = 1e-9) -> bool:
        """Whether no feasible package strictly dominates one with these utilities."""
        candidates = self.utilities[self.voters][:, self.feasible]
        return not dominated(candidates, utilities[self.voters], tolerance)


def conventions(scenario: Scenario) -> Iterator[tuple[CompiledScenario, Oracle]]:
    """The scenario as written, then with every package acceptable and disagreement at 0."""
    compiled = compile_scenario(scenario)
    for variant in (compiled, compiled.ignoring_reservation()):
        yield variant, Oracle(scenario, variant)


def dominated(candidates: FloatArray, point: FloatArray, tolerance: float) -> bool:
    """Whether a column of ``candidates`` (voters × packages) strictly dominates ``point``:
    at least as good for every voter and better for one, each beyond ``tolerance``."""
    at_least = (candidates >= point[:, None] - tolerance).all(axis=0)
    better = (candidates > point[:, None] + tolerance).any(axis=0)
    return bool((at_least & better).any())


def utilities_by_definition(scenario: Scenario, packages: IntArray) -> FloatArray:
    """``(P, N)``: each party with preferences values each package, read off the model.

    Normalised: weights over their sum, each issue's values over its best value, plus the
    interactions, the whole divided by its best over all ``packages`` (when positive).
    Points: every number as written.
    """
    rows = []
    for party in scenario.parties:
        preferences = party.preferences
        if preferences is None:
            continue
        normalised = preferences.scale == "normalised"
        weights = preferences.weights or {issue.id: 1.0 for issue in scenario.issues}
        total_weight = sum(weights.values()) if normalised else 1.0
        values = np.zeros(len(packages))
        for n, package in enumerate(packages):
            chosen = {
                issue.id: issue.options[int(k)].id
                for issue, k in zip(scenario.issues, package, strict=True)
            }
            for issue_id, option_id in chosen.items():
                given = preferences.values.get(issue_id, {})
                top = max(given.values(), default=0.0) if normalised else 1.0
                value = given.get(option_id, 0.0)
                if top > 0:
                    values[n] += weights.get(issue_id, 0.0) / total_weight * value / top
            for interaction in preferences.interactions:
                if all(
                    chosen[i] in ((o,) if isinstance(o, str) else o)
                    for i, o in interaction.options.items()
                ):
                    values[n] += interaction.value
        best = values.max()
        rows.append(values / best if normalised and best > NORMALISATION_FLOOR else values)
    return np.array(rows)
