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
