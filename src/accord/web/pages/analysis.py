"""The mediator's analysis: the current draft against the Nash package, and the blockers.

Computed by the core (:func:`accord.analysis.report.analyze`) on the scenario as it stands
in the ledger, which holds every party's preferences: the mediator alone may see it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.errors import AccordError
from accord.ledger.drafts import latest_mediator_version
from accord.ledger.negotiations import scenario_of
from accord.web.analysis_cache import cached_analysis
from accord.web.charts import blockers_in_words, draft_figure, draft_position, frontier_figure
from accord.web.deps import DbSession
from accord.web.pages.common import html_page, option_labels, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)


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
