"""Read YAML or JSON text into plain data plus the line and column of every node.

The text is composed once by libyaml (through PyYAML's C binding), which keeps each node's
start mark; we walk the node tree, recording positions, before constructing the data from
the same nodes, so that any problem found later can be reported at its exact place. The
walk also bounds what a small file could make expensive: nesting depth and alias
expansion (:mod:`accord.scenario.limits`). JSON is parsed by :mod:`json` (its errors carry
line and column); the positions of its values are found only when a problem must be
shown (:mod:`accord.scenario.json_positions`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from accord.errors import Problem, ScenarioError
from accord.scenario.json_positions import json_positions
from accord.scenario.limits import MAX_ALIAS_NODES, MAX_DEPTH

PathKey = tuple[str | int, ...]
_YAML11_ONLY = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"}


@dataclass
class Located:
    """Parsed data with the (line, column) of each value and of each mapping key, 1-based.

    ``unscanned_json`` is JSON text whose positions are not known yet: they are found on
    first use, so that a file without problems never pays for them.
    """

    data: Any
    source: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    unscanned_json: str | None = field(default=None, repr=False)

    def scan(self) -> list[tuple[PathKey, str, tuple[int, int]]]:
        """Find the positions of unscanned JSON text; its duplicate keys, in document order."""
        if self.unscanned_json is None:
            return []
        found = json_positions(self.unscanned_json)
        self.unscanned_json = None
        self.values.update(found.values)
        self.keys.update(found.keys)
        return found.duplicates

    def position(self, path: PathKey, at_key: bool = False) -> tuple[int | None, int | None]:
        """The position of ``path``, or of its nearest located ancestor."""
        self.scan()
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

if yaml.__with_libyaml__:

    class _CoreSchemaCLoader(yaml.CSafeLoader):
        """The same schema on libyaml's parser: ten times faster than the Python one."""

    _CoreSchemaCLoader.yaml_implicit_resolvers = CoreSchemaLoader.yaml_implicit_resolvers
    _CoreSchemaCLoader.yaml_constructors = CoreSchemaLoader.yaml_constructors
    _FastLoader: Any = _CoreSchemaCLoader
else:  # pragma: no cover - PyYAML's wheels ship libyaml
    _FastLoader = CoreSchemaLoader

# libyaml's composer recurses in C: 5,000 levels are fine, far more crash the process.
_COMPOSER_SAFE_DEPTH = 1_000
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


Duplicate = tuple[PathKey, str, tuple[int, int]]


def _walk(root: yaml.Node, located: Located, duplicates: list[Duplicate]) -> None:
    """Record every node's position and duplicate key, in document order, without recursion.

    A node reached a second time is an alias's target: its values count against
    :data:`MAX_ALIAS_NODES` as they are expanded, so that a small file cannot expand to
    billions of values; a node that contains itself nests without end and is refused.
    """
    seen: set[int] = set()
    expanded = 0
    # Each entry: the node, its path and depth, its ancestors' ids (a linked list), the
    # position of the list or mapping that holds it, and, inside an alias's expansion,
    # the position of the list or mapping where the alias is written.
    Entry = tuple[yaml.Node, PathKey, int, Any, tuple[int, int], tuple[int, int] | None]
    stack: list[Entry] = [(root, (), 0, None, (1, 1), None)]
    while stack:
        node, path, depth, ancestors, parent_at, alias_at = stack.pop()
        here = _mark(node)
        located.values[path] = here
        if alias_at is None and id(node) in seen:
            alias_at = parent_at
        if alias_at is not None:
            expanded += 1
            if expanded > MAX_ALIAS_NODES:
                message = (
                    f"aliases expand to more than {MAX_ALIAS_NODES:,} values "
                    "(a scenario limit): write the values out"
                )
                raise ScenarioError([Problem(message, "", located.source, *alias_at)])
        seen.add(id(node))
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            continue
        if depth >= MAX_DEPTH:
            chain, recursive = ancestors, False
            while chain is not None and not recursive:
                recursive, chain = chain[0] == id(node), chain[1]
            message = (
                "an alias refers to a list or mapping that contains it (nesting without end)"
                if recursive
                else f"nested deeper than {MAX_DEPTH} levels (a scenario limit)"
            )
            raise ScenarioError([Problem(message, "", located.source, *here)])
        below = (id(node), ancestors)
        children: list[Entry] = []
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in keys and alias_at is None:
                    duplicates.append((path, key, _mark(key_node)))
                keys.add(key)
                located.keys[(*path, key)] = _mark(key_node)
                children.append((value_node, (*path, key), depth + 1, below, here, alias_at))
        else:
            for index, item in enumerate(node.value):
                children.append((item, (*path, index), depth + 1, below, here, alias_at))
        stack.extend(reversed(children))


