"""What a negotiation's mediator may do to the people in it, beyond the roles themselves.

A mediator gives and takes roles in the negotiations they mediate (the last mediator
cannot step down). They may also reset the password of, disable or enable an account, but
only an account *wholly in their care*: every role it holds is in a negotiation they
mediate, it is not an administrator's, and it is not their own (their own password is
changed on the account page). Anything else is an administrator's to do. An administrator
may do all of it.

A mediator who is not an administrator never learns whether a name has an account beyond
what the JSON API tells them: adding a role by name answers the same whether or not the
account exists, and the accounts they create get a random ending (:func:`invited_name`),
so that creating one never fails because a name is taken.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.ledger import negotiations as ledger
from accord.ledger.errors import Conflict, Forbidden, InvalidInput
from accord.ledger.models import Membership, Negotiation, User
from accord.web.auth import USERNAME_PATTERN, get_user_by_name

# Eight letters from an alphabet of 32 (40 bits): a clash with an existing name is
# unlikely, and one is simply drawn again, which tells the mediator nothing.
_ENDING_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_ENDING_LENGTH = 8
# Four groups of six letters and digits (about 140 bits): far past any policy, and easy
# to read out or type ("k3Fq9x-...").
_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
_PASSWORD_GROUPS, _GROUP_LENGTH = 4, 6


def invited_name(session: Session, base: str) -> str:
    """``base`` with a random ending (``olena-k3f9x2pq``) no account has yet."""
    base = base.strip()
    if not USERNAME_PATTERN.fullmatch(base) or len(base) > 80 - _ENDING_LENGTH - 1:
        raise InvalidInput(
            f"a name must be 1-{80 - _ENDING_LENGTH - 1} letters, digits, '_', '.', '@' or "
            "'-', starting with a letter or digit (a random ending is added to it)"
        )
    while True:
        ending = "".join(secrets.choice(_ENDING_ALPHABET) for _ in range(_ENDING_LENGTH))
        name = f"{base}-{ending}"
        if get_user_by_name(session, name) is None:
            return name


def one_time_password() -> str:
    """A random password, shown once to whoever hands it over."""
    return "-".join(
        "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(_GROUP_LENGTH))
        for _ in range(_PASSWORD_GROUPS)
    )


def mediated_by(session: Session, user: User) -> set[int]:
    """The ids of the negotiations ``user`` mediates."""
    return set(
        session.scalars(
            select(Membership.negotiation_id).where(
                Membership.user_id == user.id, Membership.role == "mediator"
            )
        )
    )


def in_care_of(session: Session, actor: User, users: list[User]) -> set[int]:
    """Those of ``users`` (ids) whose accounts ``actor`` may reset, disable or enable."""
    if actor.is_admin:
        return {user.id for user in users if user.id != actor.id}
    candidates = {user.id for user in users if user.id != actor.id and not user.is_admin}
    if not candidates:
        return set()
    mediated = mediated_by(session, actor)
    elsewhere = set(
        session.scalars(
            select(Membership.user_id).where(
                Membership.user_id.in_(candidates), Membership.negotiation_id.not_in(mediated)
            )
        )
    )
    held = select(Membership.user_id).where(Membership.user_id.in_(candidates))
    return (candidates & set(session.scalars(held))) - elsewhere


def require_in_care(session: Session, actor: User, target: User) -> None:
    """Refuse to touch an account that is not wholly in ``actor``'s care."""
    if target.id == actor.id:
        raise InvalidInput("your own password and account are managed on your account page")
    if target.id not in in_care_of(session, actor, [target]):
        raise Forbidden(
            f"only an administrator may do this to '{target.username}': a mediator may only "
            "for accounts whose every role is in negotiations they mediate (and not an "
            "administrator's)"
        )


def member_named(session: Session, negotiation: Negotiation, username: str) -> User:
    """The user of that name with a role in ``negotiation``; otherwise the API's answer
    for a name without a role here, the same whether or not it has an account."""
    user = get_user_by_name(session, username)
    if user is None or ledger.membership_of(session, negotiation.id, user.id) is None:
        raise ledger.no_role(negotiation, username)
    return user


def set_role(
    session: Session,
    negotiation: Negotiation,
    user: User,
    role: ledger.MemberRole,
    party_key: str | None,
) -> Membership:
    """Give ``user`` a role here (replacing theirs); the last mediator keeps theirs."""
    if role != "mediator":
        _keep_a_mediator(session, negotiation, user)
    return ledger.add_member(session, negotiation, user, role, party_key)


def take_role(session: Session, negotiation: Negotiation, user: User) -> None:
    """Take ``user``'s role away; the last mediator cannot leave the negotiation without one."""
    _keep_a_mediator(session, negotiation, user)
    ledger.remove_member(session, negotiation, user)


def _keep_a_mediator(session: Session, negotiation: Negotiation, user: User) -> None:
    membership = ledger.membership_of(session, negotiation.id, user.id)
    if membership is None or membership.role != "mediator":
        return
    mediators = [m for m in ledger.members(session, negotiation) if m.role == "mediator"]
    if len(mediators) <= 1:
        raise Conflict(
            f"'{user.username}' is the last mediator of negotiation {negotiation.id}: "
            "make someone else mediator first"
        )
