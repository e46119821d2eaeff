"""The mediator's further analyses: improve the current draft, coalitions, agenda design
and Adjusted Winner (issue 13), beside the main analysis page.

Computed by the core on the scenario as the ledger holds it, with every party's
preferences: the mediator alone may see it (the same check as the analysis page). Like
that page, it never computes in the request: the analyses
(:func:`accord.web.workbench_tasks.workbench_results`, for the current draft's package)
run in a separate process with a time limit (:mod:`accord.web.analysis_cache`), keyed by
the scenario and the draft; the page waits a few seconds for them, holding no worker
thread, then says "still computing" and refreshes itself, or "too large".
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.web.analysis_cache import AnalysisState, Ready, runner
from accord.web.pages import analysis
from accord.web.pages.analysis import MediatorPage, common_context, prepare, unfinished
from accord.web.pages.common import issue_titles, option_labels
from accord.web.pages.render import render
from accord.web.workbench_tasks import workbench_task

router = APIRouter(include_in_schema=False)
HEADING = "More analyses"


@router.get("/negotiations/{negotiation_id}/analysis/more")
async def workbench_analysis_page(request: Request, negotiation_id: int) -> Response:
    session: Session = request.app.state.database.session()
    try:
        page = await run_in_threadpool(prepare, request, session, negotiation_id)
        if isinstance(page, Response):
            return page
        draft = dict(page.current.package) if page.current is not None else None
        state = await runner().wait(
            page.scenario, negotiation_id, analysis.WAIT_SECONDS, workbench_task(draft)
        )
        return await run_in_threadpool(_render, page, state)
    finally:
        await run_in_threadpool(session.close)


def _render(page: MediatorPage, state: AnalysisState) -> Response:
    pending = unfinished(page, state, HEADING)
    if pending is not None:
        return pending
    assert isinstance(state, Ready)
    return render(
        "workbench_analysis.html",
        current=page.current,
        labels=option_labels(page.negotiation),
        titles=issue_titles(page.negotiation),
        **common_context(page),
        **state.value,
    )
