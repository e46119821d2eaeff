"""Ranges and distributions written in place of preference numbers: loading, errors, writing."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from accord import analyze
from accord.errors import ScenarioError
from accord.scenario.distributions import Normal, UncertainParameter, Uniform
from accord.scenario.loader import load_scenario, parse_scenario, validate_data
from accord.scenario.model import Scenario
from accord.scenario.writer import dump_scenario, scenario_text

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def text() -> str:
    return (DATA / "small-uncertain.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scenario(text: str) -> Scenario:
    return parse_scenario(text, "small-uncertain.yaml")


def test_each_distribution_is_replaced_by_its_nominal_value_and_recorded(
    scenario: Scenario,
) -> None:
    p = scenario.party("p").preferences
    q = scenario.party("q").preferences
    assert p is not None and q is not None
    assert p.weights == {"a": 3.0, "b": 1.0, "c": 2.0}
    assert p.values["a"]["a2"] == pytest.approx(0.5)
    assert p.reservation == pytest.approx(0.55)
    assert q.reservation == 0.5
    assert q.interactions[0].value == 0.3
    assert p.uncertain == (
        UncertainParameter(path=("weights", "a"), distribution=Uniform(low=2, high=4)),
        UncertainParameter(path=("weights", "c"), distribution=Normal(mean=2, sd=0.5)),
        UncertainParameter(path=("values", "a", "a2"), distribution=Uniform(low=0.3, high=0.7)),
        UncertainParameter(path=("reservation",), distribution=Uniform(low=0.3, high=0.8)),
    )
    assert [u.label for u in q.uncertain] == ["values.c.c2", "interactions.0.value", "reservation"]


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_the_writer_puts_distributions_back_inline(
    scenario: Scenario, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"copy{suffix}"
    dump_scenario(scenario, path)
    written = path.read_text(encoding="utf-8")
    data = json.loads(written) if suffix == ".json" else yaml.safe_load(written)
    p = data["parties"][0]["preferences"]
    assert "uncertain" not in p
    assert p["weights"]["a"] == [2.0, 4.0]
    assert p["weights"]["c"] == {"mean": 2.0, "sd": 0.5}
    assert p["reservation"] == [0.3, 0.8]
    assert data["parties"][1]["preferences"]["interactions"][0]["value"] == {
        "mean": 0.3,
        "sd": 0.1,
    }
    assert load_scenario(path) == scenario


def test_a_derived_scenario_keeps_the_distributions(scenario: Scenario) -> None:
    seated = scenario.with_required(("p",))
    assert seated.party("p").preferences == scenario.party("p").preferences
    # Plain data from model_dump, read back: the recorded list is kept, not lifted twice.
    again = Scenario.model_validate(scenario.model_dump())
    assert again == scenario


@pytest.mark.parametrize(
    ("written", "position", "field", "expected"),
    [
        ("[0.4, 0.2]", "15:20", "weights.a", "expected a range [low, high] with low <= high"),
        ("{mean: 2, sd: -1}", "15:20", "weights.a", "standard deviation sd >= 0"),
        ("[1, 2, 3]", "15:20", "weights.a", "a range needs exactly two numbers"),
        ("{mean: 2, sigma: 1}", "15:20", "weights.a", "exactly a mean and an sd"),
        ("[-1, 2]", "15:20", "weights.a", "expected a range inside [0, 1e+09] for a weight"),
    ],
)
def test_a_bad_distribution_is_reported_at_its_place(
    text: str, written: str, position: str, field: str, expected: str
) -> None:
    bad = text.replace("weights: {a: [2, 4],", f"weights: {{a: {written},")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(bad, "bad.yaml")
    (problem,) = caught.value.problems
    rendered = problem.render()
    assert rendered.startswith(f"bad.yaml:{position}: parties.p.preferences.{field}: "), rendered
    assert expected in rendered


def test_a_range_outside_the_normalised_scale_is_reported(text: str) -> None:
    bad = text.replace("reservation: [0.3, 0.8]", "reservation: [0.3, 1.2]")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(bad, "bad.yaml")
    assert str(caught.value) == (
        "bad.yaml:17:20: parties.p.preferences.reservation: expected a range inside [0, 1] "
        "for reservation on the normalised scale, got [0.3, 1.2]"
    )


def test_a_recorded_path_must_name_a_number(scenario: Scenario) -> None:
    data = scenario.model_dump()
    data["parties"][0]["preferences"]["uncertain"][0]["path"] = ["weights", "zzz"]
    with pytest.raises(ScenarioError, match=r"'weights.zzz' names no weight"):
        validate_data(data, "dumped")


def test_the_json_schema_accepts_ranges_and_distributions(text: str) -> None:
    schema = Scenario.model_json_schema()
    jsonschema.validate(yaml.safe_load(text), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(text.replace("sd: 0.5", "sd: -1")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(text.replace("[2, 4]", "[2, 4, 6]")), schema)


def test_analyze_says_it_analyses_the_nominal_profile(scenario: Scenario) -> None:
    uncertain = analyze(scenario).to_dict()["uncertain_preferences"]
    assert uncertain["parameters"] == {"p": 4, "q": 3}
    assert "nominal profile" in uncertain["note"]
    certain = parse_scenario((DATA / "small.yaml").read_text(encoding="utf-8"), "small.yaml")
    assert "uncertain_preferences" not in analyze(certain).to_dict()


def test_the_nominal_analysis_is_the_analysis_of_the_nominal_numbers(scenario: Scenario) -> None:
    """Forgetting the distributions (keeping the numbers in their place) changes nothing
    but the note."""
    forgotten = tuple(
        party.model_copy(
            update={"preferences": party.preferences.model_copy(update={"uncertain": ()})}
        )
        if party.preferences is not None
        else party
        for party in scenario.parties
    )
    nominal = scenario.model_copy(update={"parties": forgotten})
    expected = analyze(nominal).to_dict()
    found = analyze(scenario).to_dict()
    assert found.pop("uncertain_preferences")["parameters"] == {"p": 4, "q": 3}
    assert found == expected


@settings(max_examples=50)
@given(
    low=st.floats(0, 1),
    width=st.floats(0, 1),
    mean=st.floats(0, 1),
    sd=st.floats(0, 3),
)
def test_any_valid_distribution_survives_writing_and_reading(
    text: str, low: float, width: float, mean: float, sd: float
) -> None:
    high = min(1.0, low + width)
    changed = text.replace("a2: [0.3, 0.7]", f"a2: [{low!r}, {high!r}]").replace(
        "c2: {mean: 0.7, sd: 0.2}", f"c2: {{mean: {mean!r}, sd: {sd!r}}}"
    )
    scenario = parse_scenario(changed, "changed.yaml")
    assert parse_scenario(scenario_text(scenario), "written.yaml") == scenario
    assert parse_scenario(scenario_text(scenario, as_json=True), "w.json", as_json=True) == scenario
