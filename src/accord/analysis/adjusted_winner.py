"""Adjusted Winner (Brams & Taylor 1996): a two-party division that is envy-free,
equitable and efficient.

Each party spreads 100 points over the contested points of the agenda. Every point first
goes to the party that gives it more (a tie to the first party). If the winner then holds
more points than the loser, points are handed over in increasing order of the ratio
``winner's points / loser's points`` (the items it values least, relative to the other)
until the totals would cross; that one point is split so that both totals are equal.
With at most one point split, the result is *equitable* (equal totals), *envy-free*
(each party values its share at least 50 of its own 100) and *efficient* (no division,
fractional or not, gives both at least as much and one more). The three are checked on
the result here, not assumed: equitability and envy-freeness by their definitions,
efficiency by the exact optimum of "the most the second party can have given the first
party's total" (a fractional knapsack, solved greedily by ratio).

Everything is in exact rational arithmetic (:class:`fractions.Fraction`).

A scenario's issues are turned into this form by :func:`point_table`: on each issue,
winning means getting one's favourite option and losing means getting the other party's;
a party's points for it are what winning is worth to it over losing, scaled so that its
points sum to 100. The form keeps a scenario's meaning only when utilities are sums of
per-issue values (no interaction terms) and no option between the two favourites is worth
more to both than a split of the point; otherwise the function refuses and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.space import IntArray
from accord.errors import AnalysisError

HUNDRED = Fraction(100)
# Utilities are floats: read them as the nearest fraction with a denominator up to 10**9,
# so that 0.21000000000000002 (0.7 * 0.3) is 21/100 again.
DENOMINATOR = 10**9


@dataclass(frozen=True)
class Division:
    """How a point table is divided: the share of each item that goes to the first party."""

    first_share: tuple[Fraction, ...]  # per item, in [0, 1]
    first_points: Fraction
    second_points: Fraction
    split_item: int | None  # the one item split (share strictly between 0 and 1)
    envy_free: bool
    equitable: bool
    efficient: bool


def adjusted_winner_division(first: Sequence[Fraction], second: Sequence[Fraction]) -> Division:
    """Brams & Taylor's procedure on two point tables (each non-negative, summing to 100)."""
    count = len(first)
    share = [Fraction(1) if a >= b else Fraction(0) for a, b in zip(first, second, strict=True)]
    totals = _totals(first, second, share)
    if totals[0] != totals[1]:
        winner_is_first = totals[0] > totals[1]
        held = [i for i in range(count) if (share[i] == 1) == winner_is_first]
        mine, theirs = (first, second) if winner_is_first else (second, first)
        # Hand over the items the winner values least relative to the loser first (an item
        # worth 0 to the loser is never worth handing over: it goes last).
        held.sort(key=lambda i: (mine[i] / theirs[i] if theirs[i] else Fraction(10**18), i))
        for item in held:
            kept_total = (totals[0] if winner_is_first else totals[1]) - mine[item]
            other_total = (totals[1] if winner_is_first else totals[0]) + theirs[item]
            if kept_total <= other_total:
                # Keep the fraction p of this item that makes the totals equal.
                kept = (other_total - kept_total) / (mine[item] + theirs[item])
                share[item] = kept if winner_is_first else 1 - kept
                break
            share[item] = Fraction(0) if winner_is_first else Fraction(1)
            totals = _totals(first, second, share)
    return check_division(first, second, tuple(share))


def check_division(
    first: Sequence[Fraction], second: Sequence[Fraction], share: tuple[Fraction, ...]
) -> Division:
    """A division with its three properties checked exactly."""
    a, b = _totals(first, second, share)
    split = [i for i, s in enumerate(share) if 0 < s < 1]
    total_first, total_second = sum(first, Fraction(0)), sum(second, Fraction(0))
    envy_free = 2 * a >= total_first and 2 * b >= total_second
    efficient = b >= most_for_second(first, second, a)
    return Division(share, a, b, split[0] if split else None, envy_free, a == b, efficient)


def most_for_second(
    first: Sequence[Fraction], second: Sequence[Fraction], first_at_least: Fraction
) -> Fraction:
    """The most points the second party can hold while the first holds ``first_at_least``.

    A fractional knapsack: the first party takes the items with the highest ratio of its
    points to the second's first, stopping part-way through the one that reaches its total.
    """
    order = sorted(
        range(len(first)),
        key=lambda i: (-(first[i] / second[i]) if second[i] else Fraction(-(10**18)), i),
    )
    need = first_at_least
    left_for_second = sum(second, Fraction(0))
    for item in order:
        if need <= 0:
            break
        if first[item] == 0:
            continue
        taken = min(Fraction(1), need / first[item])
        need -= taken * first[item]
        left_for_second -= taken * second[item]
    return left_for_second


def _totals(
    first: Sequence[Fraction], second: Sequence[Fraction], share: Sequence[Fraction]
) -> tuple[Fraction, Fraction]:
    a = sum((s * p for s, p in zip(share, first, strict=True)), Fraction(0))
    b = sum(((1 - s) * p for s, p in zip(share, second, strict=True)), Fraction(0))
    return a, b


