"""``accord coalitions`` as a user runs it."""

from __future__ import annotations

import json

from test_commands_improve import run

PEACE = "examples/peace-plan-27.yaml"


def test_all_lists_every_coalition_with_its_nash_package() -> None:
    result = run("coalitions", PEACE, "--all", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scope"] == "every subset"
    assert len(data["coalitions"]) == 11  # the sets of 2, 3 and 4 of the plan's 4 parties
    by_members = {"+".join(row["members"]): row for row in data["coalitions"]}
    assert by_members["ru+ua"]["feasible"] is False and by_members["ru+ua"]["nash"] is None
    row = by_members["ua+us+eu"]
    assert row["feasible"] and row["largest"] and not row["smallest"]
    assert [r["party"] for r in row["rejected_by"]] == ["ru"]
    assert row["rejected_by"][0]["utility"] < row["rejected_by"][0]["reservation"] == 0.55
    assert set(row["nash"]["fairness"]) == {"minimum_gain", "gini_of_gains", "equitability_gap"}


def test_the_default_is_the_rule_and_says_how_to_see_more() -> None:
    result = run("coalitions", PEACE)
    assert result.returncode == 0, result.stderr
    assert "ru + ua" in result.stdout
    assert "--all examines every set of parties" in result.stdout
