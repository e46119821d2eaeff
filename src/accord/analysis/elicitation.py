"""Preferences by questions: PAPRIKA's pairwise trade-offs, solved by linear programs.

A delegate who cannot state weights answers questions of the form "which do you prefer:
*A* on point 6 and *B* on point 21, or *C* on point 6 and *D* on point 21 (everything else
being equal)?". The model is additive: a package is worth the sum of its options'
part-worths ``v[issue][option]``, so each answer is one linear constraint
``v(first) - v(second) > 0`` (or ``< 0``, or ``= 0`` for "equally good") on the part-worths.
This is the PAPRIKA method of Hansen & Ombler (2008), "A new method for scoring additive
multi-attribute value models using pairwise rankings of alternatives", *Journal of
Multi-Criteria Decision Analysis* 15(3-4): 87-107.

The questions come in a fixed order:

1. **Ranks within each point** (the choice made here for points with many options): "on
   point 6, all else equal, A or B?", over every pair of options of one point.
2. **Trade-offs between two points** (PAPRIKA's "undominated pairs" of two criteria): one
   side is better on the first point, the other on the second; with ``max_level`` above 2,
   then between three points and more (enough, with every level, to rank every package).

A question is *implied*, and never asked, when the answers already given fix its answer:
only one of "first", "second", "equally good" is left consistent with them. That is
decided exactly as PAPRIKA's transitivity does, but by HiGHS over the whole polytope of
part-worths consistent with the answers (so any chain of answers counts, not only
transitive pairs). The derived part-worths are the *max-margin* point of that polytope:
every strict answer holds with the largest possible gap, as a share of the range from the
worst package to the best.

The state is the plain list of answers (:func:`answers_to_data` / :func:`answers_from_data`),
so a web form can carry it. Answers that contradict one another are reported: the fewest
answers whose removal makes the rest consistent (a small MILP), latest first; the
questions and the derived preferences then ignore those answers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations, product
from typing import Any, Literal

import numpy as np

from accord.analysis.milp import Milp
from accord.analysis.space import FloatArray
from accord.errors import AccordError
from accord.scenario.model import Issue, Preferences

Choice = Literal["first", "second", "equal"]
CHOICES: tuple[Choice, ...] = ("first", "second", "equal")
Side = tuple[tuple[str, str], ...]
"""``(issue id, option id)`` for each point a question names, in agenda order."""

# A margin at or below this is zero: the LPs are in floating point on a [0, 1] scale.
TOLERANCE = 1e-7
# The gap a strict answer must keep when counting answers to drop (a share of the range).
DROP_MARGIN = 1e-6


class ElicitationError(AccordError):
    """An answer list that does not fit the agenda or the limits."""


@dataclass(frozen=True)
class Limits:
    """How far the questions go.

    ``max_questions`` bounds the answers; ``max_level`` the points one trade-off names
    (2 is PAPRIKA's usual choice; the number of points ranks every package);
    ``max_checks`` the questions one call may test with LPs before it gives up (a list of
    answers this module did not produce is checked from the start).
    """

    max_questions: int = 60
    max_level: int = 2
    max_checks: int = 5_000


@dataclass(frozen=True)
class Question:
    """Two partial packages on the same points; all other points are equal."""

    first: Side
    second: Side

    @property
    def issue_ids(self) -> tuple[str, ...]:
        return tuple(issue for issue, _ in self.first)


@dataclass(frozen=True)
class Answer:
    question: Question
    choice: Choice


@dataclass(frozen=True)
class Consistency:
    """How well the answers fit one additive model.

    ``margin`` (consistent answers with a strict one) is the largest gap every strict
    answer can keep at once, as a share of the range from the worst package to the best;
    ``dropped`` are the positions (0-based) of the fewest answers to remove to restore
    consistency (empty when consistent).
    """

    consistent: bool
    margin: float | None
    dropped: tuple[int, ...]


@dataclass(frozen=True)
class Step:
    """Where the questions stand: the next one (``None`` when done) and how many may follow.

    ``remaining_at_most`` is an upper bound on the questions still to ask, this one
    included: those not yet implied by the answers (every undominated pair counted while
    the ranks within points are unknown), capped by the limit on questions.
    """

    question: Question | None
    asked: int
    remaining_at_most: int
    exhausted: bool
    consistency: Consistency


@dataclass(frozen=True)
class Derived:
    """Preferences derived from the answers, and how consistent the answers were."""

    preferences: Preferences
    part_worths: dict[str, dict[str, float]]
    consistency: Consistency


class _Index:
    """The flat column of each ``(issue, option)``, plus one ``w`` column per issue."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        self.column: dict[tuple[str, str], int] = {}
        for issue in self.issues:
            for option in issue.options:
                self.column[(issue.id, option.id)] = len(self.column)
        self.size = len(self.column)

    def difference(self, question: Question) -> FloatArray:
        row = np.zeros(self.size)
        for key in question.first:
            row[self.column[key]] += 1.0
        for key in question.second:
            row[self.column[key]] -= 1.0
        return row


def _check_side(index: _Index, side: Any, where: str) -> Side:
    if not isinstance(side, list | tuple) or not side:
        raise ElicitationError(f"{where}: expected a list of [point, option] pairs")
    pairs: list[tuple[str, str]] = []
    for position, pair in enumerate(side):
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(text, str) for text in pair)
        ):
            raise ElicitationError(f"{where}[{position}]: expected [point, option]")
        if (pair[0], pair[1]) not in index.column:
            raise ElicitationError(
                f"{where}[{position}]: no option '{pair[1]}' of point '{pair[0]}' in the agenda"
            )
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def answers_from_data(
    issues: Sequence[Issue], data: Any, limits: Limits = Limits()
) -> list[Answer]:
    """Check plain data (as written by :func:`answers_to_data`) against the agenda."""
    index = _Index(issues)
    if not isinstance(data, list):
        raise ElicitationError("answers: expected a list")
    if len(data) > limits.max_questions:
        raise ElicitationError(f"answers: at most {limits.max_questions} answers, got {len(data)}")
    order = {issue.id: position for position, issue in enumerate(index.issues)}
    answers: list[Answer] = []
    for position, item in enumerate(data):
        where = f"answers[{position}]"
        if not isinstance(item, dict) or set(item) != {"first", "second", "choice"}:
            raise ElicitationError(f"{where}: expected an object with first, second and choice")
        if item["choice"] not in CHOICES:
            raise ElicitationError(f"{where}.choice: expected one of {', '.join(CHOICES)}")
        first = _check_side(index, item["first"], f"{where}.first")
        second = _check_side(index, item["second"], f"{where}.second")
        points = [issue for issue, _ in first]
        if (
            points != [issue for issue, _ in second]
            or len(set(points)) != len(points)
            or points != sorted(points, key=order.__getitem__)
        ):
            raise ElicitationError(
                f"{where}: both sides must name the same points, once each, in agenda order"
            )
        if len(points) > max(limits.max_level, 1):
            raise ElicitationError(
                f"{where}: names {len(points)} points, at most {limits.max_level}"
            )
        if any(a == b for a, b in zip(first, second, strict=True)):
            raise ElicitationError(f"{where}: the two sides must differ on every point named")
        answers.append(Answer(Question(first, second), item["choice"]))
    return answers


