"""One-point moves: every package that differs from a given one on a single point, with
every party's utility and acceptance of it, evaluated together.

A move sets issue ``i`` to option ``k`` (one flat option, ``offsets[i] + k``). A conjunction
(an interaction term or a red line) holds when each of its issues takes a listed option;
``satisfied[c, f]`` says whether flat option ``f`` satisfies conjunction ``c``'s clauses on
its issue (true when ``c`` has no clause there). A package's conjunction holds when no issue
fails, so after a move on issue ``i`` it holds exactly when the failures elsewhere are zero
and the new option satisfies ``c`` on ``i``: one count per conjunction answers every move.

:func:`nash_climb` uses the moves for a local search on the voters' Nash product, and
:class:`NashStarts` starts it from the best package met so far: a starting guess for exact
programs (:func:`accord.analysis.nash.nash` proves or corrects it), never an answer on its
own. Related programs (coalitions, agenda changes) have Nash packages near each other's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from accord.analysis.cap import capped
from accord.analysis.compiled import CompiledScenario
from accord.analysis.nash import POSITIVE_GAIN
from accord.analysis.solutions import Outcome, outcome_of
from accord.analysis.space import BoolArray, FloatArray, IntArray

ACCEPT_TOLERANCE = 1e-9  # as CompiledScenario.acceptance
MAX_CLIMB_STEPS = 200


@dataclass(frozen=True, eq=False)
class MoveTable:
    """What every one-point move does, precomputed once per scenario."""

    compiled: CompiledScenario
    issue_of_flat: IntArray  # (F,)
    option_of_flat: IntArray  # (F,)
    satisfied: BoolArray  # (T + L, F): terms, then red lines
    red_line_party: IntArray  # (L,)


def move_table(compiled: CompiledScenario) -> MoveTable:
    space = compiled.space
    issue_of_flat = space.issue_of_flat()
    option_of_flat = np.arange(space.flat_size, dtype=np.int64) - space.offsets[issue_of_flat]
    conjunctions = [*compiled.terms, *(line.clauses for line in compiled.red_lines)]
    satisfied = np.ones((len(conjunctions), space.flat_size), dtype=np.bool_)
    for row, clauses in enumerate(conjunctions):
        for issue, options in clauses:
            start = int(space.offsets[issue])
            listed = np.zeros(int(space.option_counts[issue]), dtype=np.bool_)
            listed[list(options)] = True
            satisfied[row, start : start + len(listed)] &= listed
    parties = np.array([line.party for line in compiled.red_lines], dtype=np.int64)
    return MoveTable(compiled, issue_of_flat, option_of_flat, satisfied, parties)


def one_point_moves(table: MoveTable, package: IntArray) -> tuple[IntArray, FloatArray, BoolArray]:
    """Every move away from ``package``: the flat option set ``(M,)``, every party's
    utility ``(P, M)`` and acceptance ``(P, M)`` of the moved package."""
    compiled = table.compiled
    chosen = compiled.space.offsets + package  # flat options of the package
    moves = np.setdiff1d(np.arange(compiled.space.flat_size), chosen)
    replaced = chosen[table.issue_of_flat[moves]]  # the option each move gives up
    failing = ~table.satisfied[:, chosen]  # (C, I)
    failures = failing.sum(axis=1)  # (C,)
    after = failures[:, None] - failing[:, table.issue_of_flat[moves]] + ~table.satisfied[:, moves]
    holds = after == 0  # (C, M)
    terms = len(compiled.terms)
    utilities = (
        compiled.constant[:, None]
        + compiled.linear[:, chosen].sum(axis=1)[:, None]
        + compiled.linear[:, moves]
        - compiled.linear[:, replaced]
    )
    if terms:
        utilities = utilities + compiled.term_values @ holds[:terms].astype(np.float64)
    if compiled.cap is not None:
        utilities = capped(utilities, compiled.cap[:, None])
    if compiled.every_package_acceptable:
        return moves, utilities, np.ones(utilities.shape, dtype=np.bool_)
    accepts = utilities >= compiled.reservation[:, None] - ACCEPT_TOLERANCE
    for line, crossed in zip(table.red_line_party, holds[terms:], strict=True):
        accepts[line] &= ~crossed
    return moves, utilities, accepts


def moved(table: MoveTable, package: IntArray, flat_option: int) -> IntArray:
    result = package.copy()
    result[int(table.issue_of_flat[flat_option])] = int(table.option_of_flat[flat_option])
    return result


def rule_met(game: CompiledScenario, accepts: BoolArray) -> BoolArray:
    """``(N,)``: whether the game's agreement rule accepts each column of ``accepts``."""
    if game.every_package_acceptable:
        return np.ones(accepts.shape[1], dtype=np.bool_)
    met: BoolArray = accepts[game.required].all(axis=0) & (
        accepts[game.voters].sum(axis=0) >= game.min_accept
    )
    return met


