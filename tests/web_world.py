"""A ledger seeded for the page, browser and load tests: the peace plan and one user per role.

The users are the mediator, Ukraine's and Russia's delegates and an observer, all with the
password ``PASSWORD``. ``PRIVATE_MARKERS`` are strings that appear only in one party's
preferences (red-line labels): a page shown to anyone else must never contain them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.ledger import Database
from accord.ledger.negotiations import add_member, create_negotiation
from accord.scenario.loader import load_scenario
from accord.web.auth import create_user

PEACE_PLAN = Path(__file__).parents[1] / "examples" / "peace-plan-27.yaml"
PASSWORD = "correct horse battery"
USERS = {
    "mediator": ("mediator", None),
    "ua-delegate": ("delegate", "ua"),
    "ru-delegate": ("delegate", "ru"),
    "observer": ("observer", None),
}


def private_markers() -> dict[str, list[str]]:
    """Per party, red-line and interaction labels found in no other part of the scenario."""
    scenario = load_scenario(PEACE_PLAN)
    public = scenario.model_dump_json(exclude={"parties"})
    markers: dict[str, list[str]] = {}
    for party in scenario.parties:
        if party.preferences is None:
            continue
        labels = [r.label for r in party.preferences.red_lines] + [
            i.label for i in party.preferences.interactions
        ]
        markers[party.id] = [label for label in labels if label and label not in public]
    return markers


PRIVATE_MARKERS = private_markers()


@dataclass(frozen=True)
class World:
    database_url: str
    negotiation_id: int


def seed(database_url: str) -> World:
    """Migrate the database, load the peace plan and create one user per role."""
    database = Database(database_url)
    try:
        database.migrate()
        with database.transaction() as session:
            users = {name: create_user(session, name, PASSWORD, is_admin=False) for name in USERS}
            negotiation = create_negotiation(session, load_scenario(PEACE_PLAN), users["mediator"])
            for name, (role, party) in USERS.items():
                if name != "mediator":
                    add_member(session, negotiation, users[name], role, party)  # type: ignore[arg-type]
            negotiation_id = negotiation.id
    finally:
        database.dispose()
    return World(database_url, negotiation_id)


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_token_of(page: str) -> str:
    """The CSRF token in a page's forms (the hidden ``csrf_token`` input)."""
    found = CSRF_INPUT.search(page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def log_in(client: Any, username: str, password: str = PASSWORD, **extra: str) -> Any:
    """Log in with the login form as a browser does (its token included) and, on success,
    make the client send the session's CSRF token with every later request, as the
    forms of the pages would."""
    form = {"username": username, "password": password, **extra}
    form["csrf_token"] = csrf_token_of(client.get("/login").text)
    response = client.post("/login", data=form, follow_redirects=False)
    if response.status_code == 303:
        client.headers["X-CSRF-Token"] = csrf_token_of(client.get("/login").text)
    return response
