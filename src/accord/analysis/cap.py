"""A party's utility ceiling: a package is worth ``min(cap, sum)``, as GENIUS computes it.

GENIUS's ``AdditiveUtilitySpace.getUtility`` returns ``min(1, weighted sum)``, and its
non-linear profiles are capped at 1 as well; a scenario says so with ``preferences.cap``.
The ceiling joins no issues, so nothing here enumerates more than the uncapped analysis:

- :func:`capped` applies it to utilities (a sum within :data:`SNAP` below the ceiling, the
  rounding of a sum that is exactly the ceiling, counts as at the ceiling);
- in a program (:func:`bound_utility`) the utility column stays below the uncapped sum and
  below the ceiling, one bound per party: exact for every program that only ever wants
  utilities high (acceptance, solutions, the frontier sweep). :func:`add_exact_cap` is the
  exact ``min`` with one 0/1 column, for programs that minimise or pin a utility;
- the frontier (:func:`capped_frontier`) is built on the uncapped sums and capped at the
  end. The ceiling is monotone: a package that dominates another before capping is at least
  as good after, so every capped-Pareto point is the capped vector of an uncapped-Pareto
  package, and the capped frontier is the non-dominated part of the capped uncapped
  frontier. Its *size* needs more: a package dominated before capping (worth 1.2 where
  another is worth 1.1, the rest equal) can be equal after. A point with no voter at its
  ceiling is reached only by packages with that very uncapped vector, whose number the
  uncapped frontier counts; the packages of a point with voters at their ceilings are
  counted by :func:`_count_at_ceilings`, a dynamic programme over the frontier's factors.
  Ties there are decided within :data:`TIE` of the point.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from accord.analysis.space import BoolArray, FloatArray

if TYPE_CHECKING:
    from accord.analysis.compiled import CompiledScenario
    from accord.analysis.frontier import Frontier
    from accord.analysis.milp import Milp

SNAP = 1e-12  # a sum this close below the ceiling is at it (float rounding of an exact tie)
TIE = 1e-9  # utilities this close are equal when packages are counted at a capped point
ACCEPT_TOLERANCE = 1e-9  # as CompiledScenario.acceptance
MAX_COUNT_STATES = 200_000
_SURE = 1e100  # a voter's coordinate once the rest of the package keeps it at its ceiling


def capped(values: FloatArray, ceiling: FloatArray | float) -> FloatArray:
    """``min(ceiling, values)``, a value within :data:`SNAP` below the ceiling set to it."""
    result: FloatArray = np.where(values >= ceiling - SNAP, ceiling, values)
    return result


def ceilings(compiled: CompiledScenario) -> FloatArray:
    """Each party's ceiling (``inf`` for none)."""
    if compiled.cap is None:
        return np.full(compiled.party_count, math.inf)
    return compiled.cap


def has_cap(compiled: CompiledScenario) -> bool:
    return compiled.cap is not None and bool(np.isfinite(compiled.cap).any())


# -- programs ---------------------------------------------------------------------------------


def bound_utility(milp: Milp, column: int, row: int, ceiling: float) -> None:
    """Turn ``row`` (``column == the uncapped sum``) into ``column <= sum``, and bound the
    column by ``ceiling``: the column can be at most the capped utility and, pushed up, is
    it. Exact for programs that want utilities high, wrong for one that minimises them."""
    if math.isfinite(ceiling):
        milp.row_lower[row] = -math.inf
        milp.upper[column] = min(milp.upper[column], ceiling)


def add_exact_cap(milp: Milp, total: int, ceiling: float, low: float, high: float) -> int:
    """A column equal to ``min(ceiling, total)`` whatever the objective (``low <= total <=
    high``): one 0/1 column ``z`` says which of the two is smaller."""
    (value,) = milp.add_columns(1, -math.inf, ceiling, False)
    (above,) = milp.add_columns(1, 0.0, 1.0, True)
    milp.add_row([int(value), total], [1.0, -1.0], upper=0.0)  # value <= total
    # z = 0: value >= total; z = 1: value >= ceiling (so value is the smaller of the two).
    over = max(high - ceiling, 0.0) + 1.0
    under = max(ceiling - low, 0.0) + 1.0
    milp.add_row([int(value), total, int(above)], [1.0, -1.0, over], lower=0.0)
    milp.add_row([int(value), int(above)], [1.0, -under], lower=ceiling - under)
    return int(value)


