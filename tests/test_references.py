"""Checks across a scenario are linear in its size (issue 11: 10,000 options took 4.8 s).

No timings: option ids are strings that count their comparisons, and the count must grow
like the scenario, not like its square. A list scanned per lookup compares each id with
every option of its issue; a set or mapping compares it with about one.
"""

from __future__ import annotations

from typing import Any

from accord.scenario.loader import validate_data
from accord.scenario.model import (
    Interaction,
    Issue,
    Option,
    Party,
    Preferences,
    RedLine,
    Scenario,
)
from accord.scenario.references import check_references


class CountingId(str):
    """An id that counts how often it is compared for equality."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        CountingId.comparisons += 1
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__


def _scenario(options: int) -> Scenario:
    """Two issues of ``options`` options; each party values every option and names many in
    red lines and interactions (fresh string objects, so no lookup succeeds by identity)."""
    issues = tuple(
        Issue.model_construct(
            id=CountingId(issue),
            options=tuple(Option.model_construct(id=CountingId(f"o{k}")) for k in range(options)),
            block=None,
            status_quo=CountingId(f"o{options - 1}"),
        )
        for issue in ("a", "b")
    )
    parties = []
    for name in ("p", "q"):
        values = {
            CountingId(issue): {CountingId(f"o{k}"): 0.5 for k in range(options)}
            for issue in ("a", "b")
        }
        terms = tuple(
            {CountingId("a"): CountingId(f"o{k}"), CountingId("b"): (CountingId(f"o{k}"),)}
            for k in range(0, options, 10)
        )
        preferences = Preferences.model_construct(
            scale="normalised",
            weights=None,
            values=values,
            interactions=tuple(_construct_term(term, value=0.1) for term in terms),
            red_lines=tuple(_construct_term(term) for term in terms),
            reservation=0.0,
            uncertain=(),
        )
        parties.append(
            Party.model_construct(
                id=CountingId(name), role="negotiator", required=None, preferences=preferences
            )
        )
    return Scenario.model_construct(id="big", issues=issues, parties=tuple(parties), blocks=())


def _construct_term(options: dict[Any, Any], value: float | None = None) -> Any:
    if value is None:
        return RedLine.model_construct(options=options, label="")
    return Interaction.model_construct(options=options, value=value, label="")


def _comparisons(options: int) -> int:
    scenario = _scenario(options)
    CountingId.comparisons = 0
    assert check_references(scenario) == []
    return CountingId.comparisons


def test_reference_checks_compare_each_id_a_bounded_number_of_times() -> None:
    small, large = _comparisons(1_000), _comparisons(4_000)
    # Linear: four times the options, about four times the comparisons (quadratic: 16x).
    assert large <= 5 * small
    assert large / 4_000 <= 20


def test_a_large_scenario_within_the_limits_validates() -> None:
    options = [{"id": f"o{k}"} for k in range(10_000)]
    values = {f"o{k}": k / 9_999 for k in range(10_000)}
    data = {
        "id": "big",
        "issues": [{"id": "a", "options": options}],
        "parties": [{"id": "p", "preferences": {"values": {"a": values}}}],
    }
    scenario = validate_data(data, "big.json")
    assert len(scenario.issues[0].options) == 10_000
    preferences = scenario.parties[0].preferences
    assert preferences is not None and preferences.values["a"]["o9999"] == 1.0
