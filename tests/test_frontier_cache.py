"""Games equal in content share one frontier; any difference gives a game its own."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.frontier import pareto_frontier
from accord.analysis.frontier_cache import FrontierCache, game_key


def test_equal_games_built_apart_share_one_frontier(small: CompiledScenario) -> None:
    cache = FrontierCache()
    twin = replace(small, reservation=small.reservation.copy(), red_lines=tuple(small.red_lines))
    assert game_key(twin) == game_key(small)
    assert cache(twin) is cache(small)
    expected = pareto_frontier(small)
    assert np.array_equal(cache(small).utilities, expected.utilities)
    assert cache(small).size == expected.size


def test_any_difference_is_another_game(small: CompiledScenario) -> None:
    cache = FrontierCache()
    lower = small.reservation.copy()
    lower[0] -= 0.25
    changed = [
        replace(small, reservation=lower),
        replace(small, red_lines=small.red_lines[1:]),
        replace(small, every_package_acceptable=not small.every_package_acceptable),
    ]
    keys = {game_key(game) for game in changed}
    assert len(keys) == len(changed) and game_key(small) not in keys
    assert all(cache(game) is not cache(small) for game in changed)
    dropped = pareto_frontier(changed[1])
    assert np.array_equal(cache(changed[1]).utilities, dropped.utilities)
