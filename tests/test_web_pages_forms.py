"""Login, local assets and bad form input: every mistake gets a 4xx page saying what was wrong."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import plotly
import pytest
from fastapi.testclient import TestClient

from accord.scenario.loader import load_scenario
from accord.web.app import create_app
from web_world import PEACE_PLAN, log_in, seed


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    world = seed(f"sqlite:///{tmp_path_factory.mktemp('forms') / 'ledger.db'}")
    app = create_app(world.database_url)
    with TestClient(app) as client:
        yield client
    app.state.database.dispose()


@pytest.fixture(scope="module")
def mediator(app_client: TestClient) -> TestClient:
    response = log_in(app_client, "mediator")
    assert response.status_code == 303
    return app_client


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(
    tmp_path: Path,
) -> None:
    world = seed(f"sqlite:///{tmp_path / 'ledger.db'}")
    app = create_app(world.database_url)
    with TestClient(app) as client:
        for name in ("mediator", "nobody"):
            response = log_in(client, name, "wrong one!")
            assert response.status_code == 401
            assert "Wrong user name or password." in response.text
        assert client.get("/negotiations", follow_redirects=False).status_code == 303
    app.state.database.dispose()


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(tmp_path: Path) -> None:
    world = seed(f"sqlite:///{tmp_path / 'ledger.db'}")
    app = create_app(world.database_url)
    with TestClient(app) as client:
        response = log_in(client, "observer", next="/negotiations/1/meetings")
        assert response.headers["location"] == "/negotiations/1/meetings"
        assert "httponly" in response.headers["set-cookie"].lower()
        for target in ("//evil.example", "https://evil.example/", "/\\evil.example"):
            response = log_in(client, "observer", next=target)
            assert response.headers["location"] == "/negotiations"
        assert client.get("/negotiations").status_code == 200
        response = client.post("/logout", follow_redirects=False)
        assert response.headers["location"] == "/login"
        assert client.get("/negotiations", follow_redirects=False).status_code == 303
    app.state.database.dispose()


def test_plotly_js_comes_from_the_installed_package(mediator: TestClient) -> None:
    response = mediator.get("/static/plotly.min.js")
    assert response.status_code == 200
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert response.content == bundled.read_bytes()
    assert mediator.get("/static/accord.css").status_code == 200


@pytest.mark.parametrize(
    "page", ["/negotiations/1", "/negotiations/1/analysis", "/login", "/negotiations/1/drafts"]
)
def test_pages_load_nothing_from_the_internet(mediator: TestClient, page: str) -> None:
    html = mediator.get(page).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(not re.match(r"^(https?:)?//", source) for source in sources), sources


BAD_FORMS = [
    (
        "/negotiations/1/stances",
        {"party": "ua", "issue": "nowhere", "stance": "accepts"},
        422,
        "unknown point 'nowhere'",
    ),
    (
        "/negotiations/1/stances",
        {"party": "ua", "issue": "donetsk", "stance": "maybe"},
        422,
        "unknown stance 'maybe'",
    ),
    (
        "/negotiations/1/stances",
        {"party": "ua", "issue": "donetsk", "stance": "conditional"},
        422,
        "a conditional stance needs its condition",
    ),
    (
        "/negotiations/1/stances",
        {"party": "xx", "issue": "donetsk", "stance": "accepts"},
        404,
        "has no party 'xx'",
    ),
    (
        "/negotiations/1/stances",
        {"party": "ua", "issue": "donetsk", "stance": "accepts", "version_id": "abc"},
        422,
        "version_id must be a number",
    ),
    (
        "/negotiations/1/drafts",
        {"title": "T", "point": ["donetsk"]},
        422,
        "a point must be written issue=option",
    ),
    (
        "/negotiations/1/drafts",
        {"title": "T", "point": ["donetsk=moon"]},
        422,
        "point 'donetsk' has no option 'moon'",
    ),
    (
        "/negotiations/1/drafts",
        {"title": "T", "point": ["donetsk="]},
        422,
        "needs at least one point",
    ),
    (
        "/negotiations/1/drafts",
        {"title": " ", "point": ["donetsk=buffer-ua"]},
        422,
        "a draft needs a title",
    ),
    (
        "/negotiations/1/drafts/99/versions",
        {"point": ["donetsk=buffer-ua"]},
        404,
        "has no draft 99",
    ),
    ("/negotiations/1/meetings", {"held_at": "yesterday"}, 422, "held_at must be a date and time"),
    (
        "/negotiations/1/meetings",
        {"held_at": "2025-12-01T10:00", "hours": "five"},
        422,
        "duration must be whole hours and minutes",
    ),
    (
        "/negotiations/1/meetings",
        {"held_at": "2025-12-01T10:00", "block": ["moon"]},
        422,
        "unknown block(s) moon",
    ),
    (
        "/negotiations/1/parties/ua/preferences",
        {"preferences": "{not json"},
        422,
        "preferences must be JSON: line 1",
    ),
    (
        "/negotiations/1/parties/ua/preferences",
        {"preferences": '{"weights": {"moon": 1}}'},
        422,
        "moon",
    ),
    ("/negotiations/1/parties/eu/role", {"role": "king"}, 422, ""),
    (
        "/negotiations/1/parties",
        {"key": "bad key!", "role": "observer"},
        422,
        "party key 'bad key!' is not an id",
    ),
]


@pytest.mark.parametrize(("url", "data", "status", "message"), BAD_FORMS)
def test_bad_input_gets_a_4xx_saying_what_was_wrong(
    mediator: TestClient, url: str, data: dict[str, object], status: int, message: str
) -> None:
    response = mediator.post(url, data=data, follow_redirects=False)
    assert response.status_code == status, response.text[:400]
    assert message in response.text.replace("&#39;", "'")


def test_a_failed_action_leaves_nothing_behind(mediator: TestClient) -> None:
    before = mediator.get("/negotiations/1/drafts").text
    response = mediator.post(
        "/negotiations/1/drafts",
        data={"title": "Half", "point": ["donetsk=buffer-ua", "znpp=moon"]},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert mediator.get("/negotiations/1/drafts").text == before


def test_seating_the_outside_bloc_is_recorded(mediator: TestClient) -> None:
    response = mediator.post(
        "/negotiations/1/parties/eu/role",
        data={"role": "negotiator", "required": "yes", "note": "Europe gets its seat"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = mediator.get("/negotiations/1/parties").text
    assert "Europe gets its seat" in page and "role changed" in page


def test_dropping_a_red_line_opens_a_deal_on_the_analysis_page(mediator: TestClient) -> None:
    """The mediator edits Russia's preferences on the page; the analysis follows."""
    # Two voters (Russia and Ukraine), so that the frontier can be drawn in two dimensions.
    response = mediator.post(
        "/negotiations/1/parties/eu/role",
        data={"role": "observer", "required": "no"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    russia = load_scenario(PEACE_PLAN).party("ru").model_dump(mode="json")["preferences"]
    russia["red_lines"] = [
        line
        for line in russia["red_lines"]
        if line["label"] != "Ukraine must withdraw from Donetsk"
    ]
    response = mediator.post(
        "/negotiations/1/parties/ru/preferences",
        data={"preferences": json.dumps(russia)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:400]
    response = mediator.post(
        "/negotiations/1/drafts",
        data={"title": "Relaxed text", "point": ["donetsk=withdrawal", "ceasefire=on-signing"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = mediator.get("/negotiations/1/analysis").text
    assert "A deal is possible" in page
    assert "None packages" not in page  # the count is left out when it was not computed
    assert "The current draft against the Nash package" in page
    assert 'id="chart-frontier"' in page
