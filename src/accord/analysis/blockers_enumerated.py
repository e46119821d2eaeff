"""The blockers of a game whose issues fall in small groups, decided without programs.

:func:`accord.analysis.blockers.blocking_sets` asks, again and again, whether some package
meets a set of *kept* conditions (red lines uncrossed, reservation values reached). Under
unanimity, when every group of issues that the voters' terms and red lines join is small,
the question is answered here by enumeration: a kept red line removes packages of its own
group, and the kept reservation values are reached exactly when the sum over groups of
each group's best points reaches them, which a Minkowski sum of the groups' non-dominated
points (projected on the kept voters, pruned at their floors) decides.

The answers must be the programs' own, so a question whose answer lies within
:data:`MARGIN` of a reservation value (where the solver's tolerance or the order in which
a sum is added could decide it) is not answered: :func:`enumerated_blocking_sets` then
returns ``None`` and the caller solves the programs. The deletion filter, run on these
answers, keeps the same conflict. The minimum relaxations are found by trying every set of
one, then two conditions. Relaxations of one condition are listed in the conflict's order,
as :func:`~accord.analysis.blockers.blocking_sets` lists them; larger ones in the solver's
order (it lists them as it finds them), so it is asked for all but the last one, with the
very program :func:`~accord.analysis.blockers.blocking_sets` solves. A solver answer that
is not among the relaxations found here, more than
:data:`~accord.analysis.blockers.MAX_ALTERNATIVES` of them, or none of size one or two,
also returns ``None``.
"""

from __future__ import annotations

import math

import numpy as np

from accord.analysis.blockers import MAX_ALTERNATIVES, BlockingSets, Condition
from accord.analysis.compiled import Clauses, CompiledScenario, clauses_hold
from accord.analysis.frontier import factors_of
from accord.analysis.pareto import nondominated_mask
from accord.analysis.program import package_program
from accord.analysis.space import BoolArray, FloatArray, IntArray

MARGIN = 1e-6
"""Reservation values within this of the best reachable sum are left to the programs."""

MAX_GROUP_PACKAGES = 4096
"""Packages of one group of joined issues enumerated here; larger groups go to programs."""


class Undecided(Exception):
    """A question this module leaves to the programs."""


def conditions_in_order(compiled: CompiledScenario) -> list[Condition]:
    """The relaxable conditions, as :func:`accord.analysis.blockers.conditions_of` lists
    them for the relaxable program: every voter's reservation value, then its red lines."""
    found = [
        Condition("reservation", int(p), -1, f"reservation value {compiled.reservation[p]:g}")
        for p in compiled.voter_indices
    ]
    found += [
        Condition("red_line", red_line.party, index, red_line.label)
        for index, red_line in enumerate(compiled.red_lines)
        if compiled.voters[red_line.party]
    ]
    return found


class ConditionGroups:
    """The structure the questions share across games of one scenario: the groups of
    issues (the frontier's factors), each group's packages, and the packages each voter's
    red line crosses in its group."""

    def __init__(self, compiled: CompiledScenario) -> None:
        if not compiled.is_unanimity or compiled.every_package_acceptable:
            raise Undecided("only unanimity is decided by enumeration")
        if compiled.cap is not None:
            raise Undecided("capped utilities are left to the programs")
        space = compiled.space
        self.factors = factors_of(compiled)
        self.locals: list[IntArray] = []
        self.crossed: dict[int, tuple[int, BoolArray]] = {}  # red line -> (group, mask)
        group_of = {issue: g for g, factor in enumerate(self.factors) for issue in factor}
        for group, factor in enumerate(self.factors):
            sizes = [len(space.option_ids[i]) for i in factor]
            if math.prod(sizes) > MAX_GROUP_PACKAGES:
                raise Undecided("a group of joined issues is too large to enumerate")
            grids = np.meshgrid(*[np.arange(size) for size in sizes], indexing="ij")
            local = np.stack([grid.ravel() for grid in grids], axis=1).astype(np.int64)
            self.locals.append(local)
            for index, red_line in enumerate(compiled.red_lines):
                if compiled.voters[red_line.party] and group_of[red_line.issues[0]] == group:
                    self.crossed[index] = (
                        group,
                        clauses_hold(_local(red_line.clauses, factor), local),
                    )

        # Every group's packages side by side, padded to the largest group: a question is
        # then a few operations on (groups, packages) arrays, whatever the group count.
        self.width = max(len(local) for local in self.locals)
        self.valid = np.zeros((len(self.locals), self.width), dtype=np.bool_)
        for group, local in enumerate(self.locals):
            self.valid[group, : len(local)] = True
        self.crossed_padded: dict[int, BoolArray] = {}
        for index, (group, mask) in self.crossed.items():
            padded = np.zeros_like(self.valid)
            padded[group, : len(mask)] = mask
            self.crossed_padded[index] = padded

    def vectors(self, compiled: CompiledScenario) -> list[FloatArray]:
        """Each group's packages' utilities for the voters of ``compiled`` (a game of this
        structure), as the frontier's factors compute them."""
        space = compiled.space
        voters = compiled.voter_indices
        found = []
        for factor, local in zip(self.factors, self.locals, strict=True):
            vectors = compiled.linear[voters][:, local + space.offsets[list(factor)]].sum(axis=2).T
            members = set(factor)
            for index, term in enumerate(compiled.terms):
                if {issue for issue, _ in term} <= members:
                    holds = clauses_hold(_local(term, factor), local)
                    vectors = vectors + np.outer(holds, compiled.term_values[voters, index])
            found.append(vectors)
        return found


