"""Preferences by questions (PAPRIKA): a scripted delegate with known additive preferences.

The delegate's true part-worths are exact integers; every answer is computed from them
with ``fractions``-free integer sums, and the derived preferences are checked against
them by brute force over every pair of packages.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.analysis.compiled import compile_scenario
from accord.analysis.elicitation import (
    Answer,
    Choice,
    ElicitationError,
    Limits,
    Question,
    answers_from_data,
    answers_to_data,
    consistency,
    derive_preferences,
    next_question,
)
from accord.scenario.model import Issue, Party, Preferences, RedLine, Scenario

Truth = dict[tuple[str, str], int]


def agenda(sizes: Sequence[int]) -> list[Issue]:
    return [
        Issue.model_validate(
            {"id": f"p{k + 1}", "options": [{"id": f"{chr(65 + j)}"} for j in range(size)]}
        )
        for k, size in enumerate(sizes)
    ]


def scripted_answer(truth: Truth, question: Question) -> Choice:
    first = sum(truth[pair] for pair in question.first)
    second = sum(truth[pair] for pair in question.second)
    return "first" if first > second else "second" if second > first else "equal"


def elicit(issues: Sequence[Issue], truth: Truth, limits: Limits) -> tuple[list[Answer], list[int]]:
    """Answer every question; return the answers and each step's upper bound."""
    answers: list[Answer] = []
    bounds: list[int] = []
    while True:
        step = next_question(issues, answers, limits)
        assert step.consistency.consistent
        if step.question is None:
            return answers, bounds
        bounds.append(step.remaining_at_most)
        answers.append(Answer(step.question, scripted_answer(truth, step.question)))


def random_truth(issues: Sequence[Issue], rng: random.Random, top: int = 9) -> Truth:
    return {
        (issue.id, option.id): rng.randint(0, top) for issue in issues for option in issue.options
    }


def derived_utilities(issues: Sequence[Issue], preferences: Preferences) -> list[float]:
    scenario = Scenario(
        id="elicited", issues=tuple(issues), parties=(Party(id="P", preferences=preferences),)
    )
    compiled = compile_scenario(scenario)
    return [float(u) for u in compiled.utilities(compiled.space.all_packages())[0]]


def true_utilities(issues: Sequence[Issue], truth: Truth) -> list[int]:
    packages = itertools.product(*[[o.id for o in issue.options] for issue in issues])
    return [
        sum(truth[(issue.id, option)] for issue, option in zip(issues, package, strict=True))
        for package in packages
    ]


def sign(value: float, tolerance: float = 1e-9) -> int:
    return 0 if abs(value) <= tolerance else (1 if value > 0 else -1)


def assert_same_ranking(issues: Sequence[Issue], truth: Truth, preferences: Preferences) -> None:
    derived = derived_utilities(issues, preferences)
    true = true_utilities(issues, truth)
    for a, b in itertools.combinations(range(len(true)), 2):
        assert sign(derived[a] - derived[b]) == sign(true[a] - true[b]), (a, b)


