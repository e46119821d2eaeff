"""The mediator's view: the current draft against the frontier and the Nash package.

Computed by the core (:func:`accord.analysis.report.analyze`) on the scenario as it stands
in the ledger, in a separate process with a time limit; it uses every party's preferences,
so only the mediator may read it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.analysis.report import Analysis
from accord.errors import AccordError
from accord.ledger.chain import verify_chain
from accord.ledger.drafts import latest_mediator_version
from accord.ledger.models import DraftVersion
from accord.ledger.negotiations import scenario_of
from accord.scenario.model import Scenario
from accord.web.analysis_cache import Computing, Failed, runner
from accord.web.api.schemas import ChainBreakOut, ChainHeadOut, ChainOut
from accord.web.charts import blockers_in_words, draft_position
from accord.web.deps import Access, DbSession, NegotiationAccess

router = APIRouter(tags=["analysis"])
PATH = "/negotiations/{negotiation_id}"
DEFAULT_WAIT = 15.0
RETRY_AFTER = 2
Wait = Annotated[
    float, Query(ge=0, le=30, description="Seconds to wait for the analysis before 202.")
]


@router.get(
    PATH + "/analysis",
    responses={
        202: {"description": "Still computing: ask again after Retry-After seconds."},
        422: {"description": "Too large to analyse within the time limit, or not analysable."},
    },
)
async def mediator_analysis(
    access: Access, session: DbSession, wait: Wait = DEFAULT_WAIT
) -> JSONResponse:
    """Feasibility, solutions, frontier, blockers in plain words, and the current draft.

    Computed in a separate process with a time limit (:mod:`accord.web.analysis_cache`):
    the request waits at most ``wait`` seconds for it, then answers 202 "still computing".
    """
    access.require_mediator()
    scenario, current = await run_in_threadpool(_read, access, session)
    state = await runner().wait(scenario, access.negotiation.id, wait)
    if isinstance(state, Computing):
        return JSONResponse(
            {
                "status": "computing",
                "detail": "still computing: ask again shortly",
                "seconds": round(state.seconds, 1),
                "time_limit": state.time_limit,
            },
            status_code=202,
            headers={"Retry-After": str(RETRY_AFTER)},
        )
    if isinstance(state, Failed):
        prefix = "too large" if state.too_large else "cannot be analysed"
        return JSONResponse({"detail": f"{prefix}: {state.message}"}, status_code=422)
    return JSONResponse(await run_in_threadpool(_report, state.analysis, current))


def _read(access: NegotiationAccess, session: Session) -> tuple[Scenario, DraftVersion | None]:
    scenario = scenario_of(access.negotiation)
    current = latest_mediator_version(session, access.negotiation)
    session.commit()  # give the connection back while the analysis runs; objects stay loaded
    return scenario, current


def _report(analysis: Analysis, current: DraftVersion | None) -> dict[str, Any]:
    data = analysis.to_dict()
    data["blocker_sentences"] = blockers_in_words(analysis)
    if current is None:
        data["current_draft"] = None
        return data
    try:
        position: dict[str, Any] = asdict(draft_position(analysis, current.package))
    except AccordError as error:  # a partial draft whose open point has no status quo
        position = {"error": str(error)}
    data["current_draft"] = {
        "draft": current.draft_id,
        "version": current.number,
        "package": current.package,
        "position": position,
    }
    return data


@router.get(PATH + "/verify", response_model=ChainOut)
def verify(access: Access, session: DbSession) -> ChainOut:
    """Recompute the hash chain of every draft in this negotiation (mediator)."""
    access.require_mediator()
    report = verify_chain(session, access.negotiation.id)
    return ChainOut(
        ok=report.ok,
        drafts_checked=report.drafts_checked,
        versions_checked=report.versions_checked,
        breaks=[
            ChainBreakOut(draft=b.draft_id, version=b.version_number, reason=b.reason)
            for b in report.breaks
        ],
        heads=[
            ChainHeadOut(draft=h.draft_id, version=h.version_number, hash=h.hash)
            for h in report.heads
        ],
    )
