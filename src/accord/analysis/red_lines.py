"""Whether some package crosses none of a set of red lines: no numbers, no program.

A red line is crossed when each of its clauses holds (its issue takes a listed option),
so whether it is crossed depends only on the issues it names. Red lines that share an
issue are joined into one group; a package avoids them all exactly when, in every group,
the options it picks for the group's issues cross none of the group's red lines, and
groups are independent. Each group's packages are enumerated (they are few: a red line
names one or two issues), which answers in microseconds what a program answers in
milliseconds; a group too large to enumerate leaves the question to the program.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from accord.analysis.compiled import CompiledScenario, clauses_hold
from accord.analysis.space import IntArray, JoinedIssues

MAX_GROUP_PACKAGES = 100_000


def avoiding_package(compiled: CompiledScenario, red_lines: Sequence[int]) -> IntArray | None:
    """A package crossing none of ``red_lines`` (indices into ``compiled.red_lines``).

    Raises :class:`LookupError` when none exists; returns ``None`` when a group of issues
    joined by the red lines has more than :data:`MAX_GROUP_PACKAGES` packages.
    """
    package = np.zeros(compiled.space.issue_count, dtype=np.int64)
    for issues, members in _groups(compiled, red_lines):
        counts = [len(compiled.space.option_ids[i]) for i in issues]
        if math.prod(counts) > MAX_GROUP_PACKAGES:
            return None
        local = np.array(list(itertools.product(*(range(c) for c in counts))), dtype=np.int64)
        rows = np.zeros((len(local), compiled.space.issue_count), dtype=np.int64)
        rows[:, issues] = local
        crossed = np.zeros(len(rows), dtype=np.bool_)
        for index in members:
            crossed |= clauses_hold(compiled.red_lines[index].clauses, rows)
        avoiding = np.flatnonzero(~crossed)
        if not len(avoiding):
            raise LookupError("no package avoids these red lines")
        package[issues] = local[avoiding[0]]
    return package


def _groups(
    compiled: CompiledScenario, red_lines: Sequence[int]
) -> list[tuple[list[int], list[int]]]:
    """The issues the red lines join (sorted) and the red lines of each group."""
    joined = JoinedIssues(compiled.space.issue_count)
    for index in red_lines:
        joined.join(compiled.red_lines[index].issues)
    groups: dict[int, tuple[set[int], list[int]]] = {}
    for index in red_lines:
        named = compiled.red_lines[index].issues
        issues, members = groups.setdefault(joined.root(named[0]), (set(), []))
        issues.update(named)
        members.append(index)
    return [(sorted(issues), members) for issues, members in groups.values()]