def test_golden_sequence_two_points() -> None:
    """The exact questions for point 6 (A > C > B) against point 21 (Y > X > Z)."""
    issues = agenda([3, 3])
    truth = {
        ("p1", "A"): 6, ("p1", "B"): 0, ("p1", "C"): 2,
        ("p2", "A"): 3, ("p2", "B"): 5, ("p2", "C"): 0,
    }  # fmt: skip
    answers, bounds = elicit(issues, truth, Limits())
    asked = [(answer.question.first, answer.question.second, answer.choice) for answer in answers]
    assert asked == [
        ((("p1", "A"),), (("p1", "B"),), "first"),
        ((("p1", "A"),), (("p1", "C"),), "first"),
        ((("p1", "B"),), (("p1", "C"),), "second"),
        ((("p2", "A"),), (("p2", "B"),), "second"),
        ((("p2", "A"),), (("p2", "C"),), "first"),
        # Ranks known (A > C > B, B > A > C): trade-offs, the widest swings first.
        ((("p1", "A"), ("p2", "C")), (("p1", "B"), ("p2", "B")), "first"),  # 6 > 5
        ((("p1", "A"), ("p2", "C")), (("p1", "C"), ("p2", "B")), "second"),  # 6 < 7
        ((("p1", "A"), ("p2", "A")), (("p1", "C"), ("p2", "B")), "first"),  # 9 > 7
        ((("p1", "C"), ("p2", "C")), (("p1", "B"), ("p2", "B")), "second"),  # 2 < 5
        ((("p1", "A"), ("p2", "C")), (("p1", "C"), ("p2", "A")), "first"),  # 6 > 5
        ((("p1", "C"), ("p2", "A")), (("p1", "B"), ("p2", "B")), "equal"),  # 5 = 5
        ((("p1", "C"), ("p2", "C")), (("p1", "B"), ("p2", "A")), "second"),  # 2 < 3
    ]
    # Not asked: "A,A or B,B" and "A,C or B,A". Once A,C beats B,B, point 1's swing B -> A
    # outweighs point 2's widest swing C -> B, so also its narrower ones A -> B and C -> A.
    assert bounds == [15, 14, 13, 12, 11, 9, 7, 5, 4, 3, 2, 1]
    # 3 + 3 rank questions and 9 trade-offs could be asked; transitivity removes some.
    assert len(asked) < 3 + 3 + 9
    assert all(later <= earlier for earlier, later in itertools.pairwise(bounds))
    derived = derive_preferences(issues, answers)
    assert derived.consistency.consistent
    assert_same_ranking(issues, truth, derived.preferences)


@pytest.mark.parametrize("sizes", [[2, 2, 2], [3, 3], [3, 2, 2], [3, 3, 2], [2, 2, 2, 2]])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_package_ranked_as_the_truth_once_exhausted(sizes: list[int], seed: int) -> None:
    """With trade-offs over every number of points, the answers fix the whole ranking."""
    issues = agenda(sizes)
    truth = random_truth(issues, random.Random(seed))
    limits = Limits(max_questions=500, max_level=len(sizes))
    answers, bounds = elicit(issues, truth, limits)
    assert next_question(issues, answers, limits).exhausted
    assert_same_ranking(issues, truth, derive_preferences(issues, answers).preferences)
    packages = math.prod(sizes)
    assert len(answers) < packages * (packages - 1) // 2
    assert len(answers) < bounds[0]  # elimination: fewer than every candidate question
    assert all(b >= len(answers) - k for k, b in enumerate(bounds))  # bounds hold


@given(
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    seed=st.integers(0, 10_000),
    top=st.integers(0, 12),
)
def test_random_delegates_never_contradict_themselves(
    sizes: list[int], seed: int, top: int
) -> None:
    issues = agenda(sizes)
    truth = random_truth(issues, random.Random(seed), top)
    answers, bounds = elicit(issues, truth, Limits(max_questions=80))
    derived = derive_preferences(issues, answers)
    assert derived.consistency == consistency(issues, answers)
    assert derived.consistency.consistent and derived.consistency.dropped == ()
    worth = derived.part_worths
    for answer in answers:
        first = sum(worth[i][o] for i, o in answer.question.first)
        second = sum(worth[i][o] for i, o in answer.question.second)
        expected = {"first": 1, "second": -1, "equal": 0}[answer.choice]
        assert sign(first - second) == expected
    assert all(b >= len(answers) - k for k, b in enumerate(bounds))


def _within(issue: str, a: str, b: str, choice: Choice) -> Answer:
    return Answer(Question(((issue, a),), ((issue, b),)), choice)


def test_a_cycle_is_reported_and_its_latest_answer_dropped() -> None:
    issues = agenda([3, 2])
    answers = [
        _within("p1", "A", "B", "first"),
        _within("p1", "B", "C", "first"),
        _within("p1", "A", "C", "second"),  # C > A contradicts A > B > C
    ]
    report = consistency(issues, answers)
    assert not report.consistent and report.margin is None
    assert report.dropped == (2,)
    step = next_question(issues, answers)
    assert step.consistency == report
    derived = derive_preferences(issues, answers)
    values = derived.preferences.values["p1"]
    assert values["A"] > values["B"] > values["C"]


