"""The dashboard's charts as plain data: plotly figure dicts and sentences.

Pure functions over the scenario, the stances the viewer may see and the core analysis;
the pages turn their results into HTML and JSON, the browser draws them with the bundled
plotly.js. Nothing here reads the database or knows who is looking: callers pass only the
rows and analysis the viewer is allowed to see (the mediator view is the only one given an
:class:`~accord.analysis.report.Analysis`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.report import Analysis
from accord.errors import AccordError
from accord.scenario.model import Block, Issue, Scenario

Stance = Literal["accepts", "rejects", "conditional", "unknown"]
STANCES: tuple[Stance, ...] = ("accepts", "conditional", "rejects", "unknown")

# One colour per stance, also used by the HTML table so both read the same.
STANCE_COLOURS: dict[Stance, str] = {
    "accepts": "#2e7d32",
    "conditional": "#f9a825",
    "rejects": "#c62828",
    "unknown": "#bdbdbd",
}
_STANCE_CODES: dict[Stance, int] = {"rejects": 0, "conditional": 1, "accepts": 2, "unknown": 3}


@dataclass(frozen=True)
class StanceCell:
    """One party's current stance on one point, as shown in the matrix."""

    stance: Stance
    condition: str = ""


@dataclass(frozen=True)
class ConsensusMatrix:
    """Parties × points of one block, each cell a stance (``unknown`` when none recorded)."""

    block_id: str
    block_title: str
    party_ids: tuple[str, ...]
    party_names: tuple[str, ...]
    issue_ids: tuple[str, ...]
    issue_titles: tuple[str, ...]
    cells: tuple[tuple[StanceCell, ...], ...]  # [party][issue]
    # Each point's number in the plan ("6"), its id where it has none: what people call it.
    issue_numbers: tuple[str, ...] = ()

    def count(self, stance: Stance) -> int:
        return sum(cell.stance == stance for row in self.cells for cell in row)


def stance_cell(stance: str, condition: str = "") -> StanceCell:
    """A matrix cell from a stored stance; anything unrecognised reads as ``unknown``."""
    for known in STANCES:
        if stance == known:
            return StanceCell(known, condition)
    return StanceCell("unknown")


@dataclass(frozen=True)
class Agenda:
    """The public part of a scenario the matrix needs: blocks and points, no preferences."""

    blocks: tuple[Block, ...]
    issues: tuple[Issue, ...]

    @classmethod
    def of(cls, scenario: Scenario) -> Agenda:
        return cls(scenario.blocks, scenario.issues)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Agenda:
        """From stored JSON: ``{"blocks": [...], "issues": [...]}``."""
        return cls(
            tuple(Block.model_validate(block) for block in data.get("blocks", ())),
            tuple(Issue.model_validate(issue) for issue in data["issues"]),
        )


def block_ids(agenda: Agenda) -> tuple[tuple[str, str], ...]:
    """Each block's id and title, plus ``("other", ...)`` for points in no block."""
    blocks = tuple((block.id, block.title or block.id) for block in agenda.blocks)
    if any(issue.block is None for issue in agenda.issues):
        blocks += (("other", "Points outside any block"),)
    return blocks


def consensus_matrix(
    agenda: Agenda,
    block_id: str,
    parties: Sequence[tuple[str, str]],
    stances: Mapping[tuple[str, str], StanceCell],
) -> ConsensusMatrix:
    """The matrix of ``block_id`` for the parties listed (the ones the viewer may see).

    ``parties`` are ``(id, display name)`` pairs; ``stances`` maps ``(party id, issue id)``
    to the current stance, and missing pairs are ``unknown``. ``block_id`` ``"other"``
    stands for the points that belong to no block.
    """
    titles = dict(block_ids(agenda))
    if block_id not in titles:
        raise AccordError(f"unknown block '{block_id}' (blocks: {', '.join(titles)})")
    wanted = None if block_id == "other" else block_id
    issues = [issue for issue in agenda.issues if issue.block == wanted]
    cells = tuple(
        tuple(stances.get((party_id, issue.id), StanceCell("unknown")) for issue in issues)
        for party_id, _ in parties
    )
    return ConsensusMatrix(
        block_id=block_id,
        block_title=titles[block_id],
        party_ids=tuple(party_id for party_id, _ in parties),
        party_names=tuple(name for _, name in parties),
        issue_ids=tuple(issue.id for issue in issues),
        issue_titles=tuple(issue.title or issue.id for issue in issues),
        cells=cells,
        issue_numbers=tuple(point_number(issue) for issue in issues),
    )


def point_number(issue: Issue) -> str:
    """The point's number in the plan, or its id where it has none."""
    return issue.id if issue.number is None else str(issue.number)


def point_label(issue: Issue) -> str:
    """``6. Security guarantees``: number and title, falling back to the id for either."""
    if issue.number is None:
        return issue.title or issue.id
    return f"{issue.number}. {issue.title or issue.id}"


