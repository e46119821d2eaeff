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
from accord.analysis.red_lines import avoiding_package
from accord.analysis.solutions import Outcome, egalitarian
from accord.analysis.space import IntArray
from accord.analysis.ties import TIE_TOLERANCE

MAX_ALTERNATIVES = 8
# Packages a pool shared across profiles keeps (the most recent): each is tried in every
# profile before a program is solved, so the pool stays small.
MAX_KNOWN_PACKAGES = 16


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
    known_infeasible: bool = False,
) -> Blockers | None:
    """``None`` when a package is feasible; otherwise the conflict and minimum relaxations.

    ``frontier_of`` builds the frontier of a relaxed game (an analysis passes its cache);
    ``known_infeasible`` says the caller knows no package is feasible (its exact frontier
    is empty), which is then not solved for again.
    """
    found = _blocking(compiled, known_infeasible=known_infeasible)
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


def blocking_sets(
    compiled: CompiledScenario,
    known_packages: list[IntArray] | None = None,
    known_infeasible: bool = False,
) -> BlockingSets | None:
    """What :func:`find_blockers` finds, without solving for the packages relaxations open.

    ``known_packages`` is a pool of packages shared by calls on games of one scenario (the
    profiles ``accord robustness`` draws): a package found feasible for one profile is
    tried, exactly, in the next before any program is solved; new ones are added to it.
    ``known_infeasible`` is as for :func:`find_blockers`.
    """
    found = _blocking(compiled, known_packages, known_infeasible)
    return None if found is None else found[2]


class _Feasibility:
    """Whether some package meets a set of kept conditions (the others relaxed).

    A program is solved only when what is already known cannot tell: a set containing
    one found infeasible is infeasible (more conditions only cut more packages), and a
    set that a known package meets exactly (each kept red line uncrossed, each kept
    reservation value reached without tolerance) is feasible, and under unanimity a set
    of red lines alone is settled by enumeration (:mod:`accord.analysis.red_lines`). The
    answers are the programs' own, so the deletion filter keeps the same conflict with
    fewer solves.
    """

    def __init__(
        self,
        compiled: CompiledScenario,
        program: PackageProgram,
        conditions: list[Condition],
        known_packages: list[IntArray] | None,
    ) -> None:
        self.compiled = compiled
        self.program = program
        self.conditions = conditions
        self.infeasible: list[frozenset[Condition]] = []
        self.packages = known_packages if known_packages is not None else []
        self._met = self._meets(np.array(self.packages)) if self.packages else []

    def __call__(self, kept: frozenset[Condition]) -> bool:
        if any(found <= kept for found in self.infeasible):
            return False
        if any(kept <= met for met in self._met):
            return True
        if self.compiled.is_unanimity and all(c.kind == "red_line" for c in kept):
            # Red lines alone: whether they can all be avoided depends on no number.
            try:
                package = avoiding_package(self.compiled, [c.red_line for c in kept])
            except LookupError:
                self.infeasible.append(kept)
                return False
            if package is not None:
                self.learn(package)
                return True
        relaxed = set(self.conditions) - kept
        result = _with_relaxed(self.program, self.conditions, relaxed).milp.solve({})
        if not result.feasible:
            self.infeasible.append(kept)
            return False
        self.learn(self.program.package(result))
        return True

    def learn(self, package: IntArray) -> None:
        if len(self.packages) >= MAX_KNOWN_PACKAGES:
            del self.packages[0]
            del self._met[0]
        self.packages.append(package)
        self._met += self._meets(package.reshape(1, -1))

    def _meets(self, packages: IntArray) -> list[frozenset[Condition]]:
        """The conditions each package (a row) meets in this game, exactly."""
        compiled = self.compiled
        utilities = compiled.utilities(packages)
        crossed = compiled.crossed_red_lines(packages)
        return [
            frozenset(
                c
                for c in self.conditions
                if (c.kind == "red_line" and not crossed[c.red_line, row])
                or (
                    c.kind == "reservation"
                    and utilities[c.party, row] >= compiled.reservation[c.party]
                )
            )
            for row in range(len(packages))
        ]


def _blocking(
    compiled: CompiledScenario,
    known_packages: list[IntArray] | None = None,
    known_infeasible: bool = False,
) -> tuple[PackageProgram, list[Condition], BlockingSets] | None:
    program = package_program(compiled, relaxable=True)
    conditions = conditions_of(compiled, program)
    feasible = _Feasibility(compiled, program, conditions, known_packages)
    if known_infeasible:
        feasible.infeasible.append(frozenset(conditions))
    if feasible(frozenset(conditions)):
        return None
    conflict = list(conditions)
    for position, condition in enumerate(conditions):
        kept_reservations = frozenset(c for c in conflict if c.kind == "reservation")
        if position and condition.kind != conditions[position - 1].kind and kept_reservations:
            # Reservation values come first: every later trial keeps the ones still in the
            # conflict. If they alone cannot hold, every red line is dropped unsolved.
            feasible(kept_reservations)
        trial = [c for c in conflict if c != condition]
        if not feasible(frozenset(trial)):
            conflict = trial
    relaxations, complete = _minimum_relaxations(program, conditions, conflict, feasible)
    return program, conditions, BlockingSets(tuple(conflict), tuple(relaxations), complete)


def _minimum_relaxations(
    program: PackageProgram,
    conditions: list[Condition],
    conflict: list[Condition],
    feasible: _Feasibility,
) -> tuple[list[tuple[Condition, ...]], bool]:
    """Every smallest relaxation: those of one condition in the conflict's order, larger
    ones in the order the solver finds them.

    Each relaxation gives up a condition of ``conflict`` (which cannot hold by itself), so
    the relaxations of one condition are the conflict's conditions whose loss alone opens
    a deal: asked of ``feasible`` one by one, most are answered by the packages the
    deletion filter met, where the program that minimises the conditions given up costs
    a solve per relaxation, and one more to prove there is no other.
    """
    everything = frozenset(conditions)
    single: list[tuple[Condition, ...]] = [(c,) for c in conflict if feasible(everything - {c})]
    if single:
        return single[:MAX_ALTERNATIVES], len(single) <= MAX_ALTERNATIVES
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
        feasible.learn(search.package(result))
        chosen_columns = [_column(search, c) for c in chosen]
        search.milp.add_row(chosen_columns, [1.0] * len(chosen_columns), upper=len(chosen) - 1)