def _local(clauses: Clauses, factor: tuple[int, ...]) -> Clauses:
    """Clauses with issues numbered by their position in ``factor``."""
    return tuple((factor.index(issue), options) for issue, options in clauses)


class KeptConditions:
    """Whether some package meets a set of kept conditions, by enumeration over groups.

    ``vectors`` are :meth:`ConditionGroups.vectors` of ``compiled`` (given when the caller
    has them already).
    """

    def __init__(
        self,
        compiled: CompiledScenario,
        groups: ConditionGroups | None = None,
        vectors: list[FloatArray] | None = None,
    ) -> None:
        self.compiled = compiled
        groups = ConditionGroups(compiled) if groups is None else groups
        self.groups = groups
        self.voters = compiled.voter_indices
        listed = groups.vectors(compiled) if vectors is None else vectors
        self.values = np.zeros((len(listed), groups.width, len(self.voters)))
        for group, group_vectors in enumerate(listed):
            self.values[group, : len(group_vectors)] = group_vectors
        self.answers: dict[frozenset[Condition], bool] = {}

    def __call__(self, kept: frozenset[Condition]) -> bool:
        known = self.answers.get(kept)
        if known is None:
            known = self._decide(kept)
            self.answers[kept] = known
        return known

    def _decide(self, kept: frozenset[Condition]) -> bool:
        allowed = self.groups.valid.copy()
        for condition in kept:
            if condition.kind == "red_line":
                allowed &= ~self.groups.crossed_padded[condition.red_line]
        if not allowed.any(axis=1).all():
            return False  # red lines alone exclude every package: no number decides it
        parties = sorted(c.party for c in kept if c.kind == "reservation")
        if not parties:
            return True
        columns = [int(np.flatnonzero(self.voters == party)[0]) for party in parties]
        compiled = self.compiled
        floor = compiled.reservation[parties] - compiled.constant[parties]
        return _reaches(self.values[:, :, columns], allowed, floor)


def _non_dominated(points: FloatArray) -> BoolArray:
    """A mask keeping, of every set of equal points, one, and dropping dominated points."""
    if points.shape[1] == 1:
        mask = np.zeros(len(points), dtype=np.bool_)
        if len(points):
            mask[int(np.argmax(points[:, 0]))] = True
        return mask
    if points.shape[1] == 2:
        order = np.lexsort((-points[:, 1], -points[:, 0]))
        second = points[order, 1]
        before = np.concatenate(([-np.inf], np.maximum.accumulate(second)[:-1]))
        mask = np.zeros(len(points), dtype=np.bool_)
        mask[order[second > before]] = True
        return mask
    return nondominated_mask(points)


def _directions(dimensions: int) -> FloatArray:
    """Weights for the quick bounds of :func:`_reaches`, one row each: every voter alone,
    the plain sum, and for two voters a fan of slopes between them."""
    rows = [np.eye(dimensions)[k] for k in range(dimensions)] + [np.ones(dimensions)]
    if dimensions == 2:
        rows += [np.array([1.0, slope]) for slope in (0.25, 0.5, 2.0, 4.0)]
    else:
        for k in range(dimensions):
            weights = np.ones(dimensions)
            weights[k] = 2.0
            rows.append(weights)
    return np.array(rows)