def answers_to_data(answers: Sequence[Answer]) -> list[dict[str, Any]]:
    return [
        {
            "first": [list(pair) for pair in answer.question.first],
            "second": [list(pair) for pair in answer.question.second],
            "choice": answer.choice,
        }
        for answer in answers
    ]


class _Polytope:
    """Part-worths ``v >= 0`` with issue maxima ``w`` summing to 1, and the answers' rows.

    Scaling and shifting part-worths per point changes no answer, so ``v >= 0`` and
    ``sum(w) = 1`` lose nothing. Column ``s`` (in [0, 1]) is the margin every strict
    answer keeps.
    """

    def __init__(self, index: _Index, answers: Sequence[Answer]) -> None:
        self.index = index
        self.milp = Milp()
        self.v = self.milp.add_columns(index.size, 0.0, 1.0, False)
        self.w = self.milp.add_columns(len(index.issues), 0.0, 1.0, False)
        self.s = int(self.milp.add_columns(1, 0.0, 1.0, False)[0])
        for issue_position, issue in enumerate(index.issues):
            for option in issue.options:
                column = int(self.v[index.column[(issue.id, option.id)]])
                self.milp.add_row([column, int(self.w[issue_position])], [1.0, -1.0], upper=0.0)
        self.milp.add_row(self.w, [1.0] * len(self.w), 1.0, 1.0)
        self.strict = False
        for answer in answers:
            self._add(self.milp, index.difference(answer.question), answer.choice)

    def _add(self, milp: Milp, row: FloatArray, choice: Choice) -> None:
        columns = [int(c) for c in self.v]
        if choice == "equal":
            milp.add_row(columns, list(row), 0.0, 0.0)
            return
        sign = 1.0 if choice == "first" else -1.0
        self.strict = self.strict or milp is self.milp
        milp.add_row([*columns, self.s], [*(sign * row), -1.0], lower=0.0)

    def best(self, extra: tuple[FloatArray, Choice] | None = None) -> tuple[float, FloatArray]:
        """The largest margin (with one more answer, if given) and a point attaining it."""
        milp = self.milp
        if extra is not None:
            milp = milp.copy()
            self._add(milp, *extra)
        result = milp.solve({self.s: 1.0}, maximize=True)
        if result.values is None or result.objective is None:
            return 0.0, np.zeros(self.index.size)
        return result.objective, result.values[self.v]


