"""GENIUS XML: every shipped domain loads with GENIUS's utilities; bad input; round trip.

The oracle is a second, deliberately naive reading of the XML (ElementTree, the formulas of
``shared/external/genius/FORMAT.md`` §3–§5, one bid at a time); the worked examples of
FORMAT.md §3.3 and the shipped ``pareto.xml`` are the published numbers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import pareto_frontier
from accord.errors import ScenarioError
from accord.formats.genius import dump_genius, load_genius, load_genius_folder
from accord.scenario.generate import random_additive_scenario
from accord.scenario.model import Scenario

GENIUS = Path(__file__).resolve().parents[2] / "shared" / "external" / "genius"
FOLDERS = [
    "anac2010-EnglandZimbabwe",
    "anac2010-ItexvsCypress",
    "anac2010-Travel",
    "anac2011-Laptop",
    "anac2011-NiceOrDie",
    "anac2012-EnergyA",
    "anac2012-FiftyFiftyA",
    "anac2013-DefensiveCharms",
    "anac2013-Ultimatum",
    "anac2014-10issues-nonlinear",
    "anac2015-group1-university",
    "anac2015-group3-bank_robbery",
    "anac2015-group9-killer_robot",
    "anac2016-Atlas3-triangularFight",
    "anac2016-Grandma-SmartEnergyGrid",
    "anac2016-parsCat",
    "genius-IntegerDomain",
    "genius-SON_with_discount-real",
    "negmas-CameraB",
]
ORACLE_SAMPLE = 400


def folder(name: str) -> Path:
    if not GENIUS.is_dir():
        pytest.fail(
            f"GENIUS data not found at {GENIUS}: these tests need shared/external/genius/ "
            "beside the project (see shared/external/README.md)",
            pytrace=False,
        )
    return GENIUS / name


@cache
def loaded(name: str) -> tuple[Scenario, CompiledScenario]:
    scenario = load_genius_folder(folder(name))
    return scenario, compile_scenario(scenario)


def utility(compiled: CompiledScenario, party: str, **chosen: str) -> float:
    package = compiled.space.package_from_dict(chosen)
    return float(compiled.utilities(package)[compiled.party_index(party)])


# -- the oracle: GENIUS's formulas, read straight off the files ----------------------------


def xml_root(path: Path) -> ET.Element:
    text = path.read_text(encoding="utf-8")
    return ET.fromstring(text[text.find("<?xml") :] if "<?xml" in text else text.strip())


def genius_utility(profile: ET.Element, bid: dict[int, str | float]) -> float:
    """A bid's utility in GENIUS, by FORMAT.md; ``bid`` maps issue index to value."""
    space = profile if profile.tag == "utility_space" else profile.find("utility_space")
    assert space is not None
    if space.get("type") == "nonlinear":
        utility = space.find("objective/utility")
        assert utility is not None
        total = 0.0
        for rectangle in utility.iter("hyperRectangle"):
            if all(
                int(b.get("min", ""))
                <= float(bid[int(b.get("index", ""))])
                <= int(b.get("max", ""))
                for b in rectangle.findall("INCLUDES")
            ):
                total += float(rectangle.get("utility", "")) * float(rectangle.get("weight", "1"))
        return min(total / float(utility.get("maxutility", "")), 1.0)
    weights = {int(w.get("index", "")): float(w.get("value", "")) for w in space.iter("weight")}
    total = 0.0
    for issue in space.iter("issue"):
        index, kind = int(issue.get("index", "")), issue.get("type")
        value = bid[index]
        if kind == "integer":
            evaluator = issue.find("evaluator")
            assert evaluator is not None
            slope, offset = float(evaluator.get("slope", "")), float(evaluator.get("offset", ""))
            low = int(issue.get("lowerbound", ""))
            score = min(max(offset + slope * (float(value) - low), 0.0), 1.0)
        elif kind == "real":
            evaluator = issue.find("evaluator")
            assert evaluator is not None and evaluator.get("ftype") == "linear"
            p0, p1 = float(evaluator.get("parameter0", "")), float(evaluator.get("parameter1", ""))
            score = min(max(p1 * float(value) + p0, 0.0), 1.0)
        else:
            evaluations = {
                i.get("value"): float(i.get("evaluation", "")) for i in issue.iter("item")
            }
            top = max(evaluations.values())
            score = evaluations[str(value)] / top if top >= 1e-5 else 0.0
        total += weights[index] * score
    return min(total, 1.0)


