"""Linking two blocks: a hand-computed logrolling case."""

from __future__ import annotations

import pytest

from accord.analysis.compiled import compile_scenario
from accord.analysis.linkage import linkage
from accord.analysis.nash import nash
from accord.analysis.report import analyze
from accord.scenario.loader import parse_scenario

# Each block holds one issue with a status quo, a win for each side and a split.
# Points:            sq   p-wins  q-wins  split
#   issue a  p:       0     8      -2       3       q:  0  -2   2  1
#   issue b  p:       0     2      -2       1       q:  0  -2   8  3
# Block a alone (disagreement at its status quo, (0, 0)): only "split" (3, 1) gives both
# a gain, so its Nash settlement is split; likewise block b: split (1, 3). Separately the
# package (split, split) is worth (4, 4). Linked, (p-wins a, q-wins b) is worth
# (8 - 2, -2 + 8) = (6, 6): Nash product 36 beats 16 (split, split) and 9 for the mixed
# packages. Linkage gains each party 2.
LOGROLL = """
id: logroll
blocks: [{id: x}, {id: y}]
issues:
  - {id: a, block: x, status_quo: sq, options: [{id: sq}, {id: pwin}, {id: qwin}, {id: split}]}
  - {id: b, block: y, status_quo: sq, options: [{id: sq}, {id: pwin}, {id: qwin}, {id: split}]}
parties:
  - id: p
    preferences:
      scale: points
      values: {a: {sq: 0, pwin: 8, qwin: -2, split: 3}, b: {sq: 0, pwin: 2, qwin: -2, split: 1}}
  - id: q
    preferences:
      scale: points
      values: {a: {sq: 0, pwin: -2, qwin: 2, split: 1}, b: {sq: 0, pwin: -2, qwin: 8, split: 3}}
"""


def test_linkage_gain_of_the_hand_computed_logroll() -> None:
    compiled = compile_scenario(parse_scenario(LOGROLL))
    linked = nash(compiled).outcome
    assert linked is not None
    assert compiled.space.package_dict(linked.package) == {"a": "pwin", "b": "qwin"}
    result = linkage(compiled, linked)
    assert result.separate is not None and result.gains is not None
    assert compiled.space.package_dict(result.separate.package) == {"a": "split", "b": "split"}
    assert result.separate.utilities == pytest.approx([4, 4])
    assert result.gains == pytest.approx([2, 2])
    assert result.separate_feasible


def test_report_blocks_and_linkage() -> None:
    data = analyze(parse_scenario(LOGROLL)).to_dict()
    assert [b["block"] for b in data["blocks"]] == ["x", "y"]
    block_x = data["blocks"][0]
    assert block_x["solutions"]["nash"]["package"] == {"a": "split"}
    assert block_x["held"] == "other issues held at their status quo"
    assert data["linkage"]["gains"] == pytest.approx({"p": 2.0, "q": 2.0})
    single = analyze(parse_scenario(LOGROLL), block="y").to_dict()
    assert single["block"] == "y"
    assert single["outcome_count"] == 4
    assert single["solutions"]["nash"]["utilities"] == pytest.approx({"p": 1.0, "q": 3.0})
    # Feasible in block y: sq (0, 0) and split (1, 3), which dominates it.
    assert single["frontier"]["size"] == 1
