"""How many questions preferences by questions (PAPRIKA) asks, and what each one costs.

Each party of the peace plan with preferences is played by a scripted delegate who
answers from the additive part of its own preferences (weights x option values, as
written: interactions and red lines are not asked about) on the six points of the
territory block. Printed per party: the questions asked, the questions that could have
been asked (every within-point pair and every two-point trade-off), and the pairs of
packages of those points. These counts do not depend on the machine.

The time per question (the median over the walk of one ``next_question`` call on the
answers so far) is printed beside the time of one HiGHS solve of the same size measured in
the same run, as a ratio; only the ratio is meaningful on a loaded machine.

    python benchmarks/bench_elicitation.py
"""

from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

from accord.analysis.elicitation import (
    Answer,
    Choice,
    Limits,
    Question,
    _Index,
    _Polytope,
    derive_preferences,
    next_question,
)
from accord.scenario.loader import load_scenario
from accord.scenario.model import Issue

PLAN = Path(__file__).resolve().parent.parent / "examples" / "peace-plan-27.yaml"
BLOCK = "territory"
LIMITS = Limits(max_questions=200, max_level=2)


def candidate_count(issues: list[Issue]) -> int:
    sizes = [len(issue.options) for issue in issues]
    within = sum(math.comb(size, 2) for size in sizes)
    pairs = sum(math.comb(a, 2) * math.comb(b, 2) for a, b in _pairs(sizes))
    return within + pairs


def _pairs(sizes: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for k, a in enumerate(sizes) for b in sizes[k + 1 :]]


def main() -> None:
    scenario = load_scenario(PLAN)
    issues = [issue for issue in scenario.issues if issue.block == BLOCK]
    packages = math.prod(len(issue.options) for issue in issues)
    print(f"{BLOCK} block: {len(issues)} points, {packages} packages")
    print(f"{'party':8} {'asked':>6} {'could ask':>10} {'package pairs':>14} {'consistent':>11}")
    per_question: list[float] = []
    for party in scenario.parties:
        preferences = party.preferences
        if preferences is None:
            continue
        weights = preferences.weights or {}
        worth = {
            (issue.id, option.id): weights.get(issue.id, 1.0)
            * preferences.values.get(issue.id, {}).get(option.id, 0.0)
            for issue in issues
            for option in issue.options
        }

        def choose(question: Question, worth: dict[tuple[str, str], float] = worth) -> Choice:
            first = sum(worth[pair] for pair in question.first)
            second = sum(worth[pair] for pair in question.second)
            if math.isclose(first, second, abs_tol=1e-12):
                return "equal"
            return "first" if first > second else "second"

        answers: list[Answer] = []
        while True:
            start = time.perf_counter()
            step = next_question(issues, answers, LIMITS)
            per_question.append(time.perf_counter() - start)
            if step.question is None:
                break
            answers.append(Answer(step.question, choose(step.question)))
        derived = derive_preferences(issues, answers)
        print(
            f"{party.id:8} {len(answers):>6} {candidate_count(issues):>10} "
            f"{packages * (packages - 1) // 2:>14} {derived.consistency.consistent!s:>11}"
        )
    index = _Index(issues)
    polytope = _Polytope(index, answers)
    solves = []
    for _ in range(30):
        start = time.perf_counter()
        polytope.best()
        solves.append(time.perf_counter() - start)
    question, solve = statistics.median(per_question), statistics.median(solves)
    print(
        f"median time per question {question * 1000:.1f} ms; one LP of the same size "
        f"{solve * 1000:.2f} ms; ratio {question / solve:.0f}x"
    )


if __name__ == "__main__":
    main()
