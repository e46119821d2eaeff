"""One party's own preferences, as its strategy sees them (and nobody else's).

Built from the compiled scenario for one party only: the strategy receives this object,
never the compiled scenario, so another party's numbers cannot reach it. When the outcome
space is small enough to list (``ENUMERATION_LIMIT``) every package's utility is computed
once, so that a round costs a table look-up; otherwise utilities are summed per package
and packages near a target utility are found with an exact program.

Strategies ask for packages by own utility: the acceptable package (at or above the
reservation value, no red line crossed) whose utility is the smallest at or above a target,
the best and the worst acceptable one, optionally within a :class:`Subspace` (the issues
open at one table, the others kept as in a context package). On an enumerable space the
acceptable packages are ranked once by utility (ties by package index) and a request is a
binary search. Otherwise HiGHS answers. The best acceptable package is exact. The package
at or above a target is any one HiGHS finds in a band just above the target, ``BAND``
(1%) of the acceptable range wide, or 10, 100... times wider while a band holds no
package: finding the very smallest is a subset-sum problem that HiGHS may take minutes
to prove on 30 issues, and so may proving a band of 0.1% empty (24 s on the peace plan),
while a band of 1% takes milliseconds. The answer exceeds the target by
at most 10 times the larger of the first band and the very smallest package's excess. The
worst acceptable package is exact when it is worth more than the reservation value, else
found the same way above that value.
"""

from __future__ import annotations

import math
import weakref
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from operator import mul
from typing import Any

import numpy as np

from accord.analysis.cap import add_exact_cap, capped, ceilings
from accord.analysis.compiled import Clauses, CompiledScenario, clauses_hold
from accord.analysis.milp import Milp, add_package_polytope
from accord.analysis.space import FloatArray, IntArray, OutcomeSpace

ENUMERATION_LIMIT = 2_000_000
TOLERANCE = 1e-9  # utilities this close count as equal (as in ``acceptable``)
BAND = 1e-2  # share of the acceptable utility range searched above a target (large spaces)
REMEMBERED = 1 << 16  # packages remembered by index and indices by package, per party
SUBSPACE_CACHE = 64  # rankings of subspaces kept per party (one per block and context)
Package = tuple[int, ...]