def test_equal_against_strict_is_reported() -> None:
    issues = agenda([2, 2])
    answers = [
        _within("p1", "A", "B", "first"),
        _within("p2", "A", "B", "first"),
        Answer(Question((("p1", "A"), ("p2", "B")), (("p1", "B"), ("p2", "A"))), "equal"),
        Answer(Question((("p1", "A"), ("p2", "B")), (("p1", "B"), ("p2", "A"))), "second"),
    ]
    report = consistency(issues, answers)
    assert not report.consistent and report.dropped == (3,)
    assert consistency(issues, answers[:3]).consistent


def test_two_contradictions_need_two_answers_dropped() -> None:
    issues = agenda([2, 2])
    answers = [
        _within("p1", "A", "B", "first"),
        _within("p1", "A", "B", "second"),
        _within("p2", "A", "B", "equal"),
        _within("p2", "A", "B", "first"),
    ]
    assert consistency(issues, answers).dropped == (1, 3)


def test_the_limit_stops_the_questions() -> None:
    issues = agenda([3, 3, 3])
    truth = random_truth(issues, random.Random(5))
    answers, _ = elicit(issues, truth, Limits(max_questions=4))
    assert len(answers) == 4
    step = next_question(issues, answers, Limits(max_questions=4))
    assert step.question is None and not step.exhausted


def test_the_checks_per_call_are_bounded() -> None:
    issues = agenda([3, 3, 3])
    truth = random_truth(issues, random.Random(6))
    answers, _ = elicit(issues, truth, Limits())
    # Taken out of order, the answers are checked from the first question again.
    shuffled = answers[1:] + answers[:1]
    stopped = next_question(issues, shuffled, Limits(max_checks=3))
    assert stopped.question is None and not stopped.exhausted
    assert next_question(issues, shuffled).exhausted


def test_answers_round_trip_as_plain_data() -> None:
    issues = agenda([3, 2])
    truth = random_truth(issues, random.Random(3))
    answers, _ = elicit(issues, truth, Limits())
    assert answers_from_data(issues, answers_to_data(answers)) == answers


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "answers: expected a list"),
        ([{"first": [], "second": [], "choice": "first"}], "answers[0].first: expected a list"),
        (
            [{"first": [["p1", "Z"]], "second": [["p1", "A"]], "choice": "first"}],
            "answers[0].first[0]: no option 'Z' of point 'p1'",
        ),
        (
            [{"first": [["p1", "A"]], "second": [["p1", "B"]], "choice": "maybe"}],
            "answers[0].choice: expected one of first, second, equal",
        ),
        (
            [{"first": [["p1", "A"]], "second": [["p2", "B"]], "choice": "first"}],
            "answers[0]: both sides must name the same points",
        ),
        (
            [{"first": [["p1", "A"]], "second": [["p1", "A"]], "choice": "first"}],
            "answers[0]: the two sides must differ",
        ),
        ([{"first": [["p1", "A"]]}], "answers[0]: expected an object"),
        (
            [{"first": [["p1", "A"]], "second": [["p1", "B"]], "choice": "first"}] * 61,
            "answers: at most 60 answers, got 61",
        ),
    ],
)
def test_bad_answer_data_names_the_field(data: object, message: str) -> None:
    with pytest.raises(ElicitationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        answers_from_data(agenda([3, 2]), data)


def test_derived_preferences_keep_the_red_lines_and_weigh_unasked_points_zero() -> None:
    issues = agenda([2, 2, 2])
    truth = random_truth(issues, random.Random(8))
    asked_about = issues[:2]
    answers, _ = elicit(asked_about, truth, Limits())
    base = Preferences(red_lines=(RedLine(options={"p3": "A"}),), reservation=0.25, discount=0.9)
    derived = derive_preferences(asked_about, answers, base, agenda=issues)
    preferences = derived.preferences
    assert preferences.red_lines == base.red_lines
    assert (preferences.reservation, preferences.discount) == (0.25, 0.9)
    assert preferences.weights is not None and preferences.weights["p3"] == 0.0
    Scenario(id="s", issues=tuple(issues), parties=(Party(id="P", preferences=preferences),))
