"""One party's own preferences, as its strategy sees them (and nobody else's).

Built from the compiled scenario for one party only: the strategy receives this object,
never the compiled scenario, so another party's numbers cannot reach it. When the outcome
space is small enough to list (``ENUMERATION_LIMIT``) every package's utility is computed
once, so that a round costs a table look-up; otherwise utilities are summed per package
and packages near a target utility are found with an exact program.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from accord.analysis.compiled import Clauses, CompiledScenario, clauses_hold
from accord.analysis.space import FloatArray, IntArray, OutcomeSpace

ENUMERATION_LIMIT = 2_000_000
Package = tuple[int, ...]


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
        )

    @property
    def enumerable(self) -> bool:
        return self.space.outcome_count <= ENUMERATION_LIMIT

    @cached_property
    def _strides(self) -> IntArray:
        counts = self.space.option_counts
        return np.concatenate((np.cumprod(counts[::-1])[::-1][1:], [1])).astype(np.int64)

    def index(self, package: Package) -> int:
        """The package's position in the listing of every package (mixed radix)."""
        return int(sum(o * int(s) for o, s in zip(package, self._strides, strict=True)))

    def package(self, index: int) -> Package:
        return tuple(int(v) for v in np.unravel_index(index, tuple(self.space.option_counts)))

    @cached_property
    def table(self) -> FloatArray:
        """Utility of every package, by :meth:`index` (only for enumerable spaces)."""
        packages = self.space.all_packages()
        return self.utilities(packages)

    @cached_property
    def allowed(self) -> np.ndarray:
        """Whether each package (by :meth:`index`) crosses none of the party's red lines."""
        packages = self.space.all_packages()
        ok = np.ones(len(packages), dtype=np.bool_)
        for clauses in self.red_lines:
            ok &= ~clauses_hold(clauses, packages)
        return ok

    @cached_property
    def _table_list(self) -> list[float]:
        return self.table.tolist()  # type: ignore[no-any-return]

    def utilities(self, packages: IntArray) -> FloatArray:
        """Utilities of package rows (vectorised)."""
        flat = packages + self.space.offsets
        values = self.linear[flat].sum(axis=1) + self.constant
        for clauses, value in zip(self.terms, self.term_values, strict=True):
            values = values + value * clauses_hold(clauses, packages)
        result: FloatArray = values
        return result

    def utility(self, package: Package) -> float:
        if self.enumerable:
            return self._table_list[self.index(package)]
        return float(self.utilities(np.array([package], dtype=np.int64))[0])

    def crosses_red_line(self, package: Package) -> bool:
        row = np.array([package], dtype=np.int64)
        return any(bool(clauses_hold(clauses, row)[0]) for clauses in self.red_lines)

    def acceptable(self, package: Package) -> bool:
        """At or above the reservation value, and no red line crossed."""
        return self.utility(package) >= self.reservation - 1e-9 and not self.crosses_red_line(
            package
        )

    def best_utility(self) -> float:
        if self.enumerable:
            return float(self.table[self.allowed].max()) if self.allowed.any() else -math.inf
        from accord.analysis.milp import best_package_value

        return best_package_value(self.space, self.linear, self.terms, self.term_values) + (
            self.constant
        )
