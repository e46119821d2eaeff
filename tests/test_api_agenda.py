"""The agenda through the JSON API: read by members, replaced by the mediator through the
same validation and refusals as the editor, each change a version with its words."""

from __future__ import annotations

import copy

from web_fixtures import World


def test_the_mediator_replaces_the_agenda_and_members_read_its_history(world: World) -> None:
    client, mediator = world.client, world.headers("mediator")
    agenda = client.get(world.path("/agenda"), headers=world.headers("observer")).json()
    assert agenda["number"] == 1 and len(agenda["issues"]) == 27
    edited = copy.deepcopy(agenda)
    edited["issues"][0]["number"] = 1
    edited["issues"][0]["text"] = "Ukraine's sovereignty is confirmed."
    body = {"blocks": edited["blocks"], "issues": edited["issues"], "note": "wording"}
    response = client.put(world.path("/agenda"), json=body, headers=mediator)
    assert response.status_code == 200, response.text
    assert response.json()["number"] == 2
    unchanged = client.put(world.path("/agenda"), json=body, headers=mediator)
    assert unchanged.json()["number"] == 2
    versions = client.get(world.path("/agenda/versions"), headers=world.headers("ua_delegate"))
    second = versions.json()[1]
    assert second["note"] == "wording" and second["by"] is None
    assert any("its wording changed" in change for change in second["changes"])
    assert client.get(world.path("/agenda/versions"), headers=mediator).json()[1]["by"] == (
        "mediator"
    )
    old = client.get(world.path("/agenda/versions/1"), headers=mediator).json()
    assert old["issues"][0].get("text", "") == ""
    assert client.get(world.path("/agenda/versions/9"), headers=mediator).status_code == 404


def test_refusals_name_the_field_or_the_use(world: World) -> None:
    client, mediator = world.client, world.headers("mediator")
    agenda = client.get(world.path("/agenda"), headers=mediator).json()
    broken = copy.deepcopy(agenda["issues"])
    broken[0]["status_quo"] = "nothing"
    response = client.put(
        world.path("/agenda"), json={"issues": broken, "blocks": agenda["blocks"]}, headers=mediator
    )
    assert response.status_code == 422
    assert (
        "agenda: issues.sovereignty.status_quo: unknown option 'nothing'"
        in response.json()["detail"]
    )
    fewer = [issue for issue in agenda["issues"] if issue["id"] != "force-cap"]
    response = client.put(
        world.path("/agenda"), json={"issues": fewer, "blocks": agenda["blocks"]}, headers=mediator
    )
    assert response.status_code == 422
    assert "cannot remove point 'force-cap'" in response.json()["detail"]
    response = client.put(
        world.path("/agenda"),
        json={"issues": agenda["issues"]},
        headers=world.headers("ua_delegate"),
    )
    assert response.status_code == 403
    garbage = client.put(
        world.path("/agenda"), json={"issues": [{"options": "x"}, 3]}, headers=mediator
    )
    assert garbage.status_code == 422
