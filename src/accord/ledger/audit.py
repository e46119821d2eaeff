"""The audit log: every committed write, who made it, from which credential, and when.

:func:`install` hooks a session factory so that each transaction that changed rows gets
one :class:`~accord.ledger.models.AuditEvent` in the same transaction: the write and its
record commit together or not at all. The event names the actor (set by the web layer
with :func:`set_actor`: user, session or token, address, request), and the rows added,
changed (with the columns, never their values: a party's preferences stay private) or
deleted.

Events form one hash chain per negotiation (chain 0 holds accounts and the rest), built
like the draft chain of :mod:`accord.ledger.chain`: each hash covers the event and the
hash before it, so :func:`verify_audit` finds any event altered, inserted or removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from accord.ledger.chain import GENESIS
from accord.ledger.models import AuditEvent, Negotiation, utc_now

SERVER_CHAIN = 0
"""The chain of writes that concern no single negotiation (accounts, tokens)."""

_ACTOR = "accord_audit_actor"
_PENDING = "accord_audit_pending"
_LOCK_NAMESPACE = 0x41434344  # "ACCD": PostgreSQL advisory locks of the audit chains


@dataclass(frozen=True)
class Actor:
    """Who is writing through a session, and through which request."""

    user_id: int | None = None
    username: str = ""
    credential_id: int | None = None
    credential_kind: str = ""  # "session" (cookie), "api" (bearer token) or ""
    address: str = ""
    method: str = ""
    path: str = ""
    negotiation_id: int | None = None  # named by the request's path


@dataclass
class _Pending:
    changes: set[str] = field(default_factory=set)
    negotiations: set[int] = field(default_factory=set)


def set_actor(session: Session, actor: Actor) -> None:
    """Name who writes through ``session`` from now on (kept across its transactions)."""
    session.info[_ACTOR] = actor


def actor_of(session: Session) -> Actor:
    actor: Actor = session.info.get(_ACTOR, Actor())
    return actor


def install(factory: sessionmaker[Session]) -> None:
    """Record an audit event for every transaction of ``factory``'s sessions that writes."""
    event.listen(factory, "after_flush", _collect_flush)
    event.listen(factory, "do_orm_execute", _collect_statement)
    event.listen(factory, "before_commit", _append_event)
    event.listen(factory, "after_commit", _forget)
    event.listen(factory, "after_soft_rollback", _forget_after_rollback)


def _pending(session: Session) -> _Pending:
    pending: _Pending = session.info.setdefault(_PENDING, _Pending())
    return pending


def _collect_flush(session: Session, _context: Any) -> None:
    # Called after the SQL ran but before the session's lists are reset: they still tell
    # what this flush wrote.
    for kind, objects in (
        ("added", session.new),
        ("changed", session.dirty),
        ("deleted", session.deleted),
    ):
        for obj in objects:
            if isinstance(obj, AuditEvent):
                continue
            state = inspect(obj)
            columns = [
                attribute.key
                for attribute in state.mapper.column_attrs
                if state.attrs[attribute.key].history.has_changes()
            ]
            if kind == "changed" and not columns:
                continue
            key = ",".join(str(part) for part in state.mapper.primary_key_from_instance(obj))
            described = f"{state.mapper.local_table.name} {key} {kind}"
            if kind == "changed":
                described += ": " + ", ".join(sorted(columns))
            pending = _pending(session)
            pending.changes.add(described)
            negotiation = obj.id if isinstance(obj, Negotiation) else None
            if negotiation is None:
                negotiation = getattr(obj, "negotiation_id", None)
            if isinstance(negotiation, int):
                pending.negotiations.add(negotiation)


def _collect_statement(state: Any) -> None:
    # Bulk UPDATE and DELETE statements bypass the flush.
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", "rows")
        kind = "changed" if state.is_update else "deleted"
        _pending(state.session).changes.add(f"{name} rows {kind} (bulk)")


