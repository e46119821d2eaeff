"""Positions in JSON text: the same as composing the text as YAML (the oracle), key for key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.scenario.json_positions import json_positions

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

Positions = dict[tuple[str | int, ...], tuple[int, int]]


def composed_positions(text: str) -> tuple[Positions, Positions]:
    """Every value's and key's start mark, from libyaml's composer (JSON is YAML): how the
    loader found them before it scanned JSON itself."""
    values: Positions = {}
    keys: Positions = {}
    stack: list[tuple[yaml.Node, tuple[str | int, ...]]] = [
        (yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), ())
    ]
    while stack:
        node, path = stack.pop()
        values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                keys[(*path, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                stack.append((value, (*path, key.value)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))
    return values, keys


def assert_same_as_yaml(text: str) -> None:
    found = json_positions(text)
    values, keys = composed_positions(text)
    assert found.values == values
    assert found.keys == keys
    assert found.duplicates == []


def test_every_example_as_json_indented_and_on_one_line() -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for indent in (2, None):
            assert_same_as_yaml(json.dumps(data, indent=indent, ensure_ascii=False))


def test_escaped_keys_and_strings_with_brackets() -> None:
    text = '{"a\\"b": ["x]", {"c\\u00e9": "{,:}"}], "": [[], {}, 1e5, -0.5, true, null]}'
    assert_same_as_yaml(text)
    assert json_positions(text).keys[('a"b', 1, "cé")] == (1, 18)


def test_tabs_count_as_one_column() -> None:
    found = json_positions('{\n\t"id": "plan",\n\t"n": [1,\n\t\t2]}')
    assert found.keys[("id",)] == (2, 2)
    assert found.values[("id",)] == (2, 8)
    assert found.values[("n", 1)] == (4, 3)


def test_duplicate_keys_in_document_order() -> None:
    found = json_positions('{"a": {"b": 1, "b": 2}, "a": 3}')
    assert found.duplicates == [(("a",), "b", (1, 16)), ((), "a", (1, 25))]
    assert found.values[("a",)] == (1, 30)  # json keeps the last one, and so do we


# YAML reads an escaped surrogate pair as two characters, JSON as one: the plane is left out.
text = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"]), max_size=8)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=60)
@given(json_values, st.sampled_from([None, 0, 1, 3]), st.booleans())
def test_random_json_matches_yaml(data: Any, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    try:
        composed_positions(text)
    except yaml.YAMLError:
        return  # text YAML cannot read (e.g. some control characters): no oracle
    assert_same_as_yaml(text)
