"""Every API endpoint × every role: allowed or refused, and nothing private leaks.

Each case builds its own preconditions (through the mediator) and sends one request with a
fresh token of the role under test. The expected outcome is written per endpoint; a test
fails if an endpoint of the OpenAPI spec has no case here, so a new endpoint cannot escape
the matrix. Every response body (allowed or refused) is searched for the canaries written
into the other parties' private preferences, and for their red-line labels.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from accord.web.auth import get_user_by_name, issue_token
from web_fixtures import PASSWORD, World, canary, canary_scenario, peace_plan_data

ROLES = ("mediator", "ua_delegate", "ru_delegate", "observer", "outsider", "anonymous")
MEMBERS = {"mediator", "ua_delegate", "ru_delegate", "observer"}
UA_SIDE = {"mediator", "ua_delegate"}
DELEGATES_AND_MEDIATOR = {"mediator", "ua_delegate", "ru_delegate"}
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
_unique = itertools.count(1)

Request = tuple[str, str, Any]  # method, path, JSON body


@dataclass(frozen=True)
class Case:
    """One endpoint: who may call it, and how to build a request (with preconditions)."""

    method: str
    template: str
    allowed: set[str]
    build: Callable[[World], Request]
    label: str = ""


def _as_mediator(world: World, method: str, suffix: str, body: Any = None) -> Any:
    response = world.client.request(
        method, world.path(suffix), json=body, headers=world.headers("mediator")
    )
    assert response.status_code < 300, response.text
    return response.json()


def _draft_sent_to_ua(world: World, versions: int = 1) -> int:
    draft = _as_mediator(
        world, "POST", "/drafts", {"title": "Text", "package": {"donetsk": "buffer-ua"}}
    )
    for number in range(1, versions + 1):
        if number > 1:
            _as_mediator(
                world, "POST", f"/drafts/{draft['id']}/versions", {"package": {"ceasefire": "none"}}
            )
        _as_mediator(
            world,
            "POST",
            f"/drafts/{draft['id']}/versions/{number}/distribution",
            {"parties": ["ua"]},
        )
    return int(draft["id"])


def _ua_counter_draft(world: World) -> int:
    base = _draft_sent_to_ua(world)
    counter = _as_mediator(
        world,
        "POST",
        "/drafts",
        {
            "title": "Ukraine's text",
            "party": "ua",
            "package": {"donetsk": "line-of-contact"},
            "responds_to": {"draft": base, "version": 1},
        },
    )
    return int(counter["id"])


def _ua_preferences(world: World) -> dict[str, Any]:
    preferences = canary_scenario().party("ua").preferences
    assert preferences is not None
    return preferences.model_dump(mode="json")


def _new_observer_party(world: World) -> str:
    body = {"key": f"q{next(_unique)}", "role": "observer"}
    return str(_as_mediator(world, "POST", "/parties", body)["key"])


def _new_user(world: World) -> str:
    username = f"spare{next(_unique)}"
    body = {"username": username, "password": PASSWORD}
    response = world.client.post("/api/users", json=body, headers=world.headers("mediator"))
    assert response.status_code == 201, response.text
    return username


def _new_member(world: World) -> str:
    username = _new_user(world)
    body = {"username": username, "role": "observer"}
    _as_mediator(world, "PUT", "/members", body)
    return username


def _mediator_token_id(world: World) -> int:
    response = world.client.post(
        "/api/tokens", json={"label": "to revoke"}, headers=world.headers("mediator")
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _retitled_agenda(world: World) -> dict[str, Any]:
    """The agenda with its first point retitled (a change, so each call is a new version)."""
    agenda = _as_mediator(world, "GET", "/agenda")
    issues = agenda["issues"]
    issues[0]["title"] = f"Sovereignty, reworded {next(_unique)}"
    return {"blocks": agenda["blocks"], "issues": issues, "note": "reworded"}


def _n(world: World, suffix: str) -> str:
    return world.path(suffix)


CASES = [
    Case("GET", "/api/health", EVERYONE, lambda w: ("GET", "/api/health", None)),
    Case(
        "POST",
        "/api/auth/login",
        EVERYONE,
        lambda w: ("POST", "/api/auth/login", {"username": "outsider", "password": PASSWORD}),
    ),
    Case("POST", "/api/auth/logout", EVERYONE, lambda w: ("POST", "/api/auth/logout", None)),
    Case("GET", "/api/me", SIGNED_IN, lambda w: ("GET", "/api/me", None)),
    Case("POST", "/api/tokens", SIGNED_IN, lambda w: ("POST", "/api/tokens", {"label": "t"})),
    Case(
        "POST",
        "/api/users",
        {"mediator"},
        lambda w: ("POST", "/api/users", {"username": f"u{next(_unique)}", "password": PASSWORD}),
    ),
    Case("GET", "/api/tokens", SIGNED_IN, lambda w: ("GET", "/api/tokens", None)),
    Case(
        "DELETE",
        "/api/tokens/{token_id}",
        {"mediator"},  # anyone else's token looks missing
        lambda w: ("DELETE", f"/api/tokens/{_mediator_token_id(w)}", None),
    ),
    Case("GET", "/api/users", {"mediator"}, lambda w: ("GET", "/api/users", None)),
    Case(
        "PATCH",
        "/api/users/{username}",
        {"mediator"},
        lambda w: ("PATCH", f"/api/users/{_new_user(w)}", {"can_create_negotiations": True}),
    ),
    Case(
        "PUT",
        "/api/users/{username}/password",
        {"mediator"},
        lambda w: ("PUT", f"/api/users/{_new_user(w)}/password", {"password": PASSWORD}),
    ),
    Case("GET", "/api/audit", {"mediator"}, lambda w: ("GET", "/api/audit", None)),
    Case("GET", "/api/audit/verify", {"mediator"}, lambda w: ("GET", "/api/audit/verify", None)),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/audit",
        {"mediator"},
        lambda w: ("GET", _n(w, "/audit"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/audit/verify",
        {"mediator"},
        lambda w: ("GET", _n(w, "/audit/verify"), None),
    ),
    Case("GET", "/api/negotiations", SIGNED_IN, lambda w: ("GET", "/api/negotiations", None)),
    Case(
        "POST",
        "/api/negotiations",
        {"mediator"},  # an administrator; others need the permission
        lambda w: ("POST", "/api/negotiations", {"scenario": peace_plan_data()}),
    ),
    Case("GET", "/api/negotiations/{negotiation_id}", MEMBERS, lambda w: ("GET", _n(w, ""), None)),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/parties",
        MEMBERS,
        lambda w: ("GET", _n(w, "/parties"), None),
    ),
    Case(
        "POST",
        "/api/negotiations/{negotiation_id}/parties",
        {"mediator"},
        lambda w: ("POST", _n(w, "/parties"), {"key": f"p{next(_unique)}", "role": "observer"}),
    ),
    Case(
        "PATCH",
        "/api/negotiations/{negotiation_id}/parties/{party_key}",
        {"mediator"},
        lambda w: ("PATCH", _n(w, "/parties/eu"), {"role": "observer", "required": False}),
    ),
    Case(
        "POST",
        "/api/negotiations/{negotiation_id}/parties/{party_key}/leave",
        {"mediator"},
        lambda w: (
            "POST",
            _n(
                w,
                f"/parties/{_new_observer_party(w)}/leave",
            ),
            {"note": ""},
        ),
    ),
    Case(
        "PUT",
        "/api/negotiations/{negotiation_id}/agreement",
        {"mediator"},
        lambda w: ("PUT", _n(w, "/agreement"), {"agreement": {"kind": "unanimity"}}),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/agreement-history",
        MEMBERS,
        lambda w: ("GET", _n(w, "/agreement-history"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/party-events",
        MEMBERS,
        lambda w: ("GET", _n(w, "/party-events"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/parties/{party_key}/preferences",
        UA_SIDE,
        lambda w: ("GET", _n(w, "/parties/ua/preferences"), None),
    ),
    Case(
        "PUT",
        "/api/negotiations/{negotiation_id}/parties/{party_key}/preferences",
        UA_SIDE,
        lambda w: ("PUT", _n(w, "/parties/ua/preferences"), _ua_preferences(w)),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/agenda",
        MEMBERS,
        lambda w: ("GET", _n(w, "/agenda"), None),
    ),
    Case(
        "PUT",
        "/api/negotiations/{negotiation_id}/agenda",
        {"mediator"},
        lambda w: ("PUT", _n(w, "/agenda"), _retitled_agenda(w)),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/agenda/versions",
        MEMBERS,
        lambda w: ("GET", _n(w, "/agenda/versions"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/agenda/versions/{number}",
        MEMBERS,
        lambda w: ("GET", _n(w, "/agenda/versions/1"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/members",
        {"mediator"},
        lambda w: ("GET", _n(w, "/members"), None),
    ),
    Case(
        "PUT",
        "/api/negotiations/{negotiation_id}/members",
        {"mediator"},
        lambda w: ("PUT", _n(w, "/members"), {"username": _new_user(w), "role": "observer"}),
    ),
    Case(
        "DELETE",
        "/api/negotiations/{negotiation_id}/members/{username}",
        {"mediator"},
        lambda w: ("DELETE", _n(w, f"/members/{_new_member(w)}"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/meetings",
        MEMBERS,
        lambda w: ("GET", _n(w, "/meetings"), None),
    ),
    Case(
        "POST",
        "/api/negotiations/{negotiation_id}/meetings",
        {"mediator"},
        lambda w: (
            "POST",
            _n(w, "/meetings"),
            {"held_at": "2025-12-02T10:00:00Z", "duration_minutes": 300, "attendees": ["ua"]},
        ),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/meetings/{number}",
        MEMBERS,
        lambda w: (
            "GET",
            _n(
                w,
                "/meetings/"
                + str(
                    _as_mediator(
                        w,
                        "POST",
                        "/meetings",
                        {"held_at": "2025-12-02T10:00:00Z", "duration_minutes": 5},
                    )["number"]
                ),
            ),
            None,
        ),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/drafts",
        MEMBERS,
        lambda w: ("GET", _n(w, "/drafts"), None),
    ),
    Case(
        "POST",
        "/api/negotiations/{negotiation_id}/drafts",
        {"mediator"},
        lambda w: ("POST", _n(w, "/drafts"), {"title": "T", "package": {"donetsk": "withdrawal"}}),
        "the mediator's text",
    ),
    Case(
        "POST",
        "/api/negotiations/{negotiation_id}/drafts",
        UA_SIDE,
        lambda w: (
            "POST",
            _n(w, "/drafts"),
            {
                "title": "Counter",
                "party": "ua",
                "package": {"donetsk": "line-of-contact"},
                "responds_to": {"draft": _draft_sent_to_ua(w), "version": 1},
            },
        ),
        "a counter-draft of Ukraine",
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/drafts/{draft_id}",
        UA_SIDE,
        lambda w: ("GET", _n(w, f"/drafts/{_draft_sent_to_ua(w)}"), None),
    ),
    Case(
        "POST",
        "/api/negotiations/{negotiation_id}/drafts/{draft_id}/versions",
        {"mediator"},
        lambda w: (
            "POST",
            _n(w, f"/drafts/{_draft_sent_to_ua(w)}/versions"),
            {"package": {"donetsk": "withdrawal"}},
        ),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/drafts/{draft_id}/versions/{number}",
        UA_SIDE,
        lambda w: ("GET", _n(w, f"/drafts/{_draft_sent_to_ua(w)}/versions/1"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/drafts/{draft_id}/diff",
        UA_SIDE,
        lambda w: ("GET", _n(w, f"/drafts/{_draft_sent_to_ua(w, 2)}/diff?before=1&after=2"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/drafts/{draft_id}/versions/{number}/comparison",
        UA_SIDE,
        lambda w: ("GET", _n(w, f"/drafts/{_ua_counter_draft(w)}/versions/1/comparison"), None),
    ),
    Case(
        "POST",
        "/api/negotiations/{negotiation_id}/drafts/{draft_id}/versions/{number}/distribution",
        {"mediator"},
        lambda w: (
            "POST",
            _n(
                w,
                "/drafts/"
                + str(
                    _as_mediator(
                        w, "POST", "/drafts", {"title": "T", "package": {"donetsk": "withdrawal"}}
                    )["id"]
                )
                + "/versions/1/distribution",
            ),
            {"parties": ["ru"]},
        ),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/distribution",
        DELEGATES_AND_MEDIATOR,
        lambda w: ("GET", _n(w, "/distribution"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/stances",
        DELEGATES_AND_MEDIATOR,
        lambda w: ("GET", _n(w, "/stances"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/stances/history",
        DELEGATES_AND_MEDIATOR,
        lambda w: ("GET", _n(w, "/stances/history"), None),
    ),
    Case(
        "POST",
        "/api/negotiations/{negotiation_id}/stances",
        UA_SIDE,
        lambda w: (
            "POST",
            _n(w, "/stances"),
            {"party": "ua", "issue": "donetsk", "stance": "conditional", "condition": "guarantees"},
        ),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/analysis",
        {"mediator"},
        lambda w: ("GET", _n(w, "/analysis"), None),
    ),
    Case(
        "GET",
        "/api/negotiations/{negotiation_id}/verify",
        {"mediator"},
        lambda w: ("GET", _n(w, "/verify"), None),
    ),
    # Last: it revokes every other credential of the caller, the world's tokens included.
    Case(
        "PUT",
        "/api/me/password",
        SIGNED_IN,
        lambda w: (
            "PUT",
            "/api/me/password",
            {"current_password": PASSWORD, "new_password": PASSWORD},
        ),
    ),
]

# What each role must never see: the canaries and red-line labels of the parties it does
# not represent (the mediator sees everything).
PARTY_OF = {"ua_delegate": "ua", "ru_delegate": "ru"}


@functools.cache
def _private_markers(party: str) -> list[str]:
    preferences = canary_scenario().party(party).preferences
    labels = [] if preferences is None else [r.label for r in preferences.red_lines]
    return [canary(party), *labels]


def _forbidden_text(role: str) -> list[str]:
    if role == "mediator":
        return []
    own = PARTY_OF.get(role)
    return [m for p in ("ru", "ua", "us", "eu") if p != own for m in _private_markers(p)]


def _headers(world: World, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    # A fresh token per request: a case may revoke it (logout).
    with world.database.transaction() as session:
        user = get_user_by_name(session, role)
        assert user is not None
        secret = issue_token(session, user, "api", "matrix")[1]
    return {"Authorization": f"Bearer {secret}"}


def test_every_endpoint_of_the_spec_is_in_the_matrix(world: World) -> None:
    spec = world.client.get("/openapi.json").json()
    in_spec = {(m.upper(), path) for path, ops in spec["paths"].items() for m in ops}
    assert in_spec == {(case.method, case.template) for case in CASES}


def test_every_endpoint_for_every_role(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level: no log line may leak either
    problems = []
    for case in CASES:
        for role in ROLES:
            method, path, body = case.build(world)
            response = world.client.request(method, path, json=body, headers=_headers(world, role))
            allowed = role in case.allowed
            where = f"{case.method} {case.template} {case.label} as {role}"
            if allowed and not 200 <= response.status_code < 300:
                problems.append(
                    f"{where}: expected success, got {response.status_code} {response.text}"
                )
            if not allowed and response.status_code not in (401, 403, 404):
                problems.append(f"{where}: expected refusal, got {response.status_code}")
            if role == "anonymous" and not allowed and response.status_code != 401:
                problems.append(f"{where}: expected 401, got {response.status_code}")
            if response.status_code >= 500:
                problems.append(f"{where}: server error {response.status_code}")
            for marker in _forbidden_text(role):
                if marker in response.text:
                    problems.append(f"{where}: response contains another party's '{marker}'")
            world.client.cookies.clear()
    assert caplog.records  # the requests were logged (so the check below reads something)
    for party in ("ru", "ua", "us", "eu"):
        for marker in _private_markers(party):
            if marker in caplog.text:
                problems.append(f"a log line contains {party}'s private '{marker}'")
    assert not problems, "\n".join(problems)


# Pages outside the OpenAPI spec that read every party's preferences: mediator only.
MEDIATOR_PAGES = ("/analysis", "/analysis/more")


@pytest.mark.parametrize("page", MEDIATOR_PAGES)
def test_mediator_pages_for_every_role(world: World, page: str) -> None:
    path = f"/negotiations/{world.negotiation_id}{page}"
    for role in ROLES:
        headers = {} if role == "anonymous" else _headers(world, role)
        response = world.client.get(path, headers=headers, follow_redirects=False)
        world.client.cookies.clear()
        if role == "mediator":
            assert response.status_code == 200, response.text[:500]
            continue
        expected = 303 if role == "anonymous" else 403
        assert response.status_code == expected, f"{role}: {response.status_code}"
        for marker in _forbidden_text(role):
            assert marker not in response.text, f"{role} sees {marker!r} on {page}"


def test_the_mediator_does_see_the_private_markers(world: World) -> None:
    # The leak check above is only meaningful if the markers do appear where allowed.
    text = world.client.get(world.path("/analysis"), headers=world.headers("mediator")).text
    assert canary("ru") in text or "Ukraine must withdraw from Donetsk" in text
    own = world.client.get(
        world.path("/parties/ua/preferences"), headers=world.headers("ua_delegate")
    )
    assert canary("ua") in own.text
