"""Red lines avoided together, by enumeration per group: the brute force over every package
agrees on random red lines (one, two or three issues each, one or several options)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.analysis import red_lines as module
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.red_lines import avoiding_package
from accord.scenario.model import Scenario

OPTIONS = (3, 2, 4, 2, 3)


def scenario_with(lines: list[dict[str, list[str]]]) -> CompiledScenario:
    issues = [
        {"id": f"i{k}", "options": [{"id": f"o{k}{n}"} for n in range(count)]}
        for k, count in enumerate(OPTIONS)
    ]
    values = {
        f"i{k}": {f"o{k}{n}": n / count for n in range(count)} for k, count in enumerate(OPTIONS)
    }
    party = {
        "id": "p",
        "preferences": {"values": values, "red_lines": [{"options": line} for line in lines]},
    }
    return compile_scenario(
        Scenario.model_validate({"id": "r", "issues": issues, "parties": [party]})
    )


def red_line() -> st.SearchStrategy[dict[str, list[str]]]:
    def options(issues: list[int]) -> st.SearchStrategy[dict[str, list[str]]]:
        return st.fixed_dictionaries(
            {
                f"i{k}": st.lists(
                    st.sampled_from([f"o{k}{n}" for n in range(OPTIONS[k])]),
                    min_size=1,
                    max_size=OPTIONS[k],
                    unique=True,
                )
                for k in issues
            }
        )

    return st.lists(st.integers(0, len(OPTIONS) - 1), min_size=1, max_size=3, unique=True).flatmap(
        options
    )


@given(st.lists(red_line(), min_size=1, max_size=6), st.data())
def test_agrees_with_every_package(lines: list[dict[str, list[str]]], data: st.DataObject) -> None:
    compiled = scenario_with(lines)
    chosen = data.draw(
        st.lists(st.integers(0, len(compiled.red_lines) - 1), unique=True, max_size=6)
    )
    packages = np.array(list(itertools.product(*(range(c) for c in OPTIONS))), dtype=np.int64)
    crossed = compiled.crossed_red_lines(packages)[chosen].any(axis=0)
    if crossed.all():
        with pytest.raises(LookupError):
            avoiding_package(compiled, chosen)
        return
    package = avoiding_package(compiled, chosen)
    assert package is not None
    assert not compiled.crossed_red_lines(package)[chosen].any()


def test_a_group_too_large_is_left_to_the_program(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = scenario_with([{"i0": ["o00"], "i2": ["o20"]}])
    monkeypatch.setattr(module, "MAX_GROUP_PACKAGES", 11)
    assert avoiding_package(compiled, [0]) is None
    monkeypatch.setattr(module, "MAX_GROUP_PACKAGES", 12)
    assert avoiding_package(compiled, [0]) is not None