def domain_indices(path: Path) -> list[int]:
    return [int(issue.get("index", "")) for issue in xml_root(path).iter("issue")]


def genius_bid(
    scenario: Scenario, indices: list[int], package: np.ndarray
) -> dict[int, str | float]:
    bid: dict[int, str | float] = {}
    for index, issue, option in zip(indices, scenario.issues, package, strict=True):
        chosen = issue.options[int(option)]
        bid[index] = chosen.label if chosen.value is None else chosen.value
    return bid


def sample(compiled: CompiledScenario, count: int, seed: int = 2014) -> np.ndarray:
    if compiled.space.outcome_count <= count:
        return compiled.space.all_packages()
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, n, size=count) for n in compiled.space.option_counts], 1)


# -- every shipped domain --------------------------------------------------------------------


def test_the_folder_list_is_complete() -> None:
    found = sorted(p.name for p in folder("").iterdir() if p.is_dir())
    assert found == sorted([*FOLDERS, "anl2023-geniusweb"])


@pytest.mark.parametrize("name", FOLDERS)
def test_every_folder_loads_with_genius_utilities(name: str) -> None:
    scenario, compiled = loaded(name)
    roots = {p: xml_root(p) for p in folder(name).glob("*.xml") if p.name != "pareto.xml"}
    profiles = sorted(
        p.name
        for p, r in roots.items()
        if r.find(".//weight") is not None or r.find(".//utility") is not None
    )
    (domain,) = [p for p in roots if p.name not in profiles]
    assert sorted(p.name for p in scenario.parties) == profiles
    assert all(p.role == "negotiator" for p in scenario.parties)
    indices = domain_indices(domain)
    packages = sample(compiled, ORACLE_SAMPLE)
    table = compiled.utilities(packages)
    for party, person in enumerate(scenario.parties):
        profile = xml_root(folder(name) / person.name)
        expected = [genius_utility(profile, genius_bid(scenario, indices, p)) for p in packages]
        np.testing.assert_allclose(table[party], expected, rtol=0, atol=1e-12, err_msg=person.name)


def test_itex_cypress_worked_example() -> None:
    # FORMAT.md §3.3: ($3.98, 60 days, Upon delivery, Full price).
    scenario, compiled = loaded("anac2010-ItexvsCypress")
    bid = {
        "Price": "3.98",
        "Delivery": "60_days",
        "Payment": "Upon_delivery",
        "Returns": "Full_price",
    }
    assert utility(compiled, "ItexvsCypress_Itex", **bid) == pytest.approx(0.2117428341, abs=1e-9)
    assert utility(compiled, "ItexvsCypress_Cypress", **bid) == pytest.approx(
        0.7065453489, abs=1e-9
    )
    price = scenario.issue("Price")
    assert [o.id for o in price.options] == ["4.37", "4.12", "3.98", "3.71", "3.47"]
    assert [o.label for o in price.options] == ["$4.37", "$4.12", "$3.98", "$3.71", "$3.47"]
    for party in scenario.parties:
        assert party.preferences is not None
        assert (party.preferences.discount, party.preferences.reservation) == (1.0, 0.0)


def test_smart_energy_grid_integer_example() -> None:
    scenario, compiled = loaded("anac2016-Grandma-SmartEnergyGrid")
    price = scenario.issue("Energy_Price")
    assert len(price.options) == 41 and price.options[17].value == 27
    chosen = {"Energy_Price": "27", "Energy_cost_distribution_over_day": "Morning"}
    value = utility(compiled, "Smart_Energy_Grid_util1", **chosen, Energy_source="Solar")
    assert value == pytest.approx(0.6805535478, abs=1e-9)


