"""CSV and JSON exports hold what their reader may see on the pages, and nothing more."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from accord.ledger import Database
from accord.ledger import drafts as D
from accord.ledger import negotiations as N
from accord.ledger.meetings import record_meeting
from accord.ledger.stances import record_stance
from accord.web.app import create_app
from web_world import PRIVATE_MARKERS, World, log_in, seed

FORMULA = '=HYPERLINK("http://example.invalid")'
READERS = ("mediator", "ua-delegate", "ru-delegate", "observer")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    world = seed(f"sqlite:///{tmp_path_factory.mktemp('exports') / 'ledger.db'}")
    database = Database(world.database_url)
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, world.negotiation_id)
        ua, ru = (N.get_party(session, negotiation, key) for key in ("ua", "ru"))
        draft = D.create_draft(session, negotiation, "Territory", {"donetsk": "buffer-ua"})
        sent_to_ua = draft.versions[0]
        D.distribute(session, sent_to_ua, [ua])
        record_stance(session, negotiation, ua, "donetsk", "accepts", version=sent_to_ua)
        record_stance(session, negotiation, ru, "donetsk", "conditional", FORMULA)
        # Recorded by the mediator against a version Russia never received: Russia's
        # delegate must not learn of it from the export.
        record_stance(session, negotiation, ru, "ceasefire", "rejects", version=sent_to_ua)
        record_meeting(
            session,
            negotiation,
            held_at=datetime(2025, 11, 30, 10, tzinfo=UTC),
            duration_minutes=300,
            attendees=["ua", "us"],
            blocks=["territory"],
            place="Geneva",
            notes="The sixth meeting, five hours.",
        )
    database.dispose()
    return world


@pytest.fixture(scope="module")
def clients(world: World) -> Iterator[dict[str, TestClient]]:
    app = create_app(world.database_url)
    clients = {}
    for name in READERS:
        client = TestClient(app)
        client.__enter__()
        assert log_in(client, name).status_code == 303
        clients[name] = client
    yield clients
    for client in clients.values():
        client.__exit__(None, None, None)
    app.state.database.dispose()


def _export(client: TestClient, world: World, name: str) -> tuple[str, str]:
    response = client.get(f"/negotiations/{world.negotiation_id}/exports/{name}")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        f'attachment; filename="negotiation-{world.negotiation_id}-{name}"'
    )
    return response.headers["content-type"], response.text


def _stances(client: TestClient, world: World) -> list[dict[str, object]]:
    kind, body = _export(client, world, "stances.json")
    assert kind == "application/json"
    rows: list[dict[str, object]] = json.loads(body)["stances"]
    return rows


@pytest.mark.parametrize(
    ("reader", "parties"),
    [
        ("mediator", {"ua", "ru"}),
        ("ua-delegate", {"ua"}),
        ("ru-delegate", {"ru"}),
        ("observer", set()),
    ],
)
def test_stances_are_those_the_stances_page_shows(
    clients: dict[str, TestClient], world: World, reader: str, parties: set[str]
) -> None:
    rows = _stances(clients[reader], world)
    assert {row["party"] for row in rows} == parties
    page = clients[reader].get(f"/negotiations/{world.negotiation_id}/stances").text
    assert len(rows) == len(re.findall(r'<tr data-party="', page))
    _, text = _export(clients[reader], world, "stances.csv")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [(r["party"], r["issue"], r["stance"]) for r in table] == [
        (row["party"], row["issue"], row["stance"]) for row in rows
    ]


def test_a_stance_names_a_version_only_to_those_who_may_read_it(
    clients: dict[str, TestClient], world: World
) -> None:
    mediator = {
        (r["party"], r["issue"]): r["version"] for r in _stances(clients["mediator"], world)
    }
    assert mediator == {("ua", "donetsk"): 1, ("ru", "donetsk"): None, ("ru", "ceasefire"): 1}
    ukraine = {
        (r["party"], r["issue"]): r["version"] for r in _stances(clients["ua-delegate"], world)
    }
    assert ukraine == {("ua", "donetsk"): 1}
    russia = _stances(clients["ru-delegate"], world)
    assert {(r["issue"], r["draft"], r["version"]) for r in russia} == {
        ("donetsk", None, None),
        ("ceasefire", None, None),
    }


def test_no_export_carries_another_party_s_private_preferences(
    clients: dict[str, TestClient], world: World
) -> None:
    for reader, party in (("ua-delegate", "ru"), ("ru-delegate", "ua"), ("observer", "ua")):
        for name in ("agenda", "meetings", "stances"):
            for extension in ("csv", "json"):
                _, body = _export(clients[reader], world, f"{name}.{extension}")
                for marker in PRIVATE_MARKERS[party]:
                    assert marker not in body


def test_a_csv_cell_a_spreadsheet_would_run_is_quoted(
    clients: dict[str, TestClient], world: World
) -> None:
    kind, text = _export(clients["mediator"], world, "stances.csv")
    assert kind == "text/csv; charset=utf-8"
    conditions = [row["condition"] for row in csv.DictReader(io.StringIO(text))]
    assert "'" + FORMULA in conditions and FORMULA not in conditions
    assert {r["condition"] for r in _stances(clients["mediator"], world)} >= {FORMULA}


def test_the_agenda_export_lists_every_option_with_its_wording(
    clients: dict[str, TestClient], world: World
) -> None:
    _, body = _export(clients["observer"], world, "agenda.json")
    rows = json.loads(body)["agenda"]
    _, text = _export(clients["observer"], world, "agenda.csv")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(rows) > 27
    ceasefire = [row for row in table if row["issue"] == "ceasefire"]
    assert ceasefire[0]["label"] == "Ceasefire on signing"
    assert [row["status_quo"] for row in ceasefire].count("yes") <= 1
    assert set(table[0]) == {
        "block", "point_number", "issue", "title", "issue_text", "option", "label",
        "option_text", "value", "status_quo",
    }  # fmt: skip


def test_meetings_are_public_to_every_member(clients: dict[str, TestClient], world: World) -> None:
    bodies = {reader: _export(clients[reader], world, "meetings.json")[1] for reader in READERS}
    assert len(set(bodies.values())) == 1
    (meeting,) = json.loads(bodies["observer"])["meetings"]
    assert meeting == {
        "number": 1,
        "held_at": "2025-11-30T10:00:00+00:00",
        "place": "Geneva",
        "duration_minutes": 300,
        "blocks": ["territory"],
        "attendees": ["ua", "us"],
        "notes": "The sixth meeting, five hours.",
    }
    _, text = _export(clients["observer"], world, "meetings.csv")
    (row,) = csv.DictReader(io.StringIO(text))
    assert (row["attendees"], row["duration_minutes"]) == ("ua us", "300")


def test_the_exports_page_lists_them_and_unknown_exports_are_not_found(
    clients: dict[str, TestClient], world: World
) -> None:
    page = clients["observer"].get(f"/negotiations/{world.negotiation_id}/exports")
    assert page.status_code == 200
    assert page.text.count(f'href="/negotiations/{world.negotiation_id}/exports/') == 6
    assert "an observer reads none" in page.text
    missing = clients["mediator"].get(f"/negotiations/{world.negotiation_id}/exports/parties.csv")
    assert missing.status_code == 404
    assert "exports are agenda.csv, agenda.json" in missing.text
    xml = clients["mediator"].get(f"/negotiations/{world.negotiation_id}/exports/agenda.xml")
    assert xml.status_code == 404