# -- the frontier -----------------------------------------------------------------------------


def uncapped(compiled: CompiledScenario) -> CompiledScenario:
    """The same scenario without ceilings, accepting the same packages: a party whose
    ceiling is below its reservation value accepts nothing, so that value is moved above
    anything it can reach (capped >= r  <=>  sum >= r and ceiling >= r)."""
    ceiling = ceilings(compiled)
    reservation = compiled.reservation.copy()
    never = ceiling < reservation - ACCEPT_TOLERANCE
    free = replace(compiled, cap=None)
    if never.any() and not compiled.every_package_acceptable:
        from accord.analysis.program import utility_bounds

        _, high = utility_bounds(free)
        reservation[never] = np.maximum(high[never], reservation[never]) + 1.0
        free = replace(free, reservation=reservation)
    return free


def capped_frontier(
    compiled: CompiledScenario,
    max_points: int,
    build: Callable[[CompiledScenario, int], Frontier],
) -> Frontier:
    """The frontier of ``compiled`` (which has ceilings) from ``build``'s uncapped one."""
    free = uncapped(compiled)
    frontier = build(free, max_points)
    if len(frontier.packages) == 0:
        return frontier
    voters = compiled.voter_indices
    utilities = compiled.utilities(frontier.packages).T.reshape(-1, compiled.party_count)
    points = utilities[:, voters]
    from accord.analysis.pareto import nondominated_mask
    from accord.analysis.ties import tie_ranks

    # Ties as everywhere else (accord.analysis.ties): capping makes values equal that the
    # uncapped frontier told apart, and only then may two points merge or one dominate.
    ranks = tie_ranks(points)
    distinct_ranks, first, inverse = np.unique(
        ranks, axis=0, return_index=True, return_inverse=True
    )
    inverse = inverse.ravel()
    distinct = points[first]
    kept = np.flatnonzero(nondominated_mask(distinct_ranks))
    at_ceiling = distinct[kept] >= ceilings(compiled)[voters] - TIE
    merged = [0] * len(distinct)
    for count, source in zip(frontier.multiplicity, inverse.tolist(), strict=True):
        merged[source] += count
    multiplicity = [merged[j] for j in kept]
    size, reason = frontier.size, frontier.reason
    if size is not None and at_ceiling.any():
        counted, why = _count_at_ceilings(free, compiled, distinct[kept], at_ceiling)
        if counted is None:
            size, reason = None, why
        else:
            multiplicity = [
                c if row.any() else m
                for c, m, row in zip(counted, multiplicity, at_ceiling, strict=True)
            ]
            size = sum(multiplicity)
    else:
        size = None if size is None else sum(multiplicity)
    rows = first[kept]
    return replace(
        frontier,
        packages=frontier.packages[rows],
        utilities=utilities[rows],
        multiplicity=tuple(multiplicity),
        size=size,
        reason=reason,
    )


def _count_at_ceilings(
    free: CompiledScenario,
    compiled: CompiledScenario,
    points: FloatArray,
    at_ceiling: BoolArray,
) -> tuple[list[int] | None, str]:
    """For each point (voters' capped utilities), how many feasible packages reach exactly
    it; ``None`` and the reason when that cannot be counted within the state budget."""
    from accord.analysis.frontier import acceptance_sets

    sets = [()] if free.every_package_acceptable else acceptance_sets(free)
    if len(sets) != 1:
        return None, (
            "under a quorum, packages at a point where a voter's utility is capped may differ "
            "in the red lines they cross, so their number is not counted"
        )
    tables = _factor_tables(free, sets[0])
    counts = [0] * len(points)
    for pattern in {tuple(row) for row in at_ceiling if row.any()}:
        members = np.flatnonzero((at_ceiling == pattern).all(axis=1))
        found = _count_pattern(compiled, tables, points[members], np.array(pattern))
        if found is None:
            return None, (
                f"counting the packages at points where a voter's utility is capped needs "
                f"more than {MAX_COUNT_STATES:,} partial sums"
            )
        for member, count in zip(members, found, strict=True):
            counts[int(member)] = count
    return counts, ""