@pytest.mark.parametrize(("price", "expected"), [("minus5", 0.35), ("0", 0.65), ("5", 0.875)])
def test_integer_domain_clipping(price: str, expected: float) -> None:
    # price in [-5, 5]: 0.3 + 0.08 * (v + 5), clipped at 1 for v = 5; otherprice 0 is 0.5.
    _, compiled = loaded("genius-IntegerDomain")
    value = utility(compiled, "IntegerDomain-prof1", price=price, otherprice="0")
    assert value == pytest.approx(expected, abs=1e-9)


def test_laptop_weights_as_written_and_the_cap_at_one() -> None:
    # The buyer's weights sum to 1.0000518: they are kept, not normalised. GENIUS's
    # AdditiveUtilitySpace.getUtility returns min(U, 1), so the one package above 1 (every
    # issue at its best) is brought back to 1 by the preferences' ceiling.
    scenario, compiled = loaded("anac2011-Laptop")
    buyer = scenario.party("laptop_buyer_utility").preferences
    assert buyer is not None and buyer.weights is not None
    assert buyer.weights == {
        "Laptop": 0.4452125771655631,
        "Harddisk": 0.37808251708013424,
        "External_Monitor": 0.1767567099260568,
    }
    assert sum(buyer.weights.values()) == pytest.approx(1.0000518, abs=1e-7)
    best = {"Laptop": "HP", "Harddisk": "60_Gb", "External_Monitor": "19_LCD"}
    assert buyer.interactions == () and buyer.cap == 1.0
    assert utility(compiled, "laptop_buyer_utility", **best) == 1.0
    # Below the cap, plain weighted sums (no rescaling by 1.0000518).
    second = utility(compiled, "laptop_buyer_utility", **{**best, "External_Monitor": "23_LCD"})
    assert second == pytest.approx(
        0.4452125771655631 + 0.37808251708013424 + 0.1767567099260568 * 20 / 30
    )
    assert "caps a linear profile's utility at 1, and so do these" in scenario.description


def test_discount_and_reservation() -> None:
    def settings(name: str) -> list[tuple[float, float]]:
        scenario, _ = loaded(name)
        return [
            (p.preferences.discount, p.preferences.reservation)
            for p in scenario.parties
            if p.preferences is not None
        ]

    assert settings("anac2011-Laptop") == [(0.42441038, 0.0)] * 2
    assert settings("anac2012-FiftyFiftyA") == [(0.5, 0.5)] * 2
    assert settings("anac2013-Ultimatum") == [(0.05, 0.1)] * 2
    assert settings("genius-IntegerDomain") == [(1.0, 0.0)] * 2  # discount 0.0: invalid
    assert settings("genius-SON_with_discount-real") == [(1.0, 0.0)] * 2  # 2: invalid, none
    reservations = [r for _, r in settings("anac2015-group3-bank_robbery")]
    assert reservations == [0.2, 0.2, 0.3, 0.3, 0.4, 0.3, 0.5, 0.3, 0.4]


def test_discount_without_a_value_attribute_is_no_discount(tmp_path: Path) -> None:
    # SON's domain file writes <discount_factor><value>1</value></discount_factor>; GENIUS
    # reads only the attribute, so such an element leaves the factor at 1.
    text = itex_profile().replace(
        '<reservation value="0" />', "<discount_factor><value>0.5</value></discount_factor>"
    )
    scenario = load_genius(itex_domain(), [write(tmp_path / "odd.xml", text)])
    assert scenario.parties[0].preferences is not None
    assert scenario.parties[0].preferences.discount == 1.0


