"""The ``accord`` command line: a thin face over the scenario loader and the analysis."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.commands.common import err, out
from accord.commands.deferred import DeferredCommands
from accord.commands.process import command_process
from accord.errors import AccordError, ScenarioError

if TYPE_CHECKING:
    # Imported where used: `accord --help` and each command load only what they need.
    from accord.analysis.report import Analysis
    from accord.formats.imported import Imported
    from accord.scenario.model import Scenario

# Each command's module, and what it imports, loads only when that command runs.
deferred = DeferredCommands()
app = typer.Typer(
    name="accord",
    cls=deferred.group,
    help="Model, analyse and record multi-party, multi-issue negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: Typer's Rich help prints every flag as taking a value ("--json <bool>"),
    # and its formatting imports Markdown, Pygments and attrs (about half of `accord
    # --help`'s time) to draw boxes around the same text.
    rich_markup_mode=None,
)

SOLUTION_TITLES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
}


def _print_version(asked: bool) -> None:
    if not asked:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        out.print(f"accord {version('accord')}")
    except PackageNotFoundError:  # run from a source tree that was never installed
        out.print("accord (version unknown: the package is not installed)")
    raise typer.Exit()


@app.callback()
def _options(
    _version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Model, analyse and record multi-party, multi-issue negotiations."""


SOURCE_HELP = "Scenario file (YAML or JSON), or a GENIUS, GeniusWeb, NegMAS or LLM-game folder."
DomainOption = Annotated[
    Path | None,
    typer.Option("--domain", help="GENIUS: the domain file to read, in a folder holding several."),
]
RealPointsOption = Annotated[
    int | None,
    typer.Option(
        "--real-points", help="GENIUS: values a real issue is read on (GENIUS's default: 21)."
    ),
]


def _warned(found: list[Imported]) -> list[Imported]:
    """Print each reader warning as one line on stderr (file:line: message)."""
    for imported in found:
        for warning in imported.warnings:
            err.print(f"warning: {warning.render()}", markup=False, soft_wrap=True)
    return found


def load_any(path: Path) -> Scenario:
    from accord.formats.detect import load_any as load

    return load(path)


@deferred.command(app)
def validate(
    file: Annotated[Path, typer.Argument(help=SOURCE_HELP)],
    domain: DomainOption = None,
    real_points: RealPointsOption = None,
) -> None:
    """Check a scenario and report every problem with file, line and column, and every
    warning of the reader (what it repaired or left out, with file and line)."""
    from accord.formats.detect import import_all

    found = _warned(import_all(file, domain=domain, real_points=real_points))
    for imported in found:
        scenario = imported.scenario
        named = f" ({scenario.title})" if len(found) > 1 else ""
        warned = f", {len(imported.warnings)} warnings" if imported.warnings else ""
        out.print(
            f"{file}{named}: valid: {len(scenario.issues)} issues, {len(scenario.parties)} "
            f"parties, {len(scenario.blocks)} blocks{warned}"
        )


