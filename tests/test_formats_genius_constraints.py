"""GENIUS constraint profiles: what GENIUS would fail on is an error at its line.

The exact utilities of every constraint kind are checked against the oracle in
tests/test_formats_genius.py (``test_constraint_profiles_match_genius_exactly``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.formats.genius import load_genius

HERE = Path(__file__).resolve().parent / "data" / "genius" / "constraints"
DOMAIN = HERE / "gadget_domain.xml"
PROFILE = (HERE / "gadget_constraints.xml").read_text()


def variant(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    assert old in PROFILE
    text = PROFILE.replace(old, new, 1)
    path = tmp_path / "profile.xml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        (
            '<item value="2" rank="3"/>\n',
            "",
            '<issue index="3">',
            "no rank for value(s) '2' of issue 'Count': GENIUS cannot score a bid",
        ),
        (
            '<item value="-2" rank="1"/>',
            '<item value="-2" rank="1.5"/>',
            'rank="1.5"',
            "expected an integer for 'rank', got '1.5'",
        ),
        (
            '<item index="17"/>\n          <item index="3"/>',
            '<item index="4"/>',
            'type="sumZeroConstraint"',
            "reads issue 'Extras' as an integer, but its value 'none' is not one",
        ),
        (
            '<checkassignment index="2" condition="blue"/>',
            "",
            'type="conditionalZeroOutcomeConstraint"',
            "needs exactly two <checkassignment> issues (GENIUS fails otherwise), got 1",
        ),
        (
            '<valueassignment index="4" value="wifi"/>',
            '<valueassignment index="9" value="wifi"/>',
            'index="9"',
            "issue index 9 is not in the domain",
        ),
        (
            'type="sumZeroConstraint" index="17" value="1" min="2"',
            'type="sumZeroConstraint" index="17" value="1"',
            'type="sumZeroConstraint"',
            "expected an integer for 'min', got None",
        ),
        (
            '<issue index="3">\n          <item value="1" rank="2"/>',
            '<issue index="2">\n          <item value="1" rank="2"/>',
            '<issue index="2">\n          <item value="1"',
            "issue index 2 is ranked twice",
        ),
    ],
)
def test_what_genius_fails_on_is_an_error_at_its_line(
    tmp_path: Path, old: str, new: str, at: str, message: str
) -> None:
    profile, text = variant(tmp_path, old, new)
    with pytest.raises(ScenarioError) as caught:
        load_genius(DOMAIN, [profile])
    (problem,) = caught.value.problems
    assert message in problem.message
    assert (problem.source, problem.line) == (str(profile), line_of(text, at))


def test_no_positive_rank_is_an_error(tmp_path: Path) -> None:
    ranks = ('rank="2"/>', 'rank="3"/>', 'rank="1"/>\n        </issue>\n      </ranks>')
    text = PROFILE
    start = text.index('<issue index="3">')
    head, tail = text[:start], text[start:]
    for rank in ranks:
        tail = tail.replace(rank, rank.replace('rank="', 'rank="-'), 1)
    profile = tmp_path / "profile.xml"
    profile.write_text(head + tail, encoding="utf-8")
    with pytest.raises(ScenarioError, match="issue 'Count' has no positive rank"):
        load_genius(DOMAIN, [profile])


def test_a_zero_outcome_constraint_without_checks_zeroes_every_package(tmp_path: Path) -> None:
    # InclusiveZeroOutcomeConstraint with nothing to check holds for every bid.
    profile, _ = variant(
        tmp_path,
        '<checkassignment index="4" condition="tv"/>\n'
        '          <checkassignment index="17" condition="numeric=positive"/>',
        "",
    )
    from accord.analysis.compiled import compile_scenario

    compiled = compile_scenario(load_genius(DOMAIN, [profile]))
    assert compiled.space.outcome_count == 180
    assert abs(compiled.utilities(compiled.space.all_packages())).max() == pytest.approx(
        0, abs=1e-12
    )
