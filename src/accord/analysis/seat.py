"""Seating a party: which of today's packages survive when its consent is required, and
what that costs the parties already at the table.

The *survivors* are today's feasible packages that the seated party accepts (its
reservation value met, none of its red lines crossed): the packages the agreement rule
accepts with the party added as a required voter and one more acceptance needed, so that
under a quorum the same number of today's voters must still accept. Reported exactly:

* whether today's Nash package survives;
* today's frontier points (Pareto-optimal utility vectors of today's voters) that survive,
  counted, and the best few by today's voters' Nash product. A point survives when some
  package at it survives: its representative package is checked, and where the point stands
  for several packages and the representative is rejected, one program decides (a package
  the survivors' rule accepts with each voter at least at the point, within the ties'
  tolerance: it is at the point, as nothing feasible dominates it). Only where today's
  frontier is built exactly (:func:`accord.analysis.frontier.pareto_frontier`); otherwise the
  reason is said and the points are not counted;
* what requiring its consent costs each party: its best utility over today's feasible
  packages against its best over the survivors (one exact program each). The best survivor
  need not be on today's frontier, so this is not read off the surviving points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.frontier import Frontier
from accord.analysis.program import package_program
from accord.analysis.solutions import Outcome, outcome_of
from accord.analysis.space import FloatArray
from accord.analysis.ties import TIE_TOLERANCE

BEST_SHOWN = 3
MAX_POINTS_CHECKED = 5_000  # frontier points examined; beyond, they are not counted


@dataclass(frozen=True, eq=False)
class Survivors:
    """What survives when ``party``'s consent is required."""

    party: int
    nash_survives: bool | None  # None: no deal today
    frontier_points: int | None  # today's frontier points (None: not built exactly)
    surviving_points: int | None
    best: tuple[Outcome, ...]  # surviving frontier points, best Nash product first
    best_today: FloatArray  # (P,) each party's best utility today (NaN: nothing feasible)
    best_surviving: FloatArray  # (P,) ... among the survivors (NaN: none survives)
    reason: str = ""  # why the frontier points are not counted

    @property
    def cost(self) -> FloatArray:
        """Each party's best utility today minus its best among the survivors."""
        result: FloatArray = self.best_today - self.best_surviving
        return result


def with_consent(compiled: CompiledScenario, party: int) -> CompiledScenario:
    """Today's rule with ``party`` required, as a voter whose acceptance adds to the count."""
    voters = compiled.voters.copy()
    required = compiled.required.copy()
    voters[party] = required[party] = True
    minimum = compiled.min_accept + (0 if compiled.voters[party] else 1)
    return replace(
        compiled,
        voters=voters,
        required=required,
        min_accept=minimum,
        every_package_acceptable=False,
    )


def survivors(
    compiled: CompiledScenario,
    party: int,
    today: Outcome | None,
    frontier: Frontier | None,
) -> Survivors:
    """What survives of today's packages when ``party``'s consent is required."""
    game = with_consent(compiled, party)
    best_today = _best_each(compiled, compiled)
    best_surviving = _best_each(compiled, game)
    nash_survives = None if today is None else bool(game.feasible(today.package)[0])
    if today is None:
        return Survivors(party, None, 0, 0, (), best_today, best_surviving, "no deal today")
    if frontier is None or not frontier.exact or frontier.point_count > MAX_POINTS_CHECKED:
        reason = (
            "today's frontier is not built exactly"
            + (f" ({frontier.reason})" if frontier is not None and frontier.reason else "")
            if frontier is None or not frontier.exact
            else f"today's frontier has more than {MAX_POINTS_CHECKED:,} points"
        )
        return Survivors(party, nash_survives, None, None, (), best_today, best_surviving, reason)
    surviving = []
    for index in range(frontier.point_count):
        package = frontier.packages[index]
        if game.feasible(package)[0]:
            surviving.append(outcome_of(compiled, package))
        elif frontier.multiplicity[index] > 1:
            found = _at_point(compiled, game, frontier.utilities[index])
            if found is not None:
                surviving.append(found)
    voters = compiled.voter_indices
    surviving.sort(key=lambda outcome: -_log_product(compiled, outcome.utilities[voters]))
    return Survivors(
        party,
        nash_survives,
        frontier.point_count,
        len(surviving),
        tuple(surviving[:BEST_SHOWN]),
        best_today,
        best_surviving,
    )


def _best_each(compiled: CompiledScenario, game: CompiledScenario) -> FloatArray:
    """Each of ``compiled``'s voters' best utility over the packages ``game`` accepts."""
    program = package_program(game)
    best = np.full(compiled.party_count, math.nan)
    for party in compiled.voter_indices:
        result = program.milp.solve({int(program.utility[party]): 1.0})
        if not result.feasible:
            break
        best[party] = compiled.utilities(program.package(result))[party]
    return best


def _at_point(
    compiled: CompiledScenario, game: CompiledScenario, point: FloatArray
) -> Outcome | None:
    """A package ``game`` accepts that gives each of today's voters its utility at
    ``point`` (a frontier point: nothing feasible gives more), or ``None``."""
    program = package_program(game)
    for voter in compiled.voter_indices:
        program.milp.add_row(
            [int(program.utility[voter])], [1.0], lower=float(point[voter]) - TIE_TOLERANCE
        )
    result = program.milp.solve({})
    return outcome_of(compiled, program.package(result)) if result.feasible else None


def _log_product(compiled: CompiledScenario, utilities: FloatArray) -> float:
    gains = utilities - compiled.disagreement[compiled.voter_indices]
    return float(np.log(gains).sum()) if gains.min() > 0 else -math.inf
