"""The Pareto frontier of the feasible packages, built from the issues' own frontiers.

Issues are grouped into *factors*: issues joined by an interaction term or a red line on a
combination fall in one factor, so utilities and red lines are sums and conjunctions over
factors. A package's utility vector is the sum of its factors' vectors, and a Pareto-optimal
package is made of Pareto-optimal factor choices, so the frontier is built by adding one
factor at a time (a Minkowski sum) and pruning dominated points after each step; no package
outside the running frontier is ever formed.

Feasibility is monotone in utility: a package that dominates a feasible one is feasible too
when both respect the same red lines. So for one set ``S`` of accepting voters the feasible
frontier is the frontier of the packages respecting ``S``'s red lines, cut at ``S``'s
reservation values; under a quorum it is the frontier of the union over the smallest
admissible sets ``S``.

Identical vectors are merged and counted, so the size is the exact number of Pareto-optimal
packages while one representative package is kept per point. "Identical" and "at least as
good" are decided on the sums, under :data:`accord.analysis.ties.TIE_TOLERANCE`, through
tie ranks (never by rounding the terms before adding them). When the running frontier
outgrows ``max_points`` it is thinned on a grid (:mod:`accord.analysis.thinning`): an
epsilon-Pareto set whose epsilon is certified and stated in the result, which then says
it is approximate.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from accord.analysis.compiled import Clauses, CompiledScenario, clauses_hold
from accord.analysis.frontier_sweep import sweep_two_party_frontier
from accord.analysis.pareto import nondominated_distinct_ranks, nondominated_mask
from accord.analysis.space import FloatArray, IntArray, JoinedIssues
from accord.analysis.thinning import thin
from accord.analysis.ties import TIE_TOLERANCE, distinct_rows, tie_ranks

RESOLUTION = 12  # decimals shown by :mod:`accord.analysis.anl_metrics`; ties use TIE_TOLERANCE
MAX_FACTOR_PACKAGES = 250_000
MAX_CANDIDATES = 4_000_000  # rows of one Minkowski step held at once (about 130 MB at 4 voters)
# Between steps the running frontier may hold WORKING_LIMIT times ``max_points``; past that
# it is thinned (see _thinning_target) to no fewer than 1/HEADROOM of the working limit.
# Only the last step thins to ``max_points`` itself.
WORKING_LIMIT = 2
HEADROOM = 8


@dataclass(frozen=True, eq=False)
class Frontier:
    """Pareto-optimal feasible packages over the voters' utilities.

    ``packages`` holds one representative package per point and ``utilities`` every party's
    utility of it (``(K, P)``); ``multiplicity`` counts the packages sharing that point.
    ``size`` is the number of Pareto-optimal packages; ``None`` when it is not known exactly
    (the frontier was thinned, or could not be built). ``tie_tolerance`` is the tolerance
    under which utilities counted as equal (:mod:`accord.analysis.ties`).
    """

    packages: IntArray
    utilities: FloatArray
    multiplicity: tuple[int, ...]
    exact: bool
    epsilon: float
    size: int | None
    reason: str = ""
    tie_tolerance: float = TIE_TOLERANCE

    @property
    def point_count(self) -> int:
        return len(self.packages)


@dataclass
class _Partial:
    """A running frontier: vectors, factor-local choices, multiplicities."""

    vectors: FloatArray  # (N, V)
    choices: IntArray  # (N, factors so far): index into each factor's local packages
    multiplicity: np.ndarray  # (N,) int64, or Python ints when counts could overflow it


def factors_of(compiled: CompiledScenario) -> list[tuple[int, ...]]:
    """Groups of issues that utilities and red lines never join across."""
    joined = JoinedIssues(compiled.space.issue_count)
    voters = compiled.voter_indices
    for index, term in enumerate(compiled.terms):
        if np.any(compiled.term_values[voters, index] != 0):
            joined.join([issue for issue, _ in term])
    if not compiled.every_package_acceptable:
        for red_line in compiled.red_lines:
            if compiled.voters[red_line.party]:
                joined.join(red_line.issues)
    return joined.groups()


def acceptance_sets(compiled: CompiledScenario) -> list[tuple[int, ...]]:
    """The smallest sets of voters whose acceptance satisfies the rule."""
    voters = [int(p) for p in compiled.voter_indices]
    required = [p for p in voters if compiled.required[p]]
    optional = [p for p in voters if not compiled.required[p]]
    missing = max(compiled.min_accept - len(required), 0)
    return [
        tuple(sorted((*required, *extra))) for extra in itertools.combinations(optional, missing)
    ]


def pareto_frontier(compiled: CompiledScenario, max_points: int = 100_000) -> Frontier:
    """The frontier of the feasible packages over the voters' utilities."""
    if compiled.cap is not None:  # built on the uncapped sums, capped at the end
        from accord.analysis.cap import capped_frontier

        return capped_frontier(compiled, max_points, pareto_frontier)
    factors = factors_of(compiled)
    largest = max(math.prod(len(compiled.space.option_ids[i]) for i in f) for f in factors)
    voters = compiled.voter_indices
    if largest > MAX_FACTOR_PACKAGES and len(voters) == 2:
        (packages, utilities), finished = sweep_two_party_frontier(compiled)
        return Frontier(
            packages,
            utilities,
            (1,) * len(packages),
            exact=finished,
            epsilon=0.0 if finished else math.inf,
            size=None,
            reason="swept point by point with exact programs (issues joined into a group of "
            f"{largest:,} packages); each point stands for at least one package"
            + ("" if finished else f"; stopped after {len(packages):,} points"),
        )
    if largest > MAX_FACTOR_PACKAGES:
        return Frontier(
            np.zeros((0, compiled.space.issue_count), dtype=np.int64),
            np.zeros((0, compiled.party_count)),
            (),
            exact=False,
            epsilon=math.inf,
            size=None,
            reason=f"interactions and red lines join issues into a group of {largest:,} "
            f"packages (more than {MAX_FACTOR_PACKAGES:,})",
        )
    sets: list[tuple[int, ...]] = (
        [()] if compiled.every_package_acceptable else acceptance_sets(compiled)
    )
    epsilon_total = 0.0
    collected: list[tuple[IntArray, FloatArray, list[int]]] = []
    # Multiplicities multiply up to the number of packages: int64 unless that could overflow.
    count_type = object if compiled.space.outcome_count >= 2**62 else np.int64
    floors_apply = False
    for accepting in sets:
        locals_ = [_factor_points(compiled, factor, accepting, count_type) for factor in factors]
        found = frontier_of_factors(compiled, factors, locals_, accepting, max_points)
        epsilon_total = max(epsilon_total, found.epsilon)
        floors_apply = floors_apply or found.floors_apply
        collected.append((found.packages, found.utilities, found.multiplicity))
    packages = np.concatenate([c[0] for c in collected])
    utilities = np.concatenate([c[1] for c in collected]).reshape(-1, compiled.party_count)
    multiplicity = [m for c in collected for m in c[2]]
    size_known = epsilon_total == 0.0
    if len(sets) > 1 and len(packages):
        packages, utilities, multiplicity = _union(packages, utilities, multiplicity, voters)
        # Under a quorum, packages sharing a point may differ in which red lines they
        # cross, so a merged count is exact only when no point stands for several packages.
        size_known = size_known and all(m == 1 for m in multiplicity)
    exact = epsilon_total == 0.0
    reason = "" if exact else _thinned_reason(max_points, epsilon_total, floors_apply)
    if exact and not size_known:
        reason = (
            "under a quorum, packages sharing a point may differ in the red lines they "
            "cross, so their number is not counted"
        )
    return Frontier(
        packages,
        utilities,
        tuple(multiplicity),
        exact=exact,
        epsilon=epsilon_total,
        size=sum(multiplicity) if size_known else None,
        reason=reason,
    )


