"""Stances: what each party said about each point, with the full history kept."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from sqlalchemy import Select, String, bindparam, func, select, true, union_all
from sqlalchemy.orm import Session

from accord.ledger.errors import InvalidInput
from accord.ledger.models import DraftVersion, Negotiation, Party, Stance, User
from accord.ledger.negotiations import options_of

StanceKind = Literal["accepts", "rejects", "conditional", "unknown"]
STANCE_KINDS: tuple[StanceKind, ...] = ("accepts", "rejects", "conditional", "unknown")


def record_stance(
    session: Session,
    negotiation: Negotiation,
    party: Party,
    issue: str,
    stance: str,
    condition: str = "",
    version: DraftVersion | None = None,
    user: User | None = None,
) -> Stance:
    """Append a stance; earlier ones stay in the history."""
    options_of(negotiation, issue)  # raises on an unknown point
    if stance not in STANCE_KINDS:
        raise InvalidInput(f"unknown stance '{stance}' (stances: {', '.join(STANCE_KINDS)})")
    if stance == "conditional" and not condition.strip():
        raise InvalidInput("a conditional stance needs its condition")
    if stance != "conditional" and condition.strip():
        raise InvalidInput(f"only a conditional stance has a condition, not '{stance}'")
    if not party.active:
        raise InvalidInput(f"party '{party.key}' has left the negotiation")
    if version is not None and version.draft.negotiation_id != negotiation.id:
        raise InvalidInput(f"draft version {version.id} belongs to another negotiation")
    row = Stance(
        negotiation_id=negotiation.id,
        party_id=party.id,
        issue=issue,
        stance=stance,
        condition=condition,
        version_id=None if version is None else version.id,
        recorded_by=None if user is None else user.id,
    )
    session.add(row)
    session.flush()
    return row


def stance_history(
    session: Session,
    negotiation: Negotiation,
    parties: list[Party] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[Stance]:
    """Stances recorded, oldest first (of ``parties`` only, if given), from the
    ``offset``-th on, at most ``limit`` of them."""
    query = _of(negotiation, parties).order_by(Stance.id).offset(offset).limit(limit)
    return list(session.scalars(query))


def newest_stances(
    session: Session,
    negotiation: Negotiation,
    parties: list[Party],
    limit: int,
    before: int | None = None,
) -> list[Stance]:
    """At most ``limit`` stances of ``parties``, newest first, recorded before the stance
    with id ``before`` (if given): one page of the history."""
    query = _of(negotiation, parties)
    if before is not None:
        query = query.where(Stance.id < before)
    return list(session.scalars(query.order_by(Stance.id.desc()).limit(limit)))


def current_stances(
    session: Session, negotiation: Negotiation, parties: list[Party] | None = None
) -> dict[tuple[str, str], Stance]:
    """The latest stance per (party key, issue id); a missing pair means unknown.

    One row per pair is read (the highest id of each group, from the index on
    negotiation, party, issue and id), however long the history.
    """
    latest = (
        _of(negotiation, parties)
        .with_only_columns(func.max(Stance.id))
        .group_by(Stance.party_id, Stance.issue)
    )
    return _by_pair(session, negotiation, parties, latest)


MAX_POINTS_BY_DESCENT = 200
"""Agendas with more points are read by grouping (SQLite's compound SELECT has at most
500 terms; the statement is built once per number of points up to this)."""


def current_stances_on(
    session: Session, negotiation: Negotiation, parties: list[Party], issues: list[str]
) -> dict[tuple[str, str], Stance]:
    """:func:`current_stances` of ``parties`` on ``issues`` only (the agenda's points).

    Each pair's latest stance is one descent of the index on negotiation, party, issue
    and id, so the cost grows with the pairs, not with the history (the grouping of
    :func:`current_stances` reads every stance of the parties in the index).
    """
    if not parties or not issues:
        return {}
    if len(issues) > MAX_POINTS_BY_DESCENT:
        wanted = set(issues)
        current = current_stances(session, negotiation, parties)
        return {key: row for key, row in current.items() if key[1] in wanted}
    values: dict[str, Any] = {f"issue_{index}": issue for index, issue in enumerate(issues)}
    values |= {"negotiation": negotiation.id, "parties": [party.id for party in parties]}
    rows = session.scalars(_latest_on(len(issues)), values)
    # Party keys from the parties at hand: a row's own party would be one lookup per row.
    keys = {party.id: party.key for party in parties}
    return {(keys[row.party_id], row.issue): row for row in rows}


@cache
def _latest_on(issue_count: int) -> Select[Stance]:
    """The statement of :func:`current_stances_on` for that many points, built once (its
    size grows with the points: built on every request, it cost more than it saves)."""
    points = union_all(
        *(
            select(bindparam(f"issue_{index}", type_=String).label("issue"))
            for index in range(issue_count)
        )
    ).subquery("points")
    newest = (
        select(Stance.id)
        .where(
            Stance.negotiation_id == bindparam("negotiation"),
            Stance.party_id == Party.id,
            Stance.issue == points.c.issue,
        )
        .order_by(Stance.id.desc())
        .limit(1)
        .correlate(Party, points)
        .scalar_subquery()
    )
    latest = (
        select(newest)
        .select_from(Party)
        .join(points, true())
        .where(Party.id.in_(bindparam("parties", expanding=True)))
    )
    return select(Stance).where(Stance.id.in_(latest)).order_by(Stance.id)


def _by_pair(
    session: Session,
    negotiation: Negotiation,
    parties: list[Party] | None,
    latest: Select[Any],
) -> dict[tuple[str, str], Stance]:
    """The stances whose ids ``latest`` selects, by (party key, issue id)."""
    rows = session.scalars(select(Stance).where(Stance.id.in_(latest)).order_by(Stance.id))
    # Party keys from the parties at hand: a row's own party would be one lookup per row.
    keys = {party.id: party.key for party in (negotiation.parties if parties is None else parties)}
    return {(keys[row.party_id], row.issue): row for row in rows}


def _of(negotiation: Negotiation, parties: list[Party] | None) -> Select[Stance]:
    query = select(Stance).where(Stance.negotiation_id == negotiation.id)
    if parties is not None:
        query = query.where(Stance.party_id.in_([party.id for party in parties]))
    return query
