"""The mediator's further analyses: improve the current draft, coalitions, agenda design
and Adjusted Winner (issue 13), beside the main analysis page.

Computed by the core on the scenario as the ledger holds it, with every party's
preferences: the mediator alone may see it (the same check as the analysis page). The
answers depend only on the scenario and the current draft, so the last few are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

import numpy as np
from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.errors import AccordError
from accord.ledger.drafts import latest_mediator_version
from accord.ledger.negotiations import scenario_of
from accord.scenario.model import Scenario
from accord.web.deps import DbSession
from accord.web.pages.common import html_page, issue_titles, option_labels, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)

EVERY_SUBSET_UP_TO = 6  # parties: beyond this only the coalitions the rule allows
# Agenda changes on the page: every seat and grouping of four blocks, then the first
# dropped points (each a program over the plan); the page says when more were cut.
AGENDA_CHANGES = 24
_CACHE_SIZE = 8
_Key = tuple[str, tuple[tuple[str, str], ...] | None]
_cache: OrderedDict[_Key, dict[str, Any]] = OrderedDict()
_cache_lock = Lock()


@router.get("/negotiations/{negotiation_id}/analysis/more")
@html_page
def workbench_analysis_page(request: Request, session: DbSession, negotiation_id: int) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    negotiation = viewer.access.negotiation
    current = latest_mediator_version(session, negotiation)
    draft = dict(current.package) if current is not None else None
    results = _cached(scenario_of(negotiation), draft)
    return render(
        "workbench_analysis.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        current=current,
        labels=option_labels(negotiation),
        titles=issue_titles(negotiation),
        **results,
    )


def _cached(scenario: Scenario, draft: dict[str, str] | None) -> dict[str, Any]:
    key = (
        scenario.digest(),
        tuple(sorted((draft or {}).items())) + ((("", ""),) if draft is None else ()),
    )
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    results = workbench_results(scenario, draft)
    with _cache_lock:
        _cache[key] = results
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return results


def workbench_results(scenario: Scenario, draft: dict[str, str] | None) -> dict[str, Any]:
    """Every analysis of the page as plain data (the commands' JSON forms)."""
    from accord.analysis.adjusted_winner import adjusted_winner
    from accord.analysis.agenda import agenda
    from accord.analysis.coalitions import coalitions
    from accord.analysis.compiled import compile_scenario
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
        "agenda": agenda_data(compiled, agenda(compiled, AGENDA_CHANGES)),
        "two_voters": len(compiled.voter_indices) == 2,
        "winner": winner,
        "winner_problem": winner_problem,
        "voters": [compiled.party_ids[p] for p in compiled.voter_indices],
        "party_names": dict(zip(compiled.party_ids, compiled.party_names, strict=True)),
    }


def _completed(compiled: Any, draft: dict[str, str]) -> np.ndarray:
    """The draft's package, the points it leaves open held at their status quo."""
    space = compiled.space
    package = np.zeros(space.issue_count, dtype=np.int64)
    for index, issue_id in enumerate(space.issue_ids):
        option = draft.get(issue_id)
        if option is None:
            status_quo = compiled.status_quo[index]
            if status_quo is None:
                raise AccordError(
                    f"the draft leaves point '{issue_id}' open and it has no status quo, "
                    "so no improvement can be computed"
                )
            package[index] = status_quo
        elif option not in space.option_ids[index]:
            raise AccordError(f"the draft picks unknown option '{option}' for '{issue_id}'")
        else:
            package[index] = space.option_ids[index].index(option)
    return package
