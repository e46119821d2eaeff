"""The agreement rule as constraints of a mixed-integer program over packages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.cap import bound_utility, ceilings
from accord.analysis.compiled import CompiledScenario
from accord.analysis.milp import Milp, MilpResult, add_package_polytope
from accord.analysis.space import FloatArray, IntArray


@dataclass
class PackageProgram:
    """A :class:`Milp` whose columns include each party's utility and acceptance.

    ``utility[p]`` is party ``p``'s utility; ``accepts[p]`` (voters only, else -1) is 1 when
    ``p`` accepts. With ``relaxable``, ``relax_red_line[l]`` and ``relax_reservation[p]``
    switch off one red line or one reservation value each (-1 where there is none).
    """

    compiled: CompiledScenario
    milp: Milp
    x: IntArray
    y: IntArray
    utility: IntArray
    accepts: IntArray
    relax_red_line: IntArray
    relax_reservation: IntArray

    def copy(self) -> PackageProgram:
        return PackageProgram(
            self.compiled,
            self.milp.copy(),
            self.x,
            self.y,
            self.utility,
            self.accepts,
            self.relax_red_line,
            self.relax_reservation,
        )

    def package(self, result: MilpResult) -> IntArray:
        assert result.values is not None
        return self.compiled.space.package_from_flat(result.values[self.x])

    def gain_at_least(self, party: int, level: float) -> None:
        """Require ``utility[party] - disagreement[party] >= level``."""
        target = level + float(self.compiled.disagreement[party])
        self.milp.add_row([self.utility[party]], [1.0], lower=target)


def utility_bounds(compiled: CompiledScenario) -> tuple[FloatArray, FloatArray]:
    """Cheap lower and upper bounds on each party's (capped) utility, for big-M constants."""
    space = compiled.space
    low = compiled.constant.copy()
    high = compiled.constant.copy()
    for start, count in zip(space.offsets, space.option_counts, strict=True):
        block = compiled.linear[:, start : start + count]
        low += block.min(axis=1)
        high += block.max(axis=1)
    low += np.minimum(compiled.term_values, 0).sum(axis=1)
    high += np.maximum(compiled.term_values, 0).sum(axis=1)
    ceiling = ceilings(compiled)
    return np.minimum(low, ceiling), np.minimum(high, ceiling)


def package_program(compiled: CompiledScenario, relaxable: bool = False) -> PackageProgram:
    """Packages the agreement rule accepts (all packages if every package is acceptable).

    A party's utility column is its capped utility (at most the sum and at most the
    ceiling, see :func:`accord.analysis.cap.bound_utility`): programs only ever push it up.
    """
    milp = Milp()
    x, y = add_package_polytope(milp, compiled.space, compiled.terms)
    utility = milp.add_columns(compiled.party_count, -np.inf, np.inf, False)
    ceiling = ceilings(compiled)
    for party in range(compiled.party_count):
        constant = float(compiled.constant[party])
        row = milp.add_row(
            np.concatenate(([utility[party]], x, y)),
            np.concatenate(([1.0], -compiled.linear[party], -compiled.term_values[party])),
            constant,
            constant,
        )
        bound_utility(milp, int(utility[party]), row, float(ceiling[party]))
    accepts = np.full(compiled.party_count, -1, dtype=np.int64)
    relax_red_line = np.full(len(compiled.red_lines), -1, dtype=np.int64)
    relax_reservation = np.full(compiled.party_count, -1, dtype=np.int64)
    program = PackageProgram(
        compiled, milp, x, y, utility, accepts, relax_red_line, relax_reservation
    )
    if compiled.every_package_acceptable:
        return program
    unanimous = compiled.is_unanimity
    low, _ = utility_bounds(compiled)
    for party in compiled.voter_indices:
        fixed = unanimous or bool(compiled.required[party])
        accepts[party] = milp.add_columns(1, 1.0 if fixed else 0.0, 1.0, True)[0]
        reservation = float(compiled.reservation[party])
        # At least 1 even when every package clears the reservation value (it lies below
        # the least utility): a negative M would turn a relaxed reservation value of a
        # voter who rejects (u >= reservation - 2M) into a floor above that least utility,
        # so relaxing it would force the voter to accept, and to keep its red lines.
        big_m = max(reservation - float(low[party]), 0.0) + 1.0
        columns: list[int] = [int(utility[party]), int(accepts[party])]
        coefficients: list[float] = [1.0, -big_m]
        if relaxable:
            relax_reservation[party] = milp.add_columns(1, 0.0, 1.0, True)[0]
            columns.append(int(relax_reservation[party]))
            coefficients.append(big_m)
        milp.add_row(columns, coefficients, lower=reservation - big_m)
    for index, red_line in enumerate(compiled.red_lines):
        if accepts[red_line.party] < 0:
            continue
        option_columns = [
            int(x[compiled.space.flat(issue, option)])
            for issue, options in red_line.clauses
            for option in options
        ]
        line_columns = [*option_columns, int(accepts[red_line.party])]
        line_coefficients = [1.0] * len(line_columns)
        if relaxable:
            relax_red_line[index] = milp.add_columns(1, 0.0, 1.0, True)[0]
            line_columns.append(int(relax_red_line[index]))
            line_coefficients.append(-1.0)
        milp.add_row(line_columns, line_coefficients, upper=float(len(red_line.clauses)))
    voting = [int(accepts[p]) for p in compiled.voter_indices]
    if not unanimous:
        milp.add_row(voting, [1.0] * len(voting), lower=float(compiled.min_accept))
    return program
