"""The summary of a results table, checked against figures worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.tournament.plot import write_tournament_plot
from accord.tournament.store import SCHEMA
from accord.tournament.summary import mean_of, summarise


def job_rows(
    job: str,
    scenario: str,
    agreement: bool,
    welfare: float,
    seats: list[tuple[str, str, float]],
    best_utility: float = 1.0,
) -> list[dict[str, Any]]:
    return [
        {
            "job_id": job,
            "scenario": scenario,
            "protocol": "alternating",
            "repetition": 0,
            "seed": 1,
            "assignment": "",
            "agreement": agreement,
            "rounds": 3,
            "reason": "",
            "social_welfare": welfare,
            "distance_to_frontier": 0.0 if agreement else 0.5,
            "distance_to_nash": None if scenario == "s2" else 0.25,
            "minimum_gain": 0.0,
            "gini_of_gains": 0.0,
            "seat": seat,
            "party": party,
            "role": "mediator" if party == "m" else "negotiator",
            "strategy": strategy,
            "utility": utility,
            "gain": utility,
            "relative_gain": utility,
            "best_utility": best_utility,
        }
        for seat, (party, strategy, utility) in enumerate(seats)
    ]


@pytest.fixture
def table() -> pa.Table:
    rows = (
        job_rows("j1", "s1", True, 1.0, [("a", "tough", 0.75), ("b", "soft", 0.25)])
        + job_rows("j2", "s1", True, 1.0, [("a", "soft", 0.5), ("b", "tough", 0.5)])
        + job_rows(
            "j3", "s2", False, 0.0, [("a", "tough", 0.0), ("b", "tough", 0.0), ("m", "med", 1.0)]
        )
    )
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def test_overall_figures_count_each_job_once(table: pa.Table) -> None:
    summary = summarise(table)
    assert summary.jobs == 3
    assert summary.agreement_rate == pytest.approx(2 / 3)
    assert summary.social_welfare.mean == pytest.approx(2 / 3)
    assert summary.distance_to_frontier.mean == pytest.approx(0.5 / 3)
    assert summary.distance_to_nash.mean == 0.25  # s2 has no Nash point: left out
    assert summary.distance_to_nash.count == 2


def test_standings_per_strategy_count_every_seat(table: pa.Table) -> None:
    summary = summarise(table)
    soft, tough = summary.standings  # best mean utility first
    assert (tough.strategy, tough.seats) == ("tough", 4)  # self-play in j3 counts twice
    assert tough.utility.mean == pytest.approx((0.75 + 0.5 + 0 + 0) / 4)
    assert tough.agreement_rate == 0.5
    assert (soft.strategy, soft.seats) == ("soft", 2)
    assert soft.utility.mean == pytest.approx(0.375)
    assert soft.agreement_rate == 1.0
    assert summary.rankings["utility"] == ("soft", "tough")  # not the mediator's "med"
    assert summary.rankings["agreement_rate"] == ("soft", "tough")
    assert summary.rankings["distance_to_frontier"] == ("soft", "tough")


def test_utility_per_strategy_and_role(table: pa.Table) -> None:
    roles = {(r.scenario, r.party, r.strategy): r.utility.mean for r in summarise(table).roles}
    assert roles == {
        ("s1", "a", "soft"): 0.5,
        ("s1", "a", "tough"): 0.75,
        ("s1", "b", "soft"): 0.25,
        ("s1", "b", "tough"): 0.5,
        ("s2", "a", "tough"): 0.0,
        ("s2", "b", "tough"): 0.0,
    }


def test_per_scenario(table: pa.Table) -> None:
    first, second = summarise(table).scenarios
    assert (first.scenario, first.jobs, first.agreement_rate) == ("s1", 2, 1.0)
    assert (second.scenario, second.jobs, second.agreement_rate) == ("s2", 1, 0.0)
    assert second.distance_to_nash.mean is None


def test_utilities_on_different_scales_are_normalised_per_scenario(tmp_path: Path) -> None:
    """A scenario in points (best package 14) beside one in [0, 1]: each utility counts as
    the share of its party's best package, in the standings and in the heat map's cells."""
    rows = (
        job_rows("j1", "points", True, 21.0, [("a", "tough", 14.0), ("b", "soft", 7.0)], 14.0)
        + job_rows("j2", "points", True, 14.0, [("a", "soft", 3.5), ("b", "tough", 10.5)], 14.0)
        + job_rows("j3", "unit", True, 1.0, [("a", "tough", 0.25), ("b", "soft", 0.75)])
    )
    summary = summarise(pa.Table.from_pylist(rows, schema=SCHEMA))
    standings = {s.strategy: s.utility.mean for s in summary.standings}
    # Raw means would rank tough first by far: (14 + 10.5 + 0.25) / 3 against (7 + 3.5 + 0.75) / 3.
    assert standings == {
        "tough": pytest.approx((1.0 + 0.75 + 0.25) / 3),
        "soft": pytest.approx((0.5 + 0.25 + 0.75) / 3),
    }
    assert summary.rankings["utility"] == ("tough", "soft")
    roles = {(r.scenario, r.party, r.strategy): r.utility.mean for r in summary.roles}
    assert roles[("points", "a", "tough")] == 1.0
    assert roles[("points", "b", "soft")] == 0.5
    assert roles[("unit", "a", "tough")] == 0.25
    path = tmp_path / "mixed.html"
    write_tournament_plot(summary, path)
    heat_map = _heat_map(path)
    assert max(value for row in heat_map for value in row if value is not None) == 1.0


def test_normalising_does_not_depend_on_the_scale_a_scenario_is_written_in() -> None:
    unit = job_rows("j1", "s", True, 1.0, [("a", "x", 0.625), ("b", "y", 0.375)])
    points = job_rows("j1", "s", True, 8.0, [("a", "x", 5.0), ("b", "y", 3.0)], 8.0)
    first = summarise(pa.Table.from_pylist(unit, schema=SCHEMA))
    second = summarise(pa.Table.from_pylist(points, schema=SCHEMA))
    assert [s.utility for s in first.standings] == [s.utility for s in second.standings]
    assert first.roles == second.roles
    # Welfare and the distances stay in each scenario's own units (the docs say so).
    assert second.social_welfare.mean == 8 * first.social_welfare.mean


def _heat_map(path: Path) -> list[list[float | None]]:
    """The z values of the heat map in a written chart (plotly's JSON inside the HTML)."""
    import json
    import re

    html = path.read_text(encoding="utf-8")
    found = re.search(r'"type":"heatmap".*?"z":(\[\[.*?\]\])', html)
    if found is None:
        found = re.search(r'"z":(\[\[.*?\]\]).*?"type":"heatmap"', html)
    assert found is not None
    z: list[list[float | None]] = json.loads(found.group(1))
    return z


def test_mean_and_its_interval() -> None:
    figure = mean_of([1.0, 2.0, 3.0, None])
    assert figure.mean == 2.0 and figure.count == 3
    assert figure.half_width == pytest.approx(1.96 * 1.0 / math.sqrt(3))
    assert mean_of([]).mean is None
    assert mean_of([4.0]).half_width == 0.0


def test_an_empty_table(tmp_path: Path) -> None:
    summary = summarise(SCHEMA.empty_table())
    assert (summary.jobs, summary.agreement_rate, summary.standings) == (0, 0.0, ())


def test_the_plot_is_one_offline_html_file(table: pa.Table, tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    write_tournament_plot(summarise(table), path)
    html = path.read_text(encoding="utf-8")
    assert "Mean utility per strategy" in html
    assert "<script src=" not in html  # plotly.js is inside the file, not fetched


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["s1", "s2"]),
            st.booleans(),
            st.lists(
                st.tuples(st.sampled_from(["x", "y", "z"]), st.floats(0, 1)),
                min_size=2,
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_summary_invariants(jobs: list[tuple[str, bool, list[tuple[str, float]]]]) -> None:
    rows: list[dict[str, Any]] = []
    for number, (scenario, agreement, seats) in enumerate(jobs):
        parties = [
            (f"p{seat}", strategy, utility) for seat, (strategy, utility) in enumerate(seats)
        ]
        welfare = sum(utility for _, _, utility in parties)
        rows += job_rows(f"j{number:03d}", scenario, agreement, welfare, parties)
    summary = summarise(pa.Table.from_pylist(rows, schema=SCHEMA))
    assert summary.jobs == len(jobs)
    assert sum(standing.seats for standing in summary.standings) == len(rows)
    assert sum(result.jobs for result in summary.scenarios) == len(jobs)
    names = {standing.strategy for standing in summary.standings}
    for ranking in summary.rankings.values():
        assert sorted(ranking) == sorted(names)
    means = [standing.utility.mean for standing in summary.standings]
    assert means == sorted(means, reverse=True)
    for standing in summary.standings:
        assert 0.0 <= standing.agreement_rate <= 1.0
        assert standing.utility.mean is not None
        assert -1e-12 <= standing.utility.mean <= 1 + 1e-12
    shuffled = summarise(pa.Table.from_pylist(rows[::-1], schema=SCHEMA))
    assert shuffled == summary  # the order jobs finished in changes nothing
