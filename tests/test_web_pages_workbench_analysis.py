"""The mediator's "more analyses" page: what it shows for the recorded plan."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.ledger import Database
from accord.ledger.negotiations import create_negotiation
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from accord.web import analysis_cache
from accord.web.analysis_cache import AnalysisRunner
from accord.web.app import create_app
from accord.web.auth import create_user
from accord.web.pages import analysis
from test_web_pages_access import logged_in_clients
from web_world import PASSWORD, log_in


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    yield from logged_in_clients(tmp_path_factory.mktemp("more") / "ledger.db")


def test_the_page_shows_every_analysis(clients: dict[str, TestClient]) -> None:
    response = clients["mediator"].get("/negotiations/1/analysis/more")
    assert response.status_code == 200
    text = html.unescape(response.text)
    for heading in ("Improve the current draft", "Coalitions (every subset)", "Agenda options"):
        assert heading in text
    # The draft (points it leaves open at their status quo) is not acceptable under the
    # rule, and the two coalitions without one belligerent are the largest that agree.
    assert "not acceptable under the agreement rule" in text
    assert text.count("largest") == 2
    # The agenda's ranked list starts with the two changes that open a deal.
    items = re.findall(r"<li[^>]*>(.*?)</li>", text, flags=re.S)
    agenda = [item for item in items if "least gain" in item]
    assert "opens a deal" in agenda[0] and "opens a deal" in agenda[1]
    assert "unseat" in agenda[0] and "opens a deal" not in agenda[2]
    # Seats say what survives (no deal today: nothing) and what the consent costs; the
    # halfway troop caps are offered with their assumption.
    assert text.count("No deal today: nothing of today's survives.") == 2
    assert "What requiring its consent costs each party's best deal" in text
    assert "assumed: each party values 700,000 halfway between its values of 600k and 800k" in (
        " ".join(text.split())
    )
    # Adjusted Winner is shown for two voters, here with the reason it does not apply.
    assert "Adjusted Winner" in text and "Not applicable: Adjusted Winner needs" in text


def test_the_page_says_still_computing_then_shows_the_analyses(
    clients: dict[str, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The analyses run in a process of their own (a fresh runner: nothing known yet).
    runner = AnalysisRunner()
    monkeypatch.setattr(analysis_cache, "_runner", runner)
    monkeypatch.setattr(analysis, "WAIT_SECONDS", 0.0)
    try:
        pending = clients["mediator"].get("/negotiations/1/analysis/more")
        assert pending.status_code == 202
        assert "Still computing" in pending.text and 'http-equiv="refresh"' in pending.text
        assert len(runner.process_ids()) == 1
        deadline = time.monotonic() + 120  # only a bound: it takes a few seconds
        response = pending
        while response.status_code == 202:  # what the page's refresh does
            assert time.monotonic() < deadline, "never finished"
            time.sleep(0.5)
            response = clients["mediator"].get("/negotiations/1/analysis/more")
        assert response.status_code == 200
        assert "Agenda options" in response.text and "Still computing" not in response.text
        assert runner.process_ids() == []
    finally:
        runner.shutdown()


def test_the_dashboard_links_it_for_the_mediator_only(clients: dict[str, TestClient]) -> None:
    link = "/negotiations/1/analysis/more"
    assert link in clients["mediator"].get("/negotiations/1").text
    for role in ("ua-delegate", "ru-delegate", "observer"):
        assert link not in clients[role].get("/negotiations/1").text


def test_a_draft_that_can_be_improved_has_its_changed_points_highlighted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'camp.db'}"
    database = Database(url)
    database.migrate()
    with database.transaction() as session:
        mediator = create_user(session, "carter", PASSWORD, is_admin=False)
        negotiation = create_negotiation(
            session, load_scenario("examples/camp-david-1978.yaml"), mediator
        )
        negotiation_id = negotiation.id
    database.dispose()
    app = create_app(url)
    with TestClient(app) as client:
        assert log_in(client, "carter").status_code == 303
        points = [
            "sinai=full-return",
            "settlements=kept",
            "airfields=evacuated",
            "security=demilitarised",
            "palestinian=self-determination",
            "jerusalem=excluded",
        ]
        response = client.post(
            f"/negotiations/{negotiation_id}/drafts",
            data={"title": "Framework", "point": points, "note": ""},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        text = html.unescape(client.get(f"/negotiations/{negotiation_id}/analysis/more").text)
    app.state.database.dispose()
    assert "It can be improved" in text and "by changing 2 points" in text
    changed = re.findall(r'<tr class="changed" data-issue="([a-z-]+)">', text)
    assert changed == ["settlements", "palestinian"]
    assert "Adjusted Winner" in text and "option &#39;autonomy&#39;" not in text
    assert "option 'autonomy' is worth more to both" in text


def test_a_seat_shows_the_packages_that_survive(tmp_path: Path) -> None:
    plan = load_scenario("examples/peace-plan-27.yaml").model_dump(exclude_none=True)
    for party in plan["parties"]:
        if party["id"] == "ru":  # without the Donetsk red line there is a deal today
            party["preferences"]["red_lines"] = [
                r
                for r in party["preferences"]["red_lines"]
                if r.get("label") != "Ukraine must withdraw from Donetsk"
            ]
    url = f"sqlite:///{tmp_path / 'relaxed.db'}"
    database = Database(url)
    database.migrate()
    with database.transaction() as session:
        mediator = create_user(session, "mediator", PASSWORD, is_admin=False)
        negotiation = create_negotiation(session, Scenario.model_validate(plan), mediator)
        negotiation_id = negotiation.id
    database.dispose()
    app = create_app(url)
    with TestClient(app) as client:
        assert log_in(client, "mediator").status_code == 303
        text = html.unescape(client.get(f"/negotiations/{negotiation_id}/analysis/more").text)
    app.state.database.dispose()
    text = " ".join(text.split())
    assert "<strong>72 of 72</strong> frontier points survive, the best by Nash product:" in text
    assert "Today's Nash package <strong>does not survive</strong>" in text
    assert "<strong>0 of 72</strong>" in text
    assert text.count('<ol class="surviving">') == 1
