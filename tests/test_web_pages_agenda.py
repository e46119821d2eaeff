"""The agenda editor and its history as pages: edits recorded as versions, refusals shown
beside their form with the validator's messages, members read, only the mediator edits."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.ledger.models import Negotiation
from accord.web.app import create_app
from web_world import PRIVATE_MARKERS, log_in, seed

ERRORS = re.compile(r'data-errors-for="([^"]*)">(.*?)</ul>', re.S)
AGENDA = "/negotiations/1/agenda"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[TestClient]:
    world = seed(f"sqlite:///{tmp_path / 'ledger.db'}")
    application = create_app(world.database_url)
    with TestClient(application) as client:
        yield client
    application.state.database.dispose()


def errors(page: str) -> dict[str, str]:
    """Each form's error messages as text."""
    return {
        form: html.unescape(re.sub(r"<[^>]+>", " ", body)) for form, body in ERRORS.findall(page)
    }


def stored(client: TestClient) -> Negotiation:
    with client.app.state.database.session() as session:  # type: ignore[attr-defined]
        negotiation = session.get(Negotiation, 1)
        assert negotiation is not None
        session.expunge_all()
        return negotiation


def issue(client: TestClient, issue_id: str) -> dict[str, object]:
    found: dict[str, object] = next(
        item for item in stored(client).agenda["issues"] if item["id"] == issue_id
    )
    return found


