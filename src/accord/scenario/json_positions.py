"""Where each value and each mapping key of a JSON text starts, found by one linear scan.

:mod:`json` parses fast but forgets positions; composing the text as YAML (of which JSON
is a subset) keeps them but costs twenty times the parse in Python objects. Positions are
needed only to report a problem, so a file is parsed by :mod:`json` and this scan runs
only when something must be shown. It reads the text the parser has already accepted:
tokens are strings, brackets and the bare words between them (numbers, ``true``,
``false``, ``null``); commas and colons carry nothing more, since keys and values
alternate in a mapping. Lines and columns are 1-based and count
characters, as :mod:`json`'s own errors do (a tab is one column).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

PathKey = tuple[str | int, ...]
Position = tuple[int, int]
Duplicate = tuple[PathKey, str, Position]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|[^\s\[\]{}:,"]+')


@dataclass
class _Container:
    path: PathKey
    is_mapping: bool
    expects_key: bool = False
    key: str = ""
    index: int = 0
    seen: set[str] = field(default_factory=set)


@dataclass
class JsonPositions:
    """The position of every value (by its path) and of every mapping key (by the path of
    its value), and each key written twice in one mapping, in document order."""

    values: dict[PathKey, Position]
    keys: dict[PathKey, Position]
    duplicates: list[Duplicate]


def json_positions(text: str) -> JsonPositions:
    """Positions in ``text``, which :func:`json.loads` accepts."""
    values: dict[PathKey, Position] = {}
    keys: dict[PathKey, Position] = {}
    duplicates: list[Duplicate] = []
    stack: list[_Container] = []
    line, line_start, scanned = 1, 0, 0
    for match in _TOKEN.finditer(text):
        start = match.start()
        # Count the line breaks since the last token: linear in the text, whatever its shape.
        breaks = text.count("\n", scanned, start)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", scanned, start) + 1
        scanned = start
        token = match.group()
        first = token[0]
        top = stack[-1] if stack else None
        if first in "]}":
            stack.pop()
            continue
        here = (line, start - line_start + 1)
        if top is not None and top.expects_key:
            key = json.loads(token) if "\\" in token else token[1:-1]
            if key in top.seen:
                duplicates.append((top.path, key, here))
            top.seen.add(key)
            top.key, top.expects_key = key, False
            keys[(*top.path, key)] = here
            continue
        if top is None:
            path: PathKey = ()
        elif top.is_mapping:
            path = (*top.path, top.key)
            top.expects_key = True
        else:
            path = (*top.path, top.index)
            top.index += 1
        values[path] = here
        if first == "{":
            stack.append(_Container(path, is_mapping=True, expects_key=True))
        elif first == "[":
            stack.append(_Container(path, is_mapping=False))
    return JsonPositions(values, keys, duplicates)
