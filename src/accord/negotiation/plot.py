"""A chart of one run: each party's concession curve, and the result against the frontier.

The chart's content is computed once (:func:`run_chart`) and drawn by one of two renderers,
chosen by the file's suffix: ``.html``, an interactive plotly page with plotly.js inside it
(no network needed); ``.png``, a picture drawn by matplotlib (plotly's own static export
needs a Chrome build, which a fresh machine does not have).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from accord.analysis.frontier import pareto_frontier
from accord.errors import AccordError
from accord.negotiation.runner import Simulation

FORMATS = (".html", ".png")
CONCESSION_TITLE = "Concession: utility of each offer to its proposer"
RESULT_TITLE = "Result against the Pareto frontier"


@dataclass(frozen=True)
class Curve:
    """One party's offers (or drafts): the round of each and its utility to that party."""

    party: str
    rounds: tuple[int, ...]
    utilities: tuple[float, ...]


@dataclass(frozen=True)
class ResultPanel:
    """Two voters' utilities: the frontier's points and where the run ended."""

    axes: tuple[str, str]  # the two voters' ids: x, then y
    frontier: tuple[tuple[float, float], ...]  # by ascending x: drawn as a line
    result: tuple[float, float]
    label: str  # "agreement" or "no agreement"


@dataclass(frozen=True)
class RunChart:
    title: str
    curves: tuple[Curve, ...]
    result: ResultPanel | None  # only with exactly two voters: a plane can show them


def run_chart(simulation: Simulation) -> RunChart:
    """What the chart of ``simulation`` shows, whatever draws it."""
    compiled = simulation.compiled
    curves = []
    for index, party in enumerate(compiled.party_ids):
        offers = [
            (event.round, event.package)
            for event in simulation.trace.events
            if event.party == party and event.kind in ("offer", "draft") and event.package
        ]
        if offers:
            packages = np.array([p for _, p in offers], dtype=np.int64)
            utilities = compiled.utilities(packages)[index]
            curves.append(
                Curve(party, tuple(r for r, _ in offers), tuple(float(u) for u in utilities))
            )
    voters = compiled.voter_indices
    panel = None
    if len(voters) == 2:
        first, second = (int(p) for p in voters)
        frontier = pareto_frontier(compiled).utilities
        point = simulation.metrics.utilities
        x, y = compiled.party_ids[first], compiled.party_ids[second]
        panel = ResultPanel(
            (x, y),
            tuple(sorted((float(a), float(b)) for a, b in frontier[:, [first, second]])),
            (point[x], point[y]),
            "agreement" if simulation.metrics.agreement else "no agreement",
        )
    trace = simulation.trace
    title = f"{trace.scenario}: {trace.protocol}, seed {trace.seed}"
    return RunChart(title, tuple(curves), panel)


def write_plot(simulation: Simulation, path: Path) -> None:
    """Concession curves (the proposer's own utility of each offer or draft, by round) and,
    with two voters, the agreement or the last offer against the Pareto frontier."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise AccordError(f"--plot: {path}: expected a .html or .png file")
    chart = run_chart(simulation)
    if suffix == ".html":
        _write_html(chart, path)
    else:
        _write_png(chart, path)


def _write_html(chart: RunChart, path: Path) -> None:
    try:
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots
    except ImportError:  # pragma: no cover - plotly comes with the cli extra
        raise AccordError("--plot .html needs plotly: install accord[cli]") from None
    panel = chart.result
    titles = (CONCESSION_TITLE, RESULT_TITLE) if panel else (CONCESSION_TITLE,)
    figure = make_subplots(rows=1, cols=len(titles), subplot_titles=titles)
    for curve in chart.curves:
        figure.add_trace(
            go.Scatter(x=curve.rounds, y=curve.utilities, mode="lines+markers", name=curve.party),
            row=1,
            col=1,
        )
    if panel is not None:
        xs, ys = zip(*panel.frontier, strict=True) if panel.frontier else ((), ())
        figure.add_trace(
            go.Scatter(x=xs, y=ys, mode="lines+markers", name="Pareto frontier"), row=1, col=2
        )
        figure.add_trace(
            go.Scatter(
                x=[panel.result[0]],
                y=[panel.result[1]],
                mode="markers",
                marker={"size": 14, "symbol": "star"},
                name=panel.label,
            ),
            row=1,
            col=2,
        )
        figure.update_xaxes(title_text=panel.axes[0], row=1, col=2)
        figure.update_yaxes(title_text=panel.axes[1], row=1, col=2)
    figure.update_xaxes(title_text="round", row=1, col=1)
    figure.update_layout(title_text=chart.title)
    figure.write_html(str(path), include_plotlyjs=True, full_html=True)


def _write_png(chart: RunChart, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")  # no screen needed: draw straight into the file
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib comes with the cli extra
        raise AccordError("--plot .png needs matplotlib: install accord[cli]") from None
    panel = chart.result
    columns = 2 if panel else 1
    figure, axes = plt.subplots(1, columns, figsize=(6 * columns, 4.5), squeeze=False)
    try:
        concession = axes[0][0]
        for curve in chart.curves:
            concession.plot(curve.rounds, curve.utilities, marker="o", markersize=3)
            concession.lines[-1].set_label(curve.party)
        concession.set_title(CONCESSION_TITLE, fontsize=10)
        concession.set_xlabel("round")
        concession.set_ylabel("utility to the proposer")
        if chart.curves:
            concession.legend()
        if panel is not None:
            result = axes[0][1]
            if panel.frontier:
                xs, ys = zip(*panel.frontier, strict=True)
                result.plot(xs, ys, marker="o", markersize=4, label="Pareto frontier")
            result.scatter(
                [panel.result[0]], [panel.result[1]], marker="*", s=200, label=panel.label
            )
            result.set_title(RESULT_TITLE, fontsize=10)
            result.set_xlabel(panel.axes[0])
            result.set_ylabel(panel.axes[1])
            result.legend()
        figure.suptitle(chart.title)
        figure.tight_layout()
        figure.savefig(path, format="png", dpi=100)
    finally:
        plt.close(figure)
