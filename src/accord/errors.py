"""Errors a user can act on: each names where the problem is and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


class AccordError(Exception):
    """Base class of every error Accord raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    path: str = ""
    source: str | None = None
    line: int | None = None
    column: int | None = None

    def render(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioError(AccordError):
    """A scenario that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(problem.render() for problem in self.problems))


class AnalysisError(AccordError):
    """An analysis that cannot be carried out as asked (e.g. an unknown block id)."""
