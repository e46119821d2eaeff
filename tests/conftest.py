"""Shared test settings: Hypothesis runs the same examples on every run."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "accord",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("accord")
