"""GeniusWeb JSON: the 50 ANL 2023 domains give the organisers' published numbers, and
bad input is reported with its file, line and column.

The organisers' ``specials.json`` (FORMAT.md §7) lists each domain's outcome count, its
whole Pareto front (one bid per point, with both utilities), the Nash point and their
"kalai" point and "opposition"; every one is reproduced here.
"""

from __future__ import annotations

import functools
import json
import math
import re
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.analysis.anl_metrics import anl_kalai_point, anl_opposition
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.analysis.nash import nash
from accord.analysis.solutions import kalai_smorodinsky
from accord.errors import Problem, ScenarioError
from accord.formats.geniusweb import load_geniusweb, load_geniusweb_folder
from accord.scenario.model import Scenario

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
ANL2023 = EXTERNAL / "genius" / "anl2023-geniusweb"
DOMAINS = [f"domain{number:02d}" for number in range(50)]
TOLERANCE = 1e-9


def anl_folder(name: str) -> Path:
    folder = ANL2023 / name
    if not folder.is_dir():
        pytest.fail(
            f"external data missing: {folder} not found. The tests read the ANL 2023 domains "
            "from ../shared/external/genius/anl2023-geniusweb relative to the project root."
        )
    return folder


@dataclass(frozen=True)
class Analysed:
    scenario: Scenario
    compiled: CompiledScenario
    frontier: Frontier
    specials: dict[str, Any]

    def package(self, bid: dict[str, str]) -> tuple[int, ...]:
        """The organisers' bid (GeniusWeb names) as our package."""
        return tuple(
            [option.label for option in issue.options].index(bid[issue.title])
            for issue in self.scenario.issues
        )


@functools.cache
def analysed(name: str) -> Analysed:
    folder = anl_folder(name)
    scenario = load_geniusweb_folder(folder)
    # The organisers' statistics ignore reservation values: disagreement is worth 0.
    compiled = compile_scenario(scenario).ignoring_reservation()
    specials = json.loads((folder / "specials.json").read_text(encoding="utf-8"))
    return Analysed(scenario, compiled, pareto_frontier(compiled), specials)


def test_missing_data_fails_the_tests_rather_than_skipping_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "ANL2023", tmp_path / "absent")
    with pytest.raises(pytest.fail.Exception, match="external data missing"):
        anl_folder("domain00")


def test_the_fifty_anl_2023_domains_are_there() -> None:
    anl_folder("domain00")
    found = sorted(path.name for path in ANL2023.iterdir() if path.is_dir())
    assert found == DOMAINS


@pytest.mark.parametrize("name", DOMAINS)
def test_outcome_count_is_the_published_size(name: str) -> None:
    domain = analysed(name)
    assert domain.compiled.space.outcome_count == domain.specials["size"]
    assert [party.id for party in domain.scenario.parties] == ["profileA", "profileB"]


@pytest.mark.parametrize("name", DOMAINS)
def test_utilities_are_the_organisers_sums_to_the_last_digit(name: str) -> None:
    domain = analysed(name)
    for point in domain.specials["pareto_front"]:
        package = np.array(domain.package(point["bid"]), dtype=np.int64)
        assert domain.compiled.utilities(package).tolist() == point["utility"]


@pytest.mark.parametrize("name", DOMAINS)
def test_pareto_front_is_the_published_one(name: str) -> None:
    domain = analysed(name)
    frontier = domain.frontier
    published = domain.specials["pareto_front"]
    assert frontier.exact
    # Same points: the utility vectors, compared in the organisers' order (uA ascending).
    ours = frontier.utilities[np.argsort(frontier.utilities[:, 0], kind="stable")]
    theirs = np.array([point["utility"] for point in published])
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOLERANCE)
    # Same packages: the organisers list one bid per point, and no two Pareto packages of
    # these domains share a point, so each point is one package and the sets must agree.
    assert frontier.multiplicity == (1,) * len(published)
    assert frontier.size == len(published)
    assert {tuple(package) for package in frontier.packages.tolist()} == {
        domain.package(point["bid"]) for point in published
    }


@pytest.mark.parametrize("name", DOMAINS)
def test_nash_point_is_the_published_one(name: str) -> None:
    domain = analysed(name)
    result = nash(domain.compiled)
    assert result.outcome is not None
    published = domain.specials["nash"]
    np.testing.assert_allclose(result.outcome.utilities, published["utility"], atol=TOLERANCE)
    assert tuple(result.outcome.package.tolist()) == domain.package(published["bid"])


