"""Time per answer of improve, coalitions, agenda and Adjusted Winner (issue 13).

Each analysis runs in this process through the Python API on the illustrative plan with 2,
3 and 4 voters (the EU, then the US, seated), the plan with Russia's Donetsk red line
dropped (so that a deal exists; with 2 voters also the agenda with the two halfway troop
caps, and what survives each seat), ``improve`` on a random 4 x 27 x 4 scenario, ``coalitions
--all`` on the plan with four generated parties (8 parties, 247 coalitions, with the number
of HiGHS solves) and Adjusted
Winner on the Panama Canal table. Each answer is timed once (Adjusted Winner: median of
three); beside it, the time of ``analyze`` on the same scenario (median of three, one run
for the generated scenarios) measured in the same run, and the ratio (the machine may be
loaded: only ratios measured together are comparable).

    python benchmarks/bench_new_analyses.py [all|generated]

The baseline of the generated scenarios is one exact program (their utilitarian package):
``analyze`` would build a thinned frontier of four or six voters there, which takes minutes.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from accord import (
    adjusted_winner,
    agenda,
    analyze,
    coalitions,
    compile_scenario,
    improve,
    load_scenario,
)
from accord.analysis.added_option import compromise_options
from accord.analysis.compiled import CompiledScenario
from accord.analysis.solutions import utilitarian
from accord.scenario.generate import random_additive_scenario, with_random_parties
from accord.scenario.model import Scenario

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3


def seconds(job: Callable[[], Any], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def relaxed_plan() -> Scenario:
    plan = load_scenario(ROOT / "examples" / "peace-plan-27.yaml")
    data = plan.model_dump(exclude_none=True)
    for party in data["parties"]:
        if party["id"] == "ru":
            party["preferences"]["red_lines"] = [
                r
                for r in party["preferences"]["red_lines"]
                if r.get("label") != "Ukraine must withdraw from Donetsk"
            ]
    return Scenario.model_validate(data)


def voters(scenario: Scenario, count: int) -> Scenario:
    return scenario.with_required(("eu", "us")[: count - 2]) if count > 2 else scenario


def row(
    name: str,
    job: Callable[[], Any],
    base: float,
    runs: int = 1,
    baseline_name: str = "analyze",
) -> None:
    answer = seconds(job, runs)
    print(
        f"{name:<58} {answer:8.3f} s   {baseline_name:>11} {base:7.3f} s   "
        f"ratio {answer / base:7.2f}"
    )


def seats(compiled: CompiledScenario) -> None:
    """What survives each seat (the figures of theory.md section 13)."""
    for change in agenda(compiled).changes:
        kept = change.survivors
        if kept is None:
            continue
        if kept.frontier_points == 0:
            print(f"  {change.label}: no deal today, so no package of today's survives")
            continue
        costs = ", ".join(
            f"{compiled.party_ids[p]} {kept.cost[p]:+.3f}" for p in compiled.voter_indices
        )
        print(
            f"  {change.label}: Nash package survives {kept.nash_survives}; "
            f"{kept.surviving_points} of {kept.frontier_points} frontier points; cost {costs}"
        )


def main(part: str) -> None:
    plan = load_scenario(ROOT / "examples" / "peace-plan-27.yaml")
    relaxed = relaxed_plan()
    print(f"{'analysis':<58} {'time':>10}   {'baseline (same scenario)':>24}")
    for label, scenario in (("plan", plan), ("relaxed plan", relaxed)):
        if part == "generated":
            break
        for count in (2, 3, 4):
            case = voters(scenario, count)
            compiled = compile_scenario(case)
            draft = compiled.space.package_from_dict(
                {issue.id: issue.status_quo or issue.options[0].id for issue in case.issues}
            )

            baseline = seconds(lambda case=case: analyze(case))
            row(
                f"improve, {label}, {count} voters (status quo draft)",
                lambda c=compiled, d=draft: improve(c, d),
                baseline,
            )
            row(
                f"coalitions --all, {label}, {count} voters",
                lambda c=compiled: coalitions(c, every_subset=True),
                baseline,
            )
            row(f"agenda, {label}, {count} voters", lambda c=compiled: agenda(c), baseline)
            if count == 2:
                halfway = compromise_options(case)
                row(
                    f"agenda + {len(halfway)} halfway troop caps, {label}, 2 voters",
                    lambda c=compiled, h=halfway: agenda(c, added=h),  # type: ignore[misc]
                    baseline,
                )
                seats(compiled)
    random_case = random_additive_scenario(4, 27, 4, seed=1, reservation=0.3)
    compiled = compile_scenario(random_case)
    rng = np.random.default_rng(0)
    drafts = [rng.integers(0, 4, 27) for _ in range(3)]

    # analyze would build a thinned four-voter frontier here (minutes): the baseline is one
    # exact program over the same scenario, the utilitarian package.
    random_baseline = seconds(lambda: utilitarian(compiled))
    for index, draft in enumerate(drafts):
        row(
            f"improve, random 4 x 27 x 4, draft {index + 1}",
            lambda d=draft: improve(compiled, d),
            random_baseline,
            baseline_name="utilitarian",
        )
    eight = with_random_parties(plan, 4, seed=0, reservation=0.5)
    compiled_eight = compile_scenario(eight)
    row(
        "coalitions --all, plan + 4 generated parties (8, 247 sets)",
        lambda: coalitions(compiled_eight, every_subset=True),
        seconds(lambda: utilitarian(compiled_eight)),
        baseline_name="utilitarian",
    )
    result = coalitions(compiled_eight, every_subset=True)
    agreeing = sum(c.feasible for c in result.coalitions)
    print(f"  {agreeing} of {len(result.coalitions)} can agree; {result.programs} HiGHS solves")
    panama = load_scenario(ROOT / "examples" / "panama-canal-1977.yaml")
    compiled_panama = compile_scenario(panama)
    row(
        "adjusted-winner, Panama Canal",
        lambda: adjusted_winner(compiled_panama),
        seconds(lambda: analyze(panama)),
        runs=RUNS,
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "all")
