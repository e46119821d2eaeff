"""LLM-Deliberation games: the authors' published counts, names from the text, bad input.

Counts are by brute force over every deal (720 to 2,880), through ``compiled.feasible``
and ``compiled.acceptance``: the published numbers are the oracle.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.report import analyze
from accord.errors import ScenarioError
from accord.formats.llm_games import load_llm_game
from accord.scenario.model import Scenario

DATA = Path(__file__).resolve().parents[2] / "shared" / "external" / "llm-deliberation"

# shared/external/README.md, "Published counts", from the authors' own repository.
PUBLISHED = [
    ("games_descriptions/base", 720, 55, 12),
    ("games_descriptions/base_rewritten", 720, 55, 12),
    ("games_descriptions/base_7players", 2880, 204, 52),
    ("games_descriptions/game1", 720, 57, 21),
    ("games_descriptions/game2", 720, 57, 18),
    ("derived/game3_old_code_notebook", 720, 57, 34),
    ("derived/base_difficult_17_2", 720, 17, 2),
    ("derived/base_difficult_30_4", 720, 30, 4),
]


@cache
def _game(relative: str) -> tuple[Scenario, CompiledScenario]:
    if not (DATA / "games_descriptions").is_dir():
        pytest.fail(
            f"LLM-Deliberation data not found at {DATA}: these tests need "
            "shared/external/llm-deliberation/ beside the project (see "
            "shared/external/README.md)",
            pytrace=False,
        )
    scenario = load_llm_game(DATA / relative)
    return scenario, compile_scenario(scenario)


def _counts(compiled: CompiledScenario) -> tuple[int, int, int]:
    deals = compiled.space.all_packages()
    feasible = compiled.feasible(deals)
    unanimous = compiled.acceptance(deals).all(axis=0)
    return len(deals), int(feasible.sum()), int((feasible & unanimous).sum())


@pytest.mark.parametrize(("game", "deals", "feasible", "unanimous"), PUBLISHED)
def test_published_counts(game: str, deals: int, feasible: int, unanimous: int) -> None:
    _, compiled = _game(game)
    assert compiled.space.outcome_count == deals
    assert _counts(compiled) == (deals, feasible, unanimous)


@pytest.mark.parametrize(("game", "deals", "feasible", "unanimous"), PUBLISHED)
def test_analysis_counts_without_listing(
    game: str, deals: int, feasible: int, unanimous: int
) -> None:
    """The analysis counts by dynamic programming over issues; it must agree."""
    scenario, _ = _game(game)
    data = analyze(scenario).to_dict()
    assert data["outcome_count"] == deals
    assert (data["feasible_count"], data["unanimous_count"]) == (feasible, unanimous)


def test_base_per_party_counts() -> None:
    _, compiled = _game("games_descriptions/base")
    deals = compiled.space.all_packages()
    feasible = compiled.feasible(deals)
    accepted = compiled.acceptance(deals)[:, feasible].sum(axis=1)
    assert dict(zip(compiled.party_names, accepted.tolist(), strict=True)) == {
        "SportCo": 55,
        "Department of Tourism": 55,
        "Other cities": 47,
        "Environmental League": 35,
        "Local Labour Union": 40,
        "Mayor": 55,
    }


def test_game3_on_main_is_the_later_revision() -> None:
    # The README: the main branch's game3 gives 55 / 35, not the published 57 / 34.
    _, compiled = _game("games_descriptions/game3")
    assert _counts(compiled) == (720, 55, 35)


def test_base_reads_parties_roles_and_rule() -> None:
    scenario, _ = _game("games_descriptions/base")
    assert [(p.id, p.name, p.consent_required) for p in scenario.parties] == [
        ("mayor", "Mayor", False),
        ("other_cities", "Other cities", False),
        ("union", "Local Labour Union", False),
        ("SportCo", "SportCo", True),
        ("DoT", "Department of Tourism", True),
        ("enviroment", "Environmental League", False),
    ]
    rule = scenario.agreement
    assert (rule.kind, rule.min_parties, rule.veto) == ("quorum", 5, ("SportCo", "DoT"))
    assert len(scenario.voter_ids) == 6
    preferences = scenario.party("SportCo").preferences
    assert preferences is not None
    assert preferences.scale == "points"
    assert preferences.weights is None
    assert preferences.reservation == 55
    assert preferences.values["Federal_Loan"] == {"D1": 35, "D2": 29, "D3": 20, "D4": 0}


def test_base_names_issues_from_the_text() -> None:
    scenario, _ = _game("games_descriptions/base")
    assert [(i.id, i.title) for i in scenario.issues] == [
        ("Infrastructure_Mix", "Infrastructure Mix"),
        ("Ecological_Impact", "Ecological Impact"),
        ("Employment_Rules", "Employment Rules"),
        ("Federal_Loan", "Federal Loan"),
        ("Compensation_to_other_cities", "Compensation to other cities"),
    ]
    loan = scenario.issue("Federal_Loan")
    assert [(o.id, o.label) for o in loan.options] == [
        ("D1", "$3 billion."),
        ("D2", "$2 billion."),
        ("D3", "$1 billion."),
        ("D4", "no federal loan."),
    ]
    assert scenario.issue("Infrastructure_Mix").options[0].label.startswith('"water-based": new')
    assert scenario.description.startswith('"SportCo" is a company')


def test_quoted_name_with_quotes_and_unquoted_sentences() -> None:
    rewritten, _ = _game("games_descriptions/base_rewritten")
    compensation = rewritten.issues[3]
    assert compensation.id == "Compensation_to_neighbouring_cities"
    assert compensation.title == 'Compensation to "neighbouring cities"'
    assert rewritten.issues[0].options[1].label == "£1.5 billion."
    game3, _ = _game("games_descriptions/game3")
    assert [i.id for i in game3.issues] == [
        "The_location_of_the_airport",
        "The_environmental_impact_of_the_airport",
        "The_distribution_of_profits_from_the_airport",
        "The_compensation_for_the_affected_communities",
        "The_involvement_of_local_businesses_in_the_airport",
    ]
    assert game3.issues[3].title.endswith(
        "(affected by the noise, pollution, and land acquisition of the airport)"
    )
    # Its text says "5 options" for C and "4 options" for D; the listed options count.
    assert [len(i.options) for i in game3.issues] == [4, 3, 4, 5, 3]


def test_without_text_ids_are_positional() -> None:
    scenario, _ = _game("derived/base_difficult_17_2")
    assert [i.id for i in scenario.issues] == ["A", "B", "C", "D", "E"]
    assert [o.id for o in scenario.issues[4].options] == ["E1", "E2", "E3", "E4", "E5"]
    assert all(not i.title and not any(o.label for o in i.options) for i in scenario.issues)


@pytest.mark.parametrize("game", [game for game, *_ in PUBLISHED])
def test_initial_deal_is_read_in_option_codes(game: str) -> None:
    """``initial_deal.txt`` (p1's opening deal) names options by the ids the loader gives."""
    scenario, compiled = _game(game)
    codes = (DATA / game / "initial_deal.txt").read_text(encoding="utf-8").strip().split(",")
    deal = compiled.space.package_from_dict(dict(zip(compiled.space.issue_ids, codes, strict=True)))
    proposer = compiled.party_index(scenario.agreement.veto[0])  # p1 comes first
    opening = compiled.utilities(deal)[proposer]
    best = compiled.utilities(compiled.space.all_packages())[proposer].max()
    if game.endswith("game1"):
        # game1's opening deal takes E3 (17 for p1) where E2 (23) would be p1's best.
        assert (opening, best) == (94, 100)
    else:
        assert opening == best == 100


# Bad input, on small games written here.


def _write_game(
    folder: Path,
    config: str = "Alpha,a,p1\nBeta,b,p2\nGamma,c,player\n",
    scores: dict[str, str] | None = None,
    instructions: str | None = None,
) -> Path:
    sheets = scores or {
        "a": "10, 0\n0, 5\n10\n",
        "b": "5, 5\n0, 5\n10\n",
        "c": "0, 10\n0, 0 \n10",
    }
    (folder / "scores_files").mkdir(parents=True)
    (folder / "config.txt").write_text(config, encoding="utf-8")
    for name, text in sheets.items():
        (folder / "scores_files" / f"{name}.txt").write_text(text, encoding="utf-8")
    if instructions is not None:
        (folder / "global_instructions.txt").write_text(instructions, encoding="utf-8")
    return folder


def _problem(folder: Path) -> tuple[str, int | None, str]:
    with pytest.raises(ScenarioError) as caught:
        load_llm_game(folder)
    problem = caught.value.problems[0]
    assert problem.source is not None
    return Path(problem.source).name, problem.line, problem.message


def test_small_game_quorum_with_veto(tmp_path: Path) -> None:
    # a accepts A1B1, A1B2; b (p2) accepts A1B2, A2B2 at exactly its minimum; c accepts A2*.
    compiled = compile_scenario(load_llm_game(_write_game(tmp_path / "tiny")))
    deals = compiled.space.all_packages()
    feasible = [compiled.space.package_dict(d) for d in deals[compiled.feasible(deals)]]
    assert feasible == [{"A": "A1", "B": "B2"}]
    assert compiled.min_accept == 2
    assert compiled.acceptance(deals).sum(axis=1).tolist() == [2, 2, 2]


def test_small_game_with_text(tmp_path: Path) -> None:
    text = (
        'Issue A: "Site (first pick)"\nA1 "north": by the river.\nA2: south.\n'
        "Issue B: Budget. Two options:\n- B1: low\n- B2: high\n"
    )
    scenario = load_llm_game(_write_game(tmp_path / "tiny", instructions=text))
    assert [(i.id, i.title) for i in scenario.issues] == [
        ("Site", "Site (first pick)"),
        ("Budget", "Budget"),
    ]
    assert [o.label for o in scenario.issues[0].options] == ['"north": by the river.', "south."]


def test_missing_config(tmp_path: Path) -> None:
    tmp_path.joinpath("empty").mkdir()
    assert _problem(tmp_path / "empty") == ("config.txt", None, "no such file")


@pytest.mark.parametrize(
    ("config", "line", "words"),
    [
        ("Alpha,a,p1\nBeta\nGamma,c,player\n", 2, "expected '<name>,<scores file>,<role>"),
        ("Alpha,a,p1\nBeta,b,p2\nGamma,c,judge\n", 3, "unknown role 'judge'"),
        ("Alpha,a,p1\nBeta,b,p1\nGamma,c,p2\n", 2, "a second p1 (already 'Alpha')"),
        ("Alpha,a,p1\nBeta,b,p2\nGamma,a,player\n", 3, "scores file 'a' named twice"),
        ("Alpha,a,p1\nBeta,b,player\nGamma,c,player\n", None, "no party has role p2"),
        ("Alpha,a,p1\nBeta,b,p2\nDelta,d,player\n", 3, "party 'Delta': no scores file"),
    ],
)
def test_bad_config(tmp_path: Path, config: str, line: int | None, words: str) -> None:
    name, found_line, message = _problem(_write_game(tmp_path / "game", config=config))
    assert (name, found_line) == ("config.txt", line)
    assert words in message


@pytest.mark.parametrize(
    ("sheet", "line", "words"),
    [
        ("0, 10\n0, 0\n0, 1\n10\n", 3, "3 lines of scores (issues) before the minimum"),
        ("0, 10\n0\n10\n", 2, "1 scores for issue B, but a.txt has 2"),
        ("0, ten\n0, 0\n10\n", 1, "score 2 of issue A: expected an integer, got 'ten'"),
        ("0, 1.5\n0, 0\n10\n", 1, "expected an integer, got '1.5'"),
        ("0, 10\n\n0, 0\n10\n", 2, "score 1 of issue B: expected an integer, got ''"),
        ("0, 10\n0, 0\n10, 20\n", 3, "expected the minimum acceptable total"),
        ("0, 10\n", None, "expected one line of scores per issue, then the minimum"),
    ],
)
def test_bad_scores_file(tmp_path: Path, sheet: str, line: int | None, words: str) -> None:
    scores = {"a": "10, 0\n0, 5\n10\n", "b": "5, 5\n0, 5\n10\n", "c": sheet}
    name, found_line, message = _problem(_write_game(tmp_path / "game", scores=scores))
    assert (name, found_line) == ("c.txt", line)
    assert words in message


def test_text_that_disagrees_with_the_scores(tmp_path: Path) -> None:
    text = (
        'Issue A: "Site"\nA1: north\nA2: south\n'
        'Issue B: "Budget"\nB1: low\nB2: high\nB3: very high\n'
    )
    folder = _write_game(tmp_path / "game", instructions=text)
    assert _problem(folder) == (
        "global_instructions.txt",
        4,
        "issue B lists 3 options (B1, B2, ...), but the scores files give 2",
    )


def test_every_problem_is_reported(tmp_path: Path) -> None:
    scores = {"a": "10, x\n0, 5\n10\n", "b": "5, 5\n0, 5\nmany\n", "c": "0, 10\n0, 0\n10\n"}
    with pytest.raises(ScenarioError) as caught:
        load_llm_game(_write_game(tmp_path / "game", scores=scores))
    assert [(Path(p.source or "").name, p.line) for p in caught.value.problems] == [
        ("a.txt", 1),
        ("b.txt", 3),
    ]
    assert (
        str(caught.value)
        .splitlines()[0]
        .endswith("a.txt:1: score 2 of issue A: expected an integer, got 'x'")
    )


def test_decoded_deals_match_raw_scores() -> None:
    """Every party's utility of every deal is the plain sum of its file's scores."""
    scenario, compiled = _game("games_descriptions/base_7players")
    deals = compiled.space.all_packages()
    utilities = compiled.utilities(deals)
    for index, party in enumerate(scenario.parties):
        lines = DATA / "games_descriptions/base_7players/scores_files" / f"{party.id}.txt"
        rows = [
            [int(x) for x in line.split(",")]
            for line in lines.read_text(encoding="utf-8").splitlines()[:-1]
        ]
        expected = np.array([sum(rows[i][o] for i, o in enumerate(d)) for d in deals])
        assert np.array_equal(utilities[index], expected)
