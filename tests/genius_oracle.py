"""GENIUS's utilities in exact rationals, read naively off the XML: the tests' oracle.

Written from GENIUS 10.4's source (``AdditiveUtilitySpace.getUtility``, ``EvaluatorDiscrete``,
``EvaluatorInteger``, ``EvaluatorReal``, ``BidIterator``), one bid at a time, sharing nothing
with :mod:`accord.formats.genius`: weights by issue index (a weight for anything else is never
used), a discrete evaluation over its issue's highest, an integer scored from the *profile's*
lowerbound, a real issue's values ``low + step * k`` on the domain's range, the sum capped
at 1. Every number is a :class:`~fractions.Fraction` of the decimal written in the file.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from fractions import Fraction

Bid = tuple[str | Fraction, ...]


def issues_of(domain: ET.Element) -> list[tuple[int, str, list[str | Fraction]]]:
    """Each domain issue: its index, its type and its values (a real one on ``points``)."""
    found = []
    for issue in domain.iter("issue"):
        kind = issue.get("type", "discrete")
        values: list[str | Fraction]
        if kind == "discrete":
            values = [item.get("value", "") for item in issue.iter("item")]
        elif kind == "integer":
            low, high = int(issue.get("lowerbound", "")), int(issue.get("upperbound", ""))
            values = [Fraction(v) for v in range(low, high + 1)]
        else:
            values = []  # filled in by ``bids``
        found.append((int(issue.get("index", "")), kind, values))
    return found


def bids(domain: ET.Element, points: int) -> list[Bid]:
    """Every bid of the domain (real issues on ``points`` values)."""
    return list(itertools.product(*columns(domain, points)))


def columns(domain: ET.Element, points: int) -> list[list[str | Fraction]]:
    """Each issue's values in GENIUS's order (a real one on ``points`` values)."""
    found = []
    for issue, (_, kind, values) in zip(domain.iter("issue"), issues_of(domain), strict=True):
        if kind == "real":
            bounds = issue.find("range")
            assert bounds is not None
            low, high = (
                Fraction(bounds.get("lowerbound", "")),
                Fraction(bounds.get("upperbound", "")),
            )
            step = (high - low) / (points - 1)
            values = [low + step * k for k in range(points)]
        found.append(values)
    return found


def utility(domain: ET.Element, profile: ET.Element, bid: Bid) -> Fraction:
    """GENIUS's ``getUtility`` of ``bid`` for a linear profile, exactly."""
    weights = {
        int(w.get("index", "")): Fraction(w.get("value", "")) for w in profile.iter("weight")
    }
    scored = {int(issue.get("index", "")): issue for issue in profile.iter("issue")}
    total = Fraction(0)
    for (index, kind, _), value in zip(issues_of(domain), bid, strict=True):
        issue = scored[index]
        if kind == "discrete":
            evaluations = {
                item.get("value"): Fraction(item.get("evaluation", ""))
                for item in issue.iter("item")
            }
            top = max(evaluations.values())
            score = evaluations[str(value)] / top if top >= Fraction(1, 100_000) else Fraction(0)
        else:
            evaluator = issue.find("evaluator")
            assert evaluator is not None and isinstance(value, Fraction)
            if kind == "integer":
                slope, offset = (
                    Fraction(evaluator.get("slope", "")),
                    Fraction(evaluator.get("offset", "")),
                )
                score = offset + slope * (value - int(issue.get("lowerbound", "")))
            else:
                p0, p1 = (
                    Fraction(evaluator.get("parameter0", "")),
                    Fraction(evaluator.get("parameter1", "")),
                )
                score = p1 * value + p0
            score = min(max(score, Fraction(0)), Fraction(1))
        total += weights[index] * score
    return min(total, Fraction(1))


def pareto(points: list[tuple[Fraction, ...]]) -> set[tuple[Fraction, ...]]:
    """The non-dominated points, exactly."""
    return {
        point
        for point in points
        if not any(
            all(o >= p for o, p in zip(other, point, strict=True)) and other != point
            for other in points
        )
    }


def nonlinear_utility(profile: ET.Element, bid: dict[int, int]) -> Fraction:
    """GENIUS's ``NonlinearUtilitySpace.getUtility`` (sum aggregation), exactly: an
    ``InclusiveHyperRectangle`` counts when every bound holds, an ``ExclusiveHyperRectangle``
    (any EXCLUDES bound; its INCLUDES are then unused) when some bound fails."""
    utility = profile.find("objective/utility")
    assert utility is not None
    ufun = utility.find("ufun")
    assert ufun is not None
    total = _ufun_total(ufun, bid)
    return min(total / Fraction(utility.get("maxutility", "")), Fraction(1))


