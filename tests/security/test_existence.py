"""What a party may not see must look exactly like what does not exist, on API and pages.

The record: the mediator's draft 1 (version 1 sent to Ukraine and Russia, version 2 sent to
nobody), Russia's counter-draft 2, and a stance the mediator recorded for Ukraine on the
unsent version 2. Ukraine's delegate probes each hidden record and a missing one side by
side: same status, same words (ids aside). Real server, SQLite and PostgreSQL.
"""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
from sqlalchemy import delete

from accord.ledger import Database
from accord.ledger.models import Distribution
from accord.web.auth import get_user_by_name, issue_token
from web_world import World, log_in

API = "/api/negotiations/1"
PAGES = "/negotiations/1"


def tokens(world: World) -> dict[str, dict[str, str]]:
    database = Database(world.database_url)
    try:
        with database.transaction() as session:
            headers = {}
            for name in ("mediator", "ua-delegate", "ru-delegate"):
                user = get_user_by_name(session, name)
                assert user is not None
                secret = issue_token(session, user, "api", "probe")[1]
                headers[name] = {"Authorization": f"Bearer {secret}"}
            return headers
    finally:
        database.dispose()


def ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def record(base: str, headers: dict[str, dict[str, str]]) -> None:
    mediator, russia = headers["mediator"], headers["ru-delegate"]
    text = {"title": "Single text", "package": {"donetsk": "buffer-ua"}}
    ok(httpx.post(f"{base}{API}/drafts", json=text, headers=mediator))
    ok(
        httpx.post(
            f"{base}{API}/drafts/1/versions/1/distribution",
            json={"parties": ["ua", "ru"]},
            headers=mediator,
        )
    )
    second = {"package": {"donetsk": "withdrawal"}, "note": "not sent to anyone"}
    ok(httpx.post(f"{base}{API}/drafts/1/versions", json=second, headers=mediator))
    counter = {
        "title": "Russia's amendments",
        "party": "ru",
        "package": {"donetsk": "withdrawal"},
        "responds_to": {"draft": 1, "version": 1},
    }
    ok(httpx.post(f"{base}{API}/drafts", json=counter, headers=russia))
    stance = {
        "party": "ua",
        "issue": "donetsk",
        "stance": "rejects",
        "responds_to": {"draft": 1, "version": 2},
    }
    ok(httpx.post(f"{base}{API}/stances", json=stance, headers=mediator))


def same_answer(hidden: httpx.Response, missing: httpx.Response, ids: tuple[str, str]) -> None:
    """Both answers alike once the probed ids are swapped."""
    assert hidden.status_code == missing.status_code, (hidden.text, missing.text)
    assert 400 <= hidden.status_code < 500
    assert words(hidden).replace(ids[0], "ID") == words(missing).replace(ids[1], "ID")


def words(response: httpx.Response) -> str:
    if response.headers["content-type"].startswith("application/json"):
        return str(response.json()["detail"])
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', response.text, re.S)
    assert found, response.text[:500]
    return html.unescape(found.group(1))


