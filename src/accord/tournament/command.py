"""``accord tournament CONFIG.yaml``: run a tournament with a progress bar, then summarise it.

Registered in :mod:`accord.cli`. The heavy parts (pyarrow, Dask, the engine) are imported
when the command runs, so that ``accord --help`` stays fast and works without the
``tournament`` extra.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from accord.errors import AccordError

if TYPE_CHECKING:
    from accord.tournament.backends import Backend
    from accord.tournament.run import RunOutcome
    from accord.tournament.summary import Mean, TournamentSummary

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def tournament_command(
    config_file: Annotated[Path, typer.Argument(help="Tournament configuration (YAML).")],
    backend: Annotated[
        str, typer.Option("--backend", help="serial, processes (default) or dask.")
    ] = "processes",
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes (default: the CPUs).")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="tcp://HOST:PORT of a running Dask scheduler."),
    ] = None,
    dask_local: Annotated[
        int | None, typer.Option("--dask-local", help="Start a local Dask cluster of N workers.")
    ] = None,
    out_folder: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Results folder (default: CONFIG-results in the current folder); resumed if "
            "it exists.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write charts (.html, works offline).")
    ] = None,
) -> None:
    """Run every strategy against every other, in every role, on every scenario."""
    try:
        from accord.tournament.backends import make_backend
        from accord.tournament.config import load_config
        from accord.tournament.results import ResultSet
        from accord.tournament.run import run_tournament
    except ImportError as error:  # pragma: no cover - the tournament extra is in the test extra
        raise AccordError(
            f"accord tournament needs the tournament extra ({error.name} is missing): "
            "pip install 'accord[tournament]'"
        ) from None
    if plot is not None and plot.suffix.lower() != ".html":
        raise AccordError(f"--plot: {plot}: expected a .html file")
    if backend == "dask" and scheduler is None and dask_local is None:
        dask_local = workers
    config = load_config(config_file)  # every problem, before any worker starts
    # In the current folder, not beside the configuration: that is often inside a checkout.
    folder = out_folder or Path(f"{config_file.stem}-results")
    with make_backend(
        backend,  # type: ignore[arg-type]  # make_backend names the valid kinds
        workers=workers if backend == "processes" else None,
        scheduler=scheduler,
        dask_local=dask_local,
    ) as started:
        try:
            outcome = _run_with_progress(config, started, folder, run_tournament)
        except KeyboardInterrupt:
            saved = ResultSet.load(folder).jobs
            raise AccordError(
                f"interrupted: {saved} finished job(s) are saved in {folder}; "
                "run the same command again to resume"
            ) from None
        description = started.describe()
    summary = ResultSet.load(folder).summary()
    if plot is not None:
        from accord.tournament.plot import write_tournament_plot

        write_tournament_plot(summary, plot)
    if as_json:
        data: dict[str, Any] = {
            "name": config.name,
            "results": str(folder),
            "backend": description,
            "jobs": outcome.total,
            "already_done": outcome.already_done,
            "ran": outcome.ran,
            "seconds": round(outcome.seconds, 3),
            "summary": summary.to_dict(),
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    _render(config.name, folder, description, outcome, summary, plot)


def _run_with_progress(config: Any, backend: Backend, folder: Path, run: Any) -> RunOutcome:
    # Here, not at the top: the CLI imports this module for `accord --help`.
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("jobs"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(config.name, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        outcome: RunOutcome = run(config, backend, folder, advance)
        return outcome


def _render(
    name: str,
    folder: Path,
    backend: str,
    outcome: RunOutcome,
    summary: TournamentSummary,
    plot: Path | None,
) -> None:
    resumed = f", {outcome.already_done} done earlier" if outcome.already_done else ""
    out.rule(f"[bold]Tournament {name}: {summary.jobs} negotiations")
    out.print(
        f"Ran {outcome.ran} job(s) on {backend} in {outcome.seconds:.1f} s{resumed}; "
        f"results in {folder}"
    )
    out.print(
        f"Agreement rate {summary.agreement_rate:.1%}; "
        f"social welfare {_mean(summary.social_welfare)}; "
        f"distance to the frontier {_mean(summary.distance_to_frontier)}, "
        f"to the Nash point {_mean(summary.distance_to_nash)}"
    )
    table = Table(
        title="Strategies by mean utility (share of the party's best package, ±95%); "
        "gain: share of its best gain in a deal"
    )
    for column in (
        "#",
        "strategy",
        "seats",
        "utility",
        "gain",
        "agreed",
        "welfare",
        "to Pareto",
        "to Nash",
    ):
        table.add_column(column, justify="left" if column == "strategy" else "right")
    for rank, standing in enumerate(summary.standings, start=1):
        table.add_row(
            str(rank),
            standing.strategy,
            str(standing.seats),
            _mean(standing.utility, interval=True),
            _mean(standing.relative_gain),
            f"{standing.agreement_rate:.1%}",
            _mean(standing.social_welfare),
            _mean(standing.distance_to_frontier),
            _mean(standing.distance_to_nash),
        )
    out.print(table)
    scenarios = Table(title="Scenarios")
    for column in ("scenario", "jobs", "agreed", "welfare", "to Pareto", "to Nash"):
        scenarios.add_column(column, justify="left" if column == "scenario" else "right")
    for result in summary.scenarios:
        scenarios.add_row(
            result.scenario,
            str(result.jobs),
            f"{result.agreement_rate:.1%}",
            _mean(result.social_welfare),
            _mean(result.distance_to_frontier),
            _mean(result.distance_to_nash),
        )
    out.print(scenarios)
    out.print(_roles_table(summary))
    if plot is not None:
        out.print(f"Charts: {plot}")


def _roles_table(summary: TournamentSummary) -> Table:
    """Mean utility of each strategy (columns) in each party's seat (rows)."""
    names = [standing.strategy for standing in summary.standings]
    cells = {(r.scenario, r.party, r.strategy): r.utility for r in summary.roles}
    table = Table(title="Mean utility per strategy and role (share of the party's best package)")
    table.add_column("scenario")
    table.add_column("party")
    for name in names:
        table.add_column(name, justify="right")
    for scenario, party in sorted({(r.scenario, r.party) for r in summary.roles}):
        row = [_mean(cells[key]) if (key := (scenario, party, n)) in cells else "—" for n in names]
        table.add_row(scenario, party, *row)
    return table


def _mean(value: Mean, interval: bool = False) -> str:
    if value.mean is None:
        return "—"
    if interval and value.half_width is not None:
        return f"{value.mean:.3f}±{value.half_width:.3f}"
    return f"{value.mean:.3f}"
