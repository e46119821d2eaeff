"""The preferences-by-questions page: a scripted Ukrainian delegate answers and saves.

Each answer is computed from known additive part-worths of the questions the page itself
asks (read back from its hidden state with the core module, as the server does); the
saved preferences are the ones the core derives from the same answers.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.analysis.elicitation import Question, answers_from_data, next_question
from accord.ledger import Database
from accord.ledger import negotiations as ledger
from accord.scenario.loader import load_scenario
from accord.scenario.model import Issue
from accord.web.app import create_app
from web_world import PASSWORD, PEACE_PLAN, USERS, seed

URL = "/negotiations/1/parties/ua/elicitation"
POINTS = ["donetsk", "ceasefire", "sovereignty"]


@pytest.fixture
def clients(tmp_path: Path) -> Iterator[tuple[dict[str, TestClient], str]]:
    world = seed(f"sqlite:///{tmp_path / 'ledger.db'}")
    app = create_app(world.database_url)
    clients = {name: TestClient(app) for name in USERS}
    for name in USERS:
        log_in(clients[name], name)
    yield clients, world.database_url
    for client in clients.values():
        client.close()
    app.state.database.dispose()


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def log_in(client: TestClient, name: str) -> None:
    """Log in with the login form; where the forms carry a CSRF token (the websec branch's
    accord.web.csrf), send it as the pages' forms do."""
    form = {"username": name, "password": PASSWORD}
    token = CSRF_INPUT.search(client.get("/login").text)
    if token is not None:
        form["csrf_token"] = token.group(1)
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303
    token = CSRF_INPUT.search(client.get("/login").text)
    if token is not None:
        client.headers["X-CSRF-Token"] = token.group(1)


@functools.cache
def agenda() -> tuple[Issue, ...]:
    return tuple(issue for issue in load_scenario(PEACE_PLAN).issues if issue.id in POINTS)


def state_of(page: str) -> str:
    match = re.search(r'name="state" value="([^"]*)"', page)
    assert match is not None, page[:2000]
    return html.unescape(match.group(1))


def truth_answer(question: Question) -> str:
    # Ukraine, invented for the test: the line of contact matters most, then the ceasefire.
    worth = {issue.id: {o.id: float(k) for k, o in enumerate(issue.options)} for issue in agenda()}
    worth["donetsk"] = {k: 3 * v for k, v in worth["donetsk"].items()}
    first = sum(worth[i][o] for i, o in question.first)
    second = sum(worth[i][o] for i, o in question.second)
    return "first" if first > second else "second" if second > first else "equal"


def walk(client: TestClient) -> tuple[str, int]:
    page = client.post(URL, data={"action": "start", "point": POINTS}).text
    asked = 0
    while 'name="choice"' in page:
        state = state_of(page)
        answers = answers_from_data(agenda(), json.loads(state)["answers"])
        question = next_question(agenda(), answers).question
        assert question is not None
        page = client.post(
            URL, data={"action": "answer", "state": state, "choice": truth_answer(question)}
        ).text
        asked += 1
    return page, asked


def test_a_delegate_answers_and_saves(clients: tuple[dict[str, TestClient], str]) -> None:
    users, url = clients
    page, asked = walk(users["ua-delegate"])
    assert "No question left" in page and "Your answers are consistent" in page
    assert 0 < asked < 60
    response = users["ua-delegate"].post(
        URL, data={"action": "save", "state": state_of(page)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/negotiations/1/parties#preferences-ua"
    database = Database(url)
    with database.transaction() as session:
        negotiation = ledger.get_negotiation(session, 1)
        saved = ledger.preferences_of(ledger.get_party(session, negotiation, "ua"))
    database.dispose()
    assert saved is not None and saved.weights is not None
    assert saved.weights["donetsk"] > saved.weights["ceasefire"] > 0
    assert saved.weights["amnesty"] == 0.0  # not asked about
    assert saved.reservation == 0.55 and saved.red_lines  # kept from before
    values = saved.values["donetsk"]
    options = [o.id for o in agenda()[[i.id for i in agenda()].index("donetsk")].options]
    assert [values[o] for o in options] == sorted(values.values())  # later options better


def test_contradictions_are_shown_and_can_be_taken_back(
    clients: tuple[dict[str, TestClient], str],
) -> None:
    ukraine = clients[0]["ua-delegate"]
    page = ukraine.post(URL, data={"action": "start", "point": ["sovereignty"]}).text
    answered = ukraine.post(
        URL, data={"action": "answer", "state": state_of(page), "choice": "first"}
    )
    assert "No question left" in answered.text  # sovereignty has two options: one question
    state = json.loads(state_of(answered.text))
    yes = state["answers"][0]
    no = {**yes, "choice": "second"}
    # A hand-made state: the same question answered both ways (then taken back once).
    state["answers"] = [yes, no, yes]
    contradicted = ukraine.post(URL, data={"action": "undo", "state": json.dumps(state)}).text
    assert "Your answers contradict each other" in contradicted
    assert re.search(r"Leaving out\s+answer 2\s+makes the rest consistent", contradicted)
    undone = ukraine.post(URL, data={"action": "undo", "state": state_of(contradicted)}).text
    assert "Your answers are consistent" in undone


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("not json", "the questions&#39; state is not JSON"),
        ('{"points": ["nowhere"], "answers": []}', "expected points of the agenda"),
        (
            '{"points": ["sovereignty"], "answers": [{"first": [["sovereignty", "x"]], '
            '"second": [["sovereignty", "confirmed"]], "choice": "first"}]}',
            "no option &#39;x&#39; of point &#39;sovereignty&#39;",
        ),
    ],
)
def test_a_changed_state_is_refused(
    clients: tuple[dict[str, TestClient], str], state: str, message: str
) -> None:
    response = clients[0]["ua-delegate"].post(URL, data={"action": "save", "state": state})
    assert response.status_code == 422
    assert message in response.text


def test_another_party_cannot_answer_or_save(clients: tuple[dict[str, TestClient], str]) -> None:
    users, _ = clients
    page, _ = walk(users["ua-delegate"])
    missing = users["ru-delegate"].get("/negotiations/1/parties/nobody/elicitation")
    for action in ("save", "answer"):
        response = users["ru-delegate"].post(
            URL, data={"action": action, "state": state_of(page), "choice": "first"}
        )
        assert response.status_code == 404
        assert response.text.replace("ua", "nobody") == missing.text