def consistency(issues: Sequence[Issue], answers: Sequence[Answer]) -> Consistency:
    """Whether one additive model fits every answer; if not, the fewest answers to drop."""
    index = _Index(issues)
    polytope = _Polytope(index, answers)
    margin, _ = polytope.best()
    if not polytope.strict:
        return Consistency(True, None, ())
    if margin > TOLERANCE:
        return Consistency(True, margin, ())
    return Consistency(False, None, _fewest_to_drop(index, answers))


def _fewest_to_drop(index: _Index, answers: Sequence[Answer]) -> tuple[int, ...]:
    """A MILP: one 0/1 column per answer switches it off; the later of equals goes first."""
    polytope = _Polytope(index, [])
    milp = polytope.milp
    columns = [int(c) for c in polytope.v]
    drop = milp.add_columns(len(answers), 0.0, 1.0, True)
    count = len(answers)
    for position, answer in enumerate(answers):
        row = list(index.difference(answer.question))
        switch = int(drop[position])
        # |v(first) - v(second)| <= 1 on this polytope, so 1 (+ the margin) is a big-M.
        if answer.choice == "equal":
            milp.add_row([*columns, switch], [*row, -1.0], upper=0.0)
            milp.add_row([*columns, switch], [*row, 1.0], lower=0.0)
        else:
            sign = 1.0 if answer.choice == "first" else -1.0
            milp.add_row(
                [*columns, switch],
                [*(sign * np.array(row)), 1.0 + DROP_MARGIN],
                lower=DROP_MARGIN,
            )
    # Dropping c answers costs between c - c/(n+1) and c: fewer answers always wins.
    cost = {int(drop[k]): 1.0 - (k + 1) / (count + 1) ** 2 for k in range(count)}
    result = milp.solve(cost, maximize=False)
    assert result.values is not None  # dropping every answer is always feasible
    return tuple(k for k in range(count) if result.values[int(drop[k])] > 0.5)


def _within_candidates(issues: Sequence[Issue]) -> Iterator[Question]:
    for issue in issues:
        for a, b in combinations(issue.options, 2):
            yield Question(((issue.id, a.id),), ((issue.id, b.id),))


def _ranks(index: _Index, point: FloatArray, margin: float) -> dict[str, list[str]]:
    """Each point's options best first, one representative per class of equal options."""
    ranks: dict[str, list[str]] = {}
    for issue in index.issues:
        worths = sorted(
            ((float(point[index.column[(issue.id, o.id)]]), o.id) for o in issue.options),
            key=lambda pair: -pair[0],
        )
        classes: list[tuple[float, str]] = []
        for worth, option in worths:
            if not classes or classes[-1][0] - worth > margin / 2:
                classes.append((worth, option))
        ranks[issue.id] = [option for _, option in classes]
    return ranks


