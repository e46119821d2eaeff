"""Write an additive scenario as GENIUS XML: a domain file and one profile per party.

Every issue is written as a discrete GENIUS issue whose values are the option ids (labels
and titles go to ``description`` attributes, which GENIUS ignores), so reading the files
back with :func:`accord.formats.genius.load_genius_folder` gives the same ids and the same
utility for every package. Utilities are taken from the compiled scenario, where the
``normalised`` scale has been applied: an issue's weight is its best option's share of the
utility and each evaluation an option's share divided by that weight, which is exactly what
GENIUS computes back (evaluation / highest evaluation, times weight).

GENIUS holds additive profiles only, with a reservation value and a discount factor, and
caps a profile's utility at 1. A party is written when GENIUS's ``min(additive part, 1)``
is its utility: no interaction terms and no red lines, and either ``cap: 1`` (as the
importer writes it for weights that pass 1) or a best package worth at most 1 and at most
its own ceiling; anything else is refused with the reason. The agreement rule and roles are
not written: GENIUS sets who negotiates in its tournaments.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from accord.analysis.cap import ceilings
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.errors import Problem, ScenarioError
from accord.scenario.model import Scenario

CAP_TOLERANCE = 1e-12


def dump_genius(scenario: Scenario, folder: Path) -> list[Path]:
    """Write ``scenario`` to ``folder`` (created if needed): the paths of the domain file
    and of one profile per party with preferences."""
    source = f"scenario '{scenario.id}'"
    red_lines = [p.id for p in scenario.parties if p.preferences and p.preferences.red_lines]
    if red_lines:
        message = f"parties {red_lines} have red lines: GENIUS has none (only reservations)"
        raise ScenarioError([Problem(message, source=source)])
    compiled = compile_scenario(scenario)
    profiles = [_profile(scenario, compiled, party) for party in range(compiled.party_count)]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{scenario.id}_domain.xml"]
    _write(_domain(scenario), paths[0])
    for party_id, profile in zip(compiled.party_ids, profiles, strict=True):
        paths.append(folder / f"{party_id}.xml")
        _write(profile, paths[-1])
    return paths


def _profile(scenario: Scenario, compiled: CompiledScenario, party: int) -> ET.Element:
    space = compiled.space
    party_id = compiled.party_ids[party]
    shares = [
        [float(v) for v in compiled.linear[party, space.flat(n, 0) : space.flat(n, 0) + count]]
        for n, count in enumerate(space.option_counts)
    ]
    problem = _not_genius(compiled, party, shares)
    if problem:
        source = f"scenario '{scenario.id}'"
        raise ScenarioError([Problem(f"party '{party_id}' {problem}", source=source)])
    root = ET.Element("utility_space")
    objective = _objective(root, scenario)
    weights = [max(issue_shares) for issue_shares in shares]
    for position, (issue, weight) in enumerate(zip(scenario.issues, weights, strict=True)):
        element = _issue(objective, position + 1, issue.id, issue.title)
        for number, (option, share) in enumerate(
            zip(issue.options, shares[position], strict=True), 1
        ):
            evaluation = share / weight if weight > 0 else 0.0
            ET.SubElement(
                element, "item", index=str(number), value=option.id, evaluation=repr(evaluation)
            )
    for position, weight in enumerate(weights, 1):
        ET.SubElement(objective, "weight", index=str(position), value=repr(weight))
    preferences = scenario.party(party_id).preferences
    assert preferences is not None
    ET.SubElement(root, "discount_factor", value=repr(preferences.discount))
    ET.SubElement(root, "reservation", value=repr(float(compiled.reservation[party])))
    return root


def _not_genius(compiled: CompiledScenario, party: int, shares: list[list[float]]) -> str:
    """Why GENIUS would not give this party's utilities from its additive part, or ''."""
    for issue_shares in shares:
        if max(issue_shares) < 0 or (max(issue_shares) == 0 and min(issue_shares) < 0):
            return (
                "has an issue where no option is worth more than nothing: GENIUS scores such "
                "an issue as 0 whatever its values"
            )
    if compiled.constant[party] != 0 or np.any(compiled.term_values[party]):
        return "has interaction terms: GENIUS XML holds additive profiles only"
    best = sum(max(issue_shares) for issue_shares in shares)
    ceiling = float(ceilings(compiled)[party])
    if abs(ceiling - 1.0) <= CAP_TOLERANCE or best <= min(ceiling, 1.0) + CAP_TOLERANCE:
        return ""  # GENIUS's min(sum, 1) is the party's min(sum, ceiling)
    if best > ceiling:
        return (
            f"has a utility ceiling of {ceiling:.10g} that its packages reach (up to "
            f"{best:.10g}): GENIUS caps a profile's utility at 1 only"
        )
    return (
        f"can reach a utility of {best:.10g}: GENIUS caps a profile's utility at 1, so the "
        "files would not mean the same there (use scale: normalised, or cap: 1)"
    )


def _domain(scenario: Scenario) -> ET.Element:
    template = ET.Element("negotiation_template")
    space = ET.SubElement(template, "utility_space", number_of_issues=str(len(scenario.issues)))
    objective = _objective(space, scenario)
    for position, issue in enumerate(scenario.issues, 1):
        element = _issue(objective, position, issue.id, issue.title)
        for number, option in enumerate(issue.options, 1):
            ET.SubElement(
                element, "item", index=str(number), value=option.id, description=option.label
            )
    return template


def _objective(parent: ET.Element, scenario: Scenario) -> ET.Element:
    attributes = {"index": "0", "name": scenario.id, "type": "objective", "etype": "objective"}
    return ET.SubElement(parent, "objective", attributes, description=scenario.title)


def _issue(objective: ET.Element, index: int, name: str, title: str) -> ET.Element:
    kinds = {"type": "discrete", "vtype": "discrete", "etype": "discrete"}
    return ET.SubElement(objective, "issue", kinds, index=str(index), name=name, description=title)


def _write(root: ET.Element, path: Path) -> None:
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
