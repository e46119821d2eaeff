"""The mediator's analysis: the current draft against the Nash package, and the blockers.

Computed by the core (:func:`accord.analysis.report.analyze`) on the scenario as it stands
in the ledger, which holds every party's preferences: the mediator alone may see it. It
runs in a separate process with a time limit (:mod:`accord.web.analysis_cache`); the page
waits a few seconds for it, holding no worker thread, then says "still computing" and
refreshes itself, or "too large" when the time limit stopped it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.errors import AccordError
from accord.ledger.drafts import latest_mediator_version
from accord.ledger.models import DraftVersion, Negotiation, User
from accord.ledger.negotiations import scenario_of
from accord.scenario.model import Scenario
from accord.web.analysis_cache import AnalysisState, Computing, Failed, Ready, runner
from accord.web.charts import blockers_in_words, draft_figure, draft_position, frontier_figure
from accord.web.pages.common import LoginRequired, Viewer, error_page, option_labels, viewer_for
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
WAIT_SECONDS = 15.0
REFRESH_SECONDS = 3


@dataclass(frozen=True)
class MediatorPage:
    """What a mediator-only analysis page read from the ledger before it waits."""

    session: Session
    user: User
    viewer: Viewer
    negotiation: Negotiation
    scenario: Scenario
    current: DraftVersion | None


@router.get("/negotiations/{negotiation_id}/analysis")
async def analysis_page(request: Request, negotiation_id: int) -> Response:
    session: Session = request.app.state.database.session()
    try:
        page = await run_in_threadpool(prepare, request, session, negotiation_id)
        if isinstance(page, Response):
            return page
        state = await runner().wait(page.scenario, negotiation_id, WAIT_SECONDS)
        return await run_in_threadpool(_render, page, state)
    finally:
        await run_in_threadpool(session.close)


def prepare(request: Request, session: Session, negotiation_id: int) -> MediatorPage | Response:
    """The page's ledger reads, or the login redirect or error page instead."""
    try:
        user, viewer = viewer_for(request, session, negotiation_id)
        viewer.access.require_mediator()
        negotiation = viewer.access.negotiation
        scenario = scenario_of(negotiation)
        current = latest_mediator_version(session, negotiation)
    except LoginRequired as needed:
        return RedirectResponse(f"/login?next={quote(needed.path)}", status_code=303)
    except AccordError as error:
        return error_page(error)
    session.commit()  # give the connection back while the analysis runs; objects stay loaded
    return MediatorPage(session, user, viewer, negotiation, scenario, current)


def common_context(page: MediatorPage) -> dict[str, Any]:
    return {"user": page.user, "viewer": page.viewer, "negotiation": page.negotiation}


def unfinished(page: MediatorPage, state: AnalysisState, heading: str) -> Response | None:
    """The "still computing" (202, refreshing itself) or "too large" (422) page, if the
    task has no result; ``None`` when it is ready."""
    if isinstance(state, Computing):
        return render(
            "analysis_pending.html",
            status_code=202,
            heading=heading,
            computing=True,
            seconds=state.seconds,
            time_limit=state.time_limit,
            refresh=REFRESH_SECONDS,
            **common_context(page),
        )
    if isinstance(state, Failed):
        return render(
            "analysis_pending.html",
            status_code=422,
            heading=heading,
            computing=False,
            too_large=state.too_large,
            message=state.message,
            **common_context(page),
        )
    return None


def _render(page: MediatorPage, state: AnalysisState) -> Response:
    pending = unfinished(page, state, "Analysis")
    if pending is not None:
        return pending
    assert isinstance(state, Ready)
    common = common_context(page)
    analysis = state.analysis
    current = page.current
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
        analysis=data,
        sentences=blockers_in_words(analysis),
        current=current,
        position=position,
        figure=figure,
        frontier=frontier,
        problem=problem,
        labels=option_labels(page.negotiation),
        block_results=data["blocks"],
        **common,
    )
