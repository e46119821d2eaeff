"""schemathesis against the OpenAPI spec: no input makes the API answer with a 5xx.

Bounded (a few derandomized examples per operation, so every run sends the same requests),
as the mediator (who may call every endpoint) on a SQLite ledger holding the peace plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from accord.web.auth import get_user_by_name, issue_token
from web_fixtures import World, build_world


@pytest.fixture(scope="module")
def fuzz_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    world = build_world(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'ledger.db'}")
    # Records for the generated ids to land on: two drafts (one a counter-draft), a meeting.
    headers = world.headers("mediator")
    base = world.client.post(
        world.path("/drafts"),
        json={"title": "Text", "package": {"donetsk": "buffer-ua"}},
        headers=headers,
    ).json()
    world.client.post(
        world.path(f"/drafts/{base['id']}/versions"),
        json={"package": {"donetsk": "withdrawal"}},
        headers=headers,
    )
    world.client.post(
        world.path(f"/drafts/{base['id']}/versions/1/distribution"),
        json={"parties": ["ua"]},
        headers=headers,
    )
    world.client.post(
        world.path("/drafts"),
        json={
            "title": "Counter",
            "party": "ua",
            "package": {"donetsk": "line-of-contact"},
            "responds_to": {"draft": base["id"], "version": 1},
        },
        headers=headers,
    )
    world.client.post(
        world.path("/meetings"),
        json={"held_at": "2025-12-02T10:00:00Z", "duration_minutes": 300},
        headers=headers,
    )
    yield world
    world.client.close()
    world.database.dispose()


PARTY_KEYS = ("ua", "ru", "us", "eu", "nobody")


def _pin_to_the_record(case: Any, negotiation_id: int) -> None:
    """Point most generated ids at records that exist, so bodies reach the handlers."""
    parameters = case.path_parameters or {}
    if "negotiation_id" in parameters:
        parameters["negotiation_id"] = negotiation_id
    if isinstance(parameters.get("draft_id"), int):
        parameters["draft_id"] = abs(parameters["draft_id"]) % 3 + 1
    if isinstance(parameters.get("number"), int):
        parameters["number"] = abs(parameters["number"]) % 3 + 1
    if "party_key" in parameters:
        parameters["party_key"] = PARTY_KEYS[len(str(parameters["party_key"])) % len(PARTY_KEYS)]


def _fresh_mediator_headers(world: World) -> dict[str, str]:
    with world.database.transaction() as session:
        user = get_user_by_name(session, "mediator")
        assert user is not None
        return {"Authorization": f"Bearer {issue_token(session, user, 'api', 'fuzz')[1]}"}


def _fuzz(
    operation: Any, headers: dict[str, str], negotiation_id: int, statuses: Counter[int]
) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=10,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        _pin_to_the_record(case, negotiation_id)
        case.headers = {**(case.headers or {}), **headers}
        response = case.call_and_validate(checks=[not_a_server_error])
        statuses[response.status_code // 100] += 1

    run()


def test_no_input_gives_a_server_error(fuzz_world: World) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_world.client.app)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:
        # A fresh token per operation: fuzzing /api/auth/logout revokes the one it sends.
        headers = _fresh_mediator_headers(fuzz_world)
        try:
            _fuzz(operation, headers, fuzz_world.negotiation_id, statuses)
        except Exception as error:  # collect every operation's failure, then report all
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
    # The fuzzing must reach the handlers, not only the request validation.
    assert statuses[2] >= 20, statuses
    assert statuses[5] == 0
