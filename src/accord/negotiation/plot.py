"""A chart of one run: each party's concession curve, and the result against the frontier.

Written as a self-contained HTML file with plotly.js inside it (no network needed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from accord.analysis.frontier import pareto_frontier
from accord.errors import AccordError
from accord.negotiation.runner import Simulation


def write_plot(simulation: Simulation, path: Path) -> None:
    """Concession curves (the proposer's own utility of each offer or draft, by round) and,
    with two voters, the agreement or the last offer against the Pareto frontier."""
    try:
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots
    except ImportError:  # pragma: no cover - plotly comes with the cli extra
        raise AccordError("--plot needs plotly: install accord[cli]") from None
    compiled = simulation.compiled
    voters = compiled.voter_indices
    two = len(voters) == 2
    figure = make_subplots(
        rows=1,
        cols=2 if two else 1,
        subplot_titles=("Concession: utility of each offer to its proposer", "Result")
        if two
        else ("Concession: utility of each offer to its proposer",),
    )
    for index, party in enumerate(compiled.party_ids):
        offers = [
            (event.round, event.package)
            for event in simulation.trace.events
            if event.party == party and event.kind in ("offer", "draft") and event.package
        ]
        if not offers:
            continue
        rounds = [r for r, _ in offers]
        packages = np.array([p for _, p in offers], dtype=np.int64)
        utilities = compiled.utilities(packages)[index]
        figure.add_trace(
            go.Scatter(x=rounds, y=utilities, mode="lines+markers", name=party), row=1, col=1
        )
    if two:
        frontier = pareto_frontier(compiled)
        first, second = (int(p) for p in voters)
        figure.add_trace(
            go.Scatter(
                x=frontier.utilities[:, first],
                y=frontier.utilities[:, second],
                mode="markers",
                name="Pareto frontier",
            ),
            row=1,
            col=2,
        )
        point = simulation.metrics.utilities
        figure.add_trace(
            go.Scatter(
                x=[point[compiled.party_ids[first]]],
                y=[point[compiled.party_ids[second]]],
                mode="markers",
                marker={"size": 14, "symbol": "star"},
                name="agreement" if simulation.metrics.agreement else "no agreement",
            ),
            row=1,
            col=2,
        )
        figure.update_xaxes(title_text=compiled.party_ids[first], row=1, col=2)
        figure.update_yaxes(title_text=compiled.party_ids[second], row=1, col=2)
    figure.update_xaxes(title_text="round", row=1, col=1)
    figure.write_html(str(path), include_plotlyjs=True, full_html=True)
