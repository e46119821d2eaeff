"""Mixed-integer programs over packages, solved exactly by HiGHS.

A package is a 0/1 vector ``x`` over the flat option axis with one option per issue. A
conjunction term ``y`` (an interaction that holds when several issues take given options)
is linearised exactly (:func:`add_package_polytope`), so every utility is a linear
expression in ``(x, y)``. :class:`PackageProgram` builds that
polytope plus the agreement rule; callers add their own columns, rows and objective.

Solver tolerances are tightened far below HiGHS's defaults (relative MIP gap 0) so that
an optimum is an optimum; every package returned is re-evaluated in numpy by the caller.
HiGHS is imported by the first solve: an analysis that reads every answer off an exact
frontier never loads it.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.space import BoolArray, FloatArray, IntArray, JoinedIssues, OutcomeSpace

if TYPE_CHECKING:
    from accord.analysis.compiled import Clauses

INF = math.inf  # HiGHS's kHighsInf
FEASIBILITY_TOLERANCE = 1e-9
_SILENCED = False


def _new_highs() -> Any:
    """A silent HiGHS instance (the first one in a process prints a banner on stdout)."""
    import highspy

    global _SILENCED
    if not _SILENCED:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            solver = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _SILENCED = True
    else:
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.setOptionValue("mip_abs_gap", 1e-12)
    solver.setOptionValue("mip_feasibility_tolerance", FEASIBILITY_TOLERANCE)
    solver.setOptionValue("primal_feasibility_tolerance", FEASIBILITY_TOLERANCE)
    solver.setOptionValue("threads", 1)
    return solver


@dataclass(frozen=True)
class MilpResult:
    """Column values and objective of an optimal solution, or ``None`` values if infeasible."""

    values: FloatArray | None
    objective: float | None

    @property
    def feasible(self) -> bool:
        return self.values is not None


@dataclass
class Milp:
    """A small builder for a mixed-integer linear program."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    entries: list[tuple[int, int, float]] = field(default_factory=list)

    def add_columns(self, count: int, lower: float, upper: float, integer: bool) -> IntArray:
        start = len(self.lower)
        self.lower += [lower] * count
        self.upper += [upper] * count
        self.integer += [integer] * count
        return np.arange(start, start + count, dtype=np.int64)

    def add_row(
        self,
        columns: IntArray | list[int],
        coefficients: FloatArray | list[float],
        lower: float = -INF,
        upper: float = INF,
    ) -> int:
        row = len(self.row_lower)
        # HiGHS rejects a matrix with two entries in one place: a repeated column adds up.
        merged: dict[int, float] = {}
        for column, coefficient in zip(columns, coefficients, strict=True):
            merged[int(column)] = merged.get(int(column), 0.0) + float(coefficient)
        for column, coefficient in merged.items():
            if coefficient != 0:
                self.entries.append((row, column, coefficient))
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        return row

    def copy(self) -> Milp:
        return Milp(
            list(self.lower),
            list(self.upper),
            list(self.integer),
            list(self.row_lower),
            list(self.row_upper),
            list(self.entries),
        )

    def solve(
        self, cost: dict[int, float], maximize: bool = True, presolve: bool = True
    ) -> MilpResult:
        """Optimise ``sum(cost[c] * column c)``; an empty cost finds any feasible point.

        HiGHS's presolve has stopped with "solve error" on some small package programs,
        and (rarely) called feasible ones infeasible; a solve error is retried without it,
        and callers that must not miss a point (the frontier sweep) turn it off.
        """
        columns = len(self.lower)
        if columns == 0:
            # Nothing to choose (every issue has one option): HiGHS answers "Empty" rather
            # than solving; the empty point is feasible when every row admits 0.
            admits_zero = all(
                low <= 0.0 <= high for low, high in zip(self.row_lower, self.row_upper, strict=True)
            )
            return MilpResult(np.zeros(0), 0.0) if admits_zero else MilpResult(None, None)
        import highspy

        lp = highspy.HighsLp()
        lp.num_col_ = columns
        lp.num_row_ = len(self.row_lower)
        objective = np.zeros(columns)
        for column, coefficient in cost.items():
            objective[column] = coefficient
        lp.col_cost_ = objective
        lp.col_lower_ = np.array(self.lower)
        lp.col_upper_ = np.array(self.upper)
        lp.row_lower_ = np.array(self.row_lower)
        lp.row_upper_ = np.array(self.row_upper)
        lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        starts, indices, values = _column_wise(self.entries, columns)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = indices
        lp.a_matrix_.value_ = values
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in self.integer
        ]
        solver = _new_highs()
        if not presolve:
            solver.setOptionValue("presolve", "off")
        if solver.passModel(lp) == highspy.HighsStatus.kError:
            # A refused model leaves the solver empty: it would answer "Empty", not why.
            raise RuntimeError(
                f"HiGHS refused a program of {columns} columns and {len(self.row_lower)} rows"
            )
        solver.run()
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return MilpResult(None, None)
        if status != highspy.HighsModelStatus.kOptimal and presolve:
            return self.solve(cost, maximize, presolve=False)
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS stopped with status {solver.modelStatusToString(status)}")
        solution = np.array(solver.getSolution().col_value)
        return MilpResult(solution, float(solver.getInfo().objective_function_value))


