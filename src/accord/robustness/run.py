"""Draw many preference profiles of a scenario, answer each, and aggregate the answers.

The profiles run on any object with ``map_unordered(fn, items, batch_size=None)`` yielding
``(index, fn(items[index]))`` as results finish (the backends of
:mod:`accord.tournament.backends` have it); without one they run here, one after the
other. Answers are put back in sample order before they are aggregated, so the report is
the same whatever ran them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from accord.analysis.compiled import compile_scenario
from accord.errors import AccordError
from accord.robustness.checkpoint import Checkpoint
from accord.robustness.profile import ProfileAnswer, ProfileJob
from accord.robustness.report import RobustnessReport
from accord.scenario.model import Scenario
from accord.scenario.uncertainty import is_certain, uncertain_count


class Runner(Protocol):
    """Where the profiles run (structurally, an ``accord.tournament.backends.Backend``)."""

    def map_unordered(
        self, fn: Callable[[Any], Any], items: Sequence[Any], /, *, batch_size: int | None = None
    ) -> Iterator[tuple[int, Any]]: ...


def assess_robustness(
    scenario: Scenario,
    samples: int,
    seed: int,
    runner: Runner | None = None,
    on_answer: Callable[[ProfileAnswer], None] | None = None,
    batch_size: int | None = None,
    checkpoint: Path | None = None,
) -> RobustnessReport:
    """Answer ``samples`` profiles drawn with master seed ``seed`` and aggregate them.

    ``on_answer`` is called as each new answer arrives (for a progress bar). With
    ``checkpoint``, answers already in that file are taken from it and every new one is
    written to it as it arrives, so an interrupted run resumes where it stopped.
    """
    if samples < 1:
        raise AccordError(f"--samples: expected at least 1 sample, got {samples}")
    if seed < 0:
        raise AccordError(f"--seed: expected a seed >= 0, got {seed}")
    nominal = compile_scenario(scenario)
    job = ProfileJob(scenario, seed)
    record = None if checkpoint is None else Checkpoint(checkpoint, scenario, seed)
    answers: list[ProfileAnswer | None] = [None] * samples
    if record is not None:
        for index, answer in record.load().items():
            if index < samples:
                answers[index] = answer
    indices = [index for index, answer in enumerate(answers) if answer is None]
    results: Iterator[tuple[int, Any]] = (
        ((position, job(index)) for position, index in enumerate(indices))
        if runner is None
        else runner.map_unordered(job, indices, batch_size=batch_size)
    )
    try:
        for position, answer in results:
            index = indices[position]  # results are numbered by position in ``indices``
            answers[index] = answer
            if record is not None:
                record.append(answer)
            if on_answer is not None:
                on_answer(answer)
    finally:
        if record is not None:
            record.close()
    missing = [index for index, answer in enumerate(answers) if answer is None]
    if missing:
        raise AccordError(f"{len(missing)} sample(s) returned no answer (first: {missing[0]})")
    return RobustnessReport(
        scenario_id=scenario.id,
        seed=seed,
        certain=is_certain(scenario),
        uncertain_parameters=uncertain_count(scenario),
        space=nominal.space,
        party_ids=nominal.party_ids,
        party_names=nominal.party_names,
        answers=tuple(answer for answer in answers if answer is not None),
    )
