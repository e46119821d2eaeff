"""The mediator's view: the current draft against the frontier and the Nash package.

Computed by the core (:func:`accord.analysis.report.analyze`) on the scenario as it stands
in the ledger; it uses every party's preferences, so only the mediator may read it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter

from accord.errors import AccordError
from accord.ledger.chain import verify_chain
from accord.ledger.drafts import latest_mediator_version
from accord.ledger.negotiations import scenario_of
from accord.web.analysis_cache import cached_analysis
from accord.web.api.schemas import ChainBreakOut, ChainHeadOut, ChainOut
from accord.web.charts import blockers_in_words, draft_position
from accord.web.deps import Access, DbSession

router = APIRouter(tags=["analysis"])
PATH = "/negotiations/{negotiation_id}"


@router.get(PATH + "/analysis")
def mediator_analysis(access: Access, session: DbSession) -> dict[str, Any]:
    """Feasibility, solutions, frontier, blockers in plain words, and the current draft."""
    access.require_mediator()
    # Shared with the dashboard page: the analysis depends only on the scenario's content.
    analysis = cached_analysis(scenario_of(access.negotiation))
    data = analysis.to_dict()
    data["blocker_sentences"] = blockers_in_words(analysis)
    current = latest_mediator_version(session, access.negotiation)
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
