"""Drawing certain profiles from a scenario's ranges and distributions."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.scenario.distributions import Normal, Uniform, draw, support
from accord.scenario.limits import MAX_MAGNITUDE
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from accord.scenario.uncertainty import is_certain, sample_scenario, uncertain_count

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(DATA / "small-uncertain.yaml")


def test_a_profile_is_certain_and_changes_only_the_uncertain_numbers(scenario: Scenario) -> None:
    assert not is_certain(scenario)
    assert uncertain_count(scenario) == {"p": 4, "q": 3}
    profile = sample_scenario(scenario, np.random.default_rng(1))
    assert is_certain(profile)
    p, nominal = profile.party("p").preferences, scenario.party("p").preferences
    assert p is not None and nominal is not None
    assert p.weights is not None and p.weights["b"] == 1.0
    assert 2 <= p.weights["a"] <= 4 and p.weights["a"] != 3.0
    assert 0.3 <= p.values["a"]["a2"] <= 0.7
    assert 0.3 <= p.reservation <= 0.8
    assert p.red_lines == nominal.red_lines
    assert profile.issues == scenario.issues


def test_the_same_generator_seed_draws_the_same_profile(scenario: Scenario) -> None:
    first = sample_scenario(scenario, np.random.default_rng(7))
    again = sample_scenario(scenario, np.random.default_rng(7))
    other = sample_scenario(scenario, np.random.default_rng(8))
    assert first == again
    assert first != other


def test_a_certain_scenario_is_its_own_profile() -> None:
    certain = load_scenario(DATA / "small.yaml")
    assert is_certain(certain)
    assert sample_scenario(certain, np.random.default_rng(0)) is certain


def test_uniform_draws_cover_the_range_evenly() -> None:
    rng = np.random.default_rng(0)
    draws = np.array([draw(Uniform(low=2, high=4), (0, math.inf), rng) for _ in range(4000)])
    assert draws.min() >= 2 and draws.max() <= 4
    assert draws.mean() == pytest.approx(3, abs=0.05)
    assert np.histogram(draws, bins=4, range=(2, 4))[0].min() > 900


def test_a_normal_distribution_is_truncated_to_the_bounds_not_clipped() -> None:
    rng = np.random.default_rng(0)
    bounds = support(("values", "a", "a1"), "normalised")
    assert bounds == (0.0, 1.0)
    draws = np.array([draw(Normal(mean=0.9, sd=0.2), bounds, rng) for _ in range(4000)])
    assert draws.min() >= 0 and draws.max() <= 1
    # Clipping would pile about 31 % of the draws exactly on 1; truncation puts none there.
    assert np.mean(draws == 1.0) == 0
    # The truncated normal's mean: mu + sd * (phi(a) - phi(b)) / (Phi(b) - Phi(a)).
    a, b = (0 - 0.9) / 0.2, (1 - 0.9) / 0.2
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))  # noqa: E731
    expected = 0.9 + 0.2 * (phi(a) - phi(b)) / (cdf(b) - cdf(a))
    assert draws.mean() == pytest.approx(expected, abs=0.01)


def test_a_normal_far_from_its_bounds_has_its_mean_and_sd() -> None:
    rng = np.random.default_rng(0)
    bounds = support(("values", "a", "a1"), "points")
    draws = np.array([draw(Normal(mean=5, sd=2), bounds, rng) for _ in range(4000)])
    assert draws.mean() == pytest.approx(5, abs=0.1)
    assert draws.std() == pytest.approx(2, abs=0.1)


def test_bounds_follow_the_scale_and_the_scenario_limit() -> None:
    assert support(("weights", "a"), "points") == (0.0, MAX_MAGNITUDE)
    assert support(("interactions", 0, "value"), "normalised") == (-1.0, 1.0)
    assert support(("reservation",), "points") == (-MAX_MAGNITUDE, MAX_MAGNITUDE)


@given(
    mean=st.floats(0, 1),
    sd=st.floats(0, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_truncated_draw_always_lies_inside_the_bounds(mean: float, sd: float, seed: int) -> None:
    value = draw(Normal(mean=mean, sd=sd), (0.0, 1.0), np.random.default_rng(seed))
    assert 0.0 <= value <= 1.0