@dataclass(frozen=True, eq=False)
class FactorsFrontier:
    """The frontier one set of accepting voters leaves, from its factors' local frontiers."""

    packages: IntArray
    utilities: FloatArray
    multiplicity: list[int]
    epsilon: float  # certified epsilon of the thinnings (0: exact)
    floors_apply: bool  # whether a reservation value could cut below the least sum


def frontier_of_factors(
    compiled: CompiledScenario,
    factors: list[tuple[int, ...]],
    locals_: list[tuple[IntArray, _Partial]],
    accepting: tuple[int, ...],
    max_points: int,
) -> FactorsFrontier:
    """Minkowski-sum the factors' local frontiers (:func:`local_frontier`) for the voters
    in ``accepting``, cut at their reservation values.

    Shared by :func:`pareto_frontier` and by ``accord robustness``, which computes the
    factors' packages once per scenario and only their utilities per drawn profile.
    """
    voters = compiled.voter_indices
    order = merge_order(locals_)
    ordered = [factors[k] for k in order]
    locals_ = [locals_[k] for k in order]
    floor = np.full(len(voters), -np.inf)
    for party in accepting:
        position = int(np.flatnonzero(voters == party)[0])
        floor[position] = compiled.reservation[party] - compiled.constant[party]
    floors_apply = _floor_can_cut(locals_, floor)
    partial, epsilon = _combine(locals_, max_points, floor)
    packages = _assemble(compiled, ordered, locals_, partial.choices)
    utilities = compiled.utilities(packages).T.reshape(-1, compiled.party_count)
    keep = np.ones(len(packages), dtype=np.bool_)
    for party in accepting:
        keep &= utilities[:, party] >= compiled.reservation[party] - TIE_TOLERANCE
    return FactorsFrontier(
        packages[keep],
        utilities[keep],
        [int(m) for m in partial.multiplicity[keep]],
        epsilon,
        floors_apply,
    )