def test_issues_keyed_by_index_not_position() -> None:
    # SON's root objective is index 1 and its issues 2..5; the profiles list the weights first.
    scenario, _ = loaded("genius-SON_with_discount-real")
    assert [i.id for i in scenario.issues] == ["Price", "Quality", "Time", "Penalty"]
    buyer = scenario.party("son_buyer").preferences
    assert buyer is not None and buyer.weights == {
        "Price": 0.5,
        "Quality": 0.1,
        "Time": 0.05,
        "Penalty": 0.35,
    }


def test_profile_issues_in_another_order(tmp_path: Path) -> None:
    text = itex_profile()
    returns = text[text.index('<issue index="4"') : text.index('<weight index="1"')]
    shuffled = text.replace(returns, "").replace(
        '<issue index="1"', returns + '<issue index="1"', 1
    )
    scenario = load_genius(itex_domain(), [write(tmp_path / "shuffled.xml", shuffled)])
    compiled = compile_scenario(scenario)
    _, original = loaded("anac2010-ItexvsCypress")
    rows = compiled.space.all_packages()
    np.testing.assert_array_equal(compiled.utilities(rows)[0], original.utilities(rows)[1])


def test_real_issues_are_discretised_and_said_so() -> None:
    scenario, compiled = loaded("genius-SON_with_discount-real")
    price = scenario.issue("Price")
    assert [o.value for o in price.options] == [k / 10 for k in range(11)]
    assert [o.id for o in price.options][:3] == ["0", "0.1", "0.2"]
    assert "discretised: 11 values from 0 to 1 in steps of 0.1" in scenario.description
    # Buyer: every weight on 1 - x, so the all-zero package is worth 1.
    zero = {issue.id: "0" for issue in scenario.issues}
    assert utility(compiled, "son_buyer", **zero) == pytest.approx(1.0)


def test_real_evaluators_and_grid(tmp_path: Path) -> None:
    domain = write(
        tmp_path / "d.xml",
        '<negotiation_template><utility_space><objective index="0">'
        '<issue index="1" name="x" type="real"><range lowerbound="-1" upperbound="1"/></issue>'
        '<issue index="2" name="y" type="real"><range lowerbound="0" upperbound="4"/></issue>'
        "</objective></utility_space></negotiation_template>",
    )
    profile = write(
        tmp_path / "p.xml",
        '<utility_space><objective index="0">'
        '<issue index="1" name="x" type="real"><range lowerbound="-1" upperbound="1"/>'
        '<evaluator ftype="constant" parameter0="0.25"/></issue>'
        '<issue index="2" name="y" type="real"><range lowerbound="0" upperbound="4"/>'
        '<evaluator ftype="triangular" parameter0="1" parameter1="4" parameter2="3"/></issue>'
        '<weight index="1" value="0.4"/><weight index="2" value="0.6"/>'
        "</objective></utility_space>",
    )
    scenario = load_genius(domain, [profile], real_points=5)
    assert [o.id for o in scenario.issue("x").options] == ["minus1", "minus0.5", "0", "0.5", "1"]
    assert [o.value for o in scenario.issue("y").options] == [0, 1, 2, 3, 4]
    compiled = compile_scenario(scenario)
    expected = {"0": 0.1, "1": 0.1, "2": 0.1 + 0.6 * 0.5, "3": 0.1 + 0.6, "4": 0.1}
    for y, value in expected.items():
        assert utility(compiled, "p", x="0.5", y=y) == pytest.approx(value, abs=1e-12)


def test_ids_are_sanitised_distinct_and_labelled(tmp_path: Path) -> None:
    domain = write(
        tmp_path / "d.xml",
        '<negotiation_template><utility_space><objective index="0">'
        '<issue index="3" name="Size of fund!"><item value="a b"/><item value="a_b"/>'
        '<item value="$"/></issue></objective></utility_space></negotiation_template>',
    )
    profile = write(
        tmp_path / "my profile.xml",
        '<utility_space><objective index="0"><issue index="3">'
        '<item value="a b" evaluation="2"/><item value="a_b" evaluation="1"/>'
        '<item value="$" evaluation="0"/></issue><weight index="3" value="1"/>'
        "</objective></utility_space>",
    )
    scenario = load_genius(domain, [profile])
    (issue,) = scenario.issues
    assert (issue.id, issue.title) == ("Size_of_fund_", "Size of fund!")
    assert [(o.id, o.label) for o in issue.options] == [
        ("a_b", "a b"),
        ("a_b-2", "a_b"),
        ("option3", "$"),
    ]
    assert [(p.id, p.name) for p in scenario.parties] == [("my_profile", "my profile.xml")]


