"""A writing request is answered once its commit is on disk, and its disk sync waits
outside the write gate (accord.web.durable_writes), on a real app and SQLite file."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from accord.ledger.models import Stance
from test_ledger_wal_sync import FsyncSpy
from web_fixtures import build_world


def test_the_answer_waits_for_the_disk_and_the_next_writer_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(f"sqlite:///{tmp_path / 'ledger.db'}")
    spy = FsyncSpy()
    monkeypatch.setattr(os, "fsync", spy)
    answers: dict[str, httpx.Response] = {}

    def post(role: str, party: str) -> None:
        body = {"party": party, "issue": "donetsk", "stance": "accepts"}
        answers[role] = client.post(world.path("/stances"), json=body, headers=world.headers(role))

    def stances() -> int:
        with world.database.session() as session:
            return session.scalar(select(func.count()).select_from(Stance)) or 0

    try:
        with world.client as client:
            spy.hold.clear()
            first = threading.Thread(target=post, args=("ua_delegate", "ua"))
            first.start()
            assert spy.holding.wait(10)  # committed; its sync held back
            assert stances() == 1 and "ua_delegate" not in answers
            second = threading.Thread(target=post, args=("ru_delegate", "ru"))
            second.start()
            # The gate let the second writer in while the first one's disk sync waits.
            for _ in range(200):
                if stances() == 2:
                    break
                threading.Event().wait(0.05)
            assert stances() == 2
            assert answers == {}  # neither is answered before its commit is on disk
            spy.hold.set()
            first.join(10)
            second.join(10)
        assert [answers[role].status_code for role in ("ua_delegate", "ru_delegate")] == [201, 201]
        assert len(spy.logs()) == 2  # the first sync began before the second commit
    finally:
        spy.hold.set()
        world.client.close()
        world.database.dispose()
