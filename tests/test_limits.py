"""The documented limits of a scenario: the loader refuses a file beyond them with its
file:line, the model refuses data beyond them with the field (issue 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.errors import ScenarioError
from accord.scenario import limits
from accord.scenario.loader import load_scenario, validate_data


def _scenario(options: int = 2, issues: int = 1, parties: int = 1) -> dict[str, Any]:
    agenda = [
        {"id": f"i{i}", "options": [{"id": f"o{k}"} for k in range(options)]} for i in range(issues)
    ]
    values = {
        f"i{i}": {f"o{k}": 1.0 if k == 0 else 0.0 for k in range(options)} for i in range(issues)
    }
    return {
        "id": "s",
        "issues": agenda,
        "parties": [{"id": f"p{p}", "preferences": {"values": values}} for p in range(parties)],
    }


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "s")
    return [problem.render() for problem in caught.value.problems]


def test_the_limits_themselves_are_allowed() -> None:
    data = _scenario(options=limits.MAX_OPTIONS_PER_ISSUE)
    assert len(validate_data(data, "s").issues[0].options) == limits.MAX_OPTIONS_PER_ISSUE
    assert len(validate_data(_scenario(parties=limits.MAX_PARTIES), "s").parties) == 1_000


def test_too_many_options_issues_and_parties() -> None:
    many_options = _scenario(options=limits.MAX_OPTIONS_PER_ISSUE + 1)
    assert _problems(many_options) == [
        "s: issues.i0.options: expected at most 10,000 options in one issue (a scenario "
        "limit), got 10,001",
        "s: parties.p0.preferences.values.i0: expected at most 10,000 option values for one "
        "issue (a scenario limit), got 10,001",
    ]
    assert _problems(_scenario(parties=limits.MAX_PARTIES + 1)) == [
        "s: parties: expected at most 1,000 parties (a scenario limit), got 1,001"
    ]
    many_issues = _scenario(issues=limits.MAX_ISSUES + 1)
    assert _problems(many_issues)[0] == (
        "s: issues: expected at most 1,000 issues (a scenario limit), got 1,001"
    )


def test_too_many_or_too_large_interactions_and_red_lines() -> None:
    data = _scenario(options=3, issues=2)
    preferences = data["parties"][0]["preferences"]
    pair = {"options": {"i0": "o1", "i1": "o2"}, "value": 0.1}
    preferences["interactions"] = [pair] * (limits.MAX_INTERACTIONS + 1)
    preferences["red_lines"] = [{"options": {f"x{k}": "o0" for k in range(51)}}]
    assert _problems(data) == [
        "s: parties.p0.preferences.interactions: expected at most 1,000 interactions per "
        "party (a scenario limit), got 1,001",
        "s: parties.p0.preferences.red_lines.0.options: expected at most 50 issues in one "
        "term (a scenario limit), got 51",
    ]


@pytest.mark.parametrize("number", [1e308, -1e10])
def test_a_preference_number_beyond_the_magnitude_limit_is_refused(number: float) -> None:
    data = _scenario()
    preferences = data["parties"][0]["preferences"]
    preferences["scale"] = "points"
    preferences["values"]["i0"]["o0"] = number
    assert _problems(data) == [
        "s: parties.p0.preferences.values.i0.o0: expected a number between -1e+09 and "
        f"1e+09 (a scenario limit) (got {number})"
    ]


def test_a_range_beyond_the_magnitude_limit_is_refused() -> None:
    data = _scenario()
    preferences = data["parties"][0]["preferences"]
    preferences["scale"] = "points"
    preferences["reservation"] = [-2e9, 2e9]
    assert _problems(data) == [
        "s: parties.p0.preferences.reservation: expected a range inside [-1e+09, 1e+09] "
        "for reservation on the points scale, got [-2e+09, 2e+09]"
    ]


def test_the_loader_names_the_line_of_a_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        "id: s\n"
        "issues:\n"
        "  - id: a\n"
        "    options: [{id: a1}, {id: a2}]\n"
        "parties:\n"
        "  - id: p\n"
        "    preferences:\n"
        "      scale: points\n"
        "      values: {a: {a1: 1e308, a2: 0}}\n"
    )
    Path("plan.yaml").write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario("plan.yaml")
    assert str(caught.value) == (
        "plan.yaml:9:24: parties.p.preferences.values.a.a1: expected a number between "
        "-1e+09 and 1e+09 (a scenario limit) (got 1e+308)"
    )