def _yaml_error(error: yaml.YAMLError, text: str, source: str) -> ScenarioError:
    """One problem for a text that is not YAML, in PyYAML's own words.

    libyaml and PyYAML's Python parser find the same errors at the same place but word
    some differently: the Python parser (slow, but run only on a broken file) gives the
    wording users know; where it cannot (nesting too deep for its recursion, or it
    accepts the text), libyaml's own words are kept.
    """
    try:
        yaml.compose(text, Loader=CoreSchemaLoader)
    except yaml.YAMLError as python_error:
        error = python_error
    except RecursionError:
        pass
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = error.problem or str(error)
        return ScenarioError([Problem(f"invalid YAML: {reason}", "", source, line, column)])
    return ScenarioError([Problem(f"invalid YAML: {error}", "", source)])


def _nesting_bound(text: str) -> int:
    """An upper bound on how deep ``text`` nests: every level opens a bracket or indents.

    A block collection nests inside another at a larger indentation (a list may share its
    parent key's, hence twice the width); a flow collection opens a bracket.
    """
    widest = max((len(line) for line in text.splitlines()), default=0)
    return 2 * widest + text.count("[") + text.count("{") + 2


def _depth_problem(source: str, mark: Any) -> Problem:
    message = f"nested deeper than {MAX_DEPTH} levels (a scenario limit)"
    if mark is None:
        return Problem(message, "", source)
    return Problem(message, "", source, mark.line + 1, mark.column + 1)


def _check_depth(text: str, source: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH`, from the parser's events (no recursion)."""
    try:
        _count_depth(text, source, _FastLoader)
    except yaml.YAMLError as error:
        if "nesting depth" not in str(error):
            raise
        # Newer libyaml refuses nesting past its own bound while scanning ahead, before
        # the events that show where ours is passed: PyYAML's Python parser has no such
        # bound (and no recursion in its events), so it finds the place.
        _count_depth(text, source, CoreSchemaLoader)
        raise


def _count_depth(text: str, source: str, loader: Any) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ScenarioError([_depth_problem(source, event.start_mark)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _compose(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """The node tree of ``text`` and the loader that can construct its data: one parse.

    Raises :class:`yaml.YAMLError` for text that is not YAML and :class:`ScenarioError`
    for nesting beyond :data:`MAX_DEPTH` where it could not be walked safely.
    """
    if _nesting_bound(text) > _COMPOSER_SAFE_DEPTH:
        # The composer recurses (in C with libyaml): far deeper input would crash it.
        _check_depth(text, source)
    loader = _FastLoader(text)
    try:
        return loader.get_single_node(), loader
    except RecursionError:  # only without libyaml, where the check above is not enough
        raise ScenarioError([_depth_problem(source, None)]) from None
    finally:
        loader.dispose()


def _depth_of(data: Any) -> int:
    """How deep lists and mappings nest in ``data`` (iteratively: it may be deep)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            items = node.values() if isinstance(node, dict) else node
            stack.extend((item, depth + 1) for item in items if isinstance(item, dict | list))
    return deepest


def _json_depth_problem(text: str, source: str) -> Problem:
    """Where JSON text first nests deeper than :data:`MAX_DEPTH` (strings skipped)."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        if token.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                column = token.start() - text.rfind("\n", 0, token.start())
                message = f"nested deeper than {MAX_DEPTH} levels (a scenario limit)"
                return Problem(message, "", source, line, column)
        elif token.group() in "]}":
            depth -= 1
    return _depth_problem(source, None)


def parse_text(text: str, source: str, as_json: bool) -> Located:
    """Parse YAML (or JSON) text; raise :class:`ScenarioError` with the position on failure."""
    if as_json:
        return _parse_json(text, source)
    try:
        node, loader = _compose(text, source)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text, source) from None
    located = Located(None, source)
    duplicates: list[Duplicate] = []
    if node is not None:
        _walk(node, located, duplicates)
    # The walk bounded depth and aliases: constructing the data is now safe.
    located.data = None if node is None else loader.construct_document(node)
    _refuse_duplicates(located, duplicates)
    return located


def _parse_json(text: str, source: str) -> Located:
    duplicated = False

    def checked(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicated
        mapping = dict(pairs)
        duplicated = duplicated or len(mapping) < len(pairs)
        return mapping

    try:
        data = json.loads(text, object_pairs_hook=checked)
    except json.JSONDecodeError as error:
        raise ScenarioError(
            [Problem(f"invalid JSON: {error.msg}", "", source, error.lineno, error.colno)]
        ) from None
    except RecursionError:
        raise ScenarioError([_json_depth_problem(text, source)]) from None
    if _depth_of(data) > MAX_DEPTH:
        raise ScenarioError([_json_depth_problem(text, source)])
    located = Located(data, source, unscanned_json=text)
    if duplicated:
        # json keeps the last of two equal keys silently: name each one where it is.
        _refuse_duplicates(located, located.scan())
    return located


def _refuse_duplicates(located: Located, duplicates: list[Duplicate]) -> None:
    if duplicates:
        raise ScenarioError(
            [
                Problem(f"duplicate key '{key}'", located.display_path(path), located.source, *at)
                for path, key, at in duplicates
            ]
        )