def test_hidden_records_look_like_missing_ones(served: tuple[str, World]) -> None:
    base, world = served
    headers = tokens(world)
    record(base, headers)
    ukraine = headers["ua-delegate"]
    with httpx.Client(base_url=base, headers=ukraine, timeout=30) as api:
        # Russia's counter-draft 2 against a draft 999 that does not exist.
        same_answer(api.get(f"{API}/drafts/2"), api.get(f"{API}/drafts/999"), ("2", "999"))
        version = {"package": {"donetsk": "line-of-contact"}}
        same_answer(
            api.post(f"{API}/drafts/2/versions", json=version),
            api.post(f"{API}/drafts/999/versions", json=version),
            ("2", "999"),
        )
        # Version 2, never sent, against a version 9 that does not exist.
        same_answer(
            api.get(f"{API}/drafts/1/versions/2"), api.get(f"{API}/drafts/1/versions/9"), ("2", "9")
        )
        same_answer(
            api.get(f"{API}/drafts/1/diff?before=1&after=2"),
            api.get(f"{API}/drafts/1/diff?before=1&after=9"),
            ("2", "9"),
        )
        # The stance the mediator recorded on version 2 does not name it to Ukraine.
        history = ok(api.get(f"{API}/stances/history"))
        assert [row["responds_to"] for row in history] == [None]
        assert ok(api.get(f"{API}/stances"))[0]["responds_to"] is None
        stance = {
            "party": "ua",
            "issue": "donetsk",
            "stance": "accepts",
            "responds_to": {"draft": 1, "version": 2},
        }
        hidden_ref = api.post(f"{API}/stances", json=stance)
        stance["responds_to"] = {"draft": 1, "version": 9}
        same_answer(hidden_ref, api.post(f"{API}/stances", json=stance), ("2", "9"))
    mediator_view = ok(httpx.get(f"{base}{API}/stances/history", headers=headers["mediator"]))
    assert mediator_view[0]["responds_to"] == {"draft": 1, "version": 2}

    with httpx.Client(base_url=base, timeout=30) as page:
        assert log_in(page, "ua-delegate").status_code == 303
        form = {"point": ["donetsk=line-of-contact"]}
        same_answer(
            page.post(f"{PAGES}/drafts/2/versions", data=form),
            page.post(f"{PAGES}/drafts/999/versions", data=form),
            ("2", "999"),
        )
        same_answer(
            page.get(f"{PAGES}/drafts/2/versions/1"),
            page.get(f"{PAGES}/drafts/999/versions/1"),
            ("2", "999"),
        )
        same_answer(
            page.get(f"{PAGES}/drafts/1/versions/2"),
            page.get(f"{PAGES}/drafts/1/versions/9"),
            ("2", "9"),
        )
        # The version id of the text never sent to Ukraine, against one that does not exist.
        unsent_id, missing_id = version_id(world, 1, 2), "99999"
        stance = {"party": "ua", "issue": "donetsk", "stance": "accepts"}
        same_answer(
            page.post(f"{PAGES}/stances", data=stance | {"version_id": unsent_id}),
            page.post(f"{PAGES}/stances", data=stance | {"version_id": missing_id}),
            (unsent_id, missing_id),
        )
        history = page.get(f"{PAGES}/stances").text
        assert "version 2" not in history and "/drafts/1/versions/2" not in history
        drafts = page.get(f"{PAGES}/drafts").text
        assert "Russia's amendments" not in drafts and "not sent to anyone" not in drafts


def version_id(world: World, draft: int, number: int) -> str:
    database = Database(world.database_url)
    try:
        with database.session() as session:
            from accord.ledger.models import DraftVersion

            row = session.query(DraftVersion).filter_by(draft_id=draft, number=number).one()
            return str(row.id)
    finally:
        database.dispose()


def test_a_counter_draft_never_shows_a_text_its_party_did_not_receive(
    served: tuple[str, World],
) -> None:
    base, world = served
    headers = tokens(world)
    record(base, headers)
    mediator, ukraine = headers["mediator"], headers["ua-delegate"]
    counter = {
        "title": "Ukraine's amendments",
        "party": "ua",
        "package": {"donetsk": "line-of-contact"},
        "responds_to": {"draft": 1, "version": 2},
    }
    # The mediator cannot file a counter-draft of Ukraine to a text Ukraine never had.
    refused = httpx.post(f"{base}{API}/drafts", json=counter, headers=mediator)
    assert refused.status_code == 422
    assert "has not received version 2 of draft 1" in refused.text
    # A record made before that rule (simulated: the receipt withdrawn afterwards) still
    # shows Ukraine neither version 2's points nor its id.
    ok(
        httpx.post(
            f"{base}{API}/drafts/1/versions/2/distribution",
            json={"parties": ["ua"]},
            headers=mediator,
        )
    )
    made = ok(httpx.post(f"{base}{API}/drafts", json=counter, headers=mediator))
    database = Database(world.database_url)
    try:
        with database.transaction() as session:
            version = int(version_id(world, 1, 2))
            session.execute(delete(Distribution).where(Distribution.version_id == version))
    finally:
        database.dispose()
    with httpx.Client(base_url=base, headers=ukraine, timeout=30) as api:
        comparison = api.get(f"{API}/drafts/{made['id']}/versions/1/comparison")
        assert comparison.status_code == 404
        assert "withdrawal" not in comparison.text
        assert ok(api.get(f"{API}/drafts/{made['id']}"))["responds_to"] is None
    with httpx.Client(base_url=base, timeout=30) as page:
        assert log_in(page, "ua-delegate").status_code == 303
        shown = page.get(f"{PAGES}/drafts/{made['id']}/versions/1").text
        assert 'id="comparison"' not in shown
        points = shown.split('id="points"', 1)[1].split("</section>", 1)[0]
        assert "Line of contact" in points and "Ukraine withdraws" not in points
        assert "/drafts/1/versions/2" not in shown
        assert "/drafts/1/versions/2" not in page.get(f"{PAGES}/drafts").text