@pytest.mark.parametrize("name", DOMAINS)
def test_anl_kalai_point_and_opposition_are_the_published_ones(name: str) -> None:
    domain = analysed(name)
    point = anl_kalai_point(domain.frontier)
    assert point is not None
    published = domain.specials["kalai"]
    np.testing.assert_allclose(point.utilities, published["utility"], rtol=0, atol=TOLERANCE)
    assert tuple(point.package.tolist()) == domain.package(published["bid"])
    opposition = anl_opposition(domain.frontier)
    assert opposition is not None
    assert opposition == pytest.approx(domain.specials["opposition"], rel=0, abs=TOLERANCE)


def test_textbook_kalai_smorodinsky_differs_from_the_anl_kalai_in_ten_domains() -> None:
    """The organisers' "kalai" is their own definition, not the textbook solution."""
    differing = []
    for name in DOMAINS:
        domain = analysed(name)
        textbook = kalai_smorodinsky(domain.compiled)
        organisers = anl_kalai_point(domain.frontier)
        assert textbook is not None and organisers is not None
        if not np.allclose(textbook.utilities, organisers.utilities, rtol=0, atol=TOLERANCE):
            differing.append(name)
    assert len(differing) == 10


def test_files_can_be_named_one_by_one() -> None:
    folder = anl_folder("domain00")
    scenario = load_geniusweb(
        folder / "domain00.json", [folder / "profileA.json", folder / "profileB.json"]
    )
    assert scenario == analysed("domain00").scenario
    assert scenario.id == scenario.title == "domain00"


# Small hand-written files.

DOMAIN = {
    "name": "fruit salad",
    "issuesValues": {
        "fruit": {"values": ["apple", "kiwi", "pear"]},
        "bowl size": {"values": ["small", "large"]},
    },
}