# -- the folder ------------------------------------------------------------------------------


def test_folder_skips_pareto_text_and_sub_folders() -> None:
    scenario, _ = loaded("anac2014-10issues-nonlinear")
    assert [p.id for p in scenario.parties] == ["profile-1", "profile-2"]
    laptop, _ = loaded("anac2011-Laptop")
    assert [p.id for p in laptop.parties] == ["laptop_buyer_utility", "laptop_seller_utility"]


def test_folder_needs_one_domain_and_a_profile(tmp_path: Path) -> None:
    write(tmp_path / "a.xml", itex_domain().read_text())
    write(tmp_path / "b.xml", itex_domain().read_text())
    with pytest.raises(ScenarioError, match=r"expected one GENIUS domain file .* a\.xml, b\.xml"):
        load_genius_folder(tmp_path)
    (tmp_path / "b.xml").unlink()
    with pytest.raises(ScenarioError, match="no GENIUS profile files"):
        load_genius_folder(tmp_path)
    with pytest.raises(ScenarioError, match="no such folder"):
        load_genius_folder(tmp_path / "missing")


def test_uncertain_profile_is_read_as_its_linear_profile() -> None:
    laptop = folder("anac2011-Laptop")
    uncertain = laptop / "uncertain" / "laptop_buyer_utility_u10.xml"
    scenario = load_genius(laptop / "laptop_domain.xml", [uncertain])
    assert "type UNCERTAIN" in scenario.description and "ranking of 10 bids" in scenario.description
    compiled = compile_scenario(scenario)
    packages = compiled.space.all_packages()
    indices = domain_indices(laptop / "laptop_domain.xml")
    expected = [
        genius_utility(xml_root(uncertain), genius_bid(scenario, indices, p)) for p in packages
    ]
    np.testing.assert_allclose(compiled.utilities(packages)[0], expected, rtol=0, atol=1e-12)


# -- non-linear (ANAC 2014) ----------------------------------------------------------------------


def test_nonlinear_rectangles_become_interaction_terms() -> None:
    scenario, compiled = loaded("anac2014-10issues-nonlinear")
    assert compiled.space.outcome_count == 10**10
    one = scenario.party("profile-1").preferences
    two = scenario.party("profile-2").preferences
    assert one is not None and two is not None
    assert (len(one.interactions), len(two.interactions)) == (20, 20)
    first = one.interactions[0]
    assert first.value == pytest.approx(97 / 662)
    assert first.options == {
        "c1-i9": ("7", "8", "9"),
        "c1-i7": ("2", "3", "4", "5", "6", "7"),
        "c1-i5": tuple(str(v) for v in range(9)),
        "c1-i2": tuple(str(v) for v in range(8)),
    }
    assert two.interactions[0].value == pytest.approx(73 / 885)
    assert all(v == 0 for values in one.values.values() for v in values.values())


def test_nonlinear_pareto_frontier_matches_the_shipped_pareto_xml() -> None:
    # CORE DEPENDENCY: needs the generalised interaction terms (any number of issues, lists
    # of options) in compile_scenario, the MILP and the frontier. They were in the working
    # tree, not yet committed, when this test was written, and it passed (0.5 s: the
    # two-party sweep). GENIUS prints Java floats, 7 or 8 significant digits: hence 1e-6.
    _, compiled = loaded("anac2014-10issues-nonlinear")
    text = (folder("anac2014-10issues-nonlinear") / "pareto.xml").read_text()
    shipped = np.array(
        [[float(x) for x in line.split(",")] for line in text.split("\n") if line.strip()]
    )
    frontier = pareto_frontier(compiled.ignoring_reservation())
    assert frontier.exact
    points = frontier.utilities[np.lexsort(frontier.utilities.T[::-1])]
    assert points.shape == shipped.shape == (10, 2)
    np.testing.assert_allclose(points, shipped, rtol=0, atol=1e-6)