def _factor_tables(
    compiled: CompiledScenario, accepting: tuple[int, ...]
) -> list[tuple[FloatArray, list[int]]]:
    """Each factor's distinct voter vectors (uncapped, red lines of ``accepting`` respected)
    and how many of the factor's packages give each."""
    from accord.analysis.compiled import clauses_hold
    from accord.analysis.frontier import factor_packages, factors_of

    voters = compiled.voter_indices
    tables = []
    for factor in factors_of(compiled):
        local, vectors = factor_packages(compiled, factor)
        full = np.zeros((len(local), compiled.space.issue_count), dtype=np.int64)
        full[:, list(factor)] = local
        members = set(factor)
        allowed = np.ones(len(local), dtype=np.bool_)
        for red_line in compiled.red_lines:
            if red_line.party in accepting and set(red_line.issues) <= members:
                allowed &= ~clauses_hold(red_line.clauses, full)
        distinct, how_many = np.unique(vectors[allowed], axis=0, return_counts=True)
        tables.append((distinct.reshape(-1, len(voters)), [int(c) for c in how_many]))
    return tables


def _count_pattern(
    compiled: CompiledScenario,
    tables: list[tuple[FloatArray, list[int]]],
    targets: FloatArray,
    at_ceiling: BoolArray,
) -> list[int] | None:
    """Packages whose voters at ``at_ceiling`` reach their ceilings and whose other voters
    get exactly a target's utilities, per target: states are partial sums, merged when
    equal; a state that cannot reach any target is dropped; a voter's coordinate is settled
    once the rest cannot take it below its ceiling."""
    voters = compiled.voter_indices
    ceiling = ceilings(compiled)[voters] - SNAP
    free_dims = ~at_ceiling
    low = targets[:, free_dims].min(axis=0) - TIE
    high = targets[:, free_dims].max(axis=0) + TIE
    best = np.zeros((len(tables) + 1, len(voters)))
    worst = np.zeros((len(tables) + 1, len(voters)))
    for k in range(len(tables) - 1, -1, -1):
        vectors = tables[k][0]
        if len(vectors) == 0:
            return [0] * len(targets)
        best[k], worst[k] = best[k + 1] + vectors.max(axis=0), worst[k + 1] + vectors.min(axis=0)
    sums = compiled.constant[voters][None, :].copy()
    counts = np.array([1], dtype=object)
    for step, (vectors, how_many) in enumerate(tables, start=1):
        left = np.repeat(np.arange(len(sums)), len(vectors))
        right = np.tile(np.arange(len(vectors)), len(sums))
        sums = sums[left] + vectors[right]
        counts = counts[left] * np.array(how_many, dtype=object)[right]
        reach = (sums[:, at_ceiling] + best[step][at_ceiling] >= ceiling[at_ceiling]).all(axis=1)
        reach &= (sums[:, free_dims] + best[step][free_dims] >= low).all(axis=1)
        reach &= (sums[:, free_dims] + worst[step][free_dims] <= high).all(axis=1)
        sums, counts = sums[reach], counts[reach]
        settled = (sums + worst[step] >= ceiling) & at_ceiling
        sums = np.where(settled, _SURE, sums)
        distinct, inverse = np.unique(sums, axis=0, return_inverse=True)
        merged = np.zeros(len(distinct), dtype=object)
        np.add.at(merged, inverse.ravel(), counts)
        sums, counts = distinct.reshape(-1, len(voters)), merged
        if len(sums) > MAX_COUNT_STATES:
            return None
    reached = (sums[:, at_ceiling] >= ceiling[at_ceiling]).all(axis=1)
    sums, counts = sums[reached][:, free_dims], counts[reached]
    if not free_dims.any():
        return [int(counts.sum())] * len(targets)
    # Each target's states lie in a window of the first free voter's utility: sort by it.
    order = np.argsort(sums[:, 0], kind="stable")
    sums, counts = sums[order], counts[order]
    first = sums[:, 0]
    found = []
    for target in targets[:, free_dims]:
        start = int(np.searchsorted(first, target[0] - TIE, "left"))
        stop = int(np.searchsorted(first, target[0] + TIE, "right"))
        window = slice(start, stop)
        match = (np.abs(sums[window] - target) <= TIE).all(axis=1)
        found.append(int(counts[window][match].sum()))
    return found