def profile(
    name: str = "buyer",
    weights: dict[str, Any] | None = None,
    utilities: dict[str, dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    weights = weights if weights is not None else {"fruit": 0.75, "bowl size": 0.25}
    utilities = (
        utilities
        if utilities is not None
        else {
            "fruit": {"apple": 1.0, "kiwi": 0.5, "pear": 0.0},
            "bowl size": {"small": 0.0, "large": 1.0},
        }
    )
    return {
        "LinearAdditiveUtilitySpace": {
            "issueUtilities": {
                issue: {"DiscreteValueSetUtilities": {"valueUtilities": table}}
                for issue, table in utilities.items()
            },
            "issueWeights": weights,
            "domain": DOMAIN,
            "name": name,
            **extra,
        }
    }


def write(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def position(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based line and column of ``needle`` in the file, or of its ``|`` if it has one."""
    text = path.read_text(encoding="utf-8")
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(needle.replace("|", ""), offset + 1)
    offset += max(needle.find("|"), 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def problems_of(domain: Path, profiles: list[Path]) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_geniusweb(domain, profiles)
    return list(caught.value.problems)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in ``tmp_path`` so that problems name files as written: ``buyer.json``."""
    monkeypatch.chdir(tmp_path)
    return Path()


def test_a_small_domain_loads_with_ids_from_names(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    seller = profile(
        "seller (B)",
        utilities={
            "fruit": {"apple": 0.0, "kiwi": 0.5, "pear": 1.0},
            "bowl size": {"small": 1.0, "large": 0.0},
        },
    )
    scenario = load_geniusweb(
        domain, [write(here, "buyer.json", profile()), write(here, "seller.json", seller)]
    )
    assert (scenario.id, scenario.title) == ("fruit_salad", "fruit salad")
    assert [(issue.id, issue.title) for issue in scenario.issues] == [
        ("fruit", "fruit"),
        ("bowl_size", "bowl size"),
    ]
    assert [(party.id, party.name) for party in scenario.parties] == [
        ("buyer", "buyer"),
        ("seller_B", "seller (B)"),
    ]
    preferences = scenario.parties[0].preferences
    assert preferences is not None
    assert preferences.scale == "points"
    assert preferences.weights == {"fruit": 0.75, "bowl_size": 0.25}
    assert preferences.reservation == 0.0
    compiled = compile_scenario(scenario)
    large_kiwi = np.array([1, 1], dtype=np.int64)
    np.testing.assert_array_equal(compiled.utilities(large_kiwi), [0.75 * 0.5 + 0.25, 0.75 * 0.5])


def test_option_ids_are_valid_and_distinct_and_keep_the_value_as_label(here: Path) -> None:
    values = ["1 TB", "1_TB", "€ 500", "_x", "", "1 TB!", "ok"]
    domain = write(here, "d.json", {"name": "d", "issuesValues": {"disk": {"values": values}}})
    table = {value: float(index) / 10 for index, value in enumerate(values)}
    buyer = write(
        here,
        "buyer.json",
        profile(
            weights={"disk": 1.0},
            utilities={"disk": table},
            domain={"name": "d", "issuesValues": {"disk": {"values": values}}},
        ),
    )
    (issue,) = load_geniusweb(domain, [buyer]).issues
    assert [option.label for option in issue.options] == values
    # "1_TB" is a valid id and keeps it; the names that clash with it are numbered.
    assert [option.id for option in issue.options] == [
        "1_TB-2",
        "1_TB",
        "500",
        "x",
        "option5",
        "1_TB-3",
        "ok",
    ]


def test_a_reservation_bid_becomes_its_utility(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    bid = {"issuevalues": {"fruit": "kiwi", "bowl size": "large"}}
    buyer = write(here, "buyer.json", profile(reservationBid=bid))
    scenario = load_geniusweb(domain, [buyer])
    preferences = scenario.parties[0].preferences
    assert preferences is not None
    assert preferences.reservation == 0.75 * 0.5 + 0.25 * 1.0
    compiled = compile_scenario(scenario)
    packages = compiled.space.all_packages()
    accepted = compiled.acceptance(packages)[0]
    worth = compiled.utilities(packages)[0]
    # Exactly the packages worth at least the reservation bid: apple (any bowl), large kiwi.
    assert accepted.tolist() == (worth >= preferences.reservation).tolist()
    assert sorted(compiled.space.package_dict(p)["fruit"] for p in packages[accepted]) == [
        "apple",
        "apple",
        "kiwi",
    ]


def test_a_partial_reservation_bid_counts_only_its_issues(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    buyer = write(
        here, "buyer.json", profile(reservationBid={"issuevalues": {"bowl size": "large"}})
    )
    preferences = load_geniusweb(domain, [buyer]).parties[0].preferences
    assert preferences is not None
    assert preferences.reservation == 0.25


def test_a_folder_is_read_by_content(here: Path) -> None:
    folder = here / "salad"
    folder.mkdir()
    write(folder, "a_domain.json", DOMAIN)
    write(folder, "p1.json", profile("buyer"))
    write(folder, "p2.json", profile("seller"))
    write(folder, "specials.json", {"size": 6, "pareto_front": [], "nash": {}})
    write(folder, "notes.json", ["not", "a", "profile"])
    scenario = load_geniusweb_folder(folder)
    assert [party.id for party in scenario.parties] == ["buyer", "seller"]


def test_profiles_with_one_name_get_distinct_ids(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    first, second = write(here, "a.json", profile("me")), write(here, "b.json", profile("me"))
    scenario = load_geniusweb(domain, [first, second])
    assert [(party.id, party.name) for party in scenario.parties] == [("me", "me"), ("me-2", "me")]


def test_a_folder_needs_one_domain_and_a_profile(here: Path) -> None:
    folder = here / "salad"
    folder.mkdir()
    write(folder, "profile.json", profile())
    with pytest.raises(ScenarioError, match=r"expected one domain file .* found none"):
        load_geniusweb_folder(folder)
    write(folder, "one.json", DOMAIN)
    write(folder, "two.json", DOMAIN)
    with pytest.raises(ScenarioError, match=re.escape("found one.json, two.json")):
        load_geniusweb_folder(folder)
    (folder / "profile.json").unlink()
    (folder / "two.json").unlink()
    with pytest.raises(ScenarioError, match="no profile file"):
        load_geniusweb_folder(folder)


def test_malformed_json_names_file_line_and_column(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    broken = here / "buyer.json"
    text = json.dumps(profile(), indent=2).replace('"kiwi": 0.5,', '"kiwi": 0.5', 1)
    broken.write_text(text, encoding="utf-8")
    (problem,) = problems_of(domain, [broken])
    line, _ = position(broken, '"kiwi": 0.5')
    assert (problem.source, problem.line) == ("buyer.json", line + 1)
    assert problem.column is not None
    assert problem.render().startswith(f"buyer.json:{line + 1}:{problem.column}: invalid JSON")


def test_a_duplicate_key_is_an_error(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    doubled = here / "buyer.json"
    text = json.dumps(profile(), indent=2).replace('"kiwi": 0.5,', '"kiwi": 0.5, "kiwi": 0.7,', 1)
    doubled.write_text(text, encoding="utf-8")
    (problem,) = problems_of(domain, [doubled])
    assert "duplicate key 'kiwi'" in problem.message
    assert (problem.line, problem.column) == position(doubled, '"kiwi"', occurrence=1)


def test_json_nested_too_deep_is_one_located_error_not_a_traceback(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    deep = here / "buyer.json"
    deep.write_text('{"profile": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    (problem,) = problems_of(domain, [deep])
    assert problem.source == "buyer.json" and problem.line == 1
    assert "nest" in problem.message


def test_number_value_set_utilities_are_named_as_unsupported(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    data = profile()
    data["LinearAdditiveUtilitySpace"]["issueUtilities"]["bowl size"] = {
        "NumberValueSetUtilities": {
            "lowValue": 1,
            "lowUtility": 0,
            "highValue": 2,
            "highUtility": 1,
        }
    }
    buyer = write(here, "buyer.json", data)
    (problem,) = problems_of(domain, [buyer])
    assert "'NumberValueSetUtilities'" in problem.message
    assert "not supported" in problem.message
    assert (problem.line, problem.column) == position(buyer, '"NumberValueSetUtilities"')


SALARY = Path(__file__).resolve().parent / "data" / "geniusweb" / "salary"


def interpolated(body: dict[str, Any], x: Fraction) -> Fraction:
    """GeniusWeb's NumberValueSetUtilities in exact rationals: linear between the two
    points, 0 outside, rounded half up to 8 decimals."""
    low, high = Fraction(str(body["lowValue"])), Fraction(str(body["highValue"]))
    low_u, high_u = Fraction(str(body["lowUtility"])), Fraction(str(body["highUtility"]))
    if not low <= x <= high:
        return Fraction(0)
    exact = low_u + (high_u - low_u) * (x - low) / (high - low)
    return Fraction(math.floor(exact * 10**8 + Fraction(1, 2)), 10**8)


def test_number_value_sets_are_read_as_geniusweb_scores_them() -> None:
    scenario = load_geniusweb_folder(SALARY)
    assert [o.value for o in scenario.issue("salary").options] == [2000, 2250, 2500, 2750, 3000]
    assert [o.label for o in scenario.issue("hours").options] == ["30", "35", "40"]
    compiled = compile_scenario(scenario)
    profiles = [
        json.loads((SALARY / f"{name}.json").read_text())["LinearAdditiveUtilitySpace"]
        for name in ("employee", "employer")
    ]
    packages = compiled.space.all_packages()
    ours = compiled.utilities(packages)
    for row, package in enumerate(packages):
        chosen = [issue.options[int(k)] for issue, k in zip(scenario.issues, package, strict=True)]
        for party, body in enumerate(profiles):
            total = Fraction(0)
            for issue, option in zip(scenario.issues, chosen, strict=True):
                table = body["issueUtilities"][issue.id]
                weight = Fraction(str(body["issueWeights"][issue.id]))
                if "DiscreteValueSetUtilities" in table:
                    score = Fraction(
                        str(table["DiscreteValueSetUtilities"]["valueUtilities"][option.label])
                    )
                else:
                    score = interpolated(table["NumberValueSetUtilities"], Fraction(option.label))
                total += weight * score
            assert ours[party, row] == pytest.approx(float(total), abs=1e-12)
    employee = scenario.party("employee").preferences
    assert employee is not None
    # The reservation bid (no car, 2250, 35 hours), its numbers matched by value.
    assert employee.reservation == pytest.approx(0.25 * 0.25 + 0.5 * 0.25 + 0.25 * 0.6, abs=1e-12)


def test_a_bad_range_is_an_error_at_its_place(here: Path) -> None:
    ranged = {"name": "r", "issuesValues": {"price": {"range": {"low": 9, "high": 1, "step": 1}}}}
    domain = write(here, "ranged.json", ranged)
    (problem,) = problems_of(domain, [write(here, "buyer.json", profile())])
    assert problem.source == "ranged.json"
    assert "expected low <= high" in problem.message
    assert (problem.line, problem.column) == position(domain, '{\n        "low"')


def test_an_unsupported_profile_type_is_named(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    grouped = write(here, "buyer.json", {"SumOfGroupsUtilitySpace": {"domain": DOMAIN}})
    (problem,) = problems_of(domain, [grouped])
    assert "'SumOfGroupsUtilitySpace' is not supported" in problem.message


@pytest.mark.parametrize(
    ("edit", "needle", "expected"),
    [
        (
            lambda body: body["issueUtilities"]["fruit"]["DiscreteValueSetUtilities"][
                "valueUtilities"
            ].update({"mango": 0.3}),
            '"mango"',
            "unknown value 'mango' of issue 'fruit': not in the domain in fruit.json",
        ),
        (
            lambda body: body["issueUtilities"]["fruit"]["DiscreteValueSetUtilities"][
                "valueUtilities"
            ].pop("pear"),
            '"valueUtilities": |{',
            "no utility for value(s) 'pear' of issue 'fruit' in the domain in fruit.json",
        ),
        (
            lambda body: body["issueWeights"].update({"colour": 0.0}),
            '"colour"',
            "unknown issue 'colour': not in the domain in fruit.json",
        ),
        (
            lambda body: body["issueWeights"].pop("fruit"),
            '"issueWeights": |{',
            "no weight for issue 'fruit' of the domain in fruit.json",
        ),
        (
            lambda body: body["issueUtilities"].pop("bowl size"),
            '"issueUtilities": |{',
            "no utilities for issue 'bowl size' of the domain in fruit.json",
        ),
        (
            lambda body: body.update(reservationBid={"issuevalues": {"fruit": "mango"}}),
            '"fruit": |"mango"',
            "unknown value 'mango' of issue 'fruit': not in the domain in fruit.json",
        ),
        (
            lambda body: body["issueWeights"].update({"fruit": "heavy"}),
            '"fruit": |"heavy"',
            "expected a finite weight, got 'heavy'",
        ),
        (
            lambda body: body["issueWeights"].update({"fruit": -0.5}),
            '"fruit": |-0.5',
            "expected a weight >= 0, got -0.5",
        ),
    ],
)
def test_a_profile_that_does_not_fit_its_domain_names_both_files(
    here: Path, edit: Any, needle: str, expected: str
) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    data = profile()
    edit(data["LinearAdditiveUtilitySpace"])
    buyer = write(here, "buyer.json", data)
    (problem,) = problems_of(domain, [buyer])
    assert problem.source == "buyer.json"
    assert expected in problem.message
    # An unknown key is reported where the key starts, anything else where its value does.
    assert (problem.line, problem.column) == position(buyer, needle)


def test_a_profile_written_for_another_domain_names_both_files(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    other = {"name": "other", "issuesValues": {"fruit": {"values": ["apple"]}}}
    buyer = write(here, "buyer.json", profile(domain=other))
    (problem,) = problems_of(domain, [buyer])
    assert problem.source == "buyer.json"
    assert "written for another domain" in problem.message
    assert "fruit.json" in problem.message


def test_every_problem_of_every_profile_is_reported(here: Path) -> None:
    domain = write(here, "fruit.json", DOMAIN)
    first = profile()
    first["LinearAdditiveUtilitySpace"]["issueWeights"].pop("fruit")
    second = profile("seller")
    second["LinearAdditiveUtilitySpace"]["issueWeights"]["colour"] = 1.0
    problems = problems_of(
        domain, [write(here, "buyer.json", first), write(here, "seller.json", second)]
    )
    assert [problem.source for problem in problems] == ["buyer.json", "seller.json"]


def test_missing_files_are_reported(here: Path) -> None:
    with pytest.raises(ScenarioError, match=re.escape("nowhere.json: no such file")):
        load_geniusweb(Path("nowhere.json"), [Path("buyer.json")])
    with pytest.raises(ScenarioError, match="not a folder"):
        load_geniusweb_folder(Path("nowhere"))
