"""Answers written down as they arrive, so that an interrupted robustness run resumes.

A checkpoint is a JSON Lines file: a header naming the scenario (a SHA-256 of its content)
and the master seed, then one answer per line. A run given the same file reads the
answers already there and draws only the samples still missing; since sample ``i``
depends on ``(seed, i)`` alone, the resumed report is the one an uninterrupted run gives.
A run killed while writing leaves at most a partial last line, which is dropped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from accord.errors import AccordError
from accord.robustness.profile import BlockingCondition, ProfileAnswer
from accord.scenario.model import Scenario

FORMAT = "accord-robustness-checkpoint/1"


def answer_to_json(answer: ProfileAnswer) -> dict[str, Any]:
    def conditions(items: tuple[BlockingCondition, ...]) -> list[list[str]]:
        return [[c.party, c.kind, c.label] for c in items]

    return {
        "index": answer.index,
        "feasible": answer.feasible,
        "nash_package": None if answer.nash_package is None else list(answer.nash_package),
        "nash_utilities": None if answer.nash_utilities is None else list(answer.nash_utilities),
        "conflict": conditions(answer.conflict),
        "relaxations": [conditions(r) for r in answer.relaxations],
    }


def answer_from_json(data: dict[str, Any]) -> ProfileAnswer:
    def conditions(items: list[list[str]]) -> tuple[BlockingCondition, ...]:
        return tuple(BlockingCondition(party, kind, label) for party, kind, label in items)

    package, utilities = data["nash_package"], data["nash_utilities"]
    return ProfileAnswer(
        index=int(data["index"]),
        feasible=bool(data["feasible"]),
        nash_package=None if package is None else tuple(int(o) for o in package),
        nash_utilities=None if utilities is None else tuple(float(u) for u in utilities),
        conflict=conditions(data["conflict"]),
        relaxations=tuple(conditions(r) for r in data["relaxations"]),
    )


class Checkpoint:
    """The checkpoint file of one run: what is already answered, and where to add more."""

    def __init__(self, path: Path, scenario: Scenario, seed: int) -> None:
        self.path = path
        self.header: dict[str, Any] = {
            "format": FORMAT,
            "scenario": scenario.digest(),
            "seed": seed,
        }
        self._file: IO[str] | None = None

    def load(self) -> dict[int, ProfileAnswer]:
        """The answers already written (none if the file does not exist yet)."""
        if not self.path.exists():
            return {}
        text = self.path.read_text(encoding="utf-8")
        lines = text.split("\n")
        complete = text.endswith("\n")
        if not complete:
            lines = lines[:-1]  # a run killed while writing: its partial last line goes
        lines = [line for line in lines if line]
        if not lines:
            return {}
        header = self._parse(lines[0], 1)
        if header != self.header:
            raise AccordError(
                f"{self.path}:1: this checkpoint belongs to another run "
                f"(scenario {str(header.get('scenario'))[:12]}…, seed {header.get('seed')}); "
                f"expected scenario {self.header['scenario'][:12]}…, seed {self.header['seed']}:"
                " give another file, or delete it to start again"
            )
        answers: dict[int, ProfileAnswer] = {}
        for number, line in enumerate(lines[1:], start=2):
            try:
                answer = answer_from_json(self._parse(line, number))
            except (KeyError, TypeError, ValueError) as error:
                raise AccordError(
                    f"{self.path}:{number}: not an answer of this checkpoint ({error})"
                ) from None
            answers[answer.index] = answer
        if not complete:
            # Rewrite without the partial line, so that appending starts on a fresh line.
            self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return answers

    def append(self, answer: ProfileAnswer) -> None:
        """Write one answer now (flushed: a crash after this loses nothing before it)."""
        if self._file is None:
            new = not self.path.exists() or self.path.stat().st_size == 0
            self._file = self.path.open("a", encoding="utf-8")
            if new:
                self._file.write(json.dumps(self.header, sort_keys=True) + "\n")
        self._file.write(json.dumps(answer_to_json(answer), sort_keys=True) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _parse(self, line: str, number: int) -> dict[str, Any]:
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise AccordError(f"{self.path}:{number}: not JSON ({error.msg})") from None
        if not isinstance(data, dict):
            raise AccordError(f"{self.path}:{number}: expected a JSON object")
        return data