@deferred.command(app, "analyze")
def analyze_command(
    file: Annotated[Path, typer.Argument(help=SOURCE_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    block: Annotated[str | None, typer.Option("--block", help="Analyse this block alone.")] = None,
    ignore_reservation: Annotated[
        bool,
        typer.Option(
            "--ignore-reservation",
            help="Every package acceptable, disagreement at 0 (GENIUS/ANAC convention).",
        ),
    ] = False,
    require: Annotated[
        list[str] | None,
        typer.Option("--require", help="Make this party's consent required (repeatable)."),
    ] = None,
    frontier_points: Annotated[
        bool, typer.Option("--frontier-points", help="List the frontier's points.")
    ] = False,
    domain: DomainOption = None,
    real_points: RealPointsOption = None,
) -> None:
    """Is there a deal, which one, who blocks it, what would unblock it.

    A GENIUS folder holding several domains is analysed one domain at a time (with --json,
    a list of one object per domain, each with its "scenario" id)."""
    from accord.analysis.report import analyze
    from accord.formats.detect import import_all

    found = _warned(import_all(file, domain=domain, real_points=real_points))
    results = []
    for imported in found:
        scenario = _with_required(imported.scenario, require or [], file)
        result = analyze(scenario, block=block, ignore_reservation=ignore_reservation)
        if as_json:
            results.append(result.to_dict(frontier_points))
            continue
        if len(found) > 1:
            out.print(
                f"\n[bold]{scenario.title}[/bold] ({', '.join(p.id for p in scenario.parties)})"
            )
        _render(scenario, result, frontier_points)
    if as_json:
        data = results if len(results) > 1 else results[0]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")


@deferred.command(app, "import")
def import_command(
    source: Annotated[Path, typer.Argument(help=SOURCE_HELP)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Scenario file to write.")],
    domain: DomainOption = None,
    real_points: RealPointsOption = None,
) -> None:
    """Convert a GENIUS, GeniusWeb, NegMAS or LLM-game folder into an Accord scenario file."""
    from accord.formats.detect import import_any
    from accord.scenario.writer import dump_scenario

    (imported,) = _warned([import_any(source, domain=domain, real_points=real_points)])
    scenario = imported.scenario
    dump_scenario(scenario, output)
    out.print(f"{output}: {len(scenario.issues)} issues, {len(scenario.parties)} parties")


@deferred.command(app, "export")
def export_command(
    source: Annotated[Path, typer.Argument(help=SOURCE_HELP)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write into.")],
    format_name: Annotated[
        str, typer.Option("--format", help="Format to write: genius.")
    ] = "genius",
) -> None:
    """Write a scenario in a foreign format (GENIUS XML: a domain and one profile per party)."""
    if format_name != "genius":
        raise AccordError(f"--format: unknown format '{format_name}' (formats: genius)")
    from accord.formats.genius_export import dump_genius

    scenario = load_any(source)
    output.mkdir(parents=True, exist_ok=True)
    for path in dump_genius(scenario, output):
        out.print(str(path))


@deferred.command(app, "simulate")
def simulate_command(
    file: Annotated[Path, typer.Argument(help=SOURCE_HELP)],
    protocol: Annotated[
        str,
        typer.Option("--protocol", help="alternating, single-text, parallel-blocks or shuttle."),
    ] = "alternating",
    strategy: Annotated[
        list[str] | None,
        typer.Option("--strategy", help="PARTY=NAME (repeatable); others get defaults."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the run's randomness.")] = 0,
    deadline: Annotated[int, typer.Option("--deadline", help="Rounds allowed.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    trace_file: Annotated[
        Path | None, typer.Option("--trace", help="Write the trace as JSON Lines.")
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write a chart: .html (interactive, offline) or .png."),
    ] = None,
) -> None:
    """Run one negotiation with automated strategies and measure how it ended."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.table import Table

    from accord.negotiation.runner import simulate

    chosen = _assignments(strategy or [])
    if plot is not None and plot.suffix.lower() not in (".html", ".png"):
        raise AccordError(f"--plot: {plot}: expected a .html or .png file")
    scenario = load_any(file)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err.console,
        transient=True,
    ) as bar:
        task = bar.add_task(f"{protocol}, round", total=deadline)
        result = simulate(
            scenario,
            protocol,
            chosen,
            seed,
            deadline,
            progress=lambda round_: bar.update(task, completed=round_ + 1),
        )
    space = result.compiled.space
    if trace_file is not None:
        trace_file.write_text(result.trace.to_jsonl(space), encoding="utf-8")
    if plot is not None:
        from accord.negotiation.plot import write_plot

        write_plot(result, plot)
        # Said on stderr: with --json, stdout holds the JSON object alone.
        err.print(f"Chart: {plot}", markup=False, soft_wrap=True)
    metrics = result.metrics
    package = None if result.trace.agreement is None else space.package_dict(result.trace.agreement)
    if as_json:
        data = {
            "protocol": protocol,
            "seed": seed,
            "strategies": dict(result.assignments),
            "agreement": metrics.agreement,
            "package": package,
            "utilities": metrics.utilities,
            "rounds": metrics.rounds,
            "reason": result.trace.reason,
            "social_welfare": metrics.social_welfare,
            "distance_to_frontier": metrics.distance_to_frontier,
            "distance_to_nash": metrics.distance_to_nash,
            "minimum_gain": metrics.minimum_gain,
            "gini_of_gains": metrics.gini_of_gains,
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    title = "Agreement" if metrics.agreement else "No agreement"
    out.rule(f"[bold]{protocol}, seed {seed}: {title} after {_count(metrics.rounds, 'round')}")
    if not metrics.agreement and result.trace.reason:
        out.print(f"[dim]({result.trace.reason})[/]")
    table = Table()
    for column in ("party", "strategy", "utility"):
        table.add_column(column)
    strategies = dict(result.assignments)
    for party, value in metrics.utilities.items():
        table.add_row(party, strategies.get(party, "—"), _number(value))
    out.print(table)
    if package is not None:
        out.print(
            "Package: " + ", ".join(f"{issue} = {option}" for issue, option in package.items())
        )
    distances = []
    if metrics.distance_to_frontier is not None:
        distances.append(f"distance to the frontier {metrics.distance_to_frontier:.3f}")
    if metrics.distance_to_nash is not None:
        distances.append(f"to the Nash point {metrics.distance_to_nash:.3f}")
    out.print(
        f"Social welfare {metrics.social_welfare:.3f}; smallest gain {metrics.minimum_gain:.3f}; "
        f"Gini of gains {metrics.gini_of_gains:.3f}"
        + (f"; {', '.join(distances)}" if distances else "")
    )


def _assignments(pairs: list[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for pair in pairs:
        party, equals, name = pair.partition("=")
        if not equals or not party or not name:
            raise AccordError(f"--strategy: expected PARTY=NAME, got '{pair}'")
        chosen[party] = name
    return chosen


deferred.add(
    app,
    "robustness",
    "accord.robustness.command:robustness_command",
    "How robust the answer is: deal probability, Nash packages and blockers over profiles.",
)
deferred.add(
    app,
    "improve",
    "accord.commands.improve:improve_command",
    "Post-settlement improvement: packages every voter weakly prefers, one strictly.",
)
deferred.add(
    app,
    "adjusted-winner",
    "accord.commands.adjusted_winner:adjusted_winner_command",
    "Adjusted Winner: 100 points each, one point split; envy-free, equitable, efficient.",
)
deferred.add(
    app,
    "coalitions",
    "accord.commands.coalitions:coalitions_command",
    "Deals without the blocker: which coalitions can agree, on what, and who is left out.",
)
deferred.add(
    app,
    "agenda",
    "accord.commands.agenda:agenda_command",
    "Agenda design: link or separate blocks, drop a point, add an option, seat or unseat a party.",
)
deferred.add(
    app,
    "serve",
    "accord.web.serve:serve_command",
    "Start the dashboard and API; on first start load the example, print a mediator login.",
)
deferred.add(
    app,
    "tournament",
    "accord.tournament.command:tournament_command",
    "Run every strategy against every other, in every role, on every scenario.",
)


@deferred.command(app, "backup")
def backup_command(
    target: Annotated[Path, typer.Argument(help="SQLite file to write the copy into.")],
    db: Annotated[
        Path,
        typer.Option(
            "--db", help="SQLite file of the ledger (ignored if ACCORD_DATABASE_URL is set)."
        ),
    ] = Path("accord.db"),
) -> None:
    """Copy the ledger consistently, even while accord serve runs (PostgreSQL: use pg_dump)."""
    from accord.ledger.backup import backup_ledger

    report = backup_ledger(target, db_path=db)
    out.print(
        f"{report.source} -> {report.target}: {_count(report.negotiation_count, 'negotiation')}, "
        f"{report.size_bytes:,} bytes, integrity checked",
        markup=False,
        soft_wrap=True,
    )


@deferred.command(app)
def schema() -> None:
    """Print the JSON Schema of scenario files."""
    from accord.scenario.model import Scenario

    sys.stdout.write(json.dumps(Scenario.model_json_schema(), indent=2) + "\n")


def _with_required(scenario: Scenario, party_ids: list[str], file: Path) -> Scenario:
    known = [p.id for p in scenario.parties]
    unknown = [p for p in party_ids if p not in known]
    if unknown:
        raise AccordError(
            f"--require: unknown party '{unknown[0]}' in {file} (parties: {', '.join(known)})"
        )
    if not party_ids:
        return scenario
    required = scenario.with_required(tuple(party_ids))
    lacking = [p.id for p in required.parties if p.id in party_ids and p.preferences is None]
    if lacking:
        raise AccordError(f"--require: party '{lacking[0]}' in {file} has no preferences")
    return required


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _number(value: float) -> str:
    return f"{value:.3f}"


def _render(scenario: Scenario, result: Analysis, frontier_points: bool) -> None:
    from rich.table import Table

    compiled = result.compiled
    data = result.to_dict(frontier_points)
    title = scenario.title or scenario.id
    if result.block_id is not None:
        title += f" — block {result.block_id} ({result.held})"
    out.rule(f"[bold]{title}")
    count = compiled.space.outcome_count
    out.print(
        f"{compiled.space.issue_count} issues, {count:,} packages ({count:.2e}); "
        f"disagreement point: {data['disagreement']}"
    )
    if data.get("uncertain_preferences"):
        out.print(
            "[bold]Uncertain preferences:[/] this is the analysis of the nominal profile "
            "(midpoints of ranges, means of distributions); run accord robustness to see "
            "how the answer varies."
        )
    parties = Table(title="Parties", title_justify="left")
    # In a block view the disagreement point is the block's, not the whole package's.
    threshold = "reservation" if result.block_id is None else "disagreement"
    for column in ("party", "role", "consent", threshold):
        parties.add_column(column)
    voters = set(data["voters"])
    for party in scenario.parties:
        if party.preferences is None:
            consent = threshold_text = "—"
        else:
            if party.id in data["required"]:
                consent = "required"
            else:
                consent = "counts" if party.id in voters else "not needed"
            index = compiled.party_index(party.id)
            threshold_text = f"{compiled.reservation[index]:.3g}"
        parties.add_row(party.display_name, party.role, consent, threshold_text)
    out.print(parties)
    if result.is_feasible:
        out.print(
            "[bold green]A deal exists:[/] some package is acceptable to every party "
            "the rule needs."
        )
        if data["feasible_count"] is not None:
            out.print(
                f"{_count(data['feasible_count'], 'package')} feasible, "
                f"{data['unanimous_count']:,} of them acceptable to every voter."
            )
        else:
            out.print(f"[dim](feasible packages not counted: {data['count_note']})[/]")
    else:
        out.print("[bold red]No package is feasible.[/]")
        _render_blockers(data)
    if result.is_feasible:
        _render_solutions(scenario, result)
    frontier = data["frontier"]
    if frontier["size"] == 0:
        out.print("Pareto frontier: empty (no package is feasible).")
    elif frontier["exact"] and frontier["size"] is None:
        out.print(
            f"Pareto frontier: {_count(frontier['point_count'], 'point')}, exact "
            f"({frontier['note']})."
        )
    elif frontier["exact"]:
        out.print(
            f"Pareto frontier: {_count(frontier['size'], 'package')} "
            f"({_count(frontier['point_count'], 'point')}), exact."
        )
    elif frontier["epsilon"] is not None:
        out.print(
            f"Pareto frontier: {_count(frontier['point_count'], 'point')}, approximate "
            f"(within ε = {frontier['epsilon']:.2g} per party; {frontier['note']})."
        )
    elif frontier["point_count"]:
        out.print(
            f"Pareto frontier: {_count(frontier['point_count'], 'point')} found, incomplete "
            f"({frontier['note']})."
        )
    else:
        out.print(f"Pareto frontier: not computed ({frontier['note']}).")
    if result.block_id is None and compiled.blocks:
        _render_blocks(data)
        _render_linkage(data)
    _render_opposition(scenario, data)


def _render_blockers(data: dict[str, Any]) -> None:
    conflict = data["blockers"]
    if conflict:
        names = "; ".join(f"{c['party_name']}: {c['label']}" for c in conflict)
        joined = "cannot all hold together" if len(conflict) > 1 else "cannot hold"
        out.print(f"Blocked: these conditions {joined}: {names}.")
    relaxations = data["relaxations"]
    if relaxations:
        size = len(relaxations[0]["relax"])
        plural = "condition" if size == 1 else "conditions"
        listed = "" if data["relaxations_complete"] else f" (the first {len(relaxations)} of more)"
        either = "Either" if len(relaxations) > 1 else "Namely"
        out.print(f"Smallest change that unblocks it: relax {size} {plural}{listed}. {either}:")
        for relaxation in relaxations:
            what = " and ".join(f"{c['party_name']}: {c['label']}" for c in relaxation["relax"])
            opened = relaxation["opens"]
            utilities = ", ".join(f"{p} {_number(u)}" for p, u in opened["utilities"].items())
            out.print(f"  • relax [bold]{what}[/] → opens a package worth {utilities}")
            shortfall = relaxation["reservation_shortfall"]
            for party, amount in shortfall.items():
                out.print(
                    f"    ({party} would accept {_number(amount)} below its reservation value)"
                )


def _render_solutions(scenario: Scenario, result: Analysis) -> None:
    from rich.table import Table

    from accord.analysis.fairness import fairness
    from accord.analysis.report import SOLUTION_NAMES

    compiled = result.compiled
    table = Table(title="Bargaining solutions: utilities", title_justify="left")
    table.add_column("solution")
    for party_id in compiled.party_ids:
        table.add_column(party_id, justify="right")
    fair = Table(title="Fairness of the voters' gains", title_justify="left")
    for column in ("solution", "min gain", "Gini", "gap"):
        fair.add_column(column, justify="left" if column == "solution" else "right")
    for name in SOLUTION_NAMES:
        outcome = result.solutions[name]
        if outcome is None:
            table.add_row(SOLUTION_TITLES[name], *["—"] * compiled.party_count)
            fair.add_row(SOLUTION_TITLES[name], "—", "—", "—")
        else:
            table.add_row(SOLUTION_TITLES[name], *[_number(u) for u in outcome.utilities])
            measures = fairness(compiled, outcome.utilities)
            fair.add_row(
                SOLUTION_TITLES[name],
                *[
                    _number(v)
                    for v in (
                        measures.minimum_gain,
                        measures.gini_of_gains,
                        measures.equitability_gap,
                    )
                ],
            )
    out.print(table)
    out.print(fair)
    groups: list[tuple[str, list[int]]] = [
        (title or identifier, list(issues)) for identifier, title, issues in compiled.blocks
    ]
    placed = {i for _, issues in groups for i in issues}
    rest = [i for i in range(compiled.space.issue_count) if i not in placed]
    if rest or not groups:
        groups.append(("Issues" if not groups else "Other issues", rest))
    labels = {
        (issue.id, option.id): option.label or option.id
        for issue in scenario.issues
        for option in issue.options
    }
    for title, issues in groups:
        table = Table(title=title, title_justify="left")
        table.add_column("issue")
        for name in SOLUTION_NAMES:
            table.add_column(SOLUTION_TITLES[name])
        for issue in issues:
            issue_id = compiled.space.issue_ids[issue]
            row = [compiled.issue_titles[issue] or issue_id]
            for name in SOLUTION_NAMES:
                outcome = result.solutions[name]
                if outcome is None:
                    row.append("—")
                else:
                    option = compiled.space.option_ids[issue][int(outcome.package[issue])]
                    row.append(labels.get((issue_id, option), option))
            table.add_row(*row)
        out.print(table)


def _render_blocks(data: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title="Each block on its own", title_justify="left")
    for column in ("block", "packages", "deal", "frontier", "Nash utilities"):
        table.add_column(column)
    for block in data["blocks"]:
        nash_outcome = block["solutions"]["nash"]
        utilities = (
            ", ".join(f"{p} {_number(u)}" for p, u in nash_outcome["utilities"].items())
            if nash_outcome
            else "—"
        )
        size = block["frontier"]["size"]
        table.add_row(
            block["title"] or block["block"],
            f"{block['outcome_count']:,}",
            "yes" if block["feasible"] else "no",
            "—" if size is None else f"{size:,}",
            utilities,
        )
    out.print(table)
    if data["blocks"]:
        out.print(f"[dim]({data['blocks'][0]['held']})[/]")


def _render_linkage(data: dict[str, Any]) -> None:
    from rich.table import Table

    link = data["linkage"]
    if link["gains"] is None:
        out.print(f"Linkage: not available ({link['reason']}).")
        return
    out.print("Linkage: each party's gain from settling the blocks as one package")
    if link["basis"] != "as given":
        out.print(f"[dim]({link['basis']})[/]")
    table = Table()
    for column in ("party", "blocks settled separately", "linked package", "gain"):
        table.add_column(column, justify="right")
    for party, gain in link["gains"].items():
        table.add_row(
            party,
            _number(link["separate"]["utilities"][party]),
            _number(link["linked"]["utilities"][party]),
            f"{gain:+.3f}",
        )
    out.print(table)
    if not link["separate_feasible"]:
        out.print("[dim](the block-by-block package is not acceptable to every required party)[/]")


def _render_opposition(scenario: Scenario, data: dict[str, Any]) -> None:
    ranked = sorted(data["opposition"].items(), key=lambda item: -item[1])[:5]
    titles = {issue.id: issue.title or issue.id for issue in scenario.issues}
    text = "; ".join(f"{titles[issue]} {value:.2f}" for issue, value in ranked)
    out.print(
        "Most opposed points (0 = one option suits all, 1 = every option is someone's "
        f"worst): {text}"
    )


def main() -> None:
    """Entry point: every error a user can act on becomes one line on stderr, exit code 2."""
    try:
        with command_process():
            app()
    except ScenarioError as error:
        for problem in error.problems:
            err.print(problem.render(), markup=False, soft_wrap=True)
        sys.exit(2)
    except AccordError as error:
        err.print(f"error: {error}", markup=False, soft_wrap=True)
        sys.exit(2)
    except Exception as error:  # a bug, not bad input: one line, the traceback on request
        if os.environ.get("ACCORD_DEBUG"):
            raise
        err.print(
            f"internal error: {type(error).__name__}: {error} (set ACCORD_DEBUG=1 for details)",
            markup=False,
            soft_wrap=True,
        )
        sys.exit(70)