_SHARED: weakref.WeakKeyDictionary[CompiledScenario, dict[int, OwnPreferences]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class Subspace:
    """The packages that take ``context``'s option on every issue not in ``open_issues``."""

    open_issues: tuple[int, ...]
    context: Package


@dataclass(frozen=True, eq=False)
class Ranking:
    """The acceptable packages of a (sub)space by ascending utility; ties by package index.

    ``indices`` are package indices, or, for a subspace of a space too large to list, rows
    of ``rows`` (the subspace's packages in index order).
    """

    utilities: list[float]
    indices: list[int]
    rows: IntArray | None = None


@dataclass(frozen=True, eq=False)
class OwnPreferences:
    """A party's utility function, reservation value and red lines."""

    party: str
    space: OutcomeSpace
    linear: FloatArray  # (F,)
    constant: float
    terms: tuple[Clauses, ...]
    term_values: FloatArray  # (T,)
    red_lines: tuple[Clauses, ...]
    reservation: float
    discount: float = 1.0
    cap: float = math.inf  # the utility ceiling (GENIUS's cap at 1): worth min(cap, sum)
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, compiled: CompiledScenario, party: int, discount: float = 1.0) -> OwnPreferences:
        keep = np.flatnonzero(compiled.term_values[party])
        return cls(
            party=compiled.party_ids[party],
            space=compiled.space,
            linear=compiled.linear[party].copy(),
            constant=float(compiled.constant[party]),
            terms=tuple(compiled.terms[t] for t in keep),
            term_values=compiled.term_values[party, keep].copy(),
            red_lines=tuple(r.clauses for r in compiled.red_lines if r.party == party),
            reservation=float(compiled.reservation[party]),
            discount=discount,
            cap=float(ceilings(compiled)[party]),
        )

    @classmethod
    def shared(cls, compiled: CompiledScenario, party: int) -> OwnPreferences:
        """:meth:`of`, one object per compiled scenario and party, kept while the compiled
        scenario lives: its tables and rankings are pure functions of the preferences, so
        runs on one scenario (a benchmark, a tournament) build them once, not per run."""
        per_party = _SHARED.get(compiled)
        if per_party is None:
            per_party = _SHARED[compiled] = {}
        own = per_party.get(party)
        if own is None:
            own = per_party[party] = cls.of(compiled, party)
        return own

    @cached_property
    def enumerable(self) -> bool:
        return self.space.outcome_count <= ENUMERATION_LIMIT

    @cached_property
    def _strides(self) -> IntArray:
        counts = self.space.option_counts
        return np.concatenate((np.cumprod(counts[::-1])[::-1][1:], [1])).astype(np.int64)

    @cached_property
    def _stride_list(self) -> list[int]:
        # Python integers: a package index in pure Python costs a microsecond.
        return [int(s) for s in self._strides]

    @cached_property
    def _count_list(self) -> list[int]:
        return [len(options) for options in self.space.option_ids]

    def index(self, package: Package) -> int:
        """The package's position in the listing of every package (mixed radix)."""
        indices = self._indices
        known = indices.get(package)
        if known is None:
            known = sum(map(mul, package, self._stride_list))
            if len(indices) < REMEMBERED:
                indices[package] = known
        return known

    @cached_property
    def _indices(self) -> dict[Package, int]:
        # Remembered both ways (see ``package``): a run keeps meeting the same few packages.
        return {}

    def package(self, index: int) -> Package:
        """The package at ``index`` (remembered: strategies ask for the same few again)."""
        known = self._packages.get(index)
        if known is None:
            options = []
            rest = index
            for stride in self._stride_list:
                option, rest = divmod(rest, stride)
                options.append(option)
            known = tuple(options)
            if len(self._packages) < REMEMBERED:
                self._packages[index] = known
                self._indices[known] = index
        return known

    @cached_property
    def _packages(self) -> dict[int, Package]:
        return {}

    @cached_property
    def table(self) -> FloatArray:
        """Utility of every package, by :meth:`index` (only for enumerable spaces)."""
        return self._tables[0]

    @cached_property
    def allowed(self) -> np.ndarray:
        """Whether each package (by :meth:`index`) crosses none of the party's red lines."""
        return self._tables[1]

    @cached_property
    def _tables(self) -> tuple[FloatArray, np.ndarray]:
        """Both tables, column by column, without listing every package as rows.

        The numbers are those of :meth:`utilities` on :meth:`OutcomeSpace.all_packages`
        to the last bit: the same per-package values summed in the same layout.
        """
        total = self.space.outcome_count
        offsets = self.space.offsets
        option_values = np.empty((total, self.space.issue_count))
        for issue, (count, stride) in enumerate(
            zip(self._count_list, self._stride_list, strict=True)
        ):
            start = int(offsets[issue])
            values = self.linear[start : start + count]
            option_values[:, issue] = np.tile(np.repeat(values, stride), total // (count * stride))
        utilities = option_values.sum(axis=1) + self.constant
        del option_values
        for clauses, value in zip(self.terms, self.term_values, strict=True):
            utilities = utilities + value * self._holds(clauses)
        if math.isfinite(self.cap):
            utilities = capped(utilities, self.cap)
        allowed = np.ones(total, dtype=np.bool_)
        for clauses in self.red_lines:
            allowed &= ~self._holds(clauses)
        return utilities, allowed

    def _holds(self, clauses: Clauses) -> np.ndarray:
        """For every package (by :meth:`index`), whether each clause's issue takes a listed
        option (:func:`clauses_hold` without the package rows)."""
        total = self.space.outcome_count
        holds = np.ones(total, dtype=np.bool_)
        for issue, options in clauses:
            count, stride = self._count_list[issue], self._stride_list[issue]
            listed = np.isin(np.arange(count, dtype=np.int64), options)
            holds &= np.tile(np.repeat(listed, stride), total // (count * stride))
        return holds

    @cached_property
    def _table_list(self) -> list[float]:
        return self.table.tolist()  # type: ignore[no-any-return]

    @cached_property
    def _allowed_list(self) -> list[bool]:
        return self.allowed.tolist()  # type: ignore[no-any-return]

    def utilities(self, packages: IntArray) -> FloatArray:
        """Utilities of package rows (vectorised)."""
        flat = packages + self.space.offsets
        values = self.linear[flat].sum(axis=1) + self.constant
        for clauses, value in zip(self.terms, self.term_values, strict=True):
            values = values + value * clauses_hold(clauses, packages)
        result: FloatArray = capped(values, self.cap) if math.isfinite(self.cap) else values
        return result

    def utility(self, package: Package) -> float:
        if self.enumerable:
            return self._table_list[self.index(package)]
        return float(self.utilities(np.array([package], dtype=np.int64))[0])

    def crosses_red_line(self, package: Package) -> bool:
        if self.enumerable:
            return not self._allowed_list[self.index(package)]
        return any(
            all(package[issue] in options for issue, options in clauses)
            for clauses in self.red_lines
        )

    def crossed_red_lines(self, package: Package) -> tuple[Clauses, ...]:
        """The red lines ``package`` crosses."""
        return tuple(
            clauses
            for clauses in self.red_lines
            if all(package[issue] in options for issue, options in clauses)
        )

    def acceptable(self, package: Package) -> bool:
        """At or above the reservation value, and no red line crossed."""
        if self.enumerable:
            index = self.index(package)
            return (
                self._table_list[index] >= self.reservation - TOLERANCE
                and self._allowed_list[index]
            )
        return self.utility(package) >= self.reservation - TOLERANCE and not (
            self.crosses_red_line(package)
        )

    def acceptable_utility(self, package: Package) -> float | None:
        """The package's utility if it is acceptable, else ``None`` (one look-up)."""
        if self.enumerable:
            index = self.index(package)
            value = self._table_list[index]
            if value >= self.reservation - TOLERANCE and self._allowed_list[index]:
                return value
            return None
        return self.utility(package) if self.acceptable(package) else None

    def best_utility(self) -> float:
        if self.enumerable:
            return float(self.table[self.allowed].max()) if self.allowed.any() else -math.inf
        from accord.analysis.milp import best_package_value

        best = best_package_value(self.space, self.linear, self.terms, self.term_values)
        return min(best + self.constant, self.cap)

    # Packages by own utility --------------------------------------------------------------

    def listable(self, within: Subspace | None = None) -> bool:
        """Whether the (sub)space is small enough to rank (see :meth:`ranking`)."""
        if self.enumerable:
            return True
        if within is None:
            return False
        return math.prod(self._count_list[i] for i in within.open_issues) <= ENUMERATION_LIMIT

    def ranking(self, within: Subspace | None = None) -> Ranking:
        """The acceptable packages (of ``within``) by utility. Only if :meth:`listable`: a
        block's subspace usually is, even when the whole space is not."""
        if within is None:
            return self._full_ranking
        rankings: dict[Subspace, Ranking] = self._memo("rankings")
        ranking = rankings.get(within)
        if ranking is None:
            if len(rankings) >= SUBSPACE_CACHE:
                rankings.pop(next(iter(rankings)))
            if self.enumerable:
                ranking = self._rank(self._indices_of(within))
            else:
                ranking = self._rank_rows(self._rows_of(within))
            rankings[within] = ranking
        return ranking

    def ranked_package(self, ranking: Ranking, position: int) -> Package:
        """The package at ``position`` in ``ranking`` (0: the worst acceptable one)."""
        index = ranking.indices[position]
        if ranking.rows is None:
            return self.package(index)
        return tuple(ranking.rows[index].tolist())

    @cached_property
    def _full_ranking(self) -> Ranking:
        return self._rank(np.arange(self.space.outcome_count, dtype=np.int64))

    def _rank(self, indices: IntArray) -> Ranking:
        utilities = self.table[indices]
        keep = self.allowed[indices] & (utilities >= self.reservation - TOLERANCE)
        indices, utilities = indices[keep], utilities[keep]
        order = np.lexsort((indices, utilities))
        return Ranking(utilities[order].tolist(), indices[order].tolist())

    def _rank_rows(self, rows: IntArray) -> Ranking:
        utilities = self.utilities(rows)
        keep = utilities >= self.reservation - TOLERANCE
        for clauses in self.red_lines:
            keep &= ~clauses_hold(clauses, rows)
        positions = np.flatnonzero(keep)
        order = np.lexsort((positions, utilities[positions]))
        return Ranking(utilities[positions][order].tolist(), positions[order].tolist(), rows)

    def _rows_of(self, within: Subspace) -> IntArray:
        """The packages of a subspace, one per row, in package index order."""
        grids = np.meshgrid(
            *[np.arange(self._count_list[i]) for i in within.open_issues], indexing="ij"
        )
        rows = np.tile(np.array(within.context, dtype=np.int64), (grids[0].size, 1))
        for grid, issue in zip(grids, within.open_issues, strict=True):
            rows[:, issue] = grid.ravel()
        return rows

    def _indices_of(self, within: Subspace) -> IntArray:
        """Package indices of a subspace: the context's index moved along the open issues."""
        closed = [i for i in range(self.space.issue_count) if i not in within.open_issues]
        indices = np.array([sum(within.context[i] * self._stride_list[i] for i in closed)])
        for issue in within.open_issues:
            steps = np.arange(self._count_list[issue], dtype=np.int64) * self._stride_list[issue]
            indices = (indices[:, None] + steps[None, :]).ravel()
        return np.sort(indices)

    def package_at_least(self, target: float, within: Subspace | None = None) -> Package | None:
        """The acceptable package whose utility is the smallest at or above ``target`` (on a
        space too large to list, one in the band above ``target``: see the module's doc)."""
        if within is None and self.enumerable:  # the common case, kept short
            ranking = self._full_ranking
            position = bisect_left(ranking.utilities, target - TOLERANCE)
            if position == len(ranking.indices):
                return None
            return self.package(ranking.indices[position])
        if self.listable(within):
            ranking = self.ranking(within)
            position = bisect_left(ranking.utilities, target - TOLERANCE)
            if position == len(ranking.indices):
                return None
            return self.ranked_package(ranking, position)
        best, worst = self.best_acceptable(within), self.worst_acceptable(within)
        if best is None or worst is None or target - TOLERANCE > self.utility(best):
            return None
        span = self.utility(best) - self.utility(worst)
        return self._at_least_by_program(target, within, best, span)

    def best_acceptable(self, within: Subspace | None = None) -> Package | None:
        """The acceptable package worth the most (``None`` if none is acceptable)."""
        return self._extreme(within, best=True)

    def worst_acceptable(self, within: Subspace | None = None) -> Package | None:
        """The acceptable package worth the least (``None`` if none is acceptable)."""
        return self._extreme(within, best=False)

    def _extreme(self, within: Subspace | None, best: bool) -> Package | None:
        if within is None and self.enumerable and "_full_ranking" not in self.__dict__:
            # The ranking's last (or first) package, without ranking: many strategies ask
            # for the extremes first and some never need the ranking at all.
            keep = self.allowed & (self.table >= self.reservation - TOLERANCE)
            if not keep.any():
                return None
            value = self.table[keep].max() if best else self.table[keep].min()
            ties = np.flatnonzero(keep & (self.table == value))
            return self.package(int(ties[-1] if best else ties[0]))
        if self.listable(within):
            ranking = self.ranking(within)
            if not ranking.indices:
                return None
            return self.ranked_package(ranking, -1 if best else 0)
        extremes: dict[Subspace | None, Package | None] = self._memo("best" if best else "worst")
        if within not in extremes:
            if best:
                extremes[within] = self._solve(within, at_least=None, maximize=True)
            else:
                extremes[within] = self._worst_by_program(within)
        return extremes[within]

    def _worst_by_program(self, within: Subspace | None) -> Package | None:
        """The package worth the least crossing no red line, if it meets the reservation
        value (exact, and easy); otherwise one within the band above the reservation value."""
        lowest = self._solve(within, None, maximize=False, reservation=False)
        if lowest is None or self.utility(lowest) >= self.reservation - TOLERANCE:
            return lowest
        best = self.best_acceptable(within)
        if best is None:
            return None
        span = self.utility(best) - self.reservation
        return self._at_least_by_program(self.reservation, within, best, span)

    def _at_least_by_program(
        self, target: float, within: Subspace | None, best: Package, span: float
    ) -> Package:
        """An acceptable package in the first band above ``target`` that holds one, the
        bands ``BAND``, 10 and 100 times ``BAND``... of ``span`` wide; ``best`` once a band
        reaches it. So the answer exceeds the target by at most 10 times the larger of
        ``BAND * span`` and the smallest package's excess over the target."""
        floor = max(target, self.reservation)
        width = max(BAND * span, TOLERANCE)
        while floor + width < self.utility(best):
            found = self._solve(within, at_least=floor, maximize=False, band=width)
            if found is not None:
                return found
            width *= 10
        return best

    def _memo(self, name: str) -> dict[Any, Any]:
        """A named dictionary kept with these preferences (frozen, so not an attribute)."""
        memo = self._cache.setdefault(name, {})
        assert isinstance(memo, dict)
        return memo

    def best_package(self, within: Subspace | None = None) -> Package:
        """The package worth the most crossing no red line, or worth the most at all."""
        for respect_red_lines in (True, False):
            if self.enumerable:
                indices = (
                    np.arange(self.space.outcome_count, dtype=np.int64)
                    if within is None
                    else self._indices_of(within)
                )
                if respect_red_lines:
                    indices = indices[self.allowed[indices]]
                if len(indices):
                    values = self.table[indices]
                    return self.package(int(indices[int(np.argmax(values))]))
            else:
                found = self._solve(
                    within, None, maximize=True, reservation=False, red_lines=respect_red_lines
                )
                if found is not None:
                    return found
        raise AssertionError("a space always has a package")  # pragma: no cover

    @cached_property
    def _program(self) -> tuple[Milp, IntArray, int]:
        """Packages crossing no red line, with a column for the utility (built once)."""
        milp = Milp()
        x, y = add_package_polytope(milp, self.space, self.terms)
        (utility,) = milp.add_columns(1, -math.inf, math.inf, False)
        milp.add_row(
            np.concatenate(([utility], x, y)),
            np.concatenate(([1.0], -self.linear, -self.term_values)),
            self.constant,
            self.constant,
        )
        if math.isfinite(self.cap):
            # Programs here also minimise and pin utilities: the exact min(cap, sum).
            low, high = self._sum_bounds
            return milp, x, add_exact_cap(milp, int(utility), self.cap, low, high)
        return milp, x, int(utility)

    @cached_property
    def _sum_bounds(self) -> tuple[float, float]:
        """Cheap bounds on the uncapped sum (for the big-M constants of the cap)."""
        pieces = [
            self.linear[start : start + count]
            for start, count in zip(self.space.offsets, self.space.option_counts, strict=True)
        ]
        negative = float(np.minimum(self.term_values, 0).sum())
        positive = float(np.maximum(self.term_values, 0).sum())
        low = self.constant + sum(float(p.min()) for p in pieces) + negative
        high = self.constant + sum(float(p.max()) for p in pieces) + positive
        return low, high

    def _solve(
        self,
        within: Subspace | None,
        at_least: float | None,
        maximize: bool,
        reservation: bool = True,
        red_lines: bool = True,
        band: float | None = None,
    ) -> Package | None:
        """Search for large spaces: optimise the utility over acceptable packages (exact),
        or with ``band`` find any package worth between the floor and ``band`` above it."""
        base, x, utility = self._program
        milp = base.copy()
        if red_lines:
            for clauses in self.red_lines:
                columns = [int(x[self.space.flat(i, o)]) for i, options in clauses for o in options]
                milp.add_row(columns, [1.0] * len(columns), upper=len(clauses) - 1.0)
        floor = -math.inf
        if reservation:
            floor = self.reservation - TOLERANCE
        if at_least is not None:
            floor = max(floor, at_least - TOLERANCE)
        if band is not None:
            milp.add_row([utility], [1.0], lower=floor, upper=floor + TOLERANCE + band)
        elif floor > -math.inf:
            milp.add_row([utility], [1.0], lower=floor)
        if within is not None:
            for issue in range(self.space.issue_count):
                if issue not in within.open_issues:
                    milp.lower[int(x[self.space.flat(issue, within.context[issue])])] = 1.0
        result = milp.solve({} if band is not None else {utility: 1.0}, maximize=maximize)
        if result.values is None:
            return None
        return tuple(int(o) for o in self.space.package_from_flat(result.values[x]))

    @cached_property
    def _additive_gaps(self) -> list[list[float]] | None:
        """Without terms, red lines or a ceiling an issue's gain is its own: best option less
        this one."""
        if self.terms or self.red_lines or math.isfinite(self.cap):
            return None
        gaps = []
        for start, count in zip(self.space.offsets, self.space.option_counts, strict=True):
            values = self.linear[start : start + count]
            gaps.append((values.max() - values).tolist())
        return gaps

    def improvements(self, package: Package, issues: tuple[int, ...] | None = None) -> list[float]:
        """For each issue (of ``issues``), how much more ``package`` would be worth with that
        issue alone changed to its best option crossing no red line (0 if none is better).

        Exact with interaction terms: the other issues keep their options.
        """
        chosen = range(self.space.issue_count) if issues is None else issues
        gaps = self._additive_gaps
        if gaps is not None:
            return [gaps[issue][package[issue]] for issue in chosen]
        if self.enumerable:
            table, allowed = self._table_list, self._allowed_list
            index = self.index(package)
            here = table[index]
            gains = []
            for issue in chosen:
                stride = self._stride_list[issue]
                start = index - package[issue] * stride
                best = here
                for alternative in range(start, start + self._count_list[issue] * stride, stride):
                    if table[alternative] > best and allowed[alternative]:
                        best = table[alternative]
                gains.append(best - here)
            return gains
        rows, owners = [], []
        for issue in chosen:
            for option in range(self._count_list[issue]):
                row = list(package)
                row[issue] = option
                rows.append(row)
                owners.append(issue)
        packages = np.array(rows, dtype=np.int64)
        values = self.utilities(packages)
        for clauses in self.red_lines:
            values[clauses_hold(clauses, packages)] = -math.inf
        here = self.utility(package)
        best_by_issue = dict.fromkeys(chosen, here)
        for issue, value in zip(owners, values.tolist(), strict=True):
            best_by_issue[issue] = max(best_by_issue[issue], value)
        return [best_by_issue[issue] - here for issue in chosen]
