"""Large scenario uploads are validated in a separate process, with the same answers.

A scenario above the size limit goes through the validation worker: it is created as a
small one would be, and a wrong one gets the same 422 naming the field.
"""

from __future__ import annotations

import json
from typing import Any

from accord.web.uploads import LARGE_UPLOAD_BYTES, validate_upload
from web_fixtures import World


def large_scenario(options: int) -> dict[str, Any]:
    def preferences(step: int) -> dict[str, Any]:
        values = {f"o{i}": (i * step % 7) / 7 for i in range(options)}
        return {"weights": {"big": 1, "small": 1}, "values": {"big": values, "small": {"s1": 1}}}

    return {
        "id": "large-upload",
        "issues": [
            {
                "id": "big",
                "options": [{"id": f"o{i}", "label": f"option {i}"} for i in range(options)],
            },
            {"id": "small", "options": [{"id": "s1"}]},
        ],
        "parties": [
            {"id": "p", "preferences": preferences(1)},
            {"id": "q", "preferences": preferences(3)},
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
    del scenario["parties"][1]["preferences"]["values"]["small"]
    refused = world.client.post(
        "/api/negotiations", content=json.dumps({"scenario": scenario}), headers=headers
    )
    assert refused.status_code == 422
    assert "parties.q.preferences.values" in refused.json()["detail"]


def test_the_worker_answers_as_the_request_thread_does() -> None:
    scenario = large_scenario(50)
    small = validate_upload(scenario, 0)
    large = validate_upload(scenario, LARGE_UPLOAD_BYTES)
    assert large == small
