"""``accord agenda`` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from test_commands_improve import run


def test_json_ranks_the_changes_that_open_a_deal_first() -> None:
    result = run("agenda", "examples/peace-plan-27.yaml", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["today"] is None and not data["cut"] and data["analysed"] == 48  # 2 halfway caps
    first, second = data["changes"][:2]
    assert first["opens_deal"] and second["opens_deal"] and first["rank"] == 1
    assert {first["label"], second["label"]} == {
        "unseat Russia: a deal without its consent",
        "unseat Ukraine: a deal without its consent",
    }
    assert not any(change["opens_deal"] for change in data["changes"][2:])


def test_a_cut_is_said_in_the_output() -> None:
    result = run("agenda", "examples/camp-david-1978.yaml", "--max-changes", "3")
    assert result.returncode == 0, result.stderr
    assert "Cut: 6 of 9 candidate changes were not analysed (--max-changes 3)" in result.stdout
    result = run("agenda", "examples/camp-david-1978.yaml", "--max-changes", "0")
    assert result.returncode == 2 and "--max-changes: expected at least 1" in result.stderr


def test_options_are_added_with_their_assumption_said(tmp_path: Path) -> None:
    plan = load_scenario("examples/peace-plan-27.yaml")
    path = tmp_path / "plan.json"
    path.write_text(plan.model_dump_json(exclude_none=True), encoding="utf-8")
    added = "force-cap=700k:ru=0.5,ua=0.6,us=0.9,eu=0.7"
    result = run("agenda", str(path), "--add-option", added, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    adds = [change for change in data["changes"] if change["kind"] == "add"]
    assert [change["label"] for change in adds][-1] == (
        "add '700k' to 'Cap on Ukraine's armed forces (point 6)' (values given)"
    )
    assert all(change["assumption"].startswith("assumed: ") for change in adds)
    assert len(adds) == 3  # two halfway caps and the given one
    text = run("agenda", str(path), "--add-option", added).stdout
    assert "assumed: the values of '700k' given on the command line" in " ".join(text.split())


def test_a_bad_added_option_is_one_line() -> None:
    for given, expected in (
        ("force-cap:ru=1", "expected ISSUE=OPTION:PARTY=VALUE"),
        ("force-cap=700k:ru=x", "the value for 'ru' must be a number"),
        ("force-cap=700k:ru=0.5", "missing: ua, us, eu"),
    ):
        result = run("agenda", "examples/peace-plan-27.yaml", "--add-option", given)
        assert result.returncode != 0 and expected in result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_seat_says_what_survives(tmp_path: Path) -> None:
    plan = load_scenario("examples/peace-plan-27.yaml").model_dump(exclude_none=True)
    for party in plan["parties"]:
        if party["id"] == "ru":
            party["preferences"]["red_lines"] = [
                r
                for r in party["preferences"]["red_lines"]
                if r.get("label") != "Ukraine must withdraw from Donetsk"
            ]
    path = tmp_path / "relaxed.json"
    path.write_text(Scenario.model_validate(plan).model_dump_json(), encoding="utf-8")
    data = json.loads(run("agenda", str(path), "--json").stdout)
    seats = {c["survivors"]["party"]: c["survivors"] for c in data["changes"] if c["survivors"]}
    assert set(seats) == {"us", "eu"}
    assert seats["us"]["nash_survives"] and seats["us"]["surviving_points"] == 72
    assert seats["eu"]["nash_survives"] is False and seats["eu"]["surviving_points"] == 0
    assert seats["eu"]["frontier_points"] == 72 and seats["eu"]["cost"]["ru"] > 0
