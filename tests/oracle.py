"""Brute-force reference answers over every package of a small scenario.

Two oracles. :class:`ExactOracle` works in exact rational arithmetic from the scenario's
decimal inputs (``fractions``), so its ties are true ties; :class:`Oracle` evaluates the
packages in floating point, for the checks that need the compiled model's own numbers.

:class:`Oracle` enumerates ``compiled.space.all_packages()`` and applies the definitions
directly. Only the utilities are taken from :class:`CompiledScenario`; who accepts, who
votes and which packages the rule accepts are worked out here again from the
:class:`Scenario` itself (red lines by option id, reservations as written), so that the
analysis code is checked against something it does not share.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
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


# The exact rational oracle.


def exact(value: float) -> Fraction:
    """A decimal input as the fraction it means: the simplest within float precision.

    ``0.1`` is 1/10 and ``0.3333333333333333`` is 1/3: among fractions with a denominator
    up to a million, the one nearest the decimal as written.
    """
    return Fraction(repr(float(value))).limit_denominator(EXACT_DENOMINATOR)


EXACT_DENOMINATOR = 10**6


@dataclass(frozen=True, eq=False)
class ExactOracle:
    """Every package of a small scenario, with utilities in exact rational arithmetic.

    Nothing is shared with the analysis code but the outcome space's order of packages:
    utilities follow the model's definition (as :func:`utilities_by_definition`), red lines
    are matched by option id, and every comparison is exact. ``ignoring_reservation``
    follows ``CompiledScenario.ignoring_reservation``: every package acceptable, gains
    from 0.
    """

    scenario: Scenario
    ignoring_reservation: bool = False

    @cached_property
    def packages(self) -> list[tuple[int, ...]]:
        counts = [range(len(issue.options)) for issue in self.scenario.issues]
        return list(itertools.product(*counts))

    @cached_property
    def party_ids(self) -> list[str]:
        return [p.id for p in self.scenario.parties if p.preferences is not None]

    @cached_property
    def voter_ids(self) -> list[str]:
        voter_ids = set(self.scenario.voter_ids)
        return [pid for pid in self.party_ids if pid in voter_ids]

    def _chosen(self, package: tuple[int, ...]) -> dict[str, str]:
        return {
            issue.id: issue.options[k].id
            for issue, k in zip(self.scenario.issues, package, strict=True)
        }

    @cached_property
    def utilities(self) -> dict[str, list[Fraction]]:
        """Each party's exact utility of every package."""
        return {pid: self._party_utilities(pid) for pid in self.party_ids}

    def _party_utilities(self, party_id: str) -> list[Fraction]:
        preferences = self.scenario.party(party_id).preferences
        assert preferences is not None
        normalised = preferences.scale == "normalised"
        issue_ids = [issue.id for issue in self.scenario.issues]
        weights = (
            {i: exact(w) for i, w in preferences.weights.items()}
            if preferences.weights is not None
            else dict.fromkeys(issue_ids, Fraction(1))
        )
        total_weight = sum(weights.values(), Fraction(0)) if normalised else Fraction(1)
        values = []
        for package in self.packages:
            chosen = self._chosen(package)
            value = Fraction(0)
            for issue_id, option_id in chosen.items():
                given = {o: exact(v) for o, v in preferences.values.get(issue_id, {}).items()}
                option_value = given.get(option_id, Fraction(0))
                if normalised:
                    top = max(given.values(), default=Fraction(0))
                    if top > 0:
                        value += (
                            weights.get(issue_id, Fraction(0)) / total_weight * option_value / top
                        )
                else:
                    value += weights.get(issue_id, Fraction(0)) * option_value
            for interaction in preferences.interactions:
                if _holds(interaction.options, chosen):
                    value += exact(interaction.value)
            values.append(value)
        best = max(values)
        if normalised and best > NORMALISATION_FLOOR:
            values = [v / best for v in values]
        return values

    def _accepts(self, party_id: str, row: int) -> bool:
        if self.ignoring_reservation:
            return True
        preferences = self.scenario.party(party_id).preferences
        assert preferences is not None
        if self.utilities[party_id][row] < exact(preferences.reservation):
            return False
        chosen = self._chosen(self.packages[row])
        return not any(_holds(r.options, chosen) for r in preferences.red_lines)

    @cached_property
    def feasible(self) -> list[int]:
        """Rows of the packages the agreement rule accepts."""
        rule = self.scenario.agreement
        voter_ids = self.scenario.voter_ids
        needed = len(voter_ids) if rule.kind == "unanimity" else rule.min_parties
        assert needed is not None
        rows = []
        for row in range(len(self.packages)):
            accepting = {pid for pid in self.party_ids if self._accepts(pid, row)}
            if len(accepting & set(voter_ids)) >= needed and all(
                pid in accepting for pid in self.scenario.required_party_ids
            ):
                rows.append(row)
        return rows

    @cached_property
    def unanimous(self) -> int:
        """How many packages every voter accepts."""
        return sum(
            all(self._accepts(pid, row) for pid in self.voter_ids)
            for row in range(len(self.packages))
        )

    def vector(self, row: int) -> tuple[Fraction, ...]:
        """The voters' exact utilities of one package."""
        return tuple(self.utilities[pid][row] for pid in self.voter_ids)

    @cached_property
    def disagreement(self) -> tuple[Fraction, ...]:
        if self.ignoring_reservation:
            return tuple(Fraction(0) for _ in self.voter_ids)
        return tuple(
            exact(self.scenario.party(pid).preferences.reservation)  # type: ignore[union-attr]
            for pid in self.voter_ids
        )

    def gains(self, row: int) -> tuple[Fraction, ...]:
        return tuple(u - d for u, d in zip(self.vector(row), self.disagreement, strict=True))

    @cached_property
    def frontier(self) -> list[int]:
        """Rows of the feasible packages no feasible package dominates."""
        vectors = {row: self.vector(row) for row in self.feasible}
        distinct = set(vectors.values())

        def dominated(point: tuple[Fraction, ...]) -> bool:
            return any(
                other != point and all(o >= p for o, p in zip(other, point, strict=True))
                for other in distinct
            )

        optimal = {point for point in distinct if not dominated(point)}
        return [row for row, point in vectors.items() if point in optimal]

    @cached_property
    def frontier_points(self) -> set[tuple[Fraction, ...]]:
        return {self.vector(row) for row in self.frontier}

    def maximisers(self, *stages: Callable[[int], Fraction]) -> set[tuple[Fraction, ...]]:
        """The voters' utilities at the feasible packages maximising ``stages`` in turn."""
        rows = self.frontier
        for stage in stages:
            if not rows:
                break
            best = max(stage(row) for row in rows)
            rows = [row for row in rows if stage(row) == best]
        return {self.vector(row) for row in rows}

    def utilitarian(self) -> set[tuple[Fraction, ...]]:
        return self.maximisers(lambda row: sum(self.vector(row), Fraction(0)))

    def egalitarian(self) -> set[tuple[Fraction, ...]]:
        return self.maximisers(
            lambda row: min(self.gains(row)), lambda row: sum(self.gains(row), Fraction(0))
        )

    @cached_property
    def ideal_gains(self) -> tuple[Fraction, ...]:
        return tuple(
            max(self.gains(row)[k] for row in self.feasible) for k in range(len(self.voter_ids))
        )

    def kalai_smorodinsky(self) -> set[tuple[Fraction, ...]]:
        ideal = self.ideal_gains
        sharing = [k for k, g in enumerate(ideal) if g > 0]

        def level(row: int) -> Fraction:
            gains = self.gains(row)
            return min((gains[k] / ideal[k] for k in sharing), default=Fraction(1))

        def total(row: int) -> Fraction:
            gains = self.gains(row)
            return sum(
                (g / ideal[k] if k in sharing else g for k, g in enumerate(gains)), Fraction(0)
            )

        return self.maximisers(level, total)

    def nash(self) -> set[tuple[Fraction, ...]]:
        """Empty when no feasible package gives every voter a positive gain."""
        rows = [row for row in self.frontier if min(self.gains(row)) > 0]
        if not rows:
            return set()
        products = {row: math.prod(self.gains(row)) for row in rows}
        best = max(products.values())
        return {self.vector(row) for row, product in products.items() if product == best}


def _holds(options: Mapping[str, str | tuple[str, ...]], chosen: dict[str, str]) -> bool:
    return all(
        chosen[issue_id] in ((picked,) if isinstance(picked, str) else picked)
        for issue_id, picked in options.items()
    )
