"""The mixed-integer program builder and the exact best package value."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.milp import Milp, add_package_polytope, best_package_value
from accord.analysis.space import OutcomeSpace


def test_a_repeated_column_in_a_row_adds_up() -> None:
    milp = Milp()
    x = milp.add_columns(2, 0.0, 1.0, True)
    # x0 + x0 + x1 <= 2 is 2 x0 + x1 <= 2: x0 = 1 leaves x1 = 0.
    milp.add_row([x[0], x[0], x[1]], [1.0, 1.0, 1.0], upper=2.0)
    milp.add_row([x[0]], [1.0], lower=1.0)
    result = milp.solve({int(x[1]): 1.0})
    assert result.objective == pytest.approx(0.0)
    assert milp.entries[:2] == [(0, 0, 2.0), (0, 1, 1.0)]


def test_infeasible_program() -> None:
    milp = Milp()
    (x,) = milp.add_columns(1, 0.0, 1.0, True)
    milp.add_row([x], [1.0], lower=0.5, upper=0.6)
    result = milp.solve({})
    assert not result.feasible
    assert result.values is None and result.objective is None


def test_best_package_value_with_terms() -> None:
    space = OutcomeSpace(("a", "b"), (("a1", "a2"), ("b1", "b2", "b3")))
    linear = np.array([1.0, 0.0, 0.0, 0.5, 0.2])
    # Without terms: a1 and b2, 1.5. A bonus of 0.6 on a2 with b3 is not enough (0.8);
    # one of 1.4 is (1.6).
    assert best_package_value(space, linear, (), np.zeros(0)) == pytest.approx(1.5)
    pair = (((0, (1,)), (1, (2,))),)
    assert best_package_value(space, linear, pair, np.array([0.6])) == pytest.approx(1.5)
    assert best_package_value(space, linear, pair, np.array([1.4])) == pytest.approx(1.6)
    # A term over option lists: a2 with b1 or b3, worth 1.2: a2 + b3 + 1.2 = 1.4 < 1.5;
    # worth 1.6: 1.8.
    ranges = (((0, (1,)), (1, (0, 2))),)
    assert best_package_value(space, linear, ranges, np.array([1.2])) == pytest.approx(1.5)
    assert best_package_value(space, linear, ranges, np.array([1.6])) == pytest.approx(1.8)


def test_package_polytope_picks_one_option_per_issue() -> None:
    space = OutcomeSpace(("a", "b"), (("a1", "a2"), ("b1", "b2", "b3")))
    milp = Milp()
    x, y = add_package_polytope(milp, space, (((0, (0,)), (1, (0,))),))
    result = milp.solve({int(c): 1.0 for c in [*x, *y]})
    assert result.values is not None
    # Two options chosen and the pair (a1, b1) on top: 3 at most.
    assert result.objective == pytest.approx(3.0)
    assert space.package_from_flat(result.values[x]).tolist() == [0, 0]


def test_a_program_with_nothing_to_choose() -> None:
    # HiGHS answers "Empty" for a model without columns instead of solving it.
    program = Milp()
    found = program.solve({})
    assert found.values is not None and len(found.values) == 0
    assert found.objective == 0.0
    program.add_row([], [], lower=0.0, upper=1.0)  # a row every point meets (0 is in it)
    assert program.solve({}, maximize=True).values is not None
    program.add_row([], [], lower=1.0)  # no point can reach 1
    assert program.solve({}).values is None