def _tradeoff_candidates(
    issues: Sequence[Issue], ranks: dict[str, list[str]], max_level: int
) -> Iterator[Question]:
    """Undominated pairs on 2..max_level points: each side better on at least one point.

    Per point, the pairs of ranked options are numbered widest gap first; the questions of
    one level are asked in order of the sum of those numbers, over every set of points, so
    the "weight" questions (best against worst on both points) of every pair of points
    come before the finer ones and, by transitivity, settle many of them. The first
    point's better option is always on the first side.
    """
    ranked = [issue.id for issue in issues if len(ranks[issue.id]) >= 2]
    for level in range(2, max_level + 1):
        level_questions: list[tuple[int, int, Question]] = []
        for points in combinations(ranked, level):
            gaps = []
            for point in points:
                count = len(ranks[point])
                pairs = [(a, b) for a in range(count) for b in range(a + 1, count)]
                pairs.sort(key=lambda pair: (pair[0] - pair[1], pair))
                gaps.append([(ranks[point][a], ranks[point][b]) for a, b in pairs])
            for chosen_indices in product(*[range(len(gap)) for gap in gaps]):
                chosen = [gap[k] for gap, k in zip(gaps, chosen_indices, strict=True)]
                for sides in product((True, False), repeat=level - 1):
                    if all(sides):
                        continue  # the first side would be better everywhere
                    better_first = (True, *sides)
                    first = tuple(
                        (p, good if up else bad)
                        for p, (good, bad), up in zip(points, chosen, better_first, strict=True)
                    )
                    second = tuple(
                        (p, bad if up else good)
                        for p, (good, bad), up in zip(points, chosen, better_first, strict=True)
                    )
                    order = len(level_questions)
                    level_questions.append((sum(chosen_indices), order, Question(first, second)))
        level_questions.sort(key=lambda item: item[:2])
        for _, _, question in level_questions:
            yield question


def _tradeoff_count(sizes: Sequence[int], max_level: int) -> int:
    total = 0
    for level in range(2, max_level + 1):
        for chosen in combinations([size for size in sizes if size >= 2], level):
            total += math.prod(math.comb(size, 2) for size in chosen) * (2 ** (level - 1) - 1)
    return total