def _ufun_total(ufun: ET.Element, bid: dict[int, int]) -> Fraction:
    total = Fraction(0)
    for rectangle in ufun.findall("hyperRectangle"):
        worth = Fraction(rectangle.get("utility", "")) * Fraction(rectangle.get("weight", "1"))
        excluded = rectangle.findall("EXCLUDES")
        bounds = excluded or rectangle.findall("INCLUDES")
        holds = [
            int(b.get("min", "")) <= bid[int(b.get("index", ""))] <= int(b.get("max", ""))
            for b in bounds
        ]
        counts = not all(holds) if excluded else all(holds)
        total += worth if counts else 0
    for inner in ufun.findall("ufun"):
        total += _ufun_total(inner, bid) * Fraction(inner.get("weight", "1"))
    return total


def constraint_utility(profile: ET.Element, bid: dict[int, str]) -> Fraction:
    """GENIUS's ``ConstraintUtilitySpace.getUtility``, exactly: 0 if a zero-outcome
    constraint holds, else the mean over the ranked issues of rank / highest rank, an issue
    counting 0 where one of its zero constraints holds. ``bid`` maps issue index to GENIUS's
    value string."""
    rules = profile.find("objective/rules")
    assert rules is not None
    ranks: dict[int, dict[str, int]] = {}
    for issue in rules.iterfind("ranks/issue"):
        ranks[int(issue.get("index", ""))] = {
            item.get("value", ""): int(item.get("rank", "")) for item in issue.iter("item")
        }
    zero_for: dict[int, list[ET.Element]] = {}
    for constraint in rules.iterfind("constraints/constraint"):
        kind = constraint.get("type", "")
        if kind in ("inclusiveZeroOutcomeConstraint", "conditionalZeroOutcomeConstraint"):
            if _zero_outcome(constraint, kind, bid):
                return Fraction(0)
        elif kind in _ISSUE_CONSTRAINTS:
            zero_for.setdefault(int(constraint.get("index", "")), []).append(constraint)
    total = Fraction(0)
    for index, ranked in ranks.items():
        if not any(_zeroes(c, bid) for c in zero_for.get(index, [])):
            total += Fraction(ranked[bid[index]], max(0, *ranked.values()))
    return total / len(ranks)


_ISSUE_CONSTRAINTS = (
    "zeroConstraint",
    "conditionalZeroConstraint",
    "sumZeroConstraint",
    "sumZeroNotConstraint",
    "sumZeroConstraintList",
)


def _java_hash_map_order(keys: list[int]) -> list[int]:
    """The order Java 8's ``HashMap<Integer, ...>`` (16 buckets) iterates ``keys`` put in
    that order: by bucket ``(h ^ h >>> 16) & 15``, then by first insertion."""
    first: list[int] = []
    for key in keys:
        if key not in first:
            first.append(key)

    def bucket(key: int) -> int:
        unsigned = key % 2**32
        return (unsigned ^ (unsigned >> 16)) % 16

    return sorted(first, key=bucket)


def _zero_outcome(constraint: ET.Element, kind: str, bid: dict[int, str]) -> bool:
    checks = {
        int(c.get("index", "")): c.get("condition", "") for c in constraint.iter("checkassignment")
    }
    if kind == "inclusiveZeroOutcomeConstraint":
        for index, condition in checks.items():
            if "numeric" in condition:
                if "positive" in condition and int(bid[index]) < 0:
                    return False
                if "negative" in condition and int(bid[index]) > 0:
                    return False
            elif condition not in bid[index]:
                return False
        return True
    order = _java_hash_map_order(
        [int(c.get("index", "")) for c in constraint.iter("checkassignment")]
    )
    when, then = order
    if checks[when] == "numeric=positive" and int(bid[when]) > 0:
        return checks[then] not in bid[then]
    if checks[when] == "numeric=negative" and int(bid[when]) < 0:
        return checks[then] not in bid[then]
    return False


def _zeroes(constraint: ET.Element, bid: dict[int, str]) -> bool:
    kind = constraint.get("type", "")
    index = int(constraint.get("index", ""))
    if kind in ("zeroConstraint", "conditionalZeroConstraint"):
        equal = all(
            bid[int(a.get("index", ""))] == a.get("value")
            for a in constraint.iter("valueassignment")
        )
        if kind == "zeroConstraint":
            return equal
        return equal and constraint.get("value", "") not in bid[index]
    total = sum(int(bid[int(item.get("index", ""))]) for item in constraint.iter("item"))
    if not int(constraint.get("min", "")) <= total <= int(constraint.get("max", "")):
        return False
    if kind == "sumZeroConstraintList":
        return any(c.get("value", "") in bid[index] for c in constraint.iter("condition"))
    contains = constraint.get("value", "") in bid[index]
    return contains if kind == "sumZeroConstraint" else not contains
