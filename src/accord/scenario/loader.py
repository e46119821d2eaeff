"""Load a scenario from a YAML or JSON file, reporting every problem with file, line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accord.errors import Problem, ScenarioError
from accord.scenario.model import Scenario
from accord.scenario.positions import Located, parse_text
from accord.scenario.references import check_references
from accord.scenario.uncertainty import check_uncertain

_MESSAGES = {
    "missing": "missing required field",
    "extra_forbidden": "unknown field",
}


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (``.yaml``, ``.yml`` or ``.json``)."""
    file = Path(path)
    try:
        # utf-8-sig also reads files that start with a byte-order mark (json rejects it).
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([Problem("no such file", source=str(path))]) from None
    except IsADirectoryError:
        raise ScenarioError(
            [Problem("is a folder, expected a scenario file", source=str(path))]
        ) from None
    except UnicodeDecodeError as error:
        raise ScenarioError(
            [Problem(f"not UTF-8 text ({error.reason})", source=str(path))]
        ) from None
    return parse_scenario(text, str(path), as_json=file.suffix.lower() == ".json")


def parse_scenario(text: str, source: str = "<input>", as_json: bool = False) -> Scenario:
    """Validate scenario text; raise :class:`ScenarioError` listing every problem found."""
    located = parse_text(text, source, as_json)
    if not isinstance(located.data, dict):
        found = "an empty file" if located.data is None else type(located.data).__name__
        raise ScenarioError(
            [located.problem((), f"expected a mapping of scenario fields, got {found}")]
        )
    try:
        scenario = Scenario.model_validate(located.data)
    except ValidationError as error:
        raise ScenarioError(_field_problems(located, error)) from None
    findings = check_references(scenario) + check_uncertain(scenario)
    if findings:
        raise ScenarioError([located.problem(path, msg, at_key) for path, msg, at_key in findings])
    return scenario


def validate_data(data: dict[str, Any], source: str) -> Scenario:
    """Validate plain data (no positions known): every problem names its field path."""
    located = Located(data, source)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(_field_problems(located, error)) from None
    findings = check_references(scenario) + check_uncertain(scenario)
    if findings:
        raise ScenarioError([located.problem(path, msg, at_key) for path, msg, at_key in findings])
    return scenario


def _field_problems(located: Located, error: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for detail in error.errors(include_url=False):
        kind = detail["type"]
        if kind == "missing":
            parent = _data_path(located.data, detail["loc"][:-1])
            field_name = detail["loc"][-1]
            problems.append(located.problem(parent, f"missing required field '{field_name}'"))
            continue
        path = _data_path(located.data, detail["loc"])
        if kind == "extra_forbidden":
            problems.append(located.problem(path, f"unknown field '{path[-1]}'", at_key=True))
        elif kind == "too_short" and len(detail["input"]) >= detail["ctx"]["min_length"]:
            # Enough items were given but some failed: their own problems are reported.
            continue
        else:
            # Our own validators' messages say what was expected; pydantic prefixes them.
            message = detail["msg"].removeprefix("Value error, ")
            if ", got " not in message:  # a limit's message already says what it got
                message += f" (got {_shown(detail.get('input'))})"
            problems.append(located.problem(path, message))
    return problems


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Pydantic's location as a path into ``data``.

    Elements that index nothing in the data are dropped: they are the union-member tags
    pydantic inserts (``constrained-str``, ``tuple[...]``).
    """
    path: list[str | int] = []
    node = data
    for element in loc:
        if isinstance(node, list) and isinstance(element, int):
            path.append(element)
            node = node[element] if element < len(node) else None
        elif isinstance(node, dict) and (str(element) in node or element in node):
            key = element if element in node else str(element)
            path.append(key)
            node = node.get(key)
    return tuple(path)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
