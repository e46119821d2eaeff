"""``accord robustness``: how often a deal exists, which package, who blocks, over profiles.

Registered by :mod:`accord.cli`; the analysis and the backends are imported when the
command runs, so that ``accord --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from accord.errors import AccordError

if TYPE_CHECKING:
    from accord.robustness.report import RobustnessReport
    from accord.scenario.model import Scenario

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def robustness_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON) or a folder.")],
    samples: Annotated[int, typer.Option("--samples", help="Profiles to draw.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Master seed (>= 0).")] = 0,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            help="serial, processes (default) or dask (implied by --scheduler/--dask-local).",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes (default: CPUs).")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler tcp://HOST:PORT to use.")
    ] = None,
    dask_local: Annotated[
        int | None, typer.Option("--dask-local", help="Start a local Dask cluster of N workers.")
    ] = None,
    top: Annotated[int, typer.Option("--top", help="How many packages to list.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="Write answers to this file as they arrive; the same command resumes there.",
        ),
    ] = None,
) -> None:
    """How robust the answer is: deal probability, Nash packages and blockers over profiles."""
    from accord.formats.detect import load_any
    from accord.robustness.run import assess_robustness

    if top < 1:
        raise AccordError(f"--top: expected at least 1, got {top}")
    if samples < 1:
        raise AccordError(f"--samples: expected at least 1 sample, got {samples}")
    if seed < 0:
        raise AccordError(f"--seed: expected a seed >= 0, got {seed}")
    scenario = load_any(file)
    kind = backend or ("dask" if scheduler is not None or dask_local is not None else "processes")
    try:
        from accord.tournament.backends import KINDS, make_backend
    except ImportError as error:  # the backends need the tournament extra (cloudpickle, dask)
        raise AccordError(
            f"accord robustness needs the tournament extra ({error}): "
            "pip install 'accord[tournament]'"
        ) from None
    known = next((k for k in KINDS if k == kind), None)
    if known is None:
        raise AccordError(f"--backend: unknown backend '{kind}' (backends: {', '.join(KINDS)})")
    done = 0
    if checkpoint is not None:  # a checkpoint of another run is refused before anything runs
        from accord.robustness.checkpoint import Checkpoint

        done = sum(index < samples for index in Checkpoint(checkpoint, scenario, seed).load())
    if known == "processes":
        import multiprocessing

        # The pool's fork server imports the analysis once; each worker forks with it
        # loaded instead of importing it again (about 0.7 s of CPU per worker).
        multiprocessing.get_context("forkserver").set_forkserver_preload(
            ["accord.robustness.profile"]
        )
    started = time.perf_counter()
    with make_backend(
        known,
        workers=workers,
        scheduler=scheduler,
        dask_local=dask_local,
    ) as runner:
        with _Progress(samples - done) as advance:
            report = assess_robustness(
                scenario,
                samples,
                seed,
                runner,
                on_answer=lambda _: advance(),
                checkpoint=checkpoint,
            )
        described = runner.describe()
    seconds = time.perf_counter() - started
    if as_json:
        data = report.to_dict(top) | {"backend": described, "seconds": seconds}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    _render(scenario, report, top, described, seconds)


class _Progress:
    """A Rich progress bar with ETA on stderr (only on a terminal: --json output stays clean)."""

    def __init__(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("profiles"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        )
        self.task = self.progress.add_task("profiles", total=total)

    def __enter__(self) -> Any:
        self.progress.start()
        return lambda: self.progress.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def _interval(entry: dict[str, Any]) -> str:
    low, high = entry["interval"]
    return f"{_percent(low)}–{_percent(high)}"


def _render(
    scenario: Scenario, report: RobustnessReport, top: int, described: str, seconds: float
) -> None:
    data = report.to_dict(top)
    names = dict(zip(report.party_ids, report.party_names, strict=True))
    out.rule(
        f"[bold]Robustness: {scenario.title or scenario.id} — "
        f"{report.samples:,} profiles, seed {report.seed}"
    )
    if report.certain:
        out.print(
            "[bold]The input is certain[/] (no range or distribution): every profile is the "
            "same, so each figure below is exact, not estimated."
        )
    else:
        counts = ", ".join(f"{names.get(p, p)} {n}" for p, n in report.uncertain_parameters.items())
        out.print(f"Uncertain numbers: {counts}.")
    out.print(f"[dim]({described}, {seconds:.1f} s; 95% intervals: {data['interval_method']})[/]")
    deal = data["deal_probability"]
    colour = "green" if deal["frequency"] >= 0.5 else "red"
    out.print(
        f"[bold {colour}]A deal exists in {_percent(deal['frequency'])} of profiles[/] "
        f"({deal['count']:,} of {report.samples:,}; interval {_interval(deal)})."
    )
    if data["nash_packages"]:
        _render_packages(scenario, report, data)
    if data["blockers"]:
        _render_blockers(data, names)


def _render_packages(scenario: Scenario, report: RobustnessReport, data: dict[str, Any]) -> None:
    from rich.table import Table

    labels = {
        (issue.id, option.id): option.label or option.id
        for issue in scenario.issues
        for option in issue.options
    }
    titles = {issue.id: issue.title or issue.id for issue in scenario.issues}
    packages = data["nash_packages"]
    first = packages[0]["package"]
    table = Table(
        title=f"Nash packages (top {len(packages)} of {data['distinct_nash_packages']:,})",
        title_justify="left",
    )
    for column in ("#", "share of profiles", "interval", "differs from #1 on"):
        table.add_column(column)
    for rank, entry in enumerate(packages, 1):
        changed = [
            f"{titles[issue]}: {labels[(issue, option)]}"
            for issue, option in entry["package"].items()
            if first[issue] != option
        ]
        table.add_row(
            str(rank),
            _percent(entry["frequency"]),
            _interval(entry),
            "; ".join(changed) if rank > 1 else "—",
        )
    out.print(table)
    varying = [issue for issue in first if len(data["nash_options"][issue]) > 1]
    if not varying:
        out.print("Every profile's Nash package picks the same option on every point.")
        return
    options = Table(title="Points where the Nash package varies", title_justify="left")
    for column in ("point", "option in package #1", "how often", "other options"):
        options.add_column(column)
    for issue in varying:
        option = first[issue]
        shares = data["nash_options"][issue]
        others = sorted(((o, s) for o, s in shares.items() if o != option), key=lambda x: -x[1])
        options.add_row(
            titles[issue],
            labels[(issue, first[issue])],
            _percent(shares.get(option, 0.0)),
            ", ".join(f"{labels[(issue, o)]} {_percent(s)}" for o, s in others),
        )
    out.print(options)
    steady = len(first) - len(varying)
    if steady:
        out.print(f"[dim](on the other {steady} points every Nash package agrees with #1)[/]")


def _render_blockers(data: dict[str, Any], names: dict[str, str]) -> None:
    from rich.table import Table

    table = Table(title="What blocks a deal", title_justify="left")
    for column in ("party", "condition", "share of profiles", "interval", "of no-deal profiles"):
        table.add_column(column)
    for entry in data["blockers"]:
        table.add_row(
            names.get(entry["party"], entry["party"]),
            entry["label"],
            _percent(entry["frequency"]),
            _interval(entry),
            _percent(entry["given_no_deal"]),
        )
    out.print(table)
    parties = "; ".join(
        f"{names.get(e['party'], e['party'])} {_percent(e['frequency'])} ({_interval(e)})"
        for e in data["blocking_parties"]
    )
    out.print(f"Parties whose conditions block: {parties}.")
    if data["relaxations"]:
        out.print("Smallest changes that open a deal (share of profiles where each does):")
        for entry in data["relaxations"]:
            what = " and ".join(
                f"{names.get(c['party'], c['party'])}: {c['label']}" for c in entry["relax"]
            )
            out.print(
                f"  • relax [bold]{what}[/]: {_percent(entry['frequency'])} ({_interval(entry)})"
            )
