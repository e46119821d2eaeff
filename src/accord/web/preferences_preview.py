"""What one party's preferences mean, as plain data: its best package, its utility of the
current draft and whether it would accept it, and its worst acceptable package.

:func:`preferences_preview` is a :class:`~accord.web.analysis_cache.Task`'s function: the
preferences form (:mod:`accord.web.pages.preferences`) runs it in a child process with a
time limit, because with interaction terms or red lines the best package is an
optimisation (HiGHS, through :class:`accord.negotiation.own.OwnPreferences`), and so is
the normalisation of the party's utility. The scenario it gets holds the agenda and this
one party only: nothing here can see another party's preferences. Like
:mod:`accord.web.workbench_tasks` it imports the core, never the web framework.

The best package is exact (the optimum, re-evaluated in numpy). The worst acceptable
package is only looked for when the outcome space is small enough to list
(:data:`WORST_CASE_LIMIT` packages): then it is exact; otherwise the preview says why it
is missing rather than give an approximation.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.analysis.compiled import CompiledScenario, clauses_hold, compile_scenario
from accord.negotiation.own import TOLERANCE, OwnPreferences
from accord.scenario.model import Scenario
from accord.web.analysis_cache import Task

WORST_CASE_LIMIT = 200_000
"""Packages up to which the worst acceptable one is found (by listing them all)."""


def preview_task(draft: dict[str, str] | None) -> Task:
    """The form's job: the preview against the current draft's package (None: no draft)."""
    return Task("preferences-preview", preferences_preview, (draft,))


def preferences_preview(scenario: Scenario, draft: dict[str, str] | None) -> dict[str, Any]:
    """The preview of the scenario's only party with preferences (see the module's doc).

    Packages are given as ``{issue id: option id}``; utilities on the party's own scale.
    """
    compiled = compile_scenario(scenario)
    if compiled.party_count != 1:
        raise ValueError(f"expected one party with preferences, got {compiled.party_count}")
    own = OwnPreferences.of(compiled, 0)
    space = compiled.space
    reservation = own.reservation
    best = own.best_package()
    best_utility = own.utility(best)
    result: dict[str, Any] = {
        "packages": space.outcome_count,
        "reservation": reservation,
        "best": {
            "package": _named(compiled, best),
            "utility": best_utility,
            # Only when every package crosses one of the red lines does the best cross one.
            "crossed": _crossed(compiled, best),
            "shortfall": _shortfall(best_utility, reservation),
        },
        "draft": None if draft is None else _draft(compiled, own, scenario, draft),
        "worst": None,
        "worst_missing": None,
    }
    if space.outcome_count > WORST_CASE_LIMIT:
        result["worst_missing"] = (
            f"the agenda has {space.outcome_count:,} packages; the worst acceptable one is "
            f"only looked for up to {WORST_CASE_LIMIT:,}"
        )
    else:
        worst = own.worst_acceptable()
        if worst is not None:
            result["worst"] = {"package": _named(compiled, worst), "utility": own.utility(worst)}
    return result


def _shortfall(utility: float, reservation: float) -> float | None:
    """How far ``utility`` is below the reservation value (None: it is not)."""
    return reservation - utility if utility < reservation - TOLERANCE else None


def _named(compiled: CompiledScenario, package: tuple[int, ...]) -> dict[str, str]:
    space = compiled.space
    return {
        issue: space.option_ids[index][option]
        for index, (issue, option) in enumerate(zip(space.issue_ids, package, strict=True))
    }


def _crossed(compiled: CompiledScenario, package: tuple[int, ...]) -> list[str]:
    """The labels of the red lines ``package`` crosses."""
    row = np.array([package], dtype=np.int64)
    return [line.label for line in compiled.red_lines if clauses_hold(line.clauses, row)[0]]


def _draft(
    compiled: CompiledScenario, own: OwnPreferences, scenario: Scenario, draft: dict[str, str]
) -> dict[str, Any]:
    """The draft's package (open points at their status quo), its utility and acceptance."""
    package: list[int] = []
    held: list[str] = []
    for issue in scenario.issues:
        options = [option.id for option in issue.options]
        chosen = draft.get(issue.id)
        if chosen is None or chosen not in options:
            if issue.status_quo is None:
                return {
                    "package": dict(draft),
                    "held": held,
                    "utility": None,
                    "problem": f"the draft leaves point '{issue.id}' open and it has no "
                    "status quo, so its utility depends on what is agreed there",
                }
            chosen = issue.status_quo
            held.append(issue.id)
        package.append(options.index(chosen))
    completed = tuple(package)
    utility = own.utility(completed)
    lines = _crossed(compiled, completed)
    shortfall = _shortfall(utility, own.reservation)
    return {
        "package": _named(compiled, completed),
        "held": held,
        "utility": utility,
        "crossed": lines,
        "shortfall": shortfall,
        "accepts": not lines and shortfall is None,
        "problem": None,
    }
