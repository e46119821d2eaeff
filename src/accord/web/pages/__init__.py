"""Server-rendered dashboard pages: one router the app factory includes at the root.

Login, the list of negotiations, each negotiation's dashboard (consensus matrix per
block), drafts with their history and differences, the meeting log, the parties, and the
mediator's analysis. Every action goes through the ledger's service functions and the
access rules the JSON API uses.
"""

from fastapi import APIRouter

from accord.web.pages import (
    accounts,
    agenda,
    agenda_history,
    analysis,
    audit,
    dashboard,
    draft_print,
    drafts,
    elicitation,
    exports,
    login,
    meetings,
    parties,
    people,
    preferences,
    setup,
    static,
    timeline,
    workbench_analysis,
)

router = APIRouter(include_in_schema=False)
for module in (
    static,
    login,
    accounts,
    setup,  # before dashboard: /negotiations/new is not a negotiation's id
    dashboard,
    drafts,
    draft_print,
    exports,
    meetings,
    parties,
    analysis,
    workbench_analysis,
    audit,
    elicitation,
    agenda,
    agenda_history,
    preferences,
    people,
    timeline,
):
    router.include_router(module.router)

__all__ = ["router"]