def consensus_figure(matrix: ConsensusMatrix) -> dict[str, Any]:
    """A plotly heatmap of the matrix: one row per party, one column per point."""
    # A discrete colour scale: each stance code gets a flat band of its own colour.
    bands = len(_STANCE_CODES)
    colorscale: list[list[float | str]] = []
    for stance, code in sorted(_STANCE_CODES.items(), key=lambda item: item[1]):
        colorscale.append([code / bands, STANCE_COLOURS[stance]])
        colorscale.append([(code + 1) / bands, STANCE_COLOURS[stance]])
    numbers = matrix.issue_numbers or matrix.issue_ids
    text = [
        [cell.stance + (f": {cell.condition}" if cell.condition else "") for cell in row]
        for row in matrix.cells
    ]
    points = [
        f"{number}, {title}" for number, title in zip(numbers, matrix.issue_titles, strict=True)
    ]
    return {
        "data": [
            {
                "type": "heatmap",
                "z": [[_STANCE_CODES[cell.stance] for cell in row] for row in matrix.cells],
                # Columns by position, labelled with the point numbers (a number and another
                # point's id could read alike; positions cannot clash).
                "x": list(range(len(numbers))),
                "y": list(matrix.party_names),
                "text": text,
                "customdata": [points for _ in matrix.cells],
                "hovertemplate": "%{y} on point %{customdata}: %{text}<extra></extra>",
                "zmin": 0,
                "zmax": bands,
                "colorscale": colorscale,
                "showscale": False,
                "xgap": 2,
                "ygap": 2,
            }
        ],
        "layout": {
            "margin": {"l": 140, "r": 10, "t": 10, "b": 90},
            "height": 110 + 36 * len(matrix.party_ids),
            "yaxis": {"autorange": "reversed"},
            "xaxis": {
                "tickmode": "array",
                "tickvals": list(range(len(numbers))),
                "ticktext": list(numbers),
                "title": {"text": "point"},
            },
        },
    }


@dataclass(frozen=True)
class DraftPosition:
    """The current draft seen against the analysis (mediator only: it uses every utility)."""

    party_ids: tuple[str, ...]
    party_names: tuple[str, ...]
    draft: tuple[float, ...]
    reservation: tuple[float, ...]
    reference: tuple[float, ...] | None
    reference_name: str
    accepts: tuple[bool, ...]
    crossed: tuple[str, ...]  # "Party: red line" for every red line the draft crosses
    held: tuple[str, ...]  # points the draft leaves open, held at their status quo
    dominated_by_frontier: bool | None  # None when the frontier is not exact or is empty


def draft_position(analysis: Analysis, draft: Mapping[str, str]) -> DraftPosition:
    """Each party's utility of ``draft`` beside its reservation value and the Nash package.

    A partial draft is completed with the status quo of the points it leaves open; a point
    with no status quo cannot be valued, and that is an error naming it. When no package is
    feasible the reference is the package opened by the first minimum relaxation.
    """
    compiled = analysis.compiled
    package, held = draft_package(compiled, draft, "the draft cannot be valued")
    utilities = compiled.utilities(package)
    accepts = compiled.acceptance(package)[:, 0]
    crossed_rows = compiled.crossed_red_lines(package)[:, 0]
    crossed = tuple(
        f"{compiled.party_names[red_line.party]}: {red_line.label}"
        for red_line, hit in zip(compiled.red_lines, crossed_rows, strict=True)
        if hit
    )
    reference, name = _reference(analysis)
    return DraftPosition(
        party_ids=compiled.party_ids,
        party_names=compiled.party_names,
        draft=tuple(float(u) for u in utilities),
        reservation=tuple(float(r) for r in compiled.reservation),
        reference=reference,
        reference_name=name,
        accepts=tuple(bool(a) for a in accepts),
        crossed=crossed,
        held=tuple(held),
        dominated_by_frontier=_dominated(analysis, utilities),
    )


def _reference(analysis: Analysis) -> tuple[tuple[float, ...] | None, str]:
    nash = analysis.solutions.get("nash")
    if nash is not None:
        return tuple(float(u) for u in nash.utilities), "Nash package"
    if analysis.blockers is not None and analysis.blockers.relaxations:
        relaxation = analysis.blockers.relaxations[0]
        names = " and ".join(
            f"{analysis.compiled.party_names[c.party]}'s {_kind(c.kind)}"
            for c in relaxation.conditions
        )
        utilities = tuple(float(u) for u in relaxation.outcome.utilities)
        return utilities, f"best package once {names} is given up"
    return None, "no package is feasible"


def _dominated(analysis: Analysis, utilities: np.ndarray) -> bool | None:
    frontier = analysis.frontier
    if not frontier.exact or not len(frontier.packages):
        return None
    voters = analysis.compiled.voter_indices
    points = frontier.utilities[:, voters]
    mine = utilities[voters]
    better = (points >= mine - 1e-9).all(axis=1) & (points > mine + 1e-9).any(axis=1)
    return bool(better.any())


def _kind(kind: str) -> str:
    return "red line" if kind == "red_line" else "reservation value"


