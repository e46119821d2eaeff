"""``accord agenda`` as a user runs it."""

from __future__ import annotations

import json

from test_commands_improve import run


def test_json_ranks_the_changes_that_open_a_deal_first() -> None:
    result = run("agenda", "examples/peace-plan-27.yaml", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["today"] is None and not data["cut"] and data["analysed"] == 46
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
