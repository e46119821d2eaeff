"""The mediator's analysis: the current draft against the Nash package, and the blockers.

Computed by the core (:func:`accord.analysis.report.analyze`) on the scenario as it stands
in the ledger, which holds every party's preferences: the mediator alone may see it.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from threading import Lock

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.analysis.report import Analysis, analyze
from accord.errors import AccordError
from accord.ledger.drafts import latest_mediator_version
from accord.ledger.negotiations import scenario_of
from accord.scenario.model import Scenario
from accord.web.charts import blockers_in_words, draft_figure, draft_position, frontier_figure
from accord.web.deps import DbSession
from accord.web.pages.common import html_page, option_labels, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)

_CACHE_SIZE = 16
_cache: OrderedDict[str, Analysis] = OrderedDict()
_cache_lock = Lock()


def cached_analysis(scenario: Scenario) -> Analysis:
    """``analyze(scenario)``, kept for scenarios seen recently.

    The whole analysis takes about half a second on the 27-point plan; it depends only on
    the scenario's content, which changes far more rarely than the page is read.
    """
    key = hashlib.sha256(scenario.model_dump_json().encode("utf-8")).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = analyze(scenario)
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


@router.get("/negotiations/{negotiation_id}/analysis")
@html_page
def analysis_page(request: Request, session: DbSession, negotiation_id: int) -> Response:
    user, viewer = viewer_for(request, session, negotiation_id)
    viewer.access.require_mediator()
    negotiation = viewer.access.negotiation
    analysis = cached_analysis(scenario_of(negotiation))
    current = latest_mediator_version(session, negotiation)
    position = figure = frontier = None
    problem = None
    if current is not None:
        try:
            position = draft_position(analysis, current.package)
            figure = draft_figure(position)
            frontier = frontier_figure(analysis, position)
        except AccordError as error:
            problem = str(error)
    data = analysis.to_dict()
    return render(
        "analysis.html",
        user=user,
        viewer=viewer,
        negotiation=negotiation,
        analysis=data,
        sentences=blockers_in_words(analysis),
        current=current,
        position=position,
        figure=figure,
        frontier=frontier,
        problem=problem,
        labels=option_labels(negotiation),
        block_results=data["blocks"],
    )