def _append_event(session: Session) -> None:
    session.flush()  # so that _collect_flush has seen everything this transaction wrote
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None or not pending.changes:
        return
    actor = actor_of(session)
    chain = actor.negotiation_id
    if chain is None:
        chain = next(iter(pending.negotiations)) if len(pending.negotiations) == 1 else 0
    append(session, chain, actor, sorted(pending.changes))


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _forget_after_rollback(session: Session, _transaction: Any) -> None:
    session.info.pop(_PENDING, None)


def append(session: Session, chain: int, actor: Actor, changes: list[str]) -> AuditEvent:
    """Chain a new event to the head of ``chain`` (serialised per chain until commit)."""
    if session.get_bind().dialect.name == "postgresql":
        # SQLite serialises writers already (BEGIN IMMEDIATE); PostgreSQL needs a lock so
        # that two writers cannot both read the same head.
        session.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :chain)"),
            {"namespace": _LOCK_NAMESPACE, "chain": chain},
        )
    head = session.execute(
        select(AuditEvent.number, AuditEvent.hash)
        .where(AuditEvent.chain == chain)
        .order_by(AuditEvent.number.desc())
        .limit(1)
    ).first()
    previous_hash = GENESIS if head is None else head.hash
    audit_event = AuditEvent(
        chain=chain,
        number=1 if head is None else head.number + 1,
        at=utc_now(),
        user_id=actor.user_id,
        username=actor.username,
        credential_id=actor.credential_id,
        credential_kind=actor.credential_kind,
        address=actor.address[:64],
        method=actor.method,
        path=actor.path,
        changes=changes,
        previous_hash=previous_hash,
        hash="",
    )
    audit_event.hash = event_hash(audit_event, previous_hash)
    session.add(audit_event)
    return audit_event


def event_hash(audit_event: AuditEvent, previous_hash: str) -> str:
    """SHA-256 over the canonical JSON of the event and ``previous_hash``."""
    content: dict[str, Any] = {
        "chain": audit_event.chain,
        "number": audit_event.number,
        "at": audit_event.at.isoformat(timespec="microseconds"),
        "user": audit_event.user_id,
        "username": audit_event.username,
        "credential": audit_event.credential_id,
        "credential_kind": audit_event.credential_kind,
        "address": audit_event.address,
        "method": audit_event.method,
        "path": audit_event.path,
        "changes": audit_event.changes,
        "previous": previous_hash,
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def events(
    session: Session, chain: int, before: int | None = None, limit: int = 100
) -> list[AuditEvent]:
    """The newest ``limit`` events of ``chain`` (older than number ``before``, if given)."""
    query = select(AuditEvent).where(AuditEvent.chain == chain)
    if before is not None:
        query = query.where(AuditEvent.number < before)
    return list(session.scalars(query.order_by(AuditEvent.number.desc()).limit(limit)))


@dataclass(frozen=True)
class AuditReport:
    """The verification of one chain: where it first breaks (if it does) and its head."""

    chain: int
    events_checked: int
    broken_at: int | None
    reason: str
    head_hash: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_audit(session: Session, chain: int) -> AuditReport:
    """Recompute every hash of ``chain``, oldest first; report the first break."""
    previous = GENESIS
    checked = 0
    query = select(AuditEvent).where(AuditEvent.chain == chain).order_by(AuditEvent.number)
    for expected, audit_event in enumerate(session.scalars(query), start=1):
        checked += 1
        if audit_event.number != expected:
            return AuditReport(chain, checked, expected, f"event {expected} is missing", previous)
        if audit_event.previous_hash != previous:
            reason = "previous hash does not match the event before"
            return AuditReport(chain, checked, expected, reason, previous)
        if event_hash(audit_event, previous) != audit_event.hash:
            reason = "content does not match its hash (altered)"
            return AuditReport(chain, checked, expected, reason, previous)
        previous = audit_event.hash
    return AuditReport(chain, checked, None, "", previous)


def chains(session: Session) -> list[int]:
    """Every chain that has events."""
    return list(session.scalars(select(AuditEvent.chain).group_by(AuditEvent.chain)))


def event_count(session: Session, chain: int) -> int:
    return session.scalar(select(func.count()).where(AuditEvent.chain == chain)) or 0
