"""A robustness run: the same seed gives the same report on every backend; certain input."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import AccordError
from accord.robustness import assess_robustness
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from accord.tournament.backends import make_backend

DATA = Path(__file__).parent / "data"
SAMPLES = 24
SEED = 5


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(DATA / "small-uncertain.yaml")


@pytest.fixture(scope="module")
def serial(scenario: Scenario) -> dict:
    seen: list[int] = []
    report = assess_robustness(scenario, SAMPLES, SEED, on_answer=lambda a: seen.append(a.index))
    assert seen == list(range(SAMPLES))
    return report.to_dict(top=10)


def test_the_serial_report_has_every_figure(serial: dict) -> None:
    assert serial["samples"] == SAMPLES and serial["seed"] == SEED
    assert serial["certain"] is False
    assert 0 < serial["deal_probability"]["count"] < SAMPLES
    assert serial["nash_packages"] and serial["blockers"] and serial["blocking_parties"]
    low, high = serial["deal_probability"]["interval"]
    assert low < serial["deal_probability"]["frequency"] < high


@pytest.mark.parametrize(
    ("kind", "options"),
    [("serial", {}), ("processes", {"workers": 2}), ("dask", {"dask_local": 2})],
)
def test_the_same_seed_gives_the_same_report_on_every_backend(
    scenario: Scenario, serial: dict, kind: str, options: dict
) -> None:
    with make_backend(kind, **options) as backend:  # type: ignore[arg-type]
        # Small batches, so that the answers really arrive from several workers.
        report = assess_robustness(scenario, SAMPLES, SEED, backend, batch_size=3)
    assert report.to_dict(top=10) == serial


def test_another_seed_gives_other_profiles(scenario: Scenario, serial: dict) -> None:
    assert assess_robustness(scenario, SAMPLES, SEED + 1).to_dict(top=10) != serial


def test_a_certain_scenario_gives_zero_or_one_and_says_so() -> None:
    certain = load_scenario(DATA / "small.yaml")
    data = assess_robustness(certain, 5, 0).to_dict()
    assert data["certain"] is True
    assert "the input was certain" in data["note"]
    assert data["interval_method"] == "exact (certain input)"
    assert data["deal_probability"] == {"count": 5, "frequency": 1.0, "interval": [1.0, 1.0]}
    assert [p["count"] for p in data["nash_packages"]] == [5]
    peace = load_scenario(Path(__file__).parents[1] / "examples" / "peace-plan-27.yaml")
    blocked = assess_robustness(peace, 2, 0).to_dict()
    assert blocked["deal_probability"] == {"count": 0, "frequency": 0.0, "interval": [0.0, 0.0]}
    assert {(b["party"], b["label"]) for b in blocked["blockers"]} == {
        ("ru", "Ukraine must withdraw from Donetsk"),
        ("ua", "no withdrawal from Donetsk"),
    }


@pytest.mark.parametrize(("samples", "seed"), [(0, 1), (3, -1)])
def test_bad_counts_and_seeds_are_refused(scenario: Scenario, samples: int, seed: int) -> None:
    with pytest.raises(AccordError, match=r"--samples|--seed"):
        assess_robustness(scenario, samples, seed)


def test_the_uncertain_peace_plan_example_sometimes_has_a_deal() -> None:
    example = Path(__file__).parents[1] / "examples" / "peace-plan-27-uncertain.yaml"
    report = assess_robustness(load_scenario(example), 8, 0)
    assert [answer.feasible for answer in report.answers] == [
        True,
        False,
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert report.uncertain_parameters == {"ru": 5, "ua": 4, "us": 2}
    assert report.to_dict()["blockers"][0]["label"] == "reservation value"
