"""A tournament job's rows say what ``simulate`` says about the same negotiation."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.formats.detect import load_any
from accord.negotiation.runner import simulate
from accord.tournament.jobs import make_job
from accord.tournament.play import JobPlayer, relative_gain

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.mark.parametrize(
    ("protocol", "mediator"), [("alternating", None), ("single-text", "hill-climbing-mediator")]
)
@pytest.mark.parametrize(
    "assignment",
    [
        (("eg", "boulware"), ("il", "hardliner"), ("us", "conceder")),
        (("eg", "linear"), ("il", "linear"), ("us", "tit-for-tat")),
    ],
)
def test_rows_match_simulate(
    protocol: str, mediator: str | None, assignment: tuple[tuple[str, str], ...]
) -> None:
    scenario = load_any(EXAMPLES / "camp-david-1978.yaml")
    if mediator is not None:  # the United States mediate: their seat takes the mediator
        assignment = assignment[:2]
    player = JobPlayer({"camp-david": scenario}, protocol, 60, mediator)
    job = make_job(11, "camp-david", assignment, 0)
    rows = player(job)
    chosen = dict(assignment) | ({"us": mediator} if mediator else {})
    expected = simulate(scenario, protocol, chosen, job.seed, 60)
    metrics = expected.metrics
    assert [row["party"] for row in rows] == list(metrics.utilities)
    for row in rows:
        assert row["utility"] == metrics.utilities[row["party"]]
        assert row["strategy"] == dict(expected.assignments)[row["party"]]
        assert row["agreement"] == metrics.agreement
        assert row["rounds"] == metrics.rounds
        assert row["social_welfare"] == metrics.social_welfare
        assert row["distance_to_frontier"] == metrics.distance_to_frontier
        assert row["distance_to_nash"] == metrics.distance_to_nash
        assert row["reason"] == expected.trace.reason
        assert row["seed"] == job.seed


def test_the_player_reuses_its_analysis_and_ships_without_it() -> None:
    import pickle

    scenario = load_any(EXAMPLES / "logrolling-two-issues.yaml")
    player = JobPlayer({"s": scenario}, "alternating", 30, None)
    player(make_job(1, "s", (("candidate", "linear"), ("employer", "linear")), 0))
    assert player.analysis("s") is player.analysis("s")
    copy = pickle.loads(pickle.dumps(player))
    assert copy._analyses == {}


def test_relative_gain_is_the_share_of_the_best_gain() -> None:
    assert relative_gain(3.0, 4.0) == 0.75
    assert relative_gain(0.0, 4.0) == 0.0
    assert relative_gain(1.0, 0.0) is None
    assert relative_gain(1.0, None) is None


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("logrolling-two-issues.yaml", {"candidate": 14.0, "employer": 13.0}),
        ("camp-david-1978.yaml", None),
    ],
)
def test_each_row_carries_its_partys_best_package_as_the_scale(
    example: str, expected: dict[str, float] | None
) -> None:
    import itertools

    import numpy as np

    scenario = load_any(EXAMPLES / example)
    player = JobPlayer({"s": scenario}, "alternating", 30, None)
    compiled = player.analysis("s").compiled
    parties = compiled.party_ids
    rows = player(make_job(1, "s", tuple((p, "linear") for p in parties), 0))
    # The oracle: every package's utilities, by brute force.
    packages = np.array(list(itertools.product(*map(range, compiled.space.option_counts))))
    best = dict(zip(parties, compiled.utilities(packages).max(axis=1), strict=True))
    for row in rows:
        assert row["best_utility"] == pytest.approx(best[row["party"]], abs=1e-12)
        if expected is not None:
            assert row["best_utility"] == expected[row["party"]]
        else:
            assert row["best_utility"] == 1.0
