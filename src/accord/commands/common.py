"""What the analysis commands share: consoles, package text, JSON forms of outcomes."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from accord.errors import AccordError

if TYPE_CHECKING:
    from rich.console import Console

    from accord.analysis.compiled import CompiledScenario
    from accord.analysis.solutions import Outcome
    from accord.analysis.space import FloatArray, IntArray


class DeferredConsole:
    """A Rich console made on first use: importing Rich costs a command that prints JSON
    (and `accord --help`) about 30 ms for nothing. Pass :attr:`console` to Rich itself."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, highlight=False)
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:
        self.console.print(*objects, **options)

    def rule(self, title: str = "", **options: Any) -> None:
        self.console.rule(title, **options)


out = DeferredConsole(stderr=False)
err = DeferredConsole(stderr=True)


def parse_package_text(text: str, option: str = "--package") -> dict[str, str]:
    """``"issue=option,issue=option"`` as a dict; an error names the malformed entry."""
    chosen: dict[str, str] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        issue, equals, picked = entry.partition("=")
        if not equals or not issue.strip() or not picked.strip():
            raise AccordError(f"{option}: expected ISSUE=OPTION, got '{entry}'")
        if issue.strip() in chosen:
            raise AccordError(f"{option}: issue '{issue.strip()}' is given twice")
        chosen[issue.strip()] = picked.strip()
    return chosen


def by_party(compiled: CompiledScenario, values: FloatArray) -> dict[str, float]:
    return {pid: float(v) for pid, v in zip(compiled.party_ids, values, strict=True)}


def outcome_data(compiled: CompiledScenario, outcome: Outcome | None) -> dict[str, Any] | None:
    """A package with every party's utility and the fairness of the voters' gains."""
    from accord.analysis.fairness import fairness

    if outcome is None:
        return None
    return {
        "package": compiled.space.package_dict(outcome.package),
        "utilities": by_party(compiled, outcome.utilities),
        "fairness": fairness(compiled, outcome.utilities).to_dict(),
    }


def changes_data(
    compiled: CompiledScenario, before: IntArray, after: IntArray
) -> list[dict[str, str]]:
    space = compiled.space
    return [
        {
            "issue": space.issue_ids[i],
            "from": space.option_ids[i][int(before[i])],
            "to": space.option_ids[i][int(after[i])],
        }
        for i in range(space.issue_count)
        if before[i] != after[i]
    ]


def print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def number(value: float) -> str:
    return f"{value:.3f}"


def utilities_text(compiled: CompiledScenario, utilities: FloatArray, voters_only: bool) -> str:
    parties = compiled.voter_indices if voters_only else range(compiled.party_count)
    return ", ".join(f"{compiled.party_ids[p]} {number(float(utilities[p]))}" for p in parties)