def test_nonlinear_cap_that_can_bind_is_the_ceiling(tmp_path: Path) -> None:
    # maxutility 600 where the rectangles reach 662: GENIUS cuts those packages to 1.
    source = folder("anac2014-10issues-nonlinear")
    text = (source / "profile-1.xml").read_text().replace('maxutility="662"', 'maxutility="600"')
    profile = write(tmp_path / "profile-1.xml", text)
    scenario = load_genius(source / "10issues-domain.xml", [profile])
    preferences = scenario.parties[0].preferences
    assert preferences is not None and preferences.cap == 1.0
    assert "GENIUS caps their sum at 1, and so do these preferences" in scenario.description
    compiled = compile_scenario(scenario)
    indices = domain_indices(source / "10issues-domain.xml")
    packages = sample(compiled, ORACLE_SAMPLE)
    expected = [
        genius_utility(xml_root(profile), genius_bid(scenario, indices, p)) for p in packages
    ]
    np.testing.assert_allclose(compiled.utilities(packages)[0], expected, rtol=0, atol=1e-12)


def test_nonlinear_excludes_is_refused(tmp_path: Path) -> None:
    source = folder("anac2014-10issues-nonlinear")
    text = (
        (source / "profile-2.xml")
        .read_text()
        .replace('<INCLUDES index="2"', '<EXCLUDES index="2"', 1)
    )
    profile = write(tmp_path / "profile-2.xml", text)
    with pytest.raises(
        ScenarioError, match="EXCLUDES hyper-rectangles are not supported"
    ) as caught:
        load_genius(source / "10issues-domain.xml", [profile])
    assert caught.value.problems[0].line == line_of(text, "<EXCLUDES")


# -- bad input -----------------------------------------------------------------------------------


def test_malformed_xml_names_file_line_and_column(tmp_path: Path) -> None:
    domain = write(
        tmp_path / "d.xml",
        '<negotiation_template>\n<utility_space>\n<objective index="0">\n'
        '<issue index="1" name="a">\n  <item index="1" value="x">\n</issue>\n',
    )
    with pytest.raises(ScenarioError) as caught:
        load_genius(domain, [])
    (problem,) = caught.value.problems
    assert (problem.source, problem.line, problem.column) == (str(domain), 6, 3)
    assert "malformed XML: mismatched tag" in problem.message


def test_leading_comment_before_the_declaration_keeps_positions(tmp_path: Path) -> None:
    # As in the ANAC 2014 profiles; line 6 is '   <issue index="1" value=x/>'.
    text = (
        '\n<!-- profile 1 -->\n<?xml version="1.0" encoding="utf-8" ?>\n<utility_space>\n'
        '  <objective index="0">\n   <issue index="1" value=x/>\n'
    )
    with pytest.raises(ScenarioError) as caught:
        load_genius(write(tmp_path / "d.xml", text), [])
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (6, 27)


