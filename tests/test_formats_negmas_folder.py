"""NegMAS scenario folders: fixtures written here, and folders NegMAS 0.16 itself writes.

Three oracles: exact rationals computed from the numbers in the files (every package, and
the frontier); NegMAS's own utility functions (in memory, and as ``Scenario.load`` reads a
YAML folder); and :func:`accord.formats.negmas_bridge.from_negmas` of the same scenario.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from negmas.inout import Scenario as NegmasScenario
from negmas.outcomes import make_issue, make_os
from negmas.preferences import (
    AffineUtilityFunction,
    LinearAdditiveUtilityFunction,
    MappingUtilityFunction,
)
from negmas.preferences.value_fun import AffineFun, ConstFun, IdentityFun, LinearFun, TableFun

from accord.analysis.compiled import compile_scenario
from accord.analysis.frontier import pareto_frontier
from accord.errors import ScenarioError
from accord.formats.detect import detect_format, import_any
from accord.formats.negmas_bridge import from_negmas
from accord.formats.negmas_folder import load_negmas_folder, read_negmas_folder
from accord.scenario.model import Scenario

FIXTURES = Path(__file__).resolve().parent / "data" / "negmas"


def every_outcome(scenario: Scenario) -> list[tuple[Any, ...]]:
    """Each package as NegMAS's outcome: option values (numbers) or labels."""
    columns = [
        [option.label if option.value is None else option.value for option in issue.options]
        for issue in scenario.issues
    ]
    return list(itertools.product(*columns))


def accord_utilities(scenario: Scenario) -> np.ndarray:
    """``(outcomes, parties)``, in ``every_outcome``'s order (all packages, in order)."""
    compiled = compile_scenario(scenario)
    return compiled.utilities(compiled.space.all_packages()).T


def linear_oracle(path: Path, outcome: tuple[Any, ...]) -> Fraction:
    """A linear-additive file's utility of ``outcome``, in exact rationals."""
    data = yaml.safe_load(path.read_text())
    total = Fraction(data.get("bias", 0))
    for weight, function, value in zip(data["weights"], data["values"], outcome, strict=True):
        kind = function["type"]
        if kind == "TableFun":
            score = Fraction(function["mapping"][value])
        elif kind == "ConstFun":
            score = Fraction(function["bias"])
        else:
            slope = Fraction(1) if kind == "IdentityFun" else Fraction(function["slope"])
            score = slope * Fraction(value) + Fraction(function.get("bias", 0))
        total += Fraction(weight) * score
    return total


def test_a_linear_additive_folder_is_read_exactly() -> None:
    here = FIXTURES / "market"
    assert detect_format(here) == "negmas"
    scenario = load_negmas_folder(here)
    assert [p.id for p in scenario.parties] == ["buyer", "seller"]
    assert [len(issue.options) for issue in scenario.issues] == [3, 4, 3]
    outcomes = every_outcome(scenario)
    exact = [
        tuple(linear_oracle(here / f"{name}.yml", o) for name in ("buyer", "seller"))
        for o in outcomes
    ]
    np.testing.assert_allclose(
        accord_utilities(scenario), np.array(exact, dtype=float), rtol=0, atol=1e-12
    )
    # Reservations: 0.25 as written; the seller's minus infinity is its worst package.
    buyer, seller = (party.preferences for party in scenario.parties)
    assert buyer is not None and seller is not None
    assert buyer.reservation == 0.25
    assert seller.reservation == float(min(u for _, u in exact))
    feasible = [u for u in exact if u[0] >= Fraction(1, 4)]
    expected = sorted(
        tuple(float(x) for x in u)
        for u in feasible
        if not any(all(o >= p for o, p in zip(v, u, strict=True)) and v != u for v in feasible)
    )
    frontier = pareto_frontier(compile_scenario(scenario))
    found = sorted(tuple(float(x) for x in row) for row in frontier.utilities)
    assert frontier.exact and len(found) == len(expected)
    np.testing.assert_allclose(np.array(found), np.array(expected), rtol=0, atol=1e-12)


