"""Why no package is feasible, and the smallest change that makes one feasible.

The acceptance conditions that can be given up are each voter's red lines and reservation
value. Each gets a 0/1 *relaxation* column in the program (:func:`package_program` with
``relaxable=True``):

* a **conflict** is a minimal set of conditions that cannot all hold: found by the
  deletion filter (Chinneck & Dravnieks 1991): drop a condition for good whenever the rest
  is still infeasible;
* a **minimum relaxation** is a smallest set of conditions whose relaxation makes a package
  feasible: minimise the number of relaxed conditions; every other minimum set is found by
  cutting off the ones already found (``sum of their columns <= size - 1``) and solving
  again, while the optimum stays the same size.

For each relaxation the package shown is the egalitarian one (largest smallest gain) among
the packages it opens: read off the exact frontier of the relaxed game where it has one,
otherwise found by programs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.analysis.program import PackageProgram, package_program
from accord.analysis.solutions import Outcome, egalitarian
from accord.analysis.ties import TIE_TOLERANCE

MAX_ALTERNATIVES = 8


@dataclass(frozen=True)
class Condition:
    """One acceptance condition of one party: a red line or its reservation value."""

    kind: Literal["red_line", "reservation"]
    party: int
    red_line: int  # index into ``compiled.red_lines``; -1 for a reservation value
    label: str


@dataclass(frozen=True, eq=False)
class Relaxation:
    """Conditions to give up together, and the package that then becomes feasible."""

    conditions: tuple[Condition, ...]
    outcome: Outcome
    shortfall: dict[int, float]  # party -> how far its utility falls below its reservation


@dataclass(frozen=True, eq=False)
class Blockers:
    """A conflict that makes agreement impossible and every minimum relaxation."""

    conflict: tuple[Condition, ...]
    relaxations: tuple[Relaxation, ...]
    complete: bool  # False when there were more minimum relaxations than listed

    @property
    def blocking_parties(self) -> tuple[int, ...]:
        return tuple(sorted({condition.party for condition in self.conflict}))


def conditions_of(compiled: CompiledScenario, program: PackageProgram) -> list[Condition]:
    """Relaxable conditions, reservation values first."""
    found = [
        Condition("reservation", int(p), -1, f"reservation value {compiled.reservation[p]:g}")
        for p in compiled.voter_indices
        if program.relax_reservation[p] >= 0
    ]
    found += [
        Condition("red_line", red_line.party, index, red_line.label)
        for index, red_line in enumerate(compiled.red_lines)
        if program.relax_red_line[index] >= 0
    ]
    return found


def _column(program: PackageProgram, condition: Condition) -> int:
    if condition.kind == "reservation":
        return int(program.relax_reservation[condition.party])
    return int(program.relax_red_line[condition.red_line])


def _with_relaxed(
    program: PackageProgram, conditions: list[Condition], relaxed: set[Condition]
) -> PackageProgram:
    fixed = program.copy()
    for condition in conditions:
        column = _column(fixed, condition)
        if condition in relaxed:
            fixed.milp.lower[column] = 1.0
        else:
            fixed.milp.upper[column] = 0.0
    return fixed


@dataclass(frozen=True, eq=False)
class BlockingSets:
    """A conflict and the conditions of every minimum relaxation, without the packages
    the relaxations open (what ``accord robustness`` needs from each profile)."""

    conflict: tuple[Condition, ...]
    relaxations: tuple[tuple[Condition, ...], ...]
    complete: bool


def find_blockers(
    compiled: CompiledScenario,
    frontier_of: Callable[[CompiledScenario], Frontier] = pareto_frontier,
) -> Blockers | None:
    """``None`` when a package is feasible; otherwise the conflict and minimum relaxations.

    ``frontier_of`` builds the frontier of a relaxed game (an analysis passes its cache).
    """
    found = _blocking(compiled)
    if found is None:
        return None
    program, conditions, sets = found
    relaxations = []
    for chosen in sets.relaxations:
        opened = _opened_on_frontier(compiled, chosen, frontier_of) or egalitarian(
            compiled, _with_relaxed(program, conditions, set(chosen))
        )
        assert opened is not None
        shortfall = {
            c.party: float(compiled.reservation[c.party] - opened.utilities[c.party])
            for c in chosen
            if c.kind == "reservation"
        }
        relaxations.append(Relaxation(chosen, opened, shortfall))
    return Blockers(sets.conflict, tuple(relaxations), sets.complete)


def _opened_on_frontier(
    compiled: CompiledScenario,
    chosen: tuple[Condition, ...],
    frontier_of: Callable[[CompiledScenario], Frontier],
) -> Outcome | None:
    """The egalitarian package a relaxation opens, read off the exact frontier of the game
    with those conditions given up (``None`` when that frontier is not exact).

    Gains are still measured from the original reservation values, as in the program: the
    package is the frontier point with the largest smallest gain (ties within
    ``TIE_TOLERANCE``: the largest total gain), which is Pareto-optimal, so it is there.
    """
    dropped = {c.red_line for c in chosen if c.kind == "red_line"}
    reservation = compiled.reservation.copy()
    for condition in chosen:
        if condition.kind == "reservation":
            reservation[condition.party] = -np.inf
    game = replace(
        compiled,
        red_lines=tuple(r for i, r in enumerate(compiled.red_lines) if i not in dropped),
        reservation=reservation,
    )
    frontier = frontier_of(game)
    if not frontier.exact or not len(frontier.packages):
        return None
    voters = compiled.voter_indices
    gains = frontier.utilities[:, voters] - compiled.disagreement[voters]
    smallest, total = gains.min(axis=1), gains.sum(axis=1)
    candidates = np.flatnonzero(smallest >= smallest.max() - TIE_TOLERANCE)
    row = int(candidates[np.argmax(total[candidates])])
    return Outcome(frontier.packages[row], frontier.utilities[row])


def blocking_sets(compiled: CompiledScenario) -> BlockingSets | None:
    """What :func:`find_blockers` finds, without solving for the packages relaxations open."""
    found = _blocking(compiled)
    return None if found is None else found[2]


def _blocking(
    compiled: CompiledScenario,
) -> tuple[PackageProgram, list[Condition], BlockingSets] | None:
    program = package_program(compiled, relaxable=True)
    conditions = conditions_of(compiled, program)
    if _with_relaxed(program, conditions, set()).milp.solve({}).feasible:
        return None
    conflict = list(conditions)
    for condition in conditions:
        trial = [c for c in conflict if c != condition]
        relaxed = set(conditions) - set(trial)
        if not _with_relaxed(program, conditions, relaxed).milp.solve({}).feasible:
            conflict = trial
    relaxations, complete = _minimum_relaxations(program, conditions)
    return program, conditions, BlockingSets(tuple(conflict), tuple(relaxations), complete)


def _minimum_relaxations(
    program: PackageProgram, conditions: list[Condition]
) -> tuple[list[tuple[Condition, ...]], bool]:
    search = program.copy()
    columns = [_column(search, condition) for condition in conditions]
    cost = {column: 1.0 for column in columns}
    found: list[tuple[Condition, ...]] = []
    size: float | None = None
    while True:
        result = search.milp.solve(cost, maximize=False)
        if not result.feasible or result.values is None or result.objective is None:
            return found, True
        if size is not None and result.objective > size + 0.5:
            return found, True
        if len(found) == MAX_ALTERNATIVES:
            return found, False
        size = round(result.objective)
        relaxed = {
            c for c, col in zip(conditions, columns, strict=True) if result.values[col] > 0.5
        }
        chosen = [c for c in conditions if c in relaxed]
        found.append(tuple(chosen))
        chosen_columns = [_column(search, c) for c in chosen]
        search.milp.add_row(chosen_columns, [1.0] * len(chosen_columns), upper=len(chosen) - 1)
