"""Write a scenario as an Accord YAML or JSON file (what ``accord import`` produces)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from accord.errors import AccordError
from accord.scenario.distributions import inline_uncertain
from accord.scenario.model import Scenario


def scenario_text(scenario: Scenario, as_json: bool = False) -> str:
    """The scenario as file text; fields at their default are left out."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    for party in data["parties"]:
        # Ranges and distributions go back where the file wrote them, not into a list.
        if "preferences" in party:
            party["preferences"] = inline_uncertain(party["preferences"])
    if as_json:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def dump_scenario(scenario: Scenario, path: Path) -> None:
    """Write ``scenario`` to ``path`` (``.json`` for JSON, otherwise YAML)."""
    try:
        path.write_text(scenario_text(scenario, path.suffix.lower() == ".json"), encoding="utf-8")
    except OSError as error:
        raise AccordError(f"cannot write {path}: {error.strerror}") from None