class _Session:
    """The answers kept (contradicted ones left out) and what they imply."""

    def __init__(self, issues: Sequence[Issue], answers: Sequence[Answer], limits: Limits) -> None:
        self.index = _Index(issues)
        self.limits = limits
        self.answers = list(answers)
        self.consistency = consistency(issues, answers)
        dropped = set(self.consistency.dropped)
        self.kept = [answer for k, answer in enumerate(answers) if k not in dropped]
        self.polytope = _Polytope(self.index, self.kept)
        self.margin, self.centre = self.polytope.best()
        self.samples: list[FloatArray] = [self.centre] if self.polytope.strict else []
        self.rank_sizes: list[int] | None = None

    def open_choices(self, question: Question) -> int:
        """How many of the three answers stay consistent with the answers kept (2 = 2+)."""
        row = self.index.difference(question)
        values = [float(row @ sample) for sample in self.samples]
        if any(v > TOLERANCE for v in values) and any(v < -TOLERANCE for v in values):
            return 2  # both strict answers are open: enough to ask
        open_count = 0
        for choice in CHOICES:
            margin, point = self.polytope.best((row, choice))
            if margin > TOLERANCE:
                open_count += 1
                self.samples.append(point)
        return open_count

    def ordered(self) -> Iterator[tuple[bool, int, Question]]:
        """Every question in order, as ``(within a point?, position in its phase, question)``.

        The trade-offs need the ranks within points, fixed once the within-point questions
        are passed (then every kept single-point answer is about ranks).
        """
        for position, question in enumerate(_within_candidates(self.index.issues)):
            yield True, position, question
        about_ranks = [a for a in self.kept if len(a.question.first) == 1]
        polytope = _Polytope(self.index, about_ranks)
        margin, point = polytope.best()
        ranks = _ranks(self.index, point, margin if polytope.strict else 0.0)
        self.rank_sizes = [len(ranks[issue.id]) for issue in self.index.issues]
        tradeoffs = _tradeoff_candidates(self.index.issues, ranks, self.limits.max_level)
        for position, question in enumerate(tradeoffs):
            yield False, position, question

    def resumed(self) -> Iterator[tuple[bool, int, Question]]:
        """The questions after the last one answered: the earlier ones were asked or implied.

        Answers only shrink the polytope, so a question implied when it was passed over
        stays implied. If the last answer is not in the order (an answer list this module
        did not produce), every question is considered again.
        """
        if not self.answers:
            return self.ordered()
        last = self.answers[-1].question
        every = self.ordered()
        for _, _, question in every:
            if question == last:
                return every
        return self.ordered()

    def next(self) -> Step:
        budget = self.limits.max_questions - len(self.answers)
        asked = {answer.question for answer in self.answers}
        checks = 0
        for within, position, question in self.resumed():
            if question in asked:
                continue
            checks += 1
            if checks > self.limits.max_checks:  # the work per call is bounded too
                return Step(None, len(self.answers), 0, False, self.consistency)
            if self.open_choices(question) < 2:
                continue
            if budget <= 0:  # more could be asked, but the limit is reached
                return Step(None, len(self.answers), 0, False, self.consistency)
            if within:
                sizes = [len(issue.options) for issue in self.index.issues]
                remaining = sum(math.comb(size, 2) for size in sizes) - position
                remaining += _tradeoff_count(sizes, self.limits.max_level)
            else:
                assert self.rank_sizes is not None
                remaining = _tradeoff_count(self.rank_sizes, self.limits.max_level) - position
            return Step(
                question, len(self.answers), min(remaining, budget), False, self.consistency
            )
        return Step(None, len(self.answers), 0, True, self.consistency)


def next_question(
    issues: Sequence[Issue], answers: Sequence[Answer], limits: Limits = Limits()
) -> Step:
    """The next question to ask (``None`` when done), how many may follow, the consistency."""
    return _Session(issues, answers, limits).next()


def derive_preferences(
    issues: Sequence[Issue],
    answers: Sequence[Answer],
    base: Preferences | None = None,
    agenda: Sequence[Issue] = (),
) -> Derived:
    """Normalised weights and option values from the max-margin part-worths.

    Each point's weight is the gap between its best and worst part-worth, its option
    values the part-worths shifted to 0 and divided by that gap. Red lines, reservation
    value and discount come from ``base`` (the questions do not ask about them);
    interactions are dropped, as the model the answers fit is additive. Points of
    ``agenda`` that were not asked about (not in ``issues``) get weight 0.
    """
    session = _Session(issues, answers, Limits(max_questions=max(len(answers), 1)))
    index = session.index
    part_worths: dict[str, dict[str, float]] = {}
    weights: dict[str, float] = {}
    values: dict[str, dict[str, float]] = {}
    for issue in index.issues:
        worths = {
            o.id: float(session.centre[index.column[(issue.id, o.id)]]) for o in issue.options
        }
        low = min(worths.values())
        gap = max(worths.values()) - low
        part_worths[issue.id] = {o: w - low for o, w in worths.items()}
        if gap <= TOLERANCE * 1e-2:
            weights[issue.id] = 0.0
            continue
        weights[issue.id] = gap
        values[issue.id] = {o: min(1.0, max(0.0, (w - low) / gap)) for o, w in worths.items()}
    if not values:  # every package equally good: equal weights, every option worth 1
        weights = {issue.id: 1.0 for issue in index.issues}
        values = {issue.id: {o.id: 1.0 for o in issue.options} for issue in index.issues}
    asked_about = set(weights)
    weights.update({issue.id: 0.0 for issue in agenda if issue.id not in asked_about})
    kept: dict[str, Any] = {}
    if base is not None:
        kept = {
            "red_lines": base.red_lines,
            "reservation": base.reservation,
            "discount": base.discount,
        }
    preferences = Preferences(scale="normalised", weights=weights, values=values, **kept)
    return Derived(preferences, part_worths, session.consistency)
