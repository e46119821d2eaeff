"""Exact rational brute force for the analyses of issue 13 (improve, coalitions, agenda).

Every number of the scenario is read back as the decimal it was written as
(``Fraction(repr(x))``), utilities are computed from the model's definitions in rational
arithmetic over every package, and acceptance compares rationals exactly: ties are ties.
Nothing here is shared with :mod:`accord.analysis`; only small scenarios are enumerated.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from accord.scenario.model import Preferences, Scenario

Package = tuple[int, ...]


def exact(value: float) -> Fraction:
    """The decimal a float was written as (0.1 is 1/10, not the nearest double)."""
    return Fraction(repr(float(value)))


def _picked(option: str | tuple[str, ...]) -> tuple[str, ...]:
    return (option,) if isinstance(option, str) else tuple(option)


@dataclass(frozen=True, eq=False)
class RationalOracle:
    """Every package of ``scenario`` with every party's exact utility of it."""

    scenario: Scenario

    @cached_property
    def option_ids(self) -> list[list[str]]:
        return [[o.id for o in issue.options] for issue in self.scenario.issues]

    @cached_property
    def packages(self) -> list[Package]:
        return list(itertools.product(*[range(len(o)) for o in self.option_ids]))

    @cached_property
    def party_ids(self) -> list[str]:
        return [p.id for p in self.scenario.parties if p.preferences is not None]

    def _chosen(self, package: Package) -> dict[str, str]:
        return {
            issue.id: self.option_ids[i][k]
            for i, (issue, k) in enumerate(zip(self.scenario.issues, package, strict=True))
        }

    def _preferences(self, party_id: str) -> Preferences:
        preferences = self.scenario.party(party_id).preferences
        assert preferences is not None
        return preferences

    @cached_property
    def utilities(self) -> dict[str, list[Fraction]]:
        """Each party's utility of each package, in the order of :attr:`packages`."""
        return {pid: self._utilities_of(self._preferences(pid)) for pid in self.party_ids}

    def _utilities_of(self, preferences: Preferences) -> list[Fraction]:
        issues = self.scenario.issues
        normalised = preferences.scale == "normalised"
        if preferences.weights is None:
            weights = {issue.id: Fraction(1) for issue in issues}
        else:
            weights = {i.id: exact(preferences.weights.get(i.id, 0.0)) for i in issues}
        total = sum(weights.values(), Fraction(0)) if normalised else Fraction(1)
        option_values: dict[str, list[Fraction]] = {}
        for i, issue in enumerate(issues):
            given = preferences.values.get(issue.id, {})
            raw = [exact(given.get(o, 0.0)) for o in self.option_ids[i]]
            if normalised:
                top = max(raw)
                raw = [v / top for v in raw] if top > 0 else [Fraction(0)] * len(raw)
            option_values[issue.id] = [weights[issue.id] / total * v for v in raw]
        values = []
        for package in self.packages:
            chosen = self._chosen(package)
            value = sum(
                (option_values[issue.id][k] for issue, k in zip(issues, package, strict=True)),
                Fraction(0),
            )
            for interaction in preferences.interactions:
                if all(chosen[i] in _picked(o) for i, o in interaction.options.items()):
                    value += exact(interaction.value)
            values.append(value)
        best = max(values)
        # compile_scenario treats a best total at or below 1e-9 as nothing worth anything.
        if normalised and best > Fraction(1, 10**9):
            values = [v / best for v in values]
        return values

    def reservation(self, party_id: str) -> Fraction:
        return exact(self._preferences(party_id).reservation)

    def accepts(self, party_id: str) -> list[bool]:
        """Whether the party accepts each package: reservation met, no red line crossed."""
        preferences = self._preferences(party_id)
        reservation = self.reservation(party_id)
        result = []
        for package, value in zip(self.packages, self.utilities[party_id], strict=True):
            chosen = self._chosen(package)
            crossed = any(
                all(chosen[i] in _picked(o) for i, o in red_line.options.items())
                for red_line in preferences.red_lines
            )
            result.append(value >= reservation and not crossed)
        return result

    def feasible_for(self, members: Iterable[str]) -> list[bool]:
        """Packages every listed party accepts (a coalition agreeing among itself)."""
        listed = list(members)
        table = [self.accepts(pid) for pid in listed]
        return (
            [all(column) for column in zip(*table, strict=True)]
            if listed
            else [True] * len(self.packages)
        )

    @cached_property
    def feasible(self) -> list[bool]:
        """Packages the scenario's agreement rule accepts."""
        rule = self.scenario.agreement
        voters = self.scenario.voter_ids
        needed = len(voters) if rule.kind == "unanimity" else rule.min_parties
        assert needed is not None
        accepts = {pid: self.accepts(pid) for pid in self.party_ids}
        return [
            sum(accepts[pid][n] for pid in voters) >= needed
            and all(accepts[pid][n] for pid in self.scenario.required_party_ids)
            for n in range(len(self.packages))
        ]

    def vector(self, party_ids: Sequence[str], row: int) -> tuple[Fraction, ...]:
        return tuple(self.utilities[pid][row] for pid in party_ids)


