"""What one scenario may contain: the documented limits (docs/reference/scenario-format.md).

A scenario comes from people who may be adversaries (a party's delegate uploads its own
preferences), so its size is bounded before any analysis runs: every limit here is far
above what a real negotiation or a published benchmark domain needs (the largest GENIUS
domains have 201 parties, 1,001 options per issue and 50 issues), and low enough that
validating, compiling and analysing a scenario at the limits stays affordable. The
loader refuses a file beyond them with its file:line, the model with the field.
"""

from __future__ import annotations

MAX_PARTIES = 1_000
MAX_ISSUES = 1_000
MAX_BLOCKS = 1_000
MAX_OPTIONS_PER_ISSUE = 10_000
MAX_INTERACTIONS = 1_000
"""Interaction terms per party."""
MAX_RED_LINES = 1_000
"""Red lines per party."""
MAX_TERM_ISSUES = 50
"""Issues one interaction term or red line may name."""
MAX_MAGNITUDE = 1e9
"""Largest absolute value of a preference number (weight, option value, interaction value,
reservation value, and a distribution's range or mean): sums over every issue stay far from
overflow and keep their precision."""
MAX_DEPTH = 32
"""Nesting of mappings and lists in a file (a scenario needs fewer than 10 levels)."""
MAX_ALIAS_NODES = 10_000
"""Values a YAML file may reach through aliases (``*name``), counted as expanded: bounds the
"billion laughs" file, whose few hundred bytes expand to billions of values."""


def at_most(limit: int, noun: str, count: int) -> str:
    """The message for ``count`` items where at most ``limit`` are allowed."""
    return f"expected at most {limit:,} {noun} (a scenario limit), got {count:,}"
