"""A scenario read from a foreign format, with what the reader had to tell the user."""

from __future__ import annotations

from dataclasses import dataclass

from accord.errors import Problem
from accord.scenario.model import Scenario


@dataclass(frozen=True)
class Imported:
    """``scenario`` as read, and ``warnings``: each a place in a file (file, line, column)
    where the reader repaired the input, left something out, or read it as the foreign tool
    does in a way a user would not expect. ``accord validate`` and ``accord analyze`` print
    one line per warning."""

    scenario: Scenario
    warnings: tuple[Problem, ...] = ()
