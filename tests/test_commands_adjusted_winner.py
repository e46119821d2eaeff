"""``accord adjusted-winner`` as a user runs it."""

from __future__ import annotations

import json

from test_commands_improve import run


def test_panama_json_reports_the_split_and_the_checks() -> None:
    result = run("adjusted-winner", "examples/panama-canal-1977.yaml", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["totals"] == {
        "us": {"value": 66.0, "exact": "66"},
        "pa": {"value": 66.0, "exact": "66"},
    }
    assert data["split"]["issue"] == "land-and-water"
    assert data["split"]["share"]["pa"]["exact"] == "13/15"
    assert data["checks"] == {"envy_free": True, "equitable": True, "efficient": True}
    assert data["package"]["package"]["land-and-water"] == "panama"
    assert data["red_lines_crossed"] == [] and data["below_reservation"] == []


def test_an_indivisible_split_point_is_checked_again() -> None:
    result = run(
        "adjusted-winner", "examples/panama-canal-1977.yaml", "--indivisible", "land-and-water"
    )
    assert result.returncode == 0, result.stderr
    assert "land-and-water cannot be split" in result.stdout
    assert "equitable no" in result.stdout


def test_a_refusal_is_one_line() -> None:
    result = run("adjusted-winner", "examples/camp-david-1978.yaml")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: examples/camp-david-1978.yaml: point 'palestinian'")
    result = run("adjusted-winner", "examples/panama-canal-1977.yaml", "--indivisible", "canal")
    assert result.returncode == 2 and "unknown issue 'canal'" in result.stderr
