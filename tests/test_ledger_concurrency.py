"""Concurrent writers get consecutive numbers and an intact chain, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from accord.ledger import Database, verify_chain
from accord.ledger import drafts as D
from accord.ledger import meetings as M
from accord.ledger import negotiations as N
from accord.scenario.loader import load_scenario
from web_fixtures import PEACE_PLAN

WRITERS, EACH = 4, 5


def _run_concurrently(action: Callable[[], None]) -> list[BaseException]:
    errors: list[BaseException] = []

    def worker() -> None:
        for _ in range(EACH):
            try:
                action()
            except BaseException as error:  # collected and reported by the test
                errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_versions_and_meetings_never_collide(database: Database) -> None:
    with database.transaction() as session:
        negotiation = N.create_negotiation(session, load_scenario(PEACE_PLAN))
        draft = D.create_draft(session, negotiation, "Text", {"donetsk": "buffer-ua"})
        negotiation_id, draft_id = negotiation.id, draft.id

    def add_version() -> None:
        with database.transaction() as session:
            negotiation = N.get_negotiation(session, negotiation_id)
            D.add_version(
                session, D.get_draft(session, negotiation, draft_id), {"donetsk": "withdrawal"}
            )

    def add_meeting() -> None:
        with database.transaction() as session:
            negotiation = N.get_negotiation(session, negotiation_id)
            M.record_meeting(session, negotiation, datetime.now(UTC), 60, [], [])

    assert _run_concurrently(add_version) == []
    assert _run_concurrently(add_meeting) == []
    with database.session() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        numbers = [v.number for v in D.get_draft(session, negotiation, draft_id).versions]
        assert numbers == list(range(1, WRITERS * EACH + 2))
        meetings = [m.number for m in M.list_meetings(session, negotiation)]
        assert meetings == list(range(1, WRITERS * EACH + 1))
        assert verify_chain(session, negotiation_id).ok
