"""``accord coalitions``: which groups of parties could settle among themselves."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.commands.common import number, out, outcome_data, print_json
from accord.errors import AccordError, AnalysisError

if TYPE_CHECKING:
    from accord.analysis.coalitions import Coalitions
    from accord.analysis.compiled import CompiledScenario


def coalitions_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON) or a folder.")],
    every_subset: Annotated[
        bool,
        typer.Option("--all", help="Every set of two or more parties, not only the rule's."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Deals without the blocker: which coalitions can agree, on what, and who is left out."""
    from accord.analysis.coalitions import coalitions
    from accord.analysis.compiled import compile_scenario
    from accord.formats.detect import load_any

    compiled = compile_scenario(load_any(file))
    try:
        result = coalitions(compiled, every_subset)
    except AnalysisError as error:
        raise AccordError(f"--all: {error} in {file}") from None
    data = coalitions_data(compiled, result)
    if as_json:
        print_json(data)
        return
    _render(compiled, data)


def coalitions_data(compiled: CompiledScenario, result: Coalitions) -> dict[str, Any]:
    """The JSON form (party ids), shared with the web page."""
    ids = compiled.party_ids
    rows = []
    for coalition in result.coalitions:
        rejected = []
        if coalition.nash is not None:
            for party in coalition.rejected_by:
                rejected.append(
                    {
                        "party": ids[party],
                        "utility": float(coalition.nash.utilities[party]),
                        "reservation": float(compiled.reservation[party]),
                    }
                )
        rows.append(
            {
                "members": [ids[p] for p in coalition.members],
                "feasible": coalition.feasible,
                "nash": outcome_data(compiled, coalition.nash),
                "note": coalition.note,
                "rejected_by": rejected,
                "smallest": coalition.smallest,
                "largest": coalition.largest,
            }
        )
    return {
        "scenario": compiled.scenario_id,
        "scope": "every subset" if result.every_subset else "the agreement rule",
        "coalitions": rows,
        "spoilers": [ids[p] for p in result.spoilers],
        "programs": result.programs,
    }


def _render(compiled: CompiledScenario, data: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(
        title=f"Coalitions ({data['scope']}): {len(data['coalitions'])}", title_justify="left"
    )
    for column in ("members", "deal", "Nash package: members' utilities", "left worse off", ""):
        table.add_column(column)
    for row in data["coalitions"]:
        nash = row["nash"]
        utilities = (
            ", ".join(f"{p} {number(nash['utilities'][p])}" for p in row["members"])
            if nash
            else ("—" if not row["feasible"] else row["note"])
        )
        rejected = ", ".join(
            f"{r['party']} ({number(r['utility'])} < {number(r['reservation'])})"
            if r["utility"] < r["reservation"]
            else f"{r['party']} (red line)"
            for r in row["rejected_by"]
        )
        marks = " ".join(
            mark for mark, on in (("smallest", row["smallest"]), ("largest", row["largest"])) if on
        )
        table.add_row(
            " + ".join(row["members"]),
            "[green]yes[/]" if row["feasible"] else "[red]no[/]",
            utilities,
            rejected or "—",
            marks,
        )
    out.print(table)
    if data["spoilers"]:
        out.print(
            f"[bold]Present in no coalition that can agree:[/] {', '.join(data['spoilers'])}."
        )
    if not any(row["feasible"] for row in data["coalitions"]):
        out.print(
            "No coalition examined can agree"
            + (
                ""
                if data["scope"] != "the agreement rule"
                else "; --all examines every set of parties"
            )
            + "."
        )
