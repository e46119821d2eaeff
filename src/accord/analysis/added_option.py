"""Adding an option to a point: the scenario with one more option, and what it assumes.

A new option's value to each party is not in the scenario, so it must come from somewhere,
and the result says where (:attr:`AddedOption.assumption`):

* a **compromise** between two neighbouring options (by number) of a point whose options carry a
  number (a troop cap of 600,000 and 800,000: 700,000). Each party is assumed to value it
  halfway between its values of the two (linear in the number), and a red line or an
  interaction covers it when it covers both neighbours (a party that refuses 600,000 and
  800,000 refuses what lies between);
* an option whose value to every party is **given** (``accord agenda --add-option``), on
  the party's own scale for that point (the scale of its ``values`` in the scenario). No red
  line or interaction covers it.

The option is appended to the point's options, so every package of today keeps its index
and its utilities: the value given to a party on a normalised scale may not exceed its best
value on that point (that would rescale every utility it has), and a compromise never does.
Adding an option only adds packages, so no party loses a package it had.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.errors import AnalysisError
from accord.scenario.model import Issue, Scenario


@dataclass(frozen=True, eq=False)
class AddedOption:
    """The scenario with one more option on one point."""

    issue: int
    option_id: str
    label: str
    scenario: Scenario
    compiled: CompiledScenario
    assumption: str


def compromise_options(scenario: Scenario) -> list[AddedOption]:
    """A halfway option between each two neighbouring options of every numeric point."""
    base = compile_scenario(scenario)
    added = []
    taken = {option.id for issue in scenario.issues for option in issue.options}
    for index, issue in enumerate(scenario.issues):
        numbered = sorted(
            (option for option in issue.options if option.value is not None),
            key=lambda option: option.value or 0.0,
        )
        if len(numbered) < 2:
            continue
        for low, high in itertools.pairwise(numbered):
            assert low.value is not None and high.value is not None
            if low.value == high.value:
                continue
            value = (low.value + high.value) / 2
            option_id = _fresh(f"{low.id}-{high.id}-halfway", taken)
            taken.add(option_id)
            data = scenario.model_dump(mode="json", exclude_none=True)
            data["issues"][index]["options"].append(
                {"id": option_id, "label": f"{value:,g}, halfway", "value": value}
            )
            for party in data["parties"]:
                preferences = party.get("preferences")
                if preferences is None:
                    continue
                given = preferences.get("values", {}).get(issue.id, {})
                if given:
                    given[option_id] = (given.get(low.id, 0.0) + given.get(high.id, 0.0)) / 2
                for term in (
                    *preferences.get("red_lines", []),
                    *preferences.get("interactions", []),
                ):
                    _cover(term["options"], issue.id, low.id, high.id, option_id)
            label = f"add {value:,g} to '{_title(issue)}' (halfway between {low.id} and {high.id})"
            assumption = (
                f"assumed: each party values {value:,g} halfway between its values of {low.id} "
                f"and {high.id}, and a red line or interaction covering both covers it"
            )
            option = _added(index, option_id, label, data, assumption)
            if _keeps_utilities(base, option.compiled, index):
                # Penalties on each neighbour alone could make the compromise some party's
                # best package, which would rescale its utilities: that one is left out.
                added.append(option)
    return added


def given_option(
    scenario: Scenario, issue_id: str, option_id: str, values: Mapping[str, float]
) -> AddedOption:
    """The option ``option_id`` on ``issue_id``, worth ``values[party]`` to each party with
    preferences, on that party's scale for the point; an error says what is wrong."""
    issues = [issue.id for issue in scenario.issues]
    if issue_id not in issues:
        raise AnalysisError(f"unknown issue '{issue_id}' (issues: {', '.join(issues)})")
    index = issues.index(issue_id)
    issue = scenario.issues[index]
    if option_id in {option.id for option in issue.options}:
        raise AnalysisError(f"issue '{issue_id}' already has an option '{option_id}'")
    valued = [party for party in scenario.parties if party.preferences is not None]
    unknown = sorted(set(values) - {party.id for party in valued})
    if unknown:
        raise AnalysisError(f"no party with preferences is called '{unknown[0]}'")
    missing = [party.id for party in valued if party.id not in values]
    if missing:
        raise AnalysisError(
            f"the new option needs a value for every party with preferences; missing: "
            f"{', '.join(missing)}"
        )
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["issues"][index]["options"].append({"id": option_id})
    for party, entry in zip(scenario.parties, data["parties"], strict=True):
        preferences = party.preferences
        if preferences is None:
            continue
        value = float(values[party.id])
        own = preferences.values.get(issue_id, {})
        best = max(own.values(), default=0.0)
        if preferences.scale == "normalised" and not 0.0 <= value <= max(best, 0.0):
            raise AnalysisError(
                f"{party.id}'s value of '{option_id}' must lie between 0 and its best value on "
                f"'{issue_id}' ({best:g}), got {value:g}: a higher one would rescale every "
                "utility it has"
            )
        entry.setdefault("preferences", {}).setdefault("values", {}).setdefault(issue_id, {})[
            option_id
        ] = value
    label = f"add '{option_id}' to '{_title(issue)}' (values given)"
    assumption = (
        f"assumed: the values of '{option_id}' given on the command line; no red line or "
        "interaction covers it"
    )
    option = _added(index, option_id, label, data, assumption)
    if not _keeps_utilities(compile_scenario(scenario), option.compiled, index):
        raise AnalysisError(
            f"'{option_id}' would become some party's best package and rescale its utilities"
        )
    return option


def _added(
    index: int, option_id: str, label: str, data: dict[str, Any], assumption: str
) -> AddedOption:
    scenario = Scenario.model_validate(data)
    return AddedOption(index, option_id, label, scenario, compile_scenario(scenario), assumption)


def _keeps_utilities(base: CompiledScenario, extended: CompiledScenario, issue: int) -> bool:
    """Whether every party's utility of each of today's packages is unchanged (the options
    of ``issue`` gained one at their end; a rescaling would show in the coefficients)."""
    columns = [
        extended.space.flat(i, k)
        for i, count in enumerate(base.space.option_counts)
        for k in range(int(count))
    ]
    same_terms = base.term_values.shape == extended.term_values.shape and bool(
        np.allclose(
            np.sort(base.term_values, axis=1), np.sort(extended.term_values, axis=1), atol=1e-12
        )
    )
    return (
        same_terms
        and bool(np.allclose(base.linear, extended.linear[:, columns], atol=1e-12))
        and bool(np.allclose(base.constant, extended.constant, atol=1e-12))
    )


def _cover(options: dict[str, Any], issue: str, low: str, high: str, new: str) -> None:
    listed = options.get(issue)
    if isinstance(listed, list) and low in listed and high in listed:
        listed.append(new)


def _fresh(base: str, taken: set[str]) -> str:
    candidate, count = base[:80], 2
    while candidate in taken:
        candidate, count = f"{base[:76]}-{count}", count + 1
    return candidate


def _title(issue: Issue) -> str:
    return issue.title or issue.id