def merge_order(locals_: list[tuple[IntArray, _Partial]]) -> list[int]:
    """The order in which to add the factors: fewest local frontier points first.

    The frontier is the same in any order, but a step costs about the running frontier's
    size times the factor's point count, and a factor multiplies the running frontier by
    up to its point count: factors of one or two points (no trade-off, or a two-way one)
    added first keep the running frontier small for longest. Measured on the generated
    shapes of ``benchmarks/bench_scaling.py`` (4 x 15 x 5, 4 x 27 x 4), this order is
    faster than the issues' own and than the reverse.
    """
    return sorted(range(len(locals_)), key=lambda k: len(locals_[k][1].vectors))


def _floor_can_cut(locals_: list[tuple[IntArray, _Partial]], floor: FloatArray) -> bool:
    """Whether some reservation value lies above the least sum the factors can make."""
    if any(len(factor.vectors) == 0 for _, factor in locals_):
        return False
    lowest = np.sum([factor.vectors.min(axis=0) for _, factor in locals_], axis=0)
    return bool(np.any(floor > lowest + TIE_TOLERANCE))


def _thinned_reason(max_points: int, epsilon: float, floors_apply: bool) -> str:
    """What a thinned frontier guarantees (:func:`accord.analysis.thinning.thin` proves it)."""
    reason = (
        f"thinned to at most {max_points:,} points on a grid: every Pareto-optimal package "
        f"is within {epsilon:.3g} per party of a listed point (certified)"
    )
    if floors_apply:
        reason += (
            ", except possibly packages within that distance of a reservation value, whose "
            "close neighbours may fall below it"
        )
    return reason


def factor_packages(
    compiled: CompiledScenario, factor: tuple[int, ...]
) -> tuple[IntArray, FloatArray]:
    """A factor's own packages and the voters' utility from each.

    The packages are rows of option indices of the factor's issues, in its order (every
    combination); the utilities (``(packages, voters)``) add the issues' values and the
    interaction terms among the factor's issues. Shared by the frontier, the counts and
    the cap's counts, so that all three see the same sums.
    """
    space = compiled.space
    grids = np.meshgrid(*[np.arange(len(space.option_ids[i])) for i in factor], indexing="ij")
    local = np.stack([g.ravel() for g in grids], axis=1).astype(np.int64)
    voters = compiled.voter_indices
    vectors = compiled.linear[voters][:, local + space.offsets[list(factor)]].sum(axis=2).T
    members = set(factor)
    for index, term in enumerate(compiled.terms):
        if {issue for issue, _ in term} <= members and np.any(compiled.term_values[voters, index]):
            holds = clauses_hold(_local(term, factor), local)
            vectors = vectors + np.outer(holds, compiled.term_values[voters, index])
    return local, vectors


