"""The mediator granted the parties' preferences tables the Nash package; without the grant
nothing reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.analysis.compiled import compile_scenario
from accord.analysis.nash import nash
from accord.errors import AccordError, ScenarioError
from accord.negotiation.protocols import protocol
from accord.negotiation.registry import make_strategy
from accord.negotiation.runner import simulate
from accord.negotiation.strategies import AnnealingMediator, NashMediator
from accord.scenario.loader import load_scenario, parse_scenario

CAMP_DAVID = Path(__file__).resolve().parents[1] / "examples" / "camp-david-1978.yaml"


def granted(path: Path = CAMP_DAVID) -> str:
    """The scenario's text with ``sees_preferences: true`` on the mediator ``us``."""
    text = path.read_text(encoding="utf-8")
    assert "  - id: us\n" in text
    return text.replace("  - id: us\n", "  - id: us\n    sees_preferences: true\n", 1)


@pytest.mark.parametrize("name", ["single-text", "shuttle"])
def test_granted_it_reaches_the_nash_package(name: str) -> None:
    scenario = parse_scenario(granted(), "camp-david-granted.yaml")
    result = simulate(scenario, name, {"us": "nash-mediator"}, 1, 100)
    expected = nash(compile_scenario(scenario)).outcome
    assert expected is not None
    assert result.trace.agreement == tuple(int(o) for o in expected.package)
    assert result.metrics.distance_to_nash == pytest.approx(0.0, abs=1e-12)
    assert dict(result.trace.metadata)["mediator_sees_preferences"] == "yes"
    # Every draft is that package: the text never moves.
    drafts = {e.package for e in result.trace.events if e.kind == "draft"}
    assert drafts == {result.trace.agreement}


def test_without_the_grant_it_is_refused_before_running() -> None:
    with pytest.raises(AccordError, match="sees_preferences: true on party 'us'"):
        simulate(load_scenario(CAMP_DAVID), "single-text", {"us": "nash-mediator"}, 1, 100)


def test_run_directly_without_the_grant_it_says_why() -> None:
    compiled = compile_scenario(load_scenario(CAMP_DAVID))
    strategies = {"eg": make_strategy("linear"), "il": make_strategy("linear")}
    strategies["us"] = NashMediator()
    with pytest.raises(AccordError, match="needs the parties' preferences"):
        protocol("single-text").run(compiled, strategies, 0, 10, mediator="us")


def test_no_mediator_reads_preferences_it_was_not_granted() -> None:
    compiled = compile_scenario(load_scenario(CAMP_DAVID))
    mediator = AnnealingMediator()
    mediator.confide(compiled)  # left over from an earlier run: a new run clears it
    strategies = {"eg": make_strategy("linear"), "il": make_strategy("linear"), "us": mediator}
    protocol("single-text").run(compiled, strategies, 0, 10, mediator="us")
    assert mediator.confided is None
    protocol("shuttle").run(
        compiled, strategies, 0, 10, mediator="us", mediator_sees_preferences=True
    )
    assert mediator.confided is compiled


def test_without_a_feasible_package_it_drafts_from_the_objections() -> None:
    # The peace plan has no feasible package: no Nash package, so it drafts as the annealer.
    plan = Path(__file__).resolve().parents[1] / "examples" / "peace-plan-27.yaml"
    text = plan.read_text(encoding="utf-8")
    mediator_id = next(p.id for p in load_scenario(plan).parties if p.role == "mediator")
    marker = f"  - id: {mediator_id}\n"
    scenario = parse_scenario(
        text.replace(marker, marker + "    sees_preferences: true\n", 1), "plan.yaml"
    )
    assert nash(compile_scenario(scenario)).outcome is None
    fallback = simulate(scenario, "single-text", {mediator_id: "annealing-mediator"}, 2, 5)
    informed = simulate(scenario, "single-text", {mediator_id: "nash-mediator"}, 2, 5)
    drafts = [
        [e.package for e in run.trace.events if e.kind == "draft"] for run in (fallback, informed)
    ]
    assert drafts[0] == drafts[1] and len(drafts[0]) > 1


def test_only_a_mediator_can_be_granted_preferences() -> None:
    text = CAMP_DAVID.read_text(encoding="utf-8")
    assert "  - id: eg\n" in text
    bad = text.replace("  - id: eg\n", "  - id: eg\n    sees_preferences: true\n", 1)
    with pytest.raises(ScenarioError, match="only a mediator can be granted") as error:
        parse_scenario(bad, "bad.yaml")
    assert "bad.yaml:" in str(error.value)
