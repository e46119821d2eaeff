"""A block on its own equals the whole scenario with the other issues held fixed."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.blocks import restrict
from accord.analysis.compiled import compile_scenario
from accord.scenario.model import Scenario
from strategies import scenarios


@st.composite
def held_blocks(draw: st.DrawFn) -> tuple[Scenario, tuple[int, ...], tuple[int, ...]]:
    """A scenario with a status quo on every issue, and a non-empty subset of its issues."""
    scenario = draw(scenarios())
    hold = tuple(draw(st.integers(0, len(issue.options) - 1)) for issue in scenario.issues)
    issues = tuple(
        issue.model_copy(update={"status_quo": issue.options[h].id})
        for issue, h in zip(scenario.issues, hold, strict=True)
    )
    chosen = draw(st.lists(st.integers(0, len(issues) - 1), min_size=1, unique=True).map(sorted))
    return scenario.model_copy(update={"issues": issues}), tuple(chosen), hold


@settings(max_examples=150)
@given(held_blocks())
def test_block_utilities_and_red_lines_match_the_whole(
    case: tuple[Scenario, tuple[int, ...], tuple[int, ...]],
) -> None:
    scenario, issues, hold = case
    compiled = compile_scenario(scenario)
    block = restrict(compiled, issues, hold)
    local = block.space.all_packages()
    full = np.tile(np.array(hold, dtype=np.int64), (len(local), 1))
    full[:, list(issues)] = local
    np.testing.assert_allclose(block.utilities(local), compiled.utilities(full), atol=1e-12)
    # Red lines that touch the block are decided as in the whole scenario; red lines on
    # other issues only belong to the other blocks.
    crossed_whole = np.zeros((compiled.party_count, len(local)), dtype=bool)
    for index, crossed in enumerate(compiled.crossed_red_lines(full)):
        if set(compiled.red_lines[index].issues) & set(issues):
            crossed_whole[compiled.red_lines[index].party] |= crossed
    crossed_block = np.zeros_like(crossed_whole)
    for index, crossed in enumerate(block.crossed_red_lines(local)):
        crossed_block[block.red_lines[index].party] |= crossed
    assert np.array_equal(crossed_block, crossed_whole)
    # Every issue is held, so the disagreement point is the block's own status quo.
    status_quo = np.array([hold[i] for i in issues], dtype=np.int64)
    np.testing.assert_allclose(block.reservation, block.utilities(status_quo), atol=1e-12)


def test_without_status_quo_the_disagreement_is_each_partys_worst(small) -> None:  # type: ignore[no-untyped-def]
    block = restrict(small, (0, 1, 2), (None, None, None))
    worst = block.utilities(block.space.all_packages()).min(axis=1)
    np.testing.assert_allclose(block.reservation, worst, atol=1e-12)
