"""Read YAML or JSON text into plain data plus the line and column of every node.

PyYAML's composer keeps each node's start mark; we walk the node tree beside the
constructed data so that any problem found later can be reported at its exact place.
JSON is parsed by :mod:`json` (its errors carry line and column) and composed as YAML,
of which it is a subset, only to learn positions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from accord.errors import Problem, ScenarioError

PathKey = tuple[str | int, ...]
_YAML11_ONLY = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"}


@dataclass
class Located:
    """Parsed data with the (line, column) of each value and of each mapping key, 1-based."""

    data: Any
    source: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: PathKey, at_key: bool = False) -> tuple[int | None, int | None]:
        """The position of ``path``, or of its nearest located ancestor."""
        if at_key and path in self.keys:
            return self.keys[path]
        probe = path
        while True:
            if probe in self.values:
                return self.values[probe]
            if not probe:
                return None, None
            probe = probe[:-1]

    def display_path(self, path: PathKey) -> str:
        """Dotted path with list items named by their ``id`` where they have one."""
        parts: list[str] = []
        node: Any = self.data
        for element in path:
            if isinstance(node, list) and isinstance(element, int):
                item = node[element] if 0 <= element < len(node) else None
                ident = item.get("id") if isinstance(item, dict) else None
                parts.append(str(ident) if ident is not None else str(element))
                node = item
            else:
                parts.append(str(element))
                node = node.get(element) if isinstance(node, dict) else None
                if node is None and isinstance(element, str):
                    node = None
        return ".".join(parts)

    def problem(self, path: PathKey, message: str, at_key: bool = False) -> Problem:
        line, column = self.position(path, at_key)
        shown = path[:-1] if at_key else path
        return Problem(message, self.display_path(shown), self.source, line, column)


class CoreSchemaLoader(yaml.SafeLoader):
    """YAML 1.2 core-schema scalars on PyYAML's safe loader.

    PyYAML follows YAML 1.1, where ``yes``, ``no``, ``on`` and ``off`` are booleans and
    ``010`` is octal: an option called ``no`` would silently become ``False``. Here only
    ``true``/``false`` are booleans and integers are decimal unless written ``0o``/``0x``.
    """

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node)).replace("_", "")
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        if digits.startswith(("0o", "0x")):
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return sign * int(digits)


CoreSchemaLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _YAML11_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreSchemaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
CoreSchemaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
CoreSchemaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)
CoreSchemaLoader.add_constructor("tag:yaml.org,2002:int", CoreSchemaLoader.construct_yaml_int)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(node: yaml.Node, path: PathKey, located: Located, problems: list[Problem]) -> None:
    located.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                line, column = _mark(key_node)
                shown = located.display_path(path) if path else ""
                problems.append(
                    Problem(f"duplicate key '{key}'", shown, located.source, line, column)
                )
            seen.add(key)
            located.keys[(*path, key)] = _mark(key_node)
            _walk(value_node, (*path, key), located, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), located, problems)


def parse_text(text: str, source: str, as_json: bool) -> Located:
    """Parse YAML (or JSON) text; raise :class:`ScenarioError` with the position on failure."""
    if as_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ScenarioError(
                [Problem(f"invalid JSON: {error.msg}", "", source, error.lineno, error.colno)]
            ) from None
    try:
        # YAML forbids the tabs JSON allows as whitespace; a space keeps every column.
        node = yaml.compose(text.replace("\t", " ") if as_json else text, Loader=CoreSchemaLoader)
        if not as_json:
            data = yaml.load(text, Loader=CoreSchemaLoader)
    except yaml.MarkedYAMLError as error:
        if as_json:
            return Located(data, source)
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = error.problem or str(error)
        raise ScenarioError(
            [Problem(f"invalid YAML: {reason}", "", source, line, column)]
        ) from None
    except yaml.YAMLError as error:
        raise ScenarioError([Problem(f"invalid YAML: {error}", "", source)]) from None
    located = Located(data, source)
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), located, problems)
    if problems:
        raise ScenarioError(problems)
    return located
