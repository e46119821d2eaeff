"""The analyses of the mediator's workbench page as plain data, computed off the request
path: improve the current draft, coalitions, agenda design and Adjusted Winner (issue 13).

:func:`workbench_results` is a :class:`~accord.web.analysis_cache.Task`'s function: the
runner calls it in a child process with a time limit, so this module imports the core
and the commands' JSON forms, never the web framework (the fork server preloads it). The
work per job is bounded: every subset of parties only up to :data:`EVERY_SUBSET_UP_TO`,
and at most :data:`AGENDA_CHANGES` agenda changes (the page says when more were cut).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.errors import AccordError
from accord.scenario.model import Scenario
from accord.web.analysis_cache import Task
from accord.web.charts import draft_package

EVERY_SUBSET_UP_TO = 6  # parties: beyond this only the coalitions the rule allows
# Agenda changes on the page: every seat, halfway option and grouping of four blocks, then
# the first dropped points (each a program over the plan); the page says when more were cut.
AGENDA_CHANGES = 24


def workbench_task(draft: dict[str, str] | None) -> Task:
    """The page's job for the current draft's package (``None``: no draft yet)."""
    return Task("workbench", workbench_results, (draft,))


def workbench_results(scenario: Scenario, draft: dict[str, str] | None) -> dict[str, Any]:
    """Every analysis of the page as plain data (the commands' JSON forms)."""
    from accord.analysis.added_option import compromise_options
    from accord.analysis.adjusted_winner import adjusted_winner
    from accord.analysis.agenda import agenda
    from accord.analysis.coalitions import coalitions
    from accord.analysis.improve import improve
    from accord.commands.adjusted_winner import adjusted_winner_data
    from accord.commands.agenda import agenda_data
    from accord.commands.coalitions import coalitions_data
    from accord.commands.improve import improvements_data

    compiled = compile_scenario(scenario)
    improvement = improve_problem = None
    if draft is not None:
        try:
            package = _completed(compiled, draft)
            improvement = improvements_data(compiled, improve(compiled, package))
        except AccordError as error:
            improve_problem = str(error)
    every_subset = compiled.party_count <= EVERY_SUBSET_UP_TO
    winner = winner_problem = None
    if len(compiled.voter_indices) == 2:
        try:
            winner = adjusted_winner_data(compiled, adjusted_winner(compiled))
        except AccordError as error:
            winner_problem = str(error)
    return {
        "improvement": improvement,
        "improve_problem": improve_problem,
        "coalitions": coalitions_data(compiled, coalitions(compiled, every_subset)),
        "agenda": agenda_data(
            compiled, agenda(compiled, AGENDA_CHANGES, compromise_options(scenario))
        ),
        "two_voters": len(compiled.voter_indices) == 2,
        "winner": winner,
        "winner_problem": winner_problem,
        "voters": [compiled.party_ids[p] for p in compiled.voter_indices],
        "party_names": dict(zip(compiled.party_ids, compiled.party_names, strict=True)),
    }


def _completed(compiled: CompiledScenario, draft: dict[str, str]) -> np.ndarray:
    """The draft's package, the points it leaves open held at their status quo."""
    package, _ = draft_package(compiled, draft, "no improvement can be computed")
    return package
