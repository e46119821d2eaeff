"""Adjusted Winner: the published Panama Canal division, and its three properties on
random point tables against an exact brute force over every vertex of the divisions."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.analysis.adjusted_winner import adjusted_winner, adjusted_winner_division
from accord.analysis.compiled import compile_scenario
from accord.errors import AnalysisError
from accord.scenario.loader import load_scenario, parse_scenario
from oracle_analyses import most_for_second_by_vertices


@st.composite
def point_tables(draw: st.DrawFn) -> tuple[list[Fraction], list[Fraction]]:
    """Two tables of 100 points over 1-6 items (integers, so that ties and zeros occur)."""
    count = draw(st.integers(1, 6))

    def table() -> list[Fraction]:
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
        edges = [0, *cuts, 100]
        return [Fraction(edges[i + 1] - edges[i]) for i in range(count)]

    return table(), table()


@given(point_tables())
def test_division_is_envy_free_equitable_and_efficient(
    tables: tuple[list[Fraction], list[Fraction]],
) -> None:
    first, second = tables
    division = adjusted_winner_division(first, second)
    assert division.equitable and division.first_points == division.second_points
    assert 2 * division.first_points >= 100 and 2 * division.second_points >= 100
    assert division.first_points == sum(
        s * p for s, p in zip(division.first_share, first, strict=True)
    )
    # Efficient: no division gives one party more without giving the other less.
    assert division.second_points == most_for_second_by_vertices(
        first, second, division.first_points
    )
    assert division.first_points == most_for_second_by_vertices(
        second, first, division.second_points
    )
    assert division.envy_free and division.efficient
    assert sum(0 < s < 1 for s in division.first_share) <= 1


def test_panama_canal_reproduces_brams_and_taylor() -> None:
    compiled = compile_scenario(load_scenario("examples/panama-canal-1977.yaml"))
    result = adjusted_winner(compiled)
    division = result.division
    assert division.first_points == division.second_points == 66
    assert division.split_item is not None
    split_issue = compiled.space.issue_ids[result.table.issues[division.split_item]]
    assert split_issue == "land-and-water"
    assert division.first_share[division.split_item] == Fraction(2, 15)  # the US's share
    us_wins = {
        compiled.space.issue_ids[issue]
        for issue, share in zip(result.table.issues, division.first_share, strict=True)
        if share == 1
    }
    assert us_wins == {"defense-rights", "use-rights", "expansion-rights", "expansion-routes"}
    assert division.envy_free and division.equitable and division.efficient
    # Indivisible, land and water goes to Panama (13/15 of it): 64 to 68, still efficient.
    assert (result.rounded.first_points, result.rounded.second_points) == (64, 68)
    assert result.rounded.efficient and not result.rounded.equitable


def test_camp_david_is_refused_because_autonomy_beats_any_split() -> None:
    compiled = compile_scenario(load_scenario("examples/camp-david-1978.yaml"))
    with pytest.raises(AnalysisError, match="point 'palestinian': option 'autonomy'"):
        adjusted_winner(compiled)


def test_refusals_say_why() -> None:
    peace = compile_scenario(load_scenario("examples/peace-plan-27.yaml"))
    with pytest.raises(AnalysisError, match="interaction term joins"):
        adjusted_winner(peace)
    three = parse_scenario(
        """
id: three
issues: [{id: a, options: [{id: x}, {id: y}]}]
parties:
  - {id: p, preferences: {values: {a: {x: 1, y: 0}}}}
  - {id: q, preferences: {values: {a: {x: 0, y: 1}}}}
  - {id: r, preferences: {values: {a: {x: 0, y: 1}}}}
""",
        "three.yaml",
    )
    with pytest.raises(AnalysisError, match="this scenario has 3 voters"):
        adjusted_winner(compile_scenario(three))
