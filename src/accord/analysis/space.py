"""The outcome space: which option each issue can take, and packages as index arrays.

A *package* is an integer array with one option index per issue. Options are also
numbered on one flat axis (``offsets[i] + option``) so that per-option numbers for all
issues fit in one array.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class OutcomeSpace:
    """Issues and their options, in the scenario's order."""

    issue_ids: tuple[str, ...]
    option_ids: tuple[tuple[str, ...], ...]

    @property
    def issue_count(self) -> int:
        return len(self.issue_ids)

    # Computed once per space (read-only arrays, shared by every caller): the analysis
    # asks for them thousands of times per scenario.
    @cached_property
    def option_counts(self) -> IntArray:
        counts = np.array([len(options) for options in self.option_ids], dtype=np.int64)
        counts.setflags(write=False)
        return counts

    @cached_property
    def offsets(self) -> IntArray:
        counts = self.option_counts
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        offsets.setflags(write=False)
        return offsets

    @property
    def flat_size(self) -> int:
        return int(self.option_counts.sum())

    @property
    def outcome_count(self) -> int:
        """The exact number of packages (a Python integer: it may exceed 2**63)."""
        return math.prod(len(options) for options in self.option_ids)

    def issue_of_flat(self) -> IntArray:
        return np.repeat(np.arange(self.issue_count, dtype=np.int64), self.option_counts)

    def flat(self, issue: int, option: int) -> int:
        return int(self.offsets[issue]) + option

    def package_dict(self, package: IntArray | tuple[int, ...]) -> dict[str, str]:
        return {
            issue_id: self.option_ids[i][int(package[i])]
            for i, issue_id in enumerate(self.issue_ids)
        }

    def package_from_dict(self, chosen: dict[str, str]) -> IntArray:
        return np.array(
            [
                self.option_ids[i].index(chosen[issue_id])
                for i, issue_id in enumerate(self.issue_ids)
            ],
            dtype=np.int64,
        )

    def package_from_flat(self, indicator: FloatArray) -> IntArray:
        """The package whose options are chosen in a 0/1 vector over the flat axis."""
        return np.array(
            [
                int(np.argmax(indicator[start : start + count]))
                for start, count in zip(self.offsets, self.option_counts, strict=True)
            ],
            dtype=np.int64,
        )

    def all_packages(self) -> IntArray:
        """Every package, one per row. Only for small spaces: tests use it as the oracle."""
        grids = np.meshgrid(*[np.arange(len(o)) for o in self.option_ids], indexing="ij")
        return np.stack([g.ravel() for g in grids], axis=1).astype(np.int64)


class JoinedIssues:
    """Which issues belong together once some terms join them (union-find over issues).

    The frontier's factors are the issues no utility term or red line joins across; the
    red lines' own groups are found the same way.
    """

    def __init__(self, issue_count: int) -> None:
        self._parent = list(range(issue_count))

    def root(self, issue: int) -> int:
        parent = self._parent
        while parent[issue] != issue:
            parent[issue] = parent[parent[issue]]
            issue = parent[issue]
        return issue

    def join(self, issues: Sequence[int]) -> None:
        for other in issues[1:]:
            self._parent[self.root(other)] = self.root(issues[0])

    def groups(self) -> list[tuple[int, ...]]:
        """Every issue in its group, groups in the order of their first issue."""
        found: dict[int, list[int]] = {}
        for issue in range(len(self._parent)):
            found.setdefault(self.root(issue), []).append(issue)
        return [tuple(group) for group in found.values()]
