"""The drafts API carries the words: texts in, texts out, word-level changes in the diff."""

from __future__ import annotations

from typing import Any

from web_fixtures import World

AMENDED = "A demilitarised zone on both sides of the line, under UN monitoring."


def _call(world: World, method: str, path: str, body: Any = None, status: int = 200) -> Any:
    response = world.client.request(
        method, world.path(path), json=body, headers=world.headers("mediator")
    )
    assert response.status_code == status, response.text
    return response.json()


def test_texts_are_written_read_and_diffed(world: World) -> None:
    draft = _call(
        world,
        "POST",
        "/drafts",
        {"title": "Territory", "package": {"donetsk": "buffer-ua", "ceasefire": "on-signing"}},
        status=201,
    )
    first = draft["versions"][0]
    assert first["texts"]["ceasefire"] == "Ceasefire on signing"  # the agenda's wording
    second = _call(
        world,
        "POST",
        f"/drafts/{draft['id']}/versions",
        {"package": {"donetsk": "buffer-ua"}, "texts": {"donetsk": AMENDED}},
        status=201,
    )
    assert second["texts"] == {"donetsk": AMENDED}
    read = _call(world, "GET", f"/drafts/{draft['id']}/versions/2")
    assert read["texts"] == {"donetsk": AMENDED}
    diff = _call(world, "GET", f"/drafts/{draft['id']}/diff?before=1&after=2")
    donetsk = next(point for point in diff["points"] if point["issue"] == "donetsk")
    assert (donetsk["changed"], donetsk["text_changed"], donetsk["after_text"]) == (
        True,
        True,
        AMENDED,
    )


def test_a_text_for_a_point_without_an_option_is_a_422_naming_it(world: World) -> None:
    error = _call(
        world,
        "POST",
        "/drafts",
        {"title": "T", "package": {"donetsk": "buffer-ua"}, "texts": {"ceasefire": "words"}},
        status=422,
    )
    assert "texts: point 'ceasefire' has a text but no option" in error["detail"]
