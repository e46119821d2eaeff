"""``accord agenda``: how regrouping blocks, dropping points or seating parties changes
the zone of agreement, ranked."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.commands.common import by_party, out, outcome_data, parse_package_text, print_json
from accord.errors import AccordError, AnalysisError

if TYPE_CHECKING:
    from accord.analysis.agenda import Agenda
    from accord.analysis.compiled import CompiledScenario
    from accord.analysis.seat import Survivors
    from accord.analysis.space import FloatArray


def agenda_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON) or a folder.")],
    max_changes: Annotated[
        int, typer.Option("--max-changes", help="Analyse at most this many changes.")
    ] = 60,
    add_option: Annotated[
        list[str] | None,
        typer.Option(
            "--add-option",
            help="Try a new option: ISSUE=OPTION:PARTY=VALUE,... with a value for every party "
            "with preferences, on its own scale for that point (repeatable).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Agenda design: link or separate blocks, drop a point, add an option, seat or unseat a
    party."""
    from accord.analysis.added_option import compromise_options, given_option
    from accord.analysis.agenda import agenda
    from accord.analysis.compiled import compile_scenario
    from accord.formats.detect import load_any

    if max_changes < 1:
        raise AccordError(f"--max-changes: expected at least 1, got {max_changes}")
    scenario = load_any(file)
    compiled = compile_scenario(scenario)
    added = compromise_options(scenario)
    for text in add_option or []:
        issue, option, values = parse_added_option(text)
        try:
            added.append(given_option(scenario, issue, option, values))
        except AnalysisError as error:
            raise AccordError(f"--add-option {text}: {error}") from None
    data = agenda_data(compiled, agenda(compiled, max_changes, added))
    if as_json:
        print_json(data)
        return
    _render(compiled, data)


def parse_added_option(text: str) -> tuple[str, str, dict[str, float]]:
    """``ISSUE=OPTION:PARTY=VALUE,PARTY=VALUE`` as its parts; an error says what is wrong."""
    head, colon, rest = text.partition(":")
    issue, equals, option = head.partition("=")
    if not colon or not equals or not issue.strip() or not option.strip():
        raise AccordError(
            f"--add-option: expected ISSUE=OPTION:PARTY=VALUE,PARTY=VALUE, got '{text}'"
        )
    values: dict[str, float] = {}
    for party, picked in parse_package_text(rest, "--add-option").items():
        try:
            values[party] = float(picked)
        except ValueError:
            raise AccordError(
                f"--add-option: the value for '{party}' must be a number, got '{picked}'"
            ) from None
        if not math.isfinite(values[party]):
            raise AccordError(f"--add-option: the value for '{party}' must be finite")
    return issue.strip(), option.strip(), values


def agenda_data(compiled: CompiledScenario, result: Agenda) -> dict[str, Any]:
    """The JSON form, best change first; shared with the web page."""
    return {
        "scenario": compiled.scenario_id,
        "today": outcome_data(compiled, result.today),
        "changes": [
            {
                "rank": rank,
                "kind": change.kind,
                "label": change.label,
                "groups": [list(group) for group in change.groups],
                "deal": change.deal,
                "opens_deal": change.opens_deal,
                "nash": outcome_data(
                    change.added.compiled if change.added else compiled, change.outcome
                ),
                "assumption": change.added.assumption if change.added else "",
                "gains": by_party(compiled, change.gains),
                "least_gain": change.least_gain,
                "survivors": survivors_data(compiled, change.survivors),
            }
            for rank, change in enumerate(result.changes, start=1)
        ],
        "candidate_count": result.candidate_count,
        "analysed": len(result.changes),
        "cut": result.cut,
        "note": (
            f"{result.candidate_count - len(result.changes):,} of {result.candidate_count:,} "
            f"candidate changes were not analysed (--max-changes {result.max_changes})"
            if result.cut
            else ""
        ),
    }


def survivors_data(compiled: CompiledScenario, kept: Survivors | None) -> dict[str, Any] | None:
    """What survives of today's packages when a party is seated (its consent required)."""
    if kept is None:
        return None
    voters = [int(p) for p in compiled.voter_indices]

    def known(values: FloatArray) -> dict[str, float | None]:
        return {
            compiled.party_ids[p]: None if math.isnan(values[p]) else float(values[p])
            for p in voters
        }

    return {
        "party": compiled.party_ids[kept.party],
        "nash_survives": kept.nash_survives,
        "frontier_points": kept.frontier_points,
        "surviving_points": kept.surviving_points,
        "best": [outcome_data(compiled, outcome) for outcome in kept.best],
        "best_today": known(kept.best_today),
        "best_surviving": known(kept.best_surviving),
        "cost": known(kept.cost),
        "reason": kept.reason,
    }


def _survivors_text(kept: dict[str, Any]) -> str:
    party = kept["party"]
    if kept["nash_survives"] is None:
        head = f"Seating {party}: no deal today, so no package of today's survives"
    else:
        head = f"Seating {party}: today's Nash package " + (
            "survives" if kept["nash_survives"] else f"does not survive ({party} rejects it)"
        )
        if kept["frontier_points"] is None:
            head += f"; frontier points not counted: {kept['reason']}"
        else:
            head += (
                f"; {kept['surviving_points']:,} of today's {kept['frontier_points']:,} "
                "frontier points survive"
            )
            best = kept["best"]
            if best:
                shown = "; ".join(
                    ", ".join(f"{p} {u:.3f}" for p, u in b["utilities"].items()) for b in best
                )
                head += f" (best by Nash product: {shown})"
    costs = ", ".join(
        f"{p} {c:+.3f}" if c is not None else f"{p} (nothing survives)"
        for p, c in kept["cost"].items()
    )
    return head + f". What its consent costs each party's best deal: {costs}."


def _render(compiled: CompiledScenario, data: dict[str, Any]) -> None:
    from rich.table import Table

    if data["today"] is None:
        out.print("Today: [red]no deal[/]; gains are measured from the reservation values.")
    else:
        today = ", ".join(f"{p} {u:.3f}" for p, u in data["today"]["utilities"].items())
        out.print(f"Today: a deal; the Nash package is worth {today}.")
    table = Table(title="Agenda changes, best first", title_justify="left")
    for column in ("#", "change", "deal", "least gain"):
        table.add_column(column, justify="right" if column in ("#", "least gain") else "left")
    for party in compiled.party_ids:
        table.add_column(f"{party} ±", justify="right")
    for change in data["changes"]:
        deal = (
            "[bold green]opens[/]" if change["opens_deal"] else ("yes" if change["deal"] else "no")
        )
        table.add_row(
            str(change["rank"]),
            change["label"],
            deal,
            f"{change['least_gain']:+.3f}",
            *[f"{change['gains'][p]:+.3f}" for p in compiled.party_ids],
        )
    out.print(table)
    for change in data["changes"]:
        if change["survivors"] is not None:
            out.print(_survivors_text(change["survivors"]))
        if change["assumption"]:
            out.print(f"#{change['rank']} ({change['label']}): {change['assumption']}.")
    if data["cut"]:
        out.print(f"[yellow]Cut:[/] {data['note']}.")