def test_an_edit_is_recorded_as_a_version_with_its_note(app: TestClient) -> None:
    log_in(app, "mediator")
    response = app.post(
        f"{AGENDA}/points/ceasefire/options",
        data={"id": "phased", "label": "Phased", "text": "in three phases", "note": "idea"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    # Back on the point's own page, where the option's forms are.
    assert response.headers["location"] == f"{AGENDA}/points/ceasefire?saved=2"
    page = app.get(response.headers["location"]).text
    assert "Agenda version 2 recorded." in page
    assert "no value for option(s) &#39;phased&#39; of issue &#39;ceasefire&#39;" in page
    history = app.get(f"{AGENDA}/history").text
    assert "gained an option &#39;phased&#39; (Phased)" in history
    assert ">mediator<" in history and ">idea<" in history
    diff = app.get(f"{AGENDA}/diff?from=1&to=2").text
    assert "gained an option &#39;phased&#39; (Phased)" in diff
    assert "1 → version 2" in app.get(f"{AGENDA}/diff?from=1&to=2").text


def test_the_editor_lists_the_plan_and_each_point_has_its_own_page(app: TestClient) -> None:
    log_in(app, "mediator")
    page = app.get(AGENDA).text
    # The plan is read on the editor's page; the option-level forms are on the point's page.
    assert page.count("<form") < 20  # blocks, the rule, new ones: not one per option
    assert f'href="{AGENDA}/points/force-cap"' in page and "Cap at 400,000" in page
    assert "<td>400000</td>" in page  # an option's value is shown
    point = app.get(f"{AGENDA}/points/force-cap").text
    options = [o["id"] for o in issue(app, "force-cap")["options"]]  # type: ignore[attr-defined]
    # One form per option, whose buttons post it to save, move or remove that option.
    for option in options:
        action = f"{AGENDA}/points/force-cap/options/{option}"
        assert point.count(f'action="{action}"') == 1
        for verb in ("move", "remove"):
            assert f'formaction="{action}/{verb}"' in point
    assert 'name="value" size="8" maxlength="40" inputmode="decimal" value="400000"' in point
    assert app.get(f"{AGENDA}/points/nowhere").status_code == 404
    log_in(app, "observer")
    assert app.get(f"{AGENDA}/points/force-cap").status_code == 403


def test_an_options_value_is_edited_and_checked(app: TestClient) -> None:
    log_in(app, "mediator")
    path = f"{AGENDA}/points/force-cap/options/400k"
    # The option's form sends its save fields with every button: a move keeps the label.
    response = app.post(
        f"{path}/move",
        data={"label": "ignored", "value": "1", "direction": "down"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("/points/force-cap?saved=2#option-force-cap-400k")
    response = app.post(path, data={"label": "Cap at 450,000", "value": "450000"})
    assert response.status_code == 200
    changed = next(o for o in issue(app, "force-cap")["options"] if o["id"] == "400k")  # type: ignore[attr-defined]
    assert (changed["label"], changed["value"]) == ("Cap at 450,000", 450000)
    assert (
        "option &#39;400k&#39; (Cap at 450,000) has a new value"
        in app.get(f"{AGENDA}/history").text
    )
    response = app.post(path, data={"label": "Cap", "value": "many"})
    assert response.status_code == 422
    shown = errors(response.text)["option-force-cap-400k"]
    assert "issues.force-cap.options.400k.value" in shown or "value" in shown
    assert 'value="many"' in response.text
    assert app.post(path, data={"value": "0.5"}).status_code == 200
    assert app.post(path, data={"value": "0"}).status_code == 200  # 0 is a value, not none
    changed = next(o for o in issue(app, "force-cap")["options"] if o["id"] == "400k")  # type: ignore[attr-defined]
    assert changed["value"] == 0
    assert app.post(path, data={"value": ""}).status_code == 200
    changed = next(o for o in issue(app, "force-cap")["options"] if o["id"] == "400k")  # type: ignore[attr-defined]
    assert changed.get("value") is None
    response = app.post(
        f"{AGENDA}/points/force-cap/options",
        data={"id": "500k", "label": "Cap at 500,000", "value": "500000"},
    )
    assert response.status_code == 200
    added = issue(app, "force-cap")["options"][-1]  # type: ignore[index]
    assert (added["id"], added["value"]) == ("500k", 500000)


def test_a_point_gets_its_number_wording_block_and_status_quo(app: TestClient) -> None:
    log_in(app, "mediator")
    response = app.post(
        f"{AGENDA}/points/ceasefire",
        data={
            "number": "20",
            "title": "Ceasefire",
            "text": "Both sides cease fire.",
            "block": "sovereignty-security",
            "status_quo": "",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    point = issue(app, "ceasefire")
    assert (point["number"], point["text"], point["block"], point["status_quo"]) == (
        20,
        "Both sides cease fire.",
        "sovereignty-security",
        None,
    )


def test_a_refused_edit_shows_the_validators_message_beside_its_form(app: TestClient) -> None:
    log_in(app, "mediator")
    before = stored(app).agenda
    response = app.post(
        f"{AGENDA}/points/ceasefire", data={"number": "seven", "title": "Typed title"}
    )
    assert response.status_code == 422
    shown = errors(response.text)
    assert list(shown) == ["point-ceasefire"]
    assert (
        "agenda: issues.ceasefire.number: Input should be a valid integer"
        in shown["point-ceasefire"]
    )
    assert 'value="Typed title"' in response.text and "Traceback" not in response.text
    assert stored(app).agenda == before
    # The same number twice: the validator's own message, beside the second point's form.
    assert app.post(f"{AGENDA}/points/ceasefire", data={"number": "1"}).status_code == 200
    response = app.post(f"{AGENDA}/points/sovereignty", data={"number": "1"})
    assert response.status_code == 422
    assert "duplicate point number 1" in errors(response.text)["point-sovereignty"]


def test_new_points_and_options_are_bounded_and_checked(app: TestClient) -> None:
    log_in(app, "mediator")
    response = app.post(
        f"{AGENDA}/points", data={"id": "ceasefire", "option_id": "yes", "title": "Again"}
    )
    assert "there is already a point 'ceasefire'" in errors(response.text)["new-point"]
    response = app.post(f"{AGENDA}/points", data={"id": "bad id", "option_id": "yes"})
    assert "agenda: issues" in errors(response.text)["new-point"]
    assert app.post(f"{AGENDA}/points", data={"id": "x", "option_id": "y" * 81}).status_code == 422
    too_long = {"id": "x", "option_id": "y", "text": "w" * 20_001}
    assert app.post(f"{AGENDA}/points", data=too_long).status_code == 422
    response = app.post(
        f"{AGENDA}/points",
        data={
            "id": "prisoners",
            "number": "28",
            "title": "Prisoner exchange",
            "block": "sovereignty-security",
            "option_id": "all-for-all",
            "option_label": "All for all",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert stored(app).agenda["issues"][-1]["id"] == "prisoners"


def test_reordering_and_moving_between_blocks(app: TestClient) -> None:
    log_in(app, "mediator")
    ids = [item["id"] for item in stored(app).agenda["issues"]]
    app.post(f"{AGENDA}/points/{ids[1]}/move", data={"direction": "up"})
    assert [item["id"] for item in stored(app).agenda["issues"]][:2] == [ids[1], ids[0]]
    options = [o["id"] for o in issue(app, "force-cap")["options"]]  # type: ignore[attr-defined]
    app.post(f"{AGENDA}/points/force-cap/options/{options[0]}/move", data={"direction": "down"})
    moved = [o["id"] for o in issue(app, "force-cap")["options"]]  # type: ignore[attr-defined]
    assert moved[:2] == [options[1], options[0]]
    assert (
        app.post(f"{AGENDA}/points/force-cap/move", data={"direction": "sideways"}).status_code
        == 422
    )


def test_removing_an_option_in_use_names_the_use(app: TestClient) -> None:
    log_in(app, "mediator")
    response = app.post(f"{AGENDA}/points/force-cap/options/400k/remove")
    assert response.status_code == 422
    message = errors(response.text)["option-force-cap-400k"]
    assert "cannot remove option '400k' of point 'force-cap'" in message
    assert "that party's preferences must change first" in message
    response = app.post(f"{AGENDA}/points/missile-range/options/range-cap/remove")
    assert (
        "tick 'drop it from the parties' weights and values'"
        in errors(response.text)["option-missile-range-range-cap"]
    )
    response = app.post(
        f"{AGENDA}/points/missile-range/options/range-cap/remove",
        data={"drop_from_preferences": "yes"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    history = app.get(f"{AGENDA}/history").text
    assert "lost its option &#39;range-cap&#39;" in history
    assert "dropped from the weights and values of" in history


def test_blocks_are_added_changed_and_removed_when_empty(app: TestClient) -> None:
    log_in(app, "mediator")
    response = app.post(
        f"{AGENDA}/blocks",
        data={
            "id": "humanitarian",
            "title": "Humanitarian",
            "only_some": "yes",
            "participants": "ua, ru",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert stored(app).agenda["blocks"][-1] == {
        "id": "humanitarian",
        "title": "Humanitarian",
        "participants": ["ua", "ru"],
    }
    page = app.get(AGENDA).text
    assert "block &#39;humanitarian&#39; has no issues" in page  # pending, not refused
    response = app.post(
        f"{AGENDA}/blocks/humanitarian", data={"only_some": "yes", "participants": "ua, nobody"}
    )
    assert "unknown party 'nobody'" in errors(response.text)["block-humanitarian"]
    response = app.post(f"{AGENDA}/blocks/territory/remove")
    assert "still holds points" in errors(response.text)["block-territory"]
    assert (
        app.post(f"{AGENDA}/blocks/humanitarian/remove", follow_redirects=False).status_code == 303
    )


def test_the_agreement_rule(app: TestClient) -> None:
    log_in(app, "mediator")
    response = app.post(f"{AGENDA}/agreement", data={"kind": "quorum", "veto": "nobody"})
    assert response.status_code == 422
    assert "agreement.veto" in errors(response.text)["agreement"]
    response = app.post(f"{AGENDA}/agreement", data={"kind": "quorum", "min_parties": "two"})
    assert "min_parties: expected a whole number" in errors(response.text)["agreement"]
    response = app.post(
        f"{AGENDA}/agreement",
        data={"kind": "quorum", "min_parties": "2", "veto": "ua", "note": "a quorum"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert stored(app).agreement["kind"] == "quorum"
    assert stored(app).agreement["veto"] == ["ua"]


@pytest.mark.parametrize("member", ["ua-delegate", "observer"])
def test_members_read_the_agenda_but_only_the_mediator_edits_it(
    app: TestClient, member: str
) -> None:
    log_in(app, "mediator")
    app.post(f"{AGENDA}/points/ceasefire/options", data={"id": "phased"})
    log_in(app, member)
    page = app.get(AGENDA).text
    assert "Save point" not in page and "Not ready for analysis" not in page
    history = app.get(f"{AGENDA}/history").text
    assert "gained an option" in history and ">mediator<" not in history
    for markers in PRIVATE_MARKERS.values():
        for marker in markers:
            assert marker not in page and marker not in history
    response = app.post(f"{AGENDA}/points/ceasefire/options", data={"id": "mine"})
    assert response.status_code == 403
    assert app.post(f"{AGENDA}/agreement", data={"kind": "quorum"}).status_code == 403


def test_a_draft_written_under_an_older_agenda_is_shown_against_it_and_flagged(
    app: TestClient,
) -> None:
    log_in(app, "mediator")
    response = app.post(
        "/negotiations/1/drafts",
        data={"title": "Ceasefire text", "point": ["ceasefire=on-signing"]},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = app.get(f"{AGENDA}/drafts/1/versions/1").text
    assert 'id="agenda-flag"' not in page
    app.post(
        f"{AGENDA}/points/ceasefire/options/on-signing",
        data={"label": "Renamed", "text": "New words"},
    )
    page = app.get(f"{AGENDA}/drafts/1/versions/1").text
    flag = html.unescape(re.findall(r'id="agenda-flag"[^>]*>(.*?)</p>', page, re.S)[0])
    assert flag.startswith("written under agenda version 1; the agenda (now version 2)")
    assert "option 'on-signing' (Renamed) has a new label" in flag
    assert "Renamed" not in page.split('id="agenda-text"')[1]  # the words of agenda 1
    history = app.get(f"{AGENDA}/history").text
    title = history.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and history.count('id="older-drafts"') == 1
    older = history.split('id="older-drafts"')[1]
    assert "Ceasefire text, version 1</a>: written under agenda version 1" in older
    # A version not sent to a party is not found for its delegate, as on the drafts pages.
    log_in(app, "ua-delegate")
    assert app.get(f"{AGENDA}/drafts/1/versions/1").status_code == 404


ODD_VALUES = ["", " ", "0", "-1", "1e9", "99999999999999999999", "ü" * 80, "<script>", "a,b,,c"]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_input_gets_an_answer_never_a_server_error(app: TestClient, value: str) -> None:
    log_in(app, "mediator")
    posts = [
        (f"{AGENDA}/points", {"id": value, "option_id": value, "number": value}),
        (f"{AGENDA}/points/ceasefire", {"number": value, "block": value, "status_quo": value}),
        (f"{AGENDA}/points/ceasefire/options", {"id": value, "label": value}),
        (f"{AGENDA}/points/{value or 'x'}/remove", {}),
        (f"{AGENDA}/blocks", {"id": value, "only_some": "yes", "participants": value}),
        (f"{AGENDA}/agreement", {"kind": "quorum", "min_parties": value, "veto": value}),
    ]
    for path, data in posts:
        response = app.post(path, data=data, follow_redirects=False)
        assert response.status_code in (303, 404, 405, 422), (path, response.status_code)
        assert "Traceback" not in response.text
        if response.status_code == 303:
            continue
        if "<script>" in value:
            assert "<script>" not in response.text.split("<main>")[1]