@pytest.mark.parametrize(
    ("old", "new", "message", "at"),
    [
        (
            '<issue index="4"',
            '<issue index="7"',
            "issue index 7 is not in the domain",
            '<issue index="7"',
        ),
        (
            '<weight index="2"',
            '<weight index="9"',
            "weight index 9 is not in the domain",
            '<weight index="9"',
        ),
        (
            'value="60 days" cost="0.0" evaluation="1"',
            'value="90 days" cost="0.0" evaluation="1"',
            "value '90 days' of issue 'Delivery'",
            'value="90 days"',
        ),
        (
            'value="30 days" cost="0.0" evaluation="10"',
            'value="30 days" cost="0.0"',
            "no evaluation for value(s) '30 days'",
            '<issue index="2"',
        ),
        (
            'value="30 days" cost="0.0" evaluation="10"',
            'value="30 days" evaluation="null"',
            "no evaluation for value(s) '30 days'",
            '<issue index="2"',
        ),
    ],
)
def test_mismatched_profile_names_both_files(
    tmp_path: Path, old: str, new: str, message: str, at: str
) -> None:
    text = itex_profile()
    assert text.count(old) == 1
    text = text.replace(old, new)
    profile = write(tmp_path / "itex.xml", text)
    with pytest.raises(ScenarioError) as caught:
        load_genius(itex_domain(), [profile])
    (problem,) = caught.value.problems
    assert message in problem.message and str(itex_domain()) in problem.message
    assert (problem.source, problem.line) == (str(profile), line_of(text, at))


def test_integer_bounds_must_match_the_domain(tmp_path: Path) -> None:
    source = folder("genius-IntegerDomain")
    text = (source / "IntegerDomain-prof1.xml").read_text()
    text = text.replace('lowerbound="-5" upperbound="5"', 'lowerbound="-4" upperbound="5"', 1)
    profile = write(tmp_path / "prof1.xml", text)
    with pytest.raises(ScenarioError, match=r"bounds -4 to 5 differ from the domain .*\(-5 to 5\)"):
        load_genius(source / "IntegerDomain.xml", [profile])


def test_missing_issue_in_profile(tmp_path: Path) -> None:
    text = itex_profile()
    returns = text[text.index('<issue index="4"') : text.index('<weight index="1"')]
    profile = write(tmp_path / "itex.xml", text.replace(returns, ""))
    with pytest.raises(ScenarioError, match="index 4 for issue 'Returns' of the domain"):
        load_genius(itex_domain(), [profile])


def test_nested_objective_is_refused(tmp_path: Path) -> None:
    text = (
        itex_domain()
        .read_text()
        .replace('<issue index="4"', '<objective index="5" name="sub">\n<issue index="4"', 1)
    )
    text = text.replace("</issue> \n</objective>", "</issue> \n</objective></objective>", 1)
    domain = write(tmp_path / "d.xml", text)
    with pytest.raises(ScenarioError, match="nested objectives are not supported") as caught:
        load_genius(domain, [])
    assert caught.value.problems[0].line == line_of(text, '<objective index="5"')


def test_unknown_evaluator_ftype_is_refused(tmp_path: Path) -> None:
    source = folder("genius-SON_with_discount-real")
    text = (source / "son_buyer.xml").read_text().replace('ftype="linear"', 'ftype="faratin"', 1)
    with pytest.raises(ScenarioError, match="evaluator ftype 'faratin' is not supported"):
        load_genius(
            source / "son_domain_with_discount_factor.xml", [write(tmp_path / "b.xml", text)]
        )


def test_most_packages_above_one_are_capped(tmp_path: Path) -> None:
    # Weights ten times too large: most packages pass 1 and GENIUS cuts them all to 1.
    source = folder("anac2010-Travel")
    text = re.sub(
        r'(<weight index="\d+" value=")0\.', r"\g<1>1", (source / "travel_chox.xml").read_text()
    )
    profile = write(tmp_path / "chox.xml", text)
    scenario = load_genius(source / "travel_domain.xml", [profile])
    compiled = compile_scenario(scenario)
    assert compiled.cap is not None and compiled.cap[0] == 1.0
    indices = domain_indices(source / "travel_domain.xml")
    packages = sample(compiled, ORACLE_SAMPLE)
    expected = [
        genius_utility(xml_root(profile), genius_bid(scenario, indices, p)) for p in packages
    ]
    np.testing.assert_allclose(compiled.utilities(packages)[0], expected, rtol=0, atol=1e-12)
    assert sum(value == 1.0 for value in expected) > len(expected) / 2


