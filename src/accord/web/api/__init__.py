"""The JSON API: one router per concept, mounted under ``/api`` by the app factory."""

from fastapi import APIRouter

from accord.web.api import (
    accounts,
    agenda,
    analysis,
    audit,
    drafts,
    meetings,
    negotiations,
    stances,
)

router = APIRouter(prefix="/api")
for module in (accounts, negotiations, agenda, meetings, drafts, stances, analysis, audit):
    router.include_router(module.router)

__all__ = ["router"]
