"""The access log's lines: method, path, status; a secret in a path is hidden."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.web.access_log import LOGGER_NAME, AccessLog


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger(LOGGER_NAME)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(previous)


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/negotiations/{negotiation_id}")
    def negotiation(negotiation_id: int) -> dict[str, int]:
        return {"id": negotiation_id}

    @app.post("/invitations/{invite_token}/accept")
    def accept(invite_token: str) -> dict[str, str]:
        return {"accepted": "yes"}

    @app.get("/broken")
    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_middleware(AccessLog)
    return app


def test_lines_carry_method_path_and_status_only(logged: io.StringIO) -> None:
    with TestClient(_app(), raise_server_exceptions=False) as client:
        client.get("/negotiations/7?password=hunter2", headers={"Authorization": "Bearer x1"})
        client.post("/invitations/s3cr3t-t0ken/accept", json={"password": "hunter2"})
        client.get("/broken")
        client.get("/nowhere")
    assert logged.getvalue().splitlines() == [
        "GET /negotiations/7 200",
        "POST /invitations/…/accept 200",
        "GET /broken 500",
        "GET /nowhere 404",
    ]
