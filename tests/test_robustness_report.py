"""Aggregating profile answers: shares, ranking, ties, the JSON form."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.analysis.compiled import compile_scenario
from accord.robustness.intervals import wilson_interval
from accord.robustness.profile import BlockingCondition, ProfileAnswer
from accord.robustness.report import RobustnessReport
from accord.scenario.loader import load_scenario

DATA = Path(__file__).parent / "data"
RED = BlockingCondition("q", "red_line", "no a1")
P_RES = BlockingCondition("p", "reservation", "reservation value")
Q_RES = BlockingCondition("q", "reservation", "reservation value")


def deal(index: int, package: tuple[int, ...] | None, utilities=(0.6, 0.5)) -> ProfileAnswer:
    return ProfileAnswer(index, True, package, None if package is None else utilities, (), ())


def no_deal(index: int, conflict, relaxations) -> ProfileAnswer:
    return ProfileAnswer(index, False, None, None, conflict, relaxations)


@pytest.fixture(scope="module")
def report() -> RobustnessReport:
    scenario = load_scenario(DATA / "small-uncertain.yaml")
    compiled = compile_scenario(scenario)
    answers = (
        deal(0, (1, 0, 0), (0.7, 0.5)),
        deal(1, (1, 1, 2), (0.5, 0.7)),
        deal(2, (1, 1, 2), (0.6, 0.6)),
        deal(3, (1, 0, 0), (0.8, 0.4)),
        deal(4, None),
        no_deal(5, (P_RES, RED), ((P_RES,), (RED,))),
        no_deal(6, (Q_RES, RED), ((RED,),)),
        no_deal(7, (P_RES, Q_RES), ((P_RES,), (Q_RES,))),
    )
    return RobustnessReport(
        scenario_id=scenario.id,
        seed=3,
        certain=False,
        uncertain_parameters={"p": 4, "q": 3},
        space=compiled.space,
        party_ids=compiled.party_ids,
        party_names=compiled.party_names,
        answers=answers,
    )


def test_shares_are_over_all_samples_with_wilson_intervals(report: RobustnessReport) -> None:
    data = report.to_dict(top=5)
    assert data["samples"] == 8
    assert data["deal_probability"] == {
        "count": 5,
        "frequency": 5 / 8,
        "interval": list(wilson_interval(5, 8)),
    }
    assert data["interval_method"] == "Wilson score"
    assert data["note"] == "uncertain numbers per party: p 4, q 3"


def test_nash_packages_rank_by_count_then_first_seen(report: RobustnessReport) -> None:
    data = report.to_dict(top=5)
    packages = data["nash_packages"]
    assert [p["package"] for p in packages] == [
        {"a": "a2", "b": "b1", "c": "c1"},
        {"a": "a2", "b": "b2", "c": "c3"},
    ]
    assert [(p["count"], p["given_deal"]) for p in packages] == [(2, 2 / 5), (2, 2 / 5)]
    assert data["distinct_nash_packages"] == 2
    assert data["deals_without_nash_package"] == 1
    assert data["nash_options"] == {
        "a": {"a2": 0.5},
        "b": {"b1": 0.25, "b2": 0.25},
        "c": {"c1": 0.25, "c3": 0.25},
    }
    assert report.to_dict(top=1)["nash_packages"] == packages[:1]
    assert data["nash_utilities"]["p"]["mean"] == pytest.approx(0.65)
    assert data["nash_utilities"]["q"]["low"] == pytest.approx(0.415)


def test_blockers_parties_and_relaxations(report: RobustnessReport) -> None:
    data = report.to_dict(top=5)
    assert [(b["party"], b["label"], b["count"], b["given_no_deal"]) for b in data["blockers"]] == [
        ("p", "reservation value", 2, 2 / 3),
        ("q", "no a1", 2, 2 / 3),
        ("q", "reservation value", 2, 2 / 3),
    ]
    assert [(b["party"], b["count"]) for b in data["blocking_parties"]] == [("q", 3), ("p", 2)]
    assert [([c["label"] for c in r["relax"]], r["count"]) for r in data["relaxations"]] == [
        (["reservation value"], 2),
        (["no a1"], 2),
        (["reservation value"], 1),
    ]
