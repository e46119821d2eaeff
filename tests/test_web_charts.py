"""The dashboard's chart data: consensus matrix, draft against the analysis, blockers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.analysis.report import Analysis, analyze
from accord.errors import AccordError
from accord.scenario.loader import load_scenario, parse_scenario
from accord.scenario.model import Scenario
from accord.web.charts import (
    Agenda,
    StanceCell,
    block_ids,
    blockers_in_words,
    consensus_figure,
    consensus_matrix,
    draft_figure,
    draft_position,
    frontier_figure,
    stance_blockers,
    stance_cell,
)

PEACE_PLAN = Path(__file__).parents[1] / "examples" / "peace-plan-27.yaml"


@pytest.fixture(scope="module")
def peace_plan_analysis() -> tuple[Scenario, Analysis]:
    scenario = load_scenario(PEACE_PLAN)
    return scenario, analyze(scenario)


def test_matrix_lists_the_block_points_and_fills_unknown(small_text: str) -> None:
    scenario = parse_scenario(small_text, "small.yaml")
    matrix = consensus_matrix(
        Agenda.of(scenario),
        "other",
        [("p", "p"), ("q", "q")],
        {("p", "a"): StanceCell("accepts"), ("q", "c"): StanceCell("conditional", "if b2")},
    )
    assert matrix.issue_ids == ("a", "b", "c")
    assert [[cell.stance for cell in row] for row in matrix.cells] == [
        ["accepts", "unknown", "unknown"],
        ["unknown", "unknown", "conditional"],
    ]
    assert matrix.count("unknown") == 4
    figure = consensus_figure(matrix)
    heatmap = figure["data"][0]
    # Codes: rejects 0, conditional 1, accepts 2, unknown 3.
    assert heatmap["z"] == [[2, 3, 3], [3, 3, 1]]
    assert heatmap["text"][1][2] == "conditional: if b2"


def test_matrix_shows_only_the_parties_asked_for() -> None:
    scenario = load_scenario(PEACE_PLAN)
    stances = {("ru", "donetsk"): StanceCell("rejects"), ("ua", "donetsk"): StanceCell("accepts")}
    matrix = consensus_matrix(Agenda.of(scenario), "territory", [("ua", "Ukraine")], stances)
    assert matrix.party_ids == ("ua",)
    assert matrix.count("rejects") == 0
    assert "Russia" not in str(consensus_figure(matrix))


def test_unknown_block_is_an_error_naming_the_blocks() -> None:
    scenario = load_scenario(PEACE_PLAN)
    assert [b for b, _ in block_ids(Agenda.of(scenario))] == [
        "sovereignty-security",
        "territory",
        "economy",
        "european-security",
    ]
    with pytest.raises(AccordError, match=r"unknown block 'nowhere'.*territory"):
        consensus_matrix(Agenda.of(scenario), "nowhere", [("ru", "Russia")], {})


def test_stance_blockers_in_words() -> None:
    scenario = load_scenario(PEACE_PLAN)
    matrix = consensus_matrix(
        Agenda.of(scenario),
        "territory",
        [("ru", "Russia"), ("ua", "Ukraine")],
        {
            ("ua", "donetsk"): StanceCell("rejects"),
            ("ru", "donetsk"): StanceCell("conditional", "a ceasefire first"),
        },
    )
    assert stance_blockers(matrix) == [
        "The part of Donetsk region Ukraine holds (point 21): rejected by Ukraine.",
        "The part of Donetsk region Ukraine holds (point 21): accepted on conditions by "
        "Russia (a ceasefire first).",
    ]


def test_draft_position_on_a_feasible_scenario(small_text: str) -> None:
    scenario = parse_scenario(small_text, "small.yaml")
    analysis = analyze(scenario)
    nash = analysis.solutions["nash"]
    assert nash is not None
    package = {
        issue: analysis.compiled.space.option_ids[i][int(nash.package[i])]
        for i, issue in enumerate(analysis.compiled.space.issue_ids)
    }
    position = draft_position(analysis, package)
    assert position.reference_name == "Nash package"
    assert np.allclose(position.draft, nash.utilities)
    assert position.reference is not None and np.allclose(position.reference, position.draft)
    assert position.accepts == (True, True)
    assert position.dominated_by_frontier is False
    # a3 with c3 crosses p's red line; a1/b1/c1 is p's best and q's worst: dominated or not,
    # it is refused by q's reservation value.
    crossing = draft_position(analysis, {"a": "a3", "b": "b2", "c": "c3"})
    assert crossing.crossed == ("p: a = a3 and c = c3",)
    assert crossing.accepts[0] is False
    figure = draft_figure(position)
    assert [trace["name"] for trace in figure["data"]] == [
        "current draft",
        "Nash package",
        "reservation value",
    ]


def test_draft_position_without_a_deal_uses_the_relaxation(
    peace_plan_analysis: tuple[Scenario, Analysis],
) -> None:
    _, analysis = peace_plan_analysis
    position = draft_position(analysis, {"donetsk": "withdrawal"})
    assert position.reference_name == "best package once Russia's red line is given up"
    assert "Ukraine: no withdrawal from Donetsk" in position.crossed
    assert "donetsk" not in position.held and "sovereignty" in position.held
    assert position.dominated_by_frontier is None  # no feasible package: empty frontier


def test_draft_errors_name_the_point(small_text: str) -> None:
    analysis = analyze(parse_scenario(small_text, "small.yaml"))
    with pytest.raises(AccordError, match="point 'b' open and it has no status quo"):
        draft_position(analysis, {"a": "a1", "c": "c1"})
    with pytest.raises(AccordError, match="unknown option 'a9' for 'a'"):
        draft_position(analysis, {"a": "a9", "b": "b1", "c": "c1"})


def test_blockers_in_plain_words(
    peace_plan_analysis: tuple[Scenario, Analysis], small_text: str
) -> None:
    _, analysis = peace_plan_analysis
    assert blockers_in_words(analysis) == [
        "No package is acceptable to every required party: Russia's red line “Ukraine must "
        "withdraw from Donetsk” and Ukraine's red line “no withdrawal from Donetsk” cannot "
        "both hold.",
        "A deal becomes possible if Russia gave up its red line “Ukraine must withdraw from "
        "Donetsk”.",
        "A deal becomes possible if Ukraine gave up its red line “no withdrawal from Donetsk”.",
    ]
    feasible = analyze(parse_scenario(small_text, "small.yaml"))
    assert blockers_in_words(feasible) == [
        "A package acceptable to every required party exists; nothing blocks a deal."
    ]


def test_agenda_from_stored_json_matches_the_scenario() -> None:
    scenario = load_scenario(PEACE_PLAN)
    stored = scenario.model_dump(mode="json")
    assert Agenda.from_data(stored) == Agenda.of(scenario)


def test_stored_stance_text_becomes_a_cell() -> None:
    assert stance_cell("conditional", "if b2") == StanceCell("conditional", "if b2")
    assert stance_cell("something else", "x") == StanceCell("unknown")


def test_frontier_figure_with_two_voters(small_text: str) -> None:
    analysis = analyze(parse_scenario(small_text, "small.yaml"))
    position = draft_position(analysis, {"a": "a1", "b": "b1", "c": "c1"})
    figure = frontier_figure(analysis, position)
    assert figure is not None
    frontier, nash, draft = figure["data"]
    assert len(frontier["x"]) == analysis.frontier.point_count
    assert frontier["x"] == sorted(frontier["x"])
    assert (nash["name"], draft["name"]) == ("Nash package", "current draft")
    assert (draft["x"][0], draft["y"][0]) == position.draft


def test_no_frontier_figure_without_a_frontier(
    peace_plan_analysis: tuple[Scenario, Analysis],
) -> None:
    _, analysis = peace_plan_analysis
    position = draft_position(analysis, {"donetsk": "withdrawal"})
    assert frontier_figure(analysis, position) is None


def test_matrix_names_points_by_number_and_title_and_falls_back_to_the_id(
    small_text: str,
) -> None:
    scenario = parse_scenario(small_text, "small.yaml")
    numbered = scenario.model_copy(
        update={
            "issues": (
                scenario.issues[0].model_copy(update={"number": 6, "title": "Security"}),
                *scenario.issues[1:],
            )
        }
    )
    matrix = consensus_matrix(Agenda.of(numbered), "other", [("p", "p")], {})
    assert matrix.issue_numbers == ("6", "b", "c")
    assert matrix.issue_titles == ("Security", "b", "c")
    heatmap = consensus_figure(matrix)["data"][0]
    axis = consensus_figure(matrix)["layout"]["xaxis"]
    # Columns by position, labelled by number: an id that reads like a number cannot clash.
    assert heatmap["x"] == [0, 1, 2] and axis["ticktext"] == ["6", "b", "c"]
    assert heatmap["customdata"] == [["6, Security", "b, b", "c, c"]]
