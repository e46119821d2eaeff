"""Frontiers built once per analysis: games made apart but equal in content share one.

One :func:`accord.analysis.report.analyze` asks for the frontier of the same game more
than once: the game with a relaxation's conditions given up (for the package it opens,
then again for linkage), a block held at its status quo (for its own analysis, then for
its settlement). Each of those games is built afresh, by :func:`dataclasses.replace` or
:func:`accord.analysis.blocks.restrict`, so identity says nothing; their content does.
A game is frozen data and the frontier a pure function of it, so equal content gives an
equal frontier, and the cache keys games by every field's value.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.analysis.space import OutcomeSpace


def game_key(compiled: CompiledScenario) -> tuple[Any, ...]:
    """A hashable value equal for two games exactly when every field is equal."""
    parts: list[Any] = []
    for spec in fields(compiled):
        value = getattr(compiled, spec.name)
        if isinstance(value, np.ndarray):
            parts.append((value.dtype.str, value.shape, value.tobytes()))
        elif isinstance(value, OutcomeSpace):
            parts.append((value.issue_ids, value.option_ids))
        else:
            parts.append(value)
    return tuple(parts)


class FrontierCache:
    """:func:`pareto_frontier` with at most ``max_points`` points, each game's built once."""

    def __init__(self, max_points: int = 100_000) -> None:
        self.max_points = max_points
        self._built: dict[tuple[Any, ...], Frontier] = {}

    def __call__(self, compiled: CompiledScenario) -> Frontier:
        key = game_key(compiled)
        found = self._built.get(key)
        if found is None:
            found = self._built[key] = pareto_frontier(compiled, self.max_points)
        return found
