"""Draw many preference profiles of a scenario, answer each, and aggregate the answers.

The profiles run on any object with ``map_unordered(fn, items, batch_size=None)`` yielding
``(index, fn(items[index]))`` as results finish (the backends of
:mod:`accord.tournament.backends` have it); without one they run here, one after the
other. Answers are put back in sample order before they are aggregated, so the report is
the same whatever ran them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from accord.analysis.compiled import compile_scenario
from accord.errors import AccordError
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
) -> RobustnessReport:
    """Answer ``samples`` profiles drawn with master seed ``seed`` and aggregate them.

    ``on_answer`` is called as each answer arrives (for a progress bar).
    """
    if samples < 1:
        raise AccordError(f"--samples: expected at least 1 sample, got {samples}")
    if seed < 0:
        raise AccordError(f"--seed: expected a seed >= 0, got {seed}")
    nominal = compile_scenario(scenario)
    job = ProfileJob(scenario, seed)
    indices = list(range(samples))
    results: Iterator[tuple[int, Any]] = (
        ((index, job(index)) for index in indices)
        if runner is None
        else runner.map_unordered(job, indices, batch_size=batch_size)
    )
    answers: list[ProfileAnswer | None] = [None] * samples
    for index, answer in results:
        answers[index] = answer
        if on_answer is not None:
            on_answer(answer)
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
