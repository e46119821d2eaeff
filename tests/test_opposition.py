"""Per-issue opposition on hand-checked values."""

import numpy as np
import pytest

from accord.analysis.compiled import compile_scenario
from accord.analysis.opposition import issue_opposition
from accord.scenario.loader import parse_scenario

# Issue a: p's and q's rankings are reversed: every option is someone's worst -> 1.
# Issue b: both like b2 best -> 0.
# Issue c: p rescaled (1, 0.5, 0), q rescaled (0, 1, 0.5): option c2 leaves p at 0.5 and
#          q at 1, so its worst shortfall is 0.5; c1 and c3 each leave someone at 0 -> 0.5.
# Issue d: p is indifferent (every option rescales to 1); q prefers d1 -> 0.
TEXT = """
id: opposition
issues:
  - {id: a, options: [{id: a1}, {id: a2}]}
  - {id: b, options: [{id: b1}, {id: b2}]}
  - {id: c, options: [{id: c1}, {id: c2}, {id: c3}]}
  - {id: d, options: [{id: d1}, {id: d2}]}
parties:
  - id: p
    preferences:
      values: {a: {a1: 1, a2: 0}, b: {b1: 0, b2: 1}, c: {c1: 1, c2: 0.5, c3: 0},
               d: {d1: 1, d2: 1}}
  - id: q
    preferences:
      values: {a: {a1: 0, a2: 1}, b: {b1: 0.2, b2: 1}, c: {c1: 0, c2: 1, c3: 0.5},
               d: {d1: 1, d2: 0}}
"""


def test_opposition_by_hand() -> None:
    compiled = compile_scenario(parse_scenario(TEXT))
    np.testing.assert_allclose(issue_opposition(compiled), [1.0, 0.0, 0.5, 0.0])


MEDIATOR = """\
  - id: m
    role: mediator
    preferences:
      values: {a: {a1: 1, a2: 1}, b: {b1: 1, b2: 0}, c: {c1: 1, c2: 1, c3: 1},
               d: {d1: 0, d2: 1}}
"""


def test_opposition_ignores_non_voters() -> None:
    compiled = compile_scenario(parse_scenario(TEXT + MEDIATOR))
    assert compiled.party_ids == ("p", "q", "m")
    assert issue_opposition(compiled) == pytest.approx([1.0, 0.0, 0.5, 0.0])
