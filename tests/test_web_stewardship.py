"""Which accounts a mediator may reset or disable, and the names and passwords of the
accounts they create."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from accord.ledger import Database
from accord.ledger.errors import Conflict, Forbidden, InvalidInput
from accord.ledger.models import Negotiation, User
from accord.ledger.negotiations import add_member, create_negotiation
from accord.scenario.loader import load_scenario
from accord.web import stewardship
from accord.web.auth import create_user, get_user_by_name
from accord.web.password_policy import check_password
from web_world import PASSWORD, PEACE_PLAN, seed


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """The web world (negotiation 1) and negotiation 2, mediated by ``other``, in which
    ``ru-delegate`` observes; ``admin`` observes negotiation 1."""
    world = seed(f"sqlite:///{tmp_path / 'ledger.db'}")
    database = Database(world.database_url)
    with database.transaction() as opened:
        other = create_user(opened, "other", PASSWORD)
        second = create_negotiation(opened, load_scenario(PEACE_PLAN), other)
        add_member(opened, second, user(opened, "ru-delegate"), "observer")
        admin = create_user(opened, "admin", PASSWORD, is_admin=True)
        add_member(opened, first(opened), admin, "observer")
        yield opened
    database.dispose()


def user(session: Session, name: str) -> User:
    found = get_user_by_name(session, name)
    assert found is not None
    return found


def first(session: Session) -> Negotiation:
    negotiation = session.get(Negotiation, 1)
    assert negotiation is not None
    return negotiation


def test_a_mediator_cares_for_accounts_wholly_in_their_negotiations(session: Session) -> None:
    mediator = user(session, "mediator")
    everyone = [user(session, name) for name in ("mediator", "ua-delegate", "ru-delegate")]
    everyone += [user(session, name) for name in ("observer", "admin", "other")]
    cared = stewardship.in_care_of(session, mediator, everyone)
    # Not themselves, not ru-delegate (a role in negotiation 2), not an administrator, not
    # other (no role in negotiation 1 at all).
    assert cared == {user(session, "ua-delegate").id, user(session, "observer").id}
    # Once they mediate negotiation 2 too, ru-delegate and other are in their care.
    negotiation_2 = session.get(Negotiation, 2)
    assert negotiation_2 is not None
    add_member(session, negotiation_2, mediator, "mediator")
    cared = stewardship.in_care_of(session, mediator, everyone)
    assert user(session, "ru-delegate").id in cared and user(session, "other").id in cared
    # An administrator cares for everyone but themselves.
    admin = user(session, "admin")
    assert stewardship.in_care_of(session, admin, everyone) == {
        account.id for account in everyone if account.id != admin.id
    }


def test_require_in_care_names_why(session: Session) -> None:
    mediator = user(session, "mediator")
    with pytest.raises(Forbidden, match="only an administrator"):
        stewardship.require_in_care(session, mediator, user(session, "ru-delegate"))
    with pytest.raises(InvalidInput, match="account page"):
        stewardship.require_in_care(session, mediator, mediator)
    stewardship.require_in_care(session, mediator, user(session, "observer"))


def test_the_last_mediator_keeps_the_role(session: Session) -> None:
    mediator, negotiation = user(session, "mediator"), first(session)
    with pytest.raises(Conflict, match="last mediator"):
        stewardship.take_role(session, negotiation, mediator)
    with pytest.raises(Conflict, match="last mediator"):
        stewardship.set_role(session, negotiation, mediator, "observer", None)
    stewardship.set_role(session, negotiation, mediator, "mediator", None)  # no change
    stewardship.set_role(session, negotiation, user(session, "observer"), "mediator", None)
    stewardship.take_role(session, negotiation, mediator)


def test_invited_names_end_at_random_and_passwords_pass_the_policy(session: Session) -> None:
    names = {stewardship.invited_name(session, "olena") for _ in range(20)}
    assert len(names) == 20
    assert all(re.fullmatch(r"olena-[a-z2-9]{8}", name) for name in names)
    with pytest.raises(InvalidInput, match="a name must be"):
        stewardship.invited_name(session, "x" * 72)
    with pytest.raises(InvalidInput, match="a name must be"):
        stewardship.invited_name(session, "not a name")
    passwords = {stewardship.one_time_password() for _ in range(20)}
    assert len(passwords) == 20
    for password in list(passwords)[:3]:
        check_password(password, "olena")  # raises if weak
        assert re.fullmatch(r"[A-Za-z2-9]{6}(-[A-Za-z2-9]{6}){3}", password)
