"""``accord improve``: packages every voter likes at least as well as a given one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.commands.common import (
    changes_data,
    number,
    out,
    outcome_data,
    parse_package_text,
    print_json,
    utilities_text,
)
from accord.errors import AccordError, AnalysisError

if TYPE_CHECKING:
    from accord.analysis.compiled import CompiledScenario
    from accord.analysis.improve import Improvement, Improvements


def improve_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON) or a folder.")],
    package: Annotated[
        str, typer.Option("--package", help='The package: "issue=option,issue=option,…".')
    ],
    limit: Annotated[
        int, typer.Option("--limit", help="How many Pareto-optimal improvements to list.")
    ] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Post-settlement improvement: packages every voter weakly prefers, one strictly."""
    from accord.analysis.compiled import compile_scenario
    from accord.analysis.improve import improve, package_of
    from accord.formats.detect import load_any

    if limit < 1:
        raise AccordError(f"--limit: expected at least 1, got {limit}")
    compiled = compile_scenario(load_any(file))
    try:
        chosen = package_of(compiled, parse_package_text(package))
    except AnalysisError as error:
        raise AccordError(f"--package: {error} in {file}") from None
    result = improve(compiled, chosen, limit)
    data = improvements_data(compiled, result)
    if as_json:
        print_json(data)
        return
    _render(compiled, result)


def improvements_data(compiled: CompiledScenario, result: Improvements) -> dict[str, Any]:
    """The JSON form (ids, not indices), shared with the web page."""

    def one(item: Improvement) -> dict[str, Any]:
        data = outcome_data(compiled, item.outcome)
        assert data is not None
        data["changed"] = changes_data(compiled, result.package.package, item.outcome.package)
        return data

    return {
        "scenario": compiled.scenario_id,
        "voters": [compiled.party_ids[p] for p in compiled.voter_indices],
        "package": outcome_data(compiled, result.package),
        "package_feasible": result.package_feasible,
        "is_pareto_optimal": result.is_pareto_optimal,
        "nearest": None if result.nearest is None else one(result.nearest),
        "improvements": [one(item) for item in result.pareto_improvements],
        "improvement_count": result.pareto_count,
        "exact": result.exact,
        "note": result.reason,
    }


def _render(compiled: CompiledScenario, result: Improvements) -> None:
    from rich.table import Table

    given = utilities_text(compiled, result.package.utilities, voters_only=True)
    feasible = "feasible" if result.package_feasible else "[red]not feasible[/] under the rule"
    out.print(f"The package is {feasible}; voters' utilities: {given}.")
    if result.is_pareto_optimal:
        qualifier = (
            "among feasible packages" if result.package_feasible else "by any feasible package"
        )
        what = "already Pareto-optimal" if result.package_feasible else "not dominated"
        out.print(f"[bold]It is {what} {qualifier}:[/] no improvement exists.")
        return
    assert result.nearest is not None
    nearest = utilities_text(compiled, result.nearest.outcome.utilities, True)
    out.print(
        f"[bold green]It can be improved.[/] Nearest improvement: change "
        f"{len(result.nearest.changed)} point(s) → {nearest}"
    )
    for change in changes_data(compiled, result.package.package, result.nearest.outcome.package):
        out.print(f"  • {change['issue']}: {change['from']} → [bold]{change['to']}[/]")
    shown = len(result.pareto_improvements)
    if result.pareto_count is None:
        count, more = f"{shown} of an unlisted number", ""
    else:
        count = f"{result.pareto_count:,}"
        more = "" if shown == result.pareto_count else f" (the first {shown})"
    exact = "" if result.exact else f" [dim](approximate: {result.reason})[/]"
    table = Table(
        title=f"Pareto-optimal improvements: {count}{more}{exact}",
        title_justify="left",
    )
    table.add_column("points changed")
    for party in compiled.voter_indices:
        table.add_column(compiled.party_ids[party], justify="right")
    for item in result.pareto_improvements:
        changed = ", ".join(compiled.space.issue_ids[i] for i in item.changed)
        table.add_row(
            f"{len(item.changed)}: {changed}",
            *[number(float(item.outcome.utilities[p])) for p in compiled.voter_indices],
        )
    out.print(table)
