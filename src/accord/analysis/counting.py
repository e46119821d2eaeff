"""How many packages are feasible, and how many every voter accepts, without listing them.

Dynamic programming over the factors of :func:`accord.analysis.frontier.factors_of` (here
every voter's red lines and interaction terms join issues): a *state* is what the issues
seen so far have decided, namely each voter's utility so far and whether it has crossed a
red line, with the number of partial packages that lead to it. Adding a factor combines
every state with every package of the factor; equal states are merged and their counts
added. A voter's utility stops mattering once the rest of the package cannot change
whether it reaches its reservation value (even the worst remaining choices keep it there,
or even the best cannot bring it there); its coordinate is then replaced by a sentinel, so
that states which differ only in decided utilities merge. At the end each state's
acceptance is read off and the counts are summed.

States are merged when every voter's utility ties under
:data:`accord.analysis.ties.TIE_TOLERANCE`, the rule the frontier and the solutions use.
The number of states can still grow with the number of distinct utility sums; past
``max_states`` the count is given up and the reason said.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from accord.analysis.cap import uncapped
from accord.analysis.compiled import CompiledScenario, clauses_hold
from accord.analysis.frontier import factor_packages, factors_of
from accord.analysis.space import BoolArray, FloatArray
from accord.analysis.ties import TIE_TOLERANCE, tie_ranks

ACCEPT_TOLERANCE = TIE_TOLERANCE  # a utility within it of the reservation value reaches it
SURE = 1e100  # the utility coordinate of a voter sure to reach its reservation value
HOPELESS = -1e100  # ... and of one sure to miss it


@dataclass(frozen=True)
class Counts:
    """Exact counts of feasible and unanimously accepted packages, or why they are missing."""

    feasible: int | None
    unanimous: int | None
    reason: str = ""


def count_packages(compiled: CompiledScenario, max_states: int = 100_000) -> Counts:
    """The number of feasible packages and of packages every voter accepts."""
    total = compiled.space.outcome_count
    if compiled.every_package_acceptable:
        return Counts(total, total)
    # A ceiling changes who accepts only when it is below the reservation value.
    compiled = uncapped(compiled)
    voters = compiled.voter_indices
    # The frontier's factors: every voter's terms and red lines stay inside one factor.
    factors = factors_of(compiled)
    largest = max(math.prod(len(compiled.space.option_ids[i]) for i in f) for f in factors)
    if largest > max_states:
        return Counts(None, None, f"issues are joined into a group of {largest:,} packages")
    locals_ = [_factor_table(compiled, factor) for factor in factors]
    best_rest, worst_rest = _remaining_bounds(locals_, len(voters))
    threshold = compiled.reservation[voters] - compiled.constant[voters]
    vectors = np.zeros((1, len(voters)))
    crossed = np.zeros((1, len(voters)), dtype=np.bool_)
    counts = np.array([1], dtype=object)
    for step, (local_vectors, local_crossed) in enumerate(locals_):
        size = len(local_vectors)
        left = np.repeat(np.arange(len(vectors)), size)
        right = np.tile(np.arange(size), len(vectors))
        vectors = vectors[left] + local_vectors[right]
        crossed = crossed[left] | local_crossed[right]
        counts = counts[left]
        vectors = _settle(vectors, threshold, best_rest[step + 1], worst_rest[step + 1])
        vectors, crossed, counts = _merge(vectors, crossed, counts)
        if len(vectors) > max_states:
            return Counts(
                None,
                None,
                f"more than {max_states:,} distinct partial states after "
                f"{step + 1} of {len(locals_)} groups of issues",
            )
    accepts = ~crossed & (vectors >= threshold - ACCEPT_TOLERANCE)
    required = compiled.required[voters]
    feasible = accepts[:, required].all(axis=1) & (accepts.sum(axis=1) >= compiled.min_accept)
    unanimous = accepts.all(axis=1)
    return Counts(int(counts[feasible].sum()), int(counts[unanimous].sum()))


def _factor_table(
    compiled: CompiledScenario, factor: tuple[int, ...]
) -> tuple[FloatArray, BoolArray]:
    """Each package of the factor: the voters' utility from it and the red lines it crosses."""
    local, vectors = factor_packages(compiled, factor)
    full = np.zeros((len(local), compiled.space.issue_count), dtype=np.int64)
    full[:, list(factor)] = local
    voters = compiled.voter_indices
    members = set(factor)
    crossed = np.zeros((len(local), len(voters)), dtype=np.bool_)
    position = {int(p): k for k, p in enumerate(voters)}
    for red_line in compiled.red_lines:
        if red_line.party in position and set(red_line.issues) <= members:
            crossed[:, position[red_line.party]] |= clauses_hold(red_line.clauses, full)
    return vectors, crossed


def _remaining_bounds(
    locals_: list[tuple[FloatArray, BoolArray]], voter_count: int
) -> tuple[FloatArray, FloatArray]:
    """``[k]``: the most and the least each voter can still get from factors ``k`` on."""
    best = np.zeros((len(locals_) + 1, voter_count))
    worst = np.zeros((len(locals_) + 1, voter_count))
    for k in range(len(locals_) - 1, -1, -1):
        best[k] = best[k + 1] + locals_[k][0].max(axis=0)
        worst[k] = worst[k + 1] + locals_[k][0].min(axis=0)
    return best, worst


def _settle(
    vectors: FloatArray, threshold: FloatArray, best_rest: FloatArray, worst_rest: FloatArray
) -> FloatArray:
    """Replace the utilities whose outcome the rest of the package cannot change."""
    sure = vectors + worst_rest >= threshold - ACCEPT_TOLERANCE
    hopeless = vectors + best_rest < threshold - ACCEPT_TOLERANCE
    settled = np.where(sure, SURE, vectors)
    result: FloatArray = np.where(hopeless, HOPELESS, settled)
    return result


def _merge(
    vectors: FloatArray, crossed: BoolArray, counts: np.ndarray
) -> tuple[FloatArray, BoolArray, np.ndarray]:
    """Merge the states that tie (utilities within the tie tolerance, same red lines)."""
    keys = np.concatenate((tie_ranks(vectors), crossed.astype(np.int64)), axis=1)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    merged = np.zeros(len(first), dtype=object)
    np.add.at(merged, inverse.ravel(), counts)
    return vectors[first], crossed[first], merged
