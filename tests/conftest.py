"""Shared test settings and fixtures: Hypothesis runs the same examples on every run."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.scenario.loader import parse_scenario

# Ledger and web fixtures (databases, PostgreSQL, roles); Chromium and a served ledger.
pytest_plugins = ["web_fixtures", "browser_server"]

settings.register_profile(
    "accord",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("accord")

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def small_text() -> str:
    """Two parties, three issues, a red line and an interaction: 10 of 18 packages feasible."""
    return (DATA / "small.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def small(small_text: str) -> CompiledScenario:
    return compile_scenario(parse_scenario(small_text, "small.yaml"))