def log_nash_products(
    game: CompiledScenario, utilities: FloatArray, accepts: BoolArray
) -> FloatArray:
    """``(N,)``: the sum of the game's voters' log gains over their disagreement points for
    each column, ``-inf`` where the rule rejects the package or a voter does not gain."""
    voters = game.voter_indices
    gains = utilities[voters] - game.disagreement[voters][:, None]
    valid = rule_met(game, accepts) & (gains > 0).all(axis=0)
    logs = np.log(np.where(gains > 0, gains, 1.0)).sum(axis=0)
    result: FloatArray = np.where(valid, logs, -math.inf)
    return result


def nash_climb(
    table: MoveTable, game: CompiledScenario, package: IntArray, frozen: tuple[int, ...] = ()
) -> IntArray:
    """From ``package``, the best one-point move on the game's Nash product while one
    improves it, never moving a ``frozen`` issue (a local optimum, or ``package`` itself).

    ``game`` has the utilities of ``table``'s scenario and its own voters and rule."""
    current = package.copy()
    utilities = game.utilities(current)[:, None]
    value = float(log_nash_products(game, utilities, game.acceptance(current))[0])
    for _ in range(MAX_CLIMB_STEPS):
        moves, utilities, accepts = one_point_moves(table, current)
        keep = ~np.isin(table.issue_of_flat[moves], frozen)
        if not keep.any():
            break
        moves, utilities, accepts = moves[keep], utilities[:, keep], accepts[:, keep]
        values = log_nash_products(game, utilities, accepts)
        best = int(np.argmax(values))
        if not values[best] > value + 1e-12:
            break
        current, value = moved(table, current, int(moves[best])), float(values[best])
    return current


class NashStarts:
    """Packages met so far, and for a game the best of them on its Nash product, improved by
    one-point moves: a start for :func:`accord.analysis.nash.nash`, which proves or corrects
    it. Every game shares the scenario's utilities; each has its own voters and rule."""

    def __init__(self, compiled: CompiledScenario) -> None:
        self.compiled = compiled
        self.table = move_table(compiled)
        self.packages = np.zeros((0, compiled.space.issue_count), dtype=np.int64)

    def add(self, package: IntArray) -> None:
        counts = self.compiled.space.option_counts
        assert package.shape == counts.shape and (package >= 0).all() and (package < counts).all()
        self.packages = np.vstack((self.packages, package))

    def start(
        self, game: CompiledScenario, fixed: Mapping[int, int] | None = None
    ) -> Outcome | None:
        """A package the game's rule accepts giving each voter a gain, or ``None``; the
        issues in ``fixed`` take the given options."""
        if not len(self.packages):
            return None
        rows = self.packages.copy()
        for issue, option in (fixed or {}).items():
            rows[:, issue] = option
        values = log_nash_products(game, game.utilities(rows), game.acceptance(rows))
        start = rows[int(np.argmax(values))]
        guess = outcome_of(game, nash_climb(self.table, game, start, tuple(fixed or ())))
        voters = game.voter_indices
        gains = guess.utilities[voters] - game.disagreement[voters]
        if bool(game.feasible(guess.package)[0]) and gains.min() > POSITIVE_GAIN:
            return guess
        return None