def _factor_points(
    compiled: CompiledScenario,
    factor: tuple[int, ...],
    accepting: tuple[int, ...],
    count_type: type = np.int64,
) -> tuple[IntArray, _Partial]:
    """A factor's own packages (rows of option indices) and their merged local frontier."""
    local, vectors = factor_packages(compiled, factor)
    members = set(factor)
    allowed = np.ones(len(local), dtype=np.bool_)
    for red_line in compiled.red_lines:
        if red_line.party in accepting and set(red_line.issues) <= members:
            allowed &= ~clauses_hold(_local(red_line.clauses, factor), local)
    return local, local_frontier(vectors, np.flatnonzero(allowed), count_type)


def local_frontier(vectors: FloatArray, rows: IntArray, count_type: type = np.int64) -> _Partial:
    """The merged frontier of a factor's allowed ``rows`` (of its packages' ``vectors``):
    one representative per point (its first package), with the count of packages there."""
    ranks = tie_ranks(vectors[rows])
    # distinct_rows orders the distinct rows as np.unique(axis=0) does, much faster.
    first_row, inverse = distinct_rows(ranks)
    counts = np.bincount(inverse, minlength=len(first_row))
    keep = nondominated_distinct_ranks(ranks[first_row])
    representatives = rows[first_row[keep]]
    return _Partial(
        vectors[representatives], representatives.reshape(-1, 1), counts[keep].astype(count_type)
    )


def _local(clauses: Clauses, factor: tuple[int, ...]) -> Clauses:
    """Clauses with issues numbered by their position in ``factor``."""
    return tuple((factor.index(issue), options) for issue, options in clauses)


def _combine(
    locals_: list[tuple[IntArray, _Partial]], max_points: int, floor: FloatArray
) -> tuple[_Partial, float]:
    """Minkowski-sum the factors' frontiers, pruning after each step.

    ``floor`` is the least each voter must end with (its reservation value, or -inf): a
    running point that cannot reach it even with the best of every factor still to come
    is dropped, which is exact and keeps the running frontier small. The second value is
    the certified epsilon of :func:`accord.analysis.thinning.thin` summed over the steps
    that thinned (0 if none).
    """
    epsilon = 0.0
    best = [
        factor.vectors.max(axis=0) if len(factor.vectors) else np.full(len(floor), -np.inf)
        for _, factor in locals_
    ]
    still_to_come = np.cumsum([np.zeros(len(floor)), *best[:0:-1]], axis=0)[::-1]
    running = locals_[0][1]
    reachable = np.all(running.vectors + still_to_come[0] >= floor - TIE_TOLERANCE, axis=1)
    running = _Partial(
        running.vectors[reachable], running.choices[reachable], running.multiplicity[reachable]
    )
    for step_index, (_, factor) in enumerate(locals_[1:], start=1):
        if len(running.vectors) == 0 or len(factor.vectors) == 0:
            width = len(locals_)
            empty = np.zeros(0, dtype=running.multiplicity.dtype)
            return _Partial(np.zeros((0, len(floor))), np.zeros((0, width), np.int64), empty), (
                epsilon
            )
        left, right, vectors, counts = _step(running, factor, still_to_come[step_index], floor)
        remaining = len(locals_) - 1 - step_index
        limit = max_points if remaining == 0 else int(WORKING_LIMIT * max_points)
        if len(vectors) > limit:
            growth = len(vectors) / max(len(running.vectors), 1)
            chosen, step = thin(vectors, _thinning_target(max_points, growth, remaining))
            epsilon += step
            left, right, vectors, counts = (
                left[chosen],
                right[chosen],
                vectors[chosen],
                counts[chosen],
            )
        running = _Partial(
            vectors,
            np.concatenate((running.choices[left], factor.choices[right]), axis=1),
            counts,
        )
    return running, epsilon