def test_a_linear_additive_folder_against_negmas_own_loader() -> None:
    here = FIXTURES / "market"
    scenario = load_negmas_folder(here)
    negmas = NegmasScenario.load(here)
    ours = accord_utilities(scenario)
    for row, outcome in enumerate(every_outcome(scenario)):
        theirs = [float(ufun(outcome)) for ufun in negmas.ufuns]
        assert list(ours[row]) == pytest.approx(theirs, abs=1e-12)
    bridged = from_negmas(negmas)
    np.testing.assert_allclose(accord_utilities(bridged), ours, rtol=0, atol=1e-12)
    for mine, theirs in zip(scenario.parties, bridged.parties, strict=True):
        assert mine.preferences is not None and theirs.preferences is not None
        assert mine.preferences.reservation == pytest.approx(theirs.preferences.reservation)


def test_a_mapping_folder_with_red_lines_and_a_default() -> None:
    here = FIXTURES / "mapping"
    scenario = load_negmas_folder(here)
    a, b = (party.preferences for party in scenario.parties)
    assert a is not None and b is not None
    # a's table leaves (right, 1) out and its default is minus infinity: a red line.
    assert [dict(line.options) for line in a.red_lines] == [{"side": "right", "size": "1"}]
    assert b.red_lines == ()
    ours = accord_utilities(scenario)
    expected = {
        ("left", 0): (0.25, 0.375),
        ("left", 1): (1.0, 0.0),
        ("right", 0): (0.5, 0.375),
        ("right", 1): (None, 1.0),
    }
    for row, outcome in enumerate(every_outcome(scenario)):
        want_a, want_b = expected[outcome]
        assert ours[row, 1] == want_b
        if want_a is not None:
            assert ours[row, 0] == want_a
    result = import_any(here).scenario
    assert result == scenario


def test_negmas_writes_folders_that_read_back_exactly(tmp_path: Path) -> None:
    issues = [make_issue(["a", "b", "c"], "x"), make_issue(4, "n"), make_issue([2, 5], "k")]
    space = make_os(issues, name="written")
    outcomes = list(space.enumerate())
    first = LinearAdditiveUtilityFunction(
        values=[
            TableFun({"a": 1.0, "b": 0.3, "c": 0.0}),
            AffineFun(0.2, bias=0.1),
            LinearFun(0.05),
        ],
        weights=[0.5, 0.3, 0.2],
        outcome_space=space,
        reserved_value=0.2,
        name="first",
    )
    second = LinearAdditiveUtilityFunction(
        values=[TableFun({"a": 0.0, "b": 1.0, "c": 0.7}), IdentityFun(), ConstFun(0.4)],
        weights=[0.6, -0.1, 0.5],
        outcome_space=space,
        name="second",
    )
    third = MappingUtilityFunction(
        {o: (k % 7) / 8 for k, o in enumerate(outcomes) if k % 5}, outcome_space=space, name="third"
    )
    negmas = NegmasScenario(outcome_space=space, ufuns=(first, second, third))
    negmas.dumpas(tmp_path / "yml", type="yml")
    scenario = load_negmas_folder(tmp_path / "yml")
    assert [p.id for p in scenario.parties] == ["first", "second", "third"]
    ours = accord_utilities(scenario)
    for row, outcome in enumerate(outcomes):
        for party, ufun in enumerate(negmas.ufuns):
            value = float(ufun(outcome))
            if math.isfinite(value):
                assert ours[row, party] == pytest.approx(value, abs=1e-12)
    third_preferences = scenario.parties[2].preferences
    assert third_preferences is not None
    assert len(third_preferences.red_lines) == sum(1 for k in range(len(outcomes)) if k % 5 == 0)
    # NegMAS 0.16 cannot write the mapping as JSON (tuple keys): the linear ones only.
    NegmasScenario(outcome_space=space, ufuns=(first, second)).dumpas(tmp_path / "js", type="json")
    from_json = load_negmas_folder(tmp_path / "js")
    np.testing.assert_array_equal(accord_utilities(from_json), ours[:, :2])


