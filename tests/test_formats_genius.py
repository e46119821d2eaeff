"""GENIUS XML: every shipped domain loads with GENIUS's utilities; bad input; round trip.

The oracle is a second, deliberately naive reading of the XML (ElementTree, the formulas of
``shared/external/genius/FORMAT.md`` §3–§5, one bid at a time); the worked examples of
FORMAT.md §3.3 and the shipped ``pareto.xml`` are the published numbers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from functools import cache
from pathlib import Path

import numpy as np
import pytest

import genius_oracle
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import pareto_frontier
from accord.errors import ScenarioError
from accord.formats.genius import dump_genius, load_genius, load_genius_folder, read_genius_folder
from accord.formats.imported import Imported
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
    # GENIUS's IssueReal: 21 discretisation steps; BidIterator: lower + step * k.
    assert [o.value for o in price.options] == [0 + (1 - 0) / 20 * k for k in range(21)]
    assert [o.id for o in price.options][:3] == ["0", "0.05", "0.1"]
    assert "discretised: 21 values from 0 to 1 in steps of 0.05" in scenario.description
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


def test_folder_needs_a_domain_and_a_profile(tmp_path: Path) -> None:
    write(tmp_path / "a.xml", itex_domain().read_text())
    write(tmp_path / "b.xml", itex_domain().read_text())
    with pytest.raises(ScenarioError, match="no GENIUS profile files"):
        load_genius_folder(tmp_path)
    write(tmp_path / "a.xml", itex_profile())
    write(tmp_path / "b.xml", itex_profile())
    with pytest.raises(ScenarioError, match="expected a GENIUS domain file"):
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
        r'(<weight index="\d+" value=")([0-9.]+)',
        lambda found: f"{found.group(1)}{float(found.group(2)) * 10!r}",
        (source / "travel_chox.xml").read_text(),
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


# -- constructs of public GENIUS files (issue 14), on fixtures written for these tests ---------

FIXTURES = Path(__file__).resolve().parent / "data" / "genius"


def strict_root(path: Path) -> ET.Element:
    """A fixture parsed strictly (the oracle's reading; lenient fixtures are cleaned first)."""
    return ET.fromstring(path.read_bytes())


def assert_matches_oracle(
    imported: Imported, domain: ET.Element, profiles: list[ET.Element], points: int = 21
) -> None:
    """Every package's utility is GENIUS's (exact rationals), and so is the frontier."""
    scenario = imported.scenario
    compiled = compile_scenario(scenario)
    bids = genius_oracle.bids(domain, points)
    assert compiled.space.outcome_count == len(bids)
    packages = compiled.space.all_packages()
    accord = compiled.utilities(packages)
    columns = genius_oracle.columns(domain, points)
    by_bid = {
        tuple(column[int(k)] for column, k in zip(columns, package, strict=True)): accord[:, row]
        for row, package in enumerate(packages)
    }
    exact = {bid: tuple(genius_oracle.utility(domain, p, bid) for p in profiles) for bid in bids}
    for bid, utilities in exact.items():
        assert by_bid[bid] == pytest.approx([float(u) for u in utilities], abs=1e-12), bid
    reservations = [
        Fraction(p.find("reservation").get("value", "0"))
        if p.find("reservation") is not None
        else Fraction(0)
        for p in profiles
    ]
    feasible = [
        u for u in exact.values() if all(x >= r for x, r in zip(u, reservations, strict=True))
    ]
    expected = sorted(tuple(float(x) for x in point) for point in genius_oracle.pareto(feasible))
    frontier = pareto_frontier(compiled)
    assert frontier.exact
    found = sorted(tuple(float(x) for x in row) for row in frontier.utilities)
    assert len(found) == len(expected)
    np.testing.assert_allclose(np.array(found), np.array(expected), rtol=0, atol=1e-12)


def rendered(imported: Imported) -> list[str]:
    return [warning.render() for warning in imported.warnings]


def test_root_objective_weight_is_read_and_never_used() -> None:
    # As the ANAC 2012 Fitness domains: root objective index 1, issues 2-4, a <weight> for 1.
    here = FIXTURES / "root-weight"
    (imported,) = read_genius_folder(here)
    profiles = [strict_root(here / f"Gym-A-prof{n}.xml") for n in (1, 2)]
    assert_matches_oracle(imported, strict_root(here / "Gym-A-domain.xml"), profiles)
    assert rendered(imported) == [
        f"{here / name}:{line}:5: weight index 1 is the root objective's: GENIUS reads it and "
        "never uses it (only the issues' weights count); left out"
        for name, line in (("Gym-A-prof1.xml", 17), ("Gym-A-prof2.xml", 4))
    ]


def test_root_objective_weight_against_negmas() -> None:
    # NegMAS 0.16 reads the root objective as one more issue (one value) and adds its weight:
    # its utilities are GENIUS's plus that weight (the evaluations here already peak at 1).
    from negmas.inout import Scenario as NegmasScenario

    here = FIXTURES / "root-weight"
    scenario = load_genius_folder(here)
    compiled = compile_scenario(scenario)
    negmas = NegmasScenario.load(here, ignore_discount=True)
    for outcome in negmas.outcome_space.enumerate():
        chosen = {
            issue.id: str(value) for issue, value in zip(scenario.issues, outcome[1:], strict=True)
        }
        ours = compiled.utilities(compiled.space.package_from_dict(chosen))
        for party, (ufun, root) in enumerate(zip(negmas.ufuns, (1.0, 0.7), strict=True)):
            assert float(ufun(outcome)) - root == pytest.approx(float(ours[party]), abs=1e-12)


def lenient_twin(source: Path, target: Path) -> Path:
    """The lenient fixture rewritten as strict XML by hand: what GENIUS reads."""
    target.mkdir()
    for path in source.iterdir():
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        text = text.replace(" & ", " &amp; ").replace('"discrete"vtype', '"discrete" vtype')
        (target / path.name).write_text(text, encoding="utf-8")
    return target


def test_lenient_xml_is_repaired_and_said_where(tmp_path: Path) -> None:
    here = FIXTURES / "lenient"
    (imported,) = read_genius_folder(here)
    twin = lenient_twin(here, tmp_path / "twin")
    (strict,) = read_genius_folder(twin)
    assert strict.warnings == ()
    assert imported.scenario.issues == strict.scenario.issues
    assert imported.scenario.issue("Carrier").options[0].label == "AT & T Mobility"
    assert imported.scenario.issue("Price").options[0].label == "20 €"
    domain, buyer, seller = (here / f"phone_{n}.xml" for n in ("domain", "buyer", "seller"))
    said = [(w.source, w.line, w.message.split(":")[0]) for w in imported.warnings]
    assert said == [
        (str(domain), 4, "repaired"),
        (str(domain), 5, "repaired"),
        (str(domain), 10, "repaired"),
        (str(domain), 11, "repaired"),
        (str(buyer), 4, "repaired"),
        (str(buyer), 9, "repaired"),
        (str(buyer), 10, "repaired"),
        (str(seller), 5, "repaired"),
    ]
    messages = [w.message for w in imported.warnings]
    assert "no space between two attributes" in messages[0]
    assert "an '&' that starts no entity reference" in messages[1]
    assert "byte 0x80 is not UTF-8 and the file declares no encoding" in messages[2]
    assert "'€'" in messages[2]
    roots = [strict_root(twin / f"phone_{n}.xml") for n in ("domain", "buyer", "seller")]
    assert_matches_oracle(imported, roots[0], roots[1:])


def test_xml_that_no_repair_explains_is_still_an_error(tmp_path: Path) -> None:
    text = (FIXTURES / "root-weight" / "Gym-A-domain.xml").read_text()
    broken = write(tmp_path / "d.xml", text.replace('<item index="2" value="Evening"/>', "<item <"))
    with pytest.raises(ScenarioError, match="malformed XML") as caught:
        load_genius(broken, [])
    assert caught.value.problems[0].line == line_of(text, 'value="Evening"')


def test_duplicate_item_names_the_first() -> None:
    here = FIXTURES / "duplicate-item"
    with pytest.raises(ScenarioError) as caught:
        load_genius_folder(here)
    (problem,) = caught.value.problems
    assert problem.message.startswith("duplicate value 'Red' (first at line 7)")
    assert (problem.source, problem.line) == (str(here / "car_domain.xml"), 9)


def test_profile_bounds_differing_from_the_domain_are_read_as_genius_does() -> None:
    here = FIXTURES / "bounds"
    (imported,) = read_genius_folder(here)
    profiles = [strict_root(here / f"lease_{n}.xml") for n in ("landlord", "tenant")]
    assert_matches_oracle(imported, strict_root(here / "lease_domain.xml"), profiles)
    compiled = compile_scenario(imported.scenario)
    # Tenant: months scored from the profile's lowerbound 4 (0.125 * (6 - 4) at 6 months).
    assert utility(compiled, "lease_tenant", Months="6", Deposit="0") == pytest.approx(0.625)
    tenant = str(here / "lease_tenant.xml")
    assert [(w.source, w.line) for w in imported.warnings if w.source == tenant] == [
        (tenant, 6),
        (tenant, 9),
    ]
    months, deposit = (w.message for w in imported.warnings if w.source == tenant)
    assert "bounds 4 to 12 of issue 'Months' differ" in months
    assert "offset + slope * (value - 4)" in months
    assert "linear real evaluator does not use them" in deposit


def test_real_issues_on_genius_grid_and_another() -> None:
    here = FIXTURES / "bounds"
    (default,) = read_genius_folder(here)
    assert compile_scenario(default.scenario).space.outcome_count == 5 * 21
    (grid,) = [w for w in default.warnings if w.message.startswith("real issue")]
    assert grid.message.startswith(
        "real issue 'Deposit' is read on 21 values from 0 to 2 in steps of 0.1, both bounds "
        "included: GENIUS's default grid of 21 discretisation steps"
    )
    (five,) = read_genius_folder(here, real_points=5)
    assert [o.value for o in five.scenario.issue("Deposit").options] == [0, 0.5, 1, 1.5, 2]
    assert any("a grid of 5 steps (GENIUS's default: 21)" in w.message for w in five.warnings)
    profiles = [strict_root(here / f"lease_{n}.xml") for n in ("landlord", "tenant")]
    assert_matches_oracle(five, strict_root(here / "lease_domain.xml"), profiles, points=5)


def test_elements_accord_does_not_model_are_warned() -> None:
    here = FIXTURES / "unread"
    (imported,) = read_genius_folder(here)
    domain, member = str(here / "club_domain.xml"), str(here / "club_member.xml")
    assert [(w.source, w.line, w.message.split(" is ")[0]) for w in imported.warnings] == [
        (domain, 5, "<agent>"),
        (domain, 12, "<stateissue> (and 1 more)"),
        (member, 9, "<similarity_function>"),
    ]
    assert all("not modelled by Accord and left out" in w.message for w in imported.warnings)
    assert [issue.id for issue in imported.scenario.issues] == ["Fee"]


def test_shipped_son_files_warn_of_what_they_hold_that_is_not_read() -> None:
    (imported,) = read_genius_folder(folder("genius-SON_with_discount-real"))
    tags = {w.message.split(" ")[0] for w in imported.warnings if "not modelled" in w.message}
    assert tags == {"<agent>", "<similarity_function>", "<criteria_function>"}


def test_domains_side_by_side_are_paired_by_issues_and_name() -> None:
    here = FIXTURES / "side-by-side"
    found = read_genius_folder(here)
    assert [(i.scenario.title, [p.id for p in i.scenario.parties]) for i in found] == [
        ("side-by-side Fruit-A-domain", ["Fruit-A-prof1", "Fruit-A-prof2"]),
        ("side-by-side Fruit-B-domain", ["Fruit-B-prof1", "Fruit-B-prof2"]),
        ("side-by-side Fruit-C-domain", ["Fruit-C-prof1"]),
    ]
    a, b, _ = found
    assert a.scenario.parties[0].preferences is not None
    assert a.scenario.parties[0].preferences.reservation == 0.5
    for imported, variant in ((a, "A"), (b, "B")):
        profiles = [strict_root(here / f"Fruit-{variant}-prof{n}.xml") for n in (1, 2)]
        assert_matches_oracle(imported, strict_root(here / f"Fruit-{variant}-domain.xml"), profiles)
    with pytest.raises(ScenarioError, match="this folder holds 3 GENIUS scenarios") as caught:
        load_genius_folder(here)
    assert "Fruit-A-domain (Fruit-A-prof1.xml, Fruit-A-prof2.xml)" in str(caught.value)
    picked = load_genius_folder(here, domain=here / "Fruit-B-domain.xml")
    assert [p.id for p in picked.parties] == ["Fruit-B-prof1", "Fruit-B-prof2"]
    assert load_genius_folder(here, domain=Path("Fruit-C-domain.xml")).issues[0].id == "Colour"


def test_two_domain_files_that_tie_list_the_candidates() -> None:
    here = FIXTURES / "two-domains"
    with pytest.raises(ScenarioError) as caught:
        read_genius_folder(here)
    assert [p.message for p in caught.value.problems] == [
        f"profile{n}.xml fits several domains equally (same issues and values, name shared as "
        "far): domain.xml, domain_v2.xml; give --domain FILE"
        for n in (1, 2)
    ]
    scenario = load_genius_folder(here, domain=here / "domain_v2.xml")
    assert [p.id for p in scenario.parties] == ["profile1", "profile2"]
    with pytest.raises(ScenarioError, match="--domain: expected a GENIUS domain file"):
        load_genius_folder(here, domain=here / "profile1.xml")
    with pytest.raises(ScenarioError, match="--domain: no such file"):
        load_genius_folder(here, domain=here / "missing.xml")


def test_a_profile_fitting_no_domain_says_so(tmp_path: Path) -> None:
    here = FIXTURES / "side-by-side"
    for name in ("Fruit-A-domain.xml", "Fruit-C-domain.xml", "Fruit-A-prof1.xml"):
        (tmp_path / name).write_bytes((here / name).read_bytes())
    text = (here / "Fruit-A-prof2.xml").read_text().replace('value="Plum"', 'value="Fig"')
    write(tmp_path / "Fruit-A-prof2.xml", text)
    with pytest.raises(ScenarioError, match=r"Fruit-A-prof2\.xml fits none of the domains"):
        read_genius_folder(tmp_path)


def test_excludes_hyper_rectangles_are_modelled_exactly() -> None:
    # ExclusiveHyperRectangle: worth its utility wherever some EXCLUDES bound fails.
    here = FIXTURES / "excludes"
    (imported,) = read_genius_folder(here)
    scenario = imported.scenario
    compiled = compile_scenario(scenario)
    profiles = [strict_root(here / f"profile-{n}.xml") for n in (1, 2)]
    packages = compiled.space.all_packages()
    ours = compiled.utilities(packages)
    exact = []
    for row, package in enumerate(packages):
        bid = {
            n: int(issue.options[int(k)].value or 0)
            for n, issue, k in zip((1, 2, 3), scenario.issues, package, strict=True)
        }
        utilities = tuple(genius_oracle.nonlinear_utility(p, bid) for p in profiles)
        exact.append(utilities)
        assert list(ours[:, row]) == pytest.approx([float(u) for u in utilities], abs=1e-12)
    feasible = [u for u in exact if u[0] >= Fraction(1, 8)]
    expected = sorted(tuple(float(x) for x in point) for point in genius_oracle.pareto(feasible))
    frontier = pareto_frontier(compiled)
    found = sorted(tuple(float(x) for x in row) for row in frontier.utilities)
    assert frontier.exact and len(found) == len(expected)
    np.testing.assert_allclose(np.array(found), np.array(expected), rtol=0, atol=1e-12)
    (warning,) = imported.warnings
    assert (warning.source, warning.line) == (str(here / "profile-2.xml"), 13)
    assert "GENIUS uses the EXCLUDES ones only" in warning.message


@pytest.mark.parametrize("fixture", ["lenient", "side-by-side A", "side-by-side B"])
def test_fixtures_against_negmas(tmp_path: Path, fixture: str) -> None:
    # Where NegMAS 0.16 loads a fixture (strict XML; the evaluations here peak at 1, so its raw
    # evaluations are GENIUS's), it gives every outcome Accord's utility.
    from negmas.inout import Scenario as NegmasScenario

    if fixture == "lenient":
        here = lenient_twin(FIXTURES / "lenient", tmp_path / "twin")
        domain, profiles = (
            here / "phone_domain.xml",
            [here / "phone_buyer.xml", here / "phone_seller.xml"],
        )
    else:
        variant = fixture[-1]
        here = FIXTURES / "side-by-side"
        domain = here / f"Fruit-{variant}-domain.xml"
        profiles = [here / f"Fruit-{variant}-prof{n}.xml" for n in (1, 2)]
    scenario = load_genius(domain, profiles)
    compiled = compile_scenario(scenario)
    negmas = NegmasScenario.from_genius_files(domain, profiles, ignore_discount=True)
    for outcome in negmas.outcome_space.enumerate():
        chosen = {
            issue.id: next(o.id for o in issue.options if o.label == str(value))
            for issue, value in zip(scenario.issues, outcome, strict=True)
        }
        ours = compiled.utilities(compiled.space.package_from_dict(chosen))
        theirs = [float(ufun(outcome)) for ufun in negmas.ufuns]
        assert list(ours) == pytest.approx(theirs, abs=1e-12)


def test_constraint_profile_without_rules_and_unknown_types_are_errors(tmp_path: Path) -> None:
    here = FIXTURES / "root-weight"
    text = (here / "Gym-A-prof1.xml").read_text()
    text = text.replace('<utility_space number_of_issues="3">', '<utility_space type="constraint">')
    profile = write(tmp_path / "p.xml", text)
    with pytest.raises(ScenarioError, match="a constraint profile needs <rules>") as caught:
        load_genius(here / "Gym-A-domain.xml", [profile])
    assert caught.value.problems[0].line == line_of(text, "<objective")
    profile = write(tmp_path / "p.xml", text.replace('type="constraint"', 'type="custom"'))
    with pytest.raises(ScenarioError, match="profile type 'CUSTOM' is not supported") as caught:
        load_genius(here / "Gym-A-domain.xml", [profile])
    assert caught.value.problems[0].line == line_of(text, "<utility_space")


@pytest.mark.parametrize(("fixture", "error"), [("unread", ValueError), ("bounds", OSError)])
def test_fixtures_negmas_does_not_read(fixture: str, error: type[Exception]) -> None:
    # What docs/reference/foreign-formats.md says of NegMAS 0.16; Accord reads both (above).
    from negmas.inout import Scenario as NegmasScenario

    with pytest.raises(error):
        NegmasScenario.load(FIXTURES / fixture, ignore_discount=True)
    assert read_genius_folder(FIXTURES / fixture)


def test_duplicate_item_in_a_profile_names_the_first(tmp_path: Path) -> None:
    here = FIXTURES / "root-weight"
    text = (here / "Gym-A-prof1.xml").read_text()
    text = text.replace(
        '<item index="2" value="Evening" evaluation="0.25"/>',
        '<item index="2" value="Evening" evaluation="0.25"/>\n<item value="Morning"/>',
    )
    profile = write(tmp_path / "p.xml", text)
    with pytest.raises(ScenarioError) as caught:
        load_genius(here / "Gym-A-domain.xml", [profile])
    (problem,) = caught.value.problems
    first = line_of(text, 'value="Morning"')
    assert problem.message == f"duplicate value 'Morning' (first at line {first})"
    assert problem.line == line_of(text, '<item value="Morning"/>')


def test_constraint_profiles_match_genius_exactly() -> None:
    # ConstraintUtilitySpace: ranks, zero constraints of every kind GENIUS loads (one for an
    # unranked issue, one of a type it does not load), zero-outcome constraints, on issue
    # indices whose HashMap order is not the file's (17 before 2).
    here = FIXTURES / "constraints"
    (imported,) = read_genius_folder(here)
    scenario = imported.scenario
    compiled = compile_scenario(scenario)
    assert [p.id for p in scenario.parties] == ["gadget_constraints", "gadget_linear"]
    domain = strict_root(here / "gadget_domain.xml")
    constraints, linear = (strict_root(here / f"gadget_{n}.xml") for n in ("constraints", "linear"))
    indices = [17, 2, 3, 4]
    packages = compiled.space.all_packages()
    assert len(packages) == 5 * 4 * 3 * 3
    ours = compiled.utilities(packages)
    exact = []
    zero_packages = 0
    for row, package in enumerate(packages):
        labels = [
            issue.options[int(k)].label for issue, k in zip(scenario.issues, package, strict=True)
        ]
        bid = dict(zip(indices, labels, strict=True))
        linear_bid = tuple(Fraction(v) if i == 17 else v for i, v in bid.items())
        utilities = (
            genius_oracle.constraint_utility(constraints, bid),
            genius_oracle.utility(domain, linear, linear_bid),
        )
        zero_packages += utilities[0] == 0
        exact.append(utilities)
        assert list(ours[:, row]) == pytest.approx([float(u) for u in utilities], abs=1e-12), bid
    assert zero_packages > 0  # the zero-outcome constraints bind
    feasible = [u for u in exact if u[0] >= Fraction(1, 10) and u[1] >= Fraction(1, 4)]
    expected = sorted(tuple(float(x) for x in point) for point in genius_oracle.pareto(feasible))
    frontier = pareto_frontier(compiled)
    found = sorted(tuple(float(x) for x in row) for row in frontier.utilities)
    assert frontier.exact and len(found) == len(expected)
    np.testing.assert_allclose(np.array(found), np.array(expected), rtol=0, atol=1e-12)
    preferences = scenario.parties[0].preferences
    assert (preferences.reservation, preferences.discount, preferences.cap) == (0.1, 0.9, None)
    assert not preferences.red_lines  # GENIUS's zero is a utility, not an exclusion
    text = (here / "gadget_constraints.xml").read_text()
    expected = {
        'value="purple"': "value 'purple' is not a value of issue 'Colour' in the domain",
        "<ranks>": "issue 'Extras' has no ranks: GENIUS gives it no part of the utility",
        'index="3" value="1"': "value of issue 'Count' contains '1' (a substring), which "
        "holds for '1', '10'",
        'index="17" value="1"': "value of issue 'Size' contains '1' (a substring), which "
        "holds for '-1', '1'",
        'type="sumZeroConstraintList"': "holds for 'red', 'dark red'",
        'type="inclusiveZeroOutcomeConstraint"': "value of issue 'Extras' contains 'tv'",
        'type="conditionalZeroOutcomeConstraint"': "takes the check of issue 'Size' as the "
        "condition and that of issue 'Colour' as what must hold (the order of its HashMap",
        'type="exclusiveZeroConstraint"': "constraint type 'exclusiveZeroConstraint' is not "
        "one GENIUS's ConstraintUtilitySpace loads",
        'type="zeroConstraint" index="4"': "for issue 'Extras', which has no ranks",
    }
    by_line = {line_of(text, needle): said for needle, said in expected.items()}
    assert sorted(w.line or 0 for w in imported.warnings) == sorted(by_line)
    for warning in imported.warnings:
        assert warning.source == str(here / "gadget_constraints.xml")
        assert by_line[warning.line or 0] in warning.message