def _thinning_target(max_points: int, growth: float, remaining: int) -> int:
    """How many points to thin the running frontier to, with ``remaining`` steps to come.

    Every thinning adds its cube side to the certified epsilon, and a cube side grows as
    the target shrinks (a surface of dimension m thinned to n points needs cubes of side
    about n**(-1/m)). So the running frontier is thinned to what, growing as it did in the
    last step, reaches about ``max_points`` by the end: one thinning where several at the
    limit would each add as much; never below 1/HEADROOM of the working limit, so that a
    long way to go does not make one thinning very coarse.
    """
    if remaining == 0:
        return max_points
    projected = max_points / max(growth, 1.0) ** remaining
    floor = max(int(WORKING_LIMIT * max_points) // HEADROOM, 1)
    return int(min(max(projected, floor), max_points))


def _step(
    running: _Partial, factor: _Partial, still_to_come: FloatArray, floor: FloatArray
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """The frontier of ``running + factor``: left and right rows, vectors, multiplicities.

    Candidates are formed a chunk of ``factor`` rows at a time, so that memory stays bounded
    by :data:`MAX_CANDIDATES` rows; each chunk's own frontier is kept, and the frontier of
    their union is the frontier of all the candidates.
    """
    per_chunk = max(1, MAX_CANDIDATES // len(running.vectors))
    parts: list[tuple[IntArray, IntArray, FloatArray]] = []
    for start in range(0, len(factor.vectors), per_chunk):
        rights = np.arange(start, min(start + per_chunk, len(factor.vectors)))
        left = np.repeat(np.arange(len(running.vectors)), len(rights))
        right = np.tile(rights, len(running.vectors))
        vectors = running.vectors[left] + factor.vectors[right]
        reachable = np.all(vectors + still_to_come >= floor - TIE_TOLERANCE, axis=1)
        left, right, vectors = left[reachable], right[reachable], vectors[reachable]
        if len(rights) < len(factor.vectors):  # prune the chunk; ties are merged below
            keep = nondominated_mask(tie_ranks(vectors))
            left, right, vectors = left[keep], right[keep], vectors[keep]
        parts.append((left, right, vectors))
    left = np.concatenate([p[0] for p in parts])
    right = np.concatenate([p[1] for p in parts])
    vectors = np.concatenate([p[2] for p in parts])
    # Two combinations can reach the same point (equal up to the tie tolerance): keep one
    # representative and add up the packages behind it.
    ranks = tie_ranks(vectors)
    first, inverse = distinct_rows(ranks)
    counts = np.zeros(len(first), dtype=running.multiplicity.dtype)
    np.add.at(counts, inverse, running.multiplicity[left] * factor.multiplicity[right])
    keep = nondominated_distinct_ranks(ranks[first])
    chosen = first[keep]
    return left[chosen], right[chosen], vectors[chosen], counts[keep]


def _assemble(
    compiled: CompiledScenario,
    factors: list[tuple[int, ...]],
    locals_: list[tuple[IntArray, _Partial]],
    choices: IntArray,
) -> IntArray:
    packages = np.zeros((len(choices), compiled.space.issue_count), dtype=np.int64)
    for column, (factor, (local, _)) in enumerate(zip(factors, locals_, strict=True)):
        packages[:, list(factor)] = local[choices[:, column]]
    return packages


def _union(
    packages: IntArray, utilities: FloatArray, multiplicity: list[int], voters: IntArray
) -> tuple[IntArray, FloatArray, list[int]]:
    """Frontier of the union of several frontiers; the same package may appear in several."""
    _, unique_rows = np.unique(packages, axis=0, return_index=True)
    packages, utilities = packages[unique_rows], utilities[unique_rows]
    multiplicity = [multiplicity[i] for i in unique_rows]
    keep = nondominated_mask(tie_ranks(utilities[:, voters]))
    return (
        packages[keep],
        utilities[keep],
        [m for m, k in zip(multiplicity, keep, strict=True) if k],
    )
