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
MOST_LINES = 400  # frontier points drawn on parallel axes (three voters or more)
CONCESSION_TITLE = "Concession: utility of each offer to its proposer"
RESULT_TITLE = "Result against the Pareto frontier"
EMPTY_FRONTIER = (
    "The Pareto frontier is empty:<br>no package is acceptable to every party the rule needs"
)
NO_POINT_FOUND = "No frontier point was found<br>(the frontier search is approximate here)"


@dataclass(frozen=True)
class Curve:
    """One party's offers (or drafts): the round of each and its utility to that party."""

    party: str
    rounds: tuple[int, ...]
    utilities: tuple[float, ...]


@dataclass(frozen=True)
class ResultPanel:
    """The voters' utilities: the frontier's points and where the run ended.

    Two voters are drawn as a plane (x, then y); more as parallel axes, one line a package.
    """

    axes: tuple[str, ...]  # the voters' ids
    frontier: tuple[tuple[float, ...], ...]  # sorted: with two voters, drawn as a line
    result: tuple[float, ...]
    label: str  # "agreement" or "no agreement"
    frontier_label: str  # "Pareto frontier", with how much of it is drawn
    note: str | None = None  # said on the chart when there is no frontier point to draw


@dataclass(frozen=True)
class RunChart:
    title: str
    curves: tuple[Curve, ...]
    result: ResultPanel | None  # None: fewer than two voters


def run_chart(simulation: Simulation, most_lines: int = MOST_LINES) -> RunChart:
    """What the chart of ``simulation`` shows, whatever draws it; with three voters or more
    at most ``most_lines`` frontier points are drawn (evenly spread, said in the legend)."""
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
    voters = [int(p) for p in compiled.voter_indices]
    panel = None
    if len(voters) >= 2:
        frontier = pareto_frontier(compiled)
        points = sorted(tuple(float(u) for u in row) for row in frontier.utilities[:, voters])
        label = "Pareto frontier" if frontier.exact else "Pareto frontier (approximate)"
        if len(voters) > 2 and len(points) > most_lines:
            keep = np.linspace(0, len(points) - 1, most_lines).round().astype(int)
            label += f", {most_lines} of {len(points)} points"
            points = [points[i] for i in keep]
        axes = tuple(compiled.party_ids[p] for p in voters)
        utilities = simulation.metrics.utilities
        note = None
        if not points:
            note = EMPTY_FRONTIER if frontier.exact else NO_POINT_FOUND
        panel = ResultPanel(
            axes,
            tuple(points),
            tuple(utilities[party] for party in axes),
            "agreement" if simulation.metrics.agreement else "no agreement (disagreement point)",
            label,
            note,
        )
    trace = simulation.trace
    title = f"{trace.scenario}: {trace.protocol}, seed {trace.seed}"
    return RunChart(title, tuple(curves), panel)


def write_plot(simulation: Simulation, path: Path) -> None:
    """Concession curves (the proposer's own utility of each offer or draft, by round) and
    the agreement (or the disagreement point) against the Pareto frontier."""
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
    if panel is not None and len(panel.axes) == 2:
        xs, ys = zip(*panel.frontier, strict=True) if panel.frontier else ((), ())
        figure.add_trace(
            go.Scatter(x=xs, y=ys, mode="lines+markers", name=panel.frontier_label),
            row=1,
            col=2,
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
    elif panel is not None:
        positions = list(range(len(panel.axes)))
        for number, point in enumerate(panel.frontier):
            figure.add_trace(
                go.Scatter(
                    x=positions,
                    y=point,
                    mode="lines",
                    line={"color": "rgba(120,120,120,0.25)", "width": 1},
                    name=panel.frontier_label,
                    legendgroup="frontier",
                    showlegend=number == 0,
                ),
                row=1,
                col=2,
            )
        figure.add_trace(
            go.Scatter(
                x=positions,
                y=panel.result,
                mode="lines+markers",
                line={"width": 4},
                marker={"size": 10, "symbol": "star"},
                name=panel.label,
            ),
            row=1,
            col=2,
        )
        figure.update_xaxes(
            tickvals=positions, ticktext=list(panel.axes), title_text="voter", row=1, col=2
        )
        figure.update_yaxes(title_text="utility", row=1, col=2)
    if panel is not None and panel.note is not None:
        figure.add_annotation(
            text=panel.note,
            xref="x2 domain",
            yref="y2 domain",
            x=0.5,
            y=0.15,  # below the star, which sits alone in the middle
            showarrow=False,
            font={"size": 14},
        )
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
            if len(panel.axes) == 2:
                if panel.frontier:
                    xs, ys = zip(*panel.frontier, strict=True)
                    result.plot(xs, ys, marker="o", markersize=4, label=panel.frontier_label)
                result.scatter(
                    [panel.result[0]], [panel.result[1]], marker="*", s=200, label=panel.label
                )
                result.set_xlabel(panel.axes[0])
                result.set_ylabel(panel.axes[1])
            else:
                positions = list(range(len(panel.axes)))
                for number, point in enumerate(panel.frontier):
                    result.plot(
                        positions,
                        point,
                        color="grey",
                        alpha=0.25,
                        linewidth=1,
                        label=panel.frontier_label if number == 0 else None,
                    )
                result.plot(
                    positions,
                    panel.result,
                    marker="*",
                    markersize=12,
                    linewidth=3,
                    label=panel.label,
                )
                result.set_xticks(positions, list(panel.axes))
                result.set_xlabel("voter")
                result.set_ylabel("utility")
            if panel.note is not None:
                result.text(
                    0.5,
                    0.15,  # below the star, which sits alone in the middle
                    panel.note.replace("<br>", "\n"),
                    transform=result.transAxes,
                    ha="center",
                    va="center",
                    bbox={"facecolor": "white", "edgecolor": "none"},
                )
            result.set_title(RESULT_TITLE, fontsize=10)
            result.legend()
        figure.suptitle(chart.title)
        figure.tight_layout()
        figure.savefig(path, format="png", dpi=100)
    finally:
        plt.close(figure)