def test_a_few_packages_above_one_are_capped_exactly(tmp_path: Path) -> None:
    text = itex_profile().replace('value="0.28812635027374"', 'value="0.6"')
    profile = write(tmp_path / "itex.xml", text)
    scenario = load_genius(itex_domain(), [profile])
    compiled = compile_scenario(scenario)
    preferences = scenario.parties[0].preferences
    assert preferences is not None and preferences.interactions == () and preferences.cap == 1.0
    packages = compiled.space.all_packages()
    indices = domain_indices(itex_domain())
    expected = [
        genius_utility(xml_root(profile), genius_bid(scenario, indices, p)) for p in packages
    ]
    np.testing.assert_allclose(compiled.utilities(packages)[0], expected, rtol=0, atol=1e-12)
    assert compiled.utilities(packages)[0].max() == 1.0


# -- writing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "anac2010-ItexvsCypress",
        "anac2011-Laptop",  # its cap terms are GENIUS's own cap: written as plain weights
        "anac2012-EnergyA",
        "anac2015-group1-university",
        "anac2016-Grandma-SmartEnergyGrid",
        "genius-IntegerDomain",
        "genius-SON_with_discount-real",
    ],
)
def test_round_trip_of_shared_domains(tmp_path: Path, name: str) -> None:
    scenario, compiled = loaded(name)
    paths = dump_genius(scenario, tmp_path)
    assert len(paths) == 1 + len(scenario.parties)
    again = load_genius_folder(tmp_path)
    assert_same_utilities(scenario, compiled, again)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_round_trip_of_generated_scenarios(tmp_path: Path, seed: int) -> None:
    # Normalised scale: weights over their sum, values over the best, best package at 1.
    scenario = random_additive_scenario(parties=3, issues=4, options=3, seed=seed, reservation=0.4)
    dump_genius(scenario, tmp_path)
    assert_same_utilities(scenario, compile_scenario(scenario), load_genius_folder(tmp_path))


def test_dump_refuses_what_genius_cannot_hold(tmp_path: Path) -> None:
    nonlinear, _ = loaded("anac2014-10issues-nonlinear")
    with pytest.raises(ScenarioError, match="interaction terms: GENIUS XML holds additive"):
        dump_genius(nonlinear, tmp_path)
    base = random_additive_scenario(parties=2, issues=2, options=2, seed=0)
    data = base.model_dump()
    data["parties"][0]["preferences"]["red_lines"] = [{"options": {"i1": "o1"}}]
    with pytest.raises(ScenarioError, match="red lines: GENIUS has none"):
        dump_genius(Scenario.model_validate(data), tmp_path)
    data = base.model_dump()
    data["parties"][0]["preferences"].update(scale="points", weights={"i1": 3.0, "i2": 3.0})
    with pytest.raises(ScenarioError, match="GENIUS caps a profile's utility at 1"):
        dump_genius(Scenario.model_validate(data), tmp_path)
    assert not list(tmp_path.iterdir())


def assert_same_utilities(scenario: Scenario, compiled: CompiledScenario, again: Scenario) -> None:
    assert [i.id for i in again.issues] == [i.id for i in scenario.issues]
    assert [[o.id for o in i.options] for i in again.issues] == [
        [o.id for o in i.options] for i in scenario.issues
    ]
    assert [p.id for p in again.parties] == list(compiled.party_ids)
    recompiled = compile_scenario(again)
    packages = sample(compiled, 5000)
    np.testing.assert_allclose(
        recompiled.utilities(packages), compiled.utilities(packages), rtol=0, atol=1e-12
    )
    np.testing.assert_array_equal(recompiled.reservation, compiled.reservation)
    discounts = [p.preferences.discount for p in scenario.parties if p.preferences is not None]
    assert [p.preferences.discount for p in again.parties if p.preferences is not None] == discounts


# -- helpers ---------------------------------------------------------------------------------


def itex_domain() -> Path:
    return folder("anac2010-ItexvsCypress") / "ItexvsCypress_domain.xml"


def itex_profile() -> str:
    return (folder("anac2010-ItexvsCypress") / "ItexvsCypress_Itex.xml").read_text()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1
