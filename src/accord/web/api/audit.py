"""The audit log: every write, who made it, from which session or token, and when.

A negotiation's mediator reads its chain and verifies it; administrators read the chain of
account writes (chain 0) and verify every chain.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from accord.ledger import audit
from accord.ledger.models import AuditEvent, User
from accord.web.api.account_schemas import AuditEventOut, AuditVerifyOut
from accord.web.deps import MAX_ID, Access, DbSession, require_admin

router = APIRouter(tags=["audit"])
PATH = "/negotiations/{negotiation_id}"
Before = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Only events numbered below this.")
]
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many, newest first.")]


def event_out(event: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        number=event.number,
        at=event.at,
        username=event.username,
        credential=(
            f"{event.credential_kind} {event.credential_id}"
            if event.credential_id is not None
            else ""
        ),
        address=event.address,
        method=event.method,
        path=event.path,
        changes=list(event.changes),
        previous_hash=event.previous_hash,
        hash=event.hash,
    )


def report_out(report: audit.AuditReport) -> AuditVerifyOut:
    return AuditVerifyOut(
        chain=report.chain,
        ok=report.ok,
        events_checked=report.events_checked,
        broken_at=report.broken_at,
        reason=report.reason,
        head_hash=report.head_hash,
    )


@router.get(PATH + "/audit", response_model=list[AuditEventOut])
def negotiation_audit(
    access: Access, session: DbSession, before: Before = None, limit: Limit = 100
) -> list[AuditEventOut]:
    """Every write to this negotiation, newest first (mediator)."""
    access.require_mediator()
    return [event_out(e) for e in audit.events(session, access.negotiation.id, before, limit)]


@router.get(PATH + "/audit/verify", response_model=AuditVerifyOut)
def verify_negotiation_audit(access: Access, session: DbSession) -> AuditVerifyOut:
    """Recompute this negotiation's audit chain (mediator)."""
    access.require_mediator()
    return report_out(audit.verify_audit(session, access.negotiation.id))


@router.get("/audit", response_model=list[AuditEventOut])
def server_audit(
    admin: Annotated[User, Depends(require_admin)],
    session: DbSession,
    before: Before = None,
    limit: Limit = 100,
) -> list[AuditEventOut]:
    """Writes that concern no single negotiation (accounts, tokens), newest first (admin)."""
    return [event_out(e) for e in audit.events(session, audit.SERVER_CHAIN, before, limit)]


@router.get("/audit/verify", response_model=list[AuditVerifyOut])
def verify_all_audit(
    admin: Annotated[User, Depends(require_admin)], session: DbSession
) -> list[AuditVerifyOut]:
    """Recompute every audit chain (admin)."""
    return [report_out(audit.verify_audit(session, chain)) for chain in audit.chains(session)]
