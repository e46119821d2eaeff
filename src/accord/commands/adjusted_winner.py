"""``accord adjusted-winner``: Brams & Taylor's two-party division, its checks and package."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.commands.common import out, outcome_data, print_json
from accord.errors import AccordError, AnalysisError

if TYPE_CHECKING:
    from accord.analysis.adjusted_winner import AdjustedWinner, Division
    from accord.analysis.compiled import CompiledScenario


def adjusted_winner_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON) or a folder.")],
    indivisible: Annotated[
        list[str] | None,
        typer.Option("--indivisible", help="An issue that cannot be split (repeatable)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Adjusted Winner: 100 points each, one point split; envy-free, equitable, efficient."""
    from accord.analysis.adjusted_winner import adjusted_winner
    from accord.analysis.compiled import compile_scenario
    from accord.formats.detect import load_any

    compiled = compile_scenario(load_any(file))
    try:
        result = adjusted_winner(compiled, tuple(indivisible or ()))
    except AnalysisError as error:
        raise AccordError(f"{file}: {error}") from None
    data = adjusted_winner_data(compiled, result)
    if as_json:
        print_json(data)
        return
    _render(compiled, result, data)


def _fraction(value: Fraction) -> dict[str, Any]:
    return {"value": float(value), "exact": str(value)}


def _checks(division: Division) -> dict[str, bool]:
    return {
        "envy_free": division.envy_free,
        "equitable": division.equitable,
        "efficient": division.efficient,
    }


def adjusted_winner_data(compiled: CompiledScenario, result: AdjustedWinner) -> dict[str, Any]:
    """The JSON form (ids, exact fractions as strings beside floats), shared with the web."""
    space = compiled.space
    table, division = result.table, result.division
    first, second = (compiled.party_ids[p] for p in table.parties)
    points = []
    for item, issue in enumerate(table.issues):
        share = division.first_share[item]
        options = table.favourites[item]
        points.append(
            {
                "issue": space.issue_ids[issue],
                "options": {
                    first: space.option_ids[issue][options[0]],
                    second: space.option_ids[issue][options[1]],
                },
                "points": {
                    first: _fraction(table.first[item]),
                    second: _fraction(table.second[item]),
                },
                "share": {first: _fraction(share), second: _fraction(1 - share)},
            }
        )
    split = None
    if division.split_item is not None:
        item = division.split_item
        split = {
            "issue": space.issue_ids[table.issues[item]],
            "share": {
                first: _fraction(division.first_share[item]),
                second: _fraction(1 - division.first_share[item]),
            },
            "divisible": result.divisible,
        }
    package = outcome_data(compiled, _outcome(compiled, result))
    crossed = compiled.crossed_red_lines(result.package)[:, 0]
    return {
        "scenario": compiled.scenario_id,
        "parties": [first, second],
        "points": points,
        "agreed": {space.issue_ids[i]: space.option_ids[i][o] for i, o in table.agreed},
        "totals": {
            first: _fraction(division.first_points),
            second: _fraction(division.second_points),
        },
        "split": split,
        "checks": _checks(division),
        "package": package,
        "package_totals": {
            first: _fraction(result.rounded.first_points),
            second: _fraction(result.rounded.second_points),
        },
        "package_checks": _checks(result.rounded),
        "red_lines_crossed": [
            {"party": compiled.party_ids[red_line.party], "label": red_line.label}
            for red_line, hit in zip(compiled.red_lines, crossed, strict=True)
            if hit and red_line.party in table.parties
        ],
        "below_reservation": [
            compiled.party_ids[p]
            for p in table.parties
            if compiled.utilities(result.package)[p] < compiled.reservation[p] - 1e-9
        ],
    }


def _outcome(compiled: CompiledScenario, result: AdjustedWinner) -> Any:
    from accord.analysis.solutions import outcome_of

    return outcome_of(compiled, result.package)


def _mark(value: bool) -> str:
    return "[green]yes[/]" if value else "[red]no[/]"


def _render(compiled: CompiledScenario, result: AdjustedWinner, data: dict[str, Any]) -> None:
    from rich.table import Table

    first, second = data["parties"]
    table = Table(title="Adjusted Winner: 100 points each", title_justify="left")
    for column in ("point", f"{first} points", f"{second} points", "goes to"):
        table.add_column(column, justify="left" if column in ("point", "goes to") else "right")
    for row in data["points"]:
        share = row["share"]
        if share[first]["value"] == 1:
            winner = f"{first} ({row['options'][first]})"
        elif share[second]["value"] == 1:
            winner = f"{second} ({row['options'][second]})"
        else:
            parts = f"{first} {share[first]['exact']}, {second} {share[second]['exact']}"
            winner = f"[bold]split: {parts}[/]"
        table.add_row(
            row["issue"], row["points"][first]["exact"], row["points"][second]["exact"], winner
        )
    out.print(table)
    if data["agreed"]:
        agreed = ", ".join(f"{issue} = {option}" for issue, option in data["agreed"].items())
        out.print(f"Both prefer the same option (not contested): {agreed}.")
    totals = data["totals"]
    checks = data["checks"]
    out.print(
        f"Totals: {first} {totals[first]['exact']}, {second} {totals[second]['exact']} points. "
        f"Envy-free {_mark(checks['envy_free'])}, equitable {_mark(checks['equitable'])}, "
        f"efficient {_mark(checks['efficient'])}."
    )
    if data["split"] is not None and not data["split"]["divisible"]:
        totals = data["package_totals"]
        checks = data["package_checks"]
        out.print(
            f"{data['split']['issue']} cannot be split: it goes to its larger holder, "
            f"{first} {totals[first]['exact']}, {second} {totals[second]['exact']} points; "
            f"envy-free {_mark(checks['envy_free'])}, equitable {_mark(checks['equitable'])}, "
            f"efficient {_mark(checks['efficient'])}."
        )
    for crossed in data["red_lines_crossed"]:
        out.print(f"[red]The package crosses {crossed['party']}'s red line:[/] {crossed['label']}.")
    for party in data["below_reservation"]:
        out.print(f"[red]The package is below {party}'s reservation value.[/]")
