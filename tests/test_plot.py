"""The run chart's content: concession curves, and the result against the frontier for two
voters (a plane) or more (parallel axes, thinned past a limit that the legend states)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from accord.analysis.frontier import pareto_frontier
from accord.negotiation.plot import run_chart, write_plot
from accord.negotiation.runner import simulate
from accord.scenario.generate import random_additive_scenario
from accord.scenario.loader import load_scenario

CAMP_DAVID = Path(__file__).resolve().parents[1] / "examples" / "camp-david-1978.yaml"


def test_two_voters_a_plane_with_every_frontier_point() -> None:
    result = simulate(load_scenario(CAMP_DAVID), "alternating", {}, 1, 100)
    chart = run_chart(result)
    panel = chart.result
    assert panel is not None and panel.axes == ("eg", "il")
    frontier = pareto_frontier(result.compiled).utilities[:, [0, 1]]
    assert sorted(map(tuple, frontier.tolist())) == list(panel.frontier)
    assert panel.result == (result.metrics.utilities["eg"], result.metrics.utilities["il"])
    assert panel.label == "agreement" and panel.frontier_label == "Pareto frontier"
    # One curve a party that offered: its own utility of each of its offers, by round.
    offers = [e for e in result.trace.events if e.party == "il" and e.kind == "offer"]
    curve = next(c for c in chart.curves if c.party == "il")
    assert curve.rounds == tuple(e.round for e in offers)
    index = result.compiled.party_ids.index("il")
    expected = [result.compiled.utilities(np.array(e.package))[index] for e in offers]
    assert np.allclose(curve.utilities, expected)


def test_four_voters_parallel_axes_thinned_and_said() -> None:
    result = simulate(random_additive_scenario(4, 5, 4, 3, 0.2), "alternating", {}, 1, 100)
    full = run_chart(result).result
    assert full is not None and len(full.axes) == 4
    count = len(pareto_frontier(result.compiled).packages)
    assert len(full.frontier) == count and all(len(p) == 4 for p in full.frontier)
    thinned = run_chart(result, most_lines=5).result
    assert thinned is not None and len(thinned.frontier) == 5
    assert thinned.frontier_label == f"Pareto frontier, 5 of {count} points"
    assert set(thinned.frontier) <= set(full.frontier)


def test_both_renderers_draw_four_voters(tmp_path: Path) -> None:
    result = simulate(random_additive_scenario(4, 5, 4, 3, 0.2), "alternating", {}, 1, 100)
    write_plot(result, tmp_path / "run.png")
    assert (tmp_path / "run.png").read_bytes().startswith(b"\x89PNG")
    write_plot(result, tmp_path / "run.html")
    html = (tmp_path / "run.html").read_text()
    assert "Pareto frontier" in html and '"ticktext":["p1","p2","p3","p4"]' in html


NO_DEAL = """\
id: no-deal
issues:
  - id: a
    options: [{id: a1}, {id: a2}]
parties:
  - id: p
    preferences: {values: {a: {a1: 1, a2: 0}}, reservation: 0.9}
  - id: q
    preferences: {values: {a: {a1: 0, a2: 1}}, reservation: 0.9}
"""


def test_an_empty_frontier_is_said_on_the_chart(tmp_path: Path) -> None:
    from accord.negotiation.plot import EMPTY_FRONTIER
    from accord.scenario.loader import parse_scenario

    result = simulate(parse_scenario(NO_DEAL, "no-deal.yaml"), "alternating", {}, 1, 20)
    panel = run_chart(result).result
    assert panel is not None and panel.frontier == ()
    assert panel.note == EMPTY_FRONTIER
    assert panel.label == "no agreement (disagreement point)"
    assert panel.result == (0.9, 0.9)
    write_plot(result, tmp_path / "run.html")
    html = (tmp_path / "run.html").read_text()
    assert "The Pareto frontier is empty:\\u003cbr\\u003eno package is acceptable" in html
    write_plot(result, tmp_path / "run.png")
    assert (tmp_path / "run.png").read_bytes().startswith(b"\x89PNG")
    # A scenario with a frontier carries no note.
    feasible = run_chart(simulate(load_scenario(CAMP_DAVID), "alternating", {}, 1, 100)).result
    assert feasible is not None and feasible.note is None