def dominates(better: Sequence[Fraction], worse: Sequence[Fraction]) -> bool:
    """At least as good for every entry and strictly better for one."""
    pairs = list(zip(better, worse, strict=True))
    return all(b >= w for b, w in pairs) and any(b > w for b, w in pairs)


def improvements(oracle: RationalOracle, package: Package) -> list[int]:
    """Rows of the feasible packages that Pareto-dominate ``package`` for the voters."""
    voters = oracle.scenario.voter_ids
    base = oracle.vector(voters, oracle.packages.index(package))
    return [
        row
        for row in range(len(oracle.packages))
        if oracle.feasible[row] and dominates(oracle.vector(voters, row), base)
    ]


def pareto_optimal_rows(
    oracle: RationalOracle, rows: list[int], party_ids: Sequence[str]
) -> set[int]:
    """The rows among ``rows`` that no other row among them dominates."""
    vectors = {row: oracle.vector(party_ids, row) for row in rows}
    return {row for row in rows if not any(dominates(vectors[o], vectors[row]) for o in rows)}


def most_for_second_by_vertices(
    first: Sequence[Fraction], second: Sequence[Fraction], first_at_least: Fraction
) -> Fraction | None:
    """The most the second party can hold while the first holds ``first_at_least``, over
    every vertex of the divisions polytope (all items whole but at most one)."""
    count = len(first)
    best: Fraction | None = None
    for split in range(-1, count):
        others = [i for i in range(count) if i != split]
        for assignment in itertools.product((0, 1), repeat=len(others)):
            to_first = [i for i, a in zip(others, assignment, strict=True) if a]
            held = sum((first[i] for i in to_first), Fraction(0))
            left = sum((second[i] for i in others if i not in to_first), Fraction(0))
            if split >= 0:
                needed = max(Fraction(0), first_at_least - held)
                if first[split] == 0:
                    if needed > 0:
                        continue
                    taken = Fraction(0)
                else:
                    taken = needed / first[split]
                if taken > 1:
                    continue
                held += taken * first[split]
                left += (1 - taken) * second[split]
            if held >= first_at_least and (best is None or left > best):
                best = left
    return best


def feasible_with(
    oracle: RationalOracle, voters: Sequence[str], required: Sequence[str], needed: int
) -> list[bool]:
    """Packages accepted by every required party and at least ``needed`` voters."""
    accepts = {pid: oracle.accepts(pid) for pid in oracle.party_ids}
    return [
        sum(accepts[pid][n] for pid in voters) >= needed
        and all(accepts[pid][n] for pid in required)
        for n in range(len(oracle.packages))
    ]


def best_nash_product(
    oracle: RationalOracle, voters: Sequence[str], rows: Iterable[int]
) -> Fraction:
    """The largest product of the voters' gains over ``rows`` where every voter gains."""
    best = Fraction(0)
    for row in rows:
        gains = [oracle.utilities[pid][row] - oracle.reservation(pid) for pid in voters]
        if gains and min(gains) > 0:
            product = Fraction(1)
            for gain in gains:
                product *= gain
            best = max(best, product)
    return best
