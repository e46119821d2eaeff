"""Large scenario uploads are read in a separate process, with the same answers.

A scenario above the size limit goes through the validation worker, which receives the
raw bytes and sends back the text the ledger stores and the API's answer: it is created as
a small one would be, a wrong one gets the same 422 naming the field, and the server's own
process parses, validates and serialises nothing of it (checked with tripwires on the
parser, the validator and the serialiser while the real worker does the work).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

import accord.scenario.loader
from accord.ledger.negotiations import create_negotiation, get_negotiation, scenario_of
from accord.ledger.stored_scenario import create_stored_negotiation, stored_form
from accord.scenario.loader import validate_data
from accord.web.uploads import (
    LARGE_UPLOAD_BYTES,
    PreparedNegotiation,
    _prepare_creation,
    read_creation_request,
)
from web_fixtures import World


def large_scenario(options: int) -> dict[str, Any]:
    def preferences(step: int) -> dict[str, Any]:
        values = {f"o{i}": (i * step % 7) / 7 for i in range(options)}
        return {"weights": {"big": 1, "small": 1}, "values": {"big": values, "small": {"s1": 1}}}

    return {
        "id": "large-upload",
        "title": "Größer — a large upload",
        "issues": [
            {
                "id": "big",
                "options": [{"id": f"o{i}", "label": f"option {i}"} for i in range(options)],
            },
            {"id": "small", "options": [{"id": "s1"}]},
        ],
        "parties": [
            {"id": "p", "preferences": preferences(1)},
            {"id": "q", "name": "Q", "required": False, "preferences": preferences(3)},
        ],
    }


def test_a_large_upload_is_created_and_a_wrong_one_refused(world: World) -> None:
    scenario = large_scenario(3000)
    body = json.dumps({"scenario": scenario})
    assert len(body) > LARGE_UPLOAD_BYTES  # it takes the separate process
    headers = world.headers("mediator") | {"Content-Type": "application/json"}
    created = world.client.post("/api/negotiations", content=body, headers=headers)
    assert created.status_code == 201, created.text[:300]
    assert len(created.json()["issues"][0]["options"]) == 3000
    # The answer the worker serialised is the one the API gives for the stored negotiation.
    stored = world.client.get(f"/api/negotiations/{created.json()['id']}", headers=headers)
    assert stored.content == created.content
    del scenario["parties"][1]["preferences"]["values"]["small"]
    refused = world.client.post(
        "/api/negotiations", content=json.dumps({"scenario": scenario}), headers=headers
    )
    assert refused.status_code == 422
    assert "parties.q.preferences.values" in refused.json()["detail"]


def test_a_stored_scenario_reads_back_as_one_created_from_the_model(world: World) -> None:
    scenario = validate_data(large_scenario(40), "scenario")
    with world.database.transaction() as session:
        from_model = create_negotiation(session, scenario).id
        from_text = create_stored_negotiation(session, stored_form(scenario)).id
    with world.database.session() as session:
        first, second = get_negotiation(session, from_model), get_negotiation(session, from_text)
        assert (second.agenda, second.agreement) == (first.agenda, first.agreement)
        assert (second.scenario_key, second.title) == (first.scenario_key, first.title)
        assert [(p.key, p.name, p.role, p.required, p.active) for p in second.parties] == [
            (p.key, p.name, p.role, p.required, p.active) for p in first.parties
        ]
        assert [p.preferences for p in second.parties] == [p.preferences for p in first.parties]
        assert scenario_of(second) == scenario_of(first) == scenario


def test_the_worker_answers_as_the_request_thread_does() -> None:
    body = json.dumps({"scenario": large_scenario(50)}).encode()
    small = _prepare_creation(body, "application/json")  # as the request's thread reads it
    assert isinstance(small, PreparedNegotiation)
    padded = body + b" " * LARGE_UPLOAD_BYTES  # the same JSON, large enough for the worker
    assert read_creation_request(padded, "application/json") == small


def _tripwire(name: str) -> Callable[..., Any]:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError(f"{name} ran in the server's process for a large upload")

    return refuse


def test_the_server_process_neither_parses_nor_validates_nor_serialises_a_large_upload(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The heavy part runs in the real worker (a spawned process: the tripwires set here
    are not there), and the request still succeeds; the tripwires are then shown to fire."""
    scenario = large_scenario(3000)
    body = json.dumps({"scenario": scenario}).encode()
    headers = world.headers("mediator") | {"Content-Type": "application/json"}
    with pytest.raises(RequestValidationError):  # the worker starts before the tripwires
        read_creation_request(b"{}" + b" " * LARGE_UPLOAD_BYTES, "application/json")
    real_dumps = json.dumps

    def small_dumps(value: Any, *arguments: Any, **options: Any) -> str:
        text = real_dumps(value, *arguments, **options)
        # The audit log serialises its few lines; nothing the size of the scenario.
        assert len(text) < 10_000, "the scenario was serialised in the server's process"
        return text

    for target, name in (
        (json, "loads"),
        (json.JSONDecoder, "decode"),
        (accord.scenario.loader, "validate_data"),
        (BaseModel, "model_validate"),
        (BaseModel, "model_dump"),
        (BaseModel, "model_dump_json"),
    ):
        monkeypatch.setattr(target, name, _tripwire(f"{target.__name__}.{name}"))
    monkeypatch.setattr(json, "dumps", small_dumps)
    created = world.client.post("/api/negotiations", content=body, headers=headers)
    assert created.status_code == 201, created.text[:300]
    assert created.content.startswith(b'{"id":')
    assert b'"o2999"' in created.content  # the whole agenda, serialised by the worker
    # The same upload, small enough for the request's thread: the tripwires fire.
    small = json.dumps({"scenario": large_scenario(3)}).encode()
    with pytest.raises(AssertionError, match="ran in the server's process"):
        world.client.post("/api/negotiations", content=small, headers=headers)


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'{"scenario": {', "application/json", [["body", 14], "JSON decode error"]),
        (b"[1]", "application/json", [["body"], "Input should be a valid dictionary or object"]),
        (b"", "application/json", [["body"], "Field required"]),
        (b"{}", "application/json", [["body", "scenario"], "Field required"]),
        (b'{"scenario": 1}', "application/json", [["body", "scenario"], "valid dictionary"]),
        (b'{"scenario": {}, "x": 1}', "application/json", [["body", "x"], "Extra inputs"]),
        (b'{"scenario": {}}', "text/plain", [["body"], "Input should be a valid dictionary"]),
        (b"scenario=1", "application/x-www-form-urlencoded", [["body"], "valid dictionary"]),
    ],
)
def test_a_body_that_is_not_a_creation_request_gets_fastapis_answer(
    world: World, body: bytes, content_type: str, expected: list[Any]
) -> None:
    """The route reads the bytes itself, and answers as FastAPI did when it read them; padded
    past the size limit (the worker's answer), the answer is the same."""
    headers = world.headers("mediator") | {"Content-Type": content_type}
    answers = []
    # Padding moves where broken JSON ends, and makes a form or an empty body a big one.
    large = content_type == "text/plain" or body in (b"[1]", b"{}") or b"}" in body
    for padding in (b"", b" " * LARGE_UPLOAD_BYTES if large else b""):
        response = world.client.post("/api/negotiations", content=body + padding, headers=headers)
        assert response.status_code == 422, response.text
        (problem,) = [p for p in response.json()["detail"] if p["loc"] == expected[0]]
        assert problem["msg"].startswith(expected[1]) or expected[1] in problem["msg"]
        answers.append(response.json())
    assert answers[0] == answers[-1]


def test_a_body_that_is_not_text_is_refused_as_unreadable(world: World) -> None:
    headers = world.headers("mediator") | {"Content-Type": "application/json"}
    for body in ('{"scenario": {"id": "é"}}'.encode("latin-1"), b"[" * 100_000):
        response = world.client.post("/api/negotiations", content=body, headers=headers)
        assert response.status_code == 400
        assert response.json() == {"detail": "There was an error parsing the body"}
