"""``accord improve`` as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

CAMP_DAVID = "examples/camp-david-1978.yaml"
DRAFT = (
    "sinai=full-return,settlements=kept,airfields=evacuated,security=demilitarised,"
    "palestinian=self-determination,jerusalem=excluded"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_json_lists_the_improvements_and_the_changed_points() -> None:
    result = run("improve", CAMP_DAVID, "--package", DRAFT, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["is_pareto_optimal"] is False and data["package_feasible"] is True
    assert [c["issue"] for c in data["nearest"]["changed"]] == ["settlements", "palestinian"]
    assert data["nearest"]["changed"][1] == {
        "issue": "palestinian",
        "from": "self-determination",
        "to": "autonomy",
    }
    assert data["improvement_count"] == len(data["improvements"]) == 2
    assert set(data["improvements"][0]["fairness"]) == {
        "minimum_gain",
        "gini_of_gains",
        "equitability_gap",
    }


def test_a_pareto_optimal_package_says_so() -> None:
    optimal = DRAFT.replace("settlements=kept", "settlements=removed").replace(
        "self-determination", "autonomy"
    )
    result = run("improve", CAMP_DAVID, "--package", optimal)
    assert result.returncode == 0, result.stderr
    assert "already Pareto-optimal among feasible packages" in result.stdout


def test_a_bad_package_is_one_line_naming_the_issue() -> None:
    result = run(
        "improve", CAMP_DAVID, "--package", DRAFT.replace("sinai=full-return", "sinai=all")
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: --package: issue 'sinai' has no option 'all' (options: full-return, "
        f"partial-return, occupation) in {CAMP_DAVID}"
    ]
    result = run("improve", CAMP_DAVID, "--package", "sinai")
    assert result.returncode == 2
    assert "expected ISSUE=OPTION, got 'sinai'" in result.stderr
