"""Two editors, one draft: ``expected_previous_hash`` lets exactly one of them win.

Writers start together (a barrier) on a real server, each adding a version against the
same head. Whatever the interleaving, exactly one gets 201 and every other 409, on SQLite
and on PostgreSQL; the chain has one new version per round.
"""

from __future__ import annotations

import threading

import httpx

from accord.ledger import Database
from accord.web.auth import get_user_by_name, issue_token
from web_world import World

WRITERS, ROUNDS = 6, 8


def bearer(world: World, username: str) -> dict[str, str]:
    database = Database(world.database_url)
    try:
        with database.transaction() as session:
            user = get_user_by_name(session, username)
            assert user is not None
            return {"Authorization": f"Bearer {issue_token(session, user, 'api', 'race')[1]}"}
    finally:
        database.dispose()


def one_round(clients: list[httpx.Client], url: str, head: str, label: str) -> list[httpx.Response]:
    """Every client adds a version expecting ``head``, all at once; their answers."""
    responses: list[httpx.Response] = []
    barrier = threading.Barrier(len(clients))

    def write(client: httpx.Client, writer: int) -> None:
        body = {
            "package": {"donetsk": "withdrawal" if writer % 2 else "line-of-contact"},
            "note": f"{label}, writer {writer}",
            "expected_previous_hash": head,
        }
        barrier.wait()
        responses.append(client.post(url, json=body))

    threads = [
        threading.Thread(target=write, args=(client, number))
        for number, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_concurrent_versions_against_one_head_exactly_one_wins(
    served: tuple[str, World],
) -> None:
    base, world = served
    headers = bearer(world, "mediator")
    drafts = f"{base}/api/negotiations/{world.negotiation_id}/drafts"
    first = httpx.post(
        drafts, json={"title": "Text", "package": {"donetsk": "buffer-ua"}}, headers=headers
    )
    assert first.status_code == 201, first.text
    draft_id = first.json()["id"]
    head = first.json()["versions"][0]["hash"]
    clients = [httpx.Client(headers=headers, timeout=60) for _ in range(WRITERS)]
    try:
        for round_number in range(ROUNDS):
            responses = one_round(
                clients, f"{drafts}/{draft_id}/versions", head, f"round {round_number}"
            )
            statuses = sorted(response.status_code for response in responses)
            assert statuses == [201] + [409] * (WRITERS - 1), (round_number, statuses)
            (won,) = [response.json() for response in responses if response.status_code == 201]
            assert won["previous_hash"] == head
            head = won["hash"]
        versions = httpx.get(f"{drafts}/{draft_id}", headers=headers).json()["versions"]
        assert [version["number"] for version in versions] == list(range(1, ROUNDS + 2))
    finally:
        for client in clients:
            client.close()