def _reaches(points: FloatArray, allowed: BoolArray, floor: FloatArray) -> bool:
    """Whether a sum of one allowed point per group reaches ``floor`` (raises
    :class:`Undecided` when that depends on less than :data:`MARGIN`).

    ``points`` is ``(groups, packages, voters)``, ``allowed`` ``(groups, packages)``.
    """
    low = floor - MARGIN
    high = floor + MARGIN
    weights = _directions(len(floor))
    # Weighted sums decide most questions at once: no sum of points reaches the floor when
    # some weighted sum of the groups' best falls short of the floor's, and the best
    # weighted choice in every group is a sum that may clear it. With one voter the first
    # is exact.
    weighted = np.where(allowed[:, :, None], points @ weights.T, -np.inf)  # (G, K, D)
    chosen = np.argmax(weighted, axis=1)  # (G, D)
    groups = np.arange(len(points))[:, None]
    bound = np.take_along_axis(weighted, chosen[:, None, :], axis=1)[:, 0, :].sum(axis=0)
    if np.any(bound < weights @ low):
        return False
    witnesses = points[groups, chosen].sum(axis=0)  # (D, voters)
    if np.any(np.all(witnesses >= high, axis=1)):
        return True
    if len(floor) == 1:
        raise Undecided("a reservation value within the margin of the best sum")
    offset = np.zeros(len(floor))
    several: list[FloatArray] = []
    for group_points, group_allowed in zip(points, allowed, strict=True):
        local = group_points[group_allowed]
        local = local[_non_dominated(local)]
        if len(local) == 1:  # a group with one point adds the same to every sum
            offset = offset + local[0]
        else:
            several.append(local)
    if not several:
        raise Undecided("a reservation value within the margin of the best sum")
    best = [group.max(axis=0) for group in several]
    order = sorted(range(len(several)), key=lambda g: len(several[g]))
    to_come = [np.zeros(len(floor))]
    for g in order[:0:-1]:
        to_come.append(to_come[-1] + best[g])
    to_come.reverse()
    running = several[order[0]] + offset
    running = running[np.all(running + to_come[0] >= low, axis=1)]
    for step, g in enumerate(order[1:], start=1):
        if not len(running):
            return False
        candidates = (running[:, None, :] + several[g][None, :, :]).reshape(-1, len(floor))
        candidates = candidates[np.all(candidates + to_come[step] >= low, axis=1)]
        running = candidates[_non_dominated(candidates)]
    if not len(running):
        return False
    if np.any(np.all(running >= high, axis=1)):
        return True
    raise Undecided("a reservation value within the margin of the best sums")


def enumerated_blocking_sets(
    compiled: CompiledScenario, feasible: KeptConditions | None = None
) -> BlockingSets | None:
    """:func:`accord.analysis.blockers.blocking_sets` of a game that has no feasible
    package, the same conflict and relaxations in the same order; ``None`` when this
    module leaves it to the programs (see the module's docstring), or when some package
    is feasible after all.

    ``feasible`` is the game's :class:`KeptConditions` when the caller has it already.
    """
    try:
        feasible = KeptConditions(compiled) if feasible is None else feasible
        conditions = conditions_in_order(compiled)
        if feasible(frozenset(conditions)):
            return None
        conflict = list(conditions)
        for condition in conditions:
            trial = [c for c in conflict if c != condition]
            if not feasible(frozenset(trial)):
                conflict = trial
        relaxations = _minimum_relaxations(conditions, conflict, feasible)
    except Undecided:
        return None
    ordered = _solver_order(compiled, conditions, relaxations)
    if ordered is None:
        return None
    return BlockingSets(tuple(conflict), tuple(ordered), True)


def _minimum_relaxations(
    conditions: list[Condition], conflict: list[Condition], feasible: KeptConditions
) -> list[tuple[Condition, ...]]:
    """Every smallest set of conditions (one or two) whose relaxation opens a deal, each in
    the conditions' order. Every such set meets the conflict, which cannot hold alone."""
    everything = frozenset(conditions)
    single: list[tuple[Condition, ...]] = [(c,) for c in conflict if feasible(everything - {c})]
    if single:
        return single
    position = {c: k for k, c in enumerate(conditions)}
    pairs: set[tuple[Condition, ...]] = set()
    for first in conflict:
        for second in conditions:
            if second != first:
                pair = tuple(sorted((first, second), key=position.__getitem__))
                if pair not in pairs and feasible(everything - set(pair)):
                    pairs.add(pair)
    if not pairs:
        raise Undecided("no relaxation of one or two conditions")
    return sorted(pairs, key=lambda pair: [position[c] for c in pair])


def _solver_order(
    compiled: CompiledScenario,
    conditions: list[Condition],
    relaxations: list[tuple[Condition, ...]],
) -> list[tuple[Condition, ...]] | None:
    """The relaxations in the order the minimum-relaxation program finds them.

    The program of :func:`accord.analysis.blockers._minimum_relaxations` is solved, with
    the same cuts, for all but the last (which is then the only one left); ``None`` when
    the solver finds one not in ``relaxations`` or there are too many to list.
    """
    if len(relaxations) > MAX_ALTERNATIVES:
        return None
    if len(relaxations) == 1 or all(len(r) == 1 for r in relaxations):
        return relaxations  # one condition each: in the conflict's order, no solver asked
    program = package_program(compiled, relaxable=True)
    columns = {
        c: int(program.relax_reservation[c.party])
        if c.kind == "reservation"
        else int(program.relax_red_line[c.red_line])
        for c in conditions
    }
    cost = {column: 1.0 for column in columns.values()}
    remaining = list(relaxations)
    ordered: list[tuple[Condition, ...]] = []
    search = program.milp.copy()
    while len(remaining) > 1:
        result = search.solve(cost, maximize=False)
        if not result.feasible or result.values is None:
            return None
        values = result.values
        chosen = tuple(c for c in conditions if values[columns[c]] > 0.5)
        if chosen not in remaining:
            return None
        ordered.append(chosen)
        remaining.remove(chosen)
        chosen_columns = [columns[c] for c in chosen]
        search.add_row(chosen_columns, [1.0] * len(chosen_columns), upper=len(chosen) - 1)
    return [*ordered, *remaining]