@dataclass(frozen=True)
class PointTable:
    """A scenario in "who wins this point" form for two parties."""

    parties: tuple[int, int]
    issues: tuple[int, ...]  # the contested issues, in scenario order
    favourites: tuple[tuple[int, int], ...]  # per contested issue, each party's option
    first: tuple[Fraction, ...]  # points, summing to 100
    second: tuple[Fraction, ...]
    agreed: tuple[tuple[int, int], ...]  # (issue, option) both parties like best


@dataclass(frozen=True, eq=False)
class AdjustedWinner:
    """The division of a scenario's contested points and the package it stands for.

    ``package`` gives the split point to the party holding the larger share of it (the
    first on a tie); ``rounded`` is the division of that package, checked again, since an
    indivisible point cannot be split.
    """

    table: PointTable
    division: Division
    package: IntArray
    rounded: Division
    divisible: bool  # whether the split point (if any) may be divided


def point_table(compiled: CompiledScenario) -> PointTable:
    """The two voters' points for winning each contested issue; refuses what it cannot keep."""
    voters = [int(p) for p in compiled.voter_indices]
    if len(voters) != 2:
        names = ", ".join(compiled.party_ids[p] for p in voters) or "none"
        raise AnalysisError(
            f"Adjusted Winner divides between two parties; this scenario has {len(voters)} "
            f"voters ({names})"
        )
    a, b = voters
    for index, term in enumerate(compiled.terms):
        if compiled.term_values[a, index] or compiled.term_values[b, index]:
            joined = ", ".join(compiled.space.issue_ids[i] for i, _ in term)
            raise AnalysisError(
                f"Adjusted Winner needs utilities that add up point by point, and an "
                f"interaction term joins {joined}: winning one point would change what "
                f"another is worth"
            )
    space = compiled.space
    issues, favourites, worth_a, worth_b, agreed = [], [], [], [], []
    for issue in range(space.issue_count):
        start, count = int(space.offsets[issue]), len(space.option_ids[issue])
        value_a = [_rational(v) for v in compiled.linear[a, start : start + count]]
        value_b = [_rational(v) for v in compiled.linear[b, start : start + count]]
        best_a = max(range(count), key=lambda k: (value_a[k], value_b[k], -k))
        best_b = max(range(count), key=lambda k: (value_b[k], value_a[k], -k))
        if best_a == best_b:
            agreed.append((issue, best_a))
            continue
        gain_a = value_a[best_a] - value_a[best_b]
        gain_b = value_b[best_b] - value_b[best_a]
        for option in range(count):
            if option in (best_a, best_b):
                continue
            # The split points lie on the line from (a's win) to (b's win); an option
            # above it is a compromise both prefer to every split.
            share_a = (value_a[option] - value_a[best_b]) / gain_a if gain_a else Fraction(0)
            share_b = (value_b[option] - value_b[best_a]) / gain_b if gain_b else Fraction(0)
            if share_a + share_b > 1:
                raise AnalysisError(
                    f"point '{space.issue_ids[issue]}': option '{space.option_ids[issue][option]}' "
                    f"is worth more to both {compiled.party_ids[a]} and {compiled.party_ids[b]} "
                    f"than any split between '{space.option_ids[issue][best_a]}' and "
                    f"'{space.option_ids[issue][best_b]}', which is all the who-wins form "
                    f"can offer"
                )
        issues.append(issue)
        favourites.append((best_a, best_b))
        worth_a.append(gain_a)
        worth_b.append(gain_b)
    for party, worth in ((a, worth_a), (b, worth_b)):
        if sum(worth, Fraction(0)) == 0:
            raise AnalysisError(
                f"party '{compiled.party_ids[party]}' values no contested point: it has no "
                f"points to spread"
            )
    return PointTable(
        (a, b),
        tuple(issues),
        tuple(favourites),
        _to_hundred(worth_a),
        _to_hundred(worth_b),
        tuple(agreed),
    )


def adjusted_winner(compiled: CompiledScenario, indivisible: Sequence[str] = ()) -> AdjustedWinner:
    """Adjusted Winner on ``compiled``'s two voters; ``indivisible`` names issues that
    cannot be split (the package then gives such a split point to its larger holder)."""
    unknown = [issue for issue in indivisible if issue not in compiled.space.issue_ids]
    if unknown:
        raise AnalysisError(
            f"unknown issue '{unknown[0]}' (issues: {', '.join(compiled.space.issue_ids)})"
        )
    table = point_table(compiled)
    division = adjusted_winner_division(table.first, table.second)
    package = np.zeros(compiled.space.issue_count, dtype=np.int64)
    for issue, option in table.agreed:
        package[issue] = option
    rounded_share = []
    for item, (issue, (best_a, best_b)) in enumerate(
        zip(table.issues, table.favourites, strict=True)
    ):
        to_first = 2 * division.first_share[item] >= 1
        package[issue] = best_a if to_first else best_b
        rounded_share.append(Fraction(1) if to_first else Fraction(0))
    rounded = check_division(table.first, table.second, tuple(rounded_share))
    split = division.split_item
    divisible = split is None or compiled.space.issue_ids[table.issues[split]] not in indivisible
    return AdjustedWinner(table, division, package, rounded, divisible)


def _rational(value: float) -> Fraction:
    return Fraction(float(value)).limit_denominator(DENOMINATOR)


def _to_hundred(worth: list[Fraction]) -> tuple[Fraction, ...]:
    total = sum(worth, Fraction(0))
    return tuple(HUNDRED * w / total for w in worth)