def test_affine_utility_functions_are_linear_in_the_values(tmp_path: Path) -> None:
    space = make_os([make_issue(3, "n"), make_issue([1, 4], "m")], name="affine")
    ufun = AffineUtilityFunction([0.5, -0.25], bias=0.125, outcome_space=space, name="u")
    NegmasScenario(outcome_space=space, ufuns=(ufun,)).dumpas(tmp_path, type="yml")
    scenario = load_negmas_folder(tmp_path)
    ours = accord_utilities(scenario)
    for row, outcome in enumerate(space.enumerate()):
        assert ours[row, 0] == pytest.approx(float(ufun(outcome)), abs=1e-12)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "buyer.yml",
            "type: LinearAdditiveUtilityFunction",
            "type: HyperRectangleUtilityFunction",
            "utility function type 'HyperRectangleUtilityFunction' is not supported",
        ),
        ("buyer.yml", "type: LinearFun", "type: TriangularFun", "value function 'TriangularFun'"),
        ("market.yml", "type: ContiguousIssue", "type: ContinuousIssue", "discretise it"),
        ("buyer.yml", "    plum: 0.0\n", "", "no value for 'plum'"),
    ],
)
def test_what_is_not_read_is_refused_by_name(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    for path in (FIXTURES / "market").iterdir():
        text = path.read_text()
        if path.name == file:
            assert old in text
            text = text.replace(old, new)
        (tmp_path / path.name).write_text(text)
    with pytest.raises(ScenarioError, match=message) as caught:
        read_negmas_folder(tmp_path)
    assert caught.value.problems[0].source == str(tmp_path / file)


def test_anl_2024_scenario_folders_are_negmas_folders(tmp_path: Path) -> None:
    # ANL 2024's `anl make-scenarios` writes each scenario with NegMAS's `Scenario.dumpas`
    # (anl/cli.py: `s.dumpas(path / s.outcome_space.name)`, plus `fig.png` when plotting), and
    # its tournaments load them back with `Scenario.load`: the same YAML layout as above. Its
    # zero-sum DivideThePie (anl2024/runner.py, `zerosum_pie_scenarios`) is one "portions"
    # issue of values "i_(n-1-i)", each side a LinearAdditiveUtilityFunction with one TableFun
    # worth its own share over n - 1; DivideThePies has three issues (NegMAS's
    # `generate_multi_issue_ufuns`).
    n = 9
    portions = make_issue([f"{i}_{n - 1 - i}" for i in range(n)], "portions")
    pie = make_os([portions], name="DivideThePie0")
    sides = tuple(
        LinearAdditiveUtilityFunction(
            values=(
                TableFun({v: float(int(str(v).split("_")[k]) / (n - 1)) for v in portions.all}),
            ),
            name=name,
            outcome_space=pie,
            reserved_value=reserved,
        )
        for k, (name, reserved) in enumerate((("First0", 0.25), ("Second0", 0.375)))
    )
    pies = make_os(
        [
            make_issue([f"v{k}" for k in range(1, size + 1)], f"i{j}")
            for j, size in enumerate((3, 4, 2))
        ],
        name="DivideThePies1",
    )
    tables = [
        (
            {"v1": 0.0, "v2": 0.5, "v3": 1.0},
            {"v1": 1.0, "v2": 0.25, "v3": 0.75, "v4": 0.0},
            {"v1": 0.0, "v2": 1.0},
        ),
        (
            {"v1": 1.0, "v2": 0.5, "v3": 0.0},
            {"v1": 0.0, "v2": 0.75, "v3": 0.25, "v4": 1.0},
            {"v1": 1.0, "v2": 0.0},
        ),
    ]
    multi = tuple(
        LinearAdditiveUtilityFunction(
            values=tuple(TableFun(t) for t in table),
            weights=weights,
            name=name,
            outcome_space=pies,
            reserved_value=0.125,
        )
        for table, weights, name in zip(
            tables, ((0.5, 0.25, 0.25), (0.125, 0.625, 0.25)), ("First0", "Second1"), strict=True
        )
    )
    for space, ufuns in ((pie, sides), (pies, multi)):
        folder = tmp_path / str(space.name)
        NegmasScenario(outcome_space=space, ufuns=ufuns).dumpas(folder)
        (folder / "fig.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # what --plot adds
        assert detect_format(folder) == "negmas"
        imported = read_negmas_folder(folder)
        scenario = imported.scenario
        assert [p.id for p in scenario.parties] == [u.name for u in ufuns]
        assert NegmasScenario.is_loadable(folder)
        theirs = NegmasScenario.load(folder)
        ours = accord_utilities(scenario)
        for row, outcome in enumerate(every_outcome(scenario)):
            exact = [linear_oracle(folder / f"{u.name}.yml", outcome) for u in ufuns]
            assert list(ours[row]) == [float(x) for x in exact]
            assert list(ours[row]) == pytest.approx(
                [float(u(outcome)) for u in theirs.ufuns], abs=1e-12
            )
        reservations = [p.preferences.reservation for p in scenario.parties if p.preferences]
        assert reservations == [u.reserved_value for u in ufuns]