def draft_figure(position: DraftPosition) -> dict[str, Any]:
    """Grouped bars per party: the draft, the reference package, and the reservation value."""
    names = list(position.party_names)
    data: list[dict[str, Any]] = [
        {"type": "bar", "name": "current draft", "x": names, "y": list(position.draft)}
    ]
    if position.reference is not None:
        data.append(
            {
                "type": "bar",
                "name": position.reference_name,
                "x": names,
                "y": list(position.reference),
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": "reservation value",
            "x": names,
            "y": list(position.reservation),
            "marker": {"symbol": "line-ew-open", "size": 40, "line": {"width": 3}},
        }
    )
    return {
        "data": data,
        "layout": {
            "barmode": "group",
            "height": 340,
            "margin": {"l": 50, "r": 20, "t": 30, "b": 40},
            "yaxis": {"title": {"text": "utility (1 = the party's best package)"}},
            "legend": {"orientation": "h", "y": -0.15},
        },
    }


def frontier_figure(analysis: Analysis, position: DraftPosition) -> dict[str, Any] | None:
    """With two voters: the Pareto frontier in their utilities, the Nash package and the draft.

    None when a picture in two dimensions would not be the whole story: more or fewer than
    two voters, or a frontier that is empty or not known exactly.
    """
    compiled = analysis.compiled
    voters = [int(v) for v in compiled.voter_indices]
    frontier = analysis.frontier
    if len(voters) != 2 or not frontier.exact or not len(frontier.packages):
        return None
    first, second = voters
    order = np.argsort(frontier.utilities[:, first])
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Pareto frontier",
            "x": [float(u) for u in frontier.utilities[order, first]],
            "y": [float(u) for u in frontier.utilities[order, second]],
        }
    ]
    if position.reference is not None:
        data.append(_point(position.reference_name, position.reference, first, second, "star"))
    data.append(_point("current draft", position.draft, first, second, "diamond"))
    names = compiled.party_names
    return {
        "data": data,
        "layout": {
            "height": 380,
            "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
            "xaxis": {"title": {"text": f"{names[first]}'s utility"}},
            "yaxis": {"title": {"text": f"{names[second]}'s utility"}},
            "legend": {"orientation": "h", "y": -0.2},
        },
    }


def _point(
    name: str, utilities: Sequence[float], first: int, second: int, symbol: str
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [utilities[first]],
        "y": [utilities[second]],
        "marker": {"size": 14, "symbol": symbol},
    }


def blockers_in_words(analysis: Analysis) -> list[str]:
    """Why no deal is possible and what would open one, as sentences (mediator only)."""
    compiled = analysis.compiled
    blockers = analysis.blockers
    if analysis.is_feasible:
        return ["A package acceptable to every required party exists; nothing blocks a deal."]
    if blockers is None:
        return ["No package is acceptable to every required party."]
    conflict = [
        f"{compiled.party_names[c.party]}'s {_kind(c.kind)} “{c.label}”" for c in blockers.conflict
    ]
    sentences = [
        "No package is acceptable to every required party: "
        + _join(conflict)
        + {1: " cannot be met.", 2: " cannot both hold."}.get(len(conflict), " cannot all hold.")
    ]
    for relaxation in blockers.relaxations:
        given_up = _join(
            [
                f"{compiled.party_names[c.party]} gave up its {_kind(c.kind)} “{c.label}”"
                for c in relaxation.conditions
            ]
        )
        sentences.append(f"A deal becomes possible if {given_up}.")
    if not blockers.complete:
        sentences.append("There are more ways to open a deal than listed here.")
    return sentences


def stance_blockers(matrix: ConsensusMatrix) -> list[str]:
    """The points some visible party rejects or accepts only on a condition, in words."""
    sentences = []
    for column, issue_title in enumerate(matrix.issue_titles):
        rejecting = [
            name
            for name, row in zip(matrix.party_names, matrix.cells, strict=True)
            if row[column].stance == "rejects"
        ]
        conditional = [
            f"{name} ({row[column].condition or 'condition not stated'})"
            for name, row in zip(matrix.party_names, matrix.cells, strict=True)
            if row[column].stance == "conditional"
        ]
        if rejecting:
            sentences.append(f"{issue_title}: rejected by {_join(rejecting)}.")
        if conditional:
            sentences.append(f"{issue_title}: accepted on conditions by {_join(conditional)}.")
    return sentences


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def draft_package(
    compiled: CompiledScenario, draft: Mapping[str, str], without: str
) -> tuple[np.ndarray, list[str]]:
    """The package a draft stands for, and the points it leaves open (held at their status
    quo); ``without`` ends the error for an open point that has none."""
    space = compiled.space
    package = np.zeros(space.issue_count, dtype=np.int64)
    held: list[str] = []
    for index, issue_id in enumerate(space.issue_ids):
        option = draft.get(issue_id)
        if option is None:
            status_quo = compiled.status_quo[index]
            if status_quo is None:
                raise AccordError(
                    f"the draft leaves point '{issue_id}' open and it has no status quo, "
                    f"so {without}"
                )
            package[index] = status_quo
            held.append(issue_id)
        elif option not in space.option_ids[index]:
            raise AccordError(f"the draft picks unknown option '{option}' for '{issue_id}'")
        else:
            package[index] = space.option_ids[index].index(option)
    return package, held
