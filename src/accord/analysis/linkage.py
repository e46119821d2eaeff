"""What linking the blocks gains over settling each block on its own.

*Separately*: each block is settled by its own Nash solution (:mod:`accord.analysis.blocks`:
the other issues held at their status quo, the block's disagreement point at its own status
quo), and the block settlements are put together into one package. *Linked*: the Nash
solution of the whole package. A party's linkage gain is its utility of the linked package
minus its utility of the separate one: positive gains for all are the logrolling that
"nothing is agreed until everything is agreed" makes possible.

A block's Nash solution is read off the block's exact frontier when it can be built (the
maximum of the product of gains over its points, as :mod:`accord.analysis.on_frontier`
does), so that no programs are solved for it; only a block whose frontier is not exact
falls back on :func:`accord.analysis.nash.nash`. A scenario without blocks has nothing to
settle separately, and nothing is computed for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from accord.analysis.blocks import restrict, status_quo_hold, unblocked_issues
from accord.analysis.compiled import CompiledScenario
from accord.analysis.frontier import pareto_frontier
from accord.analysis.nash import NashResult, nash
from accord.analysis.on_frontier import solutions_on_frontier
from accord.analysis.solutions import Outcome, outcome_of
from accord.analysis.space import FloatArray


@dataclass(frozen=True, eq=False)
class BlockSettlement:
    block_id: str
    issues: tuple[int, ...]
    outcome: Outcome | None  # the block's own Nash package (block-local options) or None
    reason: str = ""


@dataclass(frozen=True, eq=False)
class Linkage:
    settlements: tuple[BlockSettlement, ...]
    separate: Outcome | None
    separate_feasible: bool
    linked: Outcome | None
    gains: FloatArray | None  # (P,) linked minus separate
    reason: str = ""


def block_settlements(
    compiled: CompiledScenario, settle: Callable[[CompiledScenario], NashResult] | None = None
) -> list[BlockSettlement]:
    """Each block's Nash settlement on its own (issues in no block form one more group).

    ``settle`` finds a block game's Nash solution (by default :func:`block_nash`: off the
    block's exact frontier where it has one, else by programs).
    """
    settle = settle or block_nash
    hold = status_quo_hold(compiled)
    groups = [
        (identifier, issues, compiled.block_participants[index])
        for index, (identifier, _, issues) in enumerate(compiled.blocks)
    ]
    rest = unblocked_issues(compiled)
    if rest:
        groups.append(("(no block)", rest, None))
    settlements = []
    for identifier, issues, participants in groups:
        game = restrict(compiled, issues, hold, participants)
        result = settle(game)
        if result.outcome is None:
            # Nobody can gain over the block's disagreement point: the block stays put.
            fallback = _status_quo_of(game)
            reason = result.reason
            outcome = outcome_of(game, fallback) if fallback is not None else None
            settlements.append(BlockSettlement(identifier, issues, outcome, reason))
        else:
            settlements.append(BlockSettlement(identifier, issues, result.outcome))
    return settlements


def block_nash(game: CompiledScenario) -> NashResult:
    """The Nash solution of one block's game: off its exact frontier, else by programs."""
    frontier = pareto_frontier(game)
    if frontier.exact and frontier.point_count:
        return solutions_on_frontier(game, frontier)[1]
    if frontier.exact:
        return NashResult(None, 0.0, 0, "no package is feasible")
    return nash(game)


def _status_quo_of(game: CompiledScenario) -> np.ndarray | None:
    if all(h is not None for h in game.status_quo):
        return np.array(game.status_quo, dtype=np.int64)
    return None


def linkage(
    compiled: CompiledScenario,
    linked: Outcome | None,
    why_not_linked: str = "",
    settle: Callable[[CompiledScenario], NashResult] | None = None,
) -> Linkage:
    """Compare the block-by-block settlement with the linked package ``linked``.

    ``why_not_linked`` says why ``linked`` is ``None`` when it is; ``settle`` is passed on
    to :func:`block_settlements`.
    """
    if not compiled.blocks:
        return Linkage((), None, False, linked, None, "the scenario has no blocks")
    settlements = tuple(block_settlements(compiled, settle))
    if any(s.outcome is None for s in settlements):
        missing = ", ".join(s.block_id for s in settlements if s.outcome is None)
        return Linkage(
            settlements,
            None,
            False,
            linked,
            None,
            f"block(s) {missing} have no settlement and no status quo to fall back on",
        )
    package = np.zeros(compiled.space.issue_count, dtype=np.int64)
    for settlement in settlements:
        assert settlement.outcome is not None
        package[list(settlement.issues)] = settlement.outcome.package
    separate = outcome_of(compiled, package)
    feasible = bool(compiled.feasible(package)[0])
    if linked is None:
        reason = why_not_linked or "no linked package"
        return Linkage(settlements, separate, feasible, None, None, reason)
    return Linkage(settlements, separate, feasible, linked, linked.utilities - separate.utilities)
