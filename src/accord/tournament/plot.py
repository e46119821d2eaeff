"""Charts of a tournament: utility and agreement by strategy, and utility by strategy and role.

Written as a self-contained HTML file with plotly.js inside it (no network needed), like
:mod:`accord.negotiation.plot`.
"""

from __future__ import annotations

from pathlib import Path

from accord.errors import AccordError
from accord.tournament.summary import TournamentSummary


def write_tournament_plot(summary: TournamentSummary, path: Path) -> None:
    """Mean utility (with 95% intervals) and agreement rate per strategy; a heatmap of the
    mean utility of each strategy in each scenario's seats."""
    try:
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots
    except ImportError:  # pragma: no cover - plotly comes with the cli extra
        raise AccordError("--plot needs plotly: install accord[cli]") from None
    names = [s.strategy for s in summary.standings]
    roles = sorted({f"{r.scenario} · {r.party}" for r in summary.roles})
    figure = make_subplots(
        rows=2,
        cols=2,
        specs=[[{}, {}], [{"colspan": 2}, None]],
        subplot_titles=(
            "Mean utility per strategy (share of the party's best package, 95% interval)",
            "Agreement rate per strategy",
            "Mean utility per strategy and role (scenario · party; share of the best package)",
        ),
        vertical_spacing=0.15,
    )
    figure.add_trace(
        go.Bar(
            x=names,
            y=[s.utility.mean for s in summary.standings],
            error_y={"type": "data", "array": [s.utility.half_width for s in summary.standings]},
            name="mean utility",
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Bar(x=names, y=[s.agreement_rate for s in summary.standings], name="agreement rate"),
        row=1,
        col=2,
    )
    cells = {(f"{r.scenario} · {r.party}", r.strategy): r.utility.mean for r in summary.roles}
    figure.add_trace(
        go.Heatmap(
            x=names,
            y=roles,
            z=[[cells.get((role, name)) for name in names] for role in roles],
            colorscale="Viridis",
            colorbar={"title": "share of best", "y": 0.25, "len": 0.5},
        ),
        row=2,
        col=1,
    )
    figure.update_layout(height=500 + 22 * len(roles), showlegend=False)
    figure.write_html(str(path), include_plotlyjs=True, full_html=True)
