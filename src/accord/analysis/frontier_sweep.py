"""The two-party frontier by an exact sweep of mixed-integer programs.

Used when interaction terms or red lines join issues into groups too large to list, so
that :mod:`accord.analysis.frontier` cannot build the frontier from the groups. The sweep is
the lexicographic epsilon-constraint method: take the package best for the first voter
(ties broken for the second), then ask for the best package for the first voter among
those giving the second strictly more than the last point found, and so on until none is
left. Every point found is Pareto-optimal and every Pareto-optimal point is found; two
points closer than ``STEP`` in the second voter's utility count as one.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.program import package_program
from accord.analysis.space import FloatArray, IntArray

STEP = 2e-9
TIES = (1e-9, 1e-7, 1e-5)  # how far below the first voter's best the second stage may go


def sweep_two_party_frontier(
    compiled: CompiledScenario, max_points: int = 5_000
) -> tuple[tuple[IntArray, FloatArray], bool]:
    """Packages and utilities of the frontier, and whether the sweep finished."""
    first, second = (int(p) for p in compiled.voter_indices)
    program = package_program(compiled)
    packages: list[IntArray] = []
    utilities: list[FloatArray] = []
    top = program.milp.solve({int(program.utility[second]): 1.0}, presolve=False)
    if not top.feasible:
        return _stack(compiled, packages, utilities), True
    # Stop once the floor passes the second voter's best: asking HiGHS for a floor a hair
    # above its optimum is numerically fragile.
    ceiling = float(compiled.utilities(program.package(top))[second])
    floor_row = program.milp.add_row([program.utility[second]], [1.0], lower=-np.inf)
    while True:
        if len(packages) == max_points:
            return _stack(compiled, packages, utilities), False
        best_first = program.milp.solve({int(program.utility[first]): 1.0}, presolve=False)
        if not best_first.feasible:
            return _stack(compiled, packages, utilities), True
        package = program.package(best_first)
        level = float(compiled.utilities(package)[first])
        for tie in TIES:
            staged = program.copy()
            staged.milp.add_row([staged.utility[first]], [1.0], lower=level - tie)
            result = staged.milp.solve({int(staged.utility[second]): 1.0}, presolve=False)
            if result.feasible:
                package = staged.package(result)
                break
        values = compiled.utilities(package)
        packages.append(package)
        utilities.append(values)
        if float(values[second]) + STEP > ceiling:
            return _stack(compiled, packages, utilities), True
        program.milp.row_lower[floor_row] = float(values[second]) + STEP


def _stack(
    compiled: CompiledScenario, packages: list[IntArray], utilities: list[FloatArray]
) -> tuple[IntArray, FloatArray]:
    if not packages:
        return (
            np.zeros((0, compiled.space.issue_count), dtype=np.int64),
            np.zeros((0, compiled.party_count)),
        )
    return np.stack(packages), np.stack(utilities)
