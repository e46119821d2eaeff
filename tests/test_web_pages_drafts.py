"""Drafts with words on the pages: texts written and amended, diffs in words, counter-drafts
written from a version received."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from accord.ledger import Database, verify_chain
from accord.web.app import create_app
from web_world import PRIVATE_MARKERS, World, log_in, seed

DRAFTS = "/negotiations/{}/drafts"
AMENDED = "Ukraine keeps its administration; a demilitarised zone on both sides of the line."
REWORDED = "Ukraine keeps its administration; a demilitarised zone under UN monitoring."


@pytest.fixture
def world(tmp_path: pytest.TempPathFactory) -> World:
    return seed(f"sqlite:///{tmp_path}/ledger.db")  # type: ignore[operator]


@pytest.fixture
def client_for(world: World) -> Iterator[Callable[[str], TestClient]]:
    app = create_app(world.database_url)
    clients: list[TestClient] = []

    def logged_in(name: str) -> TestClient:
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        assert log_in(client, name).status_code == 303
        return client

    yield logged_in
    for client in clients:
        client.__exit__(None, None, None)
    app.state.database.dispose()


def _issue(client: TestClient, world: World, points: dict[str, str], texts: dict[str, str]) -> str:
    """Issue a draft through the form; returns its first version's page address."""
    response = client.post(
        DRAFTS.format(world.negotiation_id),
        data={
            "title": "Territory",
            "point": [f"{issue}={option}" for issue, option in points.items()],
            "text_point": list(texts),
            "text": list(texts.values()),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _article(page: str, issue: str) -> str:
    found = re.search(rf'data-text="{issue}">(.*?)</td>', page, re.S)
    assert found, f"no text for {issue}"
    return html.unescape(found.group(1))


def test_a_new_draft_starts_from_the_agenda_s_wording_and_keeps_amended_words(
    client_for: Callable[[str], TestClient], world: World
) -> None:
    mediator = client_for("mediator")
    form = mediator.get(DRAFTS.format(world.negotiation_id)).text
    # Every point has its text box, and each option carries the agenda's wording for the
    # script to write in.
    assert 'name="text_point" value="donetsk"' in form
    assert 'data-wording="Ceasefire on signing"' in form
    assert '<script src="/static/accord-drafts.js" defer></script>' in form
    script = mediator.get("/static/accord-drafts.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith(
        "text/javascript"
    )
    assert "data-text-box" in script.text or "textBox" in script.text
    # A text beside a point left out of the draft is dropped; a blank one is the agenda's.
    location = _issue(
        mediator,
        world,
        {"donetsk": "buffer-ua", "ceasefire": "on-signing", "recognition": ""},
        {"donetsk": AMENDED, "ceasefire": "", "recognition": "stray words"},
    )
    page = mediator.get(location).text
    assert _article(page, "donetsk") == AMENDED
    assert _article(page, "ceasefire") == "Ceasefire on signing"
    assert "stray words" not in page
    # The next version's form is prefilled with this version's words.
    assert f">{html.escape(AMENDED, quote=False)}</textarea>" in page.replace("&#39;", "'")


def test_the_diff_shows_changed_words_with_ins_and_del(
    client_for: Callable[[str], TestClient], world: World
) -> None:
    mediator = client_for("mediator")
    location = _issue(mediator, world, {"donetsk": "buffer-ua"}, {"donetsk": AMENDED})
    draft_id = location.split("/")[4]
    response = mediator.post(
        f"{DRAFTS.format(world.negotiation_id)}/{draft_id}/versions",
        data={"point": ["donetsk=buffer-ua"], "text_point": ["donetsk"], "text": [REWORDED]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    diff = mediator.get(f"{DRAFTS.format(world.negotiation_id)}/{draft_id}/diff?before=1&after=2")
    assert diff.status_code == 200
    text = diff.text
    assert "1 of 1 points changed (1 in their words)" in text
    assert "same option, other words" in text
    assert (
        "Ukraine keeps its administration; a demilitarised zone "
        "<del>on both sides of the line</del><ins>under UN monitoring</ins>.</div>"
    ) in text


def test_an_oversized_text_is_refused_naming_the_point(
    client_for: Callable[[str], TestClient], world: World
) -> None:
    mediator = client_for("mediator")
    response = mediator.post(
        DRAFTS.format(world.negotiation_id),
        data={
            "title": "T",
            "point": ["donetsk=buffer-ua"],
            "text_point": ["donetsk"],
            "text": ["x" * 20_001],
        },
    )
    assert response.status_code == 422
    assert "texts: the text of point &#39;donetsk&#39;" in response.text
    assert "20,001 characters; at most 20,000" in response.text
    unpaired = mediator.post(
        DRAFTS.format(world.negotiation_id),
        data={"title": "T", "point": ["donetsk=buffer-ua"], "text": ["words"]},
    )
    assert unpaired.status_code == 422
    assert "each text needs its point" in unpaired.text


def test_a_delegate_writes_a_counter_draft_from_the_version_received(
    client_for: Callable[[str], TestClient], world: World
) -> None:
    mediator, ukraine, russia = (client_for(n) for n in ("mediator", "ua-delegate", "ru-delegate"))
    location = _issue(
        mediator,
        world,
        {"donetsk": "buffer-ua", "ceasefire": "on-signing"},
        {"donetsk": AMENDED},
    )
    # Not sent yet: Ukraine's delegate cannot see the version at all.
    assert ukraine.get(location).status_code == 404
    mediator.post(f"{location}/distribution", data={"party": ["ua"]})
    page = ukraine.get(location).text
    assert "Write a counter-draft from this version" in page
    form = page[page.index('id="counter-from-version"') :]
    # Prefilled: the version's options selected and its words in the boxes.
    assert 'value="donetsk=buffer-ua" data-wording=' in form
    assert re.search(r'value="donetsk=buffer-ua" data-wording="[^"]*" selected', form)
    assert f">{AMENDED}</textarea>" in form
    response = ukraine.post(
        DRAFTS.format(world.negotiation_id),
        data={
            "title": "Ukraine's amendments",
            "party": "ua",
            "responds_to": location.split("/drafts/")[1].replace("/versions/", "/"),
            "whole": "yes",
            "point": ["donetsk=buffer-ua", "ceasefire=on-signing"],
            "text_point": ["donetsk", "ceasefire"],
            "text": [REWORDED, "Ceasefire on signing"],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    counter = ukraine.get(response.headers["location"]).text
    comparison = counter[counter.index('id="comparison"') :]
    # Only the reworded point is an amendment; the diff of its words is shown.
    assert "<del>on both sides of the line</del><ins>under UN monitoring</ins>." in comparison
    assert 'class="changed" data-issue="donetsk"' in comparison
    assert 'class="changed" data-issue="ceasefire"' not in comparison
    # Russia's delegate neither sees Ukraine's counter-draft nor the form to answer.
    assert russia.get(response.headers["location"]).status_code == 404
    assert russia.get(location).status_code == 404
    for marker in PRIVATE_MARKERS["ru"]:
        assert marker not in counter


def test_a_counter_draft_from_a_version_that_changes_nothing_is_refused(
    client_for: Callable[[str], TestClient], world: World
) -> None:
    mediator, ukraine = client_for("mediator"), client_for("ua-delegate")
    location = _issue(mediator, world, {"donetsk": "buffer-ua"}, {})
    mediator.post(f"{location}/distribution", data={"party": ["ua"]})
    response = ukraine.post(
        DRAFTS.format(world.negotiation_id),
        data={
            "title": "No change",
            "party": "ua",
            "responds_to": location.split("/drafts/")[1].replace("/versions/", "/"),
            "whole": "yes",
            "point": ["donetsk=buffer-ua"],
            "text_point": ["donetsk"],
            "text": [""],
        },
    )
    assert response.status_code == 422
    assert "the counter-draft amends nothing" in response.text


def test_every_version_written_on_the_pages_verifies(
    client_for: Callable[[str], TestClient], world: World
) -> None:
    mediator = client_for("mediator")
    _issue(mediator, world, {"donetsk": "buffer-ua"}, {"donetsk": "Слова статті, ґ і є."})
    database = Database(world.database_url)
    with database.session() as session:
        assert verify_chain(session).ok
    database.dispose()


def test_a_version_written_under_an_older_agenda_says_so_on_its_page(
    client_for: Callable[[str], TestClient], world: World
) -> None:
    from accord.ledger.agenda import change_agenda
    from accord.ledger.agenda_edits import put_option
    from accord.ledger.negotiations import get_negotiation

    mediator = client_for("mediator")
    page = _issue(mediator, world, {"ceasefire": "on-signing"}, {})
    assert 'id="agenda-flag"' not in mediator.get(page).text
    database = Database(world.database_url)
    with database.transaction() as session:
        negotiation = get_negotiation(session, world.negotiation_id)
        agenda = put_option(negotiation.agenda, "ceasefire", {"id": "phased"}, new=True)
        change_agenda(session, negotiation, agenda, None, "a phased ceasefire")
    database.dispose()
    shown = html.unescape(mediator.get(page).text)
    assert "This version was written under agenda version 1" in shown
    assert "gained an option 'phased'" in shown
