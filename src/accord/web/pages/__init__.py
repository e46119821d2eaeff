"""Server-rendered dashboard pages: one router the app factory includes at the root.

Login, the list of negotiations, each negotiation's dashboard (consensus matrix per
block), drafts with their history and differences, the meeting log, the parties, and the
mediator's analysis. Every action goes through the ledger's service functions and the
access rules the JSON API uses.
"""

from fastapi import APIRouter

from accord.web.pages import (
    accounts,
    analysis,
    audit,
    dashboard,
    drafts,
    elicitation,
    login,
    meetings,
    parties,
    people,
    static,
    timeline,
    workbench_analysis,
)

router = APIRouter(include_in_schema=False)
for module in (
    static,
    login,
    accounts,
    dashboard,
    drafts,
    meetings,
    parties,
    analysis,
    workbench_analysis,
    audit,
    elicitation,
    people,
    timeline,
):
    router.include_router(module.router)

__all__ = ["router"]
