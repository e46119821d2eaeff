"""The preferences form: filled in, previewed, checked beside each field, saved; the JSON or
YAML box; elicited results filling in the form; and nobody but the party's delegate and
the mediator ever reaching any of it (page, preview, saves)."""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from accord.ledger import Database
from accord.ledger import negotiations as ledger
from accord.scenario.loader import load_scenario
from accord.scenario.model import Preferences
from accord.web import analysis_cache
from accord.web.analysis_cache import AnalysisRunner
from accord.web.app import create_app
from security.offpath_preferences import heavy_preferences
from web_world import PEACE_PLAN, PRIVATE_MARKERS, USERS, log_in, seed

BASE = "/negotiations/1/parties/ua/preferences"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BOUND = 120.0  # seconds: only a bound on a loop that ends long before


class FormFields(HTMLParser):
    """The fields the preferences form sends, as a browser would (templates left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.inside = self.in_template = False
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "preferences-form":
            self.inside = True
        elif tag == "template":
            self.in_template = True
        if not self.inside or self.in_template:
            return
        if tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "template":
            self.in_template = False
        elif tag == "select":
            self.select = None


def form_fields(page: str) -> list[tuple[str, str]]:
    parser = FormFields()
    parser.feed(page)
    return parser.fields


def replaced(fields: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    """The fields with some values changed (``weight__donetsk`` names ``weight:donetsk``)."""
    names = {key.replace("__", ":"): value for key, value in changes.items()}
    return [(name, names.get(name, value)) for name, value in fields]


def post(client: TestClient, url: str, fields: list[tuple[str, str]]) -> Any:
    return client.post(url, content=urlencode(fields), headers=FORM, follow_redirects=False)


def live(client: TestClient, fields: list[tuple[str, str]]) -> dict[str, Any]:
    """The live preview, asked again (as the page's script does) until it is ready."""
    deadline = time.monotonic() + BOUND
    while True:
        response = post(client, BASE + "/preview/live", fields)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        if answer["status"] != "computing" or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


def text_of(fragment: str) -> str:
    """The words of an HTML fragment (tags as spaces; none before punctuation)."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([.,;:)])", r"\1", words)


def sentence(fragment: str, name: str) -> str:
    found = re.search(rf'<li id="preview-{name}">(.*?)</li>', fragment, re.S)
    assert found is not None, fragment[:3000]
    return text_of(found.group(1))


def problem_beside(page: str, field: str) -> str:
    found = re.search(rf'data-problem-for="{re.escape(field)}">([^<]*)<', page)
    assert found is not None
    return html.unescape(found.group(1))


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[dict[str, TestClient], str]]:
    world = seed(f"sqlite:///{tmp_path / 'ledger.db'}")
    app = create_app(world.database_url)
    clients = {name: TestClient(app) for name in USERS}
    for name in USERS:
        assert log_in(clients[name], name).status_code == 303
    yield clients, world.database_url
    for client in clients.values():
        client.close()
    app.state.database.dispose()


def saved_preferences(url: str, key: str = "ua") -> Preferences | None:
    database = Database(url)
    with database.transaction() as session:
        party = ledger.get_party(session, ledger.get_negotiation(session, 1), key)
        preferences = ledger.preferences_of(party)
    database.dispose()
    return preferences


def send_draft(mediator: TestClient, points: list[str]) -> None:
    response = mediator.post(
        "/negotiations/1/drafts",
        data={"title": "Single text", "point": points},
        follow_redirects=False,
    )
    assert response.status_code == 303
    response = mediator.post(
        "/negotiations/1/drafts/1/versions/1/distribution",
        data={"party": ["ua"]},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_the_form_shows_the_saved_preferences(world: tuple[dict[str, TestClient], str]) -> None:
    users, _ = world
    page = users["ua-delegate"].get(BASE).text
    fields = dict(form_fields(page))
    ukraine = load_scenario(PEACE_PLAN).party("ua").preferences
    assert ukraine is not None and ukraine.weights is not None
    assert fields["weight:donetsk"] == "10" and fields["scale"] == "normalised"
    assert fields["value:donetsk:buffer-ua"] == "0.6"
    assert fields["reservation"] == "0.55"
    labels = [value for name, value in form_fields(page) if name.startswith("red_line-")]
    assert "no withdrawal from Donetsk" in labels
    assert '/parties/ua/elicitation"' in page  # the questions are linked
    assert 'id="expert"' in page and "no withdrawal from Donetsk" in page


def test_the_live_preview_follows_the_edits(world: tuple[dict[str, TestClient], str]) -> None:
    users, url = world
    send_draft(users["mediator"], ["donetsk=buffer-ua", "ceasefire=on-signing"])
    ukraine = users["ua-delegate"]
    fields = form_fields(ukraine.get(BASE).text)
    answer = live(ukraine, fields)
    assert answer["status"] == "ready" and answer["problems"] == {}
    draft = sentence(answer["html"], "draft")
    assert "You would accept the current draft (Single text, version 1): no" in draft
    assert "below your reservation value of 0.55" in draft
    assert "The 25 points it leaves open are taken at their status quo" in draft
    best = answer["preview"]["best"]
    assert best["package"]["donetsk"] == "line-of-contact" and best["crossed"] == []

    # A lower reservation value: the same draft is now acceptable.
    answer = live(ukraine, replaced(fields, reservation="0.3"))
    assert "You would accept the current draft (Single text, version 1): yes" in sentence(
        answer["html"], "draft"
    )
    # A red line on the best option of Donetsk: the best package changes, the draft is refused.
    fields = [
        *fields,
        ("red_line-90-options", "donetsk:line-of-contact"),
        ("red_line-90-label", "test line"),
    ]
    answer = live(ukraine, fields)
    assert answer["preview"]["best"]["package"]["donetsk"] == "buffer-ua"
    assert answer["preview"]["draft"]["crossed"] == []
    fields = [
        *fields[:-2],
        ("red_line-90-options", "donetsk:buffer-ua"),
        ("red_line-90-label", "test line"),
    ]
    answer = live(ukraine, fields)
    assert "it crosses your red line “test line”" in sentence(answer["html"], "draft")
    assert saved_preferences(url) == load_scenario(PEACE_PLAN).party("ua").preferences  # unsaved


def test_problems_are_shown_beside_their_fields(world: tuple[dict[str, TestClient], str]) -> None:
    users, url = world
    ukraine = users["ua-delegate"]
    fields = form_fields(ukraine.get(BASE).text)
    response = post(ukraine, BASE + "/form", replaced(fields, weight__donetsk="ten"))
    assert response.status_code == 422
    page = response.text
    assert problem_beside(page, "weight:donetsk") == (
        "Input should be a valid number, unable to parse string as a number (got 'ten')"
    )
    assert "weights.donetsk: Input should be a valid number" in html.unescape(page)
    assert 'value="ten"' in page  # what was typed stays
    # As with `accord validate`, ranges are checked once every field has the right type.
    wrong = replaced(fields, value__ceasefire__none="1.5", reservation="")
    page = post(ukraine, BASE + "/form", wrong).text
    assert problem_beside(page, "value:ceasefire:none") == (
        "expected a value in [0, 1] on the normalised scale, got 1.5"
    )
    assert saved_preferences(url) == load_scenario(PEACE_PLAN).party("ua").preferences
    answer = live(ukraine, wrong)
    assert answer["status"] == "invalid"
    assert answer["problems"]["value:ceasefire:none"] == [
        "expected a value in [0, 1] on the normalised scale, got 1.5"
    ]

    # A red line naming an option the agenda does not have: the validator's message, on its row.
    rows = [*fields, ("red_line-90-options", "donetsk:moon"), ("red_line-90-label", "x")]
    answer = live(ukraine, rows)
    assert answer["problems"]["red_line-90"] == [
        "unknown option 'moon' of issue 'donetsk' (options: 'withdrawal', 'buffer-ua', "
        "'line-of-contact')"
    ]
    # An interaction without a value.
    rows = [*fields, ("interaction-91-options", "donetsk:withdrawal")]
    answer = live(ukraine, rows)
    assert answer["problems"]["interaction-91-value"] == [
        "Input should be a valid number, unable to parse string as a number (got '')"
    ]


def test_points_to_distribute_must_add_up(world: tuple[dict[str, TestClient], str]) -> None:
    users, url = world
    ukraine = users["ua-delegate"]
    fields = replaced(form_fields(ukraine.get(BASE).text), weight_mode="budget")
    answer = live(ukraine, fields)
    assert answer["problems"]["weights"] == [
        "the points sum to 109, expected 100: take away 9 "
        "(or weigh with sliders, which need no total)"
    ]
    assert answer["status"] == "invalid"
    assert post(ukraine, BASE + "/form", fields).status_code == 422
    evened = replaced(fields, weight__donetsk="1", weight_total="100")
    assert live(ukraine, evened)["problems"] == {}
    assert post(ukraine, BASE + "/form", evened).status_code == 303
    saved = saved_preferences(url)
    assert saved is not None and saved.weights is not None
    assert sum(saved.weights.values()) == 100 and saved.weights["donetsk"] == 1
    again = dict(form_fields(ukraine.get(BASE).text))
    assert again["weight_mode"] == "budget"  # weights summing to 100 reopen as points


def test_saving_the_form_stores_through_the_ledger(
    world: tuple[dict[str, TestClient], str],
) -> None:
    users, url = world
    mediator = users["mediator"]
    fields = form_fields(mediator.get(BASE).text)
    changed = [
        *replaced(fields, scale="points", reservation="12", value__donetsk__withdrawal="-5"),
        ("interaction-95-options", "donetsk:buffer-ua"),
        ("interaction-95-options", "ceasefire:none"),
        ("interaction-95-value", "-2.5"),
        ("interaction-95-label", "no buffer without a ceasefire"),
    ]
    changed = [pair for pair in changed if pair != ("interaction-0-remove", "yes")]
    changed.append(("red_line-5-remove", "yes"))  # the second red line goes
    response = post(mediator, BASE + "/form", changed)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == BASE + "?saved=1"
    saved = saved_preferences(url)
    assert saved is not None
    assert saved.scale == "points" and saved.reservation == 12
    assert saved.values["donetsk"]["withdrawal"] == -5
    assert saved.interactions[-1].model_dump() == {
        "options": {"donetsk": "buffer-ua", "ceasefire": "none"},
        "value": -2.5,
        "label": "no buffer without a ceasefire",
    }
    before = load_scenario(PEACE_PLAN).party("ua").preferences
    assert before is not None
    assert [line.label for line in saved.red_lines] == [
        line.label for k, line in enumerate(before.red_lines) if k != 1
    ]
    page = mediator.get(BASE + "?saved=1").text
    assert "Saved Ukraine's preferences." in html.unescape(page)
    assert dict(form_fields(page))["value:donetsk:withdrawal"] == "-5"


def test_adding_a_row_without_javascript(world: tuple[dict[str, TestClient], str]) -> None:
    users, _ = world
    ukraine = users["ua-delegate"]
    fields = form_fields(ukraine.get(BASE).text)
    before = ukraine.get(BASE).text.count('data-row="interaction-')
    page = post(ukraine, BASE + "/preview", [*fields, ("action", "add-interaction")]).text
    assert page.count('data-row="interaction-') == before + 1
    assert "Your best package is worth" in text_of(page)


def test_a_rows_options_are_named_without_javascript(
    world: tuple[dict[str, TestClient], str],
) -> None:
    """A row lists only its own options (a ticked box each) and an entry on the page's one
    list of options: typed there and previewed, an option joins the row; untick to drop."""
    users, _ = world
    ukraine = users["ua-delegate"]
    page = ukraine.get(BASE).text
    options = sum(len(issue.options) for issue in load_scenario(PEACE_PLAN).issues)
    assert page.count("<datalist") == 1
    assert page.count("<option") < options + 100  # not every option in every row
    assert 'value="donetsk:line-of-contact" data-point="' in page
    fields = form_fields(page)
    row = next(
        name.split("-")[1]
        for name, value in fields
        if name.endswith("-label") and value == "no withdrawal from Donetsk"
    )
    entry = f"red_line-{row}-options"
    assert (entry, "") in fields  # the empty entry is sent, and means nothing
    added = post(ukraine, BASE + "/preview", [*fields, (entry, "ceasefire:none")]).text
    assert f'name="{entry}" value="ceasefire:none" checked' in added
    ticked = [value for name, value in form_fields(added) if name == entry and value]
    assert "ceasefire:none" in ticked and len(ticked) >= 2
    dropped = [(n, v) for n, v in form_fields(added) if (n, v) != (entry, "ceasefire:none")]
    again = post(ukraine, BASE + "/preview", dropped).text
    assert 'value="ceasefire:none" checked' not in again
    wrong = post(ukraine, BASE + "/preview", [*fields, (entry, "ceasefire:moon")]).text
    assert "moon" in problem_beside(wrong, f"red_line-{row}")
    assert 'value="ceasefire:moon" checked' in wrong  # shown as typed, beside its message


def test_json_and_yaml_for_experts(world: tuple[dict[str, TestClient], str]) -> None:
    users, url = world
    ukraine = users["ua-delegate"]
    yaml_text = (
        "values:\n  donetsk: {withdrawal: 0, buffer-ua: 1, line-of-contact: 1}\nweights: null\n"
    )
    response = ukraine.post(BASE + "/text", data={"preferences": yaml_text}, follow_redirects=False)
    assert response.status_code == 422  # every point needs values when none is weighed
    assert "no values for issue 'sovereignty' (its weight is 1.0)" in html.unescape(response.text)
    assert "values:\n  donetsk" in html.unescape(response.text)  # the text stays in its box
    response = ukraine.post(BASE + "/text", data={"preferences": "{bad"}, follow_redirects=False)
    assert response.status_code == 422 and "preferences:1:" in html.unescape(response.text)
    ukraine_json = load_scenario(PEACE_PLAN).party("ua").model_dump_json(include={"preferences"})
    text = ukraine_json.removeprefix('{"preferences":').removesuffix("}")
    text = text.replace('"reservation":0.55', '"reservation":0.6')
    response = ukraine.post(BASE + "/text", data={"preferences": text}, follow_redirects=False)
    assert response.status_code == 303
    saved = saved_preferences(url)
    assert saved is not None and saved.reservation == 0.6


def test_elicited_answers_fill_in_the_form(world: tuple[dict[str, TestClient], str]) -> None:
    users, url = world
    ukraine = users["ua-delegate"]
    questions = "/negotiations/1/parties/ua/elicitation"
    page = ukraine.post(questions, data={"action": "start", "point": ["donetsk", "ceasefire"]}).text
    state = html.unescape(re.search(r'name="state" value="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    page = ukraine.post(
        questions, data={"action": "answer", "state": state, "choice": "second"}
    ).text
    state = html.unescape(re.search(r'name="state" value="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    assert "Fill in the preferences form with these" in page
    response = ukraine.post(BASE + "/elicited", data={"state": state})
    assert response.status_code == 200
    assert "Filled in from your 1 answers: not saved yet" in response.text
    fields = dict(form_fields(response.text))
    assert fields["weight:amnesty"] == "0"  # not asked about
    assert fields["reservation"] == "0.55"  # kept from the saved preferences
    assert saved_preferences(url) == load_scenario(PEACE_PLAN).party("ua").preferences


def test_too_large_to_preview(
    world: tuple[dict[str, TestClient], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """600 random interaction terms: more rows than a form may post (use JSON or YAML), and
    a preview past the runner's time limit is "too large", not a stalled server."""
    users, _ = world
    ukraine = users["ua-delegate"]
    heavy = json.dumps(heavy_preferences(interactions=600))
    response = ukraine.post(BASE + "/text", data={"preferences": heavy}, follow_redirects=False)
    assert response.status_code == 303
    quick = AnalysisRunner(time_limit=0.2)
    monkeypatch.setattr(analysis_cache, "_runner", quick)
    try:
        page = text_of(ukraine.get(BASE).text)
    finally:
        quick.shutdown()
    assert "Too large to preview" in page
    assert "too many for one form: write the preferences as JSON or YAML below" in page


# --- who may see it ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["ru-delegate", "observer"])
def test_others_get_the_answer_of_a_missing_page(
    world: tuple[dict[str, TestClient], str], role: str
) -> None:
    users, url = world
    fields = form_fields(users["ua-delegate"].get(BASE).text)
    other = users[role]
    missing = BASE.replace("/ua/", "/nobody/")
    for suffix, method in (
        ("", "get"),
        ("/preview", "post"),
        ("/preview/live", "post"),
        ("/form", "post"),
        ("/text", "post"),
        ("/elicited", "post"),
    ):
        if method == "get":
            hidden, absent = other.get(BASE + suffix), other.get(missing + suffix)
        else:
            data = fields if suffix != "/text" else [("preferences", "{}")]
            if suffix == "/elicited":
                data = [("state", '{"points": ["donetsk"], "answers": []}')]
            data = [*data, ("csrf_token", dict(fields)["csrf_token"])]
            hidden, absent = post(other, BASE + suffix, data), post(other, missing + suffix, data)
        assert hidden.status_code == absent.status_code == 404, (suffix, hidden.text[:300])
        assert hidden.text == absent.text.replace("nobody", "ua"), suffix
        for marker in PRIVATE_MARKERS["ua"]:
            assert marker not in html.unescape(hidden.text)
    assert saved_preferences(url) == load_scenario(PEACE_PLAN).party("ua").preferences


def test_the_preview_shows_no_other_party(world: tuple[dict[str, TestClient], str]) -> None:
    users, _ = world
    send_draft(users["mediator"], ["donetsk=withdrawal"])
    ukraine = users["ua-delegate"]
    page = ukraine.get(BASE).text
    answer = live(ukraine, form_fields(page))
    shown = html.unescape(page) + html.unescape(answer["html"])
    others = {m for party, ms in PRIVATE_MARKERS.items() if party != "ua" for m in ms}
    for marker in others - set(PRIVATE_MARKERS["ua"]):
        assert marker not in shown


def test_the_parties_page_links_to_the_form(world: tuple[dict[str, TestClient], str]) -> None:
    users, _ = world
    page = users["ua-delegate"].get("/negotiations/1/parties").text
    assert f'href="{BASE}"' in page and "<textarea" not in page
    assert f'href="{BASE.replace("/ua/", "/ru/")}"' not in page
    mediator = users["mediator"].get("/negotiations/1/parties").text
    assert all(f"/parties/{key}/preferences" in mediator for key in ("ua", "ru", "us"))


def test_a_new_party_fills_in_a_blank_form_on_the_points_scale(
    world: tuple[dict[str, TestClient], str],
) -> None:
    users, url = world
    mediator = users["mediator"]
    seated = mediator.post(
        "/negotiations/1/parties",
        data={"key": "tr", "name": "Türkiye", "role": "observer"},
        follow_redirects=False,
    )
    assert seated.status_code == 303
    blank = BASE.replace("/ua/", "/tr/")
    page = mediator.get(blank).text
    assert "Türkiye has no preferences saved yet" in html.unescape(page)
    fields = form_fields(page)
    assert dict(fields)["weight:donetsk"] == "1"
    agenda = load_scenario(PEACE_PLAN).issues
    # Points: one point for the last option of every point, two more on Donetsk's first.
    values = {
        f"value:{i.id}:{o.id}": "1" if o is i.options[-1] else "0"
        for i in agenda
        for o in i.options
    }
    values["value:donetsk:withdrawal"] = "2"
    filled = [(name, values.get(name, value)) for name, value in fields]
    filled = replaced(filled, scale="points", reservation="20")
    response = post(mediator, blank + "/preview/live", filled)
    deadline = time.monotonic() + BOUND
    while response.json()["status"] == "computing" and time.monotonic() < deadline:
        time.sleep(0.1)
        response = post(mediator, blank + "/preview/live", filled)
    best = sentence(response.json()["html"], "best")
    assert best.startswith("Your best package is worth 28 points.")
    assert response.json()["preview"]["best"]["package"]["donetsk"] == "withdrawal"
    assert post(mediator, blank + "/form", filled).status_code == 303
    saved = saved_preferences(url, "tr")
    assert saved is not None and saved.scale == "points" and saved.reservation == 20
    assert saved.values["donetsk"] == {"withdrawal": 2, "buffer-ua": 0, "line-of-contact": 1}


def test_ranges_and_distributions_are_announced(world: tuple[dict[str, TestClient], str]) -> None:
    users, _ = world
    ukraine = users["ua-delegate"]
    data = load_scenario(PEACE_PLAN).party("ua").model_dump(mode="json")["preferences"]
    data["weights"]["donetsk"] = [8, 12]
    data.pop("uncertain", None)
    response = ukraine.post(
        BASE + "/text", data={"preferences": json.dumps(data)}, follow_redirects=False
    )
    assert response.status_code == 303
    page = html.unescape(ukraine.get(BASE).text)
    assert "The saved preferences give 1 number as a range or a distribution" in page
    assert dict(form_fields(page))["weight:donetsk"] == "10"  # its nominal value