def _column_wise(
    entries: list[tuple[int, int, float]], columns: int
) -> tuple[IntArray, IntArray, FloatArray]:
    if not entries:
        return np.zeros(columns + 1, dtype=np.int64), np.zeros(0, np.int64), np.zeros(0)
    array = np.array(entries)
    order = np.lexsort((array[:, 0], array[:, 1]))
    rows = array[order, 0].astype(np.int64)
    cols = array[order, 1].astype(np.int64)
    starts = np.searchsorted(cols, np.arange(columns + 1)).astype(np.int64)
    return starts, rows, array[order, 2]


def add_package_polytope(
    milp: Milp, space: OutcomeSpace, terms: tuple[Clauses, ...]
) -> tuple[IntArray, IntArray]:
    """Columns ``x`` (one per option, one option per issue) and ``y`` (one per term).

    ``y`` is 1 exactly when its term holds: with ``s_i`` the sum of the ``x`` of clause
    ``i``'s options (0 or 1, as one option per issue is chosen), ``y <= s_i`` for every
    clause and ``y >= sum_i s_i - (k - 1)`` for ``k`` clauses.
    """
    x = milp.add_columns(space.flat_size, 0.0, 1.0, True)
    for start, count in zip(space.offsets, space.option_counts, strict=True):
        milp.add_row(x[start : start + count], [1.0] * int(count), 1.0, 1.0)
    y = milp.add_columns(len(terms), 0.0, 1.0, False)
    for column, clauses in zip(y, terms, strict=True):
        every: list[int] = []
        for issue, options in clauses:
            chosen = [int(x[space.flat(issue, option)]) for option in options]
            every += chosen
            milp.add_row([int(column), *chosen], [1.0] + [-1.0] * len(chosen), upper=0.0)
        milp.add_row([int(column), *every], [1.0] + [-1.0] * len(every), lower=1.0 - len(clauses))
    return x, y


def best_package_value(
    space: OutcomeSpace, linear: FloatArray, terms: tuple[Clauses, ...], term_values: FloatArray
) -> float:
    """The highest value of ``linear . x + term_values . y`` over all packages (exact)."""
    per_issue_best = sum(
        float(linear[start : start + count].max())
        for start, count in zip(space.offsets, space.option_counts, strict=True)
    )
    if not np.any(term_values):
        return per_issue_best
    enumerated = _best_by_groups(space, linear, terms, term_values)
    if enumerated is not None:
        return enumerated
    milp = Milp()
    x, y = add_package_polytope(milp, space, terms)
    cost = {int(c): float(v) for c, v in zip(x, linear, strict=True)}
    cost.update({int(c): float(v) for c, v in zip(y, term_values, strict=True)})
    result = milp.solve(cost, maximize=True)
    assert result.objective is not None
    return result.objective


