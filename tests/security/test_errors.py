"""Bad input never gets a 500 nor its own echo: a 422 naming the field and the reason.

On a real server, SQLite and PostgreSQL: NaN and infinities (valid to Python's JSON parser,
not to JSON), lone surrogates (valid in a Python string, not in UTF-8), a 10 MB string,
and NUL characters (PostgreSQL cannot store one in text; SQLite can) all get the same
small, clear answer on both databases, from the API and from the pages' forms.
"""

from __future__ import annotations

import httpx
import pytest

from accord.ledger import Database
from accord.web.auth import get_user_by_name, issue_token
from web_world import World, log_in

HUGE = "x" * 10_000_000
CANARY = "echo-canary-"

# (method, path, raw JSON body, field the answer must name)
BAD_JSON = [
    ("POST", "/api/auth/login", '{"username": NaN, "password": "secret-pw"}', "username"),
    ("POST", "/api/auth/login", '{"username": "a", "password": Infinity}', "password"),
    (
        "POST",
        "/api/auth/login",
        '{"username": "\\ud800' + CANARY + '", "password": "secret-pw"}',
        "username",
    ),
    (
        "POST",
        "/api/auth/login",
        '{"username": "' + CANARY + HUGE + '", "password": "p"}',
        "username",
    ),
    (
        "POST",
        "/api/negotiations/1/stances",
        '{"party": "ua", "issue": "donetsk", "stance": "conditional", '
        '"condition": "' + CANARY + '\\u0000 after"}',
        "condition",
    ),
    (
        "POST",
        "/api/negotiations/1/meetings",
        '{"held_at": "2025-12-02T10:00:00Z", "duration_minutes": 60, '
        '"place": "Gen\\u0000eva' + CANARY + '"}',
        "place",
    ),
    (
        "POST",
        "/api/negotiations/1/drafts",
        '{"title": "T", "package": {"donetsk\\u0000' + CANARY + '": "buffer-ua"}}',
        "package",
    ),
    (
        "POST",
        "/api/negotiations/1/stances",
        '{"party": "ua", "issue": "donetsk", "stance": NaN}',
        "stance",
    ),
    (
        "POST",
        "/api/negotiations/1/drafts",
        '{"title": "T", "package": {"\\udfff": "\\ud800"}}',
        "package",
    ),
]


def bearer(world: World) -> dict[str, str]:
    database = Database(world.database_url)
    try:
        with database.transaction() as session:
            user = get_user_by_name(session, "mediator")
            assert user is not None
            return {"Authorization": f"Bearer {issue_token(session, user, 'api', 'errors')[1]}"}
    finally:
        database.dispose()


def assert_clear_422(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text[:300]
    assert len(response.content) < 4000
    assert CANARY not in response.text and "xxxxxxxxxx" not in response.text
    assert field in response.text


BAD_JSON_IDS = [
    "nan",
    "infinity",
    "lone-surrogate",
    "10-MB-string",
    "nul-in-stance",
    "nul-in-meeting",
    "nul-in-key",
    "nan-as-stance",
    "surrogate-key",
]


@pytest.mark.parametrize(("method", "path", "body", "field"), BAD_JSON, ids=BAD_JSON_IDS)
def test_bad_json_gets_a_422_naming_the_field_without_echoing_it(
    served: tuple[str, World], method: str, path: str, body: str, field: str
) -> None:
    base, world = served
    response = httpx.request(
        method,
        base + path,
        content=body.encode("utf-8"),
        headers={"Content-Type": "application/json"} | bearer(world),
        timeout=60,
    )
    assert_clear_422(response, field)


def test_nul_characters_are_refused_the_same_way_everywhere(served: tuple[str, World]) -> None:
    base, world = served
    headers = bearer(world)
    with httpx.Client(base_url=base, timeout=30) as client:
        in_path = client.get("/api/negotiations/1/parties/u%00a/preferences", headers=headers)
        assert_clear_422(in_path, "party_key")
        in_query = client.get(
            "/api/negotiations/1/drafts/1/diff?before=1&after=2&x=%00", headers=headers
        )
        assert_clear_422(in_query, "query")
        assert log_in(client, "mediator").status_code == 303
        form = {"party": "ua", "issue": "donetsk", "stance": "conditional"}
        page = client.post("/negotiations/1/stances", data=form | {"condition": f"{CANARY}\x00"})
        assert_clear_422(page, "condition")
        assert "NUL character" in page.text and "<html" in page.text
        # The same stance without the NUL is recorded: the refusal was for the NUL alone.
        fine = client.post(
            "/negotiations/1/stances",
            data=form | {"condition": "after a ceasefire"},
            follow_redirects=False,
        )
        assert fine.status_code == 303, fine.text


def test_a_page_form_with_a_wrong_field_gets_an_error_page(served: tuple[str, World]) -> None:
    base, _ = served
    with httpx.Client(base_url=base, timeout=30) as client:
        assert log_in(client, "mediator").status_code == 303
        response = client.post(
            "/negotiations/1/parties/eu/role", data={"role": CANARY, "required": "no"}
        )
        assert_clear_422(response, "role")
        assert "<html" in response.text
