"""Everything the analysis says about one scenario, as plain data.

:func:`analyze` runs each analysis once and keeps the results; :meth:`Analysis.to_dict`
gives the JSON form the CLI prints (ids, not indices; numbers as floats).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from accord.analysis.anl_metrics import anl_kalai_point, anl_opposition
from accord.analysis.blockers import Blockers, Relaxation, find_blockers
from accord.analysis.blocks import block_issues, restrict, status_quo_hold
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.counting import Counts, count_packages
from accord.analysis.fairness import fairness
from accord.analysis.frontier import Frontier
from accord.analysis.frontier_cache import FrontierCache
from accord.analysis.linkage import Linkage, linkage
from accord.analysis.nash import NashResult, nash
from accord.analysis.on_frontier import solutions_on_frontier
from accord.analysis.opposition import issue_opposition
from accord.analysis.program import PackageProgram, package_program, utility_bounds
from accord.analysis.solutions import (
    Outcome,
    egalitarian,
    find_feasible,
    ideal_gains,
    kalai_smorodinsky,
    outcome_of,
    utilitarian,
)
from accord.analysis.space import FloatArray
from accord.errors import AnalysisError
from accord.scenario.model import Scenario
from accord.scenario.uncertainty import is_certain, uncertain_count

SOLUTION_NAMES = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


@dataclass(frozen=True, eq=False)
class Analysis:
    """The results of :func:`analyze` for one scenario (or one block of it)."""

    compiled: CompiledScenario
    feasible: Outcome | None
    solutions: dict[str, Outcome | None]
    nash_detail: NashResult
    frontier: Frontier
    blockers: Blockers | None
    counts: Counts
    opposition: FloatArray
    blocks: tuple[Analysis, ...]
    block_id: str | None
    held: str
    linkage: Linkage | None
    linkage_basis: str
    uncertain: dict[str, int] | None = None
    """Uncertain numbers per party when the scenario has ranges or distributions: the
    analysis is then of the nominal profile (midpoints and means)."""

    @property
    def is_feasible(self) -> bool:
        return self.feasible is not None

    def to_dict(self, frontier_points: bool = False) -> dict[str, Any]:
        compiled = self.compiled
        data: dict[str, Any] = {
            "scenario": compiled.scenario_id,
            "outcome_count": compiled.space.outcome_count,
            "parties": list(compiled.party_ids),
            "voters": [compiled.party_ids[p] for p in compiled.voter_indices],
            "required": [
                pid for pid, r in zip(compiled.party_ids, compiled.required, strict=True) if r
            ],
            "disagreement": _disagreement(compiled, self.block_id),
            "feasible": self.is_feasible,
            "feasible_count": self.counts.feasible,
            "unanimous_count": self.counts.unanimous,
            "count_note": self.counts.reason,
            "feasible_package": _outcome(compiled, self.feasible),
            "solutions": {
                name: _outcome(compiled, self.solutions[name]) for name in SOLUTION_NAMES
            },
            "nash": {
                "log_gap": self.nash_detail.log_gap,
                "rounds": self.nash_detail.rounds,
                "method": _nash_method(self),
                "note": self.nash_detail.reason,
            },
            "frontier": _frontier(compiled, self.frontier, frontier_points),
            "anl2023": _anl(compiled, self.frontier),
            "blockers": _blockers(compiled, self.blockers),
            "relaxations": _relaxations(compiled, self.blockers),
            "relaxations_complete": self.blockers is None or self.blockers.complete,
            "opposition": {
                issue: float(value)
                for issue, value in zip(compiled.space.issue_ids, self.opposition, strict=True)
            },
        }
        if self.uncertain is not None:
            # Only for uncertain input, so that a certain scenario's report is unchanged.
            data["uncertain_preferences"] = {
                "parameters": dict(self.uncertain),
                "note": "analysis of the nominal profile (midpoints of ranges, means of "
                "distributions); accord robustness draws profiles from them",
            }
        if self.block_id is not None:
            data["block"] = self.block_id
            data["held"] = self.held
        else:
            data["blocks"] = [
                block.to_dict(frontier_points=False) | {"title": title, "held": block.held}
                for block, (_, title, _) in zip(self.blocks, compiled.blocks, strict=True)
            ]
            data["linkage"] = _linkage(compiled, self.linkage, self.linkage_basis)
        return data


def analyze(
    scenario: Scenario | CompiledScenario,
    block: str | None = None,
    ignore_reservation: bool = False,
    frontier_limit: int = 100_000,
) -> Analysis:
    """Feasibility, solutions, frontier, blockers, blocks and linkage of ``scenario``."""
    if isinstance(scenario, Scenario) and not is_certain(scenario):
        nominal = analyze(compile_scenario(scenario), block, ignore_reservation, frontier_limit)
        return replace(nominal, uncertain=uncertain_count(scenario))
    compiled = scenario if isinstance(scenario, CompiledScenario) else compile_scenario(scenario)
    frontiers = FrontierCache(frontier_limit)
    if ignore_reservation:
        compiled = compiled.ignoring_reservation()
    if block is not None:
        known = [identifier for identifier, _, _ in compiled.blocks]
        if block not in known:
            raise AnalysisError(f"unknown block '{block}' (blocks: {', '.join(known) or 'none'})")
        index = known.index(block)
        game = restrict(
            compiled,
            block_issues(compiled, block),
            status_quo_hold(compiled),
            compiled.block_participants[index],
        )
        return _analyze_one(game, frontiers, block, _held_description(compiled, block))
    whole = _analyze_one(compiled, frontiers, None, "")
    blocks = tuple(
        _analyze_one(
            restrict(compiled, issues, status_quo_hold(compiled), compiled.block_participants[i]),
            frontiers,
            identifier,
            _held_description(compiled, identifier),
        )
        for i, (identifier, _, issues) in enumerate(compiled.blocks)
    )
    link_game, basis = compiled, "as given"
    linked = whole.nash_detail
    if whole.blockers is not None and whole.blockers.relaxations:
        relaxation = whole.blockers.relaxations[0]
        link_game = relaxed(compiled, relaxation)
        relaxed_conditions = "; ".join(
            f"{compiled.party_names[c.party]}: {c.label}" for c in relaxation.conditions
        )
        basis = f"no package is feasible as given; computed with {relaxed_conditions} relaxed"
        linked = nash_of(link_game, frontier_of=frontiers)
    return replace(
        whole,
        blocks=blocks,
        linkage=linkage(
            link_game,
            linked.outcome,
            linked.reason,
            settle=lambda game: nash_of(game, frontier_of=frontiers),
        ),
        linkage_basis=basis,
    )


def nash_of(
    compiled: CompiledScenario,
    frontier_limit: int = 100_000,
    frontier_of: Callable[[CompiledScenario], Frontier] | None = None,
) -> NashResult:
    """The Nash solution, read off the exact frontier where it has one, else by programs.

    A frontier of a few thousand points costs milliseconds; the programs' outer
    approximation costs a dozen HiGHS solves. Both give the exact maximum. ``frontier_of``
    builds the frontier (by default :func:`pareto_frontier` with ``frontier_limit``).
    """
    frontier = (frontier_of or FrontierCache(frontier_limit))(compiled)
    if frontier.exact and not len(frontier.packages):
        return NashResult(None, 0.0, 0, "no package is feasible")
    if frontier.exact:
        return solutions_on_frontier(compiled, frontier)[1]
    return nash(compiled)


def relaxed(compiled: CompiledScenario, relaxation: Relaxation) -> CompiledScenario:
    """The scenario with the relaxation's conditions given up.

    A relaxed red line is dropped; a relaxed reservation value falls to the least utility
    the party can get, so that any package is acceptable to it.
    """
    dropped = {c.red_line for c in relaxation.conditions if c.kind == "red_line"}
    reservation = compiled.reservation.copy()
    low, _ = utility_bounds(compiled)
    for condition in relaxation.conditions:
        if condition.kind == "reservation":
            reservation[condition.party] = low[condition.party]
    return replace(
        compiled,
        red_lines=tuple(r for i, r in enumerate(compiled.red_lines) if i not in dropped),
        reservation=reservation,
    )


def _analyze_one(
    compiled: CompiledScenario,
    frontiers: Callable[[CompiledScenario], Frontier],
    block_id: str | None,
    held: str,
) -> Analysis:
    frontier = frontiers(compiled)
    # An exact, empty frontier already says that nothing is feasible: no program needed.
    empty = frontier.exact and not len(frontier.packages)
    built: list[PackageProgram] = []

    def program_() -> PackageProgram:
        # Built on first use: a game whose answers all come off its frontier needs none.
        if not built:
            built.append(package_program(compiled))
        return built[0]

    if empty:
        feasible = None
    elif frontier.exact:
        # Some feasible package, to show that one exists: the frontier's first (each of its
        # packages is feasible), so that a game whose answers all come off its exact
        # frontier solves no program and never loads HiGHS.
        feasible = outcome_of(compiled, frontier.packages[0])
    else:
        feasible = find_feasible(compiled, program_())
    blockers = None
    if feasible is None:
        solutions: dict[str, Outcome | None] = dict.fromkeys(SOLUTION_NAMES)
        nash_detail = NashResult(None, 0.0, 0, "no package is feasible")
        blockers = find_blockers(compiled, frontier_of=frontiers, known_infeasible=empty)
    elif frontier.exact and len(frontier.packages):
        # Every solution is a maximum over the exact frontier: no program needed.
        solutions, nash_detail, _ = solutions_on_frontier(compiled, frontier)
    else:
        program = program_()
        ideal = ideal_gains(compiled, program)
        fair = egalitarian(compiled, program)
        nash_detail = nash(compiled, program, fair=fair, ideal=ideal)
        solutions = {
            "nash": nash_detail.outcome,
            "kalai_smorodinsky": kalai_smorodinsky(compiled, program, ideal=ideal),
            "egalitarian": fair,
            "utilitarian": utilitarian(compiled, program),
        }
    return Analysis(
        compiled=compiled,
        feasible=feasible,
        solutions=solutions,
        nash_detail=nash_detail,
        frontier=frontier,
        blockers=blockers,
        # Nothing feasible: nothing to count (every unanimous package is feasible too).
        counts=count_packages(compiled) if feasible is not None else Counts(0, 0),
        opposition=issue_opposition(compiled),
        blocks=(),
        block_id=block_id,
        held=held,
        linkage=None,
        linkage_basis="",
    )


def _nash_method(analysis: Analysis) -> str:
    if analysis.nash_detail.outcome is None:
        return "none"
    if analysis.nash_detail.rounds == 0:
        return "maximum over the exact frontier"
    return "outer approximation (exact programs)"


def _disagreement(compiled: CompiledScenario, block_id: str | None) -> str:
    # A block game measures gains from the block's own disagreement point, also when every
    # package is acceptable (restrict() sets it as the reservation of the block game).
    if block_id is not None:
        if all(h is not None for h in compiled.status_quo):
            return "the block's status quo"
        return "each party's worst package of the block"
    if compiled.every_package_acceptable:
        return "zero (every package acceptable)"
    return "reservation values"


def _held_description(compiled: CompiledScenario, block: str) -> str:
    inside = set(block_issues(compiled, block))
    outside = [i for i in range(compiled.space.issue_count) if i not in inside]
    unheld = [compiled.space.issue_ids[i] for i in outside if compiled.status_quo[i] is None]
    if not outside:
        return "no other issues"
    if not unheld:
        return "other issues held at their status quo"
    return (
        "other issues held at their status quo; no status quo for "
        + ", ".join(unheld)
        + ", so terms linking the block to them are left out"
    )


def _outcome(compiled: CompiledScenario, outcome: Outcome | None) -> dict[str, Any] | None:
    if outcome is None:
        return None
    return {
        "package": compiled.space.package_dict(outcome.package),
        "utilities": _by_party(compiled, outcome.utilities),
        "fairness": fairness(compiled, outcome.utilities).to_dict(),
    }


def _by_party(compiled: CompiledScenario, values: FloatArray) -> dict[str, float]:
    return {pid: float(v) for pid, v in zip(compiled.party_ids, values, strict=True)}


def _frontier(compiled: CompiledScenario, frontier: Frontier, points: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "size": frontier.size,
        "exact": frontier.exact,
        "epsilon": None if np.isinf(frontier.epsilon) else frontier.epsilon,
        "point_count": frontier.point_count,
        "note": frontier.reason,
    }
    if frontier.exact and frontier.size is None:
        data["note"] = frontier.reason
    if points:
        data["points"] = [
            {
                "package": compiled.space.package_dict(package),
                "utilities": _by_party(compiled, utilities),
                "packages": multiplicity,
            }
            for package, utilities, multiplicity in zip(
                frontier.packages, frontier.utilities, frontier.multiplicity, strict=True
            )
        ]
    return data


def _anl(compiled: CompiledScenario, frontier: Frontier) -> dict[str, Any] | None:
    """The ANL 2023 organisers' "Kalai" point and "opposition" (two voters, exact frontier).

    Computed on this analysis's frontier: with ``--ignore-reservation`` that is the
    organisers' convention (every outcome counts).
    """
    voters = tuple(int(p) for p in compiled.voter_indices)
    if len(voters) != 2 or not frontier.exact or not len(frontier.packages):
        return None
    pair = (voters[0], voters[1])
    return {
        "kalai": _outcome(compiled, anl_kalai_point(frontier, pair)),
        "opposition": anl_opposition(frontier, pair),
    }


def _condition(compiled: CompiledScenario, kind: str, party: int, label: str) -> dict[str, Any]:
    return {
        "party": compiled.party_ids[party],
        "party_name": compiled.party_names[party],
        "kind": kind,
        "label": label,
    }


def _blockers(compiled: CompiledScenario, blockers: Blockers | None) -> list[dict[str, Any]]:
    if blockers is None:
        return []
    return [_condition(compiled, c.kind, c.party, c.label) for c in blockers.conflict]


def _relaxations(compiled: CompiledScenario, blockers: Blockers | None) -> list[dict[str, Any]]:
    if blockers is None:
        return []
    return [
        {
            "relax": [_condition(compiled, c.kind, c.party, c.label) for c in r.conditions],
            "opens": _outcome(compiled, r.outcome),
            "reservation_shortfall": {
                compiled.party_ids[p]: value for p, value in r.shortfall.items()
            },
        }
        for r in blockers.relaxations
    ]


def _linkage(compiled: CompiledScenario, link: Linkage | None, basis: str) -> dict[str, Any]:
    if link is None:
        return {"gains": None, "reason": "not computed"}
    return {
        "basis": basis,
        "gains": None if link.gains is None else _by_party(compiled, link.gains),
        "separate": _outcome(compiled, link.separate),
        "separate_feasible": link.separate_feasible,
        "linked": _outcome(compiled, link.linked),
        "reason": link.reason,
    }
