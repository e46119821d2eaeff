"""The JSON API end to end, on SQLite and PostgreSQL: a mediator's day in the talks."""

from __future__ import annotations

from typing import Any

from web_fixtures import PASSWORD, World, peace_plan_data

SIXTH = {
    "number": 6,
    "held_at": "2025-12-02T10:00:00Z",
    "duration_minutes": 300,
    "place": "Geneva",
    "attendees": ["ua", "us"],
    "blocks": ["territory", "sovereignty-security"],
    "notes": "The sixth meeting, five hours.",
}


def _post(world: World, role: str, path: str, body: Any, status: int = 201) -> Any:
    response = world.client.post(world.path(path), json=body, headers=world.headers(role))
    assert response.status_code == status, response.text
    return response.json()


def _get(world: World, role: str, path: str, status: int = 200) -> Any:
    response = world.client.get(world.path(path), headers=world.headers(role))
    assert response.status_code == status, response.text
    return response.json()


def test_login_sets_a_cookie_and_logout_ends_it(world: World) -> None:
    client = world.client
    assert (
        client.post(
            "/api/auth/login", json={"username": "mediator", "password": "nope1234"}
        ).status_code
        == 401
    )
    response = client.post("/api/auth/login", json={"username": "mediator", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/api/me").json()["username"] == "mediator"
    assert client.post("/api/auth/logout").status_code == 204
    client.cookies.clear()
    assert client.get("/api/me").status_code == 401


def test_api_tokens_authenticate_and_an_admin_creates_users(world: World) -> None:
    client = world.client
    token = client.post(
        "/api/tokens", json={"label": "laptop"}, headers=world.headers("ua_delegate")
    ).json()["token"]
    me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == "ua_delegate"
    new = client.post(
        "/api/users",
        json={"username": "eu-envoy", "password": PASSWORD},
        headers=world.headers("mediator"),
    )
    assert new.status_code == 201
    refused = client.post(
        "/api/users",
        json={"username": "x", "password": PASSWORD},
        headers=world.headers("ua_delegate"),
    )
    assert refused.status_code == 403
    short = client.post(
        "/api/users", json={"username": "y", "password": "short"}, headers=world.headers("mediator")
    )
    assert short.status_code == 422 and "at least 8 characters" in short.json()["detail"]
    member = client.put(
        world.path("/members"),
        json={"username": "eu-envoy", "role": "delegate", "party": "eu"},
        headers=world.headers("mediator"),
    )
    assert member.json() == {"username": "eu-envoy", "role": "delegate", "party": "eu"}


def test_a_negotiation_is_created_from_a_scenario(world: World) -> None:
    client = world.client
    refused = client.post(
        "/api/negotiations", json={"scenario": peace_plan_data()}, headers=world.headers("observer")
    )
    assert refused.status_code == 403 and "permission" in refused.json()["detail"]
    granted = client.patch(
        "/api/users/observer",
        json={"can_create_negotiations": True},
        headers=world.headers("mediator"),
    )
    assert granted.status_code == 200 and granted.json()["can_create_negotiations"]
    response = client.post(
        "/api/negotiations", json={"scenario": peace_plan_data()}, headers=world.headers("observer")
    )
    assert response.status_code == 201
    assert response.json()["role"] == "mediator"
    assert [p["key"] for p in response.json()["parties"]] == ["ru", "ua", "us", "eu"]
    assert "preferences" not in response.text
    bad = peace_plan_data() | {"issues": []}
    response = client.post(
        "/api/negotiations", json={"scenario": bad}, headers=world.headers("observer")
    )
    assert response.status_code == 422
    assert "issues" in response.json()["detail"]


def test_meetings_are_logged(world: World) -> None:
    assert _post(world, "mediator", "/meetings", SIXTH)["number"] == 6
    assert _post(world, "mediator", "/meetings", SIXTH | {"number": None})["number"] == 7
    duplicate = _post(world, "mediator", "/meetings", SIXTH, status=409)
    assert (
        duplicate["detail"]
        == f"meeting 6 is already recorded in negotiation {world.negotiation_id}"
    )
    naive = _post(
        world,
        "mediator",
        "/meetings",
        SIXTH | {"number": 9, "held_at": "2025-12-02T10:00:00"},
        status=422,
    )
    assert "time zone" in naive["detail"]
    meetings = _get(world, "observer", "/meetings")
    assert [(m["number"], m["duration_minutes"], m["attendees"]) for m in meetings] == [
        (6, 300, ["ua", "us"]),
        (7, 300, ["ua", "us"]),
    ]
    assert _get(world, "ru_delegate", "/meetings/6")["place"] == "Geneva"


def test_drafts_are_versioned_distributed_and_answered(world: World) -> None:
    draft = _post(
        world,
        "mediator",
        "/drafts",
        {"title": "Territory", "package": {"donetsk": "withdrawal", "ceasefire": "on-signing"}},
    )
    draft_id = draft["id"]
    second = _post(
        world,
        "mediator",
        f"/drafts/{draft_id}/versions",
        {
            "package": {"donetsk": "buffer-ua", "ceasefire": "on-signing"},
            "note": "after meeting 6",
            "expected_previous_hash": draft["versions"][0]["hash"],
        },
    )
    assert second["previous_hash"] == draft["versions"][0]["hash"]
    stale = _post(
        world,
        "mediator",
        f"/drafts/{draft_id}/versions",
        {
            "package": {"donetsk": "withdrawal"},
            "expected_previous_hash": draft["versions"][0]["hash"],
        },
        status=409,
    )
    assert "moved on" in stale["detail"]
    diff = _get(world, "mediator", f"/drafts/{draft_id}/diff?before=1&after=2")
    assert [p for p in diff["points"] if p["changed"]] == [
        {
            "issue": "donetsk",
            "before": "withdrawal",
            "after": "buffer-ua",
            "changed": True,
            # No text given: each version words the point as the agenda's option label.
            "before_text": "Ukraine withdraws; a neutral demilitarised buffer zone",
            "after_text": "Demilitarised zone on both sides of the line; "
            "Ukrainian administration stays",
            "text_changed": True,
        }
    ]

    # Ukraine receives version 2 only; Russia receives nothing yet.
    sent = _post(
        world, "mediator", f"/drafts/{draft_id}/versions/2/distribution", {"parties": ["ua"]}
    )
    assert [(row["party"], row["version"], row["hash"]) for row in sent] == [
        ("ua", 2, second["hash"])
    ]
    assert [v["number"] for v in _get(world, "ua_delegate", f"/drafts/{draft_id}")["versions"]] == [
        2
    ]
    _get(world, "ua_delegate", f"/drafts/{draft_id}/versions/1", status=404)
    assert _get(world, "ru_delegate", "/drafts") == []
    assert [row["party"] for row in _get(world, "ua_delegate", "/distribution")] == ["ua"]

    # Ukraine tables a counter-draft, point by point beside the mediator's text.
    counter = _post(
        world,
        "ua_delegate",
        "/drafts",
        {
            "title": "Ukraine's amendments",
            "party": "ua",
            "package": {"donetsk": "line-of-contact"},
            "responds_to": {"draft": draft_id, "version": 2},
        },
    )
    comparison = _get(world, "mediator", f"/drafts/{counter['id']}/versions/1/comparison")
    assert [
        (p["issue"], p["before"], p["after"], p["changed"], p["text_changed"])
        for p in comparison["points"]
    ] == [
        ("donetsk", "buffer-ua", "line-of-contact", True, True),
        ("ceasefire", "on-signing", "on-signing", False, False),
    ]
    _get(world, "ru_delegate", f"/drafts/{counter['id']}", status=404)
    _post(
        world,
        "ru_delegate",
        "/drafts",
        {
            "title": "x",
            "party": "ua",
            "package": {"donetsk": "withdrawal"},
            "responds_to": {"draft": draft_id, "version": 2},
        },
        status=403,
    )
    verified = _get(world, "mediator", "/verify")
    assert (verified["ok"], verified["drafts_checked"], verified["versions_checked"]) == (
        True,
        2,
        3,
    )
    # The head of the mediator's draft is the hash Ukraine received with version 2.
    assert verified["heads"][0] == {"draft": draft_id, "version": 2, "hash": second["hash"]}


def test_stances_are_recorded_with_history_and_kept_private(world: World) -> None:
    _post(
        world, "ua_delegate", "/stances", {"party": "ua", "issue": "donetsk", "stance": "rejects"}
    )
    _post(
        world,
        "mediator",
        "/stances",
        {
            "party": "ua",
            "issue": "donetsk",
            "stance": "conditional",
            "condition": "with an Article-5-like guarantee",
        },
    )
    _post(
        world, "ru_delegate", "/stances", {"party": "ru", "issue": "donetsk", "stance": "accepts"}
    )
    _post(
        world,
        "ru_delegate",
        "/stances",
        {"party": "ua", "issue": "donetsk", "stance": "accepts"},
        status=403,
    )
    missing = _post(
        world,
        "mediator",
        "/stances",
        {"party": "ua", "issue": "donetsk", "stance": "conditional"},
        status=422,
    )
    assert missing["detail"] == "a conditional stance needs its condition"
    assert [(s["party"], s["stance"]) for s in _get(world, "mediator", "/stances")] == [
        ("ua", "conditional"),
        ("ru", "accepts"),
    ]
    assert [s["party"] for s in _get(world, "ua_delegate", "/stances")] == ["ua"]
    assert [s["stance"] for s in _get(world, "ua_delegate", "/stances/history")] == [
        "rejects",
        "conditional",
    ]
    _get(world, "observer", "/stances", status=403)


def test_parties_join_leave_and_change_role(world: World) -> None:
    client = world.client
    changed = client.patch(
        world.path("/parties/eu"),
        json={"role": "negotiator", "required": True, "note": "a seat for Europe"},
        headers=world.headers("mediator"),
    )
    assert changed.json() == {
        "key": "eu",
        "name": "European Union / E3",
        "role": "negotiator",
        "required": True,
        "active": True,
    }
    _post(world, "mediator", "/parties", {"key": "tr", "name": "Türkiye", "role": "observer"})
    left = _post(world, "mediator", "/parties/us/leave", {"note": "steps back"}, status=200)
    assert left["active"] is False
    events = _get(world, "observer", "/party-events")
    assert [(e["party"], e["kind"]) for e in events[4:]] == [
        ("eu", "role_changed"),
        ("tr", "joined"),
        ("us", "left"),
    ]
    _post(world, "ua_delegate", "/parties", {"key": "by"}, status=403)


def test_the_mediator_sees_the_analysis_and_the_current_draft(world: World) -> None:
    _post(world, "mediator", "/drafts", {"title": "Territory", "package": {"donetsk": "buffer-ua"}})
    analysis = _get(world, "mediator", "/analysis")
    assert analysis["feasible"] is False
    assert any("Donetsk" in sentence for sentence in analysis["blocker_sentences"])
    position = analysis["current_draft"]["position"]
    assert position["party_ids"] == ["ru", "ua", "us", "eu"]
    assert "donetsk" not in position["held"]
    _get(world, "ua_delegate", "/analysis", status=403)


def test_bad_requests_get_a_4xx_that_says_what_is_wrong(world: World) -> None:
    client = world.client
    headers = world.headers("mediator")
    cases = [
        (
            "post",
            "/drafts",
            {"title": "T", "package": {"donetsk": "everything"}},
            422,
            "point 'donetsk' has no option 'everything'",
        ),
        (
            "post",
            "/drafts",
            {"title": "T", "package": {"crimea": "x"}},
            422,
            "unknown point 'crimea'",
        ),
        ("post", "/drafts", {"title": "T", "packgae": {}}, 422, "packgae"),
        ("post", "/meetings", {"held_at": "yesterday", "duration_minutes": 5}, 422, "held_at"),
        (
            "post",
            "/stances",
            {"party": "zz", "issue": "donetsk", "stance": "accepts"},
            404,
            "no party 'zz'",
        ),
        (
            "post",
            "/meetings",
            {"held_at": "9999-12-31T23:00:00-05:00", "duration_minutes": 5},
            422,
            "out of range",
        ),
        ("get", "/drafts/999", None, 404, "no draft 999"),
        ("get", "/drafts/99999999999999999999", None, 422, "less than or equal to 2147483647"),
        ("get", "/meetings/0", None, 422, "greater than or equal to 1"),
        ("get", "/meetings/5", None, 404, "no meeting 5"),
    ]
    for method, path, body, status, message in cases:
        response = client.request(method, world.path(path), json=body, headers=headers)
        assert response.status_code == status, (path, response.text)
        assert message in response.text, (path, response.text)
    broken = client.post(
        world.path("/meetings"),
        content=b"{not json",
        headers=headers | {"content-type": "application/json"},
    )
    assert broken.status_code == 422
    assert client.get("/api/negotiations/424242", headers=headers).status_code == 404
    assert client.get(world.path()).status_code == 401


def test_preferences_beyond_the_scenario_limits_get_a_422_naming_the_limit(world: World) -> None:
    """Issue 11: a delegate's 1,001 interactions or a value of 1e308 are refused outright."""
    pair = {"options": {"donetsk": "full-withdrawal", "crimea": "status-quo"}, "value": 0.1}
    too_many = {"interactions": [pair] * 1_001}
    huge = {"scale": "points", "reservation": 1e308}
    for body, message in (
        (too_many, "expected at most 1,000 interactions per party (a scenario limit)"),
        (huge, "expected a number between -1e+09 and 1e+09 (a scenario limit)"),
    ):
        response = world.client.put(
            world.path("/parties/ua/preferences"), json=body, headers=world.headers("ua_delegate")
        )
        assert response.status_code == 422, response.text
        assert message in response.text, response.text
    # Nothing was stored: the delegate's preferences are as they were.
    stored = _get(world, "ua_delegate", "/parties/ua/preferences")["preferences"]
    assert stored is not None and len(stored["interactions"]) < 1_001


def test_the_agreement_rule_changes_with_its_history(world: World) -> None:
    quorum = {"kind": "quorum", "min_parties": 2, "voters": ["ru", "ua", "eu"], "veto": ["ua"]}
    response = world.client.put(
        world.path("/agreement"),
        json={"agreement": quorum, "note": "Europe votes"},
        headers=world.headers("mediator"),
    )
    assert response.status_code == 200, response.text
    bad = world.client.put(
        world.path("/agreement"),
        json={"agreement": {"kind": "unanimity", "veto": ["zz"]}},
        headers=world.headers("mediator"),
    )
    assert bad.status_code == 422 and "unknown party 'zz'" in bad.json()["detail"]
    history = _get(world, "observer", "/agreement-history")
    assert [(h["agreement"]["kind"], h["note"]) for h in history] == [
        ("unanimity", "as in the scenario the negotiation was created from"),
        ("quorum", "Europe votes"),
    ]
    assert _get(world, "observer", "")["agreement"]["veto"] == ["ua"]