MAX_ENUMERATED_GROUP = 250_000
"""Packages of one group of joined issues that :func:`best_package_value` enumerates."""


# A group's issues; for a group that valued terms join, its packages' flat indices and its
# terms' masks (None and () otherwise).
ValueGroup = tuple[tuple[int, ...], IntArray | None, tuple[tuple[int, BoolArray], ...]]


@dataclass(frozen=True)
class ValueGroups:
    """How :func:`best_package_value` finds a party's best package by enumeration: the
    groups of issues its valued terms join (``valued``: which terms have a value)."""

    valued: tuple[bool, ...]
    groups: tuple[ValueGroup, ...]


def value_groups(
    space: OutcomeSpace, terms: tuple[Clauses, ...], valued: tuple[bool, ...]
) -> ValueGroups | None:
    """The groups of :class:`ValueGroups`, or ``None`` when one holds more than
    :data:`MAX_ENUMERATED_GROUP` packages.

    Computed once per party of a scenario, and reused by ``accord robustness`` for every
    profile it draws whose valued terms are the same.
    """
    joined = JoinedIssues(space.issue_count)
    chosen = [k for k in range(len(terms)) if valued[k]]
    for k in chosen:
        joined.join([issue for issue, _ in terms[k]])
    terms_of: dict[int, list[int]] = {}
    for k in chosen:
        terms_of.setdefault(joined.root(terms[k][0][0]), []).append(k)
    planned: list[ValueGroup] = []
    for group in joined.groups():
        counts = [int(space.option_counts[i]) for i in group]
        if math.prod(counts) > MAX_ENUMERATED_GROUP:
            return None
        key = joined.root(group[0])
        if key not in terms_of:
            planned.append((group, None, ()))
            continue
        grids = np.meshgrid(*[np.arange(count) for count in counts], indexing="ij")
        local = np.stack([g.ravel() for g in grids], axis=1)
        column = {issue: position for position, issue in enumerate(group)}
        masks = []
        for k in terms_of[key]:
            holds = np.ones(len(local), dtype=np.bool_)
            for issue, options in terms[k]:
                listed = np.zeros(counts[column[issue]], dtype=np.bool_)
                listed[list(options)] = True
                holds &= listed[local[:, column[issue]]]
            masks.append((k, holds))
        planned.append((group, local + space.offsets[list(group)], tuple(masks)))
    return ValueGroups(valued, tuple(planned))


def best_by_groups(
    plan: ValueGroups, space: OutcomeSpace, linear: FloatArray, term_values: FloatArray
) -> float:
    """The best value of ``linear`` plus the valued terms, each group at its own best.

    The value is a sum over the groups (a term with value 0 joins nothing), so its maximum
    is the sum of each group's own maximum: no program is needed.
    """
    offsets, counts = space.offsets, space.option_counts
    total = 0.0
    for group, flat, masks in plan.groups:
        if flat is None:  # issues no valued term joins: each at its own best
            total += sum(float(linear[offsets[i] : offsets[i] + counts[i]].max()) for i in group)
            continue
        values = linear[flat].sum(axis=1)
        for k, holds in masks:
            values += term_values[k] * holds
        total += float(values.max())
    return total


def _best_by_groups(
    space: OutcomeSpace, linear: FloatArray, terms: tuple[Clauses, ...], term_values: FloatArray
) -> float | None:
    """The best value by enumeration, or ``None`` when a group of issues is too large."""
    plan = value_groups(space, terms, tuple(bool(v != 0) for v in term_values))
    return None if plan is None else best_by_groups(plan, space, linear, term_values)
